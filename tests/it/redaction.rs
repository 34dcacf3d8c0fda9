//! Redaction proof: secrets planted everywhere an audit looks — the repo (work tree, committed
//! `.env`, history), the site's JavaScript bundle and source map, the `.env` served by the site,
//! and `${ENV}` values in the config's endpoint headers and URL — never appear in stdout,
//! stderr, `--output` or `--also` files, in any format, with `GITHUB_ACTIONS=true` annotations
//! and `-v`.

use crate::common::*;
use launchready::sandbox::http::{bundle_secret, source_map_secret};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_planted_secret_appears_in_any_output() {
    let sb = sandbox().await;
    // The broken site, plus an endpoint whose header and query carry ${ENV} values.
    let token = "lrPLANTEDtoken9f8e7d6c5b4a3f2e1d0c";
    let query = "lrPLANTEDquery0a1b2c3d4e5f6a7b";
    let cfg = sb.broken_config().with_file_name("redaction.toml");
    let base = std::fs::read_to_string(sb.broken_config()).unwrap();
    std::fs::write(
        &cfg,
        format!(
            "{base}\n[[endpoints]]\nname = \"planted\"\nurl = \"https://api2.acme-broken.test:{}/perf/delay/5?key=${{LAUNCHREADY_PLANTED_QUERY}}\"\n\
             headers = {{ Authorization = \"Bearer ${{LAUNCHREADY_PLANTED_TOKEN}}\" }}\nsamples = 2\nconcurrency = 1\n",
            sb.https_port
        ),
    )
    .unwrap();
    let mut planted: Vec<String> = sb.planted.all().iter().map(|s| s.to_string()).collect();
    // Every value in the `.env` the broken site serves (fetched the way the audit does).
    let net = launchready::net::Net::new(&launchready::net::NetOptions {
        dns_servers: vec![sb.dns],
        extra_roots: launchready::net::read_ca_file(&sb.ca_path()).unwrap(),
        allow_private: true,
        ..Default::default()
    })
    .unwrap();
    let served = net
        .http
        .get(format!(
            "https://www.acme-broken.test:{}/.env",
            sb.https_port
        ))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let env_values: Vec<String> = served
        .lines()
        .filter_map(|l| l.split_once('=').map(|(_, v)| v.to_string()))
        .filter(|v| v.len() >= 16)
        .collect();
    assert!(env_values.len() >= 3, "served .env: {served}");
    planted.extend(env_values);
    planted.extend([
        bundle_secret(),
        source_map_secret(),
        token.to_string(),
        query.to_string(),
    ]);

    let dir = tempfile::tempdir().unwrap();
    let env = vec![
        ("LAUNCHREADY_PLANTED_TOKEN".to_string(), token.to_string()),
        ("LAUNCHREADY_PLANTED_QUERY".to_string(), query.to_string()),
        ("GITHUB_ACTIONS".to_string(), "true".to_string()),
    ];
    // Two audits at once: the table on stdout with every other format through --also, and the
    // JSON report through --output (stdout and stderr still captured).
    let file = dir.path().join("report.json");
    let f = file.display().to_string();
    let (all, to_file) = tokio::join!(
        run_also(
            audit_args(&sb, &cfg, &["-v", "--format", "table"]),
            env.clone(),
            &ALSO_FORMATS,
        ),
        run(
            audit_args(&sb, &cfg, &["-v", "--format", "json", "--output", &f]),
            env.clone(),
        )
    );
    let written = std::fs::read_to_string(&file)
        .unwrap_or_else(|e| panic!("--output {} not written: {e}", file.display()));
    assert!(to_file.stdout.is_empty(), "--output leaves stdout empty");
    let mut texts: Vec<(String, String)> = all
        .every_text()
        .into_iter()
        .map(|(w, t)| (w.to_string(), t))
        .collect();
    texts.extend([
        (
            "--output stderr".to_string(),
            String::from_utf8_lossy(&to_file.stderr).into_owned(),
        ),
        ("--output file".to_string(), written.clone()),
    ]);
    for out in [&all.out, &to_file] {
        assert_eq!(out.status.code(), Some(1), "the broken site fails the gate");
        // GITHUB_ACTIONS=true: annotations on stderr are part of what was checked.
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("::error") || err.contains("::warning"),
            "no annotations: {err}"
        );
    }
    for (what, text) in &texts {
        assert!(
            what.contains("stderr") || text.len() > 200,
            "{what}: nearly empty"
        );
        for p in &planted {
            assert!(!text.contains(p.as_str()), "{what} leaks planted value {p}");
        }
    }
    let json_report: serde_json::Value = serde_json::from_str(&written).expect("JSON report");
    assert!(json_report["findings"].as_array().unwrap().len() > 30);

    // The planted secrets were found (so the proof is not vacuous): in the repo, the bundle,
    // the source map and the served .env; and the planted endpoint was measured.
    // ... in the very run whose table and files were searched.
    let r: serde_json::Value = serde_json::from_str(all.file("json")).unwrap();
    let all: Vec<String> = ids(&r);
    assert!(all.iter().any(|i| i.starts_with("secret.")), "{all:?}");
    for id in [
        "exposure.secret_in_bundle",
        "exposure.source_map",
        "exposure.env_file",
    ] {
        assert!(all.iter().any(|i| i == id), "{id} missing: {all:?}");
    }
    let eps = r["measurements"]["endpoints"].to_string();
    assert!(eps.contains("\"planted\""), "{eps}");
    assert!(eps.contains("key=") || eps.contains("planted"), "{eps}");
}
