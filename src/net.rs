//! The shared network context: one DNS resolver (honouring `--dns-server`), one HTTP client
//! (honouring `--ca-file`, resolving through the same resolver, never following redirects by
//! itself), the trust anchors for TLS checks, and the per-operation timeout and body cap.
//!
//! Nothing here decides whether something is a finding.

use hickory_resolver::config::{ConnectionConfig, NameServerConfig, ResolverConfig, ResolverOpts};
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::proto::op::ResponseCode;
use hickory_resolver::proto::rr::{Record, RecordType};
use hickory_resolver::{Resolver, TokioResolver};
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
    /// Extra trust anchors from `--ca-file` (added to the web PKI roots by TLS checks).
    pub extra_roots: Vec<CertificateDer<'static>>,
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

/// True when a request failed because rustls and the server share no protocol version, cipher
/// suite or other handshake parameter (or the server's handshake is larger than rustls reads):
/// the cases where the platform TLS library may still connect. Decided on the rustls error
/// type found in the error's source chain, never on message text.
pub fn is_tls_incompatible(e: &(dyn std::error::Error + 'static)) -> bool {
    use rustls::AlertDescription as A;
    matches!(
        rustls_error_in(e, 0),
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

/// The rustls error somewhere in `e`'s causes. `io::Error` hides its payload from `source()`
/// (it returns the payload's own source), so its payload is opened explicitly.
fn rustls_error_in<'a>(
    e: &'a (dyn std::error::Error + 'static),
    depth: usize,
) -> Option<&'a rustls::Error> {
    if depth > 16 {
        return None;
    }
    if let Some(r) = e.downcast_ref::<rustls::Error>() {
        return Some(r);
    }
    if let Some(inner) = e
        .downcast_ref::<std::io::Error>()
        .and_then(|io| io.get_ref())
        && let Some(r) = rustls_error_in(inner, depth + 1)
    {
        return Some(r);
    }
    e.source().and_then(|s| rustls_error_in(s, depth + 1))
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
        let builder = |native: bool| {
            let mut b = reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                // Direct connections only: a proxy would dial addresses the guard never sees.
                .no_proxy()
                .connector_layer(crate::egress::LiteralLayer(guard.clone()))
                .connect_timeout(op_timeout / 2)
                .timeout(op_timeout)
                .user_agent(concat!("launchready/", env!("CARGO_PKG_VERSION")))
                .dns_resolver(Arc::new(HickoryDns(resolver.clone(), guard.clone())));
            b = if native {
                b.tls_backend_native()
            } else {
                b.tls_backend_rustls()
            };
            if !opts.extra_roots.is_empty() {
                let certs = opts
                    .extra_roots
                    .iter()
                    .filter_map(|c| reqwest::Certificate::from_der(c.as_ref()).ok())
                    .collect::<Vec<_>>();
                b = b.tls_certs_merge(certs);
            }
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
        other => {
            let s = other.to_string();
            if s.contains("timed out") || s.contains("timeout") {
                DnsOutcome::Timeout
            } else {
                DnsOutcome::Failed(s)
            }
        }
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
