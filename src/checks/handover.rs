//! `handover.*`: the operational facts a founder needs on the day someone else takes over —
//! who owns each area, how to roll back, who is alerted when the site goes down — read from
//! `[handover]` in the config (DESIGN §3).
//!
//! - `handover.no_owner`: one finding per area (dns, hosting, email, monitoring, secrets) whose
//!   owner is missing or blank; subject `owners.<area>`.
//! - `handover.no_rollback_plan`: `rollback_doc` is missing, or names a file that does not exist
//!   (or is empty) relative to the config file's directory, or is an http(s) URL that does not
//!   answer 2xx/3xx.
//! - `handover.no_uptime_monitor`: `uptime_monitor` is missing, or is an http(s) URL that does
//!   not answer 2xx/3xx. A value that is not a URL ("Better Stack, alerts to #ops") is taken as
//!   declared and reported as not verified.
//!
//! When `[handover]` is absent entirely, nothing is known, so every area is unowned and both
//! documents are missing: all seven findings fire, and their evidence says the table is missing.
//! Silence would turn "nobody wrote this down" into a GO; `--skip handover` or `gate.ignore`
//! accept the risk explicitly.
//!
//! The facts themselves are recorded as `measurements.handover` for the Markdown checklist. URLs
//! are fetched with the shared client (timeouts, `--ca-file` roots, `--dns-server`); only the
//! status line is read.

use super::{Check, CheckError, Cx, Sink};
use crate::catalogue::handover as spec;
use crate::finding::CheckName;
use crate::model::{HANDOVER_AREAS, HandoverFact, HandoverFacts, Measurement, handover_area};
use futures::future::BoxFuture;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The handover check.
pub struct Handover;

impl Check for Handover {
    fn name(&self) -> CheckName {
        CheckName::Handover
    }

    fn run(&self, cx: Arc<Cx>, sink: Sink) -> BoxFuture<'static, Result<(), CheckError>> {
        Box::pin(async move {
            run(&cx, &sink).await;
            Ok(())
        })
    }
}

/// Whether a declared document or URL holds up.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Verdict {
    ok: bool,
    detail: String,
}

async fn run(cx: &Cx, sink: &Sink) {
    let h = &cx.cfg.handover;
    let missing_table = if h.declared {
        String::new()
    } else {
        format!(
            "; [handover] is missing from {}",
            cx.cfg.path.file_name().map_or_else(
                || cx.cfg.path.display().to_string(),
                |n| n.to_string_lossy().into_owned()
            )
        )
    };

    for area in HANDOVER_AREAS.iter().map(|a| a.key) {
        let owner = h.owners.get(area).map(|s| s.trim()).unwrap_or("");
        if owner.is_empty() {
            let seen = match h.owners.get(area) {
                Some(_) => format!("handover.owners.{area} is empty"),
                None => format!("handover.owners has no `{area}` entry"),
            };
            sink.push(spec::NO_OWNER.finding(
                format!("owners.{area}"),
                format!("nobody owns {}", area_words(area)),
                format!("{seen}{missing_table}"),
            ));
        }
    }

    let root = cx
        .cfg
        .path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));

    let rollback = match &h.rollback_doc {
        None => None,
        Some(doc) => Some(match http_url(doc) {
            Some(u) => probe(cx, &u).await,
            None => document(&root, doc),
        }),
    };
    match (&h.rollback_doc, &rollback) {
        (None, _) => sink.push(spec::NO_ROLLBACK_PLAN.finding(
            "handover.rollback_doc",
            "no rollback plan: nobody has written down how to undo a bad release",
            format!("handover.rollback_doc is not set{missing_table}"),
        )),
        (Some(doc), Some(v)) if !v.ok => sink.push(spec::NO_ROLLBACK_PLAN.finding(
            doc.clone(),
            format!("the rollback plan {doc} cannot be read"),
            format!("handover.rollback_doc = \"{doc}\": {}", v.detail),
        )),
        _ => {}
    }

    let monitor = match &h.uptime_monitor {
        None => None,
        Some(m) => Some(match http_url(m) {
            Some(u) => probe(cx, &u).await,
            None => Verdict {
                ok: true,
                detail: "not a URL, so not verified".into(),
            },
        }),
    };
    match (&h.uptime_monitor, &monitor) {
        (None, _) => sink.push(spec::NO_UPTIME_MONITOR.finding(
            "handover.uptime_monitor",
            "no uptime monitor: an outage is found by customers first",
            format!("handover.uptime_monitor is not set{missing_table}"),
        )),
        (Some(m), Some(v)) if !v.ok => sink.push(spec::NO_UPTIME_MONITOR.finding(
            m.clone(),
            format!("the uptime monitor {m} does not answer"),
            format!("handover.uptime_monitor = \"{m}\": {}", v.detail),
        )),
        _ => {}
    }

    let owners = HANDOVER_AREAS
        .iter()
        .map(|a| {
            (
                a.key.to_string(),
                h.owners
                    .get(a.key)
                    .map(|s| s.trim())
                    .unwrap_or("")
                    .to_string(),
            )
        })
        .collect();
    let fact = |value: &Option<String>, v: &Option<Verdict>| match (value, v) {
        (Some(value), Some(v)) => HandoverFact {
            detail: v.detail.clone(),
            ok: v.ok,
            value: Some(value.clone()),
        },
        _ => HandoverFact {
            detail: "not declared".into(),
            ok: false,
            value: None,
        },
    };
    sink.measure(Measurement::Handover(HandoverFacts {
        declared: h.declared,
        owners,
        rollback_doc: fact(&h.rollback_doc, &rollback),
        uptime_monitor: fact(&h.uptime_monitor, &monitor),
    }));
}

