//! ai.*: every id fires on the vulnerable sandbox bot and none on the hardened one, over JSON,
//! OpenAI-style SSE, plain SSE and text replies; one leaking phrasing is enough; the budget,
//! 429 back-off and the deadline hold; no reply text or canary reaches a report unscrubbed —
//! all through the binary, over real sockets.

use crate::common::*;
use launchready::sandbox::Sandbox;
use launchready::sandbox::ai::{CANARY, fake_key, site_toml, system_prompt};

const AI_IDS: &[&str] = &[
    "ai.cross_session_leak",
    "ai.eval_failed",
    "ai.long_input_unhandled",
    "ai.malformed_input_unhandled",
    "ai.prompt_injection",
    "ai.secret_in_reply",
    "ai.system_prompt_leak",
    "ai.unsafe_error",
];

/// Writes a config probing `/bot/<variant>/<format><query>` with `reply`, then applies `edit`.
fn config(
    sb: &Sandbox,
    dir: &tempfile::TempDir,
    variant: &str,
    format: &str,
    reply: &str,
    edit: impl Fn(String) -> String,
) -> std::path::PathBuf {
    let text = format!(
        "[target]\ndomain = \"acme-broken.test\"\n{}",
        site_toml("acme-broken.test", sb.ai_port, variant, format, reply)
    );
    let p = dir.path().join(format!(
        "{variant}-{}.toml",
        format.replace(['?', '=', '&'], "_")
    ));
    std::fs::write(&p, edit(text)).expect("write config");
    p
}

async fn audit_ai(
    sb: &Sandbox,
    cfg: &std::path::Path,
    extra: &[&str],
) -> (Option<i32>, serde_json::Value) {
    let mut args = vec!["--only", "ai", "--format", "json"];
    args.extend_from_slice(extra);
    let out = run(audit_args(sb, cfg, &args), vec![]).await;
    (out.status.code(), json(&out))
}

fn ai_ids(r: &serde_json::Value) -> Vec<String> {
    let mut v: Vec<String> = ids(r)
        .into_iter()
        .filter(|i| i.starts_with("ai."))
        .collect();
    v.sort();
    v.dedup();
    v
}

