//! The shared network context: one DNS resolver (honouring `--dns-server`), one HTTP client
//! (resolving through the same resolver, never following redirects by itself), one set of trust
//! anchors (web PKI roots plus `--ca-file`) for the HTTP client and the TLS checks alike, and the
//! per-operation timeout and body cap.
//!
//! Nothing here decides whether something is a finding.

use hickory_resolver::config::{ConnectionConfig, NameServerConfig, ResolverConfig, ResolverOpts};
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::proto::op::ResponseCode;
use hickory_resolver::proto::rr::{Record, RecordType};
use hickory_resolver::{Resolver, TokioResolver};
use rustls::RootCertStore;
use rustls_pki_types::CertificateDer;
use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use thiserror::Error;

/// Why the network context could not be built (bad `--dns-server`, unreadable `--ca-file`).
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum NetSetupError {
    /// `--dns-server` value did not parse or resolve.
    #[error("--dns-server {value}: {cause}")]
    DnsServer {
        /// As given.
        value: String,
        /// Why.
        cause: String,
    },
    /// `--ca-file` could not be read or holds no certificate.
    #[error("--ca-file {path}: {cause}")]
    CaFile {
        /// As given.
        path: PathBuf,
        /// Why.
        cause: String,
    },
    /// The system resolver configuration could not be read.
    #[error("cannot read the system DNS configuration: {0}")]
    SystemResolver(String),
    /// The HTTP client could not be built.
    #[error("cannot build the HTTP client: {0}")]
    Http(String),
    /// A timeout override in the environment is not usable.
    #[error("environment variable {var}: {cause}")]
    Timeout {
        /// The variable.
        var: &'static str,
        /// What is wrong with its value.
        cause: String,
    },
}

/// Options for [`Net::new`].
#[derive(Debug, Clone, Default)]
pub struct NetOptions {
    /// DNS servers to use instead of the system's.
    pub dns_servers: Vec<SocketAddr>,
    /// Extra trust anchors, DER.
    pub extra_roots: Vec<CertificateDer<'static>>,
    /// `--allow-private`: loopback and private-network addresses may be connected to even when
    /// no configured host resolves there (link-local and metadata addresses never are).
    pub allow_private: bool,
    /// Sees every address just before it is dialled (tests).
    pub observer: Option<crate::egress::DialObserver>,
    /// Per-operation timeouts.
    pub timeouts: Timeouts,
}

/// Timeouts of single network operations (the whole audit is bounded by `--timeout`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// One HTTP request, body included; one TLS probe.
    pub op: Duration,
    /// One DNS query attempt.
    pub dns: Duration,
}

impl Default for Timeouts {
    fn default() -> Timeouts {
        Timeouts {
            op: Duration::from_secs(10),
            dns: Duration::from_secs(2),
        }
    }
}

/// Environment variable overriding [`Timeouts::op`], in milliseconds.
pub const OP_TIMEOUT_ENV: &str = "LAUNCHREADY_OP_TIMEOUT_MS";
/// Environment variable overriding [`Timeouts::dns`], in milliseconds.
pub const DNS_TIMEOUT_ENV: &str = "LAUNCHREADY_DNS_TIMEOUT_MS";

impl Timeouts {
    /// The defaults, overridden by [`OP_TIMEOUT_ENV`] and [`DNS_TIMEOUT_ENV`] when set (labs
    /// with slow links, and test suites that wait on hostile peers on purpose).
    pub fn from_env() -> Result<Timeouts, NetSetupError> {
        let mut t = Timeouts::default();
        for (var, slot) in [(OP_TIMEOUT_ENV, &mut t.op), (DNS_TIMEOUT_ENV, &mut t.dns)] {
            let Ok(v) = std::env::var(var) else { continue };
            let ms: u64 = v
                .trim()
                .parse()
                .ok()
                .filter(|ms| (50..=600_000).contains(ms))
                .ok_or_else(|| NetSetupError::Timeout {
                    var,
                    cause: "must be a whole number of milliseconds from 50 to 600000".into(),
                })?;
            *slot = Duration::from_millis(ms);
        }
        Ok(t)
    }
}

