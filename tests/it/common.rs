//! Shared helpers: start the sandbox, run the binary without blocking the sandbox's runtime.

use launchready::sandbox::Sandbox;
use std::process::Output;

/// Starts a fresh sandbox.
pub async fn sandbox() -> Sandbox {
    Sandbox::start().await.expect("sandbox starts")
}

/// Runs the `launchready` binary with `args` (and extra env) on a blocking thread.
pub async fn run(args: Vec<String>, env: Vec<(String, String)>) -> Output {
    tokio::task::spawn_blocking(move || {
        let mut cmd = assert_cmd::cargo::cargo_bin_cmd!("launchready");
        cmd.args(&args).env("NO_COLOR", "1");
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.output().expect("binary runs")
    })
    .await
    .expect("join")
}

/// `audit --config <cfg> --dns-server <sb> --ca-file <sb> --format json --no-progress` + extra.
pub fn audit_args(sb: &Sandbox, config: &std::path::Path, extra: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = vec![
        "audit".into(),
        "--config".into(),
        config.display().to_string(),
        "--dns-server".into(),
        sb.dns_arg(),
        "--ca-file".into(),
        sb.ca_path().display().to_string(),
        "--no-progress".into(),
    ];
    v.extend(extra.iter().map(|s| s.to_string()));
    v
}

/// Parses stdout as a JSON report.
pub fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// Ids of the findings in a JSON report.
pub fn ids(report: &serde_json::Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .expect("findings array")
        .iter()
        .map(|f| f["id"].as_str().expect("id").to_string())
        .collect()
}

/// The findings with `id`.
pub fn with_id<'a>(report: &'a serde_json::Value, id: &str) -> Vec<&'a serde_json::Value> {
    report["findings"]
        .as_array()
        .expect("findings array")
        .iter()
        .filter(|f| f["id"] == id)
        .collect()
}

/// The `checks[]` entry of `check` (panics when the report has none).
pub fn check_run<'a>(report: &'a serde_json::Value, check: &str) -> &'a serde_json::Value {
    report["checks"]
        .as_array()
        .expect("checks array")
        .iter()
        .find(|c| c["check"] == check)
        .unwrap_or_else(|| panic!("no {check} in {:#}", report["checks"]))
}

/// Fails when an `http.unreachable` names a URL starting with `prefix` (a page that browsers
/// load must not be called unreachable).
pub fn assert_not_unreachable(report: &serde_json::Value, prefix: &str) {
    let hits: Vec<&serde_json::Value> = with_id(report, "http.unreachable")
        .into_iter()
        .filter(|f| f["subject"].as_str().unwrap_or("").starts_with(prefix))
        .collect();
    assert!(
        hits.is_empty(),
        "http.unreachable under {prefix}: {hits:#?}"
    );
}

/// The audited page `url` from `measurements.http.pages` (panics when it was not audited).
pub fn audited_page<'a>(report: &'a serde_json::Value, url: &str) -> &'a serde_json::Value {
    let pages = report["measurements"]["http"]["pages"]
        .as_array()
        .expect("pages");
    pages
        .iter()
        .find(|p| p["url"] == url)
        .unwrap_or_else(|| panic!("{url} not audited: {pages:#?}"))
}

pub use crate::hostile_web::udp_tcp_pair;

/// A UDP+TCP "DNS server" that reads queries and never replies.
pub async fn silent_dns() -> std::net::SocketAddr {
    let (udp, tcp) = udp_tcp_pair().await.expect("port pair");
    let addr = udp.local_addr().unwrap();
    tokio::spawn(async move {
        let mut buf = [0u8; 4096];
        let mut held = Vec::new();
        loop {
            tokio::select! {
                r = udp.recv_from(&mut buf) => { if r.is_err() { break; } }
                c = tcp.accept() => { if let Ok((s, _)) = c { held.push(s); } }
            }
        }
    });
    addr
}

/// The report of an audit that found no DNS from here: every listed check was left out with
/// that reason, the report is incomplete and never says go.
pub fn assert_no_dns(r: &serde_json::Value, checks: &[&str]) {
    for name in checks {
        let c = r["checks"]
            .as_array()
            .expect("checks")
            .iter()
            .find(|c| c["check"] == *name)
            .unwrap_or_else(|| panic!("{name} missing: {r:#}"));
        assert_eq!(c["status"], "skipped", "{name}: {c}");
        assert_eq!(c["incomplete"], true, "{name}: {c}");
        assert!(
            c["reason"]
                .as_str()
                .unwrap_or("")
                .contains("no DNS from here"),
            "{name}: {c}"
        );
    }
    assert_eq!(r["complete"], false, "{r:#}");
    assert_ne!(r["verdict"], "go", "{r:#}");
}

/// Short per-operation timeouts for cases that wait on peers that never answer (the binary
/// reads them from the environment; the defaults are 10 s per request and 2 s per DNS query).
/// Deadlines and walls asserted by those tests are scaled to these values.
pub fn short_timeouts() -> Vec<(String, String)> {
    vec![
        (launchready::net::OP_TIMEOUT_ENV.into(), "2000".into()),
        (launchready::net::DNS_TIMEOUT_ENV.into(), "300".into()),
    ]
}

/// Whether a test may go on without an outside tool: `true` when it is there; otherwise, under
/// `CI=true` the test fails (CI installs every tool, so a missing one is a broken setup, not a
/// reason to pass), and elsewhere it says SKIPPED on stderr and returns `false`.
#[allow(clippy::print_stderr)] // the skip message must be visible in the test output
pub fn tool_present(test: &str, tool: &str, present: bool) -> bool {
    if present {
        return true;
    }
    let ci = std::env::var("CI").is_ok_and(|v| v.eq_ignore_ascii_case("true"));
    assert!(
        !ci,
        "{test}: `{tool}` is missing and CI=true: install it (.ci/run does) instead of skipping"
    );
    eprintln!("SKIPPED {test}: `{tool}` is not installed");
    false
}