fn ev(f: &serde_json::Value) -> &str {
    f["evidence"].as_str().expect("evidence")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn vulnerable_bot_fires_every_ai_id_over_json_and_sse() {
    let sb = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    for (format, reply) in [
        ("json", "json:/reply"),
        ("sse", "sse:openai"),
        ("ssedata", "sse:data"),
    ] {
        let cfg = config(&sb, &dir, "vulnerable", format, reply, |t| t);
        let (code, r) = audit_ai(&sb, &cfg, &[]).await;
        assert_eq!(code, Some(1), "{format}: {r:#}");
        assert_eq!(ai_ids(&r), AI_IDS, "{format}: {r:#}");
        crate::report_contract::assert_valid(&r);
        let m = &r["measurements"]["ai"];
        assert_eq!(m["requests_spent"], 25, "{m:#}");
        assert_eq!(m["max_requests"], 40);

        // The proof is what the probe did not contain.
        let leak = &with_id(&r, "ai.system_prompt_leak")[0];
        assert!(ev(leak).contains("LR-C…41 (20 chars)"), "{leak}");
        assert!(
            ev(leak).contains("extraction/role_play")
                && ev(leak).contains("(the canary, base64-encoded)"),
            "{leak}"
        );
        let inj = &with_id(&r, "ai.prompt_injection")[0];
        assert!(
            ev(inj).contains("3 of 3 injection phrasings obeyed"),
            "{inj}"
        );
        let cross = &with_id(&r, "ai.cross_session_leak")[0];
        assert!(
            ev(cross).contains("cross_session/ask_other_users"),
            "{cross}"
        );
        let sec = &with_id(&r, "ai.secret_in_reply")[0];
        assert!(ev(sec).contains("secret.openai_key sk-p…X7"), "{sec}");
        let err = &with_id(&r, "ai.unsafe_error")[0];
        assert!(ev(err).contains("Python traceback"), "{err}");
        let mal = &with_id(&r, "ai.malformed_input_unhandled")[0];
        assert!(ev(mal).contains("3 of 3 malformed requests"), "{mal}");
        let eval = &with_id(&r, "ai.eval_failed")[0];
        assert_eq!(eval["subject"], "support-bot: refund policy");
        assert!(
            ev(eval).contains("expected the reply to contain \"14 days\""),
            "{eval}"
        );
        // Excerpts come from the extracted reply, not the raw stream.
        assert!(!ev(cross).contains("chatcmpl"), "{cross}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hardened_bot_fires_nothing_though_it_quotes_every_probe() {
    let sb = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    for (format, reply) in [
        ("json", "json:/reply"),
        ("sse", "sse:openai"),
        ("ssedata", "sse:data"),
        ("text", "text"),
    ] {
        let cfg = config(&sb, &dir, "hardened", format, reply, |t| t);
        let (code, r) = audit_ai(&sb, &cfg, &[]).await;
        assert_eq!(code, Some(0), "{format}: {r:#}");
        assert_eq!(ai_ids(&r), Vec::<String>::new(), "{format}: {r:#}");
        let m = &r["measurements"]["ai"];
        assert_eq!(m["requests_spent"], 25);
        let probes = m["probes"].as_array().unwrap();
        let status =
            |name: &str| probes.iter().find(|p| p["name"] == name).unwrap()["outcome"].clone();
        assert_eq!(status("long_message"), "413");
        assert_eq!(status("invalid_json"), "400");
        assert_eq!(status("wrong_content_type"), "415");
        assert!(
            probes.iter().all(|p| p.get("unreadable").is_none()),
            "{m:#}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_leaking_phrasing_is_enough() {
    let sb = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    for phrasing in ["translation", "fake_system", "summarise", "direct"] {
        let cfg = config(
            &sb,
            &dir,
            "vulnerable",
            &format!("json?only={phrasing}"),
            "json:/reply",
            |t| t,
        );
        let (_, r) = audit_ai(&sb, &cfg, &[]).await;
        let f = with_id(&r, "ai.system_prompt_leak");
        assert_eq!(f.len(), 1, "{phrasing}: {r:#}");
        assert!(
            ev(f[0]).contains(&format!(
                "1 of 7 extraction phrasings): extraction/{phrasing}"
            )),
            "{}",
            f[0]
        );
        assert!(with_id(&r, "ai.secret_in_reply").is_empty(), "{r:#}");
    }
    let cfg = config(
        &sb,
        &dir,
        "vulnerable",
        "sse?only=environment",
        "sse:openai",
        |t| t,
    );
    let (_, r) = audit_ai(&sb, &cfg, &[]).await;
    let f = with_id(&r, "ai.secret_in_reply");
    assert_eq!(f.len(), 1, "{r:#}");
    assert!(
        ev(f[0]).contains("in 1 of 25 replies (secrets/environment)"),
        "{}",
        f[0]
    );
    assert!(with_id(&r, "ai.system_prompt_leak").is_empty(), "{r:#}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_canary_two_extraction_replies_prove_the_leak() {
    let sb = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let no_canary = |t: String| {
        t.lines()
            .filter(|l| !l.starts_with("canary"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let cfg = config(&sb, &dir, "vulnerable", "json", "json:/reply", no_canary);
    let (_, r) = audit_ai(&sb, &cfg, &[]).await;
    let f = with_id(&r, "ai.system_prompt_leak");
    assert_eq!(f.len(), 1, "{r:#}");
    assert!(ev(f[0]).contains("both returned the same"), "{}", f[0]);
    assert!(ev(f[0]).contains("You are AcmeBot"), "{}", f[0]);
    assert_eq!(r["measurements"]["ai"]["canary"], false);
    let cfg = config(&sb, &dir, "hardened", "json", "json:/reply", no_canary);
    let (code, r) = audit_ai(&sb, &cfg, &[]).await;
    assert_eq!((code, ai_ids(&r)), (Some(0), vec![]), "{r:#}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn budget_holds_with_five_evals_and_small_budgets() {
    let sb = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let five = |t: String| {
        let mut t = t;
        for i in 0..4 {
            t.push_str(&format!(
                "\n[[ai.evals]]\nname = \"extra {i}\"\nmessage = \"Can I get a refund after 30 days? ({i})\"\nexpect_regex = \"(?i)refund\"\nmax_ms = 5000\n"
            ));
        }
        t
    };
    let cfg = config(&sb, &dir, "hardened", "json", "json:/reply", five);
    let (code, r) = audit_ai(&sb, &cfg, &[]).await;
    assert_eq!(code, Some(0), "{r:#}");
    let m = &r["measurements"]["ai"];
    assert_eq!(m["requests_spent"], 29, "{m:#}");
    assert!(m["requests_spent"].as_u64().unwrap() <= 40);

    let small = |t: String| t.replace("max_requests = 40", "max_requests = 8");
    let cfg = config(&sb, &dir, "vulnerable", "json", "json:/reply", small);
    let (_, r) = audit_ai(&sb, &cfg, &[]).await;
    let m = &r["measurements"]["ai"];
    assert_eq!(m["requests_spent"], 8, "{m:#}");
    assert_eq!(m["over_budget"].as_array().unwrap().len(), 25 - 8, "{m:#}");
    // Priority: the nonce and its asks, then the evals, then extraction (direct, role_play,
    // translation: role_play leaks) go first.
    assert_eq!(
        ai_ids(&r),
        vec![
            "ai.cross_session_leak",
            "ai.eval_failed",
            "ai.system_prompt_leak"
        ],
        "{r:#}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limits_are_backed_off_and_never_a_crash() {
    let sb = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(
        &sb,
        &dir,
        "hardened",
        "json?limit_first=3",
        "json:/reply",
        |t| t,
    );
    let (code, r) = audit_ai(&sb, &cfg, &[]).await;
    assert_eq!(code, Some(0), "{r:#}");
    let m = &r["measurements"]["ai"];
    assert_eq!(m["rate_limited"], 3, "{m:#}");
    // Each 429 cost a request; each was retried after Retry-After.
    assert_eq!(m["requests_spent"], 28, "{m:#}");
    assert_eq!(ai_ids(&r), Vec::<String>::new());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_bot_is_cut_by_the_deadline_and_reported() {
    let sb = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(
        &sb,
        &dir,
        "hardened",
        "json?latency_ms=3000",
        "json:/reply",
        |t| t.replace("concurrency = 4", "concurrency = 1"),
    );
    let t0 = std::time::Instant::now();
    let (code, r) = audit_ai(&sb, &cfg, &["--timeout", "5"]).await;
    assert!(t0.elapsed().as_secs() < 12, "{:?}", t0.elapsed());
    assert!(matches!(code, Some(0) | Some(3)), "{r:#}");
    let m = &r["measurements"]["ai"];
    assert!(m["not_sent"].as_u64().unwrap() > 0, "{m:#}");
    assert_eq!(ai_ids(&r), Vec::<String>::new(), "{r:#}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreachable_chat_endpoint_is_a_check_error() {
    let sb = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(&sb, &dir, "hardened", "json", "json:/reply", |t| {
        t.replace(&format!(":{}/", sb.ai_port), ":1/")
    });
    let (code, r) = audit_ai(&sb, &cfg, &[]).await;
    // Incomplete (3), unless findings fail the gate: a no-go gate failure (1) wins (DESIGN §2).
    assert!(matches!(code, Some(1) | Some(3)), "{r:#}");
    assert_ne!(r["verdict"], "go", "{r:#}");
    let f = with_id(&r, "check.error");
    assert_eq!(f.len(), 1, "{r:#}");
    assert!(
        ev(f[0]).contains("never answered") && ev(f[0]).contains("Connection refused"),
        "{}",
        f[0]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_reply_text_or_canary_reaches_any_format_unscrubbed() {
    let sb = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(&sb, &dir, "vulnerable", "sse", "sse:openai", |t| t);
    let prompt = system_prompt();
    let key = fake_key();
    // One audit: the table on stdout, -v on stderr, every other format through --also.
    let all = run_also(
        audit_args(&sb, &cfg, &["--only", "ai", "--format", "table", "-v"]),
        vec![],
        &ALSO_FORMATS,
    )
    .await;
    for (format, text) in all.every_text() {
        if format != "stderr" {
            assert!(text.contains("ai.system_prompt_leak"), "{format}: {text}");
        }
        if format == "stdout" {
            assert!(
                text.contains(
                    "ai support-bot: 25 of 40 chat requests spent, 25 probes, 0 rate-limited"
                ),
                "{text}"
            );
        }
        assert!(!text.contains(CANARY), "{format}: canary in report");
        assert!(!text.contains(&key), "{format}: key in report");
        assert!(!text.contains(&key[..20]), "{format}: key prefix in report");
        // The prompt is longer than an excerpt: never reported whole.
        assert!(!text.contains(&prompt), "{format}: whole prompt in report");
    }
    let r: serde_json::Value = serde_json::from_str(all.file("json")).unwrap();
    for f in r["findings"].as_array().unwrap() {
        assert!(ev(f).len() < 1500, "{f}");
        assert!(!ev(f).contains('\n') && !ev(f).contains('\u{1b}'), "{f}");
    }
    assert!(r.to_string().contains("LR-C…41 (20 chars)"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_sites_carry_the_bots() {
    let sb = sandbox().await;
    let (code, r) = audit_ai(&sb, &sb.broken_config(), &[]).await;
    assert_eq!(code, Some(1));
    assert_eq!(ai_ids(&r), AI_IDS, "{r:#}");
    assert_eq!(r["measurements"]["ai"]["reply"], "sse:openai");
    let (code, r) = audit_ai(&sb, &sb.healthy_config(), &[]).await;
    assert_eq!((code, ai_ids(&r)), (Some(0), vec![]), "{r:#}");
}

#[tokio::test]
async fn config_errors_name_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "endpoint = \"nope\"",
            "ai.endpoint",
            "not the name of an [[endpoints]] entry",
        ),
        (
            "endpoint = \"chat\"\nreply = \"xml\"",
            "ai.reply",
            "is not one of",
        ),
        (
            "endpoint = \"chat\"\nbody = '{\"q\": \"hi\"}'",
            "ai.body",
            "{{message}}",
        ),
        (
            "endpoint = \"chat\"\ncanary = \"short\"",
            "ai.canary",
            "at least 8",
        ),
        (
            "endpoint = \"chat\"\nmax_requests = 0",
            "ai.max_requests",
            "out of range",
        ),
        (
            "endpoint = \"chat\"\n[[ai.evals]]\nname = \"x\"\nmessage = \"hi\"\nexpect_regex = \"(\"",
            "ai.evals.expect_regex",
            "not a valid regex",
        ),
        (
            "endpoint = \"chat\"\n[[ai.evals]]\nname = \"x\"\nmessage = \"hi\"",
            "ai.evals",
            "expects nothing",
        ),
        (
            "endpoint = \"chat\"\nmodel = \"x\"",
            "ai.model",
            "unknown key",
        ),
    ];
    for (i, (ai, key, msg)) in cases.iter().enumerate() {
        let p = dir.path().join(format!("c{i}.toml"));
        std::fs::write(
            &p,
            format!("[target]\ndomain = \"acme.example\"\n[[endpoints]]\nname = \"chat\"\nurl = \"https://api.acme.example/chat\"\n[ai]\n{ai}\n"),
        )
        .unwrap();
        let out = run(
            vec![
                "audit".into(),
                "--config".into(),
                p.display().to_string(),
                "--only".into(),
                "ai".into(),
            ],
            vec![],
        )
        .await;
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{ai}: {err}");
        assert!(
            err.contains(&format!("c{i}.toml:")) && err.contains(key) && err.contains(msg),
            "{ai}: {err}"
        );
    }
}

#[tokio::test]
async fn explain_lists_the_probes_and_the_proof() {
    let out = run(
        vec!["explain".into(), "ai.system_prompt_leak".into()],
        vec![],
    )
    .await;
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0));
    for want in [
        "Probes",
        "[extraction / role_play]",
        "[extraction / base64]",
        "[identity / admin]",
        "What counts as proof",
        "canary",
    ] {
        assert!(text.contains(want), "{want}: {text}");
    }
    let out = run(vec!["explain".into(), "ai.prompt_injection".into()], vec![]).await;
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("<a random token, reversed>") && text.contains("[injection / email]"),
        "{text}"
    );
}