/// The shared network context.
pub struct Net {
    /// The resolver every check uses.
    pub resolver: Arc<TokioResolver>,
    /// HTTP client: no automatic redirects, timeouts set, extra roots trusted.
    pub http: reqwest::Client,
    /// The same client over the platform's TLS library (OpenSSL on Linux) instead of rustls,
    /// for servers rustls cannot talk to (only CBC, static-RSA or DHE suites) that browsers and
    /// curl still load. Used only after rustls failed with a handshake incompatibility.
    pub legacy_http: reqwest::Client,
    /// Where connections may go; every dial is decided here (see [`crate::egress`]).
    pub guard: Arc<crate::egress::Guard>,
    /// Extra trust anchors from `--ca-file` (already part of `roots`).
    pub extra_roots: Vec<CertificateDer<'static>>,
    /// Every trust anchor: web PKI roots plus `--ca-file` ([`root_store`]).
    pub roots: Arc<RootCertStore>,
    /// Timeout for one network operation.
    pub op_timeout: Duration,
    /// Largest response body read, in bytes.
    pub body_cap: usize,
    /// Bounds DNS queries in flight, so an audit never floods a server (and its own UDP
    /// datagrams are not dropped by a full receive buffer).
    dns_slots: Arc<tokio::sync::Semaphore>,
    /// Set once any DNS answer arrived: timeouts are retried only on a server known to be
    /// alive (lost datagrams under load), so a dead server is reported after one try.
    dns_alive: Arc<std::sync::atomic::AtomicBool>,
    /// One DNS query attempt's timeout (the resolver's; the lookup allows twice that).
    dns_timeout: Duration,
}

/// Parses `--dns-server` values: `IP`, `IP:PORT`, `[IPv6]:PORT`, or `HOST:PORT`.
pub fn parse_dns_server(value: &str) -> Result<SocketAddr, NetSetupError> {
    let bad = |cause: &str| NetSetupError::DnsServer {
        value: value.to_string(),
        cause: cause.to_string(),
    };
    if let Ok(sa) = value.parse::<SocketAddr>() {
        return Ok(sa);
    }
    if let Ok(ip) = value.parse::<IpAddr>() {
        return Ok(SocketAddr::new(ip, 53));
    }
    let with_port = if value.contains(':') {
        value.to_string()
    } else {
        format!("{value}:53")
    };
    with_port
        .to_socket_addrs()
        .map_err(|e| bad(&e.to_string()))?
        .next()
        .ok_or_else(|| bad("does not resolve to an address"))
}

/// Reads PEM certificates from `--ca-file`.
pub fn read_ca_file(path: &Path) -> Result<Vec<CertificateDer<'static>>, NetSetupError> {
    use rustls_pki_types::pem::PemObject;
    let bad = |cause: String| NetSetupError::CaFile {
        path: path.to_path_buf(),
        cause,
    };
    let pem = std::fs::read(path).map_err(|e| bad(e.to_string()))?;
    let certs: Vec<_> = CertificateDer::pem_slice_iter(&pem)
        .collect::<Result<_, _>>()
        .map_err(|e| bad(format!("not a PEM certificate file: {e}")))?;
    if certs.is_empty() {
        return Err(bad("holds no PEM certificate".into()));
    }
    Ok(certs)
}

