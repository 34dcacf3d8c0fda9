//! JUnit XML, the format CI dashboards (GitLab, Jenkins, Azure, GitHub test reporters) read.
//!
//! One `<testsuite>` per check; inside it one `<testcase>` per finding id and subject
//! (`classname` = `launchready.<check>.<id>`, `name` = subject). A finding at or above the
//! effective `--fail-on` is a `<failure>` (type = severity, message = title, body = evidence, fix
//! and references); findings below it pass with their details in `<system-out>`, so the
//! dashboard still lists them. A check that ran clean is one passing test case, a check that was
//! not selected one `<skipped/>` case. Text is escaped for XML 1.0, and characters XML cannot
//! carry at all (most control characters) become U+FFFD.

use super::{Labeled, RenderOptions, Report, ReportFinding};
use crate::model::CheckStatus;
use std::io::{self, Write};

pub(super) fn render(
    reports: &[Labeled<'_>],
    opts: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut suites = String::new();
    let (mut tests, mut failures, mut skipped, mut time_ms) = (0usize, 0usize, 0usize, 0u64);
    let mut names = Vec::new();
    for l in reports {
        let s = suites_of(l.label, l.report, opts);
        tests += s.tests;
        failures += s.failures;
        skipped += s.skipped;
        time_ms += l.report.duration_ms;
        suites.push_str(&s.xml);
        names.push(l.report.target.clone());
    }
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="{}" tests="{tests}" failures="{failures}" errors="0" skipped="{skipped}" time="{}">"#,
        attr(&format!("launchready {}", names.join(", "))),
        secs(time_ms)
    )?;
    out.write_all(suites.as_bytes())?;
    writeln!(out, "</testsuites>")
}

struct Suites {
    xml: String,
    tests: usize,
    failures: usize,
    skipped: usize,
}

fn suites_of(label: Option<&str>, r: &Report, opts: &RenderOptions) -> Suites {
    let mut s = Suites {
        xml: String::new(),
        tests: 0,
        failures: 0,
        skipped: 0,
    };
    // Every check in the report (ran or skipped), then the runner's own `check` findings.
    let mut checks: Vec<(String, Option<CheckStatus>, u64)> = r
        .checks
        .iter()
        .map(|c| (c.check.as_str().to_string(), Some(c.status), c.duration_ms))
        .collect();
    for f in &r.findings {
        if !checks.iter().any(|(c, _, _)| *c == f.check) {
            checks.push((f.check.clone(), None, 0));
        }
    }
    for (check, status, duration_ms) in checks {
        let findings: Vec<&ReportFinding> =
            r.findings.iter().filter(|f| f.check == check).collect();
        let mut cases = String::new();
        let (mut tests, mut failures, mut skipped) = (0, 0, 0);
        let suite_name = match label {
            Some(l) => format!("{l}: {check}"),
            None => check.clone(),
        };
        if findings.is_empty() {
            tests += 1;
            let name = format!("{check} found nothing");
            if status == Some(CheckStatus::Skipped) {
                skipped += 1;
                cases.push_str(&format!(
                    "    <testcase classname=\"launchready.{}\" name=\"{}\" time=\"0\">\n      <skipped message=\"not selected (--only/--skip)\"/>\n    </testcase>\n",
                    attr(&check),
                    attr(&format!("{check} (not run)"))
                ));
            } else {
                cases.push_str(&format!(
                    "    <testcase classname=\"launchready.{}\" name=\"{}\" time=\"{}\"/>\n",
                    attr(&check),
                    attr(&name),
                    secs(duration_ms)
                ));
            }
        }
        for f in findings {
            tests += 1;
            let details = format!(
                "{}\nseverity: {} ({}), rank {}\nobserved: {}\nfix: {}{}\nfingerprint: {}",
                f.title,
                f.severity.as_str(),
                f.impact.as_str(),
                f.rank,
                f.evidence,
                f.fix,
                if f.refs.is_empty() {
                    String::new()
                } else {
                    format!("\nreferences: {}", f.refs.join(" "))
                },
                f.fingerprint
            );
            let open = format!(
                "    <testcase classname=\"launchready.{}\" name=\"{}\" time=\"0\">\n",
                attr(&f.id),
                attr(&f.subject)
            );
            cases.push_str(&open);
            if super::fails_gate(f.severity, opts.fail_on) {
                failures += 1;
                cases.push_str(&format!(
                    "      <failure message=\"{}\" type=\"{}\">{}</failure>\n",
                    attr(&f.title),
                    f.severity.as_str(),
                    text(&details)
                ));
            } else {
                cases.push_str(&format!(
                    "      <system-out>{}</system-out>\n",
                    text(&details)
                ));
            }
            cases.push_str("    </testcase>\n");
        }
        s.xml.push_str(&format!(
            "  <testsuite name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\" time=\"{}\" timestamp=\"{}\" hostname=\"{}\">\n{cases}  </testsuite>\n",
            attr(&suite_name),
            secs(duration_ms),
            attr(r.started_at.trim_end_matches('Z')),
            attr(&r.target)
        ));
        s.tests += tests;
        s.failures += failures;
        s.skipped += skipped;
    }
    s
}

fn secs(ms: u64) -> String {
    format!("{:.3}", ms as f64 / 1000.0)
}

/// Replaces characters XML 1.0 cannot carry (§2.2 Char) with U+FFFD.
fn legal(c: char) -> char {
    match c {
        '\t' | '\n' | '\r' => c,
        c if (c as u32) < 0x20 => '\u{FFFD}',
        '\u{FFFE}' | '\u{FFFF}' => '\u{FFFD}',
        c => c,
    }
}

/// Element text: `&`, `<`, `>` escaped.
fn text(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars().map(legal) {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '\r' => o.push_str("&#13;"),
            c => o.push(c),
        }
    }
    o
}

/// Attribute value (double-quoted): also quotes, and whitespace as character references so
/// attribute-value normalisation keeps it.
fn attr(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars().map(legal) {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            '\n' => o.push_str("&#10;"),
            '\r' => o.push_str("&#13;"),
            '\t' => o.push_str("&#9;"),
            c => o.push(c),
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_text_and_attributes() {
        assert_eq!(text("a<b>&c"), "a&lt;b&gt;&amp;c");
        assert_eq!(attr("\"x\" 'y'\n"), "&quot;x&quot; &apos;y&apos;&#10;");
        assert_eq!(text("bell\u{7}"), "bell\u{FFFD}");
    }
}
