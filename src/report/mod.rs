//! Reports: the [`Report`] model (DESIGN §5, JSON `schema_version` 1) and [`render`], the only
//! place that chooses a format. Renderers never probe and never change severities.
//!
//! The JSON report is a contract: `schema/report.schema.json` describes it and the tests validate
//! real reports against it. Field names are snake_case. The other two machine documents have
//! their schema beside it: `schema/diff.schema.json` ([`DIFF_SCHEMA`], `launchready diff`) and
//! `schema/index.schema.json` ([`INDEX_SCHEMA`], the fleet index).
//!
//! Formats, one file each: `table.rs` (people at a terminal), `json.rs` (the contract),
//! `markdown.rs` (the hand-over pack), `sarif.rs` (SARIF 2.1.0 for code scanning), `junit.rs`
//! (JUnit XML for CI dashboards), `html/` (one self-contained page with charts, for people). `github.rs` is not a format: it turns a report into GitHub
//! Actions workflow annotations, printed on stderr beside whatever format was chosen.

pub mod diff;
pub mod github;
mod html;
pub mod index;
mod json;
mod junit;
pub(crate) mod layout;
mod markdown;
mod sarif;
#[cfg(test)]
mod schema_tests;
mod table;

pub use diff::DIFF_SCHEMA;
pub use index::INDEX_SCHEMA;
pub use json::SCHEMA;

use crate::cli::Format;
use crate::model::{AuditOutcome, Baseline, CheckRun, CheckStatus};
use crate::score::{Scored, Summary, Verdict};
use serde::{Deserialize, Serialize};
use std::io::{self, Write};

/// Measurements live in [`crate::model`]; this re-export keeps the old path working.
pub use crate::model::Measurements;

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
    /// go / no-go / incomplete.
    pub verdict: Verdict,
    /// False when a selected check errored or could not probe what it was asked to (see
    /// `checks[].incomplete`): the verdict is then never `go`. Reports written before this
    /// field existed read as complete.
    #[serde(default = "complete_by_default")]
    pub complete: bool,
    /// 0..=100.
    pub score: u32,
    /// Counts per severity.
    pub summary: Summary,
    /// Findings accepted by `gate.ignore` (not ranked, not scored, not gating). Reports written
    /// before this was a list carried a count here; they read as an empty list.
    #[serde(deserialize_with = "ignored_list")]
    pub ignored: Vec<IgnoredFinding>,
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
    pub severity: crate::model::Severity,
    /// Subject it had.
    pub subject: String,
    /// Title it had.
    pub title: String,
    /// Its fingerprint.
    pub fingerprint: String,
}

/// A finding `gate.ignore` accepted.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IgnoredFinding {
    /// Stable id.
    pub id: String,
    /// Check name.
    pub check: String,
    /// Severity it would have had.
    pub severity: crate::finding::Severity,
    /// Host, URL, file:line or endpoint.
    pub subject: String,
    /// One line.
    pub title: String,
    /// Its fingerprint.
    pub fingerprint: String,
    /// The `gate.ignore` entry that accepted it (an id or this fingerprint).
    pub ignored_by: String,
}

fn complete_by_default() -> bool {
    true
}

