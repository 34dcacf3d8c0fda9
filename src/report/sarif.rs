//! SARIF 2.1.0 (OASIS), for GitHub code scanning and other SARIF viewers.
//!
//! One run per report; `tool.driver.rules` holds one rule per finding id present, with the
//! catalogue's wording (short description = title, full description = why, help = fix and
//! references, `security-severity` for GitHub). Each result carries its level (critical/high ->
//! `error`, medium -> `warning`, low/info -> `note`), the launchready fingerprint in
//! `partialFingerprints`, and a location: a physical location (`path` + `startLine`) for
//! file-based findings (secrets, subject `path:line`), a logical location for hosts, URLs and
//! endpoints — plus, when the config file is known, a physical location at its first line,
//! since GitHub code scanning refuses results that have no physical location. Hand-written with serde_json: the subset emitted is small and a test validates it
//! against the official schema.

use super::{Labeled, RenderOptions, Report, ReportFinding};
use crate::finding::Severity;
use serde_json::{Value, json};
use std::io::{self, Write};

/// The `$schema` URI of SARIF 2.1.0 (the OASIS errata 01 schema, as GitHub documents it).
pub const SARIF_SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Key of launchready's fingerprint in `partialFingerprints`.
const FINGERPRINT_KEY: &str = "launchready/v1";

pub(super) fn render(
    reports: &[Labeled<'_>],
    opts: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let runs: Vec<Value> = reports
        .iter()
        .map(|l| run(l.report, opts.config_uri.as_deref()))
        .collect();
    let log = json!({
        "$schema": SARIF_SCHEMA_URI,
        "version": "2.1.0",
        "runs": runs,
    });
    super::json::write_json(&log, out)
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// GitHub's `security-severity` (a CVSS-like score: >= 9 critical, >= 7 high, >= 4 medium).
fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "0.0",
    }
}

fn run(r: &Report, config_uri: Option<&str>) -> Value {
    let mut rule_ids: Vec<&str> = Vec::new();
    for f in &r.findings {
        if !rule_ids.contains(&f.id.as_str()) {
            rule_ids.push(&f.id);
        }
    }
    let rules: Vec<Value> = rule_ids
        .iter()
        .map(|id| {
            let first = r.findings.iter().find(|f| f.id == *id);
            rule(id, first)
        })
        .collect();
    let results: Vec<Value> = r
        .findings
        .iter()
        .map(|f| {
            let index = rule_ids.iter().position(|i| *i == f.id).unwrap_or(0);
            result(f, index, config_uri)
        })
        .collect();
    json!({
        "tool": {"driver": {
            "name": "launchready",
            "version": r.tool.version,
            "semanticVersion": r.tool.version,
            "rules": rules,
        }},
        "automationDetails": {"id": format!("launchready/{}/", r.target)},
        "invocations": [invocation(r)],
        "columnKind": "unicodeCodePoints",
        "results": results,
        "properties": {
            "target": r.target,
            "verdict": r.verdict.as_str(),
            "complete": r.complete,
            "score": r.score,
        },
    })
}

/// The run's invocation: an incomplete audit is not a successful execution, and each check
/// that could not do its job is a tool execution notification (SARIF 2.1.0 §3.20.21) naming
/// the check and the cause.
fn invocation(r: &Report) -> Value {
    let notes: Vec<Value> = r
        .checks
        .iter()
        .filter(|c| c.incomplete)
        .map(|c| {
            json!({
                "level": "error",
                "message": {"text": format!(
                    "INCOMPLETE: the {} check could not do its job: {}",
                    c.check,
                    c.reason.as_deref().unwrap_or("could not complete")
                )},
                "descriptor": {"id": format!("incomplete.{}", c.check)},
            })
        })
        .collect();
    let mut inv = json!({
        "executionSuccessful": r.complete,
        "startTimeUtc": r.started_at,
    });
    if !notes.is_empty() {
        inv["toolExecutionNotifications"] = Value::Array(notes);
    }
    inv["toolConfigurationNotifications"] = Value::Array(rules_file_notifications(r));
    inv
}

/// What loading a secret `rules_file` did ("loaded N of M rules", each dropped rule or
/// allowlist), as SARIF configuration notifications: the first is a note, the others warnings.
fn rules_file_notifications(r: &Report) -> Vec<Value> {
    r.measurements
        .rules_file_messages()
        .into_iter()
        .enumerate()
        .map(|(i, text)| {
            json!({
                "level": if i == 0 { "note" } else { "warning" },
                "message": {"text": text},
                "descriptor": {"id": "secrets.rules_file"},
            })
        })
        .collect()
}

