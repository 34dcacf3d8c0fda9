//! Does a server still accept TLS 1.0 or 1.1? rustls cannot speak those versions, so this sends a
//! hand-built ClientHello offering only that version and legacy CBC suites over a plain TCP
//! stream, and reads the first record back: a ServerHello carrying exactly the offered version
//! means "accepted"; an alert, a lower version, or a closed connection means "refused". No
//! handshake is completed and no cryptography is needed (RFC 2246 §7.4.1.2, RFC 4346 §7.4.1.2).
//!
//! Owns only the wire format and the probe; deciding whether this is a finding is `mod.rs`'s job.

use std::net::SocketAddr;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};

/// TLS 1.0 on the wire.
pub const TLS10: u16 = 0x0301;
/// TLS 1.1 on the wire.
pub const TLS11: u16 = 0x0302;

/// Legacy suites a TLS 1.0/1.1 server would pick: ECDHE-RSA/ECDSA with AES-CBC, RSA key
/// exchange with AES-CBC and 3DES, DHE-RSA with AES-CBC.
const SUITES: &[u16] = &[
    0xc014, 0xc013, 0xc00a, 0xc009, 0x0039, 0x0033, 0x0035, 0x002f, 0x000a, 0x00ff,
];

/// What the server did with a ClientHello for one legacy version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Legacy {
    /// ServerHello with the offered version (and the suite it picked).
    Accepted {
        /// Chosen cipher suite, when the reply was long enough to read it.
        cipher: Option<u16>,
    },
    /// Alert, another version, or connection closed.
    Refused(String),
    /// Nothing came back in time.
    NoAnswer,
    /// The connection could not be made or the reply made no sense.
    Failed(String),
}

/// "TLS 1.0" / "TLS 1.1" / hex.
pub fn version_name(v: u16) -> String {
    match v {
        0x0300 => "SSL 3.0".into(),
        TLS10 => "TLS 1.0".into(),
        TLS11 => "TLS 1.1".into(),
        0x0303 => "TLS 1.2".into(),
        0x0304 => "TLS 1.3".into(),
        other => format!("0x{other:04x}"),
    }
}

fn push_u16(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_be_bytes());
}

fn push_u24(out: &mut Vec<u8>, v: usize) {
    out.extend_from_slice(&[(v >> 16) as u8, (v >> 8) as u8, v as u8]);
}

fn ext(out: &mut Vec<u8>, kind: u16, body: &[u8]) {
    push_u16(out, kind);
    push_u16(out, body.len() as u16);
    out.extend_from_slice(body);
}

/// Key-exchange groups offered by default: secp256r1, secp384r1, secp521r1, x25519, ffdhe2048
/// (RFC 7919, for DHE servers that honour it). P-521 is offered so a server whose certificate
/// key or key exchange is on that curve (which rustls cannot use) still shows its chain.
pub const ALL_GROUPS: &[u16] = &[0x0017, 0x0018, 0x0019, 0x001d, 0x0100];

/// The classical ECDHE groups Chrome, Edge and rustls offer: secp256r1, secp384r1, x25519
/// (Chrome's hybrid post-quantum group is X25519-based and falls back to these).
pub const BROWSER_GROUPS: &[u16] = &[0x0017, 0x0018, 0x001d];

/// A ClientHello record offering only `version`, with SNI when `sni` is a host name.
pub fn client_hello(version: u16, sni: Option<&str>, random: [u8; 32]) -> Vec<u8> {
    client_hello_with(version, SUITES, ALL_GROUPS, sni, random)
}