/// Generous per-operation timeouts for tests that check *what* an audit finds, not how fast:
/// many audits at once on a loaded 2-core machine can starve the in-process servers for
/// seconds, and a default 2 s DNS timeout then turns into a false `check.error`.
pub fn loaded_machine_timeouts() -> Vec<(String, String)> {
    vec![
        (launchready::net::OP_TIMEOUT_ENV.into(), "60000".into()),
        (launchready::net::DNS_TIMEOUT_ENV.into(), "8000".into()),
    ]
}

/// One sandbox for the whole test binary, started on a runtime of its own so that it outlives
/// the test that first asks for it. Tests that read the broken site's reports share it (see
/// [`broken_all`]); tests that need their own configuration or server state
/// start their own with [`sandbox`].
pub fn shared_sandbox() -> &'static Sandbox {
    static SHARED: std::sync::LazyLock<(tokio::runtime::Runtime, Sandbox)> =
        std::sync::LazyLock::new(|| {
            // A thread of its own: the caller may be inside another runtime.
            std::thread::spawn(|| {
                let rt = tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .enable_all()
                    .build()
                    .expect("runtime");
                let sb = rt.block_on(Sandbox::start()).expect("sandbox starts");
                (rt, sb)
            })
            .join()
            .expect("sandbox thread")
        });
    &SHARED.1
}

/// One run of the binary with the report in several formats: the `--format` one on stdout (in
/// `out`), every other through `--also FORMAT=FILE`, read back into `files`.
pub struct Reports {
    /// stdout (the `--format` report), stderr and the exit status.
    pub out: Output,
    files: Vec<(&'static str, String)>,
}

impl Reports {
    /// The report written with `--also <format>=...`.
    pub fn file(&self, format: &str) -> &str {
        self.files
            .iter()
            .find(|(f, _)| *f == format)
            .map(|(_, t)| t.as_str())
            .unwrap_or_else(|| panic!("no --also {format} in this run"))
    }

    /// stdout parsed as JSON.
    pub fn json(&self) -> serde_json::Value {
        json(&self.out)
    }

    /// stderr as text.
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.out.stderr).into_owned()
    }

    /// Everything the run wrote, named: stdout, stderr and every `--also` file.
    pub fn every_text(&self) -> Vec<(&str, String)> {
        let mut v = vec![
            (
                "stdout",
                String::from_utf8_lossy(&self.out.stdout).into_owned(),
            ),
            ("stderr", self.stderr()),
        ];
        v.extend(self.files.iter().map(|(f, t)| (*f, t.clone())));
        v
    }
}

/// Every format but the table (which goes to stdout): for `--also`.
pub const ALSO_FORMATS: [&str; 5] = ["json", "markdown", "sarif", "junit", "html"];

/// Runs `args` plus `--also F=<tmp>/report.F` for each of `formats` (one audit, many formats)
/// and reads every file back.
pub async fn run_also(
    mut args: Vec<String>,
    env: Vec<(String, String)>,
    formats: &[&'static str],
) -> Reports {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = |f: &str| dir.path().join(format!("report.{f}"));
    for f in formats {
        args.push("--also".into());
        args.push(format!("{f}={}", path(f).display()));
    }
    let out = run(args, env).await;
    let files = formats
        .iter()
        .map(|f| {
            let text = std::fs::read_to_string(path(f)).unwrap_or_else(|e| {
                panic!(
                    "--also {f} not written ({e}); stderr:\n{}",
                    String::from_utf8_lossy(&out.stderr)
                )
            });
            (*f, text)
        })
        .collect();
    Reports { out, files }
}

/// The broken site on the shared sandbox, audited once per test binary with `-v` and
/// `GITHUB_ACTIONS=true`: JSON on stdout, every other format through `--also`, the progress
/// lines and annotations on stderr. Every test that only reads the broken site's reports reads
/// this one audit, so the formats are compared within one audit. Generous timeouts: it runs
/// while other tests load the machine (see [`loaded_machine_timeouts`]).
pub async fn broken_all() -> &'static Reports {
    static ALL: tokio::sync::OnceCell<Reports> = tokio::sync::OnceCell::const_new();
    ALL.get_or_init(|| async {
        let sb = shared_sandbox();
        run_also(
            audit_args(sb, &sb.broken_config(), &["--format", "json", "-v"]),
            with_loaded_timeouts(&[("GITHUB_ACTIONS", "true")]),
            &["sarif", "junit", "markdown", "html", "table"],
        )
        .await
    })
    .await
}

/// `audit --format json` of the broken site on the shared sandbox (see [`broken_all`]).
pub async fn broken_json() -> &'static Output {
    &broken_all().await.out
}

/// `launchready demo`, run once per test binary: JSON on stdout and, through `--also`, the
/// JSON again (the two must be the same bytes) and every other format, the table at
/// `COLUMNS=100`.
pub async fn demo_all() -> &'static Reports {
    static ALL: tokio::sync::OnceCell<Reports> = tokio::sync::OnceCell::const_new();
    ALL.get_or_init(|| async {
        run_also(
            vec!["demo".into(), "--format".into(), "json".into()],
            with_loaded_timeouts(&[("COLUMNS", "100")]),
            &["json", "table", "sarif", "junit", "markdown", "html"],
        )
        .await
    })
    .await
}

/// [`loaded_machine_timeouts`] plus `extra` variables.
pub fn with_loaded_timeouts(extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut env = loaded_machine_timeouts();
    env.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    env
}