fn rule(id: &str, first: Option<&ReportFinding>) -> Value {
    let spec = crate::catalogue::lookup(id);
    let severity = spec
        .map(|s| s.severity)
        .or(first.map(|f| f.severity))
        .unwrap_or(Severity::Medium);
    let title = spec
        .map(|s| s.title.to_string())
        .or(first.map(|f| f.title.clone()))
        .unwrap_or_else(|| id.to_string());
    let why = spec.map(|s| s.why.to_string()).unwrap_or(title.clone());
    let fix = spec
        .map(|s| s.fix.to_string())
        .or(first.map(|f| f.fix.clone()))
        .unwrap_or_default();
    let refs: Vec<String> = match spec {
        Some(s) => s.refs.iter().map(|r| r.to_string()).collect(),
        None => first.map(|f| f.refs.clone()).unwrap_or_default(),
    };
    let mut help_text = format!("Fix: {fix}");
    let mut help_md = format!("**Fix:** {fix}");
    if !refs.is_empty() {
        help_text.push_str(&format!("\nReferences: {}", refs.join(", ")));
        help_md.push_str("\n\n**References:**\n");
        for r in &refs {
            help_md.push_str(&format!("\n- <{r}>"));
        }
    }
    help_text.push_str(&format!("\nMore: launchready explain {id}"));
    let check = id.split('.').next().unwrap_or(id);
    let mut v = json!({
        "id": id,
        "name": camel(id),
        "shortDescription": {"text": title},
        "fullDescription": {"text": why},
        "help": {"text": help_text, "markdown": help_md},
        "defaultConfiguration": {"level": level(severity)},
        "properties": {
            "tags": ["security", "launch-readiness", check],
            "security-severity": security_severity(severity),
            "precision": "high",
        },
    });
    if let Some(u) = refs.iter().find(|u| url::Url::parse(u).is_ok()) {
        v["helpUri"] = Value::String(u.clone());
    }
    v
}

/// `dns.dangling_cname` -> `DnsDanglingCname` (SARIF `name` is an identifier-like string).
fn camel(id: &str) -> String {
    id.split(['.', '_'])
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut c = p.chars();
            match c.next() {
                Some(f) => f.to_uppercase().chain(c).collect::<String>(),
                None => String::new(),
            }
        })
        .collect()
}

fn result(f: &ReportFinding, rule_index: usize, config_uri: Option<&str>) -> Value {
    let message = if f.evidence.is_empty() {
        f.title.clone()
    } else {
        format!(
            "{}. Observed: {}",
            f.title.trim_end_matches('.'),
            f.evidence
        )
    };
    json!({
        "ruleId": f.id,
        "ruleIndex": rule_index,
        "level": level(f.severity),
        "message": {"text": message},
        "locations": [location(f, config_uri)],
        "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint},
        "properties": {
            "severity": f.severity.as_str(),
            "impact": f.impact.as_str(),
            "bucket": f.bucket.as_str(),
            "rank": f.rank,
            "subject": f.subject,
        },
    })
}

fn location(f: &ReportFinding, config_uri: Option<&str>) -> Value {
    if let Some((path, line)) = file_location(&f.check, &f.subject) {
        let mut region = json!({});
        let mut phys = json!({
            "artifactLocation": {"uri": path_uri(&path), "uriBaseId": "%SRCROOT%"},
        });
        if let Some(line) = line {
            region["startLine"] = json!(line);
            phys["region"] = region;
        }
        return json!({"physicalLocation": phys});
    }
    let mut loc = json!({"logicalLocations": [{
        "name": f.subject,
        "fullyQualifiedName": format!("{}/{}", f.check, f.subject),
        "kind": "resource",
    }]});
    // GitHub code scanning rejects a result without a physical location, so a host finding
    // also points at the config file that declared the host.
    if let Some(cfg) = config_uri.filter(|c| !c.is_empty()) {
        loc["physicalLocation"] = json!({
            "artifactLocation": {"uri": path_uri(cfg), "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": 1},
        });
    }
    loc
}

/// `(path, line)` when the finding is about a file: the secrets check's `path:line` subjects
/// (or a bare path), and any subject of the form `relative/path.ext:line`. Host subjects such as
/// `acme.example:443` or URLs are not files.
fn file_location(check: &str, subject: &str) -> Option<(String, Option<u64>)> {
    if subject.contains("://") || subject.trim().is_empty() {
        return None;
    }
    let (path, line) = match subject.rsplit_once(':') {
        Some((p, l)) if !p.is_empty() && l.parse::<u64>().is_ok_and(|n| n > 0) => {
            (p, l.parse::<u64>().ok())
        }
        _ => (subject, None),
    };
    let looks_like_file = path.contains('/') || path.starts_with('.');
    if check == "secrets" || (looks_like_file && line.is_some()) {
        Some((path.trim_start_matches("./").to_string(), line))
    } else {
        None
    }
}

/// A relative path as a URI reference: `/` separators kept, everything else outside the
/// unreserved set percent-encoded (RFC 3986).
fn path_uri(path: &str) -> String {
    let mut s = String::new();
    for b in path.replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_get_physical_locations_hosts_do_not() {
        assert_eq!(
            file_location("secrets", "src/app.ts:12"),
            Some(("src/app.ts".into(), Some(12)))
        );
        assert_eq!(
            file_location("secrets", ".env"),
            Some((".env".into(), None))
        );
        assert_eq!(file_location("tls", "acme.example:443"), None);
        assert_eq!(file_location("http", "https://acme.example/x:1"), None);
        assert_eq!(file_location("dns", "app.acme.example"), None);
        assert_eq!(
            file_location("http", "dist/app.js:3"),
            Some(("dist/app.js".into(), Some(3)))
        );
    }

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(path_uri("src/my file.ts"), "src/my%20file.ts");
        assert_eq!(path_uri("a\\b#c"), "a/b%23c");
        assert_eq!(path_uri("é"), "%C3%A9");
    }

    #[test]
    fn rule_names_are_camel_case() {
        assert_eq!(camel("dns.dangling_cname"), "DnsDanglingCname");
        assert_eq!(camel("check.error"), "CheckError");
    }
}
