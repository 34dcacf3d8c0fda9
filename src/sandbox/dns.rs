//! The sandbox's authoritative DNS server: hickory-server on 127.0.0.1 (random port, UDP and
//! TCP), serving zones written in a small zone-file-like text form so cases are easy to add.
//!
//! Line format: `<name> <TYPE> <value>`; `@` is the zone apex, other names are relative unless
//! they end with a dot. Types: A, AAAA, CNAME, NS, MX (`10 mail`), TXT (the rest of the line,
//! split into 255-byte strings), CAA (`issue letsencrypt.org`), DNSKEY/DS (opaque test data).

use hickory_proto::rr::rdata::{A, AAAA, CAA, CNAME, MX, NS, NULL, SOA, TXT};
use hickory_proto::rr::{LowerName, Name, RData, Record, RecordType};
use hickory_server::Server;
use hickory_server::store::in_memory::InMemoryZoneHandler;
use hickory_server::zone_handler::{AxfrPolicy, Catalog, ZoneType};
use std::net::SocketAddr;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

/// A zone as text, before it is loaded.
pub struct ZoneText {
    /// Origin, e.g. `acme.test`.
    pub origin: String,
    /// Records, one per line.
    pub records: String,
}

/// Error building a sandbox zone (a bug in the sandbox's own data).
#[derive(Debug, thiserror::Error)]
#[error("sandbox zone {zone}: line `{line}`: {cause}")]
pub struct ZoneError {
    zone: String,
    line: String,
    cause: String,
}

fn name_in(origin: &Name, s: &str) -> Result<Name, String> {
    if s == "@" {
        return Ok(origin.clone());
    }
    if s.ends_with('.') {
        return Name::from_str(s).map_err(|e| e.to_string());
    }
    Name::from_str(s)
        .and_then(|n| n.append_domain(origin))
        .map_err(|e| e.to_string())
}

fn parse_rdata(origin: &Name, rtype: &str, value: &str) -> Result<RData, String> {
    let v = value.trim();
    Ok(match rtype {
        "A" => RData::A(A(v.parse().map_err(|e| format!("{e}"))?)),
        "AAAA" => RData::AAAA(AAAA(v.parse().map_err(|e| format!("{e}"))?)),
        "CNAME" => RData::CNAME(CNAME(name_in(origin, v)?)),
        "NS" => RData::NS(NS(name_in(origin, v)?)),
        "MX" => {
            let (pref, host) = v.split_once(' ').ok_or("MX needs `pref host`")?;
            let pref: u16 = pref.parse().map_err(|e| format!("{e}"))?;
            let host = if host.trim() == "." {
                Name::root()
            } else {
                name_in(origin, host.trim())?
            };
            RData::MX(MX::new(pref, host))
        }
        "TXT" => {
            let v = v.trim_matches('"');
            let chunks: Vec<Box<[u8]>> = if v.is_empty() {
                vec![Box::from(&b""[..])]
            } else {
                v.as_bytes().chunks(255).map(Box::from).collect()
            };
            RData::TXT(TXT::from_bytes(chunks.iter().map(|c| &c[..]).collect()))
        }
        "CAA" => {
            let (tag, val) = v.split_once(' ').ok_or("CAA needs `tag value`")?;
            match tag {
                "issue" => RData::CAA(CAA::new_issue(
                    false,
                    Some(Name::from_str(val.trim()).map_err(|e| e.to_string())?),
                    vec![],
                )),
                other => return Err(format!("CAA tag {other} not supported by the sandbox")),
            }
        }
        "DNSKEY" => RData::Unknown {
            code: RecordType::DNSKEY,
            rdata: NULL::with(v.as_bytes().to_vec()),
        },
        "DS" => RData::Unknown {
            code: RecordType::DS,
            rdata: NULL::with(v.as_bytes().to_vec()),
        },
        other => return Err(format!("type {other} not supported by the sandbox")),
    })
}

fn build_zone(z: &ZoneText) -> Result<InMemoryZoneHandler, ZoneError> {
    let err = |line: &str, cause: String| ZoneError {
        zone: z.origin.clone(),
        line: line.to_string(),
        cause,
    };
    let origin = Name::from_str(&format!("{}.", z.origin.trim_end_matches('.')))
        .map_err(|e| err("(origin)", e.to_string()))?;
    let mut zone = InMemoryZoneHandler::empty(origin.clone(), ZoneType::Primary, AxfrPolicy::Deny);
    let soa = SOA::new(
        name_in(&origin, "ns1").map_err(|e| err("(soa)", e))?,
        name_in(&origin, "hostmaster").map_err(|e| err("(soa)", e))?,
        1,
        3600,
        600,
        86400,
        60,
    );
    zone.upsert_mut(Record::from_rdata(origin.clone(), 300, RData::SOA(soa)), 1);
    for line in z
        .records
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let mut parts = line.splitn(3, char::is_whitespace);
        let (Some(name), Some(rtype), Some(value)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(err(line, "expected `name TYPE value`".into()));
        };
        let owner = name_in(&origin, name).map_err(|e| err(line, e))?;
        let rdata = parse_rdata(&origin, rtype, value).map_err(|e| err(line, e))?;
        if !zone.upsert_mut(Record::from_rdata(owner, 300, rdata), 1) {
            return Err(err(line, "record rejected by the zone".into()));
        }
    }
    Ok(zone)
}

/// Starts the server on 127.0.0.1:0 (UDP and TCP on the same port); returns its address.
pub async fn start(
    zones: &[ZoneText],
) -> Result<SocketAddr, Box<dyn std::error::Error + Send + Sync>> {
    let mut catalog = Catalog::new();
    for z in zones {
        let zone = build_zone(z)?;
        let origin = Name::from_str(&format!("{}.", z.origin.trim_end_matches('.')))?;
        catalog.upsert(LowerName::from(origin), vec![Arc::new(zone)]);
    }
    // Bind UDP first, then TCP on the same port (retry a few times if that port is taken).
    for _ in 0..20 {
        let udp = udp_socket()?;
        let addr = udp.local_addr()?;
        let Ok(tcp) = tokio::net::TcpListener::bind(addr).await else {
            continue;
        };
        let mut server = Server::new(catalog);
        server.register_socket(udp);
        server.register_listener(tcp, Duration::from_secs(5), 65535);
        tokio::spawn(async move {
            let _ = server.block_until_done().await;
        });
        return Ok(addr);
    }
    Err("could not bind a UDP+TCP port pair on 127.0.0.1".into())
}

/// A loopback UDP socket with a large receive buffer: many audits at once (tests, benchmarks)
/// send bursts of queries, and the default buffer would drop some of them.
fn udp_socket() -> std::io::Result<tokio::net::UdpSocket> {
    use socket2::{Domain, Protocol, Socket, Type};
    let s = Socket::new(Domain::IPV4, Type::DGRAM, Some(Protocol::UDP))?;
    let _ = s.set_recv_buffer_size(4 << 20);
    s.bind(&SocketAddr::from(([127, 0, 0, 1], 0)).into())?;
    s.set_nonblocking(true)?;
    tokio::net::UdpSocket::from_std(s.into())
}
