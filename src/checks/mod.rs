//! The checks: one module per `--only` name, each a small unit with one entry point.
//!
//! A check receives the shared context ([`Cx`]) and a [`Sink`]; it pushes findings as it finds
//! them and never prints. The runner (`audit.rs`) turns an `Err` into a `check.error` finding, so
//! findings pushed before an error or the deadline are kept. Adding a check means adding a module
//! and one line in [`ALL`]; no other check changes.

pub mod ai;
pub mod dns;
pub mod email;
pub mod env;
pub mod flows;
pub mod handover;
pub mod http;
pub mod perf;
pub mod secrets;
pub mod testkeys;
pub mod tls;

use crate::config::Config;
use crate::finding::{CheckName, Finding};
use crate::model::Measurement;
use crate::net::Net;
use futures::future::BoxFuture;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use thiserror::Error;
use tokio::sync::mpsc;

/// Why a check could not complete. Becomes a `check.error` finding; the message names the host
/// or subject and the cause.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum CheckError {
    /// A network operation failed in a way that stops the whole check.
    #[error("{subject}: {cause}")]
    Network {
        /// Host, host:port or URL.
        subject: String,
        /// What happened.
        cause: String,
    },
    /// The check needs something the config or environment does not provide.
    #[error("{0}")]
    Setup(String),
}

/// Everything a check may use: the validated config and the shared network context.
pub struct Cx {
    /// The validated config.
    pub cfg: Config,
    /// Resolver, HTTP client, trust anchors, timeouts.
    pub net: Net,
    /// When the whole audit must end.
    pub deadline: tokio::time::Instant,
    /// What a previous report (`--baseline`) measured, for regression checks.
    pub baseline: Option<crate::model::Baseline>,
    /// The checks this audit runs: a check that leaves something to another one (a host that
    /// does not resolve to `dns`, a certificate to `tls`) reports it itself when that one does
    /// not run.
    pub selected: Vec<CheckName>,
    /// Quiet time for latency sampling: see [`Quiet`].
    pub quiet: Quiet,
    /// Where the `env` check reads the `[env] required` variables.
    pub env: EnvSource,
}

/// Where the `env` check reads variables: the process environment (every audit), or a fixed
/// set of values (the demo's sandbox sites, which must not depend on the caller's environment).
#[derive(Clone, Default)]
pub enum EnvSource {
    /// `std::env::var`.
    #[default]
    Process,
    /// These values only; any other name is unset.
    Fixed(Arc<std::collections::BTreeMap<String, crate::redact::Secret<String>>>),
}

impl EnvSource {
    /// The value of `name`, if set (an empty value is returned as is).
    pub fn get(&self, name: &str) -> Option<String> {
        match self {
            EnvSource::Process => std::env::var(name).ok(),
            EnvSource::Fixed(m) => m.get(name).map(|v| v.expose().clone()),
        }
    }
}

impl std::fmt::Debug for EnvSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EnvSource::Process => f.write_str("EnvSource::Process"),
            EnvSource::Fixed(m) => write!(f, "EnvSource::Fixed({} variables)", m.len()),
        }
    }
}

/// Keeps CPU-heavy local work (the secret scan) from running while the perf check samples
/// latency: on a small CI runner the scan would otherwise take every core and inflate the
/// measured p95. The perf check holds it while sampling; the secrets check waits for it.
#[derive(Clone, Debug)]
pub struct Quiet {
    tx: Arc<tokio::sync::watch::Sender<bool>>,
    overlapped: Arc<std::sync::atomic::AtomicBool>,
}

impl Quiet {
    /// A gate that is open (`sampling` false) or closed until [`Quiet::open`] is called.
    pub fn new(sampling: bool) -> Quiet {
        Quiet {
            tx: Arc::new(tokio::sync::watch::Sender::new(sampling)),
            overlapped: Arc::new(std::sync::atomic::AtomicBool::new(false)),
        }
    }

    /// Marks sampling as over: waiting work may start.
    pub fn open(&self) {
        self.tx.send_replace(false);
    }

    /// Waits until no latency sampling is under way, but not past `until` (so an endpoint that
    /// hangs until the deadline cannot starve the work waiting here); if it gives up waiting,
    /// the overlap is recorded for the sampler to report.
    pub async fn wait(&self, until: tokio::time::Instant) {
        let mut rx = self.tx.subscribe();
        let waited = tokio::time::timeout_at(until, rx.wait_for(|sampling| !*sampling)).await;
        if waited.is_err() {
            self.overlapped.store(true, Ordering::Relaxed);
        }
    }