/// A ClientHello record offering only `version`, `suites` and key-exchange `groups`, with SNI
/// when `sni` is a host name; also used at TLS 1.2 by [`super::suites`].
pub fn client_hello_with(
    version: u16,
    suites: &[u16],
    groups: &[u16],
    sni: Option<&str>,
    random: [u8; 32],
) -> Vec<u8> {
    let mut exts = Vec::new();
    if let Some(name) = sni.filter(|n| n.parse::<std::net::IpAddr>().is_err() && n.len() < 256) {
        let mut b = Vec::new();
        push_u16(&mut b, (name.len() + 3) as u16);
        b.push(0); // host_name
        push_u16(&mut b, name.len() as u16);
        b.extend_from_slice(name.as_bytes());
        ext(&mut exts, 0x0000, &b);
    }
    // supported_groups
    let mut list = Vec::new();
    push_u16(&mut list, (groups.len() * 2) as u16);
    for g in groups {
        push_u16(&mut list, *g);
    }
    ext(&mut exts, 0x000a, &list);
    // ec_point_formats: uncompressed
    ext(&mut exts, 0x000b, &[0x01, 0x00]);
    // signature_algorithms (ignored below TLS 1.2, harmless): ECDSA P-256/P-384/P-521, RSA-PSS,
    // RSA PKCS#1 SHA-256/384/512, Ed25519/Ed448, and the SHA-1 ones old servers still sign with.
    ext(
        &mut exts,
        0x000d,
        &[
            0x00, 0x1a, 0x04, 0x03, 0x05, 0x03, 0x06, 0x03, 0x08, 0x04, 0x08, 0x05, 0x08, 0x06,
            0x04, 0x01, 0x05, 0x01, 0x06, 0x01, 0x08, 0x07, 0x08, 0x08, 0x02, 0x01, 0x02, 0x03,
        ],
    );
    // renegotiation_info, empty
    ext(&mut exts, 0xff01, &[0x00]);

    let mut body = Vec::new();
    push_u16(&mut body, version);
    body.extend_from_slice(&random);
    body.push(0); // session id
    push_u16(&mut body, (suites.len() * 2) as u16);
    for s in suites {
        push_u16(&mut body, *s);
    }
    body.extend_from_slice(&[1, 0]); // compression: null
    push_u16(&mut body, exts.len() as u16);
    body.extend_from_slice(&exts);

    let mut hs = vec![1u8]; // client_hello
    push_u24(&mut hs, body.len());
    hs.extend_from_slice(&body);

    let mut rec = vec![0x16];
    push_u16(&mut rec, TLS10); // record version: 1.0 for compatibility
    push_u16(&mut rec, hs.len() as u16);
    rec.extend_from_slice(&hs);
    rec
}

/// What the first bytes of the reply say, if they say enough yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// Need more bytes.
    Incomplete,
    /// ServerHello with this version and, if present in the bytes, this suite.
    ServerHello {
        /// server_version.
        version: u16,
        /// cipher_suite.
        cipher: Option<u16>,
    },
    /// An alert with this description code.
    Alert(u8),
    /// Anything else.
    Garbage(String),
}

/// Interprets the start of a server's reply to a ClientHello.
pub fn parse_reply(buf: &[u8]) -> Reply {
    if buf.len() < 5 {
        return Reply::Incomplete;
    }
    let (ctype, body) = (buf[0], &buf[5..]);
    let rec_len = u16::from_be_bytes([buf[3], buf[4]]) as usize;
    match ctype {
        0x15 => {
            if body.len() < 2 {
                Reply::Incomplete
            } else {
                Reply::Alert(body[1])
            }
        }
        0x16 => {
            if body.len() < 6 {
                return Reply::Incomplete;
            }
            if body[0] != 2 {
                return Reply::Garbage(format!("handshake message type {} first", body[0]));
            }
            let version = u16::from_be_bytes([body[4], body[5]]);
            // type(1) len(3) version(2) random(32) sid_len(1) sid cipher(2)
            let cipher = body.get(38).and_then(|&sid| {
                let at = 39 + sid as usize;
                (at + 2 <= rec_len.min(body.len()))
                    .then(|| u16::from_be_bytes([body[at], body[at + 1]]))
            });
            if cipher.is_none() && body.len() < rec_len.min(64) {
                return Reply::Incomplete;
            }
            Reply::ServerHello { version, cipher }
        }
        other => Reply::Garbage(format!("record type 0x{other:02x}")),
    }
}

/// Names of the common alert descriptions (RFC 5246 §7.2).
pub fn alert_name(code: u8) -> String {
    match code {
        40 => "handshake_failure".into(),
        47 => "illegal_parameter".into(),
        50 => "decode_error".into(),
        70 => "protocol_version".into(),
        71 => "insufficient_security".into(),
        80 => "internal_error".into(),
        112 => "unrecognized_name".into(),
        other => format!("alert {other}"),
    }
}

/// 32 fresh random bytes for a ClientHello.
pub fn random() -> [u8; 32] {
    let mut random = [0u8; 32];
    if rustls::crypto::ring::default_provider()
        .secure_random
        .fill(&mut random)
        .is_err()
    {
        random = [0x5a; 32];
    }
    random
}

