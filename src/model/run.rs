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
    /// Did not probe: not selected, nothing to probe, or could not start (see `reason`).
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
    /// Why the check errored or skipped itself, in words ("no DNS from here"); absent for a
    /// check that was not selected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// True when this check probed less than it was asked to (an error, a deadline cut-off, a
    /// skip for a cause): the report is then incomplete.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub incomplete: bool,
}

impl CheckRun {
    /// A check that was not selected with `--only`/`--skip`.
    pub fn not_selected(check: CheckName) -> CheckRun {
        CheckRun {
            check,
            status: CheckStatus::Skipped,
            duration_ms: 0,
            reason: None,
            incomplete: false,
        }
    }
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
