//! The schemas of the diff and index documents: every property says what it holds, every object
//! is closed, and each schema accepts the document this build writes and refuses a wrong one.

use super::diff::{Diff, DiffFinding, EndpointChange, Side};
use super::index::{Index, IndexRow, TopRisk};
use super::{DIFF_SCHEMA, INDEX_SCHEMA};
use crate::model::Severity;
use crate::score::{Summary, Verdict};
use serde_json::{Value, json};

/// Properties without a description, and objects with properties that are not closed, at any
/// depth (properties, items, oneOf, `$defs`).
fn gaps(v: &Value, path: &str, out: &mut Vec<String>) {
    let Some(o) = v.as_object() else { return };
    if let Some(Value::Object(props)) = o.get("properties") {
        if o.get("additionalProperties") != Some(&Value::Bool(false)) {
            out.push(format!("{path}: additionalProperties is not false"));
        }
        for (k, p) in props {
            let here = format!("{path}.{k}");
            if p.get("description").is_none() {
                out.push(format!("{here}: no description"));
            }
            gaps(p, &here, out);
        }
    }
    if let Some(inner) = o.get("items") {
        gaps(inner, &format!("{path}[]"), out);
    }
    if let Some(Value::Array(alts)) = o.get("oneOf") {
        for a in alts {
            gaps(a, path, out);
        }
    }
    if let Some(Value::Object(defs)) = o.get("$defs") {
        for (k, d) in defs {
            gaps(d, &format!("$defs.{k}"), out);
        }
    }
}

fn parsed(schema: &str) -> Value {
    serde_json::from_str(schema).expect("schema parses")
}

fn errors(schema: &str, doc: &Value) -> Vec<String> {
    let v = jsonschema::validator_for(&parsed(schema)).expect("schema compiles");
    v.iter_errors(doc)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect()
}

#[test]
fn every_diff_and_index_field_is_documented_and_closed() {
    for (name, schema) in [("diff", DIFF_SCHEMA), ("index", INDEX_SCHEMA)] {
        let s = parsed(schema);
        assert_eq!(
            s["$schema"], "https://json-schema.org/draft/2020-12/schema",
            "{name}"
        );
        let mut missing = Vec::new();
        gaps(&s, name, &mut missing);
        assert!(missing.is_empty(), "{name}: {missing:#?}");
        // The walker does look: the root alone has several documented properties.
        assert!(s["properties"].as_object().is_some_and(|p| p.len() >= 2));
    }
}

fn summary() -> Summary {
    Summary {
        critical: 1,
        high: 2,
        medium: 0,
        low: 3,
        info: 0,
    }
}

fn side(file: &str, verdict: Verdict, score: u32) -> Side {
    Side {
        file: file.into(),
        target: "shop.example".into(),
        started_at: "2026-12-01T06:00:00.123Z".into(),
        verdict,
        score,
        summary: summary(),
    }
}

fn finding(id: &str, severity: Severity) -> DiffFinding {
    DiffFinding {
        id: id.into(),
        severity,
        subject: "shop.example".into(),
        title: "Something is wrong".into(),
        fingerprint: "0123456789abcdef".into(),
    }
}

fn diff_doc() -> Value {
    let d = Diff {
        old: side("before.json", Verdict::NoGo, 40),
        new: side("after.json", Verdict::Go, 96),
        fixed: vec![finding("tls.cert_expiring", Severity::Critical)],
        new_findings: vec![finding("headers.missing_hsts", Severity::Low)],
        unchanged: vec![],
        endpoints: vec![
            EndpointChange {
                name: "chat".into(),
                old_p95_ms: Some(812.5),
                new_p95_ms: Some(120.0),
                change_pct: Some(-85.2),
            },
            EndpointChange {
                name: "status".into(),
                old_p95_ms: None,
                new_p95_ms: Some(3.0),
                change_pct: None,
            },
        ],
    };
    serde_json::from_str(&d.json()).expect("diff JSON parses")
}

fn index_doc() -> Value {
    let row = |target: &str, top: Option<TopRisk>| IndexRow {
        target: target.into(),
        report: format!("{target}.json"),
        verdict: if top.is_some() {
            Verdict::NoGo
        } else {
            Verdict::Go
        },
        complete: true,
        score: 70,
        summary: summary(),
        top_risk: top,
        page: None,
    };
    let ix = Index::new(vec![
        row("a.example", None),
        row(
            "b.example",
            Some(TopRisk {
                id: "dns.dangling_cname".into(),
                severity: Severity::Critical,
                title: "A CNAME points at nothing".into(),
            }),
        ),
    ]);
    serde_json::from_str(&ix.json()).expect("index JSON parses")
}

