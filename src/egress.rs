//! Where the auditor may connect: the guard against server-side request forgery.
//!
//! A hostile target can redirect, link or publish DNS records that point at cloud metadata
//! services or at the CI runner's own network. Every connection launchready makes is decided
//! here, after the name is resolved and before a packet is sent:
//!
//! - link-local addresses (`169.254.0.0/16`, `fe80::/10`), the cloud metadata addresses
//!   (`169.254.169.254`, `fd00:ec2::254`, `100.100.100.200`, `168.63.129.16`) and metadata host
//!   names (`metadata.google.internal`...), unspecified, broadcast and multicast addresses are
//!   never connected to;
//! - loopback (`127.0.0.0/8`, `::1`) and private addresses (RFC 1918, `100.64.0.0/10`, ULA
//!   `fc00::/7`, `198.18.0.0/15`, `240.0.0.0/4`) are connected to only when a configured host
//!   itself resolves into that class (a lab, an internal app), or with `--allow-private`;
//! - every other address is public and allowed.
//!
//! The HTTP client applies the decision in its resolver (names: only allowed addresses reach its
//! connector, on every new connection, so a DNS answer that changes between checks is judged
//! again) and in a connector layer (URLs whose host is an IP literal). Raw TCP probes (TLS
//! handshakes, legacy ClientHellos, latency phases) dial through [`Guard::connect`].

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use thiserror::Error;
use tokio::net::TcpStream;

/// What kind of address an IP is, for the connection decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddrClass {
    /// Routable on the internet: always allowed.
    Public,
    /// This machine: allowed only when the configured target is on loopback, or with
    /// `--allow-private`.
    Loopback,
    /// A private network (RFC 1918, shared address space, ULA...): allowed only when the
    /// configured target is on a private network, or with `--allow-private`.
    Private,
    /// Link-local: never connected to.
    LinkLocal,
    /// A cloud metadata service: never connected to.
    Metadata,
    /// Unspecified, broadcast or multicast: never connected to.
    NotUnicast,
}

impl AddrClass {
    /// How the class reads in evidence.
    pub fn describe(self) -> &'static str {
        match self {
            AddrClass::Public => "a public address",
            AddrClass::Loopback => "a loopback address",
            AddrClass::Private => "a private-network address",
            AddrClass::LinkLocal => "a link-local address",
            AddrClass::Metadata => "a cloud metadata address",
            AddrClass::NotUnicast => "not a unicast address",
        }
    }

    /// True for the classes that are never connected to, whatever the options.
    pub fn is_never(self) -> bool {
        matches!(
            self,
            AddrClass::LinkLocal | AddrClass::Metadata | AddrClass::NotUnicast
        )
    }
}

/// Cloud metadata endpoints that are not link-local (AWS IPv6 IMDS, Alibaba Cloud, Azure
/// WireServer), refused whatever the options.
const METADATA_ADDRS: &[IpAddr] = &[
    IpAddr::V4(Ipv4Addr::new(169, 254, 169, 254)),
    IpAddr::V4(Ipv4Addr::new(169, 254, 170, 2)),
    IpAddr::V4(Ipv4Addr::new(100, 100, 100, 200)),
    IpAddr::V4(Ipv4Addr::new(168, 63, 129, 16)),
    IpAddr::V6(Ipv6Addr::new(0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254)),
];

/// Host names of metadata services (they resolve to link-local addresses inside clouds; refused
/// by name as well, so a resolver override cannot make them reachable).
const METADATA_NAMES: &[&str] = &[
    "metadata.google.internal",
    "metadata.goog",
    "metadata",
    "instance-data",
    "instance-data.ec2.internal",
];

