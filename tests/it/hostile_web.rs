//! The hostile web sandbox: raw-TCP servers on loopback that misbehave on purpose (a one-byte-a-
//! second drip, endless redirects to fresh URLs, a multi-gigabyte body, a gzip bomb, a 50 MB
//! HTML page, a JS bundle that is one 20 MB line, garbage on the TLS port, a TLS handshake that
//! stalls, a page closed without TLS close_notify, a bot challenge on every page, a cookie gate
//! redirecting to itself, a response head only browsers' leniency reads, a DNS server whose
//! answers are all
//! truncated), a hickory zone per case pointing at
//! 127.0.0.1, and one config file per case.
//!
//! Shared by the integration tests (`tests/it/hostile.rs`) and by `examples/hostile_server.rs`
//! (used by `bench/hostile.sh`), so it depends only on the library and its normal dependencies.
//! Every body is streamed from a fixed buffer: nothing here allocates what it sends.
#![allow(dead_code)]

use launchready::sandbox::dns::{ZoneText, start as start_dns};
use launchready::sandbox::web::Pki;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpListener;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Size of the "multi-gigabyte" body (declared in Content-Length, streamed lazily).
pub const HUGE_BODY: u64 = 4 * 1024 * 1024 * 1024;
/// Size of the big HTML page.
pub const BIG_HTML: u64 = 50 * 1024 * 1024;
/// Length of the one-line JS bundle.
pub const LONG_LINE: u64 = 20 * 1024 * 1024;
/// Compressed size of the gzip bomb (it inflates about 160x: ~1.3 GB).
pub const BOMB_COMPRESSED: u64 = 8 * 1024 * 1024;

/// What a hostile HTTP(S) server does after reading the request head.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Web {
    /// Writes a valid response one byte a second, headers included.
    Drip,
    /// 302 to a fresh URL (`/r/<n+1>`) on the same host, forever.
    RedirectForever,
    /// 200 with a 4 GiB body.
    HugeBody,
    /// 200 text/html, `Content-Encoding: gzip`, a deflate stream that inflates ~160x.
    GzipBomb,
    /// 200 text/html of 50 MB.
    BigHtml,
    /// `/` is a small page loading `/static/app.js`; that bundle is one 20 MB line with a fake
    /// secret 100 bytes before its end.
    LongLineJs,
    /// A small healthy-looking page (the plain-HTTP side of the TLS cases).
    Plain,
    /// Writes 4 KB of garbage bytes and closes (meant for the TLS port).
    Garbage,
    /// Reads the ClientHello and never answers (meant for the TLS port).
    TlsStall,
    /// A page whose body ends when the connection closes (no Content-Length, no chunking), the
    /// TLS connection then dropped without close_notify: what many real servers do, and what
    /// browsers and curl accept.
    NoCloseNotify,
    /// A cookie gate: without `gate=1`, a 302 to the same URL that sets it (a browser follows
    /// once and loads the page); with it, a small page.
    CookieGate,
    /// A page whose head browsers read but a strict parser refuses: 150 `Link` preload lines,
    /// a folded (obs-fold) header, a space before a colon and a line that is no header.
    OddHead,
    /// Cloudflare's bot challenge for every request: 503, `cf-mitigated: challenge`, a "Just a
    /// moment..." page (what a browser solves with JavaScript).
    Challenge,
}

/// One hostile case: its name, domain, ports and config file.
#[derive(Clone, Debug)]
pub struct Case {
    /// Short name (`drip`, `redirects`, ...).
    pub name: &'static str,
    /// The case's apex domain (`<name>.hostile.test`... see [`Hostile::start`]).
    pub domain: String,
    /// Plain HTTP port.
    pub http_port: u16,
    /// HTTPS port.
    pub https_port: u16,
    /// DNS server to audit with (`--dns-server`).
    pub dns: SocketAddr,
    /// The case's config file.
    pub config: PathBuf,
}

/// Every hostile server, started.
pub struct Hostile {
    /// The zone server for the web cases.
    pub dns: SocketAddr,
    /// The CA certificate (`--ca-file`).
    pub ca_path: PathBuf,
    /// The cases, in a fixed order.
    pub cases: Vec<Case>,
    dir: tempfile::TempDir,
}

/// The fake secret planted near the end of the 20 MB line (an AWS-style key id, built at run
/// time so no literal sits in the repo).
pub fn long_line_secret() -> String {
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let tail: String = (0..15u32)
        .map(|i| alphabet[((i * 7 + 3) % 32) as usize] as char)
        .collect();
    format!("AKIA{tail}7")
}

