//! Fleets: several configs audited at once with bounded concurrency, one report per target plus
//! an index; `--shard I/N` runs merged with `launchready merge` give the unsharded index.

use crate::common::{loaded_machine_timeouts, run, sandbox};
use crate::report_contract::assert_valid_against;
use launchready::report::INDEX_SCHEMA;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// `n` configs, healthy and broken in turn, written beside the sandbox's own (their relative
/// paths, such as the rollback document, stay valid).
fn fleet_configs(sb: &launchready::sandbox::Sandbox, n: usize) -> Vec<PathBuf> {
    (0..n)
        .map(|i| {
            let src = if i % 2 == 0 {
                sb.healthy_config()
            } else {
                sb.broken_config()
            };
            let dst = src.with_file_name(format!("fleet-{i:02}.toml"));
            std::fs::copy(&src, &dst).unwrap();
            dst
        })
        .collect()
}

fn fleet_args(
    sb: &launchready::sandbox::Sandbox,
    configs: &[PathBuf],
    extra: &[&str],
) -> Vec<String> {
    let mut v: Vec<String> = vec!["audit".into()];
    for c in configs {
        v.push("--config".into());
        v.push(c.display().to_string());
    }
    v.extend(
        [
            "--dns-server",
            &sb.dns_arg(),
            "--ca-file",
            &sb.ca_path().display().to_string(),
            "--only",
            "dns,email,handover",
            "--no-progress",
        ]
        .map(String::from),
    );
    v.extend(extra.iter().map(|s| s.to_string()));
    v
}

fn dir_str(p: &Path) -> String {
    p.display().to_string()
}

