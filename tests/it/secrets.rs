//! The secrets check through the binary: the sandbox's broken repo (work tree, committed .env,
//! build output, history-only secret), the clean healthy repo, `audit --repo`, and redaction.

use crate::common::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn broken_repo_fires_secret_ids_and_never_prints_a_secret() {
    let sb = sandbox().await;
    let out = run(
        audit_args(
            &sb,
            &sb.broken_config(),
            &["--only", "secrets", "--format", "json"],
        ),
        vec![],
    )
    .await;
    assert_eq!(out.status.code(), Some(1));
    let r = json(&out);
    let ids = ids(&r);
    for id in [
        "secret.aws_access_key",
        "secret.stripe_live_key",
        "secret.database_url",
        "secret.openai_key",
        "secret.env_file_committed",
        "secret.env_not_gitignored",
    ] {
        assert!(ids.contains(&id.to_string()), "{id} missing from {ids:?}");
    }
    // The history-only key names the commit that added it and says it is gone from the tree.
    let hist = &with_id(&r, "secret.openai_key")[0];
    assert_eq!(hist["subject"], "old/llm.js:2");
    let ev = hist["evidence"].as_str().unwrap();
    assert!(ev.contains("commit") && ev.contains("git history"), "{ev}");
    // Build output is scanned even though dist/ is git-ignored.
    assert_eq!(
        with_id(&r, "secret.stripe_live_key")[0]["subject"],
        "dist/app.js:1"
    );
    // Redacted evidence: head, tail, length; never the value.
    let aws = &with_id(&r, "secret.aws_access_key")[0];
    assert!(
        aws["evidence"].as_str().unwrap().contains("(20 chars)"),
        "{aws}"
    );
    for format in ["json", "table"] {
        let out = run(
            audit_args(
                &sb,
                &sb.broken_config(),
                &["--only", "secrets", "--format", format],
            ),
            vec![],
        )
        .await;
        let text = String::from_utf8_lossy(&out.stdout).to_string()
            + &String::from_utf8_lossy(&out.stderr);
        for v in sb.planted.all() {
            assert!(!text.contains(v), "planted value leaked in {format} output");
        }
    }
    // Fingerprints use path + secret hash, so they are not those of id + subject.
    let fp = aws["fingerprint"].as_str().unwrap();
    assert_eq!(fp.len(), 16);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthy_repo_is_clean() {
    let sb = sandbox().await;
    let out = run(
        audit_args(
            &sb,
            &sb.healthy_config(),
            &["--only", "secrets", "--format", "json"],
        ),
        vec![],
    )
    .await;
    let r = json(&out);
    assert_eq!(ids(&r), Vec::<String>::new(), "{r:#}");
    assert_eq!(out.status.code(), Some(0));
    assert!(
        r["measurements"]["secrets"]["files_scanned"]
            .as_u64()
            .unwrap()
            >= 3
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repo_mode_needs_no_config_and_no_network() {
    let sb = sandbox().await;
    let repo = sb.dir().join("broken");
    let out = run(
        vec![
            "audit".into(),
            "--repo".into(),
            repo.display().to_string(),
            "--format".into(),
            "json".into(),
        ],
        vec![],
    )
    .await;
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r = json(&out);
    // The repository's launchready.toml declares [env]: the env check runs too, offline.
    assert_eq!(r["checks"].as_array().unwrap().len(), 2);
    assert_eq!(r["checks"][0]["check"], "secrets");
    assert_eq!(r["checks"][1]["check"], "env");
    assert!(ids(&r).contains(&"secret.aws_access_key".to_string()));
    // The target is the repository's name, never a local absolute path.
    assert_eq!(
        r["target"],
        repo.file_name().unwrap().to_string_lossy().as_ref()
    );
    // --fail-on never passes the gate; a missing directory is a usage error.
    let out = run(
        vec![
            "audit".into(),
            "--repo".into(),
            repo.display().to_string(),
            "--fail-on".into(),
            "never".into(),
            "-q".into(),
        ],
        vec![],
    )
    .await;
    assert_eq!(out.status.code(), Some(0));
    let out = run(
        vec!["audit".into(), "--repo".into(), "/nonexistent/repo".into()],
        vec![],
    )
    .await;
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a directory"));
    // Allow-listing through the config: `[secrets] allow` suppresses a rule for a path.
    let cfg = std::fs::read_to_string(sb.broken_config()).unwrap()
        + "\n[secrets]\nallow = [\"secret.aws_access_key:src/**\"]\n";
    let p = sb.dir().join("broken").join("allow.toml");
    std::fs::write(&p, cfg).unwrap();
    let out = run(
        audit_args(&sb, &p, &["--only", "secrets", "--format", "json"]),
        vec![],
    )
    .await;
    let r = json(&out);
    assert!(
        !ids(&r).contains(&"secret.aws_access_key".to_string()),
        "{r:#}"
    );
    assert!(ids(&r).contains(&"secret.stripe_live_key".to_string()));
}

fn lr() -> assert_cmd::Command {
    let mut c = assert_cmd::cargo::cargo_bin_cmd!("launchready");
    c.env("NO_COLOR", "1");
    c
}

/// A repository with a gitleaks-format rules file: one rule that loads, one whose look-ahead
/// the regex engine cannot compile, and an allowlist with a Go-style literal `{`.
fn repo_with_rules_file() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git2::Repository::init(root).unwrap();
    std::fs::write(
        root.join("launchready.toml"),
        "[target]\ndomain = \"acme.example\"\n\n[secrets]\nrules_file = \"gitleaks.toml\"\nhistory = false\n",
    )
    .unwrap();
    std::fs::write(
        root.join("gitleaks.toml"),
        r#"title = "team rules"

[[rules]]
id = "acme-internal-key"
description = "Acme internal key"
regex = '''acme_ik_[a-z0-9]{24}'''
keywords = ["acme_ik_"]

[rules.allowlist]
regexes = ['''{{ *acme_ik''']

[[rules]]
id = "lookahead-rule"
regex = '''token(?=[a-z]{8})'''
"#,
    )
    .unwrap();
    let key = format!("acme_ik_{}", "k3j9x2m4p8q1w7e5r6t0y2u4");
    std::fs::write(root.join("app.cfg"), format!("internal = {key}\n")).unwrap();
    dir
}

#[test]
fn rules_file_import_says_what_it_loaded_and_dropped() {
    let dir = repo_with_rules_file();
    let out = lr()
        .current_dir(dir.path())
        .args([
            "audit",
            "--repo",
            ".",
            "--format",
            "sarif",
            "--fail-on",
            "never",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("loaded 1 of 2 rules"), "{stderr}");
    assert!(stderr.contains("lookahead-rule"), "{stderr}");
    // the Go-style `{` in the allowlist was translated, not dropped
    assert!(
        !stderr.contains("allowlist regex cannot be compiled"),
        "{stderr}"
    );
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let notes = &sarif["runs"][0]["invocations"][0]["toolConfigurationNotifications"];
    let texts: Vec<&str> = notes
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["message"]["text"].as_str().unwrap())
        .collect();
    assert!(texts[0].contains("loaded 1 of 2 rules"), "{texts:?}");
    assert!(
        texts.iter().any(|t| t.contains("lookahead-rule")),
        "{texts:?}"
    );
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(
        results
            .iter()
            .any(|r| r["ruleId"] == "secret.acme_internal_key"),
        "{results:?}"
    );
    // -q keeps stderr quiet
    let out = lr()
        .current_dir(dir.path())
        .args(["audit", "--repo", ".", "-q", "--fail-on", "never"])
        .output()
        .unwrap();
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn explain_knows_every_rule_and_nothing_else() {
    let dir = repo_with_rules_file();
    // an imported rule is explained with the severity its findings carry
    let out = lr()
        .current_dir(dir.path())
        .args(["explain", "secret.acme_internal_key"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Acme internal key") && text.contains("severity: critical"),
        "{text}"
    );
    // a built-in rule with its own severity
    let out = lr()
        .args(["explain", "secret.stripe_test_key"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("severity: low"));
    let out = lr().args(["explain", "secret.password"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("severity: high"));
    // unknown ids exit 2, secret-shaped or not
    for id in [
        "secret.no_such_rule",
        "secret.acme_internal_key",
        "dns.nope",
    ] {
        let out = lr()
            .current_dir(std::env::temp_dir())
            .args(["explain", id])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{id}");
    }
}

#[test]
fn checks_lists_every_secret_rule_id() {
    let out = lr().args(["checks", "--format", "json"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    for id in [
        "secret.aws_access_key",
        "secret.password",
        "secret.password_hash",
        "secret.django_secret_key",
        "secret.keystore_file",
        "secret.url_credentials",
        "secret.stripe_test_key",
    ] {
        assert!(ids.contains(&id), "{id} missing");
    }
    let stripe_test = v
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "secret.stripe_test_key")
        .unwrap();
    assert_eq!(stripe_test["severity"], "low");
    let table = lr().arg("checks").output().unwrap();
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(text.contains("secret.wordpress_salt"), "{text}");
}
