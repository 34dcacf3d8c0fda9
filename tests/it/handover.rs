//! handover.* ids: the broken site fires every one, the healthy site none; rollback documents
//! and uptime monitors given as URLs are fetched; a config without `[handover]` gets them all.

use crate::common::*;

fn subjects(r: &serde_json::Value, id: &str) -> Vec<String> {
    let mut v: Vec<String> = with_id(r, id)
        .iter()
        .map(|f| f["subject"].as_str().unwrap().to_string())
        .collect();
    v.sort();
    v
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn broken_site_fires_every_handover_id() {
    let sb = sandbox().await;
    let out = run(
        audit_args(
            &sb,
            &sb.broken_config(),
            &["--only", "handover", "--format", "json"],
        ),
        vec![],
    )
    .await;
    let r = json(&out);
    assert_eq!(
        out.status.code(),
        Some(1),
        "high handover findings fail the gate"
    );
    assert_eq!(
        subjects(&r, "handover.no_owner"),
        [
            "owners.dns",
            "owners.email",
            "owners.hosting",
            "owners.monitoring",
            "owners.secrets"
        ]
    );
    let owner = with_id(&r, "handover.no_owner")[0];
    assert_eq!(owner["severity"], "medium");
    assert!(owner["evidence"].as_str().unwrap().contains("is empty"));
    let rollback = with_id(&r, "handover.no_rollback_plan");
    assert_eq!(rollback.len(), 1);
    assert_eq!(rollback[0]["subject"], "docs/rollback.md");
    assert_eq!(rollback[0]["severity"], "high");
    let ev = rollback[0]["evidence"].as_str().unwrap();
    assert!(
        ev.contains("broken/docs/rollback.md does not exist"),
        "{ev}"
    );
    let monitor = with_id(&r, "handover.no_uptime_monitor");
    assert_eq!(monitor.len(), 1);
    assert_eq!(monitor[0]["subject"], "handover.uptime_monitor");
    assert!(monitor[0]["evidence"].as_str().unwrap().contains("not set"));
    // The facts are recorded for the checklist.
    let m = &r["measurements"]["handover"];
    assert_eq!(m["declared"], true);
    assert_eq!(m["owners"]["dns"], "");
    assert_eq!(m["rollback_doc"]["ok"], false);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthy_site_fires_no_handover_id() {
    let sb = sandbox().await;
    let out = run(
        audit_args(
            &sb,
            &sb.healthy_config(),
            &["--only", "handover", "--format", "json"],
        ),
        vec![],
    )
    .await;
    let r = json(&out);
    assert_eq!(ids(&r), Vec::<String>::new(), "{r:#}");
    assert_eq!(out.status.code(), Some(0));
    let m = &r["measurements"]["handover"];
    assert_eq!(m["owners"]["secrets"], "cto@acme-good.test");
    assert_eq!(m["rollback_doc"]["ok"], true);
    assert!(
        m["uptime_monitor"]["detail"]
            .as_str()
            .unwrap()
            .contains("answered 200"),
        "{m:#}"
    );
}

/// Replaces the `[handover]` table of the healthy config with `table` (or drops it).
fn with_handover(
    sb: &launchready::sandbox::Sandbox,
    name: &str,
    table: &str,
) -> std::path::PathBuf {
    let text = std::fs::read_to_string(sb.healthy_config()).unwrap();
    let start = text
        .find("[handover]")
        .expect("healthy config has [handover]");
    let rest = &text[start + 1..];
    let end = rest
        .find("\n[")
        .map(|i| start + 1 + i)
        .unwrap_or(text.len());
    let new = format!("{}{}{}", &text[..start], table, &text[end..]);
    // Written next to the healthy config so relative rollback paths resolve the same way.
    let p = sb.healthy_config().with_file_name(name);
    std::fs::write(&p, new).unwrap();
    p
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn urls_must_answer_and_missing_table_means_nothing_is_known() {
    let sb = sandbox().await;
    let owners = "owners = { dns = \"a@x.test\", hosting = \"a@x.test\", email = \"a@x.test\", monitoring = \"a@x.test\", secrets = \"a@x.test\" }\n";
    // A rollback plan on a wiki that answers, an uptime monitor that does not resolve.
    let p = with_handover(
        &sb,
        "urls.toml",
        &format!(
            "[handover]\n{owners}rollback_doc = \"https://acme-good.test:{}/wiki/rollback\"\nuptime_monitor = \"https://nowhere.acme-broken.test:{}/\"\n",
            sb.https_port, sb.https_port
        ),
    );
    let out = run(
        audit_args(&sb, &p, &["--only", "handover", "--format", "json"]),
        vec![],
    )
    .await;
    let r = json(&out);
    assert_eq!(ids(&r), ["handover.no_uptime_monitor"], "{r:#}");
    let f = with_id(&r, "handover.no_uptime_monitor")[0];
    assert!(
        f["subject"]
            .as_str()
            .unwrap()
            .starts_with("https://nowhere.acme-broken.test")
    );
    assert!(f["evidence"].as_str().unwrap().contains("failed"), "{f:#}");

    // A rollback URL answering 404 is no plan; an uptime monitor given by name is accepted.
    let p = with_handover(
        &sb,
        "urls404.toml",
        &format!(
            "[handover]\n{owners}rollback_doc = \"http://status.acme-broken.test:{}/rollback\"\nuptime_monitor = \"Better Stack, alerts to #ops\"\n",
            sb.http_port
        ),
    );
    let out = run(
        audit_args(&sb, &p, &["--only", "handover", "--format", "json"]),
        vec![],
    )
    .await;
    let r = json(&out);
    assert_eq!(ids(&r), ["handover.no_rollback_plan"], "{r:#}");
    let ev = with_id(&r, "handover.no_rollback_plan")[0]["evidence"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(ev.contains("answered 404"), "{ev}");

    // No [handover] at all: every area unowned, no plan, no monitor, and the evidence says why.
    let p = with_handover(&sb, "none.toml", "");
    let out = run(
        audit_args(&sb, &p, &["--only", "handover", "--format", "json"]),
        vec![],
    )
    .await;
    let r = json(&out);
    assert_eq!(subjects(&r, "handover.no_owner").len(), 5, "{r:#}");
    assert_eq!(with_id(&r, "handover.no_rollback_plan").len(), 1);
    assert_eq!(with_id(&r, "handover.no_uptime_monitor").len(), 1);
    for f in r["findings"].as_array().unwrap() {
        assert!(
            f["evidence"]
                .as_str()
                .unwrap()
                .contains("[handover] is missing from none.toml"),
            "{f:#}"
        );
    }
    assert_eq!(r["measurements"]["handover"]["declared"], false);
}
