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
    let mut errors = 0usize;
    let mut names = Vec::new();
    for l in reports {
        let s = suites_of(l.label, l.report, opts);
        tests += s.tests;
        failures += s.failures;
        skipped += s.skipped;
        errors += s.errors;
        time_ms += l.report.duration_ms;
        suites.push_str(&s.xml);
        names.push(format!("{}: {}", l.report.target, l.report.verdict.shout()));
    }
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="{}" tests="{tests}" failures="{failures}" errors="{errors}" skipped="{skipped}" time="{}">"#,
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
    errors: usize,
    skipped: usize,
}

fn suites_of(label: Option<&str>, r: &Report, opts: &RenderOptions) -> Suites {
    let mut s = Suites {
        xml: String::new(),
        tests: 0,
        failures: 0,
        errors: 0,
        skipped: 0,
    };
    // Every check in the report (ran or skipped), then the runner's own `check` findings.
    let mut checks: Vec<(String, Option<&crate::model::CheckRun>, u64)> = r
        .checks
        .iter()
        .map(|c| (c.check.as_str().to_string(), Some(c), c.duration_ms))
        .collect();
    // check.error findings belong to the suite of the check they name.
    let owner = |f: &ReportFinding| {
        if f.id == crate::catalogue::CHECK_ERROR.id
            && r.checks.iter().any(|c| c.check.as_str() == f.subject)
        {
            f.subject.clone()
        } else {
            f.check.clone()
        }
    };
    for f in &r.findings {
        let o = owner(f);
        if !checks.iter().any(|(c, _, _)| *c == o) {
            checks.push((o, None, 0));
        }
    }
    for (check, run, duration_ms) in checks {
        let status = run.map(|c| c.status);
        let findings: Vec<&ReportFinding> =
            r.findings.iter().filter(|f| owner(f) == check).collect();
        let mut cases = String::new();
        let (mut tests, mut failures, mut skipped, mut errors) = (0, 0, 0, 0);
        // A check that could not do its job is an error of the suite, never a pass: an
        // errored check has its check.error finding (below); one that skipped itself for a
        // cause gets this case.
        if let Some(c) = run.filter(|c| c.incomplete && c.status != CheckStatus::Error) {
            tests += 1;
            errors += 1;
            let reason = c.reason.as_deref().unwrap_or("could not probe");
            cases.push_str(&format!(
                "    <testcase classname=\"launchready.{}\" name=\"{}\" time=\"{}\">\n      <error message=\"{}\" type=\"incomplete\">{}</error>\n    </testcase>\n",
                attr(&check),
                attr(&format!("{check} completed")),
                secs(duration_ms),
                attr(reason),
                text(&format!("the {check} check could not do its job: {reason}; the audit is incomplete"))
            ));
        }
        let suite_name = match label {
            Some(l) => format!("{l}: {check}"),
            None => check.clone(),
        };
        if findings.is_empty() && errors == 0 {
            tests += 1;
            let name = format!("{check} found nothing");
            if status == Some(CheckStatus::Skipped) {
                skipped += 1;
                let why = run
                    .and_then(|c| c.reason.as_deref())
                    .unwrap_or("not selected (--only/--skip)");
                cases.push_str(&format!(
                    "    <testcase classname=\"launchready.{}\" name=\"{}\" time=\"0\">\n      <skipped message=\"{}\"/>\n    </testcase>\n",
                    attr(&check),
                    attr(&format!("{check} (not run)")),
                    attr(why)
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
            if f.id == crate::catalogue::CHECK_ERROR.id {
                errors += 1;
                cases.push_str(&format!(
                    "      <error message=\"{}\" type=\"check.error\">{}</error>\n",
                    attr(&format!("{}: {}", f.title, f.evidence)),
                    text(&details)
                ));
            } else if super::fails_gate(f.severity, opts.fail_on) {
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
            "  <testsuite name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\" time=\"{}\" timestamp=\"{}\" hostname=\"{}\">\n{cases}  </testsuite>\n",
            attr(&suite_name),
            secs(duration_ms),
            attr(r.started_at.trim_end_matches('Z')),
            attr(&r.target)
        ));
        s.tests += tests;
        s.failures += failures;
        s.errors += errors;
        s.skipped += skipped;
    }
    s
}

fn secs(ms: u64) -> String {
    format!("{:.3}", ms as f64 / 1000.0)
}

/// Replaces characters XML 1.0 cannot carry (§2.2 Char) with U+FFFD, and so also DEL, the C1
/// controls and bidirectional overrides (legal XML, but they drive terminals and CI log viewers).
fn legal(c: char) -> char {
    match c {
        '\t' | '\n' | '\r' => c,
        c if c.is_control() => '\u{FFFD}',
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => '\u{FFFD}',
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
        assert_eq!(text("csi\u{9b}31m\u{202e}"), "csi\u{FFFD}31m\u{FFFD}");
    }
}
