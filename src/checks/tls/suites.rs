//! What a server negotiates when rustls cannot: rustls (TLS 1.2 and 1.3 with AEAD suites and
//! ECDHE only) fails against servers that speak only CBC, static-RSA or DHE suites, although
//! browsers and curl may still load them. This module sends hand-built TLS 1.2 ClientHellos
//! offering one family of suites at a time and reads the cleartext part of the server's
//! answer (RFC 5246 §7.3): the ServerHello says which suite it chose, and the Certificate
//! message that follows carries the served chain, so the chain can be judged without
//! completing the handshake and without any cryptography.
//!
//! Owns the suite families, their names and the bounded handshake reader; deciding what is a
//! finding is `mod.rs`'s job.

use super::legacy;
use rustls_pki_types::CertificateDer;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::io::AsyncWriteExt;

/// TLS 1.2 on the wire.
pub const TLS12: u16 = 0x0303;

/// Largest Certificate message read whole (the chain of a "too large" server is still read so
/// its names can be counted; anything larger is only measured).
pub const CERT_READ_CAP: usize = 1024 * 1024;

/// rustls refuses handshake messages above this size (its `MAX_HANDSHAKE_SIZE`).
pub const RUSTLS_LIMIT: usize = 0xffff;
/// OpenSSL's default maximum certificate list (`SSL_CTX_set_max_cert_list`, 100 kB): curl,
/// Python, Node and most server-side clients inherit it.
pub const OPENSSL_LIMIT: usize = 102_400;

/// A family of TLS 1.2 cipher suites.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Family {
    /// ECDHE key exchange with AES-GCM or ChaCha20-Poly1305: what rustls and browsers prefer.
    EcdheAead,
    /// ECDHE with AES-CBC (HMAC-SHA1/SHA256): browsers still accept, rustls does not.
    EcdheCbc,
    /// Static RSA key exchange (no forward secrecy): Chrome removed it in version 131.
    StaticRsa,
    /// Finite-field DHE: Chrome (since 53) and Firefox (since 78) no longer offer it.
    Dhe,
}

impl Family {
    /// Every family, strongest first.
    pub const ALL: [Family; 4] = [
        Family::EcdheAead,
        Family::EcdheCbc,
        Family::StaticRsa,
        Family::Dhe,
    ];

    /// The suites offered for this family.
    pub fn suites(self) -> &'static [u16] {
        match self {
            Family::EcdheAead => &[0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8],
            Family::EcdheCbc => &[
                0xc009, 0xc013, 0xc00a, 0xc014, 0xc023, 0xc027, 0xc024, 0xc028,
            ],
            Family::StaticRsa => &[0x009c, 0x009d, 0x002f, 0x0035, 0x003c, 0x003d, 0x000a],
            Family::Dhe => &[0x009e, 0x009f, 0xccaa, 0x0033, 0x0039, 0x0067, 0x006b],
        }
    }

    /// A short label for evidence.
    pub fn label(self) -> &'static str {
        match self {
            Family::EcdheAead => "ECDHE with AEAD (GCM/ChaCha20)",
            Family::EcdheCbc => "ECDHE with CBC",
            Family::StaticRsa => "static RSA key exchange",
            Family::Dhe => "DHE",
        }
    }

    /// The family a suite belongs to.
    #[cfg(test)]
    pub fn of(suite: u16) -> Option<Family> {
        Family::ALL
            .into_iter()
            .find(|f| f.suites().contains(&suite))
    }
}

