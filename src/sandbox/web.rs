//! The sandbox's web servers: plain HTTP and HTTPS (rustls) on random loopback ports, routing by
//! Host header, with certificates minted at start by a throw-away CA (rcgen). The HTTPS server
//! picks the certificate by SNI, so a host can be given its own (broken) certificate.
//!
//! Sites are described by [`route`]; later cases add arms there.

use bytes::Bytes;
use http_body_util::combinators::UnsyncBoxBody;
use http_body_util::{BodyExt, Full, StreamBody};
use hyper::body::Incoming;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;
use rustls_pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The throw-away certificate authority and the certificates it issued.
pub struct Pki {
    ca: CertifiedIssuer<'static, KeyPair>,
    ca_key_der: Vec<u8>,
    /// The CA certificate, PEM (what `--ca-file` gets).
    pub ca_pem: String,
}

impl Pki {
    /// Mints a new CA.
    pub fn new() -> Result<Pki, BoxError> {
        let mut params = CertificateParams::new(Vec::<String>::new())?;
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "launchready sandbox CA");
        let key = KeyPair::generate()?;
        let ca_key_der = key.serialize_der();
        let ca = CertifiedIssuer::self_signed(params, key)?;
        let ca_pem = ca.pem();
        Ok(Pki {
            ca,
            ca_key_der,
            ca_pem,
        })
    }

    /// The CA as an issuer, for modules that mint their own (broken) certificates.
    pub fn issuer(&self) -> &rcgen::Issuer<'static, KeyPair> {
        &self.ca
    }

    /// The CA certificate, DER.
    pub fn ca_der(&self) -> CertificateDer<'static> {
        self.ca.der().clone()
    }

    /// The CA's private key, PKCS#8 DER (for minting with OpenSSL).
    pub fn ca_key_der(&self) -> &[u8] {
        &self.ca_key_der
    }

    /// Issues a leaf for `names`, signed by the CA, valid for 90 days from yesterday.
    pub fn leaf(&self, names: &[&str]) -> Result<Arc<CertifiedKey>, BoxError> {
        let params = super::tls::ninety(CertificateParams::new(
            names.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        )?);
        let key = KeyPair::generate()?;
        let cert = params.signed_by(&key, &self.ca)?;
        let chain = vec![
            cert.der().clone(),
            CertificateDer::from(self.ca.der().to_vec()),
        ];
        let der = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
        let provider = rustls::crypto::ring::default_provider();
        Ok(Arc::new(CertifiedKey::from_der(chain, der, &provider)?))
    }
}

/// Picks a certificate by SNI; falls back to the default.
#[derive(Debug)]
struct SniCerts {
    by_name: HashMap<String, Arc<CertifiedKey>>,
    default: Arc<CertifiedKey>,
}

impl ResolvesServerCert for SniCerts {
    fn resolve(&self, hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        let name = hello.server_name().map(|s| s.to_ascii_lowercase());
        Some(
            name.and_then(|n| self.by_name.get(&n).cloned())
                .unwrap_or_else(|| self.default.clone()),
        )
    }
}

/// Running web servers.
pub struct Web {
    /// Plain HTTP port on 127.0.0.1 (and ::1 when available).
    pub http_port: u16,
    /// HTTPS port.
    pub https_port: u16,
}

/// A canned response.
pub struct Canned {
    status: StatusCode,
    headers: Vec<(&'static str, String)>,
    body: Bytes,
    /// Send the headers at once but hold the body back this long (a streamed reply).
    body_delay: Option<std::time::Duration>,
}

impl Canned {
    /// A response with `status` and `body`.
    pub fn new(status: u16, body: impl Into<Bytes>) -> Canned {
        Canned {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            headers: Vec::new(),
            body: body.into(),
            body_delay: None,
        }
    }

