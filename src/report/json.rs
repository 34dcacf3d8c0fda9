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

#[cfg(test)]
mod tests {
    use serde_json::Value;

    /// Every field under `measurements`, at any depth, says what it holds.
    fn undocumented(v: &Value, path: &str, out: &mut Vec<String>) {
        let Some(o) = v.as_object() else { return };
        if let Some(Value::Object(props)) = o.get("properties") {
            for (k, p) in props {
                let here = format!("{path}.{k}");
                if p.get("description").is_none() {
                    out.push(here.clone());
                }
                undocumented(p, &here, out);
            }
        }
        for key in ["items", "additionalProperties"] {
            if let Some(inner) = o.get(key) {
                undocumented(inner, &format!("{path}[]"), out);
            }
        }
        if let Some(Value::Array(alts)) = o.get("oneOf") {
            for a in alts {
                undocumented(a, path, out);
            }
        }
    }

    #[test]
    fn every_measurement_field_is_documented() {
        let schema: Value = serde_json::from_str(super::SCHEMA).expect("schema parses");
        let mut missing = Vec::new();
        undocumented(
            &schema["properties"]["measurements"],
            "measurements",
            &mut missing,
        );
        assert!(missing.is_empty(), "no description: {missing:#?}");
    }
}