/// IANA name of a suite offered here.
pub fn suite_name(code: u16) -> String {
    let n = match code {
        0xc02b => "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        0xc02f => "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        0xc02c => "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        0xc030 => "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        0xcca9 => "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
        0xcca8 => "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
        0xc009 => "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
        0xc013 => "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
        0xc00a => "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
        0xc014 => "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
        0xc023 => "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
        0xc027 => "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
        0xc024 => "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
        0xc028 => "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
        0x009c => "TLS_RSA_WITH_AES_128_GCM_SHA256",
        0x009d => "TLS_RSA_WITH_AES_256_GCM_SHA384",
        0x002f => "TLS_RSA_WITH_AES_128_CBC_SHA",
        0x0035 => "TLS_RSA_WITH_AES_256_CBC_SHA",
        0x003c => "TLS_RSA_WITH_AES_128_CBC_SHA256",
        0x003d => "TLS_RSA_WITH_AES_256_CBC_SHA256",
        0x000a => "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
        0x009e => "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
        0x009f => "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
        0xccaa => "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
        0x0033 => "TLS_DHE_RSA_WITH_AES_128_CBC_SHA",
        0x0039 => "TLS_DHE_RSA_WITH_AES_256_CBC_SHA",
        0x0067 => "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256",
        0x006b => "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256",
        other => return format!("suite 0x{other:04x}"),
    };
    n.to_string()
}

/// What one TLS 1.2 ClientHello got back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// A TLS 1.2 ServerHello choosing `suite`.
    Accepted {
        /// The chosen suite.
        suite: u16,
        /// The served chain when it was asked for and fit [`CERT_READ_CAP`].
        chain: Vec<CertificateDer<'static>>,
        /// Size of the Certificate message body, when one was seen.
        cert_bytes: Option<usize>,
    },
    /// An alert, another version, or a closed connection (why).
    Refused(String),
    /// Nothing came back in time.
    TimedOut,
    /// Not TLS, or the connection failed (why).
    Failed(String),
}

/// A refused, unanswered or failed answer in evidence words ("accepted" for a ServerHello).
pub fn describe_answer(a: &Answer) -> String {
    match a {
        Answer::Accepted { suite, .. } => format!("accepted ({})", suite_name(*suite)),
        Answer::Refused(why) => format!("refused ({why})"),
        Answer::TimedOut => "no answer".into(),
        Answer::Failed(why) => format!("probe failed ({why})"),
    }
}

/// Progress of reading the server's first flight.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Flight {
    /// Need more bytes.
    More,
    /// Done reading.
    Done(Answer),
}

fn u24(b: &[u8]) -> usize {
    ((b[0] as usize) << 16) | ((b[1] as usize) << 8) | b[2] as usize
}

/// Splits a Certificate message body (RFC 5246 §7.4.2) into certificates.
fn certificates(body: &[u8]) -> Vec<CertificateDer<'static>> {
    let mut out = Vec::new();
    if body.len() < 3 {
        return out;
    }
    let total = u24(body).min(body.len() - 3);
    let mut rest = &body[3..3 + total];
    while rest.len() >= 3 {
        let n = u24(rest);
        if rest.len() < 3 + n {
            break;
        }
        out.push(CertificateDer::from(rest[3..3 + n].to_vec()));
        rest = &rest[3 + n..];
    }
    out
}

