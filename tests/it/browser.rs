//! The HTML report in a real browser: `demo --format html` is opened in headless Chromium, and
//! a probe page (the only script here; the report has none) reads what the browser laid out:
//! the verdicts, the latency histograms and the ranked list are visible, and the sandbox's
//! hostile 404 page (`<script>`, `<img onerror>`) is text in the evidence, not markup.
//!
//! Chromium comes from the system package manager (`.ci/run` installs it). Without it the test
//! prints why and passes locally; under `CI=true` it fails.

use crate::common::demo_all;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A Chromium that starts: `LAUNCHREADY_CHROMIUM`, else the usual names on `PATH`.
fn chromium() -> Option<PathBuf> {
    let mut names: Vec<String> = std::env::var("LAUNCHREADY_CHROMIUM").into_iter().collect();
    names.extend(
        [
            "chromium",
            "chromium-browser",
            "google-chrome",
            "google-chrome-stable",
        ]
        .map(String::from),
    );
    names.into_iter().map(PathBuf::from).find(|p| {
        Command::new(p)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    })
}

/// Runs headless Chromium with `args` and returns stdout; killed after 90 s.
fn headless(bin: &Path, profile: &Path, args: &[String]) -> String {
    let mut child = Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--hide-scrollbars",
            "--allow-file-access-from-files",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromium starts");
    let started = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        if started.elapsed() > Duration::from_secs(90) {
            let _ = child.kill();
            panic!("chromium did not finish within 90 s: {args:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let out = child.wait_with_output().expect("chromium output");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

const PROBE: &str = r#"<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>
<iframe id="f" src="report.html" style="width:1280px;height:4000px"></iframe>
<pre id="out">pending</pre>
<script>
function probe() {
  var f = document.getElementById('f'), d = f.contentDocument, w = f.contentWindow;
  if (!d || d.readyState !== 'complete' || !d.querySelector('footer')) { setTimeout(probe, 100); return; }
  function shown(e) {
    if (!e) return false;
    var b = e.getBoundingClientRect(), s = w.getComputedStyle(e);
    return b.width > 0 && b.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
  }
  var evidence = Array.from(d.querySelectorAll('pre.evidence')).map(function (e) { return e.textContent; });
  var r = {
    title: d.title,
    verdicts: Array.from(d.querySelectorAll('.verdict')).filter(shown).map(function (e) { return e.textContent; }),
    histograms: Array.from(d.querySelectorAll('svg.histogram')).filter(shown).length,
    bars: Array.from(d.querySelectorAll('svg.histogram rect.bar')).filter(shown).length,
    labelled: Array.from(d.querySelectorAll('svg.chart')).every(function (s) { return !!s.querySelector('title'); }),
    findings: Array.from(d.querySelectorAll('ol.findings > li summary')).filter(shown).length,
    scripts: d.querySelectorAll('script').length,
    imgs: d.querySelectorAll('img').length,
    planted: evidence.some(function (t) { return t.indexOf("\x3cscript>document.title='PWNED'\x3c/script>\x3cimg src=x onerror=") >= 0; })
  };
  document.getElementById('out').textContent = 'RESULT ' + JSON.stringify(r) + ' END';
}
setTimeout(probe, 100);
</script></body></html>"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_html_renders_in_a_real_browser() {
    let Some(bin) = chromium() else {
        let why = "no Chromium on PATH (chromium, chromium-browser, google-chrome) and LAUNCHREADY_CHROMIUM unset";
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("CI=true needs the browser test: {why}; .ci/run installs it with apt-get");
        }
        // A visible reason beside the passing test, as the module doc promises.
        #[allow(clippy::print_stderr)]
        {
            eprintln!("skipping the browser test: {why}");
        }
        return;
    };
    let demo = demo_all().await;
    assert_eq!(demo.out.status.code(), Some(0), "{}", demo.stderr());
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("report.html"), demo.file("html")).unwrap();
    std::fs::write(dir.path().join("probe.html"), PROBE).unwrap();
    let profile = dir.path().join("profile");
    let url = |f: &str| format!("file://{}", dir.path().join(f).display());

    let dom = tokio::task::spawn_blocking({
        let (bin, profile, probe) = (bin.clone(), profile.clone(), url("probe.html"));
        move || {
            headless(
                &bin,
                &profile,
                &[
                    "--virtual-time-budget=10000".into(),
                    "--dump-dom".into(),
                    probe,
                ],
            )
        }
    })
    .await
    .unwrap();
    let start = dom
        .find("RESULT ")
        .unwrap_or_else(|| panic!("no result in:\n{dom}"))
        + 7;
    let end = dom[start..].find(" END").expect("result end") + start;
    // The result sits in a <pre>: the DOM dump escapes & < > in it.
    let json = dom[start..end]
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    let r: serde_json::Value = serde_json::from_str(&json).expect("probe result is JSON");
    // Both verdicts are shown; the broken site's is NO-GO (the healthy one's depends on how
    // loaded the machine is: its latency budgets are real).
    let verdicts = r["verdicts"].as_array().expect("verdicts");
    assert_eq!(verdicts.len(), 2, "{r}");
    assert_eq!(verdicts[0], "NO-GO", "{r}");
    assert_eq!(
        r["title"], "Launch readiness",
        "the planted script did not run: {r}"
    );
    assert!(r["histograms"].as_u64().unwrap() >= 4, "{r}");
    assert!(r["bars"].as_u64().unwrap() >= 4, "{r}");
    assert_eq!(r["labelled"], true, "every chart has a <title>: {r}");
    assert!(r["findings"].as_u64().unwrap() >= 20, "{r}");
    assert_eq!(r["scripts"], 0, "no script element in the report: {r}");
    assert_eq!(r["imgs"], 0, "no img element in the report: {r}");
    assert_eq!(
        r["planted"], true,
        "the hostile 404 page is shown as text: {r}"
    );

    // A phone-width screenshot renders (a PNG of real size).
    let shot = dir.path().join("phone.png");
    tokio::task::spawn_blocking({
        let (bin, profile, report) = (bin, profile, url("report.html"));
        let arg = format!("--screenshot={}", shot.display());
        move || {
            headless(
                &bin,
                &profile,
                &["--window-size=390,1800".into(), arg, report],
            )
        }
    })
    .await
    .unwrap();
    let png = std::fs::read(&shot).expect("screenshot written");
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 20_000,
        "{} bytes",
        png.len()
    );
}
