//! The human table: verdict, score and counts on top, then rank / severity / id / subject /
//! title, then the fix of each must-fix-now finding.

use super::{Labeled, RenderOptions, Report};
use crate::finding::Severity;
use crate::score::Verdict;
use comfy_table::{Cell, Color, ContentArrangement, Table, presets};
use std::io::{self, Write};

fn sev_color(s: Severity) -> Color {
    match s {
        Severity::Critical => Color::Red,
        Severity::High => Color::DarkRed,
        Severity::Medium => Color::Yellow,
        Severity::Low => Color::Cyan,
        Severity::Info => Color::Grey,
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
            writeln!(out, "=== {label} ===")?;
        }
        render(l.report, opts, out)?;
    }
    Ok(())
}

fn render(report: &Report, opts: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    let s = &report.summary;
    let verdict = match report.verdict {
        Verdict::Go => "GO",
        Verdict::NoGo => "NO-GO",
    };
    let verdict = if opts.color {
        let code = if report.verdict == Verdict::Go {
            "32"
        } else {
            "31"
        };
        format!("\x1b[1;{code}m{verdict}\x1b[0m")
    } else {
        verdict.to_string()
    };
    writeln!(
        out,
        "launchready {} — {}: {verdict}  score {}/100  ({} critical, {} high, {} medium, {} low, {} info{})",
        report.tool.version,
        report.target,
        report.score,
        s.critical,
        s.high,
        s.medium,
        s.low,
        s.info,
        if report.ignored > 0 {
            format!("; {} ignored", report.ignored)
        } else {
            String::new()
        }
    )?;
    let checks: Vec<String> = report
        .checks
        .iter()
        .map(|c| format!("{} {} {}ms", c.check, c.status.as_str(), c.duration_ms))
        .collect();
    writeln!(
        out,
        "checks: {}  (total {} ms)",
        checks.join(", "),
        report.duration_ms
    )?;
    if report.findings.is_empty() {
        writeln!(out, "No findings.")?;
        return Ok(());
    }
    let mut table = Table::new();
    table
        .load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(160);
    if !opts.color {
        table.force_no_tty();
    }
    table.set_header(vec!["#", "severity", "id", "subject", "title"]);
    for f in &report.findings {
        let mut sev = Cell::new(f.severity.as_str());
        if opts.color {
            sev = sev.fg(sev_color(f.severity));
        }
        table.add_row(vec![
            Cell::new(f.rank),
            sev,
            Cell::new(&f.id),
            Cell::new(&f.subject),
            Cell::new(&f.title),
        ]);
    }
    writeln!(out, "{table}")?;
    let urgent: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.severity <= Severity::High)
        .collect();
    if !urgent.is_empty() {
        writeln!(out, "\nMust fix now:")?;
        for f in urgent {
            writeln!(out, "  #{} {} ({})", f.rank, f.title, f.id)?;
            writeln!(out, "     seen: {}", f.evidence)?;
            writeln!(out, "     fix:  {}", f.fix)?;
        }
    }
    writeln!(out, "\nMore on any id: launchready explain <id>")?;
    Ok(())
}