/// Reads handshake messages from the records in `wire` (record layer, RFC 5246 §6.2.1).
/// Stops at the ServerHello when `want_chain` is false, else at the Certificate message.
fn read_flight(wire: &[u8], want_chain: bool) -> Flight {
    // Join the handshake records' payloads.
    let mut hs = Vec::new();
    let mut at = 0;
    while wire.len() >= at + 5 {
        let (ctype, len) = (
            wire[at],
            u16::from_be_bytes([wire[at + 3], wire[at + 4]]) as usize,
        );
        if wire.len() < at + 5 + len {
            // Still, an alert or handshake prefix may already say enough.
            if ctype == 0x16 {
                hs.extend_from_slice(&wire[at + 5..]);
            }
            break;
        }
        let payload = &wire[at + 5..at + 5 + len];
        match ctype {
            0x16 => hs.extend_from_slice(payload),
            0x15 if payload.len() >= 2 => {
                return Flight::Done(Answer::Refused(legacy::alert_name(payload[1])));
            }
            0x15 => {}
            other => {
                return Flight::Done(Answer::Failed(format!(
                    "not TLS: record type 0x{other:02x}"
                )));
            }
        }
        at += 5 + len;
    }
    if wire.len() >= 5 && !matches!(wire[0], 0x15 | 0x16) {
        return Flight::Done(Answer::Failed(format!(
            "not TLS: record type 0x{:02x}",
            wire[0]
        )));
    }
    // Walk the handshake messages.
    let mut suite = None;
    let mut p = 0;
    while hs.len() >= p + 4 {
        let (kind, len) = (hs[p], u24(&hs[p + 1..p + 4]));
        let complete = hs.len() >= p + 4 + len;
        match kind {
            2 => {
                if !complete {
                    return Flight::More;
                }
                let b = &hs[p + 4..p + 4 + len];
                if b.len() < 35 {
                    return Flight::Done(Answer::Failed("short ServerHello".into()));
                }
                let version = u16::from_be_bytes([b[0], b[1]]);
                if version != TLS12 {
                    return Flight::Done(Answer::Refused(format!(
                        "server answered with {}",
                        legacy::version_name(version)
                    )));
                }
                let sid = b[34] as usize;
                let Some(s) = b.get(35 + sid..37 + sid) else {
                    return Flight::Done(Answer::Failed("short ServerHello".into()));
                };
                let s = u16::from_be_bytes([s[0], s[1]]);
                if !want_chain {
                    return Flight::Done(Answer::Accepted {
                        suite: s,
                        chain: Vec::new(),
                        cert_bytes: None,
                    });
                }
                suite = Some(s);
            }
            11 => {
                let Some(s) = suite else {
                    return Flight::Done(Answer::Failed("Certificate before ServerHello".into()));
                };
                if len > CERT_READ_CAP {
                    return Flight::Done(Answer::Accepted {
                        suite: s,
                        chain: Vec::new(),
                        cert_bytes: Some(len),
                    });
                }
                if !complete {
                    return Flight::More;
                }
                return Flight::Done(Answer::Accepted {
                    suite: s,
                    chain: certificates(&hs[p + 4..p + 4 + len]),
                    cert_bytes: Some(len),
                });
            }
            // ServerHelloDone before any Certificate: an anonymous or PSK suite.
            14 => {
                return Flight::Done(match suite {
                    Some(s) => Answer::Accepted {
                        suite: s,
                        chain: Vec::new(),
                        cert_bytes: None,
                    },
                    None => Answer::Failed("ServerHelloDone before ServerHello".into()),
                });
            }
            _ => {}
        }
        if !complete {
            return Flight::More;
        }
        p += 4 + len;
    }
    Flight::More
}

