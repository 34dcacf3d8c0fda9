//! flow.* and webhook.*: every id fires on the broken sandbox site, the healthy site's 4-step
//! flow (bearer token from sign-up + session cookie from login + CSRF scraped from a redirect
//! target) passes with no finding, and the tokens the sandbox issued never reach any report
//! format — all through the binary, over real sockets.

use crate::common::*;
use launchready::sandbox::flows::{SLOW_SIGNUP_MS, issued_tokens};

fn only<'a>(r: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    let v = with_id(r, id);
    assert_eq!(v.len(), 1, "expected one {id}: {r:#}");
    v[0]
}

fn ev(f: &serde_json::Value) -> &str {
    f["evidence"].as_str().expect("evidence")
}

async fn audit(
    sb: &launchready::sandbox::Sandbox,
    healthy: bool,
    format: &str,
) -> std::process::Output {
    let cfg = if healthy {
        sb.healthy_config()
    } else {
        sb.broken_config()
    };
    run(
        audit_args(sb, &cfg, &["--only", "flows", "--format", format]),
        vec![],
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn broken_site_fires_every_flow_and_webhook_id() {
    let sb = sandbox().await;
    let out = audit(&sb, false, "json").await;
    let r = json(&out);
    assert_eq!(out.status.code(), Some(1), "{r:#}");
    crate::report_contract::assert_valid(&r);

    // Sign-up answers after 700 ms against max_ms = 300, and the flow goes on.
    let f = only(&r, "flow.step_slow");
    assert_eq!(f["subject"], "signup, login, first chat / signup");
    assert!(ev(f).contains("budget max_ms = 300"), "{f}");
    assert!(ev(f).contains("POST https://shop.acme-broken.test:"), "{f}");

    // Login answers 500: the finding carries the request line, status, time and clipped body.
    let f = only(&r, "flow.step_failed");
    assert_eq!(f["subject"], "signup, login, first chat / login");
    let e = ev(f);
    assert!(e.contains("step `login` (2 of 4)"), "{e}");
    assert!(e.contains("/api/login -> 500 in "), "{e}");
    assert!(e.contains("expected status 200, got 500"), "{e}");
    assert!(e.contains("session store unavailable"), "{e}");
    assert!(e.contains("earlier steps passed: signup (201,"), "{e}");
    // The body echoed the captured token: only its redacted form is shown.
    assert!(e.contains("Bearer sbx_…"), "{e}");

    // One finding per webhook, each with the status that decided it.
    let by = |id: &str, name: &str| {
        let f = only(&r, id);
        assert_eq!(f["subject"], name, "{f}");
        assert!(ev(f).contains("no signature header"), "{f}");
        ev(f).to_string()
    };
    assert!(by("webhook.accepts_unsigned", "payments-webhook").contains("-> 200 in"));
    assert!(by("webhook.crashes", "email-webhook").contains("-> 500 in"));
    assert!(by("webhook.missing", "legacy-webhook").contains("-> 404 in"));
    assert_eq!(
        with_id(&r, "webhook.accepts_unsigned")[0]["severity"],
        "critical"
    );

    // Measurements: status, time and captured names per step; later steps not run.
    let flow = &r["measurements"]["flows"]["flows"][0];
    assert_eq!(flow["passed"], false);
    let steps = flow["steps"].as_array().unwrap();
    assert_eq!(steps[0]["result"], "slow");
    assert_eq!(steps[0]["status"], 201);
    assert!(steps[0]["ms"].as_u64().unwrap() >= SLOW_SIGNUP_MS);
    assert_eq!(steps[0]["captured"], serde_json::json!(["token"]));
    assert_eq!(steps[1]["result"], "failed");
    assert_eq!(steps[1]["status"], 500);
    assert_eq!(steps[2]["result"], "not_run");
    assert_eq!(steps[3]["result"], "not_run");
    let hooks = r["measurements"]["flows"]["webhooks"].as_array().unwrap();
    let verdicts: Vec<&str> = hooks
        .iter()
        .map(|h| h["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(verdicts, ["accepts_unsigned", "crashes", "missing"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthy_flow_needs_token_and_cookie_and_passes() {
    let sb = sandbox().await;
    let out = audit(&sb, true, "json").await;
    let r = json(&out);
    assert_eq!(out.status.code(), Some(0), "{r:#}");
    crate::report_contract::assert_valid(&r);
    assert!(
        ids(&r).is_empty(),
        "a healthy flow yields no finding: {r:#}"
    );
    let check = r["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == "flows")
        .expect("flows ran");
    assert_eq!(check["status"], "ok");

    let flow = &r["measurements"]["flows"]["flows"][0];
    assert_eq!(flow["passed"], true, "{flow:#}");
    let steps = flow["steps"].as_array().unwrap();
    let results: Vec<(&str, u64)> = steps
        .iter()
        .map(|s| (s["result"].as_str().unwrap(), s["status"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        results,
        [
            ("passed", 201),
            ("passed", 200),
            ("passed", 200),
            ("passed", 200)
        ]
    );
    // Login's 303 was followed (its cookie kept) and recorded; names only, never values.
    assert_eq!(steps[1]["redirects"][0]["status"], 303);
    assert!(
        steps[1]["redirects"][0]["to"]
            .as_str()
            .unwrap()
            .ends_with("/app")
    );
    assert_eq!(steps[1]["captured"], serde_json::json!(["csrf", "session"]));
    // The chat step only answers 200 with the bearer token AND the session cookie AND the CSRF
    // value; history counts the one message, so the chat really went through.
    assert_eq!(steps[2]["name"], "chat");
    let hook = &r["measurements"]["flows"]["webhooks"][0];
    assert_eq!(hook["status"], 401);
    assert_eq!(hook["verdict"], "rejects_unsigned");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn captured_tokens_never_appear_in_any_report_format() {
    let sb = sandbox().await;
    // One audit per site: the table on stdout, every other format through --also.
    let mut outputs = Vec::new();
    for healthy in [false, true] {
        let cfg = if healthy {
            sb.healthy_config()
        } else {
            sb.broken_config()
        };
        let all = run_also(
            audit_args(&sb, &cfg, &["--only", "flows", "--format", "table", "-v"]),
            vec![],
            &ALSO_FORMATS,
        )
        .await;
        for (format, text) in all.every_text() {
            outputs.push((format.to_string(), healthy, text));
        }
    }
    let tokens = issued_tokens(sb.https_port);
    assert_eq!(tokens.len(), 2, "one sign-up per audit: {tokens:?}");
    for (format, healthy, text) in &outputs {
        if format == "stderr" {
            for t in &tokens {
                assert!(
                    !text.contains(t.as_str()) && !text.contains(&t[4..]),
                    "{text}"
                );
            }
            continue;
        }
        assert!(!text.is_empty());
        for t in &tokens {
            assert!(
                !text.contains(t.as_str()) && !text.contains(&t[4..]),
                "{format} (healthy: {healthy}) shows a captured token:\n{text}"
            );
        }
        if *format == "markdown" {
            assert!(text.contains("## Customer paths"), "{text}");
            assert!(text.contains("| # | Step | Method | Status | Time | Captured | Result |"));
            if *healthy {
                assert!(
                    text.contains("### signup, login, first chat: passed in "),
                    "{text}"
                );
                assert!(text.contains("| 2 | login | POST | 200 |"), "{text}");
                assert!(text.contains("`csrf`, `session`"), "{text}");
                assert!(
                    text.contains("Redirects followed: login: 303 to "),
                    "{text}"
                );
                assert!(text.contains("| 401 |"), "{text}");
            } else {
                assert!(text.contains("stopped at `login`"), "{text}");
                assert!(text.contains("| 2 | login | POST | 500 |"), "{text}");
                assert!(
                    text.contains("| 3 | chat | POST | — | — | — | not run |"),
                    "{text}"
                );
                assert!(text.contains("**accepts unsigned events**"), "{text}");
            }
        }
        if !healthy {
            // Markdown escapes the underscore.
            assert!(
                text.contains("sbx_…") || text.contains("sbx\\_…"),
                "{format}: the redacted token is shown:\n{text}"
            );
        }
    }
}
