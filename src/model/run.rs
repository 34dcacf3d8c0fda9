//! How each check's run ended, and everything one audit run produced before it is scored.

use super::{CheckName, Finding, Measurements};
use serde::{Deserialize, Serialize};

/// How a check ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckStatus {
    /// Ran, found nothing.
    Ok,
    /// Ran, found something.
    Findings,
    /// Could not complete (see the `check.error` finding).
    Error,
    /// Not selected.
    Skipped,
}

impl CheckStatus {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            CheckStatus::Ok => "ok",
            CheckStatus::Findings => "findings",
            CheckStatus::Error => "error",
            CheckStatus::Skipped => "skipped",
        }
    }
}

/// One check's run, as reported in JSON `checks[]`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckRun {
    /// Check name.
    pub check: CheckName,
    /// How it ended.
    pub status: CheckStatus,
    /// Its own wall time.
    pub duration_ms: u64,
}

/// Everything the checks produced.
#[derive(Debug, Clone)]
pub struct AuditOutcome {
    /// Unranked findings.
    pub findings: Vec<Finding>,
    /// Per-check runs, in registry order.
    pub checks: Vec<CheckRun>,
    /// Measurements.
    pub measurements: Measurements,
    /// RFC 3339 start.
    pub started_at: String,
    /// Total wall time.
    pub duration_ms: u64,
}

/// Current time as RFC 3339 (UTC, seconds).
pub fn now_rfc3339() -> String {
    let now = time::OffsetDateTime::now_utc();
    now.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| now.unix_timestamp().to_string())
}