/// Sends a ClientHello offering only `version` and classifies the answer, all within `timeout`.
pub async fn probe(
    guard: &crate::egress::Guard,
    addr: SocketAddr,
    sni: Option<&str>,
    version: u16,
    timeout: Duration,
) -> Legacy {
    let hello = client_hello(version, sni, random());
    let work = async {
        let host = sni
            .map(str::to_string)
            .unwrap_or_else(|| addr.ip().to_string());
        let mut s = match guard.connect(&host, addr, timeout).await {
            Ok(s) => s,
            Err(e) => return Legacy::Failed(format!("connect: {e}")),
        };
        if let Err(e) = s.write_all(&hello).await {
            return Legacy::Failed(format!("write: {e}"));
        }
        let mut buf = Vec::with_capacity(512);
        let mut chunk = [0u8; 512];
        loop {
            match parse_reply(&buf) {
                Reply::Incomplete => {}
                Reply::ServerHello { version: v, cipher } if v == version => {
                    return Legacy::Accepted { cipher };
                }
                Reply::ServerHello { version: v, .. } => {
                    return Legacy::Refused(format!("server answered with {}", version_name(v)));
                }
                Reply::Alert(code) => return Legacy::Refused(alert_name(code)),
                Reply::Garbage(what) => return Legacy::Failed(format!("not TLS: {what}")),
            }
            if buf.len() > 16 * 1024 {
                return Legacy::Failed("reply too long without a ServerHello".into());
            }
            if let Err(why) = read_more(&mut s, &mut chunk, &mut buf).await {
                return Legacy::Refused(why);
            }
        }
    };
    tokio::time::timeout(timeout, work)
        .await
        .unwrap_or(Legacy::NoAnswer)
}

/// Appends the server's next bytes to `buf`; `Err` says why none came (closed or reset).
pub(super) async fn read_more<S: AsyncRead + Unpin>(
    s: &mut S,
    chunk: &mut [u8],
    buf: &mut Vec<u8>,
) -> Result<(), String> {
    match s.read(chunk).await {
        Ok(0) => Err("connection closed".into()),
        Ok(n) => {
            buf.extend_from_slice(&chunk[..n]);
            Ok(())
        }
        Err(e) => Err(format!("connection reset ({e})")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hello_is_well_formed() {
        let h = client_hello(TLS11, Some("www.acme.example"), [1; 32]);
        assert_eq!(&h[..3], &[0x16, 0x03, 0x01]);
        let rec_len = u16::from_be_bytes([h[3], h[4]]) as usize;
        assert_eq!(rec_len, h.len() - 5);
        assert_eq!(h[5], 1, "client_hello");
        let hs_len = ((h[6] as usize) << 16) | ((h[7] as usize) << 8) | h[8] as usize;
        assert_eq!(hs_len, rec_len - 4);
        assert_eq!(&h[9..11], &[0x03, 0x02], "client_version 1.1");
        assert!(
            h.windows(16).any(|w| w == b"www.acme.example"),
            "SNI carried"
        );
        // No SNI for an IP literal.
        let h = client_hello(TLS10, Some("127.0.0.1"), [1; 32]);
        assert!(!h.windows(9).any(|w| w == b"127.0.0.1"));
    }

    #[test]
    fn hello_lets_p521_and_ed25519_servers_answer() {
        let h = client_hello_with(0x0303, &[0xc02b], ALL_GROUPS, Some("a.example"), [1; 32]);
        // supported_groups lists secp521r1 (0x0019) ...
        let groups = [
            0x00, 0x0a, 0x00, 0x0c, 0x00, 0x0a, 0x00, 0x17, 0x00, 0x18, 0x00, 0x19,
        ];
        assert!(h.windows(groups.len()).any(|w| w == groups), "{h:02x?}");
        // ... and signature_algorithms ecdsa_secp521r1_sha512 and ed25519.
        let at = h
            .windows(2)
            .position(|w| w == [0x00, 0x0d])
            .expect("signature_algorithms");
        let list = &h[at + 6..at + 6 + 0x1a];
        let schemes: Vec<u16> = list
            .chunks(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        assert!(
            schemes.contains(&0x0603) && schemes.contains(&0x0807),
            "{schemes:04x?}"
        );
    }

    #[test]
    fn reply_parsing() {
        assert_eq!(parse_reply(&[0x16, 3, 1]), Reply::Incomplete);
        assert_eq!(parse_reply(&[0x15, 3, 1, 0, 2, 2, 70]), Reply::Alert(70));
        // ServerHello 1.0, empty session id, suite c014.
        let mut body = vec![2, 0, 0, 38, 0x03, 0x01];
        body.extend_from_slice(&[0; 32]);
        body.push(0);
        body.extend_from_slice(&[0xc0, 0x14, 0]);
        let mut rec = vec![0x16, 3, 1, 0, body.len() as u8];
        rec.extend_from_slice(&body);
        assert_eq!(
            parse_reply(&rec),
            Reply::ServerHello {
                version: TLS10,
                cipher: Some(0xc014)
            }
        );
        // Truncated after the version: still incomplete.
        assert_eq!(parse_reply(&rec[..12]), Reply::Incomplete);
        assert!(matches!(parse_reply(b"HTTP/1.1 400"), Reply::Garbage(_)));
    }
}
