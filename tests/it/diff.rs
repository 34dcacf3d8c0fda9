//! `launchready diff`: the demo's broken site against its healthy site (and back), the
//! no-new-risks gate, and bad input.

use crate::common::{demo_all, run};
use crate::report_contract::assert_valid_against;
use launchready::report::DIFF_SCHEMA;
use serde_json::Value;

fn code(out: &std::process::Output) -> Option<i32> {
    out.status.code()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn diff_lists_fixed_new_and_p95_changes_and_gates_on_new_risks() {
    let demo = demo_all().await;
    assert_eq!(code(&demo.out), Some(0));
    let both: Vec<Value> = serde_json::from_str(demo.file("json")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = |n: &str| dir.path().join(n).display().to_string();
    std::fs::write(path("broken.json"), both[0].to_string()).unwrap();
    std::fs::write(path("healthy.json"), both[1].to_string()).unwrap();
    std::fs::write(path("both.json"), demo.file("json")).unwrap();
    let diff = |args: &[&str]| {
        let mut v = vec!["diff".to_string()];
        v.extend(args.iter().map(|a| a.to_string()));
        run(v, vec![])
    };

    // The sprint: broken -> healthy. Every finding of the broken site whose fingerprint the
    // healthy one lacks is fixed; the endpoint both measured has its p95 change.
    let out = diff(&[
        &path("broken.json"),
        &path("healthy.json"),
        "--format",
        "json",
    ])
    .await;
    let d: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_valid_against(DIFF_SCHEMA, &d);
    assert_eq!(d["diff_version"], 1);
    let broken_n = both[0]["findings"].as_array().unwrap().len();
    let fixed = d["fixed"].as_array().unwrap().len();
    let unchanged = d["unchanged"].as_array().unwrap().len();
    assert!(fixed > 50, "{fixed} fixed");
    assert_eq!(fixed + unchanged, broken_n);
    assert_eq!(d["old"]["verdict"], "no-go");
    assert_eq!(d["old"]["score"], both[0]["score"]);
    assert_eq!(d["new"]["score"], both[1]["score"]);
    let assistant = d["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "assistant")
        .expect("both sites measure the assistant endpoint");
    let (o, n) = (
        assistant["old_p95_ms"].as_f64().unwrap(),
        assistant["new_p95_ms"].as_f64().unwrap(),
    );
    let pct = assistant["change_pct"].as_f64().unwrap();
    assert!((pct - ((n - o) / o * 100.0)).abs() < 0.1, "{assistant}");
    // An endpoint that never answered has no p95, so no change either.
    assert!(
        d["endpoints"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["name"] == "status-api"
                && e["old_p95_ms"].is_null()
                && e["change_pct"].is_null())
    );
    // An endpoint only one side measured has no change.
    assert!(
        d["endpoints"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["name"] == "search"
                && e["new_p95_ms"].is_null()
                && e["change_pct"].is_null())
    );

    // The table says the same in words.
    let out = diff(&[&path("broken.json"), &path("healthy.json")]).await;
    let t = String::from_utf8_lossy(&out.stdout);
    assert!(t.contains(&format!("{fixed} fixed")), "{t}");
    assert!(t.contains("verdict  NO-GO -> "), "{t}");
    assert!(t.contains("assistant") && t.contains('%'), "{t}");

    // The gate: healthy -> broken brings new critical risks (exit 1) unless --fail-on never;
    // a report against itself has nothing new (exit 0).
    let out = diff(&[
        &path("healthy.json"),
        &path("broken.json"),
        "--format",
        "markdown",
    ])
    .await;
    assert_eq!(code(&out), Some(1));
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(md.contains("## New ("), "{md}");
    // The same comparison as JSON (written to --output): valid, and the mirror image of the
    // sprint's — what was fixed there is new here.
    let back_file = path("back.json");
    let out = diff(&[
        &path("healthy.json"),
        &path("broken.json"),
        "--format",
        "json",
        "--output",
        &back_file,
    ])
    .await;
    assert_eq!(code(&out), Some(1));
    let back: Value = serde_json::from_str(&std::fs::read_to_string(&back_file).unwrap()).unwrap();
    assert_valid_against(DIFF_SCHEMA, &back);
    assert_eq!(back["new_findings"], d["fixed"]);
    assert_eq!(back["old"]["verdict"], "go");
    assert_eq!(back["new"]["verdict"], "no-go");
    assert!(
        back["new_findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["severity"] == "critical")
    );
    let out = diff(&[
        &path("healthy.json"),
        &path("broken.json"),
        "--fail-on",
        "never",
    ])
    .await;
    assert_eq!(code(&out), Some(0));
    let out = diff(&[
        &path("broken.json"),
        &path("broken.json"),
        "--fail-on",
        "low",
    ])
    .await;
    assert_eq!(code(&out), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("0 fixed, 0 new"));

    // HTML: one page, hostile text escaped (the broken site's 404 page is in an evidence-free
    // list here, so plant markup in a title instead).
    let mut hostile = both[0].clone();
    hostile["findings"][0]["title"] = Value::from("<script>alert(1)</script>");
    hostile["findings"][0]["fingerprint"] = Value::from("0123456789abcdef");
    std::fs::write(path("hostile.json"), hostile.to_string()).unwrap();
    let out = diff(&[
        &path("broken.json"),
        &path("hostile.json"),
        "--format",
        "html",
    ])
    .await;
    let html = String::from_utf8_lossy(&out.stdout);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!html.contains("<script>"));

    // Bad input: exit 2, the message names the file and says what is wrong.
    let bad = |name: &str, text: &str| {
        std::fs::write(path(name), text).unwrap();
        path(name)
    };
    let v2 = {
        let mut r = both[1].clone();
        r["schema_version"] = Value::from(2);
        bad("v2.json", &r.to_string())
    };
    for (file, says) in [
        (path("both.json"), "holds a list of 2 reports"),
        (v2, "schema_version 2"),
        (
            bad("notes.json", "{\"hello\": 1}"),
            "not a launchready JSON report",
        ),
        (bad("garbage.json", "<html>"), "not JSON"),
        (path("missing.json"), "missing.json"),
    ] {
        let out = diff(&[&path("healthy.json"), &file]).await;
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(code(&out), Some(2), "{file}: {err}");
        assert!(err.contains(&file) && err.contains(says), "{file}: {err}");
    }
}