impl Hostile {
    /// Starts every hostile server (on the current tokio runtime) and writes one config per case.
    pub async fn start() -> Result<Hostile, BoxError> {
        launchready::net::install_crypto();
        let dir = tempfile::tempdir()?;
        let pki = Pki::new()?;
        let ca_path = dir.path().join("ca.pem");
        std::fs::write(&ca_path, &pki.ca_pem)?;
        let specs: [(&'static str, Web, Web); 12] = [
            ("drip", Web::Drip, Web::Drip),
            ("redirects", Web::RedirectForever, Web::RedirectForever),
            ("hugebody", Web::HugeBody, Web::HugeBody),
            ("gzipbomb", Web::GzipBomb, Web::GzipBomb),
            ("bightml", Web::BigHtml, Web::BigHtml),
            ("longline", Web::LongLineJs, Web::LongLineJs),
            ("tlsgarbage", Web::Plain, Web::Garbage),
            ("tlsstall", Web::Plain, Web::TlsStall),
            ("noclosenotify", Web::Plain, Web::NoCloseNotify),
            ("challenge", Web::Plain, Web::Challenge),
            ("cookiegate", Web::Plain, Web::CookieGate),
            ("oddhead", Web::Plain, Web::OddHead),
        ];
        let mut names = Vec::new();
        for (n, _, _) in &specs {
            names.push(format!("{n}.test"));
            names.push(format!("*.{n}.test"));
        }
        let names_ref: Vec<&str> = names.iter().map(String::as_str).collect();
        let leaf = pki.leaf(&names_ref)?;
        let tls = tls_acceptor(leaf)?;
        let mut zones = Vec::new();
        for (n, _, _) in &specs {
            zones.push(ZoneText {
                origin: format!("{n}.test"),
                records:
                    "@ NS ns1\nns1 A 127.0.0.1\n@ A 127.0.0.1\nwww A 127.0.0.1\napp A 127.0.0.1\n"
                        .to_string(),
            });
        }
        let dns = start_dns(&zones).await?;
        let mut cases = Vec::new();
        for (n, plain, secure) in specs {
            let http_port = serve(plain, None).await?;
            let https_port = serve(secure, Some(tls.clone())).await?;
            let domain = format!("{n}.test");
            let config = write_config(dir.path(), n, &domain, http_port, https_port)?;
            if n == "hugebody" {
                // An endpoint that declares a multi-gigabyte body and streams it: not a fast
                // success, an answer that never completes within the read cap.
                let mut text = std::fs::read_to_string(&config)?;
                text.push_str(&format!(
                    "\n[[endpoints]]\nname = \"export\"\nurl = \"https://{domain}:{https_port}/export\"\nsamples = 3\nconcurrency = 1\n"
                ));
                std::fs::write(&config, text)?;
            }
            cases.push(Case {
                name: n,
                domain,
                http_port,
                https_port,
                dns,
                config,
            });
        }
        // Truncated DNS: every UDP answer has TC set, TCP closes at once.
        let tdns = truncating_dns().await?;
        let domain = "truncated.test".to_string();
        let config = write_config(dir.path(), "truncated", &domain, 80, 443)?;
        cases.push(Case {
            name: "dnstruncated",
            domain,
            http_port: 80,
            https_port: 443,
            dns: tdns,
            config,
        });
        Ok(Hostile {
            dns,
            ca_path,
            cases,
            dir,
        })
    }

    /// The case called `name`.
    pub fn case(&self, name: &str) -> &Case {
        self.cases
            .iter()
            .find(|c| c.name == name)
            .unwrap_or_else(|| panic!("no hostile case {name}"))
    }

    /// The temp dir holding the configs.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

fn write_config(
    dir: &Path,
    name: &str,
    domain: &str,
    http: u16,
    https: u16,
) -> Result<PathBuf, BoxError> {
    let p = dir.join(format!("{name}.toml"));
    std::fs::write(
        &p,
        format!(
            "[target]\ndomain = \"{domain}\"\ncanonical = \"apex\"\nsubdomains = [\"app.{domain}\"]\n\
             http_port = {http}\nhttps_port = {https}\n"
        ),
    )?;
    Ok(p)
}

#[derive(Debug)]
struct OneCert(Arc<rustls::sign::CertifiedKey>);

impl rustls::server::ResolvesServerCert for OneCert {
    fn resolve(
        &self,
        _hello: rustls::server::ClientHello<'_>,
    ) -> Option<Arc<rustls::sign::CertifiedKey>> {
        Some(self.0.clone())
    }
}

fn tls_acceptor(
    leaf: Arc<rustls::sign::CertifiedKey>,
) -> Result<tokio_rustls::TlsAcceptor, BoxError> {
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()?
    .with_no_client_auth()
    .with_cert_resolver(Arc::new(OneCert(leaf)));
    Ok(tokio_rustls::TlsAcceptor::from(Arc::new(config)))
}

/// Binds 127.0.0.1:0 and serves `web` on it (through TLS when `tls` is set); returns the port.
async fn serve(web: Web, tls: Option<tokio_rustls::TlsAcceptor>) -> Result<u16, BoxError> {
    let l = TcpListener::bind("127.0.0.1:0").await?;
    let port = l.local_addr()?.port();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = l.accept().await {
            let tls = tls.clone();
            tokio::spawn(async move {
                match web {
                    Web::Garbage => {
                        let mut junk = vec![0u8; 4096];
                        let mut x: u32 = 0x9e37_79b9;
                        for b in junk.iter_mut() {
                            x ^= x << 13;
                            x ^= x >> 17;
                            x ^= x << 5;
                            *b = x as u8;
                        }
                        let _ = s.write_all(&junk).await;
                        let _ = s.shutdown().await;
                    }
                    Web::TlsStall => {
                        let mut buf = [0u8; 4096];
                        let _ = s.read(&mut buf).await; // the ClientHello
                        tokio::time::sleep(Duration::from_secs(3600)).await;
                    }
                    _ => match tls {
                        Some(acc) => {
                            let hs = tokio::time::timeout(Duration::from_secs(10), acc.accept(s));
                            if let Ok(Ok(t)) = hs.await {
                                respond(t, web, true, port).await;
                            }
                        }
                        None => respond(s, web, false, port).await,
                    },
                }
            });
        }
    });
    Ok(port)
}