/// The `href` of every link in `html`, in order (HTML-unescaped: `&amp;` is the one entity an
/// escaped attribute of a percent-encoded path can hold).
fn hrefs(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .map(|rest| rest[..rest.find('"').unwrap()].replace("&amp;", "&"))
        .collect()
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// Each target row of an HTML index links one page twice (target and report columns); every
/// link resolves, relative to the index file, to an existing file with extension `ext`.
fn assert_links(index_file: &Path, rows: usize, ext: &str) -> Vec<String> {
    let html = std::fs::read_to_string(index_file).unwrap();
    let links = hrefs(&html);
    assert_eq!(links.len(), 2 * rows, "{html}");
    let base = index_file.parent().unwrap();
    for l in &links {
        assert!(!l.contains("://") && !l.starts_with('/'), "relative: {l}");
        let file = base.join(percent_decode(l));
        assert!(
            file.is_file(),
            "{l} does not resolve from {}",
            base.display()
        );
        assert_eq!(file.extension().unwrap(), ext, "{l}");
    }
    links
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fleet_writes_reports_and_an_index_and_shards_merge_to_the_same_index() {
    let sb = sandbox().await;
    let configs = fleet_configs(&sb, 6);
    let tmp = tempfile::tempdir().unwrap();
    let out_dir = |n: &str| tmp.path().join(n);

    let all = run(
        fleet_args(
            &sb,
            &configs,
            &[
                "--jobs",
                "4",
                "--format",
                "json",
                "--out-dir",
                &dir_str(&out_dir("all")),
            ],
        ),
        loaded_machine_timeouts(),
    )
    .await;
    let stderr = String::from_utf8_lossy(&all.stderr);
    // The broken targets fail the gate: the fleet's exit is the worst of its targets.
    assert_eq!(all.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.matches("launchready: [").count(), 6, "{stderr}");
    let index: Value = serde_json::from_slice(&all.stdout).unwrap();
    assert_valid_against(INDEX_SCHEMA, &index);
    let rows = index["targets"].as_array().unwrap();
    assert_eq!(rows.len(), 6);
    for (i, c) in configs.iter().enumerate() {
        let name = format!("fleet-{i:02}.json");
        let row = rows
            .iter()
            .find(|r| r["report"] == name.as_str())
            .expect("row per config");
        let report: Value =
            serde_json::from_slice(&std::fs::read(out_dir("all").join(&name)).unwrap()).unwrap();
        assert_eq!(row["target"], report["target"]);
        assert_eq!(row["score"], report["score"]);
        assert_eq!(row["verdict"], report["verdict"]);
        assert_eq!(row["summary"], report["summary"]);
        let healthy = c.starts_with(sb.healthy_config().parent().unwrap());
        assert_eq!(
            row["verdict"],
            if healthy { "go" } else { "no-go" },
            "{row}"
        );
        if healthy {
            assert!(row["top_risk"].is_null());
        } else {
            assert_eq!(row["top_risk"]["id"], report["findings"][0]["id"]);
        }
    }

    // Three shards, each its own runner, then merged.
    let mut shard_reports = Vec::new();
    for i in 1..=3 {
        let d = out_dir(&format!("shard{i}"));
        let out = run(
            fleet_args(
                &sb,
                &configs,
                &[
                    "--shard",
                    &format!("{i}/3"),
                    "--format",
                    "json",
                    "--out-dir",
                    &dir_str(&d),
                ],
            ),
            loaded_machine_timeouts(),
        )
        .await;
        let part: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_valid_against(INDEX_SCHEMA, &part);
        assert_eq!(
            part["targets"].as_array().unwrap().len(),
            2,
            "every 3rd of 6"
        );
        for e in std::fs::read_dir(&d).unwrap() {
            shard_reports.push(e.unwrap().path().display().to_string());
        }
    }
    let mut merge = vec!["merge".to_string(), "--format".into(), "json".into()];
    merge.extend(shard_reports);
    let merged = run(merge, vec![]).await;
    assert_eq!(merged.status.code(), Some(0));
    let merged: Value = serde_json::from_slice(&merged.stdout).unwrap();
    assert_valid_against(INDEX_SCHEMA, &merged);
    assert_eq!(merged, index, "merged shards equal the unsharded index");

    // The same index as a table, Markdown and HTML.
    let reports: Vec<String> = std::fs::read_dir(out_dir("all"))
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .collect();
    for (format, needle) in [
        ("table", "6 target(s): 3 GO, 3 NO-GO, 0 INCOMPLETE"),
        ("markdown", "| acme-broken.test | **NO-GO** |"),
        ("html", "<h1>Launch readiness: 6 targets</h1>"),
    ] {
        let mut m = vec!["merge".to_string(), "--format".into(), format.into()];
        m.extend(reports.iter().cloned());
        let out = run(m, vec![]).await;
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains(needle), "{format}:\n{text}");
    }

    // Without HTML reports, the HTML index links each JSON report, relative to the index.
    let merged_html = tmp.path().join("merged-index.html");
    let mut m = vec![
        "merge".to_string(),
        "--format".into(),
        "html".into(),
        "--output".into(),
        dir_str(&merged_html),
    ];
    m.extend(reports.iter().cloned());
    assert_eq!(run(m, vec![]).await.status.code(), Some(0));
    let links = assert_links(&merged_html, 6, "json");
    assert!(
        links.contains(&"all/fleet-00.json".to_string()),
        "{links:?}"
    );

    // A directory is every *.toml in it; with --format html each target also gets its page,
    // and the index (here outside --out-dir) links the target's row to that page.
    let dir = sb.healthy_config().parent().unwrap().to_path_buf();
    let dir_index = tmp.path().join("dir-index.html");
    let out = run(
        fleet_args(
            &sb,
            &[dir],
            &[
                "--format",
                "html",
                "--out-dir",
                &dir_str(&out_dir("dir")),
                "--output",
                &dir_str(&dir_index),
            ],
        ),
        loaded_machine_timeouts(),
    )
    .await;
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = std::fs::read_to_string(&dir_index).unwrap();
    assert_eq!(html.matches("<tr><td><a href=\"dir/").count(), 4, "{html}");
    assert_eq!(
        html.matches(">acme-good.test</a></td>").count(),
        4,
        "{html}"
    );
    let links = assert_links(&dir_index, 4, "html");
    assert!(
        links.contains(&"dir/launchready.html".to_string()),
        "{links:?}"
    );
    assert!(out_dir("dir").join("fleet-00.json").is_file());

    // merge links a report's HTML page when one sits beside it; names are escaped in the text
    // and percent-encoded in the link.
    let odd = tmp.path().join("odd dir");
    std::fs::create_dir(&odd).unwrap();
    let odd_json = odd.join("a&b <x>.json");
    std::fs::copy(out_dir("dir").join("fleet-00.json"), &odd_json).unwrap();
    std::fs::copy(
        out_dir("dir").join("fleet-00.html"),
        odd.join("a&b <x>.html"),
    )
    .unwrap();
    let odd_index = tmp.path().join("odd-index.html");
    let mut m = vec![
        "merge".to_string(),
        "--format".into(),
        "html".into(),
        "--output".into(),
        dir_str(&odd_index),
        dir_str(&odd_json),
    ];
    m.extend(
        ["launchready", "fleet-02"].map(|s| dir_str(&out_dir("dir").join(format!("{s}.json")))),
    );
    assert_eq!(run(m, vec![]).await.status.code(), Some(0));
    let links = assert_links(&odd_index, 3, "html");
    assert!(
        links.contains(&"odd%20dir/a%26b%20%3Cx%3E.html".to_string()),
        "{links:?}"
    );
    let html = std::fs::read_to_string(&odd_index).unwrap();
    assert!(html.contains(">a&amp;b &lt;x&gt;.html</a>"), "{html}");
    assert!(!html.contains("<x>"), "{html}");

    // One bad config: exit 2 naming it, nothing audited.
    let bad = tmp.path().join("bad.toml");
    std::fs::write(&bad, "[target]\ndomain = 42\n").unwrap();
    let mut with_bad = configs.clone();
    with_bad.push(bad.clone());
    let out = run(
        fleet_args(&sb, &with_bad, &["--out-dir", &dir_str(&out_dir("bad"))]),
        vec![],
    )
    .await;
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("bad.toml"), "{err}");
    assert!(
        !out_dir("bad").exists(),
        "nothing was written before the configs were read"
    );

    // merge refuses what is not a report.
    let out = run(vec!["merge".into(), bad.display().to_string()], vec![]).await;
    assert_eq!(out.status.code(), Some(2));
}
