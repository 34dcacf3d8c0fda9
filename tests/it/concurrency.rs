//! Many audits at once: 8 concurrent audits of the same sandbox (four processes per core on
//! the 2-core machine) give the same findings as a sequential one (ids, subjects, severities,
//! fingerprints). Perf is skipped: its latency budgets legitimately depend on load.
//! Per-operation timeouts are generous (see `loaded_machine_timeouts`): 8 audits on 2 cores are
//! slow, and this test is about results.

use crate::common::*;
use std::collections::BTreeSet;

fn key(r: &serde_json::Value) -> BTreeSet<(String, String, String, String)> {
    r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["id"].as_str().unwrap().to_string(),
                f["subject"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
                f["fingerprint"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Audits at once.
const CONCURRENT: usize = 8;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_audits_match_a_sequential_one() {
    let sb = sandbox().await;
    let args = audit_args(
        &sb,
        &sb.broken_config(),
        &["--skip", "perf", "--format", "json"],
    );
    let sequential = json(&run(args.clone(), loaded_machine_timeouts()).await);
    let expected = key(&sequential);
    assert!(expected.len() > 20, "the broken site has many findings");
    let handles: Vec<_> = (0..CONCURRENT)
        .map(|_| tokio::spawn(run(args.clone(), loaded_machine_timeouts())))
        .collect();
    for h in handles {
        let out = h.await.unwrap();
        assert_eq!(out.status.code(), Some(1));
        let r = json(&out);
        assert!(
            with_id(&r, "check.error").is_empty(),
            "no check may time out under load: {:#}",
            r["findings"]
        );
        let got = key(&r);
        if got != expected {
            // Show the findings that differ in full: their evidence says why.
            let extra: Vec<&serde_json::Value> = r["findings"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|f| !expected.iter().any(|k| k.3 == f["fingerprint"]))
                .collect();
            let missing: Vec<_> = expected.difference(&got).collect();
            panic!("differs from the sequential audit: extra {extra:#?}, missing {missing:#?}");
        }
        assert_eq!(r["score"], sequential["score"]);
        assert_eq!(r["verdict"], sequential["verdict"]);
    }
}
