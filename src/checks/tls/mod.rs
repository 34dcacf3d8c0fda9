//! `tls.*`: the certificate and protocols of every public host — apex, www, every subdomain and
//! every endpoint host — on the https port, all probed at once.
//!
//! Each host gets one rustls handshake (TLS 1.2/1.3) through a verifier that accepts anything
//! and so captures the served chain even when it is invalid; the chain is then judged apart
//! (expiry, name, path to the web PKI roots plus `--ca-file`, missing intermediates, key size).
//! TLS 1.0 and 1.1, which rustls cannot speak, are probed with a hand-built ClientHello
//! ([`legacy`]). Every connection has a connect and a handshake timeout, so a server that accepts
//! TCP and then stays silent becomes `tls.no_https` within seconds.
//!
//! Hosts that do not resolve are left to the `dns` check.

pub mod cert;
pub mod legacy;

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
    },
    Tls(Handshake),
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
            };
        }
    };
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let capture = Arc::new(Capture {
        provider: provider.clone(),
        chain: Mutex::new(Vec::new()),
        signature_note: Mutex::new(None),
    });
    let config = match rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
    {
        Ok(b) => b
            .dangerous()
            .with_custom_certificate_verifier(capture.clone())
            .with_no_client_auth(),
        Err(e) => {
            return Probe::NoTls {
                addr: Some(addr),
                cause: format!("TLS client setup: {e}"),
                answered: false,
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
        },
        Ok(Ok(stream)) => {
            let (_, conn) = stream.get_ref();
            Probe::Tls(Handshake {
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
            })
        }
        Ok(Err(e)) if !chain.is_empty() => Probe::Tls(Handshake {
            addr,
            chain,
            version: None,
            cipher: None,
            elapsed,
            late_error: Some(e.to_string()),
            signature_note,
        }),
        Ok(Err(e)) => Probe::NoTls {
            addr: Some(addr),
            cause: format!("TLS 1.2/1.3 handshake with {addr} failed: {e}"),
            answered: true,
        },
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

/// Fetches the AIA caIssuers certificate(s) (DER or PEM) named by `info`.
async fn fetch_aia(net: &Net, info: &CertInfo) -> Vec<(CertificateDer<'static>, String)> {
    use rustls_pki_types::pem::PemObject;
    let mut out = Vec::new();
    for url in info.ca_issuers.iter().take(2) {
        if !url.starts_with("http://") && !url.starts_with("https://") {
            continue;
        }
        let fetch = async {
            let resp = net.http.get(url).send().await.ok()?;
            if !resp.status().is_success() {
                return None;
            }
            crate::http_util::read_capped(resp, AIA_CAP).await.ok()
        };
        let Ok(Some(body)) = tokio::time::timeout(AIA_TIMEOUT, fetch).await else {
            continue;
        };
        let from = format!("fetched from the AIA caIssuers URL {url}");
        let pem: Vec<_> = CertificateDer::pem_slice_iter(&body)
            .filter_map(Result::ok)
            .collect();
        if pem.is_empty() {
            out.push((CertificateDer::from(body.to_vec()), from));
        } else {
            out.extend(pem.into_iter().map(|c| (c, from.clone())));
        }
    }
    out
}

/// A one-line description of the leaf and the connection, shared by every finding's evidence.
fn summary(info: &CertInfo, hs: &Handshake, now: i64) -> String {
    let sans = if info.sans.is_empty() {
        "none".to_string()
    } else {
        info.sans.join(", ")
    };
    let mut s = format!(
        "subject {}; SANs: {sans}; issuer {}; notAfter {} ({} days left); key {}; chain: {} certificate(s) served",
        if info.subject.is_empty() {
            "(empty)"
        } else {
            &info.subject
        },
        info.issuer,
        cert::rfc3339(info.not_after),
        cert::days_left(info.not_after, now),
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
        let p = probe(net, t).await;
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

    let roots = cert::roots(&net.extra_roots);
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let min_days = i64::from(cx.cfg.tls.min_days_valid);
    let mut measured = serde_json::Map::new();

    let mut resolve_failed: Vec<String> = Vec::new();
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
            Probe::NoTls { cause, .. } => {
                let mut evidence = cause.clone();
                if let Some(l) = &legacy {
                    evidence.push_str(&format!("; legacy probes: {}", legacy_text(l)));
                }
                sink.push(spec::NO_HTTPS.finding(
                    subject.clone(),
                    format!("nothing completes a TLS handshake on {subject}"),
                    evidence,
                ));
                measured.insert(
                    subject,
                    json!({ "error": cause, "legacy_accepted": legacy_json }),
                );
            }
            Probe::Tls(hs) => {
                let Some(leaf) = hs.chain.first() else {
                    sink.push(spec::UNTRUSTED_CHAIN.finding(
                        subject.clone(),
                        format!("{subject} served no certificate"),
                        format!(
                            "handshake with {} showed an empty certificate list",
                            hs.addr
                        ),
                    ));
                    continue;
                };
                let info = match cert::parse(leaf) {
                    Ok(i) => i,
                    Err(e) => {
                        sink.push(spec::UNTRUSTED_CHAIN.finding(
                            subject.clone(),
                            format!("{subject} serves a certificate that cannot be read"),
                            format!("leaf certificate {e}"),
                        ));
                        continue;
                    }
                };
                let base = summary(&info, &hs, now);
                let days = cert::days_left(info.not_after, now);

                // Expiry.
                if now > info.not_after {
                    sink.push(spec::CERT_EXPIRED.finding(
                        subject.clone(),
                        format!(
                            "the certificate of {subject} expired on {}",
                            cert::rfc3339(info.not_after)
                        ),
                        base.clone(),
                    ));
                } else if days < min_days {
                    sink.push(spec::CERT_EXPIRING.finding(
                        subject.clone(),
                        format!(
                            "the certificate of {subject} expires in {days} days (minimum {min_days})"
                        ),
                        base.clone(),
                    ));
                }

                // Name.
                if let Err(e) = cert::check_name(leaf, &t.host) {
                    sink.push(spec::HOSTNAME_MISMATCH.finding(
                        subject.clone(),
                        format!("the certificate of {subject} does not cover {}", t.host),
                        format!("{base}; {e}"),
                    ));
                }

                // Path to a trusted root, at a moment when the leaf is valid.
                let at = cert::validation_time(&info, now);
                let mut trust = cert::trust(&roots, &hs.chain, at, &learned);
                if matches!(trust, Trust::Untrusted(_)) && !info.ca_issuers.is_empty() {
                    let fetched = fetch_aia(net, &info).await;
                    if !fetched.is_empty() {
                        let mut more = fetched;
                        more.extend(learned.iter().cloned());
                        if let t2 @ Trust::Incomplete(_) = cert::trust(&roots, &hs.chain, at, &more)
                        {
                            trust = t2;
                        }
                    }
                }
                match &trust {
                    Trust::Trusted => {}
                    Trust::Incomplete(from) => sink.push(spec::INCOMPLETE_CHAIN.finding(
                        subject.clone(),
                        format!("{subject} does not serve its intermediate certificate"),
                        format!(
                            "{base}; the served chain does not reach a trusted root, but does with the intermediate {from}"
                        ),
                    )),
                    Trust::Untrusted(why) => {
                        let kind = if info.self_issued && hs.chain.len() == 1 {
                            "self-signed certificate (subject = issuer)".to_string()
                        } else {
                            format!("issuer {} is not trusted", info.issuer)
                        };
                        sink.push(spec::UNTRUSTED_CHAIN.finding(
                            subject.clone(),
                            format!("the certificate of {subject} is not trusted"),
                            format!("{base}; {kind}: {why}"),
                        ));
                    }
                }

                // Key sizes, leaf and served intermediates.
                let mut weak = Vec::new();
                for (i, c) in hs.chain.iter().enumerate() {
                    let ci = if i == 0 {
                        Ok(info.clone())
                    } else {
                        cert::parse(c)
                    };
                    if let Ok(ci) = ci
                        && ci.key.is_weak()
                    {
                        let role = if i == 0 { "leaf" } else { "chain certificate" };
                        weak.push(format!("{role} {} has a {} key", ci.subject, ci.key));
                    }
                }
                if !weak.is_empty() {
                    sink.push(spec::WEAK_KEY.finding(
                        subject.clone(),
                        format!("{subject} uses a weak key ({})", info.key),
                        format!("{}; {base}", weak.join("; ")),
                    ));
                }

                let mut m = json!({
                    "not_after": cert::rfc3339(info.not_after),
                    "days_left": days,
                    "version": hs.version,
                    "cipher": hs.cipher,
                    "key": info.key.to_string(),
                    "issuer": info.issuer,
                    "chain_length": hs.chain.len(),
                    "handshake_ms": hs.elapsed.as_secs_f64() * 1000.0,
                    "trust": match &trust {
                        Trust::Trusted => "trusted",
                        Trust::Incomplete(_) => "incomplete_chain",
                        Trust::Untrusted(_) => "untrusted",
                    },
                    "legacy_accepted": legacy_json,
                });
                if let Some(note) = hs.signature_note {
                    m["handshake_signature"] = json!(format!("not verified: {note}"));
                }
                measured.insert(subject, m);
            }
        }
    }
    sink.measure(Measurement::Tls(measured.into_iter().collect()));
    // A host whose name the resolver could not answer for (timeout, SERVFAIL) was not probed:
    // the check did not complete, and says which hosts it skipped.
    if !resolve_failed.is_empty() {
        return Err(CheckError::Network {
            subject: format!("{} host(s)", resolve_failed.len()),
            cause: format!(
                "could not be resolved, so their certificates were not checked: {}",
                resolve_failed.join("; ")
            ),
        });
    }
    Ok(())
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
