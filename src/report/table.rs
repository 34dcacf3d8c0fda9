//! The human table, fitted to the terminal (or `COLUMNS`, or 100 columns when piped): the
//! incomplete banner when a check could not do its job, verdict, score and counts, one line of
//! check statuses, latency lines, then the ranked findings (repeated ids merged into one row with
//! a count; each row shows its fingerprint), then the must-fix-now findings with their evidence
//! and one fix per id, and the `gate.ignore` lines that accept them.

use super::layout::{self, Column, Grid};
use super::{Labeled, RenderOptions, Report, ReportFinding};
use crate::finding::Severity;
use crate::model::CheckStatus;
use crate::score::Verdict;
use std::io::{self, Write};

fn sev_color(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "1;31",
        Severity::High => "31",
        Severity::Medium => "33",
        Severity::Low => "36",
        Severity::Info => "90",
    }
}

/// Each report under its label, separated by a blank line.
pub(super) fn render_all(
    reports: &[Labeled<'_>],
    opts: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    for (i, l) in reports.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        if let Some(label) = l.label {
            writeln!(
                out,
                "{}",
                layout::clip(&format!("=== {label} ==="), opts.width)
            )?;
        }
        render(l.report, opts, out)?;
    }
    Ok(())
}

/// Lines the writer has to emit, each already within the width.
struct Lines<'a> {
    out: &'a mut dyn Write,
    width: usize,
}

impl Lines<'_> {
    fn para(&mut self, first: &str, rest: &str, text: &str, max_lines: usize) -> io::Result<()> {
        // Network text is data: control characters never reach the terminal.
        let text = crate::text::escape_controls(text, crate::text::Lines::Escape);
        let first = crate::text::escape_controls(first, crate::text::Lines::Escape);
        for l in layout::paragraph(&first, rest, &text, self.width, max_lines) {
            writeln!(self.out, "{l}")?;
        }
        Ok(())
    }

    fn blank(&mut self) -> io::Result<()> {
        writeln!(self.out)
    }
}