/// The trust anchors of every TLS connection the audit makes — the rustls HTTP client's, the
/// platform-TLS fallback client's and the `tls` check's alike: the web PKI roots (Mozilla's,
/// compiled in, so no system CA bundle is needed) plus the `--ca-file` ones.
pub fn root_certs(extra: &[CertificateDer<'static>]) -> Vec<CertificateDer<'static>> {
    let mut certs = webpki_root_certs::TLS_SERVER_ROOT_CERTS.to_vec();
    certs.extend(extra.iter().cloned());
    certs
}

/// [`root_certs`] as a rustls root store.
pub fn root_store(extra: &[CertificateDer<'static>]) -> RootCertStore {
    let mut roots = RootCertStore::empty();
    roots.add_parsable_certificates(root_certs(extra));
    roots
}

/// A TLS client configuration (ring, TLS 1.2 and 1.3) that trusts `roots`.
pub fn client_config(roots: Arc<RootCertStore>) -> Result<rustls::ClientConfig, rustls::Error> {
    Ok(rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()?
    .with_root_certificates(roots)
    .with_no_client_auth())
}

/// True when a request failed because rustls and the server share no protocol version, cipher
/// suite or other handshake parameter (or the server's handshake is larger than rustls reads):
/// the cases where the platform TLS library may still connect. Decided on the rustls error
/// type found in the error's source chain, never on message text.
pub fn is_tls_incompatible(e: &(dyn std::error::Error + 'static)) -> bool {
    use rustls::AlertDescription as A;
    matches!(
        rustls_error_in(e),
        Some(
            rustls::Error::PeerIncompatible(_)
                | rustls::Error::AlertReceived(
                    A::HandshakeFailure
                        | A::ProtocolVersion
                        | A::InsufficientSecurity
                        | A::IllegalParameter
                )
                | rustls::Error::InvalidMessage(rustls::InvalidMessage::HandshakePayloadTooLarge)
        )
    )
}

/// OpenSSL's `ERR_LIB_SSL` and `SSL_R_CERTIFICATE_VERIFY_FAILED` (include/openssl/sslerr.h),
/// which openssl-sys does not export.
pub(crate) const ERR_LIB_SSL: std::ffi::c_int = 20;
const SSL_R_CERTIFICATE_VERIFY_FAILED: std::ffi::c_int = 134;

/// True when `e` (a request or handshake error) is a server certificate the client refused:
/// rustls's invalid or missing certificate, or OpenSSL's "certificate verify failed" from the
/// platform fallback client. Decided on the error types, never on their text.
pub fn is_certificate_rejection(e: &(dyn std::error::Error + 'static)) -> bool {
    if matches!(
        rustls_error_in(e),
        Some(rustls::Error::InvalidCertificate(_) | rustls::Error::NoCertificatesPresented)
    ) {
        return true;
    }
    openssl_stack_in(e).is_some_and(|stack| {
        stack.errors().iter().any(|x| {
            x.library_code() == ERR_LIB_SSL && x.reason_code() == SSL_R_CERTIFICATE_VERIFY_FAILED
        })
    })
}

/// The OpenSSL error stack somewhere in `e`'s causes.
fn openssl_stack_in<'a>(
    e: &'a (dyn std::error::Error + 'static),
) -> Option<&'a openssl::error::ErrorStack> {
    find_cause(e, |c| {
        c.downcast_ref::<openssl::error::ErrorStack>().or_else(|| {
            c.downcast_ref::<openssl::ssl::Error>()
                .and_then(|x| x.ssl_error())
        })
    })
}

/// The rustls error somewhere in `e`'s causes.
fn rustls_error_in<'a>(e: &'a (dyn std::error::Error + 'static)) -> Option<&'a rustls::Error> {
    find_cause(e, |c| c.downcast_ref::<rustls::Error>())
}

/// The first of `e` and its causes that `pick` recognises. `io::Error` hides its payload from
/// `source()` (it returns the payload's own source), so its payload is opened explicitly; the
/// walk stops 16 levels down.
fn find_cause<'a, T: ?Sized>(
    e: &'a (dyn std::error::Error + 'static),
    pick: for<'b> fn(&'b (dyn std::error::Error + 'static)) -> Option<&'b T>,
) -> Option<&'a T> {
    fn walk<'a, T: ?Sized>(
        e: &'a (dyn std::error::Error + 'static),
        pick: for<'b> fn(&'b (dyn std::error::Error + 'static)) -> Option<&'b T>,
        depth: usize,
    ) -> Option<&'a T> {
        if depth > 16 {
            return None;
        }
        if let Some(t) = pick(e) {
            return Some(t);
        }
        if let Some(inner) = e
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            && let Some(t) = walk(inner, pick, depth + 1)
        {
            return Some(t);
        }
        e.source().and_then(|s| walk(s, pick, depth + 1))
    }
    walk(e, pick, 0)
}

