//! `tls.*`: the certificate and protocols of every public host — apex, www, every subdomain and
//! every endpoint host — on the https port, all probed at once.
//!
//! Each host gets one rustls handshake (TLS 1.2/1.3) through a verifier that accepts anything
//! and so captures the served chain even when it is invalid; the chain is then judged apart
//! (expiry, name, path to the web PKI roots plus `--ca-file`, missing intermediates, key size).
//! TLS 1.0 and 1.1, which rustls cannot speak, are probed with a hand-built ClientHello
//! ([`legacy`]); so are servers that rustls cannot talk to because they only negotiate CBC,
//! static-RSA or DHE suites ([`suites`]): their chain is read from the cleartext TLS 1.2
//! Certificate message and judged like any other. The issuing CA is named ([`renewal`]) to
//! judge manual renewal and the CAA records that a renewal will meet. Every connection has a connect and a handshake timeout, so a server that accepts
//! TCP and then stays silent becomes `tls.no_https` within seconds.
//!
//! Hosts that do not resolve are left to the `dns` check.

pub mod cert;
pub mod legacy;
pub mod renewal;
pub mod suites;

use super::{Check, CheckError, Cx, Sink};
use crate::catalogue::tls as spec;
use crate::finding::CheckName;
use crate::model::Measurement;
use crate::net::Net;
use cert::{CertInfo, Trust};
use futures::future::{BoxFuture, join_all};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::{DigitallySignedStruct, SignatureScheme};
use rustls_pki_types::{CertificateDer, ServerName, UnixTime};
use serde_json::json;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::net::TcpStream;

/// The TLS check.
pub struct Tls;

impl Check for Tls {
    fn name(&self) -> CheckName {
        CheckName::Tls
    }

    fn run(&self, cx: Arc<Cx>, sink: Sink) -> BoxFuture<'static, Result<(), CheckError>> {
        Box::pin(async move { run(&cx, &sink).await })
    }
}

/// Time allowed for the TCP connect, and again for the TLS handshake (and for each legacy
/// probe's answer): half the per-operation timeout (5 s by default).
fn step_timeout(net: &Net) -> Duration {
    net.op_timeout / 2
}
/// AIA fetches: time and size.
const AIA_TIMEOUT: Duration = Duration::from_secs(5);
const AIA_CAP: usize = 64 * 1024;

/// One host and port to probe.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Target {
    host: String,
    port: u16,
}

impl Target {
    fn subject(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

/// Apex, www, subdomains, then endpoint hosts (an https URL's explicit port wins over
/// `https_port`), without duplicates.
fn targets(cfg: &crate::config::Config) -> Vec<Target> {
    let t = &cfg.target;
    let mut out: Vec<Target> = Vec::new();
    let mut add = |host: String, port: u16| {
        let tg = Target {
            host: host.trim_end_matches('.').to_ascii_lowercase(),
            port,
        };
        if !out.contains(&tg) {
            out.push(tg);
        }
    };
    add(t.domain.clone(), t.https_port);
    add(t.www(), t.https_port);
    for s in &t.subdomains {
        add(s.clone(), t.https_port);
    }
    // Endpoints declared over plain http (a staging box, a local port) are not TLS endpoints.
    for e in &cfg.endpoints {
        let url = e.url.expose();
        if url.scheme() != "https" {
            continue;
        }
        if let Some(host) = url.host_str() {
            let host = host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .to_string();
            add(host, url.port().unwrap_or(443));
        }
    }
    out
}

/// How a host's addresses came out.
enum Addrs {
    Found(Vec<IpAddr>),
    /// NXDOMAIN / NODATA: the dns check reports it.
    Missing(String),
    /// The resolver failed.
    Failed(String),
}

async fn addresses(net: &Net, host: &str) -> Addrs {
    if let Ok(ip) = host.parse::<IpAddr>() {
        return Addrs::Found(vec![ip]);
    }
    let addrs = net.host_addrs(host).await;
    let ips = addrs.ips();
    if !ips.is_empty() {
        Addrs::Found(ips)
    } else if addrs.failed() {
        Addrs::Failed(addrs.describe())
    } else {
        Addrs::Missing(addrs.describe())
    }
}

/// Accepts any certificate (recording the chain) so the chain can be judged afterwards. The
/// handshake signature is still checked, but a failure is only noted: ring cannot verify
/// signatures made with RSA keys under 2048 bits, and those servers must still be inspected.
#[derive(Debug)]
struct Capture {
    provider: Arc<CryptoProvider>,
    chain: Mutex<Vec<CertificateDer<'static>>>,
    signature_note: Mutex<Option<String>>,
}

impl Capture {
    fn note(&self, r: Result<HandshakeSignatureValid, rustls::Error>) -> HandshakeSignatureValid {
        if let Err(e) = r
            && let Ok(mut n) = self.signature_note.lock()
        {
            *n = Some(e.to_string());
        }
        HandshakeSignatureValid::assertion()
    }
}

impl ServerCertVerifier for Capture {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if let Ok(mut c) = self.chain.lock() {
            *c = std::iter::once(end_entity)
                .chain(intermediates)
                .map(|c| c.clone().into_owned())
                .collect();
        }
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        Ok(self.note(rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )))
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        Ok(self.note(rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )))
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// Sends no client certificate, but remembers whether the server asked for one
/// (CertificateRequest, RFC 8446 §4.3.2 / RFC 5246 §7.4.4).
#[derive(Debug, Default)]
struct AskedForCert(std::sync::atomic::AtomicBool);

impl rustls::client::ResolvesClientCert for AskedForCert {
    fn resolve(
        &self,
        _root_hint_subjects: &[&[u8]],
        _sigschemes: &[SignatureScheme],
    ) -> Option<Arc<rustls::sign::CertifiedKey>> {
        self.0.store(true, std::sync::atomic::Ordering::Relaxed);
        None
    }

