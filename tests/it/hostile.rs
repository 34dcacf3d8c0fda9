//! Hostile DNS peers: a server that never answers, one that answers SERVFAIL to everything, and
//! zones with CNAME loops and huge TXT records. The audit must end with a finding or
//! `check.error` — never a hang or a panic.

use crate::common::*;
use crate::hostile_web::question_end;
use launchready::sandbox::dns::{ZoneText, start};
use std::time::{Duration, Instant};

/// A UDP "DNS server" answering SERVFAIL (RCODE 2) to every query.
async fn servfail_dns() -> std::net::SocketAddr {
    let udp = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let addr = udp.local_addr().unwrap();
    tokio::spawn(async move {
        let mut buf = [0u8; 4096];
        while let Ok((n, peer)) = udp.recv_from(&mut buf).await {
            if n < 12 {
                continue;
            }
            let mut resp = buf[..n].to_vec();
            resp[2] = 0x80 | (buf[2] & 0x01); // QR=1, keep RD
            resp[3] = 0x80 | 0x02; // RA=1, RCODE=SERVFAIL
            // No answer/authority/additional records (drop the query's EDNS OPT, if any).
            resp[6..12].fill(0);
            let qend = question_end(&resp).unwrap_or(n);
            resp.truncate(qend);
            let _ = udp.send_to(&resp, peer).await;
        }
    });
    addr
}

fn config(dir: &std::path::Path, domain: &str, subs: &[&str]) -> std::path::PathBuf {
    let p = dir.join(format!("{domain}.toml"));
    let subs: Vec<String> = subs.iter().map(|s| format!("\"{s}\"")).collect();
    std::fs::write(
        &p,
        format!(
            "[target]\ndomain = \"{domain}\"\nsubdomains = [{}]\n",
            subs.join(", ")
        ),
    )
    .unwrap();
    p
}