/// Installs ring as the process-wide rustls provider (idempotent).
pub fn install_crypto() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

impl Net {
    /// Builds the context.
    pub fn new(opts: &NetOptions) -> Result<Net, NetSetupError> {
        install_crypto();
        let op_timeout = opts.timeouts.op;
        let mut ropts = ResolverOpts::default();
        // One attempt per resolver call; `lookup` retries timeouts itself, so a lost UDP
        // datagram costs 2 s instead of turning into a false "does not resolve".
        ropts.timeout = opts.timeouts.dns;
        ropts.attempts = 1;
        ropts.cache_size = 256;
        ropts.ndots = 0;
        let resolver = if opts.dns_servers.is_empty() {
            let mut b = Resolver::builder_tokio()
                .map_err(|e| NetSetupError::SystemResolver(e.to_string()))?;
            merge_system_opts(b.options_mut());
            b.build()
                .map_err(|e| NetSetupError::SystemResolver(e.to_string()))?
        } else {
            let servers = opts
                .dns_servers
                .iter()
                .map(|sa| {
                    let mut udp = ConnectionConfig::udp();
                    udp.port = sa.port();
                    let mut tcp = ConnectionConfig::tcp();
                    tcp.port = sa.port();
                    NameServerConfig::new(sa.ip(), true, vec![udp, tcp])
                })
                .collect();
            Resolver::builder_with_config(
                ResolverConfig::from_name_servers(servers),
                TokioRuntimeProvider::default(),
            )
            .with_options(ropts)
            .build()
            .map_err(|e| NetSetupError::SystemResolver(e.to_string()))?
        };
        let resolver = Arc::new(resolver);
        let guard = Arc::new(crate::egress::Guard::new(
            opts.allow_private,
            opts.observer.clone(),
        ));
        let roots = Arc::new(root_store(&opts.extra_roots));
        let builder = |native: bool| {
            let b = reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                // Direct connections only: a proxy would dial addresses the guard never sees.
                .no_proxy()
                .connector_layer(crate::egress::LiteralLayer(guard.clone()))
                .connect_timeout(op_timeout / 2)
                .timeout(op_timeout)
                .user_agent(concat!("launchready/", env!("CARGO_PKG_VERSION")))
                // Read response heads the way browsers do, not stricter: more than hyper's
                // default 100 header lines (preload `Link` lists, many cookies), folded
                // (obs-fold) lines, a space before the colon, and lines that are not valid
                // headers (skipped) all load in Chrome and curl, so none may make a page
                // "unreachable". The size stays bounded by hyper's buffer limit.
                .http1_max_headers(1024)
                .http1_allow_obsolete_multiline_headers_in_responses(true)
                .http1_allow_spaces_after_header_name_in_responses(true)
                .http1_ignore_invalid_headers_in_responses(true)
                .dns_resolver(Arc::new(HickoryDns(resolver.clone(), guard.clone())));
            let b = if native {
                // The platform library trusts the same roots, not the system bundle.
                let certs = root_certs(&opts.extra_roots)
                    .iter()
                    .filter_map(|c| reqwest::Certificate::from_der(c.as_ref()).ok())
                    .collect::<Vec<_>>();
                b.tls_backend_native().tls_certs_only(certs)
            } else {
                let tls =
                    client_config(roots.clone()).map_err(|e| NetSetupError::Http(e.to_string()))?;
                b.tls_backend_preconfigured(tls)
            };
            b.build().map_err(|e| NetSetupError::Http(e.to_string()))
        };
        let http = builder(false)?;
        let legacy_http = builder(true)?;
        Ok(Net {
            resolver,
            http,
            legacy_http,
            guard,
            extra_roots: opts.extra_roots.clone(),
            roots,
            op_timeout,
            body_cap: 2 * 1024 * 1024,
            dns_slots: Arc::new(tokio::sync::Semaphore::new(DNS_IN_FLIGHT)),
            dns_alive: Arc::new(std::sync::atomic::AtomicBool::new(false)),
            dns_timeout: opts.timeouts.dns,
        })
    }