    fn has_certs(&self) -> bool {
        false
    }
}

/// What a server that asked for a client certificate did when it got none.
#[derive(Debug, Clone, PartialEq, Eq)]
enum ClientCert {
    /// It answered a request anyway.
    Optional,
    /// It ended the connection (why).
    Required(String),
    /// It neither answered nor closed in time.
    Unknown,
}

/// What one completed (or certificate-yielding) handshake showed.
#[derive(Debug, Clone)]
struct Handshake {
    addr: SocketAddr,
    chain: Vec<CertificateDer<'static>>,
    version: Option<String>,
    cipher: Option<String>,
    elapsed: Duration,
    /// The handshake failed after the certificate was seen.
    late_error: Option<String>,
    signature_note: Option<String>,
    /// Set when rustls could not talk to the server and the chain was read from a hand-built
    /// TLS 1.2 exchange instead.
    raw: Option<RawTls>,
    /// Why rustls failed, when the chain was read another way (hand-built TLS 1.2 exchange or
    /// an OpenSSL handshake).
    rustls_failed: Option<String>,
    /// Set when the server asked for a client certificate.
    client_cert: Option<ClientCert>,
    /// Set (with the proof) when the server completes a key exchange only on groups that
    /// Chrome, Edge and rustls do not offer.
    groups_refused: Option<String>,
}

/// What the hand-built TLS 1.2 exchange showed about a server rustls could not talk to.
#[derive(Debug, Clone)]
struct RawTls {
    /// Why rustls failed.
    rustls_error: String,
    /// The suite chosen when every family was offered.
    suite: u16,
    /// Each family offered alone, and the answer.
    families: Vec<(suites::Family, suites::Answer)>,
    /// Size of the Certificate message body.
    cert_bytes: Option<usize>,
}

impl RawTls {
    fn accepted(&self) -> Vec<suites::Family> {
        self.families
            .iter()
            .filter(|(_, a)| matches!(a, suites::Answer::Accepted { .. }))
            .map(|(f, _)| *f)
            .collect()
    }

    fn describe(&self) -> String {
        let each: Vec<String> = self
            .families
            .iter()
            .map(|(f, a)| format!("{}: {}", f.label(), suites::describe_answer(a)))
            .collect();
        format!(
            "rustls (TLS 1.2/1.3, ECDHE with AEAD suites only) failed: {}; a TLS 1.2 ClientHello \
             offering every family got a ServerHello with {} (0x{:04x}); one family at a time: {}",
            self.rustls_error,
            suites::suite_name(self.suite),
            self.suite,
            each.join("; ")
        )
    }
}

/// The outcome of probing one host.
enum Probe {
    Unresolved(String),
    ResolveFailed(String),
    /// Every address is one the connection guard refuses (link-local, metadata...).
    Refused(String),
    /// No TCP connection, or no TLS handshake (cause), on this address if one was reached.
    NoTls {
        addr: Option<SocketAddr>,
        cause: String,
        /// The server answered something (so legacy probing is worth it).
        answered: bool,
        /// rustls stopped at a handshake message over its 64 KiB limit.
        too_large: bool,
    },
    Tls(Box<Handshake>),
}

fn version_name(v: rustls::ProtocolVersion) -> String {
    match v {
        rustls::ProtocolVersion::TLSv1_3 => "TLS 1.3".into(),
        rustls::ProtocolVersion::TLSv1_2 => "TLS 1.2".into(),
        other => format!("{other:?}"),
    }
}

async fn connect(
    net: &Net,
    host: &str,
    addrs: &[IpAddr],
    port: u16,
) -> Result<(TcpStream, SocketAddr), String> {
    let mut errors = Vec::new();
    for ip in addrs.iter().take(3) {
        let sa = SocketAddr::new(*ip, port);
        match net.guard.connect(host, sa, step_timeout(net)).await {
            Ok(s) => return Ok((s, sa)),
            Err(e) => errors.push(format!("{sa}: {e}")),
        }
    }
    Err(errors.join("; "))
}

async fn probe(net: &Net, t: &Target) -> Probe {
    let ips = match addresses(net, &t.host).await {
        Addrs::Found(ips) => ips,
        Addrs::Missing(why) => return Probe::Unresolved(why),
        Addrs::Failed(why) => return Probe::ResolveFailed(why),
    };
    let ips = match net.guard.filter(&t.host, &ips) {
        Ok(ips) => ips,
        Err(refused) => return Probe::Refused(refused.to_string()),
    };
    let (tcp, addr) = match connect(net, &t.host, &ips, t.port).await {
        Ok(x) => x,
        Err(cause) => {
            return Probe::NoTls {
                addr: None,
                cause,
                answered: false,
                too_large: false,
            };
        }
    };
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let capture = Arc::new(Capture {
        provider: provider.clone(),
        chain: Mutex::new(Vec::new()),
        signature_note: Mutex::new(None),
    });
    let asked = Arc::new(AskedForCert::default());
    let config = match rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
    {
        Ok(b) => b
            .dangerous()
            .with_custom_certificate_verifier(capture.clone())
            .with_client_cert_resolver(asked.clone()),
        Err(e) => {
            return Probe::NoTls {
                addr: Some(addr),
                cause: format!("TLS client setup: {e}"),
                answered: false,
                too_large: false,
            };
        }
    };
    let name = match ServerName::try_from(t.host.clone()) {
        Ok(n) => n,
        Err(e) => {
            return Probe::NoTls {
                addr: Some(addr),
                cause: format!("not a valid server name: {e}"),
                answered: false,
                too_large: false,
            };
        }
    };
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let t0 = Instant::now();
    let limit = step_timeout(net);
    let result = tokio::time::timeout(limit, connector.connect(name, tcp)).await;
    let elapsed = t0.elapsed();
    let chain = capture.chain.lock().map(|c| c.clone()).unwrap_or_default();
    let signature_note = capture.signature_note.lock().ok().and_then(|n| n.clone());
    match result {
        Err(_) => Probe::NoTls {
            addr: Some(addr),
            cause: format!(
                "TCP connection to {addr} accepted, but no TLS handshake completed within {} s",
                limit.as_secs_f64()
            ),
            answered: false,
            too_large: false,
        },
        Ok(Ok(mut stream)) => {
            let client_cert = if asked.0.load(std::sync::atomic::Ordering::Relaxed) {
                Some(client_cert_outcome(&mut stream, &t.host, limit).await)
            } else {
                None
            };
            let (_, conn) = stream.get_ref();
            Probe::Tls(Box::new(Handshake {
                addr,
                chain: if chain.is_empty() {
                    conn.peer_certificates()
                        .map(|c| c.iter().map(|c| c.clone().into_owned()).collect())
                        .unwrap_or_default()
                } else {
                    chain
                },
                version: conn.protocol_version().map(version_name),
                cipher: conn
                    .negotiated_cipher_suite()
                    .map(|s| format!("{:?}", s.suite())),
                elapsed,
                late_error: None,
                signature_note,
                raw: None,
                rustls_failed: None,
                client_cert,
                groups_refused: None,
            }))
        }
        Ok(Err(e)) if !chain.is_empty() => Probe::Tls(Box::new(Handshake {
            addr,
            chain,
            version: None,
            cipher: None,
            elapsed,
            late_error: Some(e.to_string()),
            signature_note,
            raw: None,
            rustls_failed: None,
            // TLS 1.2 servers refuse a missing client certificate inside the handshake.
            client_cert: asked
                .0
                .load(std::sync::atomic::Ordering::Relaxed)
                .then(|| ClientCert::Required(e.to_string())),
            groups_refused: None,
        })),
        Ok(Err(e)) => Probe::NoTls {
            addr: Some(addr),
            cause: format!("TLS 1.2/1.3 handshake with {addr} failed: {e}"),
            answered: true,
            too_large: matches!(
                rustls_error(&e),
                Some(rustls::Error::InvalidMessage(
                    rustls::InvalidMessage::HandshakePayloadTooLarge
                ))
            ),
        },
    }
}

/// After a handshake in which the server asked for a client certificate and got none: a TLS
/// 1.3 server that requires one ends the connection only now (certificate_required alert), so
/// one `GET /` (one byte of the answer read) tells a required certificate from an optional one.
async fn client_cert_outcome(
    stream: &mut tokio_rustls::client::TlsStream<TcpStream>,
    host: &str,
    limit: Duration,
) -> ClientCert {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let req = format!("GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    let answer = tokio::time::timeout(limit, async {
        stream.write_all(req.as_bytes()).await?;
        let mut b = [0u8; 1];
        stream.read(&mut b).await
    })
    .await;
    match answer {
        Ok(Ok(0)) => {
            ClientCert::Required("the server closed the connection without answering".into())
        }
        Ok(Ok(_)) => ClientCert::Optional,
        Ok(Err(e)) => ClientCert::Required(e.to_string()),
        Err(_) => ClientCert::Unknown,
    }
}

