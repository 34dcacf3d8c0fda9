//! `launchready diff`: what changed between two JSON reports of one target — the sprint's
//! before/after page. Findings are matched by fingerprint (fixed, new, unchanged); score,
//! verdict and severity counts before and after; each endpoint's p95 before and after with the
//! change in percent. Rendered as a table, Markdown, JSON or one HTML page.

use super::Report;
use crate::model::Severity;
use crate::score::{Summary, Verdict};
use serde::Serialize;
use std::fmt::Write as _;

/// JSON Schema (draft 2020-12) of [`Diff::json`] (`diff_version` 1), shipped in the repo as
/// `schema/diff.schema.json`.
pub const DIFF_SCHEMA: &str = include_str!("../../schema/diff.schema.json");

/// The comparison of two reports.
#[derive(Debug, Clone, Serialize)]
pub struct Diff {
    /// The older report.
    pub old: Side,
    /// The newer report.
    pub new: Side,
    /// In OLD, not in NEW.
    pub fixed: Vec<DiffFinding>,
    /// In NEW, not in OLD.
    pub new_findings: Vec<DiffFinding>,
    /// In both.
    pub unchanged: Vec<DiffFinding>,
    /// p95 per endpoint (every endpoint either report measured).
    pub endpoints: Vec<EndpointChange>,
}

/// One report's headline.
#[derive(Debug, Clone, Serialize)]
pub struct Side {
    /// The file it was read from, as given.
    pub file: String,
    /// Audited target.
    pub target: String,
    /// When its audit started.
    pub started_at: String,
    /// Its verdict.
    pub verdict: Verdict,
    /// Its score.
    pub score: u32,
    /// Its counts.
    pub summary: Summary,
}

/// A finding as the diff lists it.
#[derive(Debug, Clone, Serialize)]
pub struct DiffFinding {
    /// Stable id.
    pub id: String,
    /// Severity (NEW's for unchanged findings).
    pub severity: Severity,
    /// Subject.
    pub subject: String,
    /// Title.
    pub title: String,
    /// Fingerprint it was matched by.
    pub fingerprint: String,
}

/// One endpoint's p95 before and after.
#[derive(Debug, Clone, Serialize)]
pub struct EndpointChange {
    /// Endpoint name.
    pub name: String,
    /// p95 in OLD (`None`: not measured there, or no request was answered).
    pub old_p95_ms: Option<f64>,
    /// p95 in NEW.
    pub new_p95_ms: Option<f64>,
    /// `(new - old) / old * 100`, rounded to 0.1 (`None` when either is missing or old is 0).
    pub change_pct: Option<f64>,
}

fn side(file: &str, r: &Report) -> Side {
    Side {
        file: file.to_string(),
        target: r.target.clone(),
        started_at: r.started_at.clone(),
        verdict: r.verdict,
        score: r.score,
        summary: r.summary,
    }
}

fn listed(f: &super::ReportFinding) -> DiffFinding {
    DiffFinding {
        id: f.id.clone(),
        severity: f.severity,
        subject: f.subject.clone(),
        title: f.title.clone(),
        fingerprint: f.fingerprint.clone(),
    }
}

impl Diff {
    /// Compares `old` (read from `old_file`) with `new`.
    pub fn of(old_file: &str, old: &Report, new_file: &str, new: &Report) -> Diff {
        let has = |r: &Report, fp: &str| r.findings.iter().any(|f| f.fingerprint == fp);
        let fixed = old
            .findings
            .iter()
            .filter(|f| !has(new, &f.fingerprint))
            .map(listed)
            .collect();
        let new_findings = new
            .findings
            .iter()
            .filter(|f| !has(old, &f.fingerprint))
            .map(listed)
            .collect();
        let unchanged = new
            .findings
            .iter()
            .filter(|f| has(old, &f.fingerprint))
            .map(listed)
            .collect();
        // An endpoint that never answered has no p95 (its 0 is not a latency).
        let p95 = |r: &Report, name: &str| {
            r.measurements
                .endpoints
                .iter()
                .find(|e| e.name == name)
                .filter(|e| e.answered != Some(0))
                .map(|e| e.p95_ms)
        };
        let mut names: Vec<&str> = old
            .measurements
            .endpoints
            .iter()
            .chain(&new.measurements.endpoints)
            .map(|e| e.name.as_str())
            .collect();
        names.sort_unstable();
        names.dedup();
        let endpoints = names
            .into_iter()
            .map(|n| {
                let (o, w) = (p95(old, n), p95(new, n));
                EndpointChange {
                    name: n.to_string(),
                    old_p95_ms: o,
                    new_p95_ms: w,
                    change_pct: match (o, w) {
                        (Some(o), Some(w)) if o > 0.0 => {
                            Some(((w - o) / o * 1000.0).round() / 10.0)
                        }
                        _ => None,
                    },
                }
            })
            .collect();
        Diff {
            old: side(old_file, old),
            new: side(new_file, new),
            fixed,
            new_findings,
            unchanged,
            endpoints,
        }
    }