    /// Resolves the hosts the config names (target, www, subdomains, endpoints) and lets the
    /// guard allow the address classes they live in: a lab on loopback or an internal app on a
    /// private network is audited like any site. Bounded by `limit` in total.
    pub async fn learn_configured(&self, hosts: &[String], limit: Duration) {
        self.guard.set_configured(hosts);
        let work = futures::future::join_all(hosts.iter().map(|h| async move {
            let bare = h.trim_start_matches('[').trim_end_matches(']');
            if let Ok(ip) = bare.parse::<IpAddr>() {
                self.guard.learn_configured(&[ip]);
                return;
            }
            let (a, aaaa) = tokio::join!(
                self.lookup(bare, RecordType::A),
                self.lookup(bare, RecordType::AAAA)
            );
            let ips: Vec<IpAddr> = a
                .of_type(RecordType::A)
                .into_iter()
                .chain(aaaa.of_type(RecordType::AAAA))
                .filter_map(|r| match &r.data {
                    hickory_resolver::proto::rr::RData::A(a) => Some(IpAddr::V4(a.0)),
                    hickory_resolver::proto::rr::RData::AAAA(a) => Some(IpAddr::V6(a.0)),
                    _ => None,
                })
                .collect();
            // Learned as each host answers: one slow host does not hold back the others.
            self.guard.learn_configured(&ips);
        }));
        // A host that has not answered in time is learned when a check resolves it.
        let _ = tokio::time::timeout(limit, work).await;
    }

    /// Looks up `name` (absolute; a trailing dot is added) and classifies the outcome.
    pub async fn lookup(&self, name: &str, rtype: RecordType) -> DnsOutcome {
        let fqdn = if name.ends_with('.') {
            name.to_string()
        } else {
            format!("{name}.")
        };
        // A closed semaphore is impossible (it is never closed); treat it as a failed query.
        let Ok(_slot) = self.dns_slots.acquire().await else {
            return DnsOutcome::Failed("internal: DNS query slots closed".into());
        };
        let mut outcome = DnsOutcome::Timeout;
        for _ in 0..LOOKUP_TRIES {
            let fut = self.resolver.lookup(fqdn.as_str(), rtype);
            outcome = match tokio::time::timeout(2 * self.dns_timeout, fut).await {
                Err(_) => DnsOutcome::Timeout,
                Ok(Ok(lookup)) => DnsOutcome::Records(lookup.answers().to_vec()),
                Ok(Err(e)) => classify(&e),
            };
            use std::sync::atomic::Ordering;
            if !matches!(outcome, DnsOutcome::Timeout) {
                if !matches!(outcome, DnsOutcome::Failed(_)) {
                    self.dns_alive.store(true, Ordering::Relaxed);
                }
                break;
            }
            if !self.dns_alive.load(Ordering::Relaxed) {
                break;
            }
        }
        outcome
    }
}