/// Classifies an address. IPv4 addresses embedded in IPv6 (mapped `::ffff:a.b.c.d`, compatible
/// `::a.b.c.d`, NAT64 `64:ff9b::/96`, 6to4 `2002::/16`) are judged by the IPv4 address.
pub fn classify(ip: IpAddr) -> AddrClass {
    if METADATA_ADDRS.contains(&ip) {
        return AddrClass::Metadata;
    }
    match ip {
        IpAddr::V4(v4) => classify_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = embedded_v4(v6) {
                return classify(IpAddr::V4(v4));
            }
            let s = v6.segments();
            if v6.is_unspecified() || v6.is_multicast() {
                AddrClass::NotUnicast
            } else if v6.is_loopback() {
                AddrClass::Loopback
            } else if s[0] & 0xffc0 == 0xfe80 {
                AddrClass::LinkLocal
            } else if s[0] & 0xfe00 == 0xfc00 || s[0] & 0xffc0 == 0xfec0 {
                // Unique local (fc00::/7) and the deprecated site-local (fec0::/10).
                AddrClass::Private
            } else {
                AddrClass::Public
            }
        }
    }
}

fn classify_v4(v4: Ipv4Addr) -> AddrClass {
    let o = v4.octets();
    if o[0] == 0 || v4.is_broadcast() || v4.is_multicast() {
        // 0.0.0.0/8 reaches this machine on Linux; never a target.
        AddrClass::NotUnicast
    } else if v4.is_loopback() {
        AddrClass::Loopback
    } else if v4.is_link_local() {
        AddrClass::LinkLocal
    } else if v4.is_private()
        || (o[0] == 100 && o[1] & 0xc0 == 64)
        || (o[0] == 198 && o[1] & 0xfe == 18)
        || (o[0] == 192 && o[1] == 0 && o[2] == 0)
        || o[0] >= 240
    {
        AddrClass::Private
    } else {
        AddrClass::Public
    }
}

fn embedded_v4(v6: Ipv6Addr) -> Option<Ipv4Addr> {
    let s = v6.segments();
    let tail = || Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8);
    if let Some(v4) = v6.to_ipv4_mapped() {
        Some(v4)
    } else if (s[..6] == [0, 0, 0, 0, 0, 0] && !v6.is_loopback() && !v6.is_unspecified())
        || s[..6] == [0x64, 0xff9b, 0, 0, 0, 0]
    {
        // IPv4-compatible (deprecated) and NAT64.
        Some(tail())
    } else if s[0] == 0x2002 {
        Some(Ipv4Addr::new(
            (s[1] >> 8) as u8,
            s[1] as u8,
            (s[2] >> 8) as u8,
            s[2] as u8,
        ))
    } else {
        None
    }
}

fn norm(host: &str) -> String {
    host.trim_end_matches('.').to_ascii_lowercase()
}

/// True for host names of metadata services.
pub fn is_metadata_name(host: &str) -> bool {
    let h = host.trim_end_matches('.').to_ascii_lowercase();
    METADATA_NAMES.contains(&h.as_str())
}

/// A connection launchready refused to make. Shown as evidence; the finding id, not this text,
/// is the contract.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub struct Refused {
    /// The host asked for (a name or an IP literal).
    pub host: String,
    /// The address refused (`None` when refused by name).
    pub addr: Option<IpAddr>,
    /// Its class.
    pub class: AddrClass,
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let why = match self.class {
            AddrClass::Loopback | AddrClass::Private => {
                " (allowed only when the configured target is on such a network, or with \
                 --allow-private)"
            }
            _ => " (never connected to)",
        };
        match self.addr {
            Some(ip) if ip.to_string() == self.host => write!(
                f,
                "connection to {ip} refused: {}{why}",
                self.class.describe()
            ),
            Some(ip) => write!(
                f,
                "connection to {} refused: it resolves to {ip}, {}{why}",
                self.host,
                self.class.describe()
            ),
            None => write!(
                f,
                "connection to {} refused: a cloud metadata host name{why}",
                self.host
            ),
        }
    }
}

/// Called with every address just before a connection to it is attempted. Tests use it to prove
/// that an address is never dialled.
#[derive(Clone)]
pub struct DialObserver(pub Arc<dyn Fn(IpAddr) + Send + Sync>);

impl fmt::Debug for DialObserver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DialObserver")
    }
}

/// The connection decision for one audit.
#[derive(Debug, Default)]
pub struct Guard {
    allow_loopback: AtomicBool,
    allow_private: AtomicBool,
    /// The hosts the config names (lowercase, no trailing dot).
    configured: std::sync::RwLock<Vec<String>>,
    observer: Option<DialObserver>,
}

