//! The checks: one module per `--only` name, each a small unit with one entry point.
//!
//! A check receives the shared context ([`Cx`]) and a [`Sink`]; it pushes findings as it finds
//! them and never prints. The runner (`audit.rs`) turns an `Err` into a `check.error` finding, so
//! findings pushed before an error or the deadline are kept. Adding a check means adding a module
//! and one line in [`ALL`]; no other check changes.

pub mod dns;
pub mod email;
pub mod handover;
pub mod http;
pub mod perf;
pub mod secrets;
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
    check: CheckName,
}

impl Sink {
    /// A sink for `check`, sending into the given channels.
    pub fn new(
        check: CheckName,
        tx: mpsc::UnboundedSender<Finding>,
        mtx: mpsc::UnboundedSender<Measurement>,
    ) -> Self {
        Sink {
            tx,
            pushed: Arc::new(AtomicUsize::new(0)),
            mtx,
            check,
        }
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

    /// The check this sink belongs to.
    pub fn check(&self) -> CheckName {
        self.check
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
];