fn dns_audit(cfg: &std::path::Path, server: std::net::SocketAddr, extra: &[&str]) -> Vec<String> {
    let mut v = vec![
        "audit".to_string(),
        "--config".into(),
        cfg.display().to_string(),
        "--only".into(),
        "dns".into(),
        "--dns-server".into(),
        server.to_string(),
        "--format".into(),
        "json".into(),
    ];
    v.extend(extra.iter().map(|s| s.to_string()));
    v
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn silent_dns_server_ends_with_check_error_within_the_deadline() {
    let dir = tempfile::tempdir().unwrap();
    let server = silent_dns().await;
    let cfg = config(dir.path(), "silent.test", &["app"]);
    // Bounded by --timeout: the report still comes out, saying there is no DNS from here.
    let t = Instant::now();
    let out = run(dns_audit(&cfg, server, &["--timeout", "2"]), vec![]).await;
    assert!(
        t.elapsed() < Duration::from_secs(6),
        "took {:?}",
        t.elapsed()
    );
    let r = json(&out);
    assert!(ids(&r).is_empty(), "{r:#}");
    assert_no_dns(&r, &["dns"]);
    assert_eq!(out.status.code(), Some(3));
    // Without a tight deadline, the per-query timeouts end it on their own.
    let t = Instant::now();
    let out = run(dns_audit(&cfg, server, &[]), short_timeouts()).await;
    assert!(
        t.elapsed() < Duration::from_secs(15),
        "took {:?}",
        t.elapsed()
    );
    let r = json(&out);
    assert_no_dns(&r, &["dns"]);
    assert!(
        r["checks"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("timed out"),
        "{r:#}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn servfail_is_named_in_the_evidence() {
    let dir = tempfile::tempdir().unwrap();
    let server = servfail_dns().await;
    let cfg = config(dir.path(), "servfail.test", &[]);
    let out = run(dns_audit(&cfg, server, &[]), vec![]).await;
    let r = json(&out);
    let apex = with_id(&r, "dns.apex_unresolved");
    assert_eq!(apex.len(), 1, "{r:#}");
    assert!(
        apex[0]["evidence"].as_str().unwrap().contains("SERVFAIL"),
        "{r:#}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cname_loops_and_huge_txt_records() {
    let big = "v=spf1 ".to_string() + &"include:x.loop.test ".repeat(600);
    let zone = ZoneText {
        origin: "loop.test".into(),
        records: format!(
            "@ NS ns1\n@ NS ns2\nns1 A 127.0.0.1\nns2 A 127.0.0.1\n@ A 127.0.0.1\na CNAME b\nb CNAME a\nself CNAME self\n@ TXT {big}\n"
        ),
    };
    let server = start(&[zone]).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path(), "loop.test", &["a", "self"]);
    let t = Instant::now();
    let out = run(dns_audit(&cfg, server, &[]), vec![]).await;
    assert!(t.elapsed() < Duration::from_secs(15));
    let r = json(&out);
    let d = with_id(&r, "dns.dangling_cname");
    let subjects: Vec<_> = d.iter().map(|f| f["subject"].as_str().unwrap()).collect();
    assert!(
        subjects.contains(&"a.loop.test") && subjects.contains(&"self.loop.test"),
        "{r:#}"
    );
    assert!(
        d.iter()
            .all(|f| f["evidence"].as_str().unwrap().contains("loop")),
        "{r:#}"
    );
}

// ---------------------------------------------------------------------------------------------
// The hostile web sandbox (tests/it/hostile_web.rs): real audits against misbehaving servers.

use crate::hostile_web::{Case, Hostile};

/// Peak RSS bound for the audits whose bodies are huge (50 MB HTML, 4 GiB body, gzip bomb,
/// 20 MB line): bodies are capped at `Net::body_cap` (2 MiB), so the audit stays far below it.
const PEAK_RSS_BOUND_KB: u64 = 300 * 1024;

/// A finished audit with its wall time and, when `/usr/bin/time` exists, its peak RSS.
struct Timed {
    out: std::process::Output,
    wall: Duration,
    peak_kb: Option<u64>,
}

/// Runs the binary (under `/usr/bin/time -v` when available) and measures it.
async fn run_timed(args: Vec<String>, env: Vec<(String, String)>) -> Timed {
    tokio::task::spawn_blocking(move || {
        let bin = env!("CARGO_BIN_EXE_launchready");
        let time = std::path::Path::new("/usr/bin/time");
        let mut cmd = if time.exists() {
            let mut c = std::process::Command::new(time);
            c.arg("-v").arg(bin);
            c
        } else {
            std::process::Command::new(bin)
        };
        cmd.args(&args).env("NO_COLOR", "1");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let t = Instant::now();
        let mut out = cmd.output().expect("binary runs");
        let wall = t.elapsed();
        let mut peak_kb = None;
        if time.exists() {
            // time -v appends its report to stderr: take it off and read the peak RSS.
            let err = String::from_utf8_lossy(&out.stderr).to_string();
            if let Some(at) = err.find("\tCommand being timed:") {
                peak_kb = err[at..].lines().find_map(|l| {
                    l.trim()
                        .strip_prefix("Maximum resident set size (kbytes):")
                        .and_then(|v| v.trim().parse().ok())
                });
                // time -v exits with the program's code; keep it.
                out.stderr = err.as_bytes()[..at].to_vec();
            }
        }
        Timed { out, wall, peak_kb }
    })
    .await
    .expect("join")
}

fn case_args(h: &Hostile, c: &Case, timeout: u64) -> Vec<String> {
    vec![
        "audit".into(),
        "--config".into(),
        c.config.display().to_string(),
        "--dns-server".into(),
        c.dns.to_string(),
        "--ca-file".into(),
        h.ca_path.display().to_string(),
        "--no-progress".into(),
        "--format".into(),
        "json".into(),
        "--timeout".into(),
        timeout.to_string(),
    ]
}

/// Runs the audit of hostile case `name` (every check) with `--timeout timeout`; prints its
/// wall time and peak RSS (visible with `--nocapture`).
async fn audit_case(name: &str, timeout: u64) -> (Timed, serde_json::Value, Hostile) {
    audit_case_with(name, timeout, vec![]).await
}

/// [`audit_case`] with extra environment (e.g. [`short_timeouts`]).
#[allow(clippy::print_stderr)]
async fn audit_case_with(
    name: &str,
    timeout: u64,
    env: Vec<(String, String)>,
) -> (Timed, serde_json::Value, Hostile) {
    let h = Hostile::start().await.expect("hostile sandbox starts");
    let c = h.case(name).clone();
    let t = run_timed(case_args(&h, &c, timeout), env).await;
    let r = json(&t.out);
    eprintln!(
        "hostile case {name}: wall {:?}, peak RSS {:?} KB, exit {:?}",
        t.wall,
        t.peak_kb,
        t.out.status.code()
    );
    (t, r, h)
}

fn status<'a>(r: &'a serde_json::Value, check: &str) -> &'a str {
    r["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .find(|c| c["check"] == check)
        .and_then(|c| c["status"].as_str())
        .unwrap_or("missing")
}

/// The finding `id` whose subject contains `subject` and whose evidence contains `word`.
fn expect_finding(r: &serde_json::Value, id: &str, subject: &str, word: &str) {
    let hit = with_id(r, id).into_iter().any(|f| {
        f["subject"].as_str().unwrap_or("").contains(subject)
            && f["evidence"].as_str().unwrap_or("").contains(word)
    });
    assert!(
        hit,
        "no {id} on {subject} with `{word}` in its evidence:\n{:#}",
        r["findings"]
    );
}

/// The checks not under torture still report normally.
fn others_report(r: &serde_json::Value, checks: &[(&str, &str)]) {
    for (check, want) in checks {
        assert_eq!(status(r, check), *want, "{check}: {:#}", r["checks"]);
    }
    // dns, email and handover findings are there, not just statuses.
    assert!(!with_id(r, "handover.no_owner").is_empty(), "{r:#}");
}

fn assert_memory(t: &Timed, case: &str) {
    let time = std::path::Path::new("/usr/bin/time").exists();
    if !tool_present(case, "/usr/bin/time", time) {
        return;
    }
    let kb = t
        .peak_kb
        .unwrap_or_else(|| panic!("{case}: /usr/bin/time -v reported no peak RSS"));
    assert!(
        kb < PEAK_RSS_BOUND_KB,
        "{case}: peak RSS {kb} KB exceeds {PEAK_RSS_BOUND_KB} KB"
    );
}

fn assert_wall(t: &Timed, bound: u64, case: &str) {
    assert!(
        t.wall < Duration::from_secs(bound),
        "{case}: took {:?}, bound {bound} s",
        t.wall
    );
}

const NORMAL: &[(&str, &str)] = &[
    ("dns", "findings"),
    ("email", "findings"),
    ("secrets", "ok"),
    ("handover", "findings"),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_drip_one_byte_a_second() {
    // Every request waits out its timeout (2 s here, 10 s by default); the audit deadline (4 s)
    // ends the http check, which needs several rounds of requests, and the report keeps what it
    // found (the first hosts' http.unreachable).
    let (t, r, h) = audit_case_with("drip", 4, short_timeouts()).await;
    assert_wall(&t, 8, "drip");
    let c = h.case("drip");
    expect_finding(
        &r,
        "http.unreachable",
        &format!("http://drip.test:{}", c.http_port),
        "timed out",
    );
    expect_finding(&r, "check.error", "http", "deadline");
    assert_eq!(status(&r, "http"), "error");
    assert_eq!(status(&r, "tls"), "ok", "the TLS handshake itself is fine");
    others_report(&r, NORMAL);
    expect_finding(&r, "dns.single_nameserver", "drip.test", "ns1.drip.test");
    assert_eq!(t.out.status.code(), Some(1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_redirects_forever_to_fresh_urls() {
    let (t, r, h) = audit_case("redirects", 60).await;
    assert_wall(&t, 15, "redirects");
    let c = h.case("redirects");
    expect_finding(
        &r,
        "http.redirect_loop",
        &format!("http://redirects.test:{}", c.http_port),
        "more than 10 redirects",
    );
    expect_finding(
        &r,
        "http.redirect_loop",
        &format!("https://redirects.test:{}", c.https_port),
        "/r/10",
    );
    assert_eq!(status(&r, "http"), "findings");
    others_report(&r, NORMAL);
    assert_eq!(t.out.status.code(), Some(1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_multi_gigabyte_body_is_capped() {
    let (t, r, h) = audit_case("hugebody", 60).await;
    assert_wall(&t, 20, "hugebody");
    // Exit 1: the site fails the default gate on its own high findings; never 3, never a hang.
    assert_eq!(t.out.status.code(), Some(1), "hugebody");
    assert_memory(&t, "hugebody");
    let c = h.case("hugebody");
    // The page was read (capped) and judged like any other.
    expect_finding(
        &r,
        "headers.no_hsts",
        &format!("https://hugebody.test:{}", c.https_port),
        "no Strict-Transport-Security",
    );
    assert_eq!(status(&r, "http"), "findings");
    others_report(&r, NORMAL);
    assert_eq!(status(&r, "tls"), "ok");
    // The endpoint streaming the same body is not a fast success: every answer stopped at the
    // read cap, which the finding and the measurement both say.
    expect_finding(&r, "perf.error_rate_high", "export", "read cap");
    let f = with_id(&r, "perf.error_rate_high");
    assert!(
        f[0]["evidence"]
            .as_str()
            .unwrap()
            .contains(&format!("declared Content-Length {}", 4u64 << 30)),
        "{f:#?}"
    );
    let m = &r["measurements"]["endpoints"][0];
    assert_eq!(m["capped"]["answers"], m["samples"], "{m:#}");
    assert_eq!(m["p95_ms"], 0.0, "a capped answer is not timed: {m:#}");
    assert!(with_id(&r, "perf.p95_over_budget").is_empty(), "{r:#}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_gzip_bomb_is_never_inflated() {
    let (t, r, h) = audit_case("gzipbomb", 60).await;
    assert_wall(&t, 20, "gzipbomb");
    // Exit 1: the site fails the default gate on its own high findings; never 3, never a hang.
    assert_eq!(t.out.status.code(), Some(1), "gzipbomb");
    assert_memory(&t, "gzipbomb");
    let c = h.case("gzipbomb");
    expect_finding(
        &r,
        "headers.no_hsts",
        &format!("https://gzipbomb.test:{}", c.https_port),
        "no Strict-Transport-Security",
    );
    // The page says it is gzip-compressed: that is believed, not inflated to be checked.
    assert!(with_id(&r, "http.no_compression").is_empty(), "{r:#}");
    others_report(&r, NORMAL);
}

/// A close-delimited page whose TLS connection ends without close_notify loads in browsers and
/// curl: it is audited, not `http.unreachable` (rustls calls the missing alert an unexpected
/// end of file).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn page_closed_without_close_notify_is_audited() {
    let (t, r, h) = audit_case("noclosenotify", 60).await;
    assert_wall(&t, 20, "noclosenotify");
    let c = h.case("noclosenotify");
    let page = format!("https://noclosenotify.test:{}/", c.https_port);
    assert_not_unreachable(&r, "https://");
    let p = audited_page(&r, &page);
    assert_eq!(p["status"], 200, "{p}");
    // The body was read: the page's own findings (no CSP, no HSTS...) are there.
    expect_finding(
        &r,
        "headers.no_hsts",
        &format!("https://noclosenotify.test:{}", c.https_port),
        "Strict-Transport-Security",
    );
    others_report(&r, NORMAL);
}

/// A bot protection's challenge (Cloudflare's 503 with `cf-mitigated: challenge`) is not the
/// site's server error: no `http.server_error`, the pages are said to be unaudited, and why.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bot_challenge_is_not_a_server_error() {
    let (t, r, _h) = audit_case("challenge", 60).await;
    assert_wall(&t, 20, "challenge");
    assert!(
        with_id(&r, "http.server_error").is_empty(),
        "{:#}",
        r["findings"]
    );
    let http = check_run(&r, "http");
    assert_eq!(http["status"], "error", "{http}");
    let reason = http["reason"].as_str().unwrap();
    assert!(
        reason.contains(
            "answered 503 with a bot challenge from Cloudflare (cf-mitigated: challenge)"
        ),
        "{reason}"
    );
    assert_not_unreachable(&r, "https://");
    assert_eq!(
        r["measurements"]["http"]["security_txt"]["valid"],
        serde_json::Value::Null
    );
}

/// A site that sets a cookie and redirects to the same URL loads in a browser on the second
/// request: not `http.redirect_loop`; the page behind the gate is audited.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cookie_gate_redirecting_to_itself_is_no_loop() {
    let (t, r, h) = audit_case("cookiegate", 60).await;
    assert_wall(&t, 20, "cookiegate");
    assert!(
        with_id(&r, "http.redirect_loop").is_empty(),
        "{:#}",
        r["findings"]
    );
    let c = h.case("cookiegate");
    let page = format!("https://cookiegate.test:{}/", c.https_port);
    let chain = &r["measurements"]["http"]["chains"][&page];
    let hops = chain["hops"].as_array().expect("hops");
    let statuses: Vec<u64> = hops.iter().map(|h| h["status"].as_u64().unwrap()).collect();
    assert_eq!(statuses, vec![302, 200], "{chain:#}");
    let pages = r["measurements"]["http"]["pages"]
        .as_array()
        .expect("pages");
    assert!(pages.iter().any(|p| p["status"] == 200), "{pages:#?}");
    // No cookie value is shown anywhere in the report.
    assert!(!t.out.stdout.windows(6).any(|w| w == b"gate=1"));
}

/// 150 header lines, a folded header, a space before a colon and a malformed line: Chrome and
/// curl load the page, so it is audited, not `http.unreachable`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lenient_response_heads_are_read_like_a_browser() {
    let (t, r, h) = audit_case("oddhead", 60).await;
    assert_wall(&t, 20, "oddhead");
    assert_not_unreachable(&r, "https://");
    let c = h.case("oddhead");
    let page = format!("https://oddhead.test:{}/", c.https_port);
    let p = audited_page(&r, &page);
    assert_eq!(p["status"], 200, "{p}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_50_mb_html_page() {
    let (t, r, h) = audit_case("bightml", 60).await;
    assert_wall(&t, 20, "bightml");
    // Exit 1: the site fails the default gate on its own high findings; never 3, never a hang.
    assert_eq!(t.out.status.code(), Some(1), "bightml");
    assert_memory(&t, "bightml");
    let c = h.case("bightml");
    expect_finding(
        &r,
        "http.no_compression",
        &format!("https://bightml.test:{}", c.https_port),
        "52428800 bytes",
    );
    others_report(&r, NORMAL);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_20_mb_single_line_bundle_is_cleanly_capped() {
    let (t, r, h) = audit_case("longline", 60).await;
    assert_wall(&t, 20, "longline");
    // Exit 1: the site fails the default gate on its own high findings; never 3, never a hang.
    assert_eq!(t.out.status.code(), Some(1), "longline");
    assert_memory(&t, "longline");
    let c = h.case("longline");
    expect_finding(
        &r,
        "http.static_not_cached",
        &format!("https://longline.test:{}", c.https_port),
        "/static/app.js",
    );
    // The secret sits 100 bytes before the end of a 20 MiB line; bundles are read up to
    // Net::body_cap (2 MiB), so it is not seen: capped, not scanned in full, and no hang.
    let secret = crate::hostile_web::long_line_secret();
    assert!(with_id(&r, "exposure.secret_in_bundle").is_empty(), "{r:#}");
    assert!(!String::from_utf8_lossy(&t.out.stdout).contains(&secret));
    // The report says so: the bundle's asset entry is marked capped at 2 MiB.
    let assets = r["measurements"]["http"]["assets"]
        .as_array()
        .expect("assets");
    let app = assets
        .iter()
        .find(|a| a["url"].as_str().unwrap_or("").ends_with("/static/app.js"))
        .unwrap_or_else(|| panic!("no app.js asset: {assets:#?}"));
    assert_eq!(app["capped"], true, "{app:#}");
    assert_eq!(app["bytes_read"], 2 * 1024 * 1024, "{app:#}");
    others_report(&r, NORMAL);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_garbage_on_the_tls_port() {
    let (t, r, h) = audit_case("tlsgarbage", 60).await;
    assert_wall(&t, 15, "tlsgarbage");
    let c = h.case("tlsgarbage");
    let subject = format!("tlsgarbage.test:{}", c.https_port);
    expect_finding(&r, "tls.no_https", &subject, "corrupt message");
    expect_finding(
        &r,
        "http.unreachable",
        &format!("https://{subject}"),
        "corrupt message",
    );
    // Plain http still answers and is judged.
    expect_finding(
        &r,
        "http.no_https_redirect",
        &format!("http://tlsgarbage.test:{}", c.http_port),
        "200",
    );
    others_report(&r, NORMAL);
    assert_eq!(t.out.status.code(), Some(1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_tls_handshake_that_stalls_after_client_hello() {
    let (t, r, h) = audit_case_with("tlsstall", 90, short_timeouts()).await;
    assert_wall(&t, 20, "tlsstall");
    // Exit 1: the site fails the default gate on its own high findings; never 3, never a hang.
    assert_eq!(t.out.status.code(), Some(1), "tlsstall");
    let c = h.case("tlsstall");
    let subject = format!("tlsstall.test:{}", c.https_port);
    expect_finding(
        &r,
        "tls.no_https",
        &subject,
        "no TLS handshake completed within 1 s",
    );
    expect_finding(
        &r,
        "http.unreachable",
        &format!("https://{subject}"),
        "timed out",
    );
    others_report(&r, NORMAL);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_dns_truncated_over_udp_and_closed_over_tcp() {
    let (t, r, _h) = audit_case("dnstruncated", 60).await;
    assert_wall(&t, 15, "dnstruncated");
    // Exit 3: no DNS from here, so the site was not audited; never a hang.
    assert_eq!(t.out.status.code(), Some(3), "dnstruncated");
    assert_no_dns(&r, &["dns", "email", "http", "tls"]);
    // Checks that need no DNS still report.
    assert_eq!(status(&r, "handover"), "findings");
    assert_eq!(status(&r, "secrets"), "ok");
    assert!(!with_id(&r, "handover.no_owner").is_empty());
}

// The SPF include loop is covered by tests/it/email.rs `broken_site_fires_its_email_ids`
// (relay.acme-broken.test -> _r1 -> relay: email.spf_too_many_lookups with the cycle in the
// evidence) and `hostile_records_neither_panic_nor_hang` (an 8 KB SPF record with a 2^20-path
// include diamond), plus the src/checks/email/spf.rs unit tests.

// ---------------------------------------------------------------------------------------------
// The whole-audit deadline.

/// The healthy sandbox site with one more perf endpoint on the drip server (timeout_ms 60 s):
/// `--timeout 5` ends the audit on time and the report is valid. The http check (whose CORS
/// probe of that endpoint waits on the drip) is `error` with `check.error`; perf, which watches
/// the deadline itself, reports the endpoint `perf.unreachable`; the other checks are `ok`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deadline_bounds_a_full_audit_with_one_stuck_check() {
    let sb = sandbox().await;
    let h = Hostile::start().await.expect("hostile sandbox starts");
    let drip = h.case("drip").http_port;
    // Next to the healthy config, so the secrets and handover checks see the healthy repo.
    let cfg = sb.healthy_config().with_file_name("stuck.toml");
    let base = std::fs::read_to_string(sb.healthy_config()).unwrap();
    std::fs::write(
        &cfg,
        format!(
            "{base}\n[[endpoints]]\nname = \"stuck\"\nurl = \"http://api.acme-good.test:{drip}/slow\"\nsamples = 2\nconcurrency = 1\ntimeout_ms = 60000\n"
        ),
    )
    .unwrap();
    let timeout = 5;
    let t0 = Instant::now();
    let out = run(
        audit_args(
            &sb,
            &cfg,
            &["--format", "json", "--timeout", "5", "--fail-on", "medium"],
        ),
        vec![],
    )
    .await;
    let took = t0.elapsed();
    assert!(
        took < Duration::from_secs(timeout + 2),
        "took {took:?} with --timeout {timeout}"
    );
    let r = json(&out);
    crate::report_contract::assert_valid(&r);
    // The http check is the stuck one: its CORS probe of the endpoint waits on the drip.
    assert_eq!(
        status(&r, "http"),
        "error",
        "{:#}\n{:#}",
        r["checks"],
        r["findings"]
    );
    expect_finding(
        &r,
        "check.error",
        "http",
        "did not finish before the audit deadline",
    );
    // perf watches the deadline itself: the cut-off endpoint is a gap in the audit, not a
    // finding about the site; the rest is measured.
    assert!(
        with_id(&r, "perf.unreachable").is_empty(),
        "{:#}",
        r["findings"]
    );
    let perf = r["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == "perf")
        .unwrap();
    assert_eq!(perf["incomplete"], true, "{perf}");
    assert!(
        perf["reason"].as_str().unwrap().contains("`stuck`"),
        "{perf}"
    );
    assert_eq!(r["complete"], false);
    assert_eq!(r["verdict"], "incomplete");
    let endpoints = r["measurements"]["endpoints"].to_string();
    assert!(endpoints.contains("schedule"), "{endpoints}");
    // The other checks finished with their healthy results.
    for check in ["dns", "tls", "email", "secrets", "handover", "perf"] {
        assert_eq!(
            status(&r, check),
            "ok",
            "{check}: {:#}\n{:#}",
            r["checks"],
            r["findings"]
        );
    }
    assert_eq!(
        with_id(&r, "check.error").len(),
        1,
        "only http ran out of time: {:#}",
        r["findings"]
    );
    // check.error is medium: with --fail-on medium the gate fails on it.
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A repo too big to scan before the deadline: the report comes out at the deadline and the
/// process exits then too (the cut-off blocking scan does not hold the exit; it used to, for as
/// long as the scan took — 23 s for 181 MB with `--timeout 1`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deadline_is_not_held_by_a_blocking_secret_scan() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("launchready.toml");
    std::fs::write(&cfg, "[target]\ndomain = \"bigrepo.test\"\n").unwrap();
    // 256 MB of base64-looking noise in 32 files: several seconds of scanning in a dev build
    // even on an idle machine (64 MB took 0.86 s there, which beat the 1 s deadline).
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    let mut line = Vec::with_capacity(8 * 1024 * 1024);
    for i in 0..8 * 1024 * 1024 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        line.push(if i % 77 == 76 {
            b'\n'
        } else {
            alphabet[(x % 64) as usize]
        });
    }
    for i in 0..32 {
        std::fs::write(dir.path().join(format!("blob{i}.txt")), &line).unwrap();
    }
    let t0 = Instant::now();
    let out = run(
        vec![
            "audit".into(),
            "--config".into(),
            cfg.display().to_string(),
            "--only".into(),
            "secrets".into(),
            "--timeout".into(),
            "1".into(),
            "--no-progress".into(),
            "--format".into(),
            "json".into(),
        ],
        vec![],
    )
    .await;
    let took = t0.elapsed();
    assert!(
        took < Duration::from_secs(3),
        "took {took:?} with --timeout 1"
    );
    let r = json(&out);
    assert_eq!(status(&r, "secrets"), "error", "{:#}", r["checks"]);
    expect_finding(&r, "check.error", "secrets", "deadline");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_domain_that_does_not_exist_is_one_finding() {
    // The sandbox serves acme-good.test and acme-broken.test; nothing else exists under test.
    let sb = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path(), "unregistered.test", &["app"]);
    let out = run(dns_audit(&cfg, sb.dns, &[]), vec![]).await;
    let r = json(&out);
    assert_eq!(ids(&r), vec!["dns.apex_unresolved".to_string()], "{r:#}");
    let f = &r["findings"][0];
    assert!(
        f["title"].as_str().unwrap().contains("does not exist"),
        "{f}"
    );
    assert!(f["evidence"].as_str().unwrap().contains("NXDOMAIN"), "{f}");
    assert_eq!(out.status.code(), Some(1));
}
