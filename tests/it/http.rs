//! Every http.* / headers.* / exposure.* / edge.* id fires on its broken sandbox case and none on
//! the healthy site, through the binary, over real sockets. The SPA catch-alls (healthy site
//! everywhere, broken www for `/.env.local` and friends) yield no exposure finding.

use crate::common::*;

fn evidence(f: &serde_json::Value) -> &str {
    f["evidence"].as_str().unwrap_or("")
}

fn subject(f: &serde_json::Value) -> &str {
    f["subject"].as_str().unwrap_or("")
}

/// The one finding with `id` whose subject contains `needle`.
/// Audits a config written from `toml` with `--only http` and returns the JSON report.
async fn audit_http_toml(sb: &launchready::sandbox::Sandbox, toml: &str) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("launchready.toml");
    std::fs::write(&cfg, toml).unwrap();
    let out = run(
        audit_args(sb, &cfg, &["--only", "http", "--format", "json"]),
        vec![],
    )
    .await;
    json(&out)
}

fn one<'a>(r: &'a serde_json::Value, id: &str, needle: &str) -> &'a serde_json::Value {
    let all = with_id(r, id);
    let hits: Vec<_> = all.iter().filter(|f| subject(f).contains(needle)).collect();
    assert_eq!(hits.len(), 1, "{id} on {needle}: {all:#?}");
    hits[0]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn broken_site_fires_every_http_id() {
    let sb = sandbox().await;
    let out = run(
        audit_args(
            &sb,
            &sb.broken_config(),
            &["--only", "http", "--format", "json"],
        ),
        vec![],
    )
    .await;
    assert_eq!(out.status.code(), Some(1), "gate fails on the broken site");
    let r = json(&out);
    let ids = ids(&r);
    for id in [
        "http.unreachable",
        "http.no_https_redirect",
        "http.redirect_loop",
        "http.redirect_downgrade",
        "http.temporary_redirect",
        "http.redirect_chain_long",
        "http.auth_path_redirected",
        "http.server_error",
        "http.mixed_content",
        "http.no_compression",
        "http.static_not_cached",
        "http.private_response_cached",
        "http.no_security_txt",
        "edge.no_cdn",
        "headers.no_hsts",
        "headers.weak_hsts",
        "headers.no_csp",
        "headers.no_content_type_options",
        "headers.no_frame_protection",
        "headers.server_version_leak",
        "headers.insecure_cookie",
        "headers.cors_reflects_origin",
        "exposure.env_file",
        "exposure.git_dir",
        "exposure.source_map",
        "exposure.secret_in_bundle",
    ] {
        assert!(ids.contains(&id.to_string()), "{id} missing from {ids:?}");
    }
    assert!(!ids.iter().any(|i| i == "check.error"), "{ids:?}");

    // Redirect cases: each on its own host, with the hop chain in the evidence.
    let lp = one(&r, "http.redirect_loop", "loop.acme-broken.test");
    assert!(
        evidence(lp).contains("/a was already visited: loop"),
        "{lp}"
    );
    assert!(evidence(lp).contains("302 Location: /b"), "{lp}");
    let dg = one(&r, "http.redirect_downgrade", "downgrade.acme-broken.test");
    assert!(
        dg["title"]
            .as_str()
            .unwrap()
            .contains("redirects from https to http://downgrade.acme-broken.test:"),
        "{dg}"
    );
    let long = one(&r, "http.redirect_chain_long", "long.acme-broken.test");
    assert!(
        long["title"].as_str().unwrap().contains("4 redirects"),
        "{long}"
    );
    let temp = one(&r, "http.temporary_redirect", "temp.acme-broken.test");
    assert!(
        evidence(temp).contains("-> 302 Location: https://temp.acme-broken.test:"),
        "{temp}"
    );
    let down = one(&r, "http.server_error", "down.acme-broken.test");
    assert!(evidence(down).contains("-> 503"), "{down}");
    let off = one(&r, "http.unreachable", "offline.acme-broken.test");
    assert!(evidence(off).contains("failed"), "{off}");
    let plain = one(&r, "http.no_https_redirect", "www.acme-broken.test");
    assert!(subject(plain).starts_with("http://"), "{plain}");
    let auth = one(&r, "http.auth_path_redirected", "/auth/callback");
    assert!(
        auth["title"]
            .as_str()
            .unwrap()
            .contains("off-host to login.acme-idp.test"),
        "{auth}"
    );
    // Hosts that do not resolve are the dns check's business, but it does not run here
    // (`--only http`): http says so itself, with the DNS answer, at the dns check's severity.
    let api = one(&r, "http.unreachable", "https://api.acme-broken.test");
    assert_eq!(api["severity"], "high", "{api}");
    assert!(
        evidence(api).contains("A api.acme-broken.test: NXDOMAIN"),
        "{api}"
    );

    // Pages and headers on the canonical host (www).
    let mixed = evidence(with_id(&r, "http.mixed_content")[0]);
    assert!(
        mixed.contains("script http://widgets.example-cdn.test/chat-widget.js"),
        "{mixed}"
    );
    assert!(
        mixed.contains("image http://images.example-cdn.test/hero.png"),
        "{mixed}"
    );
    assert!(
        !mixed.contains("in-a-script"),
        "markup inside <script> is not a tag: {mixed}"
    );
    let weak = evidence(with_id(&r, "headers.weak_hsts")[0]);
    assert!(
        weak.contains("/account: Strict-Transport-Security: max-age=3600"),
        "{weak}"
    );
    let cookie = evidence(with_id(&r, "headers.insecure_cookie")[0]);
    assert!(
        cookie.contains("\"session\": no Secure, no HttpOnly on a session cookie, no SameSite"),
        "{cookie}"
    );
    assert!(
        !cookie.contains("sandbox-session"),
        "cookie values never shown: {cookie}"
    );
    let cached = evidence(with_id(&r, "http.private_response_cached")[0]);
    assert!(
        cached.contains("Cache-Control: public, max-age=600"),
        "{cached}"
    );
    let cors = with_id(&r, "headers.cors_reflects_origin")[0];
    assert_eq!(
        cors["severity"], "critical",
        "reflected Origin with credentials"
    );
    assert!(
        evidence(cors).contains(".invalid -> Access-Control-Allow-Origin: https://"),
        "{cors}"
    );
    assert!(evidence(cors).contains("credentials: true"), "{cors}");
    let leak = evidence(with_id(&r, "headers.server_version_leak")[0]);
    assert!(
        leak.contains("server: nginx/1.18.0") && leak.contains("x-powered-by: PHP/7.4.3"),
        "{leak}"
    );
    let comp = evidence(with_id(&r, "http.no_compression")[0]);
    assert!(
        comp.contains("Accept-Encoding: gzip, br -> text/html"),
        "{comp}"
    );
    assert!(comp.contains("/static/app.js"), "{comp}");
    let nc = evidence(with_id(&r, "http.static_not_cached")[0]);
    assert!(
        nc.contains("/static/app.js: Cache-Control: (absent)"),
        "{nc}"
    );
    assert!(
        nc.contains("/static/site.css: Cache-Control: max-age=300"),
        "{nc}"
    );
    let sec = with_id(&r, "http.no_security_txt")[0];
    assert!(evidence(sec).contains("SPA catch-all"), "{sec}");
    let cdn = with_id(&r, "edge.no_cdn")[0];
    assert_eq!(subject(cdn), "www.acme-broken.test");
    assert!(evidence(cdn).contains("Server: nginx/1.18.0"), "{cdn}");

    // Exposure: /.env is reported, the SPA shell answering /.env.local and /.env.production is not.
    let env = with_id(&r, "exposure.env_file");
    assert_eq!(env.len(), 1, "{env:#?}");
    assert!(subject(env[0]).ends_with("/.env"), "{}", env[0]);
    assert!(evidence(env[0]).contains("STRIPE_SECRET_KEY"), "{}", env[0]);
    assert!(evidence(env[0]).contains("values not shown"), "{}", env[0]);
    let git = with_id(&r, "exposure.git_dir")[0];
    assert!(
        evidence(git).contains("/.git/config -> 200 with a [core] section"),
        "{git}"
    );
    assert!(evidence(git).contains("ref: refs/heads/main"), "{git}");
    let map = with_id(&r, "exposure.source_map")[0];
    assert!(subject(map).ends_with("/static/app.js.map"), "{map}");
    assert!(
        evidence(map).contains("declared by the bundle") && evidence(map).contains("src/config.ts"),
        "{map}"
    );

    // No secret value anywhere in the report.
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains(&launchready::sandbox::http::bundle_secret()));
    assert!(!text.contains(&launchready::sandbox::http::source_map_secret()));

    // The hop chains are in the measurements.
    let chains = &r["measurements"]["http"]["chains"];
    let loop_chain = chains
        .as_object()
        .unwrap()
        .iter()
        .find(|(k, _)| k.starts_with("https://loop.acme-broken.test"))
        .map(|(_, v)| v)
        .expect("loop chain recorded");
    assert_eq!(
        loop_chain["hops"].as_array().unwrap().len(),
        3,
        "{loop_chain}"
    );
    assert!(
        loop_chain["end"]
            .as_str()
            .unwrap()
            .starts_with("loop back to")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthy_site_has_no_http_finding() {
    let sb = sandbox().await;
    let out = run(
        audit_args(
            &sb,
            &sb.healthy_config(),
            &["--only", "http", "--format", "json"],
        ),
        vec![],
    )
    .await;
    let r = json(&out);
    assert_eq!(
        r["findings"].as_array().unwrap().len(),
        0,
        "{:#}",
        r["findings"]
    );
    assert_eq!(out.status.code(), Some(0));
    let m = &r["measurements"]["http"];
    assert_eq!(m["edge"]["provider"], "Cloudflare", "{m:#}");
    assert_eq!(m["security_txt"]["valid"], true, "{m:#}");
    // The SPA catch-all answered the probes with 200 and its shell; nothing was reported.
    let probes = m["exposure_probes"][0]["probes"].as_array().unwrap();
    let env = probes
        .iter()
        .find(|p| p["path"] == "/.env")
        .expect("probed /.env");
    assert_eq!(env["status"], 200, "{probes:?}");
    // Static files were fetched and are cached for a year.
    let assets = m["assets"].as_array().unwrap();
    assert_eq!(assets.len(), 2, "{assets:?}");
    assert!(assets.iter().all(|a| {
        a["cache_control"]
            .as_str()
            .unwrap()
            .contains("max-age=31536000")
    }));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn apex_and_www_both_serving_is_a_non_canonical_host() {
    let sb = sandbox().await;
    let r = audit_http_toml(
        &sb,
        &launchready::sandbox::http::canonical_case_toml(sb.http_port, sb.https_port),
    )
    .await;
    let nc = with_id(&r, "http.non_canonical_host");
    assert_eq!(nc.len(), 1, "{:#}", r["findings"]);
    assert_eq!(subject(nc[0]), "www.canon.acme-broken.test");
    assert!(
        nc[0]["title"]
            .as_str()
            .unwrap()
            .contains("both www.canon.acme-broken.test and canon.acme-broken.test serve 200"),
        "{}",
        nc[0]
    );
    assert!(
        evidence(nc[0]).contains("GET https://www.canon.acme-broken.test:"),
        "{}",
        nc[0]
    );
    let temp = with_id(&r, "http.temporary_redirect");
    assert!(
        temp.iter()
            .any(|f| subject(f).contains("canon.acme-broken.test")),
        "{temp:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secrets_in_bundles_and_maps_are_found_and_cross_referenced_with_the_repo() {
    let sb = sandbox().await;
    let out = run(
        audit_args(
            &sb,
            &sb.broken_config(),
            &["--only", "http,secrets", "--format", "json"],
        ),
        vec![],
    )
    .await;
    let r = json(&out);
    let hits = with_id(&r, "exposure.secret_in_bundle");
    assert!(hits.len() >= 3, "{hits:#?}");
    for f in &hits {
        assert_eq!(f["severity"], "critical");
    }

    // The bundle's own AWS key id: URL, offset and line in the evidence, redacted.
    let aws = *hits
        .iter()
        .find(|f| subject(f).ends_with("/static/app.js"))
        .unwrap_or_else(|| panic!("{hits:#?}"));
    let key = launchready::sandbox::http::bundle_secret();
    let e = evidence(aws);
    assert!(e.contains(&launchready::redact::redact(&key)), "{aws}");
    assert!(
        e.contains("(secret.aws_access_key)")
            && e.contains("at byte offset ")
            && e.contains("line 1"),
        "{aws}"
    );

    // The source map's sourcesContent.
    let map = one(&r, "exposure.secret_in_bundle", "app.js.map#src/config.ts");
    assert!(evidence(map).contains("in sourcesContent of"), "{map}");
    assert!(evidence(map).contains("(secret.stripe_live_key)"), "{map}");
    assert!(evidence(map).contains("line 2"), "{map}");

    // The deployed build (the repo's dist/app.js) is served as /static/vendor.js: both the
    // bundle finding and the repo finding say the secret is in the other place too.
    let vendor = one(&r, "exposure.secret_in_bundle", "/static/vendor.js");
    assert!(
        evidence(vendor).contains("also found by the repository scan at dist/app.js"),
        "{vendor}"
    );
    let repo = with_id(&r, "secret.stripe_live_key");
    let repo = repo
        .iter()
        .find(|f| subject(f).starts_with("dist/app.js"))
        .unwrap_or_else(|| panic!("{:#}", r["findings"]));
    assert!(
        evidence(repo)
            .contains("also shipped in public JavaScript at https://www.acme-broken.test:"),
        "{repo}"
    );
    assert!(evidence(repo).contains("/static/vendor.js"), "{repo}");

    // Nothing planted appears in the report.
    let text = String::from_utf8_lossy(&out.stdout);
    for v in sb.planted.all() {
        assert!(!text.contains(v), "planted value leaked");
    }
    assert!(!text.contains(&key));
    assert!(!text.contains(&launchready::sandbox::http::source_map_secret()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn silent_resolver_ends_the_http_check_with_one_check_error() {
    // A DNS server that reads queries and never replies (UDP and TCP).
    let addr = crate::common::silent_dns().await;
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("launchready.toml");
    std::fs::write(
        &cfg,
        "[target]\ndomain = \"silent.test\"\nsubdomains = [\"app\"]\npages = [\"/\"]\n",
    )
    .unwrap();
    let t = std::time::Instant::now();
    let out = run(
        vec![
            "audit".into(),
            "--config".into(),
            cfg.display().to_string(),
            "--only".into(),
            "http".into(),
            "--dns-server".into(),
            addr.to_string(),
            "--format".into(),
            "json".into(),
        ],
        short_timeouts(),
    )
    .await;
    // 300 ms DNS timeout (`short_timeouts`): the pre-check gives up within a few seconds.
    assert!(
        t.elapsed() < std::time::Duration::from_secs(10),
        "took {:?}",
        t.elapsed()
    );
    // No DNS from here: the http check is left out with that reason, not run into timeouts.
    let r = json(&out);
    assert_eq!(ids(&r), Vec::<String>::new(), "{r:#}");
    crate::common::assert_no_dns(&r, &["http"]);
    assert_eq!(out.status.code(), Some(3));
}

/// Writes the mixed-content case's config (sandbox/http.rs) into a temporary directory.
fn mixed_config(sb: &launchready::sandbox::Sandbox, dir: &std::path::Path) -> std::path::PathBuf {
    let cfg = dir.join("launchready.toml");
    std::fs::write(
        &cfg,
        launchready::sandbox::http::mixed_case_toml(sb.http_port, sb.https_port),
    )
    .unwrap();
    cfg
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upgrade_insecure_requests_is_honoured_and_an_icon_sent_to_http_is_mixed_content() {
    let sb = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let cfg = mixed_config(&sb, dir.path());
    let out = run(
        audit_args(&sb, &cfg, &["--only", "http", "--format", "json"]),
        vec![],
    )
    .await;
    let r = json(&out);
    let mixed = with_id(&r, "http.mixed_content");
    assert_eq!(mixed.len(), 1, "{:#}", r["findings"]);
    let e = evidence(mixed[0]);
    // /plain declares no icon: the browser's own /favicon.ico request is redirected to http.
    assert!(
        e.contains("/plain loads image https://mixed.acme-broken.test:"),
        "{e}"
    );
    assert!(e.contains("the implicit favicon request"), "{e}");
    assert!(
        e.contains("redirects to http://mixed.acme-broken.test:"),
        "{e}"
    );
    // /uir has `upgrade-insecure-requests`: its http:// script, image and same-host form are
    // upgraded by the browser, so they are not mixed content (nor is its favicon).
    assert!(!e.contains("/uir"), "{e}");

    // The dns check does not run: the subdomain that does not resolve is reported here, with
    // the DNS answer as evidence, and no text points at a check that did not run.
    let gone = one(&r, "http.unreachable", "gone.mixed.acme-broken.test");
    assert_eq!(gone["severity"], "high", "{gone}");
    assert!(evidence(gone).contains("NXDOMAIN"), "{gone}");
    let text = serde_json::to_string(&r).unwrap();
    assert!(!text.contains("dns check"), "{text}");
    assert!(!text.contains("tls check"), "{text}");

    // With the dns check selected, that host is left to it (dns.subdomain_unresolved).
    let out = run(
        audit_args(&sb, &cfg, &["--only", "dns,http", "--format", "json"]),
        vec![],
    )
    .await;
    let r = json(&out);
    assert!(
        with_id(&r, "http.unreachable").is_empty(),
        "{:#}",
        r["findings"]
    );
    assert!(
        with_id(&r, "dns.subdomain_unresolved")
            .iter()
            .any(|f| subject(f) == "gone.mixed.acme-broken.test"),
        "{:#}",
        r["findings"]
    );
}

/// The status of `check` in a report's `checks[]`.
fn status(r: &serde_json::Value, check: &str) -> String {
    r["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == check)
        .map(|c| c["status"].as_str().unwrap().to_string())
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_site_whose_pages_all_fail_tls_is_not_audited_ok() {
    let sb = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("launchready.toml");
    std::fs::write(
        &cfg,
        format!(
            "[target]\ndomain = \"selfsigned.acme-broken.test\"\nhttp_port = {}\nhttps_port = {}\npages = [\"/\", \"/login\"]\n",
            sb.http_port, sb.https_port
        ),
    )
    .unwrap();
    // tls runs: the certificate is its finding; http says it audited no page.
    let out = run(
        audit_args(&sb, &cfg, &["--only", "tls,http", "--format", "json"]),
        vec![],
    )
    .await;
    let r = json(&out);
    assert_eq!(status(&r, "http"), "error", "{:#}", r["checks"]);
    let err = with_id(&r, "check.error");
    let e = err
        .iter()
        .find(|f| f["subject"] == "http")
        .unwrap_or_else(|| panic!("{:#}", r["findings"]));
    assert!(
        evidence(e).contains("none of the 2 configured page(s) could be fetched"),
        "{e}"
    );
    assert!(evidence(e).contains("certificate"), "{e}");
    assert_ne!(r["verdict"], "go");
    // tls does not run: the certificate failure is said by http itself, page by page.
    let out = run(
        audit_args(&sb, &cfg, &["--only", "http", "--format", "json"]),
        vec![],
    )
    .await;
    let r = json(&out);
    let certs = with_id(&r, "http.unreachable");
    assert!(
        certs.iter().any(
            |f| subject(f).starts_with("https://selfsigned.acme-broken.test:")
                && evidence(f).contains("certificate")
        ),
        "{certs:#?}"
    );
    assert_eq!(status(&r, "http"), "findings", "{:#}", r["checks"]);
}

/// Port 80 closed, https fine: current browsers switch to https (typed names since Chrome 90,
/// http:// links since HTTPS-Upgrades), so it is a medium, not a NO-GO for a site they load.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closed_plain_http_port_with_working_https_is_not_a_launch_blocker() {
    let sb = sandbox().await;
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let toml = format!(
        "[target]\ndomain = \"acme-good.test\"\ncanonical = \"apex\"\nsubdomains = []\nhttp_port = {closed}\nhttps_port = {}\npages = [\"/\"]\n",
        sb.https_port
    );
    let r = audit_http_toml(&sb, &toml).await;
    let un = with_id(&r, "http.unreachable");
    assert!(!un.is_empty(), "{:#}", r["findings"]);
    for f in &un {
        assert!(subject(f).starts_with("http://"), "{f}");
        assert_eq!(f["severity"], "medium", "{f}");
        assert!(
            f["title"]
                .as_str()
                .unwrap()
                .contains("does not answer (https does): current browsers switch to https"),
            "{f}"
        );
    }
    assert_eq!(r["verdict"], "go", "{:#}", r["findings"]);
}
