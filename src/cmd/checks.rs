//! `launchready checks`: the finding catalogue as a table or a JSON array.

use super::{Exit, Fatal, write_out};
use crate::catalogue::{ALL, secrets};
use crate::cli::{ChecksArgs, ListFormat};
use crate::model::Spec;
use std::io::Write;

/// Runs `checks`.
pub(crate) fn run(args: ChecksArgs, out: &mut dyn Write) -> Result<Exit, Fatal> {
    write_out(out, list(args.format).as_bytes())?;
    Ok(Exit::Pass)
}

/// Renders the whole catalogue for `launchready checks`: a table, or a JSON array with one
/// object per spec.
fn list(format: ListFormat) -> String {
    match format {
        ListFormat::Json => {
            let mut specs: Vec<serde_json::Value> = ALL.iter().map(|s| spec_json(s)).collect();
            for rule in crate::checks::secrets::rule_infos() {
                let mut v = spec_json(rule.spec);
                v["id"] = serde_json::json!(rule.id);
                v["title"] = serde_json::json!(rule.title);
                v["severity"] = serde_json::json!(rule.severity);
                v["bucket"] = serde_json::json!(rule.severity.bucket());
                specs.push(v);
            }
            let mut text = serde_json::to_string_pretty(&specs).unwrap_or_else(|_| "[]".into());
            text.push('\n');
            text
        }
        ListFormat::Table => {
            use comfy_table::{ContentArrangement, Table, presets};
            let mut table = Table::new();
            table
                .load_style(presets::UTF8_FULL_CONDENSED)
                .set_content_arrangement(ContentArrangement::Dynamic)
                .set_width(160)
                .force_no_tty()
                .set_header(vec!["id", "check", "severity", "impact", "title"]);
            for s in ALL {
                let id = if s.id == secrets::PROVIDER_CREDENTIAL.id {
                    "secret.<rule>"
                } else {
                    s.id
                };
                table.add_row(vec![
                    id,
                    s.check.as_str(),
                    s.severity.as_str(),
                    s.impact.as_str(),
                    s.title,
                ]);
            }
            let rules = crate::checks::secrets::rule_infos();
            for r in &rules {
                table.add_row(vec![
                    r.id.as_str(),
                    r.spec.check.as_str(),
                    r.severity.as_str(),
                    r.spec.impact.as_str(),
                    r.title.as_str(),
                ]);
            }
            format!(
                "{table}\n{} finding ids and {} secret rules. `launchready explain <id>` shows why \
                 each matters and how to fix it; secret.<rule> stands for every secret rule listed \
                 below it (e.g. secret.aws_access_key).\n",
                ALL.len(),
                rules.len()
            )
        }
    }
}

fn spec_json(s: &Spec) -> serde_json::Value {
    serde_json::json!({
        "id": s.id,
        "check": s.check,
        "severity": s.severity,
        "impact": s.impact,
        "bucket": s.severity.bucket(),
        "title": s.title,
        "when": s.when,
        "why": s.why,
        "fix": s.fix,
        "refs": s.refs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_json_has_every_id_and_table_mentions_them() {
        let json: serde_json::Value =
            serde_json::from_str(&list(ListFormat::Json)).expect("valid json");
        let ids: Vec<&str> = json
            .as_array()
            .expect("array")
            .iter()
            .map(|v| v["id"].as_str().expect("id"))
            .collect();
        // every catalogue id, then every secret rule
        assert_eq!(
            ids.len(),
            ALL.len() + crate::checks::secrets::rule_infos().len()
        );
        assert!(ids.contains(&"secret.aws_access_key") && ids.contains(&"secret.password"));
        for spec in ALL {
            assert!(ids.contains(&spec.id), "{}", spec.id);
        }
        assert_eq!(json[0]["severity"], "critical");
        assert_eq!(json[0]["bucket"], "must_fix_now");
        assert_eq!(json[0]["check"], "dns");
        let table = list(ListFormat::Table);
        assert!(table.contains("dns.dangling_cname") && table.contains("critical"));
        assert!(table.contains("secret.<rule>") && table.contains("check.error"));
    }
}
