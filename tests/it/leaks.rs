//! Debug leaks and sensitive files through the binary, over real sockets: every signature has a
//! broken sandbox host that shows it and a healthy look-alike that must not trigger it (a blog
//! post about tracebacks, an API 4xx that mentions them, a customer status page, an SPA that
//! answers 200 for every path); the sensitive-file probe stays within its per-host budget.

use crate::common::*;
use launchready::sandbox::http::bundle_test_key;
use launchready::sandbox::leaks::{BROKEN_FILES, aws_secret, dump_password};

fn field<'a>(f: &'a serde_json::Value, k: &str) -> &'a str {
    f[k].as_str().unwrap_or("")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn broken_site_leaks_debug_pages_traces_test_keys_and_files() {
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
    let r = json(&out);

    // exposure.debug_mode: Django, Werkzeug, Vite; each once per origin, subject = origin.
    let debug: Vec<(String, String)> = with_id(&r, "exposure.debug_mode")
        .iter()
        .map(|f| {
            (
                field(f, "subject").to_string(),
                field(f, "title").to_string(),
            )
        })
        .collect();
    for (host, what) in [
        ("debug.acme-broken.test", "Django debug page"),
        ("flask.acme-broken.test", "Werkzeug debugger"),
        ("vite.acme-broken.test", "Vite development server"),
    ] {
        let hits: Vec<_> = debug.iter().filter(|(s, _)| s.contains(host)).collect();
        assert_eq!(hits.len(), 1, "{host}: {debug:#?}");
        assert!(hits[0].1.contains(what), "{host}: {hits:?}");
        assert!(hits[0].0.starts_with("https://") && !hits[0].0.contains("launchready-"));
    }
    assert_eq!(debug.len(), 3, "{debug:#?}");
    let flask = with_id(&r, "exposure.debug_mode")
        .into_iter()
        .find(|f| field(f, "subject").contains("flask."))
        .unwrap();
    assert!(
        field(flask, "evidence").contains("a truncated JSON body: POST"),
        "{flask}"
    );
    assert!(field(flask, "evidence").contains("-> 500"), "{flask}");

    // exposure.stack_trace: the Python traceback and the Node stack of one host, one finding.
    let traces = with_id(&r, "exposure.stack_trace");
    assert_eq!(traces.len(), 1, "{traces:#?}");
    let ev = field(traces[0], "evidence");
    assert!(field(traces[0], "subject").contains("trace.acme-broken.test"));
    assert!(
        ev.contains("a malformed URL escape: GET") && ev.contains("Python traceback"),
        "{ev}"
    );
    assert!(
        ev.contains("a truncated JSON body: POST") && ev.contains("Node.js stack trace"),
        "{ev}"
    );
    assert!(ev.contains("body-parser/lib/types/json.js:92:19"), "{ev}");

    // exposure.test_key_in_bundle: the Stripe test publishable key in the app bundle, redacted.
    let keys = with_id(&r, "exposure.test_key_in_bundle");
    assert_eq!(keys.len(), 1, "{keys:#?}");
    assert!(
        field(keys[0], "subject").ends_with("/static/app.js"),
        "{keys:?}"
    );
    assert!(field(keys[0], "evidence").contains("Stripe test publishable key"));
    assert!(
        !out.stdout
            .windows(bundle_test_key().len())
            .any(|w| w == bundle_test_key().as_bytes())
    );

    // exposure.sensitive_file: exactly the served files, never the SPA shell, the .npmrc without
    // a credential or the forbidden .htpasswd.
    let files = with_id(&r, "exposure.sensitive_file");
    let mut got: Vec<String> = files
        .iter()
        .map(|f| {
            let s = field(f, "subject");
            s[s.find(".test:").map(|i| i + 6).unwrap_or(0)..]
                .trim_start_matches(char::is_numeric)
                .to_string()
        })
        .collect();
    got.sort();
    let mut want: Vec<String> = BROKEN_FILES.iter().map(|s| s.to_string()).collect();
    want.sort();
    assert_eq!(got, want, "{files:#?}");
    for f in &files {
        assert!(field(f, "subject").contains("www.acme-broken.test"), "{f}");
        let ev = field(f, "evidence");
        assert!(
            ev.contains("random paths:") && ev.contains("(budget 60)"),
            "{ev}"
        );
    }
    let ds = files
        .iter()
        .find(|f| field(f, "subject").ends_with("/.DS_Store"))
        .unwrap();
    assert_eq!(ds["severity"], "medium");
    let text = String::from_utf8_lossy(&out.stdout);
    for planted in [aws_secret(), dump_password()] {
        assert!(!text.contains(&planted), "leaked {planted}");
    }

    // The budget, as the report states it: at most 60 requests to one host, 46 used.
    let probes = r["measurements"]["http"]["exposure_probes"]
        .as_array()
        .unwrap();
    assert!(!probes.is_empty());
    for p in probes {
        let s = &p["sensitive_files"];
        assert_eq!(s["budget"], 60, "{p}");
        assert!(s["requests"].as_u64().unwrap() <= 60, "{p}");
        assert_eq!(p["error_probes"].as_array().unwrap().len(), 3, "{p}");
    }
    let www = probes
        .iter()
        .find(|p| field(p, "origin").contains("www.acme-broken.test"))
        .unwrap();
    assert_eq!(www["sensitive_files"]["requests"], 46, "{www}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthy_look_alikes_do_not_trigger() {
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
    let ids = ids(&r);
    for id in [
        "exposure.debug_mode",
        "exposure.stack_trace",
        "exposure.test_key_in_bundle",
        "exposure.sensitive_file",
    ] {
        assert!(
            !ids.iter().any(|i| i == id),
            "{id} on the healthy site: {r:#}"
        );
    }
    // The look-alikes were really looked at: the blog post as a page, the API's 400 to the
    // truncated JSON, and the SPA's 200 for every sensitive path.
    let pages: Vec<&str> = r["measurements"]["http"]["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| field(p, "path"))
        .collect();
    assert!(pages.contains(&"/blog/reading-tracebacks"), "{pages:?}");
    let apex = r["measurements"]["http"]["exposure_probes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| field(p, "origin").starts_with("https://acme-good.test"))
        .unwrap();
    let json_probe = apex["error_probes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["method"] == "POST")
        .unwrap();
    assert_eq!(json_probe["status"], 400, "{apex}");
    assert_eq!(
        apex["sensitive_files"]["found"].as_array().unwrap().len(),
        0
    );
    assert_eq!(out.status.code(), Some(0), "{r:#}");
}

/// The release-hygiene ids of this round, as `demo` shows them.
const RELEASE_IDS: &[&str] = &[
    "env.missing",
    "env.malformed",
    "env.test_key_in_production",
    "env.shared_across_environments",
    "env.example_drift",
    "exposure.debug_mode",
    "exposure.stack_trace",
    "exposure.test_key_in_bundle",
    "exposure.sensitive_file",
    "tls.manual_renewal",
    "dns.caa_blocks_issuer",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_shows_every_release_id_on_the_broken_site_and_none_on_the_healthy() {
    let v: serde_json::Value = serde_json::from_str(demo_all().await.file("json")).unwrap();
    let (broken, healthy) = (&v[0], &v[1]);
    let b = ids(broken);
    let h = ids(healthy);
    for id in RELEASE_IDS {
        assert!(
            b.iter().any(|i| i == id),
            "{id} missing from the demo's broken site: {b:?}"
        );
        assert!(
            !h.iter().any(|i| i == id),
            "{id} on the demo's healthy site"
        );
    }
    // The demo hands each site its own environment, not the caller's: the broken site's
    // malformed database URL and test key come from it.
    let malformed = with_id(broken, "env.malformed");
    assert!(
        malformed
            .iter()
            .any(|f| field(f, "subject") == "env:DATABASE_URL"),
        "{malformed:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn served_secrets_and_test_keys_never_reach_any_format() {
    let sb = sandbox().await;
    let planted = [aws_secret(), dump_password(), bundle_test_key()];
    // One audit: the table on stdout, -v on stderr, every other format through --also.
    let all = run_also(
        audit_args(
            &sb,
            &sb.broken_config(),
            &["-v", "--only", "http", "--format", "table"],
        ),
        vec![],
        &ALSO_FORMATS,
    )
    .await;
    for (what, text) in all.every_text() {
        if what != "stderr" {
            assert!(text.contains("exposure.sensitive_file"), "{what}: {text}");
        }
        for p in &planted {
            assert!(!text.contains(p.as_str()), "{what} leaks {p}");
        }
    }
}

/// Every framework debug page of the http check, each on its own origin (one finding per origin
/// and id), through the binary: the evidence names the framework and the probe that showed it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_framework_debug_page_is_found_on_its_own_origin() {
    use launchready::sandbox::stacks::{FRAMEWORKS, STACKS, TRACES, stacks_case_toml};
    let sb = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("launchready.toml");
    std::fs::write(&cfg, stacks_case_toml(sb.http_port, sb.https_port)).unwrap();
    let out = run(
        audit_args(&sb, &cfg, &["--only", "http", "--format", "json"]),
        vec![],
    )
    .await;
    let r = json(&out);
    let debug = with_id(&r, "exposure.debug_mode");
    for (label, what) in FRAMEWORKS {
        let host = format!("https://{label}.{STACKS}");
        let hits: Vec<_> = debug
            .iter()
            .filter(|f| field(f, "subject").starts_with(&host))
            .collect();
        assert_eq!(hits.len(), 1, "{host}: {debug:#?}");
        let (title, ev) = (field(hits[0], "title"), field(hits[0], "evidence"));
        assert!(title.contains(what), "{host}: {title}");
        // PHP's error lines (plain or Xdebug's) are a message and a path: medium; a debug
        // page or dev server: high.
        let severity = if ["php", "xdebug"].contains(label) {
            "medium"
        } else {
            "high"
        };
        assert_eq!(hits[0]["severity"], severity, "{host}");
        // HTML pages by their markup, Laravel's debug JSON (asked for by the JSON probe) by
        // its shape.
        let shape = if *label == "laravel-api" {
            "JSON"
        } else {
            "markup"
        };
        assert!(
            (ev.contains(&format!("with the {shape} of a {what}"))
                || ev.contains(&format!("with the {shape} of an {what}")))
                && ev.contains(&host),
            "{host}: {ev}"
        );
    }
    // PHP's warning is reported on a 200 answer, with PHP's own line as the proof; Laravel
    // shows its trace only to the JSON client.
    let php = debug
        .iter()
        .find(|f| field(f, "subject").contains("//php."))
        .unwrap();
    let ev = field(php, "evidence");
    assert!(
        ev.contains("-> 200 with the markup of a PHP error message")
            && ev.contains("Warning: Undefined array key \"HTTP_ACCEPT_LANGUAGE\" in /var/www/html/includes/i18n.php on line 12"),
        "{ev}"
    );
    let laravel = debug
        .iter()
        .find(|f| field(f, "subject").contains("//laravel-api."))
        .unwrap();
    let ev = field(laravel, "evidence");
    assert!(
        ev.starts_with("a truncated JSON body: POST ")
            && !ev.contains("an unknown path")
            && ev.contains("NotFoundHttpException at /var/www/html/vendor/laravel/framework/src/Illuminate/Routing/AbstractRouteCollection.php:44"),
        "{ev}"
    );
    // Rails shows both of its pages: the routing error to an unknown path, the exception page
    // to a bad body.
    let rails = debug
        .iter()
        .find(|f| field(f, "subject").contains("rails."))
        .unwrap();
    let ev = field(rails, "evidence");
    assert!(
        ev.contains("an unknown path: GET")
            && ev.contains("-> 404 with the markup of a Rails development routing error page"),
        "{ev}"
    );
    assert!(
        ev.contains("a truncated JSON body: POST")
            && ev.contains("-> 500 with the markup of a Rails development error page"),
        "{ev}"
    );
    // The plain parent site shows none; nothing else is reported as a debug page.
    assert_eq!(debug.len(), FRAMEWORKS.len(), "{debug:#?}");
    // The trace-only hosts: a stack trace each, named by its language, no debug page.
    let traces = with_id(&r, "exposure.stack_trace");
    for (label, lang) in TRACES {
        let host = format!("https://{label}.{STACKS}");
        let hits: Vec<_> = traces
            .iter()
            .filter(|f| field(f, "subject").starts_with(&host))
            .collect();
        assert_eq!(hits.len(), 1, "{host}: {traces:#?}");
        assert!(field(hits[0], "title").contains(lang), "{host}");
        let ev = field(hits[0], "evidence");
        assert!(
            ev.contains(&format!("with a {lang}; first frame: "))
                && ev.contains(
                    "/srv/api/vendor/symfony/http-kernel/EventListener/RouterListener.php:127"
                ),
            "{ev}"
        );
    }
}
