//! The JSON report: pretty-printed [`super::Report`], and the schema that describes it.

use super::{Labeled, Report};
use std::io::{self, Write};

/// JSON Schema (draft 2020-12) of the report, shipped in the repo as `schema/report.schema.json`.
pub const SCHEMA: &str = include_str!("../../schema/report.schema.json");

/// One report as an object; several as an array (labels are not part of the JSON contract).
pub(super) fn render_all(reports: &[Labeled<'_>], out: &mut dyn Write) -> io::Result<()> {
    if let [one] = reports {
        return render(one.report, out);
    }
    let all: Vec<&Report> = reports.iter().map(|l| l.report).collect();
    serde_json::to_writer_pretty(&mut *out, &all).map_err(io::Error::other)?;
    writeln!(out)
}

fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report).map_err(io::Error::other)?;
    writeln!(out)
}