/// The rustls error inside a tokio-rustls I/O error, if that is what it is.
fn rustls_error(e: &std::io::Error) -> Option<&rustls::Error> {
    e.get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>())
}

/// rustls could not talk to a server that answered: reads the chain from a hand-built TLS 1.2
/// exchange, and which suite families the server accepts. `None` when TLS 1.2 is refused too.
async fn fallback(
    net: &Net,
    addr: SocketAddr,
    host: &str,
    rustls_cause: &str,
) -> Option<Handshake> {
    let guard = &net.guard;
    let limit = step_timeout(net);
    let t0 = Instant::now();
    let all = suites::probe(
        guard,
        addr,
        Some(host),
        &suites::Family::ALL,
        legacy::ALL_GROUPS,
        true,
        limit,
    )
    .await;
    let elapsed = t0.elapsed();
    let suites::Answer::Accepted {
        suite,
        chain,
        cert_bytes,
    } = all
    else {
        return None;
    };
    if chain.is_empty() && cert_bytes.is_none() {
        return None;
    }
    let each = join_all(suites::Family::ALL.iter().map(|f| async move {
        (
            *f,
            suites::probe(
                guard,
                addr,
                Some(host),
                &[*f],
                legacy::ALL_GROUPS,
                false,
                limit,
            )
            .await,
        )
    }));
    // ECDHE with only the groups browsers offer: a server whose ECDHE needs P-521 refuses it.
    let ecdhe = [suites::Family::EcdheAead, suites::Family::EcdheCbc];
    let browser = suites::probe(
        guard,
        addr,
        Some(host),
        &ecdhe,
        legacy::BROWSER_GROUPS,
        false,
        limit,
    );
    let (families, browser_groups) = tokio::join!(each, browser);
    let ecdhe_accepted = families
        .iter()
        .any(|(f, a)| ecdhe.contains(f) && matches!(a, suites::Answer::Accepted { .. }));
    // Only a refusal proves it: a probe that timed out or failed proves nothing.
    let groups_refused = match browser_groups {
        _ if !ecdhe_accepted => None,
        suites::Answer::Accepted { .. } | suites::Answer::TimedOut | suites::Answer::Failed(_) => {
            None
        }
        other @ suites::Answer::Refused(_) => Some(format!(
            "a TLS 1.2 ClientHello offering the ECDHE suites with x25519, P-256 and P-384 (the \
             groups Chrome, Edge and rustls offer): {}; with P-521 and ffdhe2048 offered too: \
             ServerHello with {}",
            suites::describe_answer(&other),
            suites::suite_name(suite)
        )),
    };
    Some(Handshake {
        addr,
        chain,
        version: Some("TLS 1.2".into()),
        cipher: Some(suites::suite_name(suite)),
        elapsed,
        late_error: None,
        signature_note: None,
        raw: Some(RawTls {
            rustls_error: rustls_cause.to_string(),
            suite,
            families,
            cert_bytes,
        }),
        rustls_failed: Some(rustls_cause.to_string()),
        client_cert: None,
        groups_refused,
    })
}

/// rustls could not talk to a server that refused the hand-built TLS 1.2 exchange too (a
/// TLS 1.3-only server with a key rustls cannot verify, say): one OpenSSL handshake, TLS 1.2
/// or 1.3 and no verification, reads the chain the way curl would before judging it. `None`
/// when OpenSSL cannot complete a handshake either.
async fn openssl_handshake(
    net: &Net,
    addr: SocketAddr,
    host: &str,
    rustls_cause: &str,
) -> Option<Handshake> {
    // First with the browsers' groups only, then with OpenSSL's defaults (P-521, X448 and the
    // finite-field groups too): a server only the second reaches has no group browsers offer.
    let (stream, elapsed, groups_refused) = match openssl_connect(
        net,
        addr,
        host,
        Some("X25519:P-256:P-384"),
    )
    .await
    {
        Ok((s, e)) => (s, e, None),
        Err(first) => {
            let (s, e) = openssl_connect(net, addr, host, None).await.ok()?;
            // Only the server's refusal (an alert) proves the groups are the cause; a first
            // try that timed out or was cut proves nothing.
            let why = first.alert.then(|| {
                format!(
                "an OpenSSL handshake offering only the groups Chrome, Edge and rustls offer \
                     (x25519, P-256, P-384) was refused ({}); with OpenSSL's default groups (P-521, \
                     X448 and the finite-field groups too) it completed",
                    first.reason
                )
            });
            (s, e, why)
        }
    };
    let ssl = stream.ssl();
    let chain: Vec<CertificateDer<'static>> = ssl
        .peer_cert_chain()?
        .iter()
        .filter_map(|c| c.to_der().ok())
        .map(CertificateDer::from)
        .collect();
    if chain.is_empty() {
        return None;
    }
    let version = match ssl.version_str() {
        "TLSv1.3" => "TLS 1.3".to_string(),
        "TLSv1.2" => "TLS 1.2".to_string(),
        other => other.to_string(),
    };
    let cipher = ssl
        .current_cipher()
        .map(|c| c.standard_name().unwrap_or(c.name()).to_string());
    Some(Handshake {
        addr,
        chain,
        version: Some(version),
        cipher,
        elapsed,
        late_error: None,
        signature_note: None,
        raw: None,
        rustls_failed: Some(rustls_cause.to_string()),
        client_cert: None,
        groups_refused,
    })
}