/// `doc` with `edit` applied must fail validation, at the edited place.
fn refused(schema: &str, doc: &Value, what: &str, edit: impl FnOnce(&mut Value)) {
    let mut bad = doc.clone();
    edit(&mut bad);
    assert_ne!(&bad, doc, "{what}: the edit changed nothing");
    assert!(
        !errors(schema, &bad).is_empty(),
        "{what}: accepted\n{bad:#}"
    );
}

#[test]
fn the_diff_schema_accepts_this_build_and_refuses_wrong_fields() {
    let doc = diff_doc();
    assert_eq!(errors(DIFF_SCHEMA, &doc), Vec::<String>::new(), "{doc:#}");
    refused(DIFF_SCHEMA, &doc, "unknown top-level field", |d| {
        d["gone"] = json!([]);
    });
    refused(DIFF_SCHEMA, &doc, "unknown verdict", |d| {
        d["new"]["verdict"] = json!("maybe");
    });
    refused(DIFF_SCHEMA, &doc, "unknown severity", |d| {
        d["fixed"][0]["severity"] = json!("urgent");
    });
    refused(DIFF_SCHEMA, &doc, "score above 100", |d| {
        d["old"]["score"] = json!(101);
    });
    refused(DIFF_SCHEMA, &doc, "p95 as text", |d| {
        d["endpoints"][0]["new_p95_ms"] = json!("120 ms");
    });
    refused(DIFF_SCHEMA, &doc, "missing fingerprint", |d| {
        d["new_findings"][0]
            .as_object_mut()
            .unwrap()
            .remove("fingerprint");
    });
    refused(DIFF_SCHEMA, &doc, "another diff_version", |d| {
        d["diff_version"] = json!(2);
    });
    refused(DIFF_SCHEMA, &doc, "extra count in a summary", |d| {
        d["new"]["summary"]["ignored"] = json!(0);
    });
    // An index is not a diff.
    assert!(!errors(DIFF_SCHEMA, &index_doc()).is_empty());
}

#[test]
fn the_index_schema_accepts_this_build_and_refuses_wrong_fields() {
    let doc = index_doc();
    assert_eq!(errors(INDEX_SCHEMA, &doc), Vec::<String>::new(), "{doc:#}");
    assert!(doc["targets"][0]["top_risk"].is_null(), "{doc:#}");
    refused(INDEX_SCHEMA, &doc, "unknown row field", |d| {
        d["targets"][1]["html"] = json!("b.html");
    });
    refused(INDEX_SCHEMA, &doc, "unknown verdict", |d| {
        d["targets"][0]["verdict"] = json!("GO");
    });
    refused(INDEX_SCHEMA, &doc, "complete as text", |d| {
        d["targets"][0]["complete"] = json!("yes");
    });
    refused(INDEX_SCHEMA, &doc, "top risk without an id", |d| {
        d["targets"][1]["top_risk"]
            .as_object_mut()
            .unwrap()
            .remove("id");
    });
    refused(INDEX_SCHEMA, &doc, "top risk severity", |d| {
        d["targets"][1]["top_risk"]["severity"] = json!("severe");
    });
    refused(INDEX_SCHEMA, &doc, "missing top_risk", |d| {
        d["targets"][0].as_object_mut().unwrap().remove("top_risk");
    });
    refused(INDEX_SCHEMA, &doc, "another index_version", |d| {
        d["index_version"] = json!(0);
    });
    assert!(!errors(INDEX_SCHEMA, &diff_doc()).is_empty());
}

#[test]
fn terminal_controls_from_the_network_are_escaped_in_both_documents() {
    let hostile = "evil\u{9b}31m\u{202e}gnp.exe\u{7f}";
    let mut d = Diff {
        old: side("before.json", Verdict::NoGo, 40),
        new: side("after.json", Verdict::Go, 96),
        fixed: vec![finding("http.redirect_offsite", Severity::High)],
        new_findings: vec![],
        unchanged: vec![],
        endpoints: vec![],
    };
    d.fixed[0].subject = hostile.into();
    let mut ix: Index = serde_json::from_value(index_doc()).expect("index reads back");
    ix.targets[0].target = hostile.into();
    for text in [d.json(), ix.json()] {
        assert!(
            !text
                .chars()
                .any(|c| c.is_control() && c != '\n' || c == '\u{202e}'),
            "{text}"
        );
        assert!(
            text.contains("\\u009b") && text.contains("\\u202e"),
            "{text}"
        );
        // The data is unchanged for a JSON reader.
        let v: Value = serde_json::from_str(&text).unwrap();
        let back = v["fixed"][0]["subject"]
            .as_str()
            .or(v["targets"][0]["target"].as_str());
        assert_eq!(back, Some(hostile));
    }
}