impl Guard {
    /// A guard; `allow_private` (from `--allow-private`) allows loopback and private addresses
    /// from the start.
    pub fn new(allow_private: bool, observer: Option<DialObserver>) -> Guard {
        Guard {
            allow_loopback: AtomicBool::new(allow_private),
            allow_private: AtomicBool::new(allow_private),
            configured: std::sync::RwLock::new(Vec::new()),
            observer,
        }
    }

    /// Names the hosts of the config: whenever one of them resolves, the classes it resolves
    /// into are allowed (see [`Guard::learn_configured`]).
    pub fn set_configured(&self, hosts: &[String]) {
        let mut v: Vec<String> = hosts.iter().map(|h| norm(h)).collect();
        v.sort();
        v.dedup();
        if let Ok(mut c) = self.configured.write() {
            *c = v;
        }
    }

    fn is_configured(&self, host: &str) -> bool {
        let h = norm(host);
        self.configured
            .read()
            .map(|c| c.binary_search(&h).is_ok())
            .unwrap_or(false)
    }

    /// Records what a configured host resolves to: a host on loopback allows loopback, a host on
    /// a private network allows private networks. Link-local and metadata stay refused.
    pub fn learn_configured(&self, ips: &[IpAddr]) {
        for ip in ips {
            match classify(*ip) {
                AddrClass::Loopback => self.allow_loopback.store(true, Ordering::Relaxed),
                AddrClass::Private => self.allow_private.store(true, Ordering::Relaxed),
                _ => {}
            }
        }
    }

    /// Whether loopback and private addresses are currently allowed: `(loopback, private)`.
    pub fn allowance(&self) -> (bool, bool) {
        (
            self.allow_loopback.load(Ordering::Relaxed),
            self.allow_private.load(Ordering::Relaxed),
        )
    }

    /// The decision for one address of `host`.
    pub fn check(&self, host: &str, ip: IpAddr) -> Result<(), Refused> {
        let class = classify(ip);
        let allowed = match class {
            AddrClass::Public => true,
            AddrClass::Loopback => self.allow_loopback.load(Ordering::Relaxed),
            AddrClass::Private => self.allow_private.load(Ordering::Relaxed),
            AddrClass::LinkLocal | AddrClass::Metadata | AddrClass::NotUnicast => false,
        };
        if allowed {
            Ok(())
        } else {
            Err(Refused {
                host: host.to_string(),
                addr: Some(ip),
                class,
            })
        }
    }

    /// Refuses metadata host names before they are even resolved.
    pub fn check_name(&self, host: &str) -> Result<(), Refused> {
        if is_metadata_name(host) {
            Err(Refused {
                host: host.trim_end_matches('.').to_string(),
                addr: None,
                class: AddrClass::Metadata,
            })
        } else {
            Ok(())
        }
    }

    /// Keeps the allowed addresses of `host` (in order); when none is allowed, the first
    /// refusal. Each kept address is announced to the observer: these are the addresses the
    /// connector will dial.
    pub fn filter(&self, host: &str, ips: &[IpAddr]) -> Result<Vec<IpAddr>, Refused> {
        self.check_name(host)?;
        if self.is_configured(host) {
            self.learn_configured(ips);
        }
        let mut kept = Vec::new();
        let mut first = None;
        for ip in ips {
            match self.check(host, *ip) {
                Ok(()) => kept.push(*ip),
                Err(r) => {
                    first.get_or_insert(r);
                }
            }
        }
        match (kept.is_empty(), first) {
            (true, Some(r)) => Err(r),
            _ => {
                for ip in &kept {
                    self.observe(*ip);
                }
                Ok(kept)
            }
        }
    }

    fn observe(&self, ip: IpAddr) {
        if let Some(o) = &self.observer {
            (o.0)(ip);
        }
    }

    /// Opens a TCP connection to `addr` (an address of `host`) if the decision allows it,
    /// within `timeout`.
    pub async fn connect(
        &self,
        host: &str,
        addr: SocketAddr,
        timeout: Duration,
    ) -> Result<TcpStream, DialError> {
        self.check_name(host)?;
        self.check(host, addr.ip())?;
        self.observe(addr.ip());
        match tokio::time::timeout(timeout, TcpStream::connect(addr)).await {
            Ok(Ok(s)) => Ok(s),
            Ok(Err(e)) => Err(DialError::Io(e)),
            Err(_) => Err(DialError::Timeout(timeout)),
        }
    }
}