/// Why an OpenSSL handshake failed.
struct OpensslFailure {
    /// OpenSSL's reason, or the I/O error.
    reason: String,
    /// The server refused with a TLS alert (OpenSSL's SSL_R_*_ALERT_* reasons are 1000 + the
    /// alert's code), as opposed to a timeout or a cut connection.
    alert: bool,
}

/// One OpenSSL handshake (TLS 1.2 or 1.3, no verification) offering `groups` (OpenSSL's
/// defaults when `None`): the stream and the handshake time, or why it failed.
async fn openssl_connect(
    net: &Net,
    addr: SocketAddr,
    host: &str,
    groups: Option<&str>,
) -> Result<(tokio_openssl::SslStream<TcpStream>, Duration), OpensslFailure> {
    use openssl::ssl::{SslConnector, SslMethod, SslVerifyMode, SslVersion};
    let limit = step_timeout(net);
    let fail = |reason: String| OpensslFailure {
        reason,
        alert: false,
    };
    let setup = |e: openssl::error::ErrorStack| fail(format!("OpenSSL setup: {e}"));
    let mut b = SslConnector::builder(SslMethod::tls_client()).map_err(setup)?;
    b.set_verify(SslVerifyMode::NONE);
    b.set_security_level(0);
    b.set_min_proto_version(Some(SslVersion::TLS1_2))
        .map_err(setup)?;
    if let Some(g) = groups {
        b.set_groups_list(g).map_err(setup)?;
    }
    let ssl = b
        .build()
        .configure()
        .map_err(setup)?
        .verify_hostname(false)
        .into_ssl(host)
        .map_err(setup)?;
    let tcp = net
        .guard
        .connect(host, addr, limit)
        .await
        .map_err(|e| fail(e.to_string()))?;
    let mut stream = tokio_openssl::SslStream::new(ssl, tcp).map_err(setup)?;
    let t0 = Instant::now();
    match tokio::time::timeout(limit, std::pin::Pin::new(&mut stream).connect()).await {
        Ok(Ok(())) => Ok((stream, t0.elapsed())),
        Ok(Err(e)) => {
            let first = e.ssl_error().and_then(|s| s.errors().first());
            Err(OpensslFailure {
                // OpenSSL's reason ("sslv3 alert handshake failure"), not its file:line dump.
                reason: first
                    .and_then(|x| x.reason())
                    .map(str::to_string)
                    .unwrap_or_else(|| e.to_string()),
                alert: e.ssl_error().is_some_and(|s| {
                    s.errors().iter().any(|x| {
                        x.library_code() == crate::net::ERR_LIB_SSL
                            && (1000..1256).contains(&x.reason_code())
                    })
                }),
            })
        }
        Err(_) => Err(fail(format!(
            "no handshake within {} s",
            limit.as_secs_f64()
        ))),
    }
}

/// Legacy-version results for one address: (version, outcome).
async fn legacy_probe(net: &Net, addr: SocketAddr, host: &str) -> Vec<(u16, legacy::Legacy)> {
    let g = &net.guard;
    let (a, b) = tokio::join!(
        legacy::probe(g, addr, Some(host), legacy::TLS10, step_timeout(net)),
        legacy::probe(g, addr, Some(host), legacy::TLS11, step_timeout(net))
    );
    vec![(legacy::TLS10, a), (legacy::TLS11, b)]
}

/// Fetches the AIA caIssuers certificate(s) (DER or PEM) at `url`.
async fn fetch_aia(net: &Net, url: &str) -> Result<Vec<CertificateDer<'static>>, String> {
    use rustls_pki_types::pem::PemObject;
    if !url.starts_with("http://") && !url.starts_with("https://") {
        return Err("not an http(s) URL".into());
    }
    let fetch = async {
        let resp = net
            .http
            .get(url)
            .send()
            .await
            .map_err(|e| crate::net::request_error(&e))?;
        if !resp.status().is_success() {
            return Err(format!("HTTP {}", resp.status().as_u16()));
        }
        crate::http_util::read_capped(resp, AIA_CAP)
            .await
            .map_err(|e| crate::net::request_error(&e))
    };
    let body = match tokio::time::timeout(AIA_TIMEOUT, fetch).await {
        Err(_) => return Err(format!("timed out after {} s", AIA_TIMEOUT.as_secs())),
        Ok(r) => r?,
    };
    let pem: Vec<_> = CertificateDer::pem_slice_iter(&body)
        .filter_map(Result::ok)
        .collect();
    if !pem.is_empty() {
        return Ok(pem);
    }
    if cert::parse(&body).is_ok() {
        return Ok(vec![CertificateDer::from(body.to_vec())]);
    }
    Err(format!("{} bytes that are not a certificate", body.len()))
}

