//! Reports: the [`Report`] model (DESIGN §5, JSON `schema_version` 1) and [`render`], the only
//! place that chooses a format. Renderers never probe and never change severities.
//!
//! The JSON report is a contract: `schema/report.schema.json` describes it and the tests validate
//! real reports against it. Field names are snake_case.

mod json;
mod table;

pub use json::SCHEMA;

use crate::audit::{AuditOutcome, CheckRun};
use crate::cli::Format;
use crate::score::{Scored, Summary, Verdict};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::{self, Write};

/// The JSON schema version this build writes.
pub const SCHEMA_VERSION: u32 = 1;

/// A whole report.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Report {
    /// Always 1 for this layout.
    pub schema_version: u32,
    /// This tool.
    pub tool: Tool,
    /// The audited domain (or repo path).
    pub target: String,
    /// RFC 3339 start time (UTC).
    pub started_at: String,
    /// Wall time of the whole audit.
    pub duration_ms: u64,
    /// go / no-go.
    pub verdict: Verdict,
    /// 0..=100.
    pub score: u32,
    /// Counts per severity.
    pub summary: Summary,
    /// Findings removed by `gate.ignore`.
    pub ignored: u32,
    /// Per-check status and timing.
    pub checks: Vec<CheckRun>,
    /// Ranked findings.
    pub findings: Vec<ReportFinding>,
    /// Raw measurements.
    pub measurements: Measurements,
    /// Findings of the `--baseline` report that are not found any more (only present when a
    /// baseline was given; only checks that ran this time are compared).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gone: Option<Vec<GoneFinding>>,
}

/// How a finding compares with the `--baseline` report (matched by fingerprint).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BaselineMark {
    /// Not in the baseline.
    New,
    /// Also in the baseline.
    Unchanged,
}

impl BaselineMark {
    /// "new" or "unchanged".
    pub fn as_str(self) -> &'static str {
        match self {
            BaselineMark::New => "new",
            BaselineMark::Unchanged => "unchanged",
        }
    }
}

/// A baseline finding that is gone.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoneFinding {
    /// Stable id.
    pub id: String,
    /// Check name.
    pub check: String,
    /// Severity it had.
    pub severity: crate::finding::Severity,
    /// Subject it had.
    pub subject: String,
    /// Title it had.
    pub title: String,
    /// Its fingerprint.
    pub fingerprint: String,
}

/// Tool name and version.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tool {
    /// "launchready".
    pub name: String,
    /// Crate version.
    pub version: String,
}

/// One finding as reported.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportFinding {
    /// 1-based rank.
    pub rank: usize,
    /// Stable id.
    pub id: String,
    /// Check name.
    pub check: String,
    /// Severity.
    pub severity: crate::finding::Severity,
    /// Impact.
    pub impact: crate::finding::Impact,
    /// Bucket.
    pub bucket: crate::finding::Bucket,
    /// Host, URL, file:line or endpoint.
    pub subject: String,
    /// One line.
    pub title: String,
    /// What was observed (secrets redacted).
    pub evidence: String,
    /// How to fix.
    pub fix: String,
    /// References.
    pub refs: Vec<String>,
    /// Stable hash for ignores and baselines.
    pub fingerprint: String,
    /// Against `--baseline` (only present when one was given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<BaselineMark>,
}

/// Measurements: per-endpoint latency (DESIGN §5) plus what other checks measured.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Measurements {
    /// Latency per endpoint.
    pub endpoints: Vec<serde_json::Value>,
    /// Other measurements by check (e.g. `dns`: the host map).
    #[serde(flatten)]
    pub other: BTreeMap<String, serde_json::Value>,
}

impl Report {
    /// Assembles a report from an audit outcome and its score.
    pub fn new(target: String, outcome: AuditOutcome, scored: Scored) -> Report {
        let findings = scored
            .findings
            .into_iter()
            .map(|r| ReportFinding {
                rank: r.rank,
                id: r.finding.id.into_owned(),
                check: r.finding.check.as_str().to_string(),
                severity: r.finding.severity,
                impact: r.finding.impact,
                bucket: r.bucket,
                subject: r.finding.subject,
                title: r.finding.title,
                evidence: r.finding.evidence,
                fix: r.finding.fix.into_owned(),
                refs: r.finding.refs.into_iter().map(|s| s.into_owned()).collect(),
                fingerprint: r.fingerprint,
                baseline: None,
            })
            .collect();
        Report {
            schema_version: SCHEMA_VERSION,
            tool: Tool {
                name: "launchready".into(),
                version: env!("CARGO_PKG_VERSION").into(),
            },
            target,
            started_at: outcome.started_at,
            duration_ms: outcome.duration_ms,
            verdict: scored.verdict,
            score: scored.score,
            summary: scored.summary,
            ignored: scored.ignored,
            checks: outcome.checks,
            findings,
            measurements: outcome.measurements,
            gone: None,
        }
    }

    /// Marks every finding new or unchanged against `baseline` (by fingerprint) and lists the
    /// baseline's findings that are gone. Only checks that ran in this report are compared, so
    /// `--only perf` does not report every DNS finding of the baseline as gone.
    pub fn compare_with(&mut self, baseline: &Report) {
        let ran = |check: &str| {
            self.checks.iter().any(|c| {
                c.check.as_str() == check && c.status != crate::audit::CheckStatus::Skipped
            })
        };
        // check.error findings belong to the check named in their subject.
        let owner = |f: &ReportFinding| {
            if f.check == "check" {
                f.subject.clone()
            } else {
                f.check.clone()
            }
        };
        let gone: Vec<GoneFinding> = baseline
            .findings
            .iter()
            .filter(|b| ran(&owner(b)))
            .filter(|b| !self.findings.iter().any(|f| f.fingerprint == b.fingerprint))
            .map(|b| GoneFinding {
                id: b.id.clone(),
                check: b.check.clone(),
                severity: b.severity,
                subject: b.subject.clone(),
                title: b.title.clone(),
                fingerprint: b.fingerprint.clone(),
            })
            .collect();
        for f in &mut self.findings {
            let known = baseline
                .findings
                .iter()
                .any(|b| b.fingerprint == f.fingerprint);
            f.baseline = Some(if known {
                BaselineMark::Unchanged
            } else {
                BaselineMark::New
            });
        }
        self.gone = Some(gone);
    }
}

/// Options for rendering.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions {
    /// Use ANSI colours (only on a terminal, never under NO_COLOR).
    pub color: bool,
}

/// Why a report could not be rendered.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RenderError {
    /// Writing failed.
    #[error("cannot write the report: {0}")]
    Io(#[from] io::Error),
    /// This build does not produce the format yet.
    #[error("the {0} format is not available in this version; use table or json")]
    Unsupported(&'static str),
}

/// Renders `report` in `format` into `out`.
pub fn render(
    report: &Report,
    format: Format,
    opts: RenderOptions,
    out: &mut dyn Write,
) -> Result<(), RenderError> {
    match format {
        Format::Table => table::render(report, opts, out)?,
        Format::Json => json::render(report, out)?,
        Format::Markdown => return Err(RenderError::Unsupported("markdown")),
        Format::Sarif => return Err(RenderError::Unsupported("sarif")),
        Format::Junit => return Err(RenderError::Unsupported("junit")),
    }
    Ok(())
}

/// True if `format` can be rendered by this build.
pub fn supported(format: Format) -> bool {
    matches!(format, Format::Table | Format::Json)
}
