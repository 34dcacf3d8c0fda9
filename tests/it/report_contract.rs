//! The JSON report validates against the shipped schema; ${ENV} values never appear in output.

use crate::common::*;

pub fn assert_valid(v: &serde_json::Value) {
    assert_valid_against(launchready::report::SCHEMA, v);
}

/// `v` validates against `schema` (the report's, the diff's or the index's).
pub fn assert_valid_against(schema: &str, v: &serde_json::Value) {
    let schema: serde_json::Value = serde_json::from_str(schema).unwrap();
    let val = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = val
        .iter_errors(v)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(errors.is_empty(), "schema errors: {errors:#?}\n{v:#}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn real_reports_validate_against_the_schema() {
    let sb = sandbox().await;
    let healthy = run(
        audit_args(&sb, &sb.healthy_config(), &["--format", "json"]),
        vec![],
    )
    .await;
    for out in [broken_json().await, &healthy] {
        let r = json(out);
        assert_valid(&r);
        // Ranks are 1..n in order, and the order is by severity.
        let f = r["findings"].as_array().unwrap();
        let order = ["critical", "high", "medium", "low", "info"];
        let mut last = 0;
        for (i, x) in f.iter().enumerate() {
            assert_eq!(x["rank"], i + 1);
            let s = order.iter().position(|o| *o == x["severity"]).unwrap();
            assert!(s >= last);
            last = s;
        }
    }
    // The demo's JSON is an array of two valid reports.
    let v: serde_json::Value = serde_json::from_str(demo_all().await.file("json")).unwrap();
    let arr = v.as_array().unwrap();
    assert_eq!(arr.len(), 2);
    arr.iter().for_each(assert_valid);
    assert_eq!(arr[0]["verdict"], "no-go");
    assert_eq!(arr[1]["verdict"], "go");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn env_values_never_reach_the_output() {
    let sb = sandbox().await;
    let token = "lr-test-TOKEN-9f8e7d6c5b4a3928";
    let text = format!(
        "{}\n[[endpoints]]\nname = \"chat\"\nurl = \"https://acme-broken.test:{}/chat?key=${{LAUNCHREADY_TEST_TOKEN}}\"\nheaders = {{ Authorization = \"Bearer ${{LAUNCHREADY_TEST_TOKEN}}\" }}\n",
        std::fs::read_to_string(sb.broken_config()).unwrap(),
        sb.https_port
    );
    let p = sb.dir().join("with-token.toml");
    std::fs::write(&p, text).unwrap();
    for format in ["json", "table"] {
        let out = run(
            audit_args(&sb, &p, &["--format", format, "-v"]),
            vec![("LAUNCHREADY_TEST_TOKEN".into(), token.into())],
        )
        .await;
        assert!(out.status.code().is_some());
        for stream in [&out.stdout, &out.stderr] {
            let s = String::from_utf8_lossy(stream);
            assert!(!s.contains(token), "token leaked in {format} output");
            assert!(
                !s.contains("TOKEN-9f8e7d6c"),
                "token fragment leaked in {format} output"
            );
        }
    }
    // A missing variable is a config error naming the file, line and key.
    let out = run(audit_args(&sb, &p, &[]), vec![]).await;
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("with-token.toml:")
            && err.contains("endpoints.url")
            && err.contains("LAUNCHREADY_TEST_TOKEN is not set"),
        "{err}"
    );
}
