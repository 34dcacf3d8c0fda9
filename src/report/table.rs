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
        .filter(|c| c.status == crate::audit::CheckStatus::Error)
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
    ai_line(report, out)?;
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
    use serde_json::Value;
    let num = |e: &Value, k: &str| e.get(k).and_then(Value::as_f64).unwrap_or(0.0);
    for e in &report.measurements.endpoints {
        let name = e.get("name").and_then(Value::as_str).unwrap_or("?");
        let status = e
            .get("status")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .map(|(k, v)| format!("{}x{k}", v.as_u64().unwrap_or(0)))
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default();
        let fb = match e.get("first_byte").and_then(Value::as_str) {
            Some("body") => "first body byte",
            _ => "first byte",
        };
        let timeouts = e.get("timeouts").and_then(Value::as_u64).unwrap_or(0);
        if e.get("answered").and_then(Value::as_u64) == Some(0) {
            writeln!(
                out,
                "latency {name}: no answer ({} samples{})",
                e.get("samples").and_then(Value::as_u64).unwrap_or(0),
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
            num(e, "p50_ms"),
            num(e, "p95_ms"),
            num(e, "p99_ms"),
            num(e, "max_ms"),
            num(e, "first_byte_p95_ms"),
            num(e, "error_rate") * 100.0,
            e.get("samples").and_then(Value::as_u64).unwrap_or(0),
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

/// One line for the ai check: requests spent against the budget, 429s, what was left out:
/// `ai support-bot: 25 of 40 chat requests spent, 25 probes, 0 rate-limited (2.1 s)`.
fn ai_line(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    use serde_json::Value;
    let Some(m) = report.measurements.other.get("ai") else {
        return Ok(());
    };
    let n = |k: &str| m.get(k).and_then(Value::as_u64).unwrap_or(0);
    let Some(ep) = m.get("endpoint").and_then(Value::as_str) else {
        return Ok(());
    };
    let probes = m
        .get("probes")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    let over = m
        .get("over_budget")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    let mut extra = String::new();
    if over > 0 {
        extra.push_str(&format!(", {over} left out for the budget"));
    }
    if n("not_sent") > 0 {
        extra.push_str(&format!(", {} not sent before the deadline", n("not_sent")));
    }
    writeln!(
        out,
        "ai {ep}: {} of {} chat requests spent, {probes} probes, {} rate-limited{extra} ({:.1} s)",
        n("requests_spent"),
        n("max_requests"),
        n("rate_limited"),
        n("duration_ms") as f64 / 1000.0
    )
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
