//! A hostile config (a pull request that edits `launchready.toml` while CI holds deploy
//! secrets): `${VAR}` reads only LAUNCHREADY_* and allow-listed variables, never a variable into
//! the host of a URL, and a refused config sends nothing. A listener on loopback counts the
//! connections the audit makes.

use crate::common::*;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

const SECRET: &str = "wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY";

async fn counting_listener() -> (u16, Arc<AtomicUsize>) {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = l.local_addr().unwrap().port();
    let n = Arc::new(AtomicUsize::new(0));
    let seen = n.clone();
    tokio::spawn(async move {
        while let Ok((_s, _)) = l.accept().await {
            seen.fetch_add(1, Ordering::SeqCst);
        }
    });
    (port, n)
}

fn audit(cfg: &std::path::Path, extra: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = [
        "audit",
        "--config",
        &cfg.display().to_string(),
        "--only",
        "perf",
        "--no-progress",
        "--format",
        "json",
        "--timeout",
        "10",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    v.extend(extra.iter().map(|s| s.to_string()));
    v
}

fn env() -> Vec<(String, String)> {
    vec![
        ("AWS_SECRET_ACCESS_KEY".into(), SECRET.into()),
        ("LAUNCHREADY_HOST".into(), "127.0.0.1".into()),
        ("STAGING_TOKEN".into(), SECRET.into()),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_config_cannot_send_the_environment_anywhere() {
    let (port, connections) = counting_listener().await;
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, body: String| {
        let p = dir.path().join(name);
        std::fs::write(&p, format!("[target]\ndomain = \"exfil.test\"\n{body}")).unwrap();
        p
    };
    let endpoint = |url: String| {
        format!(
            "[[endpoints]]\nname = \"x\"\nurl = \"{url}\"\nsamples = 1\nconcurrency = 1\ntimeout_ms = 300\n"
        )
    };

    // 1. A variable outside LAUNCHREADY_* and the allow-list.
    let p = write(
        "exfil.toml",
        endpoint(format!(
            "http://127.0.0.1:{port}/?k=${{AWS_SECRET_ACCESS_KEY}}"
        )),
    );
    let out = run(audit(&p, &[]), env()).await;
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains(SECRET) && out.stdout.is_empty());
    assert!(
        err.contains("exfil.toml:")
            && err.contains("endpoints.url")
            && err.contains("AWS_SECRET_ACCESS_KEY")
            && err.contains("not an allowed variable"),
        "{err}"
    );

    // 2. The config's own allow-list is replaced by --env-allow.
    let p = write(
        "listed.toml",
        format!(
            "env = [\"AWS_SECRET_ACCESS_KEY\"]\n{}",
            endpoint(format!(
                "http://127.0.0.1:{port}/?k=${{AWS_SECRET_ACCESS_KEY}}"
            ))
        ),
    );
    let out = run(audit(&p, &["--env-allow", "STAGING_TOKEN"]), env()).await;
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("--env-allow"));
    assert!(!String::from_utf8_lossy(&out.stderr).contains(SECRET));

    // 3. Even an allowed variable never chooses the host.
    let p = write(
        "host.toml",
        endpoint(format!("http://${{LAUNCHREADY_HOST}}:{port}/")),
    );
    let out = run(audit(&p, &[]), env()).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("host or port"));

    // Nothing was sent, and the secret was never printed.
    assert_eq!(
        connections.load(Ordering::SeqCst),
        0,
        "a refused config connects nowhere"
    );

    // 4. An allow-listed variable is expanded and sent to the host the config names.
    let p = write(
        "ok.toml",
        format!(
            "env = [\"STAGING_TOKEN\"]\n{}",
            endpoint(format!("http://127.0.0.1:{port}/?k=${{STAGING_TOKEN}}"))
        ),
    );
    let out = run(audit(&p, &[]), env()).await;
    assert_ne!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(connections.load(Ordering::SeqCst) > 0);
    assert!(!String::from_utf8_lossy(&out.stdout).contains(SECRET));
}
