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
    let errored: Vec<&str> = report
        .checks
        .iter()
        .filter(|c| c.status == crate::model::CheckStatus::Error)
        .map(|c| c.check.as_str())
        .collect();
    if !errored.is_empty() {
        writeln!(
            out,
            "INCOMPLETE: {} could not complete (see check.error below); the verdict covers only what ran.",
            errored.join(", ")
        )?;
    }
    latency_lines(report, out)?;
    if report.findings.is_empty() {
        writeln!(out, "No findings.")?;
        return gone_lines(report, out);
    }
    let mut table = Table::new();
    table
        .load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(160);
    if !opts.color {
        table.force_no_tty();
    }
    let marks = report.gone.is_some();
    let mut header = vec!["#", "severity", "id", "subject", "title"];
    if marks {
        header.push("vs baseline");
    }
    table.set_header(header);
    for f in &report.findings {
        let mut sev = Cell::new(f.severity.as_str());
        if opts.color {
            sev = sev.fg(sev_color(f.severity));
        }
        let mut row = vec![
            Cell::new(f.rank),
            sev,
            Cell::new(&f.id),
            Cell::new(&f.subject),
            Cell::new(&f.title),
        ];
        if marks {
            row.push(Cell::new(f.baseline.map(|m| m.as_str()).unwrap_or("")));
        }
        table.add_row(row);
    }
    writeln!(out, "{table}")?;
    gone_lines(report, out)?;
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

/// One compact line per measured endpoint:
/// `latency api: p50 7.2 ms · p95 10.7 ms · p99 10.9 ms · max 10.9 ms · first byte p95 10.7 ms · errors 0.0% (20 samples; 20x200)`.
fn latency_lines(report: &Report, out: &mut dyn Write) -> io::Result<()> {
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
        if e.answered == 0 {
            writeln!(
                out,
                "latency {name}: no answer ({} samples{})",
                e.samples,
                if timeouts > 0 {
                    format!("; {timeouts} timed out")
                } else {
                    String::new()
                }
            )?;
            continue;
        }
        writeln!(
            out,
            "latency {name}: p50 {:.1} ms · p95 {:.1} ms · p99 {:.1} ms · max {:.1} ms · {fb} p95 {:.1} ms · errors {:.1}% ({} samples{}{})",
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
            if timeouts > 0 {
                format!("; {timeouts} timed out")
            } else {
                String::new()
            },
        )?;
    }
    Ok(())
}

/// With `--baseline`: the baseline's findings that are gone.
fn gone_lines(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let Some(gone) = &report.gone else {
        return Ok(());
    };
    if gone.is_empty() {
        return writeln!(out, "Gone since the baseline: none.");
    }
    writeln!(out, "Gone since the baseline ({}):", gone.len())?;
    for g in gone {
        writeln!(
            out,
            "  {} {} {} — {}",
            g.severity.as_str(),
            g.id,
            g.subject,
            g.title
        )?;
    }
    Ok(())
}
