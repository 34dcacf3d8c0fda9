//! perf.*: every id fires on its broken sandbox endpoint and none on the healthy ones, the true
//! p95 of the deterministic schedule is measured within a stated tolerance, and a `--baseline`
//! round trip marks findings new / unchanged / gone — all through the binary.

use crate::common::*;
use launchready::sandbox::perf::{SCHEDULE_FAST_MS, SCHEDULE_SLOW_MS};

fn endpoint<'a>(r: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    r["measurements"]["endpoints"]
        .as_array()
        .expect("endpoints")
        .iter()
        .find(|e| e["name"] == name)
        .unwrap_or_else(|| panic!("no measurement for {name}: {r:#}"))
}

fn only<'a>(r: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    let v = with_id(r, id);
    assert_eq!(v.len(), 1, "expected one {id}: {r:#}");
    v[0]
}

fn ev(f: &serde_json::Value) -> &str {
    f["evidence"].as_str().expect("evidence")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn broken_endpoints_fire_every_perf_id() {
    let sb = sandbox().await;
    let t = std::time::Instant::now();
    let out = run(
        audit_args(
            &sb,
            &sb.broken_config(),
            &["--only", "perf", "--format", "json"],
        ),
        vec![],
    )
    .await;
    let r = json(&out);
    assert_eq!(out.status.code(), Some(1), "{r:#}");
    // The chat case alone needs 2 x 0.9 s (warm-up, then samples); everything runs concurrently.
    assert!(t.elapsed().as_secs() < 15, "took {:?}", t.elapsed());

    // Connection refused on port 1: never answered, and not sampled after the warm-ups failed.
    let f = only(&r, "perf.unreachable");
    assert_eq!(f["subject"], "status-api");
    assert!(ev(f).contains("Connection refused"), "{f}");
    assert_eq!(endpoint(&r, "status-api")["samples"], 0);

    // 600 ms for every request against the default api budget of 500 ms.
    let f = only(&r, "perf.p95_over_budget");
    assert_eq!(f["subject"], "search");
    assert!(ev(f).contains("budget p95_ms = 500 (api)"), "{f}");
    assert!(endpoint(&r, "search")["p95_ms"].as_f64().unwrap() >= 600.0);

    // Headers at once, first body byte after 0.9 s against a 600 ms budget: the body byte is
    // what is judged.
    let f = only(&r, "perf.first_byte_slow");
    assert_eq!(f["subject"], "assistant");
    let m = endpoint(&r, "assistant");
    assert_eq!(m["first_byte"], "body");
    let fb = m["first_byte_p95_ms"].as_f64().unwrap();
    assert!((900.0..1900.0).contains(&fb), "{m}");
    assert!(ev(f).contains("budget first_byte_ms = 600"), "{f}");
    assert!(ev(f).contains("headers arrived at p95"), "{f}");

    // Every 20th request answers 500: 1 of 20 samples, 5% > 1%.
    let billing = with_id(&r, "perf.error_rate_high")
        .into_iter()
        .find(|f| f["subject"] == "billing")
        .expect("billing error rate");
    assert!(
        ev(billing).contains("1 of 20 samples failed: 1 5xx (1x500)"),
        "{billing}"
    );
    assert_eq!(endpoint(&r, "billing")["error_rate"], 0.05);
    assert_eq!(endpoint(&r, "billing")["status"]["500"], 1);

    // Every third request hangs 5 s against timeout_ms = 1500 (one round of warm-ups, one of
    // samples).
    let f = only(&r, "perf.timeout");
    assert_eq!(f["subject"], "export");
    assert!(
        ev(f).contains("1 of 3 samples") && ev(f).contains("1500"),
        "{f}"
    );
    assert_eq!(endpoint(&r, "export")["timeouts"], 1);

    // The open sign-up endpoint served the whole burst (default 30) and never more.
    let f = only(&r, "perf.no_rate_limit");
    assert_eq!(f["subject"], "signup");
    assert!(ev(f).contains("burst of 30 requests"), "{f}");
    assert_eq!(endpoint(&r, "signup")["rate_limit"]["burst_sent"], 30);
    assert_eq!(endpoint(&r, "signup")["rate_limit"]["limited"], false);

    // Each case fires only its own ids.
    for (subject, allowed) in [
        ("search", &["perf.p95_over_budget"][..]),
        ("assistant", &["perf.first_byte_slow"][..]),
        ("billing", &["perf.error_rate_high"][..]),
        ("export", &["perf.timeout", "perf.error_rate_high"][..]),
        ("signup", &["perf.no_rate_limit"][..]),
        ("status-api", &["perf.unreachable"][..]),
    ] {
        for f in r["findings"].as_array().unwrap() {
            if f["subject"] == subject {
                assert!(allowed.contains(&f["id"].as_str().unwrap()), "{f}");
            }
        }
    }
    assert!(ids(&r).iter().all(|id| id.starts_with("perf.")), "{r:#}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthy_endpoints_fire_nothing_and_the_true_p95_is_measured() {
    let sb = sandbox().await;
    let out = run(
        audit_args(
            &sb,
            &sb.healthy_config(),
            &["--only", "perf", "--format", "json"],
        ),
        vec![],
    )
    .await;
    let r = json(&out);
    assert_eq!(ids(&r), Vec::<String>::new(), "{r:#}");
    assert_eq!(out.status.code(), Some(0));
    // Four perf endpoints plus the chat bot the ai check probes (sandbox/ai.rs).
    assert_eq!(r["measurements"]["endpoints"].as_array().unwrap().len(), 5);

    // /perf/schedule: 90% at 20 ms, 10% at 400 ms by construction, so over any 20 consecutive
    // requests the true p50 is 20 ms and the true p95 and p99 are 400 ms. What this test proves
    // is that each percentile lands on the right mode, and never below the truth (nothing
    // answers faster than the server sleeps). The margin above the truth is honest for a debug
    // build on a loaded 2-core machine (client overhead and scheduling add tens of ms, never
    // half the gap between the modes); accuracy itself (release build, against wrk) is
    // measured by bench/perf.sh and recorded in BENCHMARKS.md, not asserted here.
    let s = endpoint(&r, "schedule");
    assert_eq!(s["samples"], 20);
    assert_eq!(s["answered"], 20);
    let slow = SCHEDULE_SLOW_MS as f64;
    let fast = SCHEDULE_FAST_MS as f64;
    let midway = (slow + fast) / 2.0;
    // The slow mode's percentiles only need to be on that mode (at or above it); at a load
    // average of 30 one sample in 20 took 777 ms, so the upper bound only rules out nonsense.
    for key in ["p95_ms", "p99_ms"] {
        let v = s[key].as_f64().unwrap();
        assert!(v >= slow && v < 3.0 * slow, "{key} = {v}, true {slow}: {s}");
    }
    let p50 = s["p50_ms"].as_f64().unwrap();
    assert!(p50 >= fast && p50 < midway, "p50 = {p50}, true {fast}: {s}");

    // The chat endpoint's first body byte (50 ms) is what its first-byte numbers time.
    let a = endpoint(&r, "assistant");
    assert_eq!(a["first_byte"], "body");
    assert!(a["first_byte_p95_ms"].as_f64().unwrap() >= 50.0, "{a}");
    // Connection set-up is reported separately, phase by phase.
    assert!(a["connect"]["tcp_ms"].as_f64().is_some(), "{a}");
    assert!(a["connect"]["tls_ms"].as_f64().is_some(), "{a}");
    assert!(a["cold_ms"].as_f64().is_some(), "{a}");

    // The rate-limited login answered 429 within the burst, which stopped there.
    let l = endpoint(&r, "login");
    assert_eq!(l["rate_limit"]["limited"], true, "{l}");
    let sent = l["rate_limit"]["burst_sent"].as_u64().unwrap_or(0);
    assert!(sent < 20, "{l}");

    // The table shows one compact latency line per endpoint.
    let out = run(
        audit_args(
            &sb,
            &sb.healthy_config(),
            &["--only", "perf", "--format", "table"],
        ),
        vec![],
    )
    .await;
    let text = String::from_utf8_lossy(&out.stdout);
    for name in ["api", "schedule", "assistant", "login"] {
        assert!(text.contains(&format!("latency {name}: p50 ")), "{text}");
    }
    assert!(text.contains("first body byte p95"), "{text}");
    assert!(text.contains("No findings."), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn baseline_round_trip_marks_regression_new_unchanged_and_gone() {
    let sb = sandbox().await;
    let token = "lr-perf-TOKEN-7a6b5c4d3e2f1g0h";
    let base = format!("https://api.acme-good.test:{}/perf", sb.https_port);
    let config = |orders_ms: u64, reports_budget: u64| {
        format!(
            r#"[target]
domain = "acme-good.test"
https_port = {https}

[[endpoints]]
name = "orders"
url = "{base}/delay/{orders_ms}"
samples = 6
concurrency = 2

[[endpoints]]
name = "billing"
url = "{base}/delay/5"
headers = {{ Authorization = "Bearer ${{LAUNCHREADY_PERF_TOKEN}}" }}
samples = 4
p95_ms = 1

[[endpoints]]
name = "reports"
url = "{base}/delay/5"
samples = 4
p95_ms = {reports_budget}
"#,
            https = sb.https_port
        )
    };
    let env = || vec![("LAUNCHREADY_PERF_TOKEN".to_string(), token.to_string())];
    let cfg = sb.dir().join("perf-baseline.toml");
    let saved = sb.dir().join("perf-baseline.json");
    std::fs::write(&cfg, config(10, 1)).unwrap();
    let out = run(
        audit_args(
            &sb,
            &cfg,
            &[
                "--only",
                "perf",
                "--format",
                "json",
                "--output",
                &saved.display().to_string(),
            ],
        ),
        env(),
    )
    .await;
    assert_eq!(out.status.code(), Some(1));
    let first: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&saved).unwrap()).unwrap();
    assert!(first.get("gone").is_none(), "no marks without --baseline");
    assert!(first["findings"][0].get("baseline").is_none());
    let base_p95 = endpoint(&first, "orders")["p95_ms"].as_f64().unwrap();

    // Slow "orders" down 12x and give "reports" room: a regression appears, a finding goes.
    std::fs::write(&cfg, config(120, 1000)).unwrap();
    let args = |format: &str| {
        audit_args(
            &sb,
            &cfg,
            &[
                "--only",
                "perf",
                "--format",
                format,
                "--baseline",
                &saved.display().to_string(),
            ],
        )
    };
    let out = run(args("json"), env()).await;
    let r = json(&out);
    let reg = only(&r, "perf.regression");
    assert_eq!(reg["subject"], "orders");
    assert_eq!(reg["baseline"], "new");
    assert!(ev(reg).contains("baseline report p95"), "{reg}");
    assert_eq!(endpoint(&r, "orders")["baseline_p95_ms"], base_p95);
    assert!(endpoint(&r, "orders")["p95_ms"].as_f64().unwrap() >= 120.0);

    let billing = only(&r, "perf.p95_over_budget");
    assert_eq!(billing["subject"], "billing");
    assert_eq!(billing["baseline"], "unchanged");

    let gone = r["gone"].as_array().expect("gone list with --baseline");
    assert_eq!(gone.len(), 1, "{r:#}");
    assert_eq!(gone[0]["id"], "perf.p95_over_budget");
    assert_eq!(gone[0]["subject"], "reports");

    // The report with marks still validates against the shipped schema.
    let schema: serde_json::Value = serde_json::from_str(launchready::report::SCHEMA).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator.iter_errors(&r).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");

    // The table shows the marks and the gone list.
    let out = run(args("table"), env()).await;
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("vs baseline") && text.contains("unchanged"),
        "{text}"
    );
    assert!(text.contains("Gone since the baseline (1):"), "{text}");
    assert!(text.contains("perf.p95_over_budget reports"), "{text}");

    // The Authorization header was sent but never reported, not even in redacted form (the
    // report scrubber would redact a leak; this proves there is nothing to scrub).
    let redacted = launchready::redact::redact(token);
    for s in [
        String::from_utf8_lossy(&out.stdout).into_owned(),
        r.to_string(),
        std::fs::read_to_string(&saved).unwrap(),
    ] {
        assert!(!s.contains(token) && !s.contains(&redacted), "token in {s}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_token_is_not_reported_as_fast() {
    let sb = sandbox().await;
    let endpoint = |token: &str| {
        format!(
            "\n[[endpoints]]\nname = \"private\"\nurl = \"https://api.acme-good.test:{}/perf/private\"\nheaders = {{ Authorization = \"Bearer {token}\" }}\nsamples = 6\nconcurrency = 2\n",
            sb.https_port
        )
    };
    let base = format!(
        "[target]\ndomain = \"acme-good.test\"\nhttp_port = {}\nhttps_port = {}\n",
        sb.http_port, sb.https_port
    );
    let p = sb.dir().join("private.toml");
    // Expired token: every sample is a 401, so the latency is the rejection's — said as check.error.
    std::fs::write(&p, base.clone() + &endpoint("${LAUNCHREADY_EXPIRED}")).unwrap();
    let out = run(
        audit_args(&sb, &p, &["--only", "perf", "--format", "json"]),
        vec![("LAUNCHREADY_EXPIRED".into(), "expired-token-123".into())],
    )
    .await;
    let r = json(&out);
    let e = with_id(&r, "check.error");
    assert_eq!(e.len(), 1, "{r:#}");
    assert_eq!(e[0]["subject"], "private");
    assert!(e[0]["evidence"].as_str().unwrap().contains("401"), "{r:#}");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("expired-token-123"));
    // Valid token: no finding at all.
    std::fs::write(&p, base + &endpoint("sandbox-valid-token")).unwrap();
    let out = run(
        audit_args(&sb, &p, &["--only", "perf", "--format", "json"]),
        vec![],
    )
    .await;
    let r = json(&out);
    assert_eq!(ids(&r), Vec::<String>::new(), "{r:#}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expected_rejections_are_measured_not_refused() {
    let sb = sandbox().await;
    let base = format!(
        "[target]\ndomain = \"acme-good.test\"\nhttp_port = {}\nhttps_port = {}\n",
        sb.http_port, sb.https_port
    );
    let url = format!("https://api.acme-good.test:{}/perf/private", sb.https_port);
    let endpoint = |name: &str, extra: &str| {
        format!(
            "\n[[endpoints]]\nname = \"{name}\"\nurl = \"{url}\"\nmethod = \"POST\"\nheaders = {{ Authorization = \"Bearer wrong-password\" }}\nsamples = 4\nconcurrency = 2\n{extra}"
        )
    };
    let p = sb.dir().join("expect.toml");
    std::fs::write(
        &p,
        base + &endpoint("login", "kind = \"auth\"\n")
            + &endpoint("api-401", "expect_status = [401]\n")
            + &endpoint("api-201", "expect_status = [201]\n")
            + &endpoint("api-default", ""),
    )
    .unwrap();
    let out = run(
        audit_args(&sb, &p, &["--only", "perf", "--format", "json"]),
        vec![],
    )
    .await;
    let r = json(&out);
    let refused: Vec<&str> = with_id(&r, "check.error")
        .iter()
        .map(|f| f["subject"].as_str().unwrap())
        .collect();
    // A login probed with wrong credentials answers 401: expected for kind = "auth", and for
    // any endpoint that declares it; timed like any answer.
    assert_eq!(refused, vec!["api-201", "api-default"], "{r:#}");
    let f = with_id(&r, "check.error")
        .into_iter()
        .find(|f| f["subject"] == "api-201")
        .unwrap();
    assert!(
        f["evidence"]
            .as_str()
            .unwrap()
            .contains("expect_status = [201]"),
        "{f}"
    );
    let login = r["measurements"]["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "login")
        .unwrap();
    assert_eq!(login["answered"], 4, "{login:#}");
    assert!(login["p95_ms"].as_f64().unwrap() > 0.0, "{login:#}");
}
