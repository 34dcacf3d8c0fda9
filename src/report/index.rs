//! The fleet index: one row per audited target (target, verdict, score, counts, top risk, and
//! the report file), built by `audit` with several configs and by `launchready merge` from the
//! JSON reports of sharded runs. Rows are sorted by target, then report file name, so the index
//! of a fleet does not depend on how it was sharded.

use super::Report;
use crate::model::Severity;
use crate::score::{Summary, Verdict};
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;

/// The index of a fleet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Index {
    /// Always 1.
    pub index_version: u32,
    /// One row per target.
    pub targets: Vec<IndexRow>,
}

/// One target of the fleet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexRow {
    /// Audited domain.
    pub target: String,
    /// The report's file name (its JSON report, beside the other reports).
    pub report: String,
    /// Verdict.
    pub verdict: Verdict,
    /// Every selected check completed.
    pub complete: bool,
    /// Score.
    pub score: u32,
    /// Counts per severity.
    pub summary: Summary,
    /// The finding ranked first, if any.
    pub top_risk: Option<TopRisk>,
}

/// The first-ranked finding of a target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopRisk {
    /// Stable id.
    pub id: String,
    /// Severity.
    pub severity: Severity,
    /// One line.
    pub title: String,
}

impl IndexRow {
    /// The row of `report`, written to the file named `report_file`.
    pub fn of(report_file: &str, r: &Report) -> IndexRow {
        IndexRow {
            target: r.target.clone(),
            report: report_file.to_string(),
            verdict: r.verdict,
            complete: r.complete,
            score: r.score,
            summary: r.summary,
            top_risk: r.findings.first().map(|f| TopRisk {
                id: f.id.clone(),
                severity: f.severity,
                title: f.title.clone(),
            }),
        }
    }
}

impl Index {
    /// The index of `rows`, sorted by target then report file name.
    pub fn new(mut rows: Vec<IndexRow>) -> Index {
        rows.sort_by(|a, b| (&a.target, &a.report).cmp(&(&b.target, &b.report)));
        Index {
            index_version: 1,
            targets: rows,
        }
    }

    /// Pretty JSON.
    pub fn json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// Plain text, one line per target.
    pub fn table(&self) -> String {
        let clean =
            |s: &str| crate::text::escape_controls(s, crate::text::Lines::Escape).into_owned();
        let mut o = String::new();
        let w = self
            .targets
            .iter()
            .map(|t| t.target.chars().count())
            .max()
            .unwrap_or(6)
            .max(6);
        let _ = writeln!(
            o,
            "{:<w$}  {:<10}  {:>5}  {:>4} {:>4} {:>4} {:>4} {:>4}  top risk",
            "target", "verdict", "score", "crit", "high", "med", "low", "info"
        );
        for t in &self.targets {
            let s = &t.summary;
            let _ = writeln!(
                o,
                "{:<w$}  {:<10}  {:>5}  {:>4} {:>4} {:>4} {:>4} {:>4}  {}",
                clean(&t.target),
                t.verdict.shout(),
                t.score,
                s.critical,
                s.high,
                s.medium,
                s.low,
                s.info,
                t.top_risk
                    .as_ref()
                    .map(|r| format!(
                        "{} ({}): {}",
                        clean(&r.id),
                        r.severity.as_str(),
                        clean(&r.title)
                    ))
                    .unwrap_or_else(|| "—".into())
            );
        }
        let (go, nogo, inc) = self.tally();
        let _ = writeln!(
            o,
            "\n{} target(s): {go} GO, {nogo} NO-GO, {inc} INCOMPLETE",
            self.targets.len()
        );
        o
    }

    /// GO, NO-GO and INCOMPLETE counts.
    fn tally(&self) -> (usize, usize, usize) {
        let n = |v: Verdict| self.targets.iter().filter(|t| t.verdict == v).count();
        (n(Verdict::Go), n(Verdict::NoGo), n(Verdict::Incomplete))
    }

    /// Markdown table.
    pub fn markdown(&self) -> String {
        let esc = super::markdown::esc;
        let (go, nogo, inc) = self.tally();
        let mut o = format!(
            "# Launch readiness: {} targets\n\n{go} GO, {nogo} NO-GO, {inc} INCOMPLETE\n\n\
| target | verdict | score | critical | high | medium | low | info | top risk | report |\n\
|---|---|---|---|---|---|---|---|---|---|\n",
            self.targets.len()
        );
        for t in &self.targets {
            let s = &t.summary;
            let _ = writeln!(
                o,
                "| {} | **{}** | {} | {} | {} | {} | {} | {} | {} | {} |",
                esc(&t.target),
                t.verdict.shout(),
                t.score,
                s.critical,
                s.high,
                s.medium,
                s.low,
                s.info,
                t.top_risk
                    .as_ref()
                    .map(|r| format!("`{}` {}", esc(&r.id), esc(&r.title)))
                    .unwrap_or_else(|| "—".into()),
                esc(&t.report)
            );
        }
        o
    }

    /// One HTML page.
    pub fn html(&self) -> String {
        super::html::index_document(self)
    }
}