/// Reads the request head (up to 16 KB); returns (path, host, cookie).
async fn read_head<S: AsyncRead + Unpin>(s: &mut S) -> Option<(String, String, String)> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 2048];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") && buf.len() < 16 * 1024 {
        let n = tokio::time::timeout(Duration::from_secs(10), s.read(&mut chunk))
            .await
            .ok()?
            .ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let head = String::from_utf8_lossy(&buf);
    let path = head.split_whitespace().nth(1).unwrap_or("/").to_string();
    let field = |name: &str| {
        head.lines()
            .find_map(|l| {
                let (k, v) = l.split_once(':')?;
                k.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
            })
            .unwrap_or_default()
    };
    Some((path, field("host"), field("cookie")))
}

/// Writes `head` then `len` bytes taken cyclically from `pattern` (never allocating `len`).
async fn stream<S: AsyncWrite + Unpin>(s: &mut S, head: &str, pattern: &[u8], len: u64) {
    if s.write_all(head.as_bytes()).await.is_err() {
        return;
    }
    let mut block = Vec::with_capacity(64 * 1024);
    while block.len() + pattern.len() <= 64 * 1024 {
        block.extend_from_slice(pattern);
    }
    let mut left = len;
    while left > 0 {
        let n = left.min(block.len() as u64) as usize;
        if s.write_all(&block[..n]).await.is_err() {
            return;
        }
        left -= n as u64;
    }
    let _ = s.shutdown().await;
}