    /// Sends the status and headers at once and the body, chunked, only after `delay`
    /// (a streaming reply whose first body byte comes late).
    pub fn body_after(mut self, delay: std::time::Duration) -> Canned {
        self.body_delay = Some(delay);
        self
    }

    /// Adds a header.
    pub fn header(mut self, k: &'static str, v: impl Into<String>) -> Canned {
        self.headers.push((k, v.into()));
        self
    }
}

/// What a request looked like, for the per-check route tables.
#[derive(Debug, Clone)]
pub struct Req {
    /// Host header without port, lowercase.
    pub host: String,
    /// Path and query.
    pub path: String,
    /// Method, uppercase.
    pub method: String,
    /// Whether it came over HTTPS.
    pub tls: bool,
    /// The HTTPS port (for building redirect URLs).
    pub https_port: u16,
    /// The plain HTTP port (for building redirect URLs).
    pub http_port: u16,
    /// Request headers (lowercase names).
    pub headers: Vec<(String, String)>,
    /// Request body (read whole: only our own probes reach the sandbox).
    pub body: Bytes,
}

impl Req {
    /// `https://host[:port]path` for this sandbox.
    pub fn https_url(&self, host: &str, path: &str) -> String {
        if self.https_port == 443 {
            format!("https://{host}{path}")
        } else {
            format!("https://{host}:{}{path}", self.https_port)
        }
    }

    /// `http://host[:port]path` for this sandbox.
    pub fn http_url(&self, host: &str, path: &str) -> String {
        if self.http_port == 80 {
            format!("http://{host}{path}")
        } else {
            format!("http://{host}:{}{path}", self.http_port)
        }
    }
}

/// Routes a request: each check's sandbox module gets a say, in order; unknown hosts get 421.
pub async fn route(req: &Req) -> Canned {
    if let Some(c) = super::flows::route(req).await {
        return c;
    }
    if let Some(c) = super::perf::route(req).await {
        return c;
    }
    if let Some(c) = super::tls::route(req) {
        return c;
    }
    if let Some(c) = super::email::route(req) {
        return c;
    }
    if let Some(c) = super::leaks::route(req) {
        return c;
    }
    if let Some(c) = super::stacks::route(req) {
        return c;
    }
    if let Some(c) = super::http::route(req) {
        return c;
    }
    Canned::new(421, "unknown host").header("content-type", "text/plain")
}

async fn handle(
    req: Request<Incoming>,
    tls: bool,
    (http_port, https_port): (u16, u16),
) -> Result<Response<UnsyncBoxBody<Bytes, Infallible>>, Infallible> {
    let host = req
        .headers()
        .get(hyper::header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_string)
        .or_else(|| req.uri().host().map(str::to_string))
        .unwrap_or_default();
    let path = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "/".into());
    let method = req.method().as_str().to_string();
    let headers = req
        .headers()
        .iter()
        .map(|(k, v)| (k.as_str().to_string(), v.to_str().unwrap_or("").to_string()))
        .collect();
    let body = req
        .into_body()
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let r = Req {
        host: host.split(':').next().unwrap_or("").to_ascii_lowercase(),
        path,
        method,
        tls,
        https_port,
        http_port,
        headers,
        body,
    };
    let c = route(&r).await;
    let body = match c.body_delay {
        None => Full::new(c.body).boxed_unsync(),
        Some(delay) => {
            let data = c.body;
            let chunk = futures::stream::once(async move {
                tokio::time::sleep(delay).await;
                Ok::<_, Infallible>(hyper::body::Frame::data(data))
            });
            StreamBody::new(chunk).boxed_unsync()
        }
    };
    let mut resp = Response::new(body);
    *resp.status_mut() = c.status;
    for (k, v) in c.headers {
        if let Ok(v) = hyper::header::HeaderValue::from_str(&v) {
            resp.headers_mut().append(k, v);
        }
    }
    Ok(resp)
}

