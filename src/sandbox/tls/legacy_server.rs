//! An OpenSSL TLS front for the sandbox hosts that rustls cannot serve: CBC-only, DHE-only and
//! 512-bit-RSA servers. The shared HTTPS port peeks at each ClientHello's SNI (RFC 6066 §3)
//! and hands the connection to OpenSSL for those names, to rustls for every other name.

use openssl::ssl::SslAcceptor;
use std::collections::HashMap;
use std::time::Duration;
use tokio::net::TcpStream;

/// OpenSSL acceptors by SNI name.
pub type LegacyHosts = HashMap<String, SslAcceptor>;

fn u16_at(b: &[u8], at: usize) -> Option<usize> {
    Some(u16::from_be_bytes([*b.get(at)?, *b.get(at + 1)?]) as usize)
}

/// The SNI host name of a ClientHello record, if the bytes hold a complete one.
pub fn sni_of(rec: &[u8]) -> Option<String> {
    if rec.first() != Some(&0x16) || rec.get(5) != Some(&1) {
        return None;
    }
    // record(5) type(1) len(3) version(2) random(32)
    let mut at = 5 + 4 + 2 + 32;
    at += 1 + *rec.get(at)? as usize; // session id
    at += 2 + u16_at(rec, at)?; // cipher suites
    at += 1 + *rec.get(at)? as usize; // compression methods
    let ext_end = at + 2 + u16_at(rec, at)?;
    at += 2;
    while at + 4 <= ext_end.min(rec.len()) {
        let (kind, len) = (u16_at(rec, at)?, u16_at(rec, at + 2)?);
        if kind == 0 {
            // list length(2) type(1) name length(2) name
            let n = u16_at(rec, at + 7)?;
            let name = rec.get(at + 9..at + 9 + n)?;
            return Some(String::from_utf8_lossy(name).to_ascii_lowercase());
        }
        at += 4 + len;
    }
    None
}

/// Peeks at the start of the connection until a ClientHello's SNI can be read (or gives up
/// after five seconds, as a loaded machine may take a while).
pub async fn peek_sni(stream: &TcpStream) -> Option<String> {
    let mut buf = vec![0u8; 4096];
    let work = async {
        loop {
            let n = stream.peek(&mut buf).await.ok()?;
            if n == 0 {
                return None;
            }
            let rec_len = if n >= 5 {
                u16_at(&buf, 3).map(|l| l + 5)
            } else {
                None
            };
            if let Some(l) = rec_len
                && (n >= l || n == buf.len())
            {
                return sni_of(&buf[..n]);
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    };
    tokio::time::timeout(Duration::from_secs(5), work)
        .await
        .ok()
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_sni_of_a_client_hello() {
        let hello =
            crate::checks::tls::legacy::client_hello(0x0303, Some("cbc.acme.test"), [1; 32]);
        assert_eq!(sni_of(&hello).as_deref(), Some("cbc.acme.test"));
        assert_eq!(sni_of(&hello[..20]), None);
        assert_eq!(sni_of(b"GET / HTTP/1.1\r\n"), None);
    }
}
