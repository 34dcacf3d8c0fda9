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
    assert_eq!(r["checks"].as_array().unwrap().len(), 1);
    assert_eq!(r["checks"][0]["check"], "secrets");
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
