//! The env check through the binary: every `env.*` id on the broken site's environment and env
//! files, none on the healthy site's, `audit --repo` with `[env]` and no network, `init`
//! prefilled from `.env.example`, and no value of any variable in any report format.

use crate::common::*;
use std::path::Path;

/// The site's process environment as `run` takes it; `SENTRY_DSN` is set empty so a caller's
/// own value cannot hide the broken site's missing variable.
fn process_env(values: &[(String, String)]) -> Vec<(String, String)> {
    let mut v = values.to_vec();
    if !v.iter().any(|(k, _)| k == "SENTRY_DSN") {
        v.push(("SENTRY_DSN".into(), String::new()));
    }
    v
}

/// Every value in the site's env files and process environment that is long enough to be found
/// by accident only if it leaked.
fn planted(dir: &Path, values: &[(String, String)]) -> Vec<String> {
    let mut out: Vec<String> = values.iter().map(|(_, v)| v.clone()).collect();
    for f in [".env.staging", ".env.production"] {
        let text = std::fs::read_to_string(dir.join(f)).unwrap();
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            if let Some((_, v)) = line.split_once('=') {
                out.push(v.trim_matches('"').to_string());
            }
        }
    }
    // The database password on its own, too.
    for (k, v) in values {
        if k == "DATABASE_URL" {
            let u = url::Url::parse(v).unwrap();
            out.push(u.password().unwrap().to_string());
        }
    }
    out.retain(|v| v.len() >= 12);
    out.sort();
    out.dedup();
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn broken_environment_fires_every_env_id_and_healthy_none() {
    let sb = sandbox().await;
    let out = run(
        audit_args(
            &sb,
            &sb.broken_config(),
            &["--only", "env", "--format", "json"],
        ),
        process_env(&sb.env_broken),
    )
    .await;
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let r = json(&out);
    let mut got: Vec<String> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {}",
                f["id"].as_str().unwrap(),
                f["subject"].as_str().unwrap()
            )
        })
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            "env.example_drift .env.example",
            "env.malformed env:DATABASE_URL",
            "env.missing env:SENTRY_DSN",
            "env.shared_across_environments SESSION_SECRET",
            "env.test_key_in_production .env.production:4",
            "env.test_key_in_production env:STRIPE_SECRET_KEY",
        ],
        "{r:#}"
    );
    let ev = |id: &str| -> String {
        with_id(&r, id)
            .iter()
            .map(|f| f["evidence"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert!(
        ev("env.malformed").contains("names no database"),
        "{}",
        ev("env.malformed")
    );
    assert!(ev("env.missing").contains("empty"), "{}", ev("env.missing"));
    assert!(
        ev("env.shared_across_environments").contains("SHA-256 equal"),
        "{}",
        ev("env.shared_across_environments")
    );
    assert!(ev("env.test_key_in_production").contains("Stripe test secret key"));
    let drift = ev("env.example_drift");
    assert!(
        drift.contains("required but not in .env.example: SENTRY_DSN"),
        "{drift}"
    );
    assert!(
        drift.contains("in .env.example but not in [env] required: REDIS_URL"),
        "{drift}"
    );
    let check = r["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == "env")
        .unwrap();
    assert_eq!(check["status"], "findings");

    let out = run(
        audit_args(
            &sb,
            &sb.healthy_config(),
            &["--only", "env", "--format", "json"],
        ),
        process_env(&sb.env_healthy),
    )
    .await;
    let r = json(&out);
    assert_eq!(out.status.code(), Some(0), "{r:#}");
    assert!(ids(&r).is_empty(), "{:?}", ids(&r));
    assert_eq!(
        r["measurements"]["env"]["files"].as_array().unwrap().len(),
        2
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_value_appears_in_any_format() {
    let sb = sandbox().await;
    let dir = sb.dir().join("broken");
    let planted = planted(&dir, &sb.env_broken);
    assert!(planted.len() >= 4, "{planted:?}");
    // The audit and the repo mode, each once: the table on stdout, -v on stderr, every other
    // format through --also.
    for args in [
        audit_args(
            &sb,
            &sb.broken_config(),
            &["-v", "--only", "env", "--format", "table"],
        ),
        vec![
            "audit".into(),
            "--repo".into(),
            dir.display().to_string(),
            "--no-progress".into(),
            "-v".into(),
            "--format".into(),
            "table".into(),
        ],
    ] {
        let all = run_also(args.clone(), process_env(&sb.env_broken), &ALSO_FORMATS).await;
        for (fmt, text) in all.every_text() {
            if fmt != "stderr" {
                assert!(
                    text.contains("env.test_key_in_production"),
                    "{fmt} {args:?}: {text}"
                );
            }
            for p in &planted {
                assert!(!text.contains(p.as_str()), "{fmt} {args:?} leaks {p}");
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repo_mode_reads_env_without_network() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("launchready.toml"),
        "[env]\nenvironment = \"production\"\nrequired = [\"LR_TEST_APP_URL\", \"LR_TEST_MISSING\"]\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join(".env.example"),
        "LR_TEST_APP_URL=\nLR_TEST_MISSING=\n",
    )
    .unwrap();
    let out = run(
        vec![
            "audit".into(),
            "--repo".into(),
            dir.path().display().to_string(),
            "--no-progress".into(),
            "--format".into(),
            "json".into(),
        ],
        vec![("LR_TEST_APP_URL".into(), "localhost:3000".into())],
    )
    .await;
    let r = json(&out);
    let mut got = ids(&r);
    got.sort();
    assert_eq!(got, ["env.malformed", "env.missing"], "{r:#}");
    let checks: Vec<&str> = r["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["check"].as_str().unwrap())
        .collect();
    assert_eq!(checks, ["secrets", "env"]);
    let m = with_id(&r, "env.malformed")[0]["evidence"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        m.contains("LR_TEST_APP_URL") && !m.contains("localhost:3000"),
        "{m}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_env_config_names_file_line_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("launchready.toml");
    std::fs::write(
        &p,
        "[target]\ndomain = \"acme.example\"\n\n[env]\nrequired = [\"OK_NAME\", \"not-a-name\"]\n",
    )
    .unwrap();
    let out = run(
        vec![
            "audit".into(),
            "--config".into(),
            p.display().to_string(),
            "--only".into(),
            "env".into(),
        ],
        vec![],
    )
    .await;
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("launchready.toml:5:") && err.contains("env.required"),
        "{err}"
    );
    assert!(err.contains("not-a-name"), "{err}");
}