async fn respond<S: AsyncRead + AsyncWrite + Unpin>(mut s: S, web: Web, tls: bool, port: u16) {
    let Some((path, host, cookie)) = read_head(&mut s).await else {
        return;
    };
    match web {
        Web::Drip => {
            let resp = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 600\r\n\r\n\
                        <!doctype html><title>drip</title>";
            for b in resp.as_bytes() {
                if s.write_all(&[*b]).await.is_err() || s.flush().await.is_err() {
                    return;
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
        Web::RedirectForever => {
            let n: u64 = path
                .strip_prefix("/r/")
                .and_then(|x| x.parse().ok())
                .unwrap_or(0);
            let scheme = if tls { "https" } else { "http" };
            let host = if host.is_empty() {
                format!("127.0.0.1:{port}")
            } else {
                host
            };
            let resp = format!(
                "HTTP/1.1 302 Found\r\nLocation: {scheme}://{host}/r/{}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                n + 1
            );
            let _ = s.write_all(resp.as_bytes()).await;
            let _ = s.shutdown().await;
        }
        Web::HugeBody => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {HUGE_BODY}\r\n\r\n"
            );
            stream(&mut s, &head, b"0123456789abcdef", HUGE_BODY).await;
        }
        Web::GzipBomb => {
            let (prefix, period) = gzip_bomb_parts();
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\nContent-Length: {}\r\n\r\n",
                prefix.len() as u64 + BOMB_COMPRESSED
            );
            if s.write_all(head.as_bytes()).await.is_err() || s.write_all(&prefix).await.is_err() {
                return;
            }
            stream(&mut s, "", &period, BOMB_COMPRESSED).await;
        }
        Web::BigHtml => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\r\n<!doctype html><html><body>",
                BIG_HTML
            );
            // 27 bytes of prologue above; the rest is nested markup and scripts, all same-site.
            stream(
                &mut s,
                &head,
                b"<div class=\"x\"><p>hostile</p><img src=\"/i.png\"></div>\n",
                BIG_HTML - 27,
            )
            .await;
        }
        Web::LongLineJs => {
            if path.starts_with("/static/app.js") {
                let secret = long_line_secret();
                let tail = format!(
                    "var k=\"{secret}\";{}\n",
                    "/".repeat(100 - 8 - secret.len())
                );
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/javascript\r\nContent-Length: {LONG_LINE}\r\n\r\n"
                );
                // One line: no newline until the very end.
                let body_len = LONG_LINE - tail.len() as u64;
                if s.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let mut block = Vec::with_capacity(64 * 1024);
                while block.len() + 16 <= 64 * 1024 {
                    block.extend_from_slice(b"a=a+1;b=b*2;c=0;");
                }
                let mut left = body_len;
                while left > 0 {
                    let n = left.min(block.len() as u64) as usize;
                    if s.write_all(&block[..n]).await.is_err() {
                        return;
                    }
                    left -= n as u64;
                }
                let _ = s.write_all(tail.as_bytes()).await;
                let _ = s.shutdown().await;
            } else {
                let body = "<!doctype html><html><head><script src=\"/static/app.js\"></script></head><body>app</body></html>";
                let resp = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{body}",
                    body.len()
                );
                let _ = s.write_all(resp.as_bytes()).await;
                let _ = s.shutdown().await;
            }
        }
        Web::NoCloseNotify => {
            let resp = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nConnection: close\r\n\r\n\
                        <!doctype html><html><head><title>Closed without close_notify</title></head>\
                        <body><h1>Body delimited by the connection's end</h1></body></html>";
            let _ = s.write_all(resp.as_bytes()).await;
            let _ = s.flush().await;
            // Dropped, not shut down: no close_notify.
            drop(s);
        }
        Web::CookieGate if !cookie.split(';').any(|c| c.trim() == "gate=1") => {
            let resp = format!(
                "HTTP/1.1 302 Found\r\nLocation: {path}\r\nSet-Cookie: gate=1; Path=/; Secure; HttpOnly\r\n\
                 Content-Length: 0\r\nConnection: close\r\n\r\n"
            );
            let _ = s.write_all(resp.as_bytes()).await;
            let _ = s.shutdown().await;
        }
        Web::OddHead => {
            let body = "<!doctype html><title>odd head</title>";
            let mut head = String::from("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n");
            for i in 0..150 {
                head.push_str(&format!(
                    "Link: </static/chunk{i}.js>; rel=preload; as=script\r\n"
                ));
            }
            head.push_str("X-Long: first part\r\n  continued part\r\n");
            head.push_str("X-Spaced : value\r\n");
            head.push_str("X Bad{Name: value\r\n");
            head.push_str(&format!(
                "Connection: close\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            ));
            let _ = s.write_all(head.as_bytes()).await;
            let _ = s.shutdown().await;
        }
        Web::Challenge => {
            let body = "<!DOCTYPE html><html><head><title>Just a moment...</title></head>\
                        <body>Checking your browser before accessing the site.</body></html>";
            let resp = format!(
                "HTTP/1.1 503 Service Unavailable\r\nServer: cloudflare\r\ncf-mitigated: challenge\r\n\
                 Content-Type: text/html; charset=UTF-8\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            );
            let _ = s.write_all(resp.as_bytes()).await;
            let _ = s.shutdown().await;
        }
        Web::Plain | Web::Garbage | Web::TlsStall | Web::CookieGate => {
            let body = "<!doctype html><title>plain</title>";
            let resp = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            );
            let _ = s.write_all(resp.as_bytes()).await;
            let _ = s.shutdown().await;
        }
    }
}

