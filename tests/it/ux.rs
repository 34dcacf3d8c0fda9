//! Everyday use: `init` prefills from the current directory, the man page renders, `-v` prints
//! one line per check on stderr, `--quiet` prints only the report.

use crate::common::*;

fn bin() -> assert_cmd::Command {
    assert_cmd::cargo::cargo_bin_cmd!("launchready")
}

#[test]
fn init_prefills_from_the_current_directory() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join(".git")).unwrap();
    std::fs::create_dir_all(d.join("dist")).unwrap();
    std::fs::create_dir_all(d.join(".next")).unwrap();
    std::fs::create_dir_all(d.join("docs")).unwrap();
    std::fs::write(d.join("docs/rollback.md"), "redeploy v1\n").unwrap();
    std::fs::write(d.join(".env"), "OPENAI_API_KEY=x\n").unwrap();
    std::fs::write(
        d.join("package.json"),
        r#"{"name": "chat-\"app\"", "homepage": "https://www.chatapp.dev/"}"#,
    )
    .unwrap();
    let out = bin().arg("init").current_dir(d).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("domain = \"chatapp.dev\""), "{text}");
    assert!(
        text.contains("build_dirs = [\"dist\", \".next\"]"),
        "{text}"
    );
    assert!(
        text.contains("rollback_doc = \"docs/rollback.md\""),
        "{text}"
    );
    assert!(text.contains("A .env file is here"), "{text}");
    assert!(text.contains("history = true"), "{text}");
    let p = d.join("launchready.toml");
    std::fs::write(&p, &text).unwrap();
    let cfg = launchready::config::parse(&text, &p, &|_| Some("x".into())).unwrap();
    assert_eq!(cfg.target.domain, "chatapp.dev");
    assert_eq!(cfg.target.name.as_deref(), Some("chat-\"app\""));
    let dirs: Vec<std::path::PathBuf> = vec!["dist".into(), ".next".into()];
    assert_eq!(cfg.secrets.build_dirs, dirs);
    // The homepage is on www.: users must end up there.
    assert_eq!(cfg.target.canonical, launchready::config::Canonical::Www);

    // --domain wins over the homepage, and says so (stderr and a comment); the homepage's www
    // says nothing about another domain.
    let out = bin()
        .args(["init", "--domain", "shop.example"])
        .current_dir(d)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("using --domain shop.example")
            && err.contains("package.json names chatapp.dev"),
        "{err}"
    );
    assert!(
        text.contains("given with --domain (shop.example)"),
        "{text}"
    );
    assert!(!text.contains("domain = \"chatapp.dev\""), "{text}");
    let cfg = launchready::config::parse(&text, &p, &|_| Some("x".into())).unwrap();
    assert_eq!(cfg.target.domain, "shop.example");
    assert_eq!(cfg.target.canonical, launchready::config::Canonical::Apex);

    // An empty directory: not a git repo, placeholder domain until --domain fills it.
    let empty = tempfile::tempdir().unwrap();
    let out = bin()
        .arg("init")
        .current_dir(empty.path())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("history = false"), "{text}");
    assert!(text.contains("placeholder"), "{text}");
    let out = bin()
        .args(["init", "--domain", "shop.example"])
        .current_dir(empty.path())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let p = empty.path().join("launchready.toml");
    let cfg = launchready::config::parse(&text, &p, &|_| Some("x".into())).unwrap();
    assert_eq!(cfg.target.domain, "shop.example");
    assert!(!cfg.secrets.history);
}

#[test]
fn man_page_renders_every_subcommand() {
    let out = bin().arg("man").output().unwrap();
    assert!(out.status.success());
    let roff = String::from_utf8(out.stdout).unwrap();
    assert!(
        roff.starts_with(".ie") || roff.contains(".TH launchready"),
        "{roff}"
    );
    for sub in ["audit", "demo", "init", "checks", "explain", "completions"] {
        assert!(roff.contains(sub), "{sub} missing");
    }
    // Hidden from --help.
    let help = bin().arg("--help").output().unwrap();
    assert!(!String::from_utf8_lossy(&help.stdout).contains("man "));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verbose_prints_each_check_and_quiet_prints_only_the_report() {
    let sb = shared_sandbox();
    // The shared audit of the broken site runs with -v.
    let all = broken_all().await;
    all.json();
    let err = all.stderr();
    let dns = err
        .lines()
        .find(|l| l.starts_with("launchready: dns"))
        .unwrap_or_else(|| panic!("no dns line in {err}"));
    let line = regex::Regex::new(r"^launchready: dns: \d+ findings, \d+ ms$").unwrap();
    assert!(line.is_match(dns), "{dns}");
    let handover = err
        .lines()
        .find(|l| l.starts_with("launchready: handover"))
        .unwrap();
    assert!(
        handover.starts_with("launchready: handover: 7 findings, "),
        "{handover}"
    );

    // -q: only the report, also in GitHub Actions (a full audit: every check keeps quiet).
    let out = run(
        audit_args(sb, &sb.broken_config(), &["--format", "json", "-q"]),
        with_loaded_timeouts(&[("GITHUB_ACTIONS", "true")]),
    )
    .await;
    assert_eq!(out.status.code(), Some(1));
    assert!(ids(&json(&out)).len() > 30);
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_baseline_that_is_not_a_report_says_so_plainly() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("launchready.toml"),
        "[target]\ndomain = \"shop.example\"\n",
    )
    .unwrap();
    let checks = bin().args(["checks", "--format", "json"]).output().unwrap();
    std::fs::write(d.join("checks.json"), &checks.stdout).unwrap();
    std::fs::write(d.join("notes.json"), "hello\n").unwrap();
    std::fs::write(d.join("other.json"), "{\"a\": 1}").unwrap();
    for (file, words) in [
        ("checks.json", "it is a list of"),
        ("notes.json", "it is not JSON (line 1, column 1)"),
        ("other.json", "it has no `schema_version`"),
    ] {
        let out = bin()
            .args([
                "audit",
                "--only",
                "handover",
                "--no-progress",
                "--baseline",
                file,
            ])
            .current_dir(d)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{file}");
        assert!(out.stdout.is_empty());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(&format!(
                "--baseline {file} is not a launchready JSON report: {words}"
            )) && err.contains("launchready audit --format json --output FILE")
                && !err.contains("invalid type"),
            "{file}: {err}"
        );
    }
}
