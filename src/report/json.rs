//! The JSON report: pretty-printed [`super::Report`], and the schema that describes it.

use super::Report;
use std::io::{self, Write};

/// JSON Schema (draft 2020-12) of the report, shipped in the repo as `schema/report.schema.json`.
pub const SCHEMA: &str = include_str!("../../schema/report.schema.json");

pub(super) fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report).map_err(io::Error::other)?;
    writeln!(out)
}