/// LSB-first bit writer for the deflate stream.
struct Bits {
    out: Vec<u8>,
    acc: u64,
    n: u32,
}

impl Bits {
    fn put(&mut self, value: u64, count: u32) {
        self.acc |= value << self.n;
        self.n += count;
        while self.n >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }
    /// A Huffman code: written most significant bit first.
    fn code(&mut self, code: u64, len: u32) {
        for i in (0..len).rev() {
            self.put((code >> i) & 1, 1);
        }
    }
}

/// A gzip member holding one fixed-Huffman deflate block: the literal `0`, then "copy 258 bytes
/// from distance 1" over and over (13 bits for 258 output bytes). From byte 15 on the stream is
/// periodic with a 13-byte period, so the body is `prefix` + `period` repeated: any length,
/// nothing allocated. (The block never ends, like a bomb that is cut off; nothing should get
/// far enough to notice.)
pub fn gzip_bomb_parts() -> (Vec<u8>, Vec<u8>) {
    let mut b = Bits {
        out: vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255],
        acc: 0,
        n: 0,
    };
    b.put(1, 1); // BFINAL
    b.put(1, 2); // BTYPE = 01, fixed Huffman
    b.code(0x30, 8); // literal 0
    for _ in 0..16 {
        b.code(0b1100_0101, 8); // length code 285 = 258
        b.code(0, 5); // distance code 0 = 1
    }
    // Header is 10 bytes; bits 11.. of the deflate data repeat every 104 bits (13 bytes), so
    // deflate bytes 2.. (stream bytes 12..) are periodic.
    let prefix = b.out[..12].to_vec();
    let period = b.out[12..25].to_vec();
    (prefix, period)
}

/// A DNS server whose every UDP answer is truncated (TC=1, no records) and whose TCP side
/// accepts and closes at once.
pub async fn truncating_dns() -> Result<SocketAddr, BoxError> {
    let (udp, tcp) = udp_tcp_pair().await?;
    let addr = udp.local_addr()?;
    tokio::spawn(async move {
        let mut buf = [0u8; 4096];
        while let Ok((n, peer)) = udp.recv_from(&mut buf).await {
            if n < 12 {
                continue;
            }
            let mut resp = buf[..n].to_vec();
            resp[2] = 0x80 | 0x04 | 0x02 | (buf[2] & 0x01) | (buf[2] & 0x78); // QR, AA, TC, RD
            resp[3] = 0x80; // RA, NOERROR
            resp[6..12].fill(0);
            let qend = question_end(&resp).unwrap_or(n).min(n);
            resp.truncate(qend);
            let _ = udp.send_to(&resp, peer).await;
        }
    });
    tokio::spawn(async move {
        while let Ok((s, _)) = tcp.accept().await {
            drop(s);
        }
    });
    Ok(addr)
}

/// Byte offset just past the question section of a DNS message.
pub fn question_end(msg: &[u8]) -> Option<usize> {
    let mut i = 12;
    loop {
        let len = *msg.get(i)? as usize;
        i += 1;
        if len == 0 {
            break;
        }
        i += len;
    }
    Some(i + 4)
}

#[test]
fn gzip_bomb_prefix_is_a_valid_fixed_block_start() {
    let (prefix, period) = gzip_bomb_parts();
    assert_eq!(&prefix[..3], &[0x1f, 0x8b, 8]);
    assert_eq!(period.len(), 13);
    // The periodic part really repeats: regenerate a longer stream and compare.
    let mut b = Bits {
        out: Vec::new(),
        acc: 0,
        n: 0,
    };
    b.put(1, 1);
    b.put(1, 2);
    b.code(0x30, 8);
    for _ in 0..64 {
        b.code(0b1100_0101, 8);
        b.code(0, 5);
    }
    for k in 0..5 {
        assert_eq!(&b.out[2 + 13 * k..15 + 13 * k], &period[..]);
    }
}

/// A UDP socket and a TCP listener on the same loopback port (what a DNS server needs). The
/// port is chosen by binding UDP first; another process may hold that TCP port, so retry.
pub async fn udp_tcp_pair() -> std::io::Result<(tokio::net::UdpSocket, tokio::net::TcpListener)> {
    let mut last = None;
    for _ in 0..50 {
        let udp = tokio::net::UdpSocket::bind("127.0.0.1:0").await?;
        match tokio::net::TcpListener::bind(udp.local_addr()?).await {
            Ok(tcp) => return Ok((udp, tcp)),
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no free UDP+TCP port pair")))
}