/// Why [`Guard::connect`] did not connect.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum DialError {
    /// The decision refused the address.
    #[error(transparent)]
    Refused(#[from] Refused),
    /// The connection failed.
    #[error("{0}")]
    Io(std::io::Error),
    /// No answer in time.
    #[error("TCP connect timed out after {} s", .0.as_secs())]
    Timeout(Duration),
}

/// The refusal somewhere in an error's source chain (reqwest and hyper wrap it).
pub fn refusal<'a>(e: &'a (dyn std::error::Error + 'static)) -> Option<&'a Refused> {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        if let Some(r) = err.downcast_ref::<Refused>() {
            return Some(r);
        }
        cur = err.source();
    }
    None
}

/// The connector layer that judges URLs whose host is an IP literal (the client's resolver
/// never sees those). Installed by `Net::new`.
#[derive(Clone)]
pub(crate) struct LiteralLayer(pub(crate) Arc<Guard>);

impl<S> tower_layer::Layer<S> for LiteralLayer {
    type Service = LiteralService<S>;
    fn layer(&self, inner: S) -> Self::Service {
        LiteralService {
            inner,
            guard: self.0.clone(),
        }
    }
}

/// See [`LiteralLayer`].
#[derive(Clone)]
pub(crate) struct LiteralService<S> {
    inner: S,
    guard: Arc<Guard>,
}

/// The host of the URI a connector request carries. reqwest hands connector layers an opaque
/// request type whose only view is its `Debug` form, `Unnameable(<uri>)`; anything else is
/// treated as unreadable and refused (fail closed).
fn connector_host(debug: &str) -> Option<String> {
    let uri = debug.strip_prefix("Unnameable(")?.strip_suffix(')')?;
    let url = url::Url::parse(uri).ok()?;
    Some(url.host_str()?.to_string())
}