fn ignored_list<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<IgnoredFinding>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Either {
        List(Vec<IgnoredFinding>),
        Count(serde::de::IgnoredAny),
    }
    Ok(match Either::deserialize(d)? {
        Either::List(l) => l,
        Either::Count(_) => Vec::new(),
    })
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
    pub severity: crate::model::Severity,
    /// Impact.
    pub impact: crate::model::Impact,
    /// Bucket.
    pub bucket: crate::model::Bucket,
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
    /// Repository path of a secret finding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Line of a secret finding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// Commit that first added a secret (short sha), when it is in history.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// Where a secret was found: `work_tree`, `history`, `build_output`, `log`, `staged`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
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
                path: r.finding.location.as_ref().map(|l| l.path.clone()),
                line: r.finding.location.as_ref().and_then(|l| l.line),
                commit: r.finding.location.as_ref().and_then(|l| l.commit.clone()),
                source: r.finding.location.map(|l| l.source),
            })
            .collect();
        let complete = !outcome.checks.iter().any(|c| c.incomplete);
        Report {
            schema_version: SCHEMA_VERSION,
            tool: Tool {
                name: "launchready".into(),
                version: env!("CARGO_PKG_VERSION").into(),
            },
            target,
            started_at: outcome.started_at,
            duration_ms: outcome.duration_ms,
            verdict: scored.verdict.with_completeness(complete),
            complete,
            score: scored.score,
            summary: scored.summary,
            ignored: scored
                .ignored
                .into_iter()
                .map(|i| IgnoredFinding {
                    id: i.finding.id.into_owned(),
                    check: i.finding.check.as_str().to_string(),
                    severity: i.finding.severity,
                    subject: i.finding.subject,
                    title: i.finding.title,
                    fingerprint: i.fingerprint,
                    ignored_by: i.by,
                })
                .collect(),
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
            self.checks
                .iter()
                .any(|c| c.check.as_str() == check && c.status != CheckStatus::Skipped)
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

impl Report {
    /// What checks may compare with when this report is given as `--baseline`: each
    /// endpoint's p95.
    pub fn baseline(&self) -> Baseline {
        let mut b = Baseline::default();
        for e in &self.measurements.endpoints {
            b.add_endpoint(&e.name, Some(e.p95_ms));
        }
        b
    }

    /// A copy with every occurrence of each secret value (`${ENV}` expansions) replaced by its
    /// redacted form, in every string of the report, measurements included. Done on the model,
    /// before rendering, so that a format's escaping (JSON `\"`, XML `&amp;`) cannot hide a value
    /// from the scrubber. Fails closed: a report that cannot be scrubbed is not returned.
    pub fn scrubbed(
        &self,
        secrets: &[crate::redact::Secret<String>],
    ) -> Result<Report, crate::redact::ScrubError> {
        crate::redact::Scrubber::new(secrets).value(self, "report")
    }
}

/// `2026-01-31T09:05:12.345Z` as `2026-01-31 09:05 UTC`; anything else unchanged.
pub(crate) fn when(rfc3339: &str) -> String {
    let b = rfc3339.as_bytes();
    let shaped = b.len() >= 16
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && rfc3339.ends_with('Z');
    if shaped {
        format!("{} {} UTC", &rfc3339[..10], &rfc3339[11..16])
    } else {
        rfc3339.to_string()
    }
}

/// Options for rendering.
#[derive(Debug, Clone)]
pub struct RenderOptions {
    /// Use ANSI colours (only on a terminal, never under NO_COLOR).
    pub color: bool,
    /// The effective gate (`--fail-on`, else `gate.fail_on`, else high); `None` = never fail.
    /// JUnit marks findings at or above it as failures; the Markdown pack states it.
    pub fail_on: Option<crate::model::Severity>,
    /// The config file as a repository-relative path (`launchready.toml`). SARIF points host
    /// findings at it, because GitHub code scanning rejects results without a physical location.
    pub config_uri: Option<String>,
    /// Columns the table may use (the terminal's width, else `COLUMNS`, else 100).
    pub width: usize,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            color: false,
            fail_on: Some(crate::model::Severity::High),
            config_uri: None,
            width: DEFAULT_WIDTH,
        }
    }
}

/// The table's width when it is not written to a terminal and `COLUMNS` is unset.
pub const DEFAULT_WIDTH: usize = 100;

/// The width the table may use: the terminal's when stdout is one, else `COLUMNS`, else
/// [`DEFAULT_WIDTH`]. Never below 60 columns (narrower output is unreadable anyway).
pub fn table_width(to_terminal: bool) -> usize {
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|n| *n > 0);
    let term = if to_terminal {
        comfy_table::Table::new().width().map(usize::from)
    } else {
        None
    };
    term.or(columns).unwrap_or(DEFAULT_WIDTH).clamp(60, 400)
}

/// One report of a set, with an optional label (the demo renders two sites at once).
#[derive(Debug, Clone, Copy)]
pub struct Labeled<'a> {
    /// Shown above the report, e.g. "sandbox: the broken site".
    pub label: Option<&'a str>,
    /// The report.
    pub report: &'a Report,
}

/// `path` as a URI a SARIF consumer can resolve against the repository root: relative paths as
/// given, absolute ones relative to `cwd` when inside it, else just the file name.
pub fn repo_relative(path: &std::path::Path, cwd: Option<&std::path::Path>) -> String {
    let rel = if path.is_relative() {
        path.to_path_buf()
    } else if let Some(p) = cwd.and_then(|c| path.strip_prefix(c).ok()) {
        p.to_path_buf()
    } else {
        path.file_name()
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| path.to_path_buf())
    };
    rel.to_string_lossy()
        .replace('\\', "/")
        .trim_start_matches("./")
        .to_string()
}

/// True when `severity` is at or above the gate `fail_on` (`None` = never).
pub fn fails_gate(
    severity: crate::model::Severity,
    fail_on: Option<crate::model::Severity>,
) -> bool {
    fail_on.is_some_and(|t| severity <= t)
}

/// Why a report could not be rendered.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RenderError {
    /// Writing failed.
    #[error("cannot write the report: {0}")]
    Io(#[from] io::Error),
}

/// Renders `report` in `format` into `out`.
pub fn render(
    report: &Report,
    format: Format,
    opts: RenderOptions,
    out: &mut dyn Write,
) -> Result<(), RenderError> {
    render_many(
        &[Labeled {
            label: None,
            report,
        }],
        format,
        opts,
        out,
    )
}

/// Renders several reports as one document of `format`: tables and Markdown packs one after
/// the other under their labels, a JSON array (a lone report stays an object), one SARIF log
/// with a run per report, one JUnit `<testsuites>`. This is the only `match` on the format.
pub fn render_many(
    reports: &[Labeled<'_>],
    format: Format,
    opts: RenderOptions,
    out: &mut dyn Write,
) -> Result<(), RenderError> {
    match format {
        Format::Table => table::render_all(reports, &opts, out)?,
        Format::Json => json::render_all(reports, out)?,
        Format::Markdown => markdown::render(reports, &opts, out)?,
        Format::Sarif => sarif::render(reports, &opts, out)?,
        Format::Junit => junit::render(reports, &opts, out)?,
        Format::Html => html::render(reports, &opts, out)?,
    }
    Ok(())
}
