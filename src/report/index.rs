//! The fleet index: one row per audited target (target, verdict, score, counts, top risk, and
//! the report file), built by `audit` with several configs and by `launchready merge` from the
//! JSON reports of sharded runs. Rows are sorted by target, then report file name, so the index
//! of a fleet does not depend on how it was sharded.

use super::Report;
use crate::model::Severity;
use crate::score::{Summary, Verdict};
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;
use std::path::Path;

/// JSON Schema (draft 2020-12) of [`Index::json`] (`index_version` 1), shipped in the repo as
/// `schema/index.schema.json`.
pub const INDEX_SCHEMA: &str = include_str!("../../schema/index.schema.json");

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
    /// The page the HTML index links this row to (its HTML report when there is one, else its
    /// JSON report), relative to the index file. Not part of the JSON index; `None` links the
    /// `report` file name when it is a plain name.
    #[serde(skip)]
    pub page: Option<Page>,
}

/// Where the HTML index links a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// A relative URL: path segments percent-encoded, `/` between them (not yet HTML-escaped).
    pub href: String,
    /// The linked file's name, as shown.
    pub name: String,
}

impl Page {
    /// The link from the directory `base` (where the index is written) to `file`, both taken
    /// against the current directory; `None` when no relative path joins them (another drive).
    pub fn relative(base: &Path, file: &Path) -> Option<Page> {
        let (base, file) = (lexical(base)?, lexical(file)?);
        let common = base.iter().zip(&file).take_while(|(a, b)| a == b).count();
        // Different roots (Windows drives) share nothing, not even the root.
        if common == 0 {
            return None;
        }
        let mut segments: Vec<String> = vec!["..".into(); base.len() - common];
        segments.extend(
            file[common..]
                .iter()
                .map(|c| percent_encode(&c.to_string_lossy())),
        );
        Some(Page {
            href: segments.join("/"),
            name: file.last()?.to_string_lossy().into_owned(),
        })
    }
}

/// The normal components of `p` made absolute, `.` and `..` resolved by name (the files need
/// not exist yet).
fn lexical(p: &Path) -> Option<Vec<std::ffi::OsString>> {
    use std::path::Component;
    let abs = std::path::absolute(p).ok()?;
    let mut out: Vec<std::ffi::OsString> = Vec::new();
    let mut root = 0;
    for c in abs.components() {
        match c {
            Component::Prefix(_) | Component::RootDir => {
                root += 1;
                out.push(c.as_os_str().to_os_string());
            }
            Component::ParentDir => {
                if out.len() > root {
                    out.pop();
                }
            }
            Component::CurDir => {}
            Component::Normal(n) => out.push(n.to_os_string()),
        }
    }
    Some(out)
}

/// RFC 3986 percent-encoding of one path segment: unreserved characters stay, every other byte
/// is `%XX`.
fn percent_encode(segment: &str) -> String {
    let mut o = String::with_capacity(segment.len());
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            o.push(char::from(b));
        } else {
            let _ = write!(o, "%{b:02X}");
        }
    }
    o
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
            page: None,
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

    /// Pretty JSON (`index_version` 1, [`INDEX_SCHEMA`]), with terminal controls escaped as in
    /// the report.
    pub fn json(&self) -> String {
        let s = serde_json::to_string_pretty(self).unwrap_or_default();
        let mut s = crate::text::json_escape_controls(&s).into_owned();
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

#[cfg(test)]
mod tests {
    use super::Page;
    use std::path::Path;

    fn href(base: &str, file: &str) -> String {
        Page::relative(Path::new(base), Path::new(file))
            .expect("same root")
            .href
    }

    #[test]
    fn links_are_relative_to_the_index_and_encoded() {
        assert_eq!(href("/r", "/r/prod.html"), "prod.html");
        assert_eq!(
            href("/work", "/work/reports/prod.html"),
            "reports/prod.html"
        );
        assert_eq!(
            href("/work/out", "/work/reports/a.json"),
            "../reports/a.json"
        );
        assert_eq!(href("/w/./x/..", "/w/r/../r/a.html"), "r/a.html");
        // Relative paths are taken against the current directory.
        assert_eq!(href(".", "reports/a.html"), "reports/a.html");
        assert_eq!(href("reports", "reports/a.html"), "a.html");
        // Anything but unreserved characters is percent-encoded, per segment.
        assert_eq!(
            href("/r", "/r/my shop/\"q\"&<x>#1?é.html"),
            "my%20shop/%22q%22%26%3Cx%3E%231%3F%C3%A9.html"
        );
        let p = Page::relative(Path::new("/r"), Path::new("/r/a b.html")).unwrap();
        assert_eq!(p.name, "a b.html");
    }
}