async fn bind_pair() -> Result<(TcpListener, Option<TcpListener>), BoxError> {
    let v4 = TcpListener::bind("127.0.0.1:0").await?;
    let port = v4.local_addr()?.port();
    let v6 = TcpListener::bind(SocketAddr::from(([0, 0, 0, 0, 0, 0, 0, 1], port)))
        .await
        .ok();
    Ok((v4, v6))
}

fn serve(
    listener: TcpListener,
    tls: Option<tokio_rustls::TlsAcceptor>,
    legacy: Arc<super::tls::legacy_server::LegacyHosts>,
    ports: (u16, u16),
) {
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            let tls = tls.clone();
            let legacy = legacy.clone();
            tokio::spawn(async move {
                let is_tls = tls.is_some();
                let svc = hyper::service::service_fn(move |req| handle(req, is_tls, ports));
                let builder = hyper::server::conn::http1::Builder::new();
                match tls {
                    Some(acceptor) => {
                        // Names that rustls cannot serve go to OpenSSL.
                        if !legacy.is_empty()
                            && let Some(sni) = super::tls::legacy_server::peek_sni(&stream).await
                            && let Some(ossl) = legacy.get(&sni)
                        {
                            let Ok(ssl) = openssl::ssl::Ssl::new(ossl.context()) else {
                                return;
                            };
                            let Ok(mut s) = tokio_openssl::SslStream::new(ssl, stream) else {
                                return;
                            };
                            if let Ok(Ok(())) = tokio::time::timeout(
                                std::time::Duration::from_secs(10),
                                std::pin::Pin::new(&mut s).accept(),
                            )
                            .await
                            {
                                let _ = builder.serve_connection(TokioIo::new(s), svc).await;
                            }
                            return;
                        }
                        if let Ok(Ok(s)) = tokio::time::timeout(
                            std::time::Duration::from_secs(10),
                            acceptor.accept(stream),
                        )
                        .await
                        {
                            let _ = builder.serve_connection(TokioIo::new(s), svc).await;
                        }
                    }
                    None => {
                        let _ = builder.serve_connection(TokioIo::new(stream), svc).await;
                    }
                }
            });
        }
    });
}

/// Starts the HTTP and HTTPS servers.
pub async fn start(pki: &Pki) -> Result<Web, BoxError> {
    crate::net::install_crypto();
    let default = pki.leaf(&[
        "acme-good.test",
        "*.acme-good.test",
        "acme-good.pages.dev",
        "acme-broken.test",
        "*.acme-broken.test",
        // The http check's canonical-host case (sandbox/http.rs) has its own www.
        "*.canon.acme-broken.test",
        // The email check's MTA-STS case (sandbox/email.rs): mta-sts.sts.acme-broken.test.
        "*.sts.acme-broken.test",
        // The http check's mixed-content case (sandbox/http.rs) has its own www.
        "*.mixed.acme-broken.test",
        // One host per framework debug page (sandbox/stacks.rs).
        "*.stacks.acme-broken.test",
    ])?;
    let (h4, h6) = bind_pair().await?;
    let (s4, s6) = bind_pair().await?;
    let http_port = h4.local_addr()?.port();
    let https_port = s4.local_addr()?.port();
    let certs = SniCerts {
        by_name: super::tls::certs(pki, http_port)?.into_iter().collect(),
        default,
    };
    let legacy = Arc::new(super::tls::legacy_hosts(pki)?);
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()?
    .with_no_client_auth()
    .with_cert_resolver(Arc::new(certs));
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));

    let ports = (http_port, https_port);
    let none = Arc::new(super::tls::legacy_server::LegacyHosts::new());
    serve(h4, None, none.clone(), ports);
    if let Some(l) = h6 {
        serve(l, None, none, ports);
    }
    serve(s4, Some(acceptor.clone()), legacy.clone(), ports);
    if let Some(l) = s6 {
        serve(l, Some(acceptor), legacy, ports);
    }
    Ok(Web {
        http_port,
        https_port,
    })
}
