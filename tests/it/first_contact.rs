//! First contact and everyday use: an audit that could not look never says go (dead resolver,
//! every format), the pre-commit flow with `--staged`, and a table that fits the terminal.

use crate::common::*;
use std::path::Path;

fn dead_resolver() -> std::net::SocketAddr {
    // Bind then drop: nothing listens on that port, like a laptop with no network.
    std::net::UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
}

fn offline_args(cfg: &Path, dead: std::net::SocketAddr, extra: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = vec![
        "audit".into(),
        "--config".into(),
        cfg.display().to_string(),
        "--dns-server".into(),
        dead.to_string(),
        "--no-progress".into(),
    ];
    v.extend(extra.iter().map(|s| s.to_string()));
    v
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dead_resolver_never_says_go_in_any_format() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("launchready.toml");
    std::fs::write(&cfg, "[target]\ndomain = \"offline-shop.test\"\n").unwrap();
    let dead = dead_resolver();
    let started = std::time::Instant::now();
    // One audit: the table on stdout, every other format through --also.
    let all = run_also(
        offline_args(&cfg, dead, &["--format", "table"]),
        short_timeouts(),
        &["json", "markdown", "sarif", "junit"],
    )
    .await;
    let err = all.stderr();
    assert_eq!(all.out.status.code(), Some(3), "{err}");
    assert!(err.contains("no DNS from here"), "{err}");
    for (fmt, text) in all.every_text() {
        if fmt == "stderr" {
            continue;
        }
        let fmt = if fmt == "stdout" { "table" } else { fmt };
        // Never a go, in any spelling the format uses.
        for go in [": GO ", "\"go\"", "✅ GO", "Ready for first customers"] {
            assert!(!text.contains(go), "{fmt} says {go}:\n{text}");
        }
        match fmt {
            "table" => {
                assert!(text.starts_with("INCOMPLETE:"), "{text}");
                assert!(text.contains("  dns, http, tls, email"), "{text}");
                assert!(text.contains("no DNS from here"), "{text}");
            }
            "json" => {
                let r: serde_json::Value = serde_json::from_str(&text).unwrap();
                crate::report_contract::assert_valid(&r);
                assert_no_dns(&r, &["dns", "http", "tls", "email"]);
                // The offline checks still ran.
                assert!(!with_id(&r, "handover.no_owner").is_empty(), "{r:#}");
            }
            "markdown" => {
                let banner = text.find("INCOMPLETE AUDIT").expect("banner");
                let verdict = text.find("**Verdict:").expect("verdict");
                assert!(banner < verdict, "the banner comes first:\n{text}");
                assert!(text.contains("no DNS from here"), "{text}");
            }
            "sarif" => {
                let v: serde_json::Value = serde_json::from_str(&text).unwrap();
                let inv = &v["runs"][0]["invocations"][0];
                assert_eq!(inv["executionSuccessful"], false, "{inv}");
                let notes = inv["toolExecutionNotifications"].to_string();
                assert!(notes.contains("INCOMPLETE") && notes.contains("no DNS from here"));
                assert_ne!(v["runs"][0]["properties"]["verdict"], "go");
            }
            "junit" => {
                assert!(text.contains("<error "), "{text}");
                assert!(text.contains("type=\"incomplete\""), "{text}");
                assert!(
                    !text.contains("errors=\"0\" skipped=\"0\" time=\"0.000\">"),
                    "{text}"
                );
            }
            _ => unreachable!(),
        }
    }
    // An audit against a dead resolver (300 ms DNS timeout, see `short_timeouts`) gives up on
    // DNS at once.
    assert!(started.elapsed().as_secs() < 15, "{:?}", started.elapsed());

    // With --allow-incomplete the gate decides: the handover findings fail it, and with the
    // gate off the exit is 0.
    let out = run(
        offline_args(&cfg, dead, &["--format", "json", "--allow-incomplete"]),
        short_timeouts(),
    )
    .await;
    assert_eq!(out.status.code(), Some(1));
    let out = run(
        offline_args(
            &cfg,
            dead,
            &[
                "--format",
                "json",
                "--allow-incomplete",
                "--fail-on",
                "never",
            ],
        ),
        short_timeouts(),
    )
    .await;
    assert_eq!(out.status.code(), Some(0));
    // Only network checks selected: nothing critical found, so the verdict is incomplete.
    let out = run(
        offline_args(&cfg, dead, &["--format", "json", "--only", "dns,email"]),
        short_timeouts(),
    )
    .await;
    assert_eq!(out.status.code(), Some(3));
    let r = json(&out);
    assert_eq!(r["verdict"], "incomplete", "{r:#}");
    assert_eq!(r["score"], 100);
    let out = run(
        offline_args(
            &cfg,
            dead,
            &[
                "--format",
                "json",
                "--only",
                "dns,email",
                "--allow-incomplete",
            ],
        ),
        short_timeouts(),
    )
    .await;
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(json(&out)["verdict"], "incomplete");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_selection_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("launchready.toml");
    std::fs::write(&cfg, "[target]\ndomain = \"shop.test\"\n").unwrap();
    for extra in [&["--only", "dns", "--skip", "dns"][..], &["--only", ""][..]] {
        let out = run(offline_args(&cfg, dead_resolver(), extra), vec![]).await;
        assert_eq!(out.status.code(), Some(2), "{extra:?}");
        assert!(out.stdout.is_empty());
    }
}