/// A check's status as the summary line says it: "dns: 3 findings, 53 ms".
fn check_summary(report: &Report) -> String {
    report
        .checks
        .iter()
        // Checks left out with --only/--skip are not news.
        .filter(|c| !(c.status == CheckStatus::Skipped && c.reason.is_none()))
        .map(|c| {
            let n = report
                .findings
                .iter()
                .filter(|f| f.check == c.check.as_str())
                .count();
            let what = match c.status {
                CheckStatus::Ok => "ok".to_string(),
                CheckStatus::Findings => {
                    format!("{n} finding{}", if n == 1 { "" } else { "s" })
                }
                CheckStatus::Error => "ERROR (see above)".to_string(),
                CheckStatus::Skipped if c.incomplete => "NOT RUN (see above)".to_string(),
                CheckStatus::Skipped => match &c.reason {
                    Some(r) => format!("skipped ({r})"),
                    None => "skipped".to_string(),
                },
            };
            if c.status == CheckStatus::Skipped {
                format!("{}: {what}", c.check)
            } else if c.incomplete && c.status != CheckStatus::Error {
                format!(
                    "{}: {what}, {} ms, INCOMPLETE (see above)",
                    c.check, c.duration_ms
                )
            } else {
                format!("{}: {what}, {} ms", c.check, c.duration_ms)
            }
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

fn render(report: &Report, opts: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    let mut w = Lines {
        out,
        width: opts.width,
    };
    let s = &report.summary;
    banner(report, &mut w)?;
    let shout = report.verdict.shout();
    let verdict = if opts.color {
        let code = match report.verdict {
            Verdict::Go => "1;32",
            Verdict::NoGo => "1;31",
            Verdict::Incomplete => "1;33",
        };
        format!("\x1b[{code}m{shout}\x1b[0m")
    } else {
        shout.to_string()
    };
    let head = format!(
        "launchready {} — {}: {shout}  score {}/100  ({} critical, {} high, {} medium, {} low, {} info{})",
        report.tool.version,
        &report.target,
        report.score,
        s.critical,
        s.high,
        s.medium,
        s.low,
        s.info,
        if report.ignored.is_empty() {
            String::new()
        } else {
            format!("; {} ignored", report.ignored.len())
        }
    );
    for l in layout::paragraph("", "  ", &head, w.width, 4) {
        // Colour the verdict word only after the line was fitted.
        let l = l.replacen(&format!(": {shout} "), &format!(": {verdict} "), 1);
        writeln!(w.out, "{l}")?;
    }
    w.para(
        "checks: ",
        "        ",
        &format!(
            "{}  (total {} ms)",
            check_summary(report),
            report.duration_ms
        ),
        8,
    )?;
    latency_lines(report, &mut w)?;
    ai_line(report, &mut w)?;
    if report.findings.is_empty() {
        writeln!(w.out, "No findings.")?;
        return gone_lines(report, &mut w);
    }
    w.blank()?;
    findings_table(report, opts, &mut w)?;
    gone_lines(report, &mut w)?;
    must_fix(report, &mut w)?;
    ignore_lines(report, opts, &mut w)?;
    w.blank()?;
    writeln!(w.out, "More on any id: launchready explain <id>")?;
    Ok(())
}

/// The incomplete banner: first thing printed, so nobody reads a score without it.
fn banner(report: &Report, w: &mut Lines<'_>) -> io::Result<()> {
    if report.complete {
        return Ok(());
    }
    let bad: Vec<_> = report.checks.iter().filter(|c| c.incomplete).collect();
    w.para(
        "",
        "",
        &format!(
            "INCOMPLETE: {} of the selected checks could not do their job, so this report cannot say GO; what it lists is true, but it is not everything.",
            bad.len()
        ),
        4,
    )?;
    // Checks that stopped for the same reason (no DNS from here) share one line.
    let mut groups: Vec<(Vec<&str>, &str)> = Vec::new();
    for c in bad {
        let reason = c.reason.as_deref().unwrap_or("could not complete");
        match groups.iter_mut().find(|(_, r)| *r == reason) {
            Some((names, _)) => names.push(c.check.as_str()),
            None => groups.push((vec![c.check.as_str()], reason)),
        }
    }
    for (names, reason) in groups {
        w.para(&format!("  {}: ", names.join(", ")), "    ", reason, 4)?;
    }
    w.blank()
}

/// One row per finding, or per id when an id repeats (secrets excepted: each leaked value is
/// its own risk with its own fingerprint).
struct Row<'a> {
    first: &'a ReportFinding,
    all: Vec<&'a ReportFinding>,
}

fn rows(report: &Report) -> Vec<Row<'_>> {
    let mut rows: Vec<Row<'_>> = Vec::new();
    for f in &report.findings {
        let mergeable = !f.id.starts_with("secret.") && f.id != "check.error";
        if mergeable
            && let Some(r) = rows
                .iter_mut()
                .find(|r| r.first.id == f.id && r.first.severity == f.severity)
        {
            r.all.push(f);
            continue;
        }
        rows.push(Row {
            first: f,
            all: vec![f],
        });
    }
    rows
}

fn findings_table(report: &Report, opts: &RenderOptions, w: &mut Lines<'_>) -> io::Result<()> {
    let marks = report.gone.is_some();
    let mut cols = vec![
        Column {
            title: "#",
            min: 1,
            max: 5,
            weight: 0,
            max_lines: 1,
        },
        Column {
            title: "severity",
            min: 8,
            max: 8,
            weight: 0,
            max_lines: 1,
        },
        Column {
            title: "id / fingerprint",
            min: 16,
            max: 32,
            weight: 3,
            max_lines: 3,
        },
        Column {
            title: "subject",
            min: 12,
            max: 60,
            weight: 3,
            max_lines: 3,
        },
        Column {
            title: "title",
            min: 16,
            max: 100,
            weight: 5,
            max_lines: 4,
        },
    ];
    if marks {
        cols.push(Column {
            title: "vs baseline",
            min: 9,
            max: 11,
            weight: 0,
            max_lines: 1,
        });
    }
    let rows = rows(report);
    let mut grid = Grid::new(cols);
    for r in &rows {
        let f = r.first;
        let n = r.all.len();
        let id = if n > 1 {
            format!("{}\n×{n} findings", f.id)
        } else {
            format!("{}\n{}", f.id, f.fingerprint)
        };
        let subject = if n > 1 {
            let subjects: Vec<&str> = r.all.iter().map(|f| f.subject.as_str()).collect();
            subjects.join(", ")
        } else {
            f.subject.clone()
        };
        let mut title = if f.id == crate::catalogue::CHECK_ERROR.id {
            format!("{}: {}", f.title, f.evidence)
        } else {
            f.title.clone()
        };
        if n > 1 && r.all.iter().any(|o| o.title != f.title) {
            title.push_str(&format!(" (and {} more like it)", n - 1));
        }
        let mut row = vec![
            if n > 1 {
                format!("{}+", f.rank)
            } else {
                f.rank.to_string()
            },
            f.severity.as_str().to_string(),
            id,
            subject,
            title,
        ];
        if marks {
            row.push(f.baseline.map(|m| m.as_str()).unwrap_or("").to_string());
        }
        grid.push(
            row.iter()
                .map(|c| crate::text::escape_controls(c, crate::text::Lines::Keep).into_owned())
                .collect(),
        );
    }
    let rendered = grid.render(w.width);
    for l in &rendered.header {
        writeln!(w.out, "{l}")?;
    }
    for (r, lines) in rows.iter().zip(&rendered.rows) {
        for (i, (line, spans)) in lines.iter().enumerate() {
            match spans.get(1) {
                Some(&(a, b)) if opts.color && i == 0 && b > a => writeln!(
                    w.out,
                    "{}\x1b[{}m{}\x1b[0m{}",
                    &line[..a],
                    sev_color(r.first.severity),
                    &line[a..b],
                    &line[b.min(line.len())..]
                )?,
                _ => writeln!(w.out, "{line}")?,
            }
        }
    }
    Ok(())
}

/// Critical and high findings with what was seen, and one fix per id.
fn must_fix(report: &Report, w: &mut Lines<'_>) -> io::Result<()> {
    let urgent: Vec<&ReportFinding> = report
        .findings
        .iter()
        .filter(|f| f.severity <= Severity::High)
        .collect();
    if urgent.is_empty() {
        return Ok(());
    }
    w.blank()?;
    writeln!(w.out, "Must fix now:")?;
    let mut ids: Vec<&str> = Vec::new();
    for f in &urgent {
        if !ids.contains(&f.id.as_str()) {
            ids.push(&f.id);
        }
    }
    for id in ids {
        let group: Vec<&&ReportFinding> = urgent.iter().filter(|f| f.id == id).collect();
        let first = group[0];
        let ranks: Vec<String> = group.iter().map(|f| format!("#{}", f.rank)).collect();
        let head = if group.len() == 1 {
            format!("{} {} ({id})", ranks[0], first.title)
        } else {
            format!("{} {id} ×{}: {}", ranks.join(" "), group.len(), first.title)
        };
        w.para("  ", "     ", &head, 3)?;
        for f in group.iter().take(3) {
            let seen = if group.len() == 1 {
                f.evidence.clone()
            } else {
                format!("{}: {}", f.subject, f.evidence)
            };
            w.para("     seen: ", "           ", &seen, 3)?;
        }
        if group.len() > 3 {
            w.para(
                "     ",
                "     ",
                &format!("…and {} more (all of them: --format json)", group.len() - 3),
                1,
            )?;
        }
        w.para(
            "     fix:  ",
            "           ",
            &format!("{} (more: launchready explain {id})", first.fix),
            5,
        )?;
    }
    Ok(())
}

/// Ready-to-paste `gate.ignore` lines for the findings that fail the gate (when there are few
/// enough to be a decision rather than a backlog).
fn ignore_lines(report: &Report, opts: &RenderOptions, w: &mut Lines<'_>) -> io::Result<()> {
    let failing: Vec<&ReportFinding> = report
        .findings
        .iter()
        .filter(|f| super::fails_gate(f.severity, opts.fail_on))
        .collect();
    if failing.is_empty() {
        return Ok(());
    }
    w.blank()?;
    if failing.len() > 10 {
        return w.para(
            "",
            "",
            "To accept a risk, add its fingerprint (under its id in the table) or its id (every finding with it) to `ignore` under [gate] in launchready.toml.",
            3,
        );
    }
    w.para(
        "",
        "",
        "To accept a risk instead of fixing it, keep its line in launchready.toml:",
        2,
    )?;
    writeln!(w.out, "[gate]")?;
    writeln!(w.out, "ignore = [")?;
    for f in failing {
        let line = format!("  \"{}\",  # {} {}", f.fingerprint, f.id, f.subject);
        writeln!(w.out, "{}", layout::clip(&line, w.width))?;
    }
    writeln!(w.out, "]")
}

/// One compact line per measured endpoint:
/// `latency api: p50 7.2 ms · p95 10.7 ms · p99 10.9 ms · max 10.9 ms · first byte p95 10.7 ms · errors 0.0% (20 samples; 20x200)`.
fn latency_lines(report: &Report, w: &mut Lines<'_>) -> io::Result<()> {
    for e in &report.measurements.endpoints {
        let name = &e.name;
        let status = e
            .status
            .iter()
            .map(|(k, v)| format!("{v}x{k}"))
            .collect::<Vec<_>>()
            .join(", ");
        let fb = match e.first_byte.as_str() {
            "body" => "first body byte",
            _ => "first byte",
        };
        let timeouts = e.timeouts;
        let cut = e.cut_by_deadline.unwrap_or(0);
        let extra = |timeouts: u64| {
            let mut s = String::new();
            if timeouts > 0 {
                s.push_str(&format!("; {timeouts} timed out"));
            }
            if cut > 0 {
                s.push_str(&format!("; {cut} cut off by the audit deadline"));
            }
            s
        };
        let text = if e.answered == Some(0) {
            format!("no answer ({} samples{})", e.samples, extra(timeouts))
        } else {
            format!(
                "p50 {:.1} ms · p95 {:.1} ms · p99 {:.1} ms · max {:.1} ms · {fb} p95 {:.1} ms · errors {:.1}% ({} samples{}{})",
                e.p50_ms,
                e.p95_ms,
                e.p99_ms,
                e.max_ms,
                e.first_byte_p95_ms,
                e.error_rate * 100.0,
                e.samples,
                if status.is_empty() {
                    String::new()
                } else {
                    format!("; {status}")
                },
                extra(timeouts),
            )
        };
        let first = format!("latency {name}: ");
        w.para(&first, "    ", &text, 4)?;
    }
    Ok(())
}

/// One line for the ai check: requests spent against the budget, 429s, what was left out:
/// `ai support-bot: 25 of 40 chat requests spent, 25 probes, 0 rate-limited (2.1 s)`.
fn ai_line(report: &Report, w: &mut Lines<'_>) -> io::Result<()> {
    let Some(crate::model::AiMeasurement::Probed(m)) = &report.measurements.ai else {
        return Ok(());
    };
    let mut extra = String::new();
    if !m.over_budget.is_empty() {
        extra.push_str(&format!(
            ", {} left out for the budget",
            m.over_budget.len()
        ));
    }
    if m.not_sent > 0 {
        extra.push_str(&format!(", {} not sent before the deadline", m.not_sent));
    }
    let text = format!(
        "{} of {} chat requests spent, {} probes, {} rate-limited{extra} ({:.1} s)",
        m.requests_spent,
        m.max_requests,
        m.probes.len(),
        m.rate_limited,
        m.duration_ms as f64 / 1000.0
    );
    w.para(&format!("ai {}: ", m.endpoint), "    ", &text, 3)
}

/// With `--baseline`: the baseline's findings that are gone.
fn gone_lines(report: &Report, w: &mut Lines<'_>) -> io::Result<()> {
    let Some(gone) = &report.gone else {
        return Ok(());
    };
    if gone.is_empty() {
        return writeln!(w.out, "Gone since the baseline: none.");
    }
    writeln!(w.out, "Gone since the baseline ({}):", gone.len())?;
    for g in gone {
        let line = format!(
            "{} {} {} — {}",
            g.severity.as_str(),
            g.id,
            g.subject,
            g.title
        );
        w.para("  ", "    ", &line, 2)?;
    }
    Ok(())
}