    /// True when NEW has a finding at or above `fail_on` that OLD did not have.
    pub fn new_risk(&self, fail_on: Option<Severity>) -> bool {
        self.new_findings
            .iter()
            .any(|f| super::fails_gate(f.severity, fail_on))
    }

    /// The table: headline, findings by change, endpoints.
    pub fn table(&self) -> String {
        let clean =
            |s: &str| crate::text::escape_controls(s, crate::text::Lines::Escape).into_owned();
        let mut o = String::new();
        let _ = writeln!(
            o,
            "{} -> {}\n  verdict  {} -> {}\n  score    {} -> {} ({:+})",
            clean(&self.old.file),
            clean(&self.new.file),
            self.old.verdict.shout(),
            self.new.verdict.shout(),
            self.old.score,
            self.new.score,
            i64::from(self.new.score) - i64::from(self.old.score)
        );
        let _ = writeln!(
            o,
            "  findings {} fixed, {} new, {} unchanged",
            self.fixed.len(),
            self.new_findings.len(),
            self.unchanged.len()
        );
        for (title, list) in [("Fixed", &self.fixed), ("New", &self.new_findings)] {
            if list.is_empty() {
                continue;
            }
            let _ = writeln!(o, "\n{title}:");
            for f in list {
                let _ = writeln!(
                    o,
                    "  {:<8} {:<32} {}  {}",
                    f.severity.as_str(),
                    clean(&f.id),
                    clean(&f.subject),
                    clean(&f.title)
                );
            }
        }
        if !self.endpoints.is_empty() {
            let _ = writeln!(o, "\np95 per endpoint:");
            for e in &self.endpoints {
                let _ = writeln!(
                    o,
                    "  {:<20} {:>10} -> {:>10}  {}",
                    clean(&e.name),
                    opt_ms(e.old_p95_ms),
                    opt_ms(e.new_p95_ms),
                    pct(e.change_pct)
                );
            }
        }
        o
    }

    /// The Markdown page.
    pub fn markdown(&self) -> String {
        let esc = super::markdown::esc;
        let mut o = String::new();
        let _ = writeln!(
            o,
            "# Before and after: {}\n\n| | before | after |\n|---|---|---|\n| report | {} | {} |\n| verdict | **{}** | **{}** |\n| score | {} | {} ({:+}) |",
            esc(&self.new.target),
            esc(&self.old.file),
            esc(&self.new.file),
            self.old.verdict.shout(),
            self.new.verdict.shout(),
            self.old.score,
            self.new.score,
            i64::from(self.new.score) - i64::from(self.old.score)
        );
        for (title, list) in [
            ("Fixed", &self.fixed),
            ("New", &self.new_findings),
            ("Unchanged", &self.unchanged),
        ] {
            let _ = writeln!(o, "\n## {title} ({})\n", list.len());
            if list.is_empty() {
                o.push_str("None.\n");
                continue;
            }
            o.push_str("| severity | id | subject | title |\n|---|---|---|---|\n");
            for f in list {
                let _ = writeln!(
                    o,
                    "| {} | `{}` | {} | {} |",
                    f.severity.as_str(),
                    esc(&f.id),
                    esc(&f.subject),
                    esc(&f.title)
                );
            }
        }
        if !self.endpoints.is_empty() {
            o.push_str("\n## p95 per endpoint\n\n| endpoint | before | after | change |\n|---|---|---|---|\n");
            for e in &self.endpoints {
                let _ = writeln!(
                    o,
                    "| {} | {} | {} | {} |",
                    esc(&e.name),
                    opt_ms(e.old_p95_ms),
                    opt_ms(e.new_p95_ms),
                    pct(e.change_pct)
                );
            }
        }
        o
    }

    /// The JSON document (`diff_version` 1, [`DIFF_SCHEMA`]), with terminal controls escaped
    /// as in the report.
    pub fn json(&self) -> String {
        #[derive(Serialize)]
        struct Doc<'a> {
            diff_version: u32,
            #[serde(flatten)]
            diff: &'a Diff,
        }
        let s = serde_json::to_string_pretty(&Doc {
            diff_version: 1,
            diff: self,
        })
        .unwrap_or_default();
        let mut s = crate::text::json_escape_controls(&s).into_owned();
        s.push('\n');
        s
    }

    /// The HTML page.
    pub fn html(&self) -> String {
        super::html::diff_document(self)
    }
}

/// `12.3 ms`, or `—` when not measured.
pub(crate) fn opt_ms(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_string(), |v| format!("{v:.1} ms"))
}

/// `+12.5%`, or `—`.
pub(crate) fn pct(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_string(), |v| format!("{v:+.1}%"))
}