/// An error and its sources as one line, outermost first, joined by `: `; a cause whose text
/// an earlier part already contains is not repeated. The one formatter of error chains: callers
/// choose where the chain starts (a reqwest error's outermost message names the URL, which may
/// carry a token, so HTTP callers start below it or strip the URL first).
pub fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    push_causes(Vec::new(), Some(e)).join(": ")
}

/// Appends `first` and its sources to `parts`, skipping texts an earlier part contains.
pub fn push_causes(
    mut parts: Vec<String>,
    first: Option<&(dyn std::error::Error + 'static)>,
) -> Vec<String> {
    let mut src = first;
    while let Some(s) = src {
        let text = s.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        src = s.source();
    }
    parts
}

/// A reqwest error as one line: what happened, innermost causes joined, never the URL (which
/// may carry a token in its query).
pub fn request_error(e: &reqwest::Error) -> String {
    // A connection the guard refused says only that (address, class, why).
    if let Some(r) = crate::egress::refusal(e) {
        return r.to_string();
    }
    let mut parts: Vec<String> = Vec::new();
    if e.is_timeout() {
        parts.push("timed out".to_string());
    }
    // The outermost message is reqwest's "error sending request for url (...)": skip it.
    let parts = push_causes(parts, std::error::Error::source(e));
    if parts.is_empty() {
        // No inner cause: reqwest's own message, with the URL removed.
        let mut bare = String::new();
        if e.is_connect() {
            bare.push_str("connection failed");
        } else if e.is_body() || e.is_decode() {
            bare.push_str("reading the response failed");
        } else if e.is_redirect() {
            bare.push_str("redirect error");
        } else {
            bare.push_str("request failed");
        }
        return bare;
    }
    parts.join(": ")
}

/// How far [`Net::resolve_host`] follows a CNAME chain.
pub const CNAME_HOPS: usize = 10;

/// A host's A and AAAA answers, each kept with its outcome (NXDOMAIN, NODATA, SERVFAIL and
/// timeouts stay apart).
#[derive(Debug, Clone)]
pub struct HostAddrs {
    /// The A query.
    pub a: DnsOutcome,
    /// The AAAA query.
    pub aaaa: DnsOutcome,
}

impl HostAddrs {
    /// IPv4 addresses, as text.
    pub fn v4(&self) -> Vec<String> {
        self.ips()
            .iter()
            .filter(|ip| ip.is_ipv4())
            .map(|ip| ip.to_string())
            .collect()
    }

    /// IPv6 addresses, as text.
    pub fn v6(&self) -> Vec<String> {
        self.ips()
            .iter()
            .filter(|ip| ip.is_ipv6())
            .map(|ip| ip.to_string())
            .collect()
    }

    /// Every address, IPv4 first.
    pub fn ips(&self) -> Vec<IpAddr> {
        use hickory_resolver::proto::rr::RData;
        let mut out = Vec::new();
        for r in self.a.of_type(RecordType::A) {
            if let RData::A(x) = &r.data {
                out.push(IpAddr::V4(x.0));
            }
        }
        for r in self.aaaa.of_type(RecordType::AAAA) {
            if let RData::AAAA(x) = &r.data {
                out.push(IpAddr::V6(x.0));
            }
        }
        out
    }

    /// At least one address.
    pub fn any(&self) -> bool {
        !self.a.of_type(RecordType::A).is_empty() || !self.aaaa.of_type(RecordType::AAAA).is_empty()
    }

    /// Both queries failed (no answer, SERVFAIL...): nothing is known about the host.
    pub fn failed(&self) -> bool {
        self.a.is_failure() && self.aaaa.is_failure()
    }

    /// "A: NXDOMAIN (name does not exist); AAAA: ..." for evidence.
    pub fn describe(&self) -> String {
        format!("A: {}; AAAA: {}", self.a.describe(), self.aaaa.describe())
    }

    /// "A host: NXDOMAIN (name does not exist); AAAA host: ..." for evidence that names the host.
    pub fn describe_named(&self, host: &str) -> String {
        format!(
            "A {host}: {}; AAAA {host}: {}",
            self.a.describe(),
            self.aaaa.describe()
        )
    }
}

/// How one host name resolved: the CNAME chain followed hop by hop, then the addresses at its
/// end.
#[derive(Debug, Clone)]
pub struct HostResolution {
    /// The name asked for (lowercase, no trailing dot).
    pub name: String,
    /// CNAME hops, in order: (owner, target).
    pub chain: Vec<(String, String)>,
    /// Set when the chain loops or is longer than [`CNAME_HOPS`]; no addresses are asked then.
    pub chain_problem: Option<String>,
    /// The addresses of the chain's last name.
    pub addrs: HostAddrs,
}

impl HostResolution {
    /// The last name of the chain (the name itself without CNAME).
    pub fn final_name(&self) -> &str {
        self.chain
            .last()
            .map(|(_, t)| t.as_str())
            .unwrap_or(&self.name)
    }

    /// The chain is sound and ends on at least one address.
    pub fn resolves(&self) -> bool {
        self.chain_problem.is_none() && self.addrs.any()
    }
}

impl Net {
    /// A and AAAA of `name`, asked together.
    pub async fn host_addrs(&self, name: &str) -> HostAddrs {
        let (a, aaaa) = tokio::join!(
            self.lookup(name, RecordType::A),
            self.lookup(name, RecordType::AAAA)
        );
        HostAddrs { a, aaaa }
    }

    /// Follows `name`'s CNAMEs by hand (at most [`CNAME_HOPS`], loops detected), then asks for
    /// A and AAAA at the end of the chain.
    pub async fn resolve_host(&self, name: &str) -> HostResolution {
        use hickory_resolver::proto::rr::RData;
        let mut chain: Vec<(String, String)> = Vec::new();
        let mut cur = trim_dot(name);
        let mut chain_problem = None;
        for _ in 0..CNAME_HOPS {
            let DnsOutcome::Records(recs) = self.lookup(&cur, RecordType::CNAME).await else {
                break;
            };
            let target = recs.iter().find_map(|r| match &r.data {
                RData::CNAME(c) => Some(trim_dot(&c.0.to_string())),
                _ => None,
            });
            match target {
                Some(t) if t == cur || chain.iter().any(|(o, _)| *o == t) => {
                    chain.push((cur.clone(), t.clone()));
                    chain_problem = Some(format!("CNAME loop back to {t}"));
                    break;
                }
                Some(t) => {
                    chain.push((cur.clone(), t.clone()));
                    cur = t;
                }
                None => break,
            }
        }
        if chain_problem.is_none() && chain.len() >= CNAME_HOPS {
            chain_problem = Some(format!("CNAME chain longer than {CNAME_HOPS} hops"));
        }
        let addrs = if chain_problem.is_some() {
            HostAddrs {
                a: DnsOutcome::NoData,
                aaaa: DnsOutcome::NoData,
            }
        } else {
            self.host_addrs(&cur).await
        };
        HostResolution {
            name: trim_dot(name),
            chain,
            chain_problem,
            addrs,
        }
    }
}

/// A DNS name as reports show it: lowercase, without the trailing root dot.
pub fn trim_dot(name: &str) -> String {
    name.trim_end_matches('.').to_ascii_lowercase()
}

/// DNS queries in flight at once, per audit.
const DNS_IN_FLIGHT: usize = 16;

/// Tries per DNS query: timeouts (lost datagrams, overloaded servers) are retried, other
/// answers are final.
const LOOKUP_TRIES: usize = 3;

fn merge_system_opts(o: &mut ResolverOpts) {
    o.timeout = o.timeout.min(Duration::from_secs(3));
    o.attempts = o.attempts.clamp(1, 2);
}

fn classify(e: &hickory_resolver::net::NetError) -> DnsOutcome {
    use hickory_resolver::net::{DnsError, NetError};
    match e {
        NetError::Dns(DnsError::NoRecordsFound(nr)) => {
            if nr.response_code == ResponseCode::NXDomain {
                DnsOutcome::NxDomain
            } else {
                DnsOutcome::NoData
            }
        }
        NetError::Dns(DnsError::ResponseCode(code)) => match *code {
            ResponseCode::ServFail => DnsOutcome::ServFail,
            ResponseCode::Refused => DnsOutcome::Refused,
            other => DnsOutcome::Failed(format!("server answered {other}")),
        },
        NetError::Timeout => DnsOutcome::Timeout,
        NetError::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => DnsOutcome::Timeout,
        other => DnsOutcome::Failed(other.to_string()),
    }
}

/// What one DNS query produced, with the failure kinds told apart.
#[derive(Debug, Clone)]
pub enum DnsOutcome {
    /// Answer section (may include CNAMEs before the records asked for).
    Records(Vec<Record>),
    /// The name does not exist.
    NxDomain,
    /// The name exists but has no record of this type (NOERROR, empty answer).
    NoData,
    /// The server failed (SERVFAIL).
    ServFail,
    /// The server refused to answer (REFUSED).
    Refused,
    /// No answer in time.
    Timeout,
    /// Anything else (connection refused, malformed answer...).
    Failed(String),
}

impl DnsOutcome {
    /// True for NXDOMAIN and NODATA: the server answered, there is nothing.
    pub fn is_negative(&self) -> bool {
        matches!(self, DnsOutcome::NxDomain | DnsOutcome::NoData)
    }

    /// True when the server could not be asked or did not answer usefully.
    pub fn is_failure(&self) -> bool {
        matches!(
            self,
            DnsOutcome::ServFail
                | DnsOutcome::Refused
                | DnsOutcome::Timeout
                | DnsOutcome::Failed(_)
        )
    }

    /// Records of exactly this type in the answer.
    pub fn of_type(&self, rtype: RecordType) -> Vec<&Record> {
        match self {
            DnsOutcome::Records(r) => r.iter().filter(|r| r.record_type() == rtype).collect(),
            _ => Vec::new(),
        }
    }

    /// A short description for evidence: "NXDOMAIN", "NOERROR, no data", "SERVFAIL", ...
    pub fn describe(&self) -> String {
        match self {
            DnsOutcome::Records(r) => format!("{} record(s)", r.len()),
            DnsOutcome::NxDomain => "NXDOMAIN (name does not exist)".into(),
            DnsOutcome::NoData => "NOERROR with no data".into(),
            DnsOutcome::ServFail => "SERVFAIL".into(),
            DnsOutcome::Refused => "REFUSED".into(),
            DnsOutcome::Timeout => "timed out".into(),
            DnsOutcome::Failed(s) => format!("query failed: {s}"),
        }
    }
}

/// reqwest's resolver hook over our hickory resolver, so `--dns-server` applies to HTTP too.
/// Only the addresses the guard allows reach the connector, on every new connection.
struct HickoryDns(Arc<TokioResolver>, Arc<crate::egress::Guard>);

impl reqwest::dns::Resolve for HickoryDns {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let r = self.0.clone();
        let guard = self.1.clone();
        let host = name.as_str().to_string();
        Box::pin(async move {
            let fqdn = if host.ends_with('.') {
                host.clone()
            } else {
                format!("{host}.")
            };
            guard.check_name(&host)?;
            let ips: Vec<IpAddr> = r.lookup_ip(fqdn.as_str()).await?.iter().collect();
            let allowed = guard.filter(host.trim_end_matches('.'), &ips)?;
            let addrs: Vec<SocketAddr> = allowed
                .into_iter()
                .map(|ip| SocketAddr::new(ip, 0))
                .collect();
            Ok(Box::new(addrs.into_iter()) as reqwest::dns::Addrs)
        })
    }
}
