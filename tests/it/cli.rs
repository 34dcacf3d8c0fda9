//! Command-line behaviour: exit codes, init/checks/explain/completions, --fail-on.

use crate::common::*;

fn bin() -> assert_cmd::Command {
    let mut c = assert_cmd::cargo::cargo_bin_cmd!("launchready");
    c.env("NO_COLOR", "1");
    c
}

#[test]
fn checks_lists_every_design_id() {
    let out = bin().args(["checks", "--format", "json"]).output().unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    for id in [
        "dns.apex_unresolved",
        "tls.cert_expired",
        "email.no_dmarc",
        "perf.regression",
        "handover.no_owner",
        "check.error",
        "exposure.secret_in_bundle",
        "edge.no_cdn",
    ] {
        assert!(ids.contains(&id), "{id}");
    }
    let table = bin().arg("checks").output().unwrap();
    let text = String::from_utf8(table.stdout).unwrap();
    assert!(text.contains("dns.dangling_cname") && text.contains("critical"));
}

#[test]
fn explain_known_and_unknown_ids() {
    let out = bin().args(["explain", "dns.no_caa"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("dns.no_caa") && text.contains("Fix") && text.contains("rfc8659"),
        "{text}"
    );
    let out = bin()
        .args(["explain", "secret.github_token"])
        .output()
        .unwrap();
    assert!(out.status.success(), "secret.<rule> ids are explained");
    let out = bin().args(["explain", "dns.nope"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown finding id"));
    // A typo gets the nearest id; so does the part after the dot alone.
    for typo in ["email.no_dmar", "no_dmarc", "EMAIL.NO_DMRAC"] {
        let out = bin().args(["explain", typo]).output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("did you mean email.no_dmarc?"),
            "{typo}: {err}"
        );
    }
    let out = bin().args(["explain", "zzzzzz"]).output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("did you mean"));
}

#[test]
fn init_prints_a_config_that_parses() {
    let out = bin()
        .args(["init", "--domain", "Example.COM"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("domain = \"example.com\""));
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("launchready.toml");
    std::fs::write(&p, &text).unwrap();
    let cfg = launchready::config::parse(&text, &p, &|_| Some("x".into())).unwrap();
    assert_eq!(cfg.target.domain, "example.com");
    // Example flows describe Acme: a starter config keeps them as comments.
    assert!(cfg.flows.is_empty());
    assert!(
        text.contains("# [[flows]]")
            && text.contains("# url = \"https://app.example.com/api/signup\"")
    );
    // The example's chat probes describe Acme: commented out until the user declares theirs.
    assert!(cfg.ai.is_none() && text.contains("# [ai]"));
    let bad = bin()
        .args(["init", "--domain", "https://example.com/"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn completions_and_usage_errors() {
    let out = bin().args(["completions", "bash"]).output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("launchready"));
    // Completion offers check names for --only/--skip and finding ids for explain.
    // (clap's fish script completes flags only, not positional arguments.)
    for (shell, words) in [
        (
            "bash",
            &["handover", "flows", "email.no_dmarc", "secret.github_token"][..],
        ),
        (
            "zsh",
            &["handover", "flows", "email.no_dmarc", "secret.github_token"][..],
        ),
        ("fish", &["handover", "flows"][..]),
    ] {
        let out = bin().args(["completions", shell]).output().unwrap();
        let script = String::from_utf8_lossy(&out.stdout);
        for word in words {
            assert!(script.contains(word), "{shell}: `{word}` not offered");
        }
    }
    // The explain help does not print the whole catalogue.
    let out = bin().args(["explain", "--help"]).output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains("email.no_dmarc"));
    // Unknown flag: clap's usage error is exit 2.
    let out = bin().args(["audit", "--bogus"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = bin()
        .args([
            "audit",
            "--only",
            "dns,nope",
            "--config",
            "checks.example.toml",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown check `nope`"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fail_on_sets_the_exit_code() {
    let sb = sandbox().await;
    // Healthy site: nothing at all -> 0 even with --fail-on low.
    let out = run(
        audit_args(
            &sb,
            &sb.healthy_config(),
            &["--only", "dns", "--fail-on", "low", "-q"],
        ),
        vec![],
    )
    .await;
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // Broken site: criticals -> 1 by default, 0 with --fail-on never.
    let out = run(
        audit_args(&sb, &sb.broken_config(), &["--only", "dns"]),
        vec![],
    )
    .await;
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("NO-GO") && text.contains("dns.dangling_cname"),
        "{text}"
    );
    assert!(!text.contains("\x1b["), "no colour on a pipe");
    let out = run(
        audit_args(
            &sb,
            &sb.broken_config(),
            &["--only", "dns", "--fail-on", "never"],
        ),
        vec![],
    )
    .await;
    assert_eq!(out.status.code(), Some(0));
    let out = run(
        audit_args(
            &sb,
            &sb.broken_config(),
            &["--only", "dns", "--fail-on", "critical"],
        ),
        vec![],
    )
    .await;
    assert_eq!(out.status.code(), Some(1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gate_ignore_accepts_risks_by_id_and_fingerprint() {
    let sb = sandbox().await;
    let out = run(
        audit_args(
            &sb,
            &sb.broken_config(),
            &["--only", "dns", "--format", "json"],
        ),
        vec![],
    )
    .await;
    let r = json(&out);
    let fp = with_id(&r, "dns.record_drift")[0]["fingerprint"]
        .as_str()
        .unwrap()
        .to_string();
    let text = std::fs::read_to_string(sb.broken_config())
        .unwrap()
        .replace(
            "fail_on = \"high\"",
            &format!("fail_on = \"high\"\nignore = [\"dns.no_caa\", \"{fp}\"]"),
        );
    let p = sb.dir().join("ignored.toml");
    std::fs::write(&p, text).unwrap();
    let out = run(
        audit_args(&sb, &p, &["--only", "dns", "--format", "json"]),
        vec![],
    )
    .await;
    let r2 = json(&out);
    let ids = ids(&r2);
    assert!(!ids.contains(&"dns.no_caa".to_string()));
    assert!(!ids.contains(&"dns.record_drift".to_string()));
    let ignored = r2["ignored"].as_array().expect("ignored list");
    assert_eq!(ignored.len(), 2);
    assert!(
        ignored.iter().any(|i| i["ignored_by"] == fp.as_str()),
        "{ignored:?}"
    );
    assert!(ids.contains(&"dns.dangling_cname".to_string()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn output_file_and_demo() {
    let sb = sandbox().await;
    let p = sb.dir().join("report.json");
    let out = run(
        audit_args(
            &sb,
            &sb.broken_config(),
            &[
                "--only",
                "dns",
                "--format",
                "json",
                "--output",
                &p.display().to_string(),
            ],
        ),
        vec![],
    )
    .await;
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
    assert_eq!(v["target"], "acme-broken.test");
    // The report can be read back as a baseline of the same target...
    let out = run(
        audit_args(
            &sb,
            &sb.broken_config(),
            &[
                "--only",
                "dns",
                "--format",
                "json",
                "--baseline",
                &p.display().to_string(),
            ],
        ),
        vec![],
    )
    .await;
    assert_eq!(out.status.code(), Some(1));
    let r = json(&out);
    assert!(r["findings"][0]["baseline"] == "unchanged", "{r:#}");
    // ...and is refused, before probing, for another target.
    let out = run(
        audit_args(
            &sb,
            &sb.healthy_config(),
            &["--only", "dns", "--baseline", &p.display().to_string()],
        ),
        vec![],
    )
    .await;
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("is a report for acme-broken.test, not for acme-good.test"),
        "{err}"
    );

    let demo = demo_all().await;
    assert_eq!(demo.out.status.code(), Some(0), "{}", demo.stderr());
    let text = demo.file("table");
    assert!(
        text.contains("the broken site") && text.contains("NO-GO"),
        "{text}"
    );
    assert!(
        text.contains("the healthy site") && text.contains(": GO"),
        "{text}"
    );
}

/// `--also FORMAT=FILE`: one audit, several formats. Every `--also` file holds the same report
/// as the one on stdout; a file named twice, an unknown format and a fleet are refused before
/// anything is probed.
#[test]
fn also_writes_more_formats_from_one_audit_and_refuses_bad_uses() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("launchready.toml"),
        "[target]\ndomain = \"shop.example\"\n",
    )
    .unwrap();
    let audit = |extra: &[&str]| {
        let mut c = bin();
        c.args(["audit", "--only", "handover", "--no-progress"])
            .args(extra)
            .current_dir(d);
        c.output().unwrap()
    };
    let out = audit(&[
        "--format",
        "json",
        "--also",
        "json=r.json",
        "--also",
        "sarif=r.sarif",
        "--also",
        "junit=r.xml",
        "--also",
        "markdown=r.md",
        "--also",
        "html=r.html",
        "--also",
        "table=r.txt",
    ]);
    // Two high handover findings fail the default gate.
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let n = r["findings"].as_array().unwrap().len();
    assert!(n > 0);
    let read = |f: &str| std::fs::read_to_string(d.join(f)).unwrap();
    assert_eq!(read("r.json").as_bytes(), out.stdout, "the same report");
    let sarif: serde_json::Value = serde_json::from_str(&read("r.sarif")).unwrap();
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), n);
    // A case per finding (and one per check that was left out); the two highs fail.
    assert!(read("r.xml").matches("<testcase ").count() >= n);
    assert_eq!(read("r.xml").matches("<failure ").count(), 2);
    assert!(read("r.md").starts_with("# Launch readiness: shop.example"));
    assert!(read("r.html").starts_with("<!DOCTYPE html>"));
    assert!(read("r.txt").contains("shop.example"));
    assert!(!read("r.txt").contains('\u{1b}'), "no colour in a file");

    // The same file twice, an unknown format, a missing file name, a fleet: exit 2, no report.
    for (extra, says) in [
        (
            vec!["--output", "a.json", "--also", "sarif=a.json"],
            "--also a.json: that file is already named by --output or another --also",
        ),
        (
            vec!["--also", "sarif=r.sarif", "--also", "junit=./r.sarif"],
            "--also ./r.sarif: that file is already named",
        ),
        (vec!["--also", "xml=a.xml"], "`xml`: unknown format"),
        (vec!["--also", "json"], "expected FORMAT=FILE"),
        (
            vec!["--config", ".", "--also", "json=b.json"],
            "--also is for one target",
        ),
    ] {
        let out = audit(&extra);
        assert_eq!(out.status.code(), Some(2), "{extra:?}: {out:?}");
        assert!(out.stdout.is_empty(), "{extra:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{extra:?}: {err}");
    }
    // Refused runs leave no empty report behind.
    assert!(!d.join("a.json").exists() && !d.join("b.json").exists());
}

/// `launchready ... | head`: the reader closes the pipe early; the command stops writing,
/// prints no error and keeps its own exit code.
#[test]
fn a_closed_stdout_pipe_is_not_an_error() {
    use std::io::Read;
    // ~190 KB: more than a pipe holds.
    let mut child = piped(
        &["checks", "--format", "json"],
        &std::env::current_dir().unwrap(),
    );
    let mut first = [0u8; 64];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap(); // the reader is dropped here: the pipe closes
    let out = child.wait_with_output().unwrap();
    assert!(first.starts_with(b"["));
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A closed pipe keeps the gate's verdict: `audit ... | head` still fails on a failing gate.
#[test]
fn a_closed_stdout_pipe_keeps_the_gate_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("launchready.toml"),
        "[target]\ndomain = \"shop.example\"\n",
    )
    .unwrap();
    let mut child = piped(
        &["audit", "--only", "handover", "--no-progress"],
        dir.path(),
    );
    drop(child.stdout.take()); // closed before the report is written
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1), "two high handover findings");
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The binary with `args` in `dir`, stdout and stderr piped to this process.
fn piped(args: &[&str], dir: &std::path::Path) -> std::process::Child {
    std::process::Command::new(assert_cmd::cargo::cargo_bin!("launchready"))
        .args(args)
        .current_dir(dir)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}
