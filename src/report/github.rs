//! GitHub Actions workflow annotations (`::error`, `::warning`, `::notice`) for the findings of a
//! report, printed when `GITHUB_ACTIONS=true`.
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

/// One workflow command per finding, each ending with a newline.
pub fn annotations(report: &Report, fail_on: Option<Severity>) -> String {
    let mut out = String::new();
    for f in &report.findings {
        let command = if super::fails_gate(f.severity, fail_on) {
            "error"
        } else if f.severity <= Severity::Medium {
            "warning"
        } else {
            "notice"
        };
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
    out
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
