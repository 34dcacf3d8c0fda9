//! Redaction proof: secrets planted everywhere an audit looks — the repo (work tree, committed
//! `.env`, history), the site's JavaScript bundle and source map, the `.env` served by the site,
//! and `${ENV}` values in the config's endpoint headers and URL — never appear in stdout,
//! stderr or `--output` files, in any format, with `GITHUB_ACTIONS=true` annotations and `-v`.

use crate::common::*;
use launchready::sandbox::http::{bundle_secret, source_map_secret};

const FORMATS: [&str; 5] = ["table", "json", "markdown", "sarif", "junit"];

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
    // Each format twice: to stdout, and to --output (stdout/stderr still captured).
    let mut runs = Vec::new();
    for fmt in FORMATS {
        let file = dir.path().join(format!("report.{fmt}"));
        runs.push((fmt, None, audit_args(&sb, &cfg, &["-v", "--format", fmt])));
        let f = file.display().to_string();
        runs.push((
            fmt,
            Some(file),
            audit_args(&sb, &cfg, &["-v", "--format", fmt, "--output", &f]),
        ));
    }
    let outs = futures::future::join_all(
        runs.iter()
            .map(|(_, _, args)| run(args.clone(), env.clone())),
    )
    .await;

    let mut json_report = None;
    for ((fmt, file, _), out) in runs.iter().zip(outs) {
        let mut texts = vec![
            ("stdout", String::from_utf8_lossy(&out.stdout).to_string()),
            ("stderr", String::from_utf8_lossy(&out.stderr).to_string()),
        ];
        if let Some(f) = file {
            let text = std::fs::read_to_string(f)
                .unwrap_or_else(|e| panic!("{fmt}: --output {} not written: {e}", f.display()));
            assert!(text.len() > 200, "{fmt}: output file nearly empty");
            texts.push(("file", text));
        } else if *fmt == "json" {
            json_report = Some(json(&out));
        }
        assert_eq!(
            out.status.code(),
            Some(1),
            "{fmt}: the broken site fails the gate"
        );
        for (stream, text) in &texts {
            for p in &planted {
                assert!(
                    !text.contains(p.as_str()),
                    "{fmt} {stream} leaks planted value {p}"
                );
            }
        }
        // GITHUB_ACTIONS=true: annotations on stderr are part of what was checked.
        assert!(
            texts[1].1.contains("::error") || texts[1].1.contains("::warning"),
            "{fmt}: no annotations on stderr"
        );
    }

    // The planted secrets were found (so the proof is not vacuous): in the repo, the bundle,
    // the source map and the served .env; and the planted endpoint was measured.
    let r = json_report.expect("json report");
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