fn area_words(area: &str) -> &'static str {
    handover_area(area).map_or("this area", |a| a.phrase)
}

/// `Some(url)` when the value is an http(s) URL; anything else is a path (or, for the uptime
/// monitor, a name).
fn http_url(s: &str) -> Option<url::Url> {
    url::Url::parse(s.trim())
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
}

/// A rollback document on disk: relative paths are taken from the config file's directory (the
/// project root). It must be a non-empty file: an empty file is not a plan.
fn document(root: &Path, doc: &str) -> Verdict {
    let p = Path::new(doc.trim());
    let full = if p.is_absolute() {
        p.to_path_buf()
    } else {
        root.join(p)
    };
    match std::fs::metadata(&full) {
        Ok(m) if m.is_file() && m.len() > 0 => Verdict {
            ok: true,
            detail: format!("found, {} bytes", m.len()),
        },
        Ok(m) if m.is_file() => Verdict {
            ok: false,
            detail: format!("{} is empty", full.display()),
        },
        Ok(_) => Verdict {
            ok: false,
            detail: format!("{} is not a file", full.display()),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Verdict {
            ok: false,
            detail: format!("{} does not exist", full.display()),
        },
        Err(e) => Verdict {
            ok: false,
            detail: format!("{} cannot be read: {e}", full.display()),
        },
    }
}

/// GET the URL (no redirects followed; the client's timeout applies) and judge the status:
/// 2xx and 3xx answer, anything else does not. The body is not read.
async fn probe(cx: &Cx, u: &url::Url) -> Verdict {
    let req = cx.net.http.get(u.as_str()).send();
    match tokio::time::timeout(cx.net.op_timeout, req).await {
        Err(_) => Verdict {
            ok: false,
            detail: format!(
                "GET {u} did not answer within {} s",
                cx.net.op_timeout.as_secs()
            ),
        },
        Ok(Err(e)) => Verdict {
            ok: false,
            detail: format!("GET {u} failed: {}", crate::net::request_error(&e)),
        },
        Ok(Ok(resp)) => {
            let status = resp.status();
            Verdict {
                ok: status.is_success() || status.is_redirection(),
                detail: format!("GET {u} answered {status}"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_paths_are_told_apart() {
        assert!(http_url("https://status.acme.example").is_some());
        assert!(http_url("docs/rollback.md").is_none());
        assert!(http_url("file:///etc/passwd").is_none());
        assert!(http_url("Better Stack, alerts to #ops").is_none());
    }

    #[test]
    fn documents_must_exist_and_not_be_empty() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("docs")).unwrap();
        std::fs::write(dir.path().join("docs/rollback.md"), "1. redeploy v1\n").unwrap();
        std::fs::write(dir.path().join("empty.md"), "").unwrap();
        assert!(document(dir.path(), "docs/rollback.md").ok);
        let empty = document(dir.path(), "empty.md");
        assert!(!empty.ok && empty.detail.contains("is empty"));
        let gone = document(dir.path(), "nope.md");
        assert!(!gone.ok && gone.detail.contains("does not exist"));
        assert!(!document(dir.path(), "docs").ok);
    }
}
