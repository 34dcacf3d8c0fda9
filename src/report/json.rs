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
    write_json(&all, out)
}

fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    write_json(report, out)
}

/// Pretty JSON with every control character escaped (see [`crate::text::json_escape_controls`]).
pub(super) fn write_json<T: serde::Serialize + ?Sized>(
    value: &T,
    out: &mut dyn Write,
) -> io::Result<()> {
    let text = serde_json::to_string_pretty(value).map_err(io::Error::other)?;
    out.write_all(crate::text::json_escape_controls(&text).as_bytes())?;
    writeln!(out)
}