/// Follows AIA caIssuers URLs from the served chain (and from what they return), at most
/// three fetches, until the chain is trusted. Returns the new judgement and what was tried.
async fn complete_through_aia(
    net: &Net,
    roots: &rustls::RootCertStore,
    chain: &[CertificateDer<'static>],
    now: i64,
    learned: &[(CertificateDer<'static>, String)],
) -> Option<(Trust, Vec<String>)> {
    let mut urls: Vec<String> = chain
        .iter()
        .filter_map(|c| cert::parse(c).ok())
        .flat_map(|i| i.ca_issuers)
        .collect();
    if urls.is_empty() {
        return None;
    }
    let mut notes = Vec::new();
    let mut fetched: Vec<(CertificateDer<'static>, String)> = Vec::new();
    let mut tried = 0;
    while let Some(url) = urls.first().cloned() {
        urls.remove(0);
        if tried == 3 {
            break;
        }
        tried += 1;
        match fetch_aia(net, &url).await {
            Err(e) => notes.push(format!("AIA caIssuers {url}: {e}")),
            Ok(certs) => {
                notes.push(format!(
                    "AIA caIssuers {url}: {} certificate(s)",
                    certs.len()
                ));
                for c in certs {
                    if let Ok(i) = cert::parse(&c) {
                        urls.extend(i.ca_issuers);
                    }
                    fetched.push((c, format!("fetched from the AIA caIssuers URL {url}")));
                }
                let mut more = fetched.clone();
                more.extend(learned.iter().cloned());
                let t = cert::trust(roots, chain, now, &more);
                if matches!(t, Trust::Incomplete { from: Some(_), .. }) {
                    return Some((t, notes));
                }
            }
        }
    }
    if fetched.is_empty() {
        return Some((cert::trust(roots, chain, now, learned), notes));
    }
    Some((
        Trust::Untrusted(format!(
            "the issuer fetched through AIA does not lead to a trusted root ({})",
            notes.join("; ")
        )),
        notes,
    ))
}

/// How long ago or ahead, in words.
fn days_text(info: &CertInfo, now: i64) -> String {
    let days = cert::days_left(info.not_after, now);
    if now > info.not_after {
        match -days {
            0 => "expired today".into(),
            1 => "expired 1 day ago".into(),
            n => format!("expired {n} days ago"),
        }
    } else {
        format!("{days} days left")
    }
}

/// A one-line description of the leaf and the connection, shared by every finding's evidence.
fn summary(info: &CertInfo, hs: &Handshake, now: i64) -> String {
    let sans = if info.sans.len() > 12 {
        format!(
            "{} ... ({} names)",
            info.sans[..10].join(", "),
            info.sans.len()
        )
    } else if info.sans.is_empty() {
        "none".to_string()
    } else {
        info.sans.join(", ")
    };
    let mut s = format!(
        "subject {}; SANs: {sans}; issuer {}; notBefore {}; notAfter {} ({}); key {}; chain: {} certificate(s) served",
        if info.subject.is_empty() {
            "(empty)"
        } else {
            &info.subject
        },
        info.issuer,
        cert::rfc3339(info.not_before),
        cert::rfc3339(info.not_after),
        days_text(info, now),
        info.key,
        hs.chain.len(),
    );
    match (&hs.version, &hs.cipher) {
        (Some(v), Some(c)) => s.push_str(&format!("; {v} {c}")),
        (Some(v), None) => s.push_str(&format!("; {v}")),
        _ => {}
    }
    s.push_str(&format!(
        "; handshake {} ms with {}",
        hs.elapsed.as_millis(),
        hs.addr
    ));
    if let Some(e) = &hs.late_error {
        s.push_str(&format!("; handshake then failed: {e}"));
    }
    if hs.raw.is_none()
        && let Some(e) = &hs.rustls_failed
    {
        s.push_str(&format!(
            "; read through an OpenSSL handshake (what curl uses) after rustls failed: {e}"
        ));
    }
    s
}

fn legacy_text(results: &[(u16, legacy::Legacy)]) -> String {
    results
        .iter()
        .map(|(v, r)| {
            let what = match r {
                legacy::Legacy::Accepted { cipher: Some(c) } => {
                    format!(
                        "accepted (ServerHello {}, suite 0x{c:04x})",
                        legacy::version_name(*v)
                    )
                }
                legacy::Legacy::Accepted { cipher: None } => {
                    format!("accepted (ServerHello {})", legacy::version_name(*v))
                }
                legacy::Legacy::Refused(why) => format!("refused ({why})"),
                legacy::Legacy::NoAnswer => "no answer".into(),
                legacy::Legacy::Failed(why) => format!("probe failed ({why})"),
            };
            format!("{}: {what}", legacy::version_name(*v))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

async fn run(cx: &Cx, sink: &Sink) -> Result<(), CheckError> {
    let net = &cx.net;
    let targets = targets(&cx.cfg);
    let probes = join_all(targets.iter().map(|t| async move {
        let mut p = probe(net, t).await;
        if let Probe::NoTls {
            addr: Some(a),
            answered: true,
            cause,
            too_large,
        } = &p
        {
            let hs = match fallback(net, *a, &t.host, cause).await {
                Some(hs) => Some(hs),
                // A message over rustls's limit is judged from rustls's error alone.
                None if !*too_large => openssl_handshake(net, *a, &t.host, cause).await,
                None => None,
            };
            if let Some(hs) = hs {
                p = Probe::Tls(Box::new(hs));
            }
        }
        let legacy = match &p {
            Probe::Tls(hs) => Some(legacy_probe(net, hs.addr, &t.host).await),
            Probe::NoTls {
                addr: Some(a),
                answered: true,
                ..
            } => Some(legacy_probe(net, *a, &t.host).await),
            _ => None,
        };
        (p, legacy)
    }))
    .await;

    if !probes.is_empty()
        && probes
            .iter()
            .all(|(p, _)| matches!(p, Probe::ResolveFailed(_)))
    {
        let why = match &probes[0].0 {
            Probe::ResolveFailed(w) => w.clone(),
            _ => String::new(),
        };
        return Err(CheckError::Network {
            subject: cx.cfg.target.domain.clone(),
            cause: format!("no host could be resolved ({}: {why})", targets[0].host),
        });
    }

    // Intermediates seen anywhere in this audit: a host that forgets its intermediate may be
    // completed by one another host serves (browsers do the same with their caches).
    let mut learned: Vec<(CertificateDer<'static>, String)> = Vec::new();
    for (t, (p, _)) in targets.iter().zip(&probes) {
        if let Probe::Tls(hs) = p {
            for c in hs.chain.iter().skip(1) {
                if !learned.iter().any(|(l, _)| l == c) {
                    learned.push((c.clone(), format!("served by {}", t.subject())));
                }
            }
        }
    }

    let roots = net.roots.clone();
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let min_days = i64::from(cx.cfg.tls.min_days_valid);
    let mut measured = serde_json::Map::new();
    // One manual-renewal finding per certificate, naming every host that serves it.
    let mut manual: Vec<(CertificateDer<'static>, String, String, Vec<String>)> = Vec::new();

    let mut resolve_failed: Vec<String> = Vec::new();
    let mut caa_failed: Vec<String> = Vec::new();
    for (t, (p, legacy)) in targets.iter().zip(probes) {
        let subject = t.subject();
        let legacy_accepted: Vec<&(u16, legacy::Legacy)> = legacy
            .iter()
            .flatten()
            .filter(|(_, r)| matches!(r, legacy::Legacy::Accepted { .. }))
            .collect();
        if !legacy_accepted.is_empty() {
            let versions: Vec<String> = legacy_accepted
                .iter()
                .map(|(v, _)| legacy::version_name(*v))
                .collect();
            sink.push(spec::LEGACY_PROTOCOL.finding(
                subject.clone(),
                format!("{subject} still accepts {}", versions.join(" and ")),
                legacy_text(legacy.as_deref().unwrap_or_default()),
            ));
        }
        let legacy_json: Vec<String> = legacy_accepted
            .iter()
            .map(|(v, _)| legacy::version_name(*v))
            .collect();
        match p {
            Probe::Unresolved(why) => {
                measured.insert(
                    subject,
                    json!({ "error": format!("does not resolve ({why})") }),
                );
            }
            Probe::Refused(why) => {
                measured.insert(subject, json!({ "error": why }));
            }
            Probe::ResolveFailed(why) => {
                resolve_failed.push(format!("{subject}: {why}"));
                measured.insert(
                    subject,
                    json!({ "error": format!("could not be resolved ({why})") }),
                );
            }
            Probe::NoTls {
                cause, too_large, ..
            } => {
                let mut evidence = cause.clone();
                if let Some(l) = &legacy {
                    evidence.push_str(&format!("; legacy probes: {}", legacy_text(l)));
                }
                if too_large {
                    // TLS 1.3 encrypts the certificate: its size cannot be read, only that
                    // a handshake message broke rustls's limit.
                    sink.push(spec::CHAIN_TOO_LARGE.finding(
                        subject.clone(),
                        format!(
                            "{subject} sends a handshake message larger than TLS clients accept"
                        ),
                        format!(
                            "{evidence}; rustls refuses handshake messages over {} bytes; the \
                             server answers only TLS 1.3, which encrypts the certificate, so its \
                             exact size could not be read",
                            suites::RUSTLS_LIMIT
                        ),
                    ));
                } else if !legacy_accepted.is_empty() {
                    let versions: Vec<String> = legacy_accepted
                        .iter()
                        .map(|(v, _)| legacy::version_name(*v))
                        .collect();
                    sink.push(spec::NO_HTTPS.finding(
                        subject.clone(),
                        format!(
                            "{subject} only speaks {}, which current browsers refuse",
                            versions.join(" and ")
                        ),
                        evidence,
                    ));
                } else {
                    sink.push(spec::NO_HTTPS.finding(
                        subject.clone(),
                        format!("nothing completes a TLS handshake on {subject}"),
                        evidence,
                    ));
                }
                measured.insert(
                    subject,
                    json!({ "error": cause, "legacy_accepted": legacy_json }),
                );
            }
            Probe::Tls(hs) => {
                let m = judge(
                    cx,
                    sink,
                    t,
                    &hs,
                    &roots,
                    &learned,
                    now,
                    min_days,
                    &mut manual,
                    &mut caa_failed,
                )
                .await;
                let mut m = m;
                m["legacy_accepted"] = json!(legacy_json);
                measured.insert(subject, m);
            }
        }
    }
    for (_, title, evidence, hosts) in manual {
        sink.push(spec::MANUAL_RENEWAL.finding(
            hosts[0].clone(),
            title,
            format!("{evidence}; served on {}", hosts.join(", ")),
        ));
    }
    sink.measure(Measurement::Tls(measured.into_iter().collect()));
    // A host whose name the resolver could not answer for (timeout, SERVFAIL) was not probed,
    // and a CAA set that could not be read was not judged: the check did not complete, and
    // says what it skipped.
    let mut skipped = Vec::new();
    if !resolve_failed.is_empty() {
        skipped.push(format!(
            "could not be resolved, so their certificates were not checked: {}",
            resolve_failed.join("; ")
        ));
    }
    if !caa_failed.is_empty() {
        skipped.push(format!(
            "CAA records could not be read, so renewal was not checked against them: {}",
            caa_failed.join("; ")
        ));
    }
    if !skipped.is_empty() {
        return Err(CheckError::Network {
            subject: format!("{} host(s)", resolve_failed.len() + caa_failed.len()),
            cause: skipped.join("; "),
        });
    }
    Ok(())
}

/// Judges one host's handshake: every certificate finding, and its measurements.
#[allow(clippy::too_many_arguments)]
async fn judge(
    cx: &Cx,
    sink: &Sink,
    t: &Target,
    hs: &Handshake,
    roots: &rustls::RootCertStore,
    learned: &[(CertificateDer<'static>, String)],
    now: i64,
    min_days: i64,
    manual: &mut Vec<(CertificateDer<'static>, String, String, Vec<String>)>,
    unfinished: &mut Vec<String>,
) -> serde_json::Value {
    let net = &cx.net;
    let subject = t.subject();

    // The suites, when rustls could not talk to the server.
    let mut too_large = false;
    if let Some(raw) = &hs.raw {
        if let Some(bytes) = raw.cert_bytes.filter(|b| *b > suites::RUSTLS_LIMIT) {
            too_large = true;
            let names = hs
                .chain
                .first()
                .and_then(|c| cert::parse(c).ok())
                .map(|i| format!("; the leaf lists {} names", i.sans.len()))
                .unwrap_or_default();
            let (sev, who) = if bytes > suites::OPENSSL_LIMIT {
                (
                    crate::finding::Severity::Critical,
                    "rustls and OpenSSL (curl, Python, Node) both abort the handshake",
                )
            } else {
                (
                    crate::finding::Severity::High,
                    "rustls-based clients abort the handshake; OpenSSL still reads it",
                )
            };
            sink.push(
                spec::CHAIN_TOO_LARGE
                    .finding(
                        subject.clone(),
                        format!(
                            "{subject} sends a {} KiB certificate chain: {who}",
                            bytes / 1024
                        ),
                        format!(
                            "Certificate message of {bytes} bytes with {} certificate(s){names}; \
                             limits: rustls {} bytes per handshake message, OpenSSL {} bytes of \
                             certificates (SSL_CTX_set_max_cert_list default); {}",
                            hs.chain.len(),
                            suites::RUSTLS_LIMIT,
                            suites::OPENSSL_LIMIT,
                            raw.rustls_error
                        ),
                    )
                    .with_severity(sev),
            );
        }
        let accepted = raw.accepted();
        if !accepted.contains(&suites::Family::EcdheAead) && !accepted.is_empty() {
            let labels: Vec<&str> = accepted.iter().map(|f| f.label()).collect();
            let mut f = spec::WEAK_CIPHER_SUITES.finding(
                subject.clone(),
                format!(
                    "{subject} only negotiates legacy TLS 1.2 suites ({})",
                    labels.join(", ")
                ),
                raw.describe(),
            );
            if !accepted.contains(&suites::Family::EcdheCbc) {
                // Chrome offers neither static RSA (since 131) nor DHE (since 53): most
                // visitors cannot connect at all.
                f = f.with_severity(crate::finding::Severity::High);
            }
            sink.push(f);
        }
    }

    let Some(leaf) = hs.chain.first() else {
        if hs.raw.as_ref().is_some_and(|r| r.cert_bytes.is_some()) {
            return json!({ "error": "certificate chain too large to read" });
        }
        sink.push(spec::UNTRUSTED_CHAIN.finding(
            subject.clone(),
            format!("{subject} served no certificate"),
            format!(
                "handshake with {} showed an empty certificate list",
                hs.addr
            ),
        ));
        return json!({ "error": "no certificate served" });
    };
    let info = match cert::parse(leaf) {
        Ok(i) => i,
        Err(e) => {
            sink.push(spec::UNTRUSTED_CHAIN.finding(
                subject.clone(),
                format!("{subject} serves a certificate that cannot be read"),
                format!("leaf certificate {e}"),
            ));
            return json!({ "error": format!("leaf certificate {e}") });
        }
    };
    let infos: Vec<Option<CertInfo>> = hs.chain.iter().map(|c| cert::parse(c).ok()).collect();
    let base = summary(&info, hs, now);
    let days = cert::days_left(info.not_after, now);

    // Validity, at now.
    if now > info.not_after {
        sink.push(spec::CERT_EXPIRED.finding(
            subject.clone(),
            format!(
                "the certificate of {subject} expired on {} ({})",
                cert::rfc3339(info.not_after),
                days_text(&info, now)
            ),
            base.clone(),
        ));
    } else if now < info.not_before {
        let ahead = (info.not_before - now) / 86_400;
        sink.push(spec::NOT_YET_VALID.finding(
            subject.clone(),
            format!(
                "the certificate of {subject} is not valid before {} ({ahead} days from now)",
                cert::rfc3339(info.not_before)
            ),
            base.clone(),
        ));
    } else if days < min_days {
        sink.push(spec::CERT_EXPIRING.finding(
            subject.clone(),
            format!("the certificate of {subject} expires in {days} days (minimum {min_days})"),
            base.clone(),
        ));
    }

    // Name. (webpki cannot even parse a certificate over 64 KiB: for a chain nobody can
    // receive, the name and path are not judged.)
    if !too_large && let Err(e) = cert::check_name(leaf, &t.host) {
        sink.push(spec::HOSTNAME_MISMATCH.finding(
            subject.clone(),
            format!("the certificate of {subject} does not cover {}", t.host),
            format!("{base}; {e}"),
        ));
    }

    // Signatures: every served certificate but a self-signed root at the end (clients trust
    // roots by their key, not by their self-signature).
    let mut weak_sigs = Vec::new();
    for (i, ci) in infos.iter().enumerate() {
        let Some(ci) = ci else { continue };
        if i > 0 && i == infos.len() - 1 && ci.self_issued {
            continue;
        }
        if let Some(hash) = ci.weak_signature() {
            let role = if i == 0 { "leaf" } else { "intermediate" };
            weak_sigs.push((
                hash,
                format!(
                    "{role} {} is signed with {} ({hash})",
                    ci.subject,
                    cert::sig_alg_name(&ci.sig_alg)
                ),
            ));
        }
    }
    if let Some((hash, _)) = weak_sigs.first() {
        let list: Vec<String> = weak_sigs.iter().map(|(_, w)| w.clone()).collect();
        sink.push(spec::WEAK_SIGNATURE.finding(
            subject.clone(),
            format!("{subject} serves a certificate signed with {hash}"),
            format!("{}; {base}", list.join("; ")),
        ));
    }

    // Path to a trusted root, at now.
    let mut trust = if too_large {
        Trust::Trusted
    } else {
        cert::trust(roots, &hs.chain, now, learned)
    };
    let mut aia_notes = Vec::new();
    if matches!(trust, Trust::Incomplete { from: None, .. })
        && let Some((t2, notes)) = complete_through_aia(net, roots, &hs.chain, now, learned).await
    {
        trust = t2;
        aia_notes = notes;
    }
    match &trust {
        Trust::Trusted | Trust::WeakSignature(_) => {}
        Trust::Incomplete {
            from: Some(from),
            missing,
        } => sink.push(spec::INCOMPLETE_CHAIN.finding(
            subject.clone(),
            format!("{subject} does not serve its intermediate certificate"),
            format!(
                "{base}; the served chain stops at issuer {missing}, which is not served; \
                 with the intermediate {from} it reaches a trusted root"
            ),
        )),
        Trust::Incomplete {
            from: None,
            missing,
        } => {
            let aia = if aia_notes.is_empty() {
                "no AIA caIssuers URL to fetch it from".to_string()
            } else {
                aia_notes.join("; ")
            };
            sink.push(spec::INCOMPLETE_CHAIN.finding(
                subject.clone(),
                format!("{subject} does not serve its intermediate certificate"),
                format!(
                    "{base}; the served chain stops at issuer {missing}, which is neither \
                     served nor self-signed ({aia}); clients that do not already hold it \
                     (curl, API clients, Android apps) cannot build a path"
                ),
            ));
        }
        Trust::Untrusted(why) => {
            sink.push(spec::UNTRUSTED_CHAIN.finding(
                subject.clone(),
                format!("the certificate of {subject} is not trusted"),
                format!("{base}; {why}"),
            ));
        }
    }

    // Key sizes, leaf and served intermediates.
    let mut weak = Vec::new();
    let mut worst: Option<crate::finding::Severity> = None;
    for (i, ci) in infos.iter().enumerate() {
        if let Some(ci) = ci
            && let Some(sev) = ci.key.weakness()
        {
            let role = if i == 0 { "leaf" } else { "chain certificate" };
            weak.push(format!("{role} {} has a {} key", ci.subject, ci.key));
            worst = Some(worst.map_or(sev, |w| w.min(sev)));
        }
    }
    if let Some(sev) = worst {
        sink.push(
            spec::WEAK_KEY
                .finding(
                    subject.clone(),
                    format!("{subject} uses a weak key ({})", info.key),
                    format!("{}; {base}", weak.join("; ")),
                )
                .with_severity(sev),
        );
    }

    // A required client certificate: browsers ask the visitor to pick one, then fail.
    if let Some(ClientCert::Required(why)) = &hs.client_cert {
        sink.push(spec::CLIENT_CERT_REQUIRED.finding(
            subject.clone(),
            format!("{subject} refuses visitors without a client certificate"),
            format!("the server sent a CertificateRequest; without a certificate: {why}; {base}"),
        ));
    }

    // Key type: a leaf key browsers cannot verify fails the handshake in those browsers,
    // whatever its size. Failing that, ECDHE that works only on a group browsers lack.
    let refusal = cert::browser_refusal(&info.key);
    if refusal.is_none()
        && let Some(why) = &hs.groups_refused
    {
        sink.push(spec::BROWSER_INCOMPATIBLE.finding(
            subject.clone(),
            format!(
                "Chrome and Edge cannot connect to {subject}: its key exchange uses none of \
                 the groups they offer"
            ),
            format!(
                "{why}; Firefox and OpenSSL (curl) offer more groups and connect; rustls failed: {}; \
                 {base}",
                hs.rustls_failed.as_deref().unwrap_or("no")
            ),
        ));
    }
    if let Some((sev, browsers, who)) = refusal {
        let rustls = hs
            .rustls_failed
            .as_ref()
            .map(|e| format!("; rustls failed too: {e}"))
            .unwrap_or_default();
        sink.push(
            spec::BROWSER_INCOMPATIBLE
                .finding(
                    subject.clone(),
                    format!(
                        "{browsers} cannot connect to {subject}: its certificate key is {}",
                        info.key
                    ),
                    format!(
                        "leaf {} has an {} key: {who}{rustls}; {base}",
                        info.subject, info.key
                    ),
                )
                .with_severity(sev),
        );
    }

    // Renewal: by hand, and against the CAA records it will meet.
    let ca = renewal::ca_of(&info.issuer_names);
    let lifetime = info.lifetime_days();
    if !matches!(trust, Trust::Untrusted(_))
        && lifetime > renewal::MANUAL_LIFETIME_DAYS
        && !ca.is_some_and(|c| c.automated)
    {
        let who = ca
            .map(|c| c.name.to_string())
            .unwrap_or_else(|| info.issuer.clone());
        match manual.iter_mut().find(|(c, ..)| c == leaf) {
            Some((.., hosts)) => hosts.push(subject.clone()),
            None => manual.push((
                leaf.clone(),
                format!(
                    "the certificate of {} lives {lifetime} days and is not from an ACME CA",
                    t.host
                ),
                format!(
                    "issuer {who}; notBefore {} notAfter {} ({lifetime} days; ACME certificates \
                     live 90 days or less); ACME or platform-renewed CAs recognised: Let's \
                     Encrypt, ZeroSSL, Google Trust Services, Buypass, Amazon",
                    cert::rfc3339(info.not_before),
                    cert::rfc3339(info.not_after)
                ),
                vec![subject.clone()],
            )),
        }
    }
    let mut caa_json = serde_json::Value::Null;
    if let Some(ca) = ca {
        let exact = info.sans.iter().any(|n| n.eq_ignore_ascii_case(&t.host));
        let wildcard = !exact && info.sans.iter().any(|n| n.starts_with("*."));
        match renewal::relevant_set(net, &t.host).await {
            Ok(Some((at, props))) => {
                let shown: Vec<String> = props
                    .iter()
                    .map(|p| format!("{} \"{}\"", p.tag, p.value))
                    .collect();
                caa_json = json!({ "at": at, "records": shown, "ca": ca.name });
                if let Some(judged) = renewal::blocks(&props, ca, wildcard) {
                    let judged: Vec<String> = judged
                        .iter()
                        .map(|p| format!("{} \"{}\"", p.tag, p.value))
                        .collect();
                    sink.push(crate::catalogue::dns::CAA_BLOCKS_ISSUER.finding(
                        subject.clone(),
                        format!(
                            "CAA for {} does not allow {}, the CA of the current certificate",
                            t.host, ca.name
                        ),
                        format!(
                            "certificate issuer {} ({}, CAA domain {}); relevant CAA set (RFC \
                             8659 tree climbing) found at {at}: {}; judged {} propert{}: {}; \
                             none names {}",
                            info.issuer,
                            ca.name,
                            ca.caa[0],
                            shown.join(", "),
                            if wildcard { "issuewild/issue" } else { "issue" },
                            if judged.len() == 1 { "y" } else { "ies" },
                            judged.join(", "),
                            ca.caa.join(" / ")
                        ),
                    ));
                }
            }
            Ok(None) => caa_json = json!({ "records": [], "ca": ca.name }),
            Err(e) => {
                // Renewal could not be judged: the check did not complete.
                unfinished.push(format!("{subject}: {e}"));
                caa_json = json!({ "error": e, "ca": ca.name });
            }
        }
    }

    let mut m = json!({
        "not_before": cert::rfc3339(info.not_before),
        "not_after": cert::rfc3339(info.not_after),
        "days_left": days,
        "min_days_valid": min_days,
        "lifetime_days": lifetime,
        "version": hs.version,
        "cipher": hs.cipher,
        "key": info.key.to_string(),
        "signature": cert::sig_alg_name(&info.sig_alg),
        "issuer": info.issuer,
        "chain_length": hs.chain.len(),
        "handshake_ms": hs.elapsed.as_secs_f64() * 1000.0,
        "trust": match &trust {
            Trust::Trusted => "trusted",
            Trust::Incomplete { .. } => "incomplete_chain",
            Trust::Untrusted(_) => "untrusted",
            Trust::WeakSignature(_) => "weak_signature",
        },
    });
    if !caa_json.is_null() {
        m["caa"] = caa_json;
    }
    if let Some(raw) = &hs.raw {
        m["rustls_error"] = json!(raw.rustls_error);
        m["suite_families"] = json!(raw.accepted().iter().map(|f| f.label()).collect::<Vec<_>>());
        if let Some(b) = raw.cert_bytes {
            m["certificate_bytes"] = json!(b);
        }
    }
    if let Some(note) = &hs.signature_note {
        m["handshake_signature"] = json!(format!("not verified: {note}"));
    }
    if let Some(c) = &hs.client_cert {
        m["client_certificate"] = json!(match c {
            ClientCert::Optional => "optional",
            ClientCert::Required(_) => "required",
            ClientCert::Unknown => "requested",
        });
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_bracket_ipv6() {
        let t = Target {
            host: "::1".into(),
            port: 8443,
        };
        assert_eq!(t.subject(), "[::1]:8443");
        let t = Target {
            host: "acme.example".into(),
            port: 443,
        };
        assert_eq!(t.subject(), "acme.example:443");
    }
}
