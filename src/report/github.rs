//! GitHub Actions workflow annotations (`::error`, `::warning`, `::notice`) for the top findings
//! of a report, plus one summary notice, printed when `GITHUB_ACTIONS=true`.
//!
//! GitHub reads workflow commands from both stdout and stderr. stdout carries the report (which
//! may be piped into a file or `jq`), so launchready writes annotations to **stderr**. Findings at
//! or above the effective `--fail-on` are `::error`, other critical/high/medium ones `::warning`,
//! low and info `::notice`. File-based findings (`path:line` subjects of the secrets check) carry
//! `file=` and `line=` so GitHub pins them on the diff. Values are escaped as GitHub's runner
//! does: `%`, `\r`, `\n` in the message, and additionally `:` and `,` in properties.

use super::Report;
use crate::finding::Severity;

/// True when running inside GitHub Actions (`GITHUB_ACTIONS=true`).
pub fn enabled() -> bool {
    std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true")
}

/// At most this many findings of one severity are annotated (the top ones by rank).
pub const PER_SEVERITY: usize = 4;

/// GitHub shows about 10 annotations of each type per step; the summary is one of the notices.
pub const PER_COMMAND: usize = 10;

/// Workflow commands for the top findings of each severity (at most [`PER_SEVERITY`], and at
/// most [`PER_COMMAND`] of each type), then one summary notice: the verdict, the counts and how
/// many findings the report holds beyond those annotated. Each command ends with a newline.
pub fn annotations(report: &Report, fail_on: Option<Severity>) -> String {
    let mut out = String::new();
    let mut per_severity: Vec<(Severity, usize)> = Vec::new();
    let mut per_command = [0usize; 3];
    let mut shown = 0usize;
    for f in &report.findings {
        let (command, slot, cap) = if super::fails_gate(f.severity, fail_on) {
            ("error", 0, PER_COMMAND)
        } else if f.severity <= Severity::Medium {
            ("warning", 1, PER_COMMAND)
        } else {
            ("notice", 2, PER_COMMAND - 1)
        };
        let seen = match per_severity.iter_mut().find(|(s, _)| *s == f.severity) {
            Some((_, n)) => n,
            None => {
                per_severity.push((f.severity, 0));
                &mut per_severity.last_mut().expect("just pushed").1
            }
        };
        if *seen >= PER_SEVERITY || per_command[slot] >= cap {
            continue;
        }
        *seen += 1;
        per_command[slot] += 1;
        shown += 1;
        let mut props = vec![format!(
            "title={}",
            property(&format!("{} ({}) {}", f.id, f.severity.as_str(), f.subject))
        )];
        if f.check == "secrets" {
            if let Some((path, line)) = f.subject.rsplit_once(':') {
                if line.parse::<u64>().is_ok() {
                    props.push(format!("file={}", property(path)));
                    props.push(format!("line={line}"));
                }
            } else if !f.subject.is_empty() {
                props.push(format!("file={}", property(&f.subject)));
            }
        }
        let message = format!("#{} {}: {} Fix: {}", f.rank, f.title, f.evidence, f.fix);
        out.push_str(&format!(
            "::{command} {}::{}\n",
            props.join(","),
            data(&message)
        ));
    }
    out.push_str(&summary(report, shown));
    out
}

/// The one summary notice: verdict, score, counts, and what was left out of the annotations.
fn summary(report: &Report, shown: usize) -> String {
    let s = &report.summary;
    let total = report.findings.len();
    let mut message = format!(
        "{} score {}/100: {} critical, {} high, {} medium, {} low, {} info.",
        report.verdict.shout(),
        report.score,
        s.critical,
        s.high,
        s.medium,
        s.low,
        s.info
    );
    if !report.complete {
        message.push_str(" The audit is incomplete: a check could not do its job.");
    }
    if shown < total {
        message.push_str(&format!(
            " {shown} of {total} findings are annotated (the top {PER_SEVERITY} of each severity); the report lists them all."
        ));
    }
    format!(
        "::notice {}::{}\n",
        format_args!(
            "title={}",
            property(&format!("launchready {}", report.target))
        ),
        data(&message)
    )
}

/// Escapes a command's message (GitHub runner `escapeData`); other control characters (ESC
/// sequences that would recolour the log) become visible escapes first. A message can never
/// start a line, so `::` inside it is inert.
pub fn data(s: &str) -> String {
    crate::text::escape_controls(s, crate::text::Lines::Keep)
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a command property value (GitHub runner `escapeProperty`).
pub fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_the_runner() {
        // CR (a line overwrite) is shown, LF is escaped as the runner expects.
        assert_eq!(data("50% done\r\nnext"), "50%25 done\\r%0Anext");
        assert_eq!(data("\x1b[31mred"), "\\x1b[31mred");
        assert_eq!(property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