/// Offers `families` at TLS 1.2 to `addr` and reads the answer (the chain too when
/// `want_chain`), all within `timeout`.
pub async fn probe(
    guard: &crate::egress::Guard,
    addr: SocketAddr,
    sni: Option<&str>,
    families: &[Family],
    groups: &[u16],
    want_chain: bool,
    timeout: Duration,
) -> Answer {
    let suites: Vec<u16> = families
        .iter()
        .flat_map(|f| f.suites().iter().copied())
        .chain([0x00ff]) // TLS_EMPTY_RENEGOTIATION_INFO_SCSV
        .collect();
    let hello = legacy::client_hello_with(TLS12, &suites, groups, sni, legacy::random());
    let work = async {
        let host = sni
            .map(str::to_string)
            .unwrap_or_else(|| addr.ip().to_string());
        let mut s = match guard.connect(&host, addr, timeout).await {
            Ok(s) => s,
            Err(e) => return Answer::Failed(format!("connect: {e}")),
        };
        if let Err(e) = s.write_all(&hello).await {
            return Answer::Failed(format!("write: {e}"));
        }
        let mut wire = Vec::with_capacity(16 * 1024);
        let mut chunk = vec![0u8; 16 * 1024];
        loop {
            if let Flight::Done(a) = read_flight(&wire, want_chain) {
                return a;
            }
            // Records are at most 16 KiB + 2 KiB; the cap bounds a server that never stops.
            if wire.len() > CERT_READ_CAP + 64 * 1024 {
                return Answer::Failed("first flight too long".into());
            }
            if let Err(why) = legacy::read_more(&mut s, &mut chunk, &mut wire).await {
                return Answer::Refused(why);
            }
        }
    };
    tokio::time::timeout(timeout, work)
        .await
        .unwrap_or(Answer::TimedOut)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(ctype: u8, payload: &[u8]) -> Vec<u8> {
        let mut r = vec![ctype, 3, 3];
        r.extend_from_slice(&(payload.len() as u16).to_be_bytes());
        r.extend_from_slice(payload);
        r
    }

    fn msg(kind: u8, body: &[u8]) -> Vec<u8> {
        let mut m = vec![kind];
        m.extend_from_slice(&(body.len() as u32).to_be_bytes()[1..]);
        m.extend_from_slice(body);
        m
    }

    fn server_hello(suite: u16) -> Vec<u8> {
        let mut b = vec![3, 3];
        b.extend_from_slice(&[7; 32]);
        b.push(0);
        b.extend_from_slice(&suite.to_be_bytes());
        b.push(0);
        msg(2, &b)
    }

    fn cert_msg(certs: &[&[u8]]) -> Vec<u8> {
        let mut list = Vec::new();
        for c in certs {
            list.extend_from_slice(&(c.len() as u32).to_be_bytes()[1..]);
            list.extend_from_slice(c);
        }
        let mut body = (list.len() as u32).to_be_bytes()[1..].to_vec();
        body.extend_from_slice(&list);
        msg(11, &body)
    }

    #[test]
    fn reads_suite_and_chain_across_records() {
        let mut hs = server_hello(0xc013);
        hs.extend(cert_msg(&[b"leafcert", b"intermediate"]));
        // Split the handshake bytes over three records, mid-message.
        let mut wire = Vec::new();
        for part in hs.chunks(20) {
            wire.extend(record(0x16, part));
        }
        assert_eq!(read_flight(&wire[..wire.len() - 3], true), Flight::More);
        assert_eq!(
            read_flight(&wire, true),
            Flight::Done(Answer::Accepted {
                suite: 0xc013,
                chain: vec![
                    CertificateDer::from(b"leafcert".to_vec()),
                    CertificateDer::from(b"intermediate".to_vec())
                ],
                cert_bytes: Some(3 + 3 + 8 + 3 + 12),
            })
        );
        // Without the chain, the ServerHello is enough.
        let first = record(0x16, &server_hello(0x0033));
        assert!(matches!(
            read_flight(&first, false),
            Flight::Done(Answer::Accepted { suite: 0x0033, .. })
        ));
    }

    #[test]
    fn alerts_versions_and_garbage() {
        assert_eq!(
            read_flight(&record(0x15, &[2, 40]), true),
            Flight::Done(Answer::Refused("handshake_failure".into()))
        );
        let mut sh = server_hello(0xc013);
        sh[5] = 1; // version 0x0301
        assert!(matches!(
            read_flight(&record(0x16, &sh), true),
            Flight::Done(Answer::Refused(_))
        ));
        assert!(matches!(
            read_flight(b"HTTP/1.1 400 Bad Request\r\n", true),
            Flight::Done(Answer::Failed(_))
        ));
        assert_eq!(read_flight(&[0x16, 3], true), Flight::More);
    }

    #[test]
    fn an_oversized_certificate_message_is_measured_not_read() {
        let mut wire = record(0x16, &server_hello(0xc02f));
        // Header of a Certificate message announcing 2 MiB.
        wire.extend(record(0x16, &[11, 0x20, 0, 0, 0x1f, 0xff, 0xfd]));
        assert_eq!(
            read_flight(&wire, true),
            Flight::Done(Answer::Accepted {
                suite: 0xc02f,
                chain: Vec::new(),
                cert_bytes: Some(0x200000),
            })
        );
    }

    #[test]
    fn families_cover_their_suites() {
        assert_eq!(Family::of(0xc013), Some(Family::EcdheCbc));
        assert_eq!(Family::of(0x002f), Some(Family::StaticRsa));
        assert_eq!(Family::of(0x0033), Some(Family::Dhe));
        assert_eq!(Family::of(0xc02f), Some(Family::EcdheAead));
        assert_eq!(suite_name(0xc013), "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA");
    }
}