    /// True when work that should have waited started while sampling was under way.
    pub fn overlapped(&self) -> bool {
        self.overlapped.load(Ordering::Relaxed)
    }
}

impl Default for Quiet {
    fn default() -> Quiet {
        Quiet::new(false)
    }
}

/// Opens the [`Quiet`] gate when dropped, so a perf check that ends early (deadline, panic)
/// never holds the secret scan back.
pub struct QuietGuard(pub Quiet);

impl Drop for QuietGuard {
    fn drop(&mut self) {
        self.0.open();
    }
}

/// Where a check pushes findings. Cheap to clone; findings are kept even if the check is later
/// cut off by the deadline.
#[derive(Clone)]
pub struct Sink {
    tx: mpsc::UnboundedSender<Finding>,
    /// Findings pushed through this sink and its clones (for progress lines).
    pushed: Arc<AtomicUsize>,
    /// Measurements a check reports (merged into the report).
    mtx: mpsc::UnboundedSender<Measurement>,
    /// Set when the check says it probed nothing (or less than asked).
    skip: Arc<std::sync::Mutex<Option<Skip>>>,
}

/// A check's own word that it did not probe (everything): why, and whether that makes the
/// report incomplete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skip {
    /// In words, e.g. "no `[[endpoints]]` in the config".
    pub reason: String,
    /// True when the check was asked to probe something and could not (the report is then
    /// incomplete); false when there was nothing to probe.
    pub cause: bool,
}

impl Sink {
    /// A sink sending into the given channels.
    pub fn new(
        tx: mpsc::UnboundedSender<Finding>,
        mtx: mpsc::UnboundedSender<Measurement>,
    ) -> Self {
        Sink {
            tx,
            pushed: Arc::new(AtomicUsize::new(0)),
            mtx,
            skip: Arc::new(std::sync::Mutex::new(None)),
        }
    }

    /// Says the check had nothing to probe (not an error; the report stays complete).
    pub fn nothing_to_probe(&self, reason: impl Into<String>) {
        self.set_skip(Skip {
            reason: reason.into(),
            cause: false,
        });
    }

    /// Says the check could not probe what it was asked to (the report becomes incomplete).
    pub fn could_not_probe(&self, reason: impl Into<String>) {
        self.set_skip(Skip {
            reason: reason.into(),
            cause: true,
        });
    }

    fn set_skip(&self, skip: Skip) {
        let mut g = self.skip.lock().unwrap_or_else(|p| p.into_inner());
        // A cause outweighs "nothing to probe".
        if g.as_ref().is_none_or(|s| !s.cause) {
            *g = Some(skip);
        }
    }

    /// What the check said about probing nothing, if anything.
    pub fn skip_reason(&self) -> Option<Skip> {
        self.skip.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Reports a finding.
    pub fn push(&self, finding: Finding) {
        // The receiver lives until every check has ended; a send can only fail after the
        // audit is over, when the finding no longer matters.
        self.pushed.fetch_add(1, Ordering::Relaxed);
        let _ = self.tx.send(finding);
    }

    /// How many findings this sink (and its clones) has pushed so far.
    pub fn pushed(&self) -> usize {
        self.pushed.load(Ordering::Relaxed)
    }

    /// Reports a measurement (e.g. per-endpoint latency numbers).
    pub fn measure(&self, value: Measurement) {
        let _ = self.mtx.send(value);
    }
}

/// One slice of the audit.
pub trait Check: Send + Sync {
    /// The name used by `--only/--skip`, the `check` field and the JSON `checks[]`.
    fn name(&self) -> CheckName;
    /// Runs the check, pushing findings into `sink`.
    fn run(&self, cx: Arc<Cx>, sink: Sink) -> BoxFuture<'static, Result<(), CheckError>>;
}

/// Every check that exists, in report order.
pub static ALL: &[&dyn Check] = &[
    &dns::Dns,
    &http::Http,
    &tls::Tls,
    &email::Email,
    &secrets::Secrets,
    &perf::Perf,
    &handover::Handover,
    &flows::Flows,
    &ai::Ai,
    &env::Env,
];

/// Every finding id known without reading a file: the catalogue and the built-in secret rules
/// (what `explain` accepts and shell completion offers for it).
pub fn finding_ids() -> Vec<&'static str> {
    let mut ids: Vec<&'static str> = crate::catalogue::ALL.iter().map(|s| s.id).collect();
    for r in secrets::builtin_rule_ids() {
        if !ids.contains(&r) {
            ids.push(r);
        }
    }
    ids
}
