//! `launchready diff OLD.json NEW.json`: read two JSON reports, compare them, render the
//! comparison, and gate on new risks (exit 1 when NEW has a finding at or above `--fail-on`
//! that OLD did not have).

use super::audit::threshold;
use super::{Exit, Fatal, write_out};
use crate::cli::{DiffArgs, DiffFormat};
use crate::report::diff::Diff;
use crate::report::{Report, SCHEMA_VERSION};
use std::io::Write;
use std::path::Path;

/// Runs `diff`.
pub(crate) fn run(args: DiffArgs, out: &mut dyn Write) -> Result<Exit, Fatal> {
    let old = read_report(&args.old)?;
    let new = read_report(&args.new)?;
    let name = |p: &Path| p.display().to_string();
    let d = Diff::of(&name(&args.old), &old, &name(&args.new), &new);
    let text = match args.format {
        DiffFormat::Table => d.table(),
        DiffFormat::Markdown => d.markdown(),
        DiffFormat::Json => d.json(),
        DiffFormat::Html => d.html(),
    };
    match &args.output {
        Some(p) => std::fs::write(p, text)
            .map_err(|e| Fatal::CouldNotRun(format!("cannot write {}: {e}", p.display())))?,
        None => write_out(out, text.as_bytes())?,
    }
    Ok(if d.new_risk(threshold(Some(args.fail_on), None)) {
        Exit::GateFailed
    } else {
        Exit::Pass
    })
}

/// Reads one launchready JSON report, with an error that names the file and says what is
/// wrong: unreadable, not JSON, not a report (e.g. the demo's array of two), or a schema
/// version this build does not read.
pub(crate) fn read_report(path: &Path) -> Result<Report, Fatal> {
    let p = path.display();
    let text = std::fs::read_to_string(path).map_err(|e| Fatal::Usage(format!("{p}: {e}")))?;
    let v: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| Fatal::Usage(format!("{p}:{}:{}: not JSON: {e}", e.line(), e.column())))?;
    if let Some(a) = v.as_array() {
        return Err(Fatal::Usage(format!(
            "{p}: holds a list of {} reports (as `demo --format json` prints); give one report per file",
            a.len()
        )));
    }
    match v.get("schema_version").map(serde_json::Value::as_u64) {
        None => {
            return Err(Fatal::Usage(format!(
                "{p}: not a launchready JSON report (no `schema_version`)"
            )));
        }
        Some(Some(n)) if n == u64::from(SCHEMA_VERSION) => {}
        Some(n) => {
            return Err(Fatal::Usage(format!(
                "{p}: schema_version {} is not the version this launchready reads ({SCHEMA_VERSION})",
                n.map_or_else(|| "(not a number)".to_string(), |n| n.to_string())
            )));
        }
    }
    serde_json::from_value(v)
        .map_err(|e| Fatal::Usage(format!("{p}: not a launchready JSON report: {e}")))
}