impl<S, Req> tower_service::Service<Req> for LiteralService<S>
where
    S: tower_service::Service<Req>,
    S::Error: From<Box<dyn std::error::Error + Send + Sync>>,
    S::Future: Send + 'static,
    S::Response: Send + 'static,
    Req: fmt::Debug,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = futures::future::BoxFuture<'static, Result<S::Response, S::Error>>;

    fn poll_ready(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Req) -> Self::Future {
        let decision = match connector_host(&format!("{req:?}")) {
            None => Err(Refused {
                host: "(unreadable connection target)".into(),
                addr: None,
                class: AddrClass::NotUnicast,
            }),
            Some(host) => {
                let bare = host.trim_start_matches('[').trim_end_matches(']');
                match bare.parse::<IpAddr>() {
                    Ok(ip) => self.guard.check(bare, ip).map(|()| self.guard.observe(ip)),
                    // Names are judged by the resolver, on the addresses it hands over.
                    Err(_) => self.guard.check_name(bare),
                }
            }
        };
        match decision {
            Err(r) => {
                let e: Box<dyn std::error::Error + Send + Sync> = Box::new(r);
                Box::pin(async move { Err(S::Error::from(e)) })
            }
            Ok(()) => Box::pin(self.inner.call(req)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn classes() {
        for (a, c) in [
            ("169.254.169.254", AddrClass::Metadata),
            ("fd00:ec2::254", AddrClass::Metadata),
            ("100.100.100.200", AddrClass::Metadata),
            ("168.63.129.16", AddrClass::Metadata),
            ("::ffff:169.254.169.254", AddrClass::Metadata),
            ("64:ff9b::a9fe:a9fe", AddrClass::Metadata),
            ("169.254.1.1", AddrClass::LinkLocal),
            ("fe80::1", AddrClass::LinkLocal),
            ("127.0.0.1", AddrClass::Loopback),
            ("127.8.9.10", AddrClass::Loopback),
            ("::1", AddrClass::Loopback),
            ("::ffff:127.0.0.1", AddrClass::Loopback),
            ("10.1.2.3", AddrClass::Private),
            ("172.16.0.1", AddrClass::Private),
            ("172.31.255.255", AddrClass::Private),
            ("192.168.1.1", AddrClass::Private),
            ("100.64.0.1", AddrClass::Private),
            ("fd12:3456::1", AddrClass::Private),
            ("2002:0a00:0001::1", AddrClass::Private),
            ("0.0.0.0", AddrClass::NotUnicast),
            ("0.1.2.3", AddrClass::NotUnicast),
            ("::", AddrClass::NotUnicast),
            ("255.255.255.255", AddrClass::NotUnicast),
            ("224.0.0.1", AddrClass::NotUnicast),
            ("ff02::1", AddrClass::NotUnicast),
            ("93.184.215.14", AddrClass::Public),
            ("172.32.0.1", AddrClass::Public),
            ("100.128.0.1", AddrClass::Public),
            ("2606:4700::1111", AddrClass::Public),
            ("203.0.113.9", AddrClass::Public),
        ] {
            assert_eq!(classify(ip(a)), c, "{a}");
        }
    }

    #[test]
    fn decision_by_allowance() {
        let g = Guard::new(false, None);
        assert!(g.check("a", ip("93.184.215.14")).is_ok());
        assert!(g.check("a", ip("127.0.0.1")).is_err());
        assert!(g.check("a", ip("10.0.0.1")).is_err());
        // A target on loopback allows loopback only.
        g.learn_configured(&[ip("127.0.0.1")]);
        assert!(g.check("a", ip("127.0.0.1")).is_ok());
        assert!(g.check("a", ip("10.0.0.1")).is_err());
        // A target on a private network allows private networks.
        g.learn_configured(&[ip("192.168.3.4")]);
        assert!(g.check("a", ip("10.0.0.1")).is_ok());
        // Learning a link-local or metadata answer never allows it.
        g.learn_configured(&[ip("169.254.169.254"), ip("fe80::1")]);
        assert!(g.check("a", ip("169.254.169.254")).is_err());
        assert!(g.check("a", ip("fe80::1")).is_err());
        // A configured host that resolves privately allows its class when it is filtered.
        let lab = Guard::new(false, None);
        lab.set_configured(&["Lab.Example.".to_string()]);
        assert!(lab.filter("other.example", &[ip("10.0.0.9")]).is_err());
        assert!(lab.filter("lab.example", &[ip("10.0.0.8")]).is_ok());
        assert!(lab.filter("other.example", &[ip("10.0.0.9")]).is_ok());
        assert!(lab.filter("lab.example", &[ip("169.254.169.254")]).is_err());
        // --allow-private does not open link-local or metadata either.
        let all = Guard::new(true, None);
        assert!(all.check("a", ip("10.0.0.1")).is_ok());
        assert!(all.check("a", ip("::1")).is_ok());
        for never in ["169.254.169.254", "fd00:ec2::254", "169.254.0.5", "0.0.0.0"] {
            let r = all.check("evil.example", ip(never)).unwrap_err();
            assert!(r.class.is_never(), "{never}");
        }
        assert!(all.check_name("metadata.google.internal.").is_err());
    }

    #[test]
    fn filter_keeps_allowed_and_reports_refusal() {
        let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
        let s2 = seen.clone();
        let g = Guard::new(
            false,
            Some(DialObserver(Arc::new(move |sa| {
                s2.lock().unwrap().push(sa);
            }))),
        );
        let mixed = [ip("169.254.169.254"), ip("93.184.215.14")];
        assert_eq!(
            g.filter("x.example", &mixed).unwrap(),
            vec![ip("93.184.215.14")]
        );
        let r = g.filter("x.example", &[ip("169.254.169.254")]).unwrap_err();
        assert_eq!(r.class, AddrClass::Metadata);
        assert_eq!(
            r.to_string(),
            "connection to x.example refused: it resolves to 169.254.169.254, a cloud metadata \
             address (never connected to)"
        );
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 1);
        assert_eq!(seen[0], ip("93.184.215.14"));
    }

    #[test]
    fn connector_request_host() {
        assert_eq!(
            connector_host("Unnameable(http://169.254.169.254/latest/meta-data)"),
            Some("169.254.169.254".into())
        );
        assert_eq!(
            connector_host("Unnameable(https://[fd00:ec2::254]:8443/)"),
            Some("[fd00:ec2::254]".into())
        );
        assert_eq!(connector_host("Something(else)"), None);
    }
}