fn commit_all(repo: &git2::Repository, message: &str) {
    let mut index = repo.index().unwrap();
    index
        .add_all(["*"].iter(), git2::IndexAddOption::DEFAULT, None)
        .unwrap();
    index.update_all(["*"].iter(), None).unwrap();
    index.write().unwrap();
    let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
    let sig = git2::Signature::now("Dev", "dev@shop.test").unwrap();
    let parent = repo.head().ok().and_then(|h| h.peel_to_commit().ok());
    let parents: Vec<&git2::Commit> = parent.iter().collect();
    repo.commit(Some("HEAD"), &sig, &sig, message, &tree, &parents)
        .unwrap();
}

fn stage_all(repo: &git2::Repository) {
    let mut index = repo.index().unwrap();
    index
        .add_all(["*"].iter(), git2::IndexAddOption::DEFAULT, None)
        .unwrap();
    index.update_all(["*"].iter(), None).unwrap();
    index.write().unwrap();
}

fn repo_args(path: &Path, extra: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = vec![
        "audit".into(),
        "--repo".into(),
        path.display().to_string(),
        "--no-progress".into(),
    ];
    v.extend(extra.iter().map(|s| s.to_string()));
    v
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pre_commit_flow_with_staged_and_a_gate_only_config() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let repo = git2::Repository::init(root).unwrap();
    std::fs::create_dir_all(root.join("src")).unwrap();
    std::fs::write(root.join("README.md"), "shop\n").unwrap();
    commit_all(&repo, "start");
    let key = "AKIAQWERTYUIOPASDFGH";
    std::fs::write(
        root.join("src/app.js"),
        format!("const region = \"eu\";\nconst awsKeyId = \"{key}\";\n"),
    )
    .unwrap();

    // 1. The key is staged: the hook blocks the commit and names the staged file.
    stage_all(&repo);
    let out = run(repo_args(root, &["--staged", "--format", "json"]), vec![]).await;
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let r = json(&out);
    let staged: Vec<_> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["source"] == "staged")
        .collect();
    assert_eq!(staged.len(), 1, "{r:#}");
    assert_eq!(staged[0]["id"], "secret.aws_access_key");
    assert_eq!(staged[0]["path"], "src/app.js");
    assert_eq!(staged[0]["line"], 2);

    // 2. Committed anyway (--no-verify); the next commit removes it and must not be blocked.
    commit_all(&repo, "add aws client");
    std::fs::write(root.join("src/app.js"), "const region = \"eu\";\n").unwrap();
    stage_all(&repo);
    let out = run(repo_args(root, &["--staged", "--format", "json"]), vec![]).await;
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(0), "{err}\n{}", stdout(&out));
    assert!(err.contains("reported, not gating"), "{err}");
    let r = json(&out);
    let hist = with_id(&r, "secret.aws_access_key");
    assert_eq!(hist.len(), 1, "{r:#}");
    assert_eq!(hist[0]["source"], "history");
    assert_eq!(hist[0]["path"], "src/app.js");
    assert_eq!(hist[0]["line"], 2);
    assert_eq!(hist[0]["commit"].as_str().unwrap().len(), 7);
    let fp = hist[0]["fingerprint"].as_str().unwrap().to_string();
    for s in [stdout(&out), err.clone()] {
        assert!(!s.contains(key), "the key is never printed whole");
    }

    // 3. The table shows the fingerprint with a ready-to-paste gate.ignore line.
    let out = run(repo_args(root, &["--staged"]), vec![]).await;
    let table = stdout(&out);
    assert!(table.contains(&fp), "{table}");
    let line = table
        .lines()
        .find(|l| l.trim_start().starts_with(&format!("\"{fp}\",")))
        .unwrap_or_else(|| panic!("no ignore line for {fp}:\n{table}"));
    assert!(table.contains("[gate]\nignore = ["), "{table}");

    // 4. Accepted with a launchready.toml that holds only [gate] (plus an endpoint whose token
    //    is unset: repo mode never sends it), from a subdirectory of the repository.
    std::fs::write(
        root.join("launchready.toml"),
        format!(
            "[gate]\nignore = [\n{line}\n]\n\n[[endpoints]]\nname = \"chat\"\nurl = \"https://api.shop.test/chat\"\nheaders = {{ Authorization = \"Bearer ${{LAUNCHREADY_FIRST_CONTACT_UNSET_TOKEN}}\" }}\n"
        ),
    )
    .unwrap();
    stage_all(&repo);
    let out = run(
        repo_args(&root.join("src"), &["--staged", "--format", "json"]),
        vec![],
    )
    .await;
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(0), "{err}");
    let r = json(&out);
    assert!(with_id(&r, "secret.aws_access_key").is_empty(), "{r:#}");
    let ignored = r["ignored"].as_array().unwrap();
    assert!(
        ignored.iter().any(|i| i["fingerprint"] == fp.as_str()),
        "{r:#}"
    );
    // The whole repository was scanned, not only the subdirectory.
    assert!(err.contains("scanning the whole repository"), "{err}");

    // 5. -q in the hook: nothing at all when nothing is found.
    let out = run(repo_args(root, &["--staged", "-q"]), vec![]).await;
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stdout.is_empty() && out.stderr.is_empty(),
        "{}",
        stdout(&out)
    );

    // 6. Without the accepted risk, the full repo scan from a subdirectory finds the key in
    //    history (the root's history is never skipped silently).
    std::fs::remove_file(root.join("launchready.toml")).unwrap();
    let out = run(repo_args(&root.join("src"), &["--format", "json"]), vec![]).await;
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(with_id(&json(&out), "secret.aws_access_key").len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_table_fits_100_columns() {
    // The shared demo run writes its table at COLUMNS=100.
    let demo = demo_all().await;
    assert_eq!(demo.out.status.code(), Some(0));
    let text = demo.file("table");
    assert!(text.contains("=== sandbox: the broken site ==="), "{text}");
    let long: Vec<&str> = text.lines().filter(|l| l.chars().count() > 100).collect();
    assert!(
        long.is_empty(),
        "{} lines over 100 columns: {long:#?}",
        long.len()
    );
    // Repeated ids are merged with a count, every other row shows its fingerprint.
    assert!(text.contains("×5 findings"), "{text}");
}
