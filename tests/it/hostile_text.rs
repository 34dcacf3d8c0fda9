//! Network text is data: a TXT record that carries terminal escape sequences, a carriage
//! return, Markdown links and images, raw HTML, XML metacharacters and GitHub workflow commands
//! goes through every output format. None of them may reach a terminal raw, become a live link,
//! image or HTML in Markdown (checked with a CommonMark parser), break XML or JSON, or start a
//! workflow command.

use crate::common::*;
use launchready::sandbox::dns::{ZoneText, start};
use pulldown_cmark::{Event, Parser, Tag};

const HOSTILE: &str = "v=spf1 \u{1b}[2J\u{1b}]0;pwned\u{7} ok\rFAKE-ROW \u{9b}31m \
    ![i](http://evil.example/p.png) [c](http://evil.example/) <img src=x onerror=alert(1)> \
    </failure><x a=\"&amp; ::error::pwned ::add-mask::x \u{202e}gpj.exe -all";

async fn hostile_zone() -> std::net::SocketAddr {
    let zone = ZoneText {
        origin: "inject.test".into(),
        records: format!(
            "@ NS ns1\nns1 A 127.0.0.1\n@ MX 10 mx\nmx A 127.0.0.1\n@ TXT {HOSTILE}\n\
             _dmarc TXT v=DMARC1; p=reject; rua=mailto:d@inject.test\n"
        ),
    };
    start(&[zone]).await.unwrap()
}

fn args(cfg: &std::path::Path, dns: std::net::SocketAddr, format: &str) -> Vec<String> {
    [
        "audit",
        "--config",
        &cfg.display().to_string(),
        "--only",
        "email",
        "--dns-server",
        &dns.to_string(),
        "--no-progress",
        "--format",
        format,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

fn assert_no_raw_controls(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    for c in text.chars() {
        assert!(
            !(('\u{202a}'..='\u{202e}').contains(&c) || (c.is_control() && c != '\n' && c != '\t')),
            "{what} carries a raw control character {c:?}:\n{text}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_txt_record_is_inert_in_every_format() {
    let dns = hostile_zone().await;
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("launchready.toml");
    std::fs::write(&cfg, "[target]\ndomain = \"inject.test\"\n").unwrap();

    // JSON carries the record exactly (escaped as JSON), so the test exercises the path.
    let out = run(args(&cfg, dns, "json"), vec![]).await;
    assert_no_raw_controls("json", &out.stdout);
    let r = json(&out);
    let syntax = with_id(&r, "email.spf_syntax");
    assert_eq!(syntax.len(), 1, "{r:#}");
    assert!(syntax[0]["title"].as_str().unwrap().contains('\u{1b}'));
    assert!(
        syntax[0]["evidence"]
            .as_str()
            .unwrap()
            .contains("evil.example")
    );

    // The table (and the -v line on stderr): escapes shown, nothing raw.
    let mut a = args(&cfg, dns, "table");
    a.push("-v".into());
    let out = run(a, vec![]).await;
    assert_no_raw_controls("table", &out.stdout);
    assert_no_raw_controls("stderr", &out.stderr);
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.contains("\\x1b[2J"), "{table}");
    assert!(table.contains("\\r"), "{table}");

    // Markdown: no link, image or HTML the target chose, under a CommonMark parser.
    let out = run(args(&cfg, dns, "markdown"), vec![]).await;
    assert_no_raw_controls("markdown", &out.stdout);
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(md.contains("evil.example"), "{md}");
    // GitHub's Markdown also links bare URLs (GFM autolinks): the target's URLs are written so
    // that no autolink can start (`http\://`), yet read the same.
    assert!(
        !md.contains("http://evil") && md.contains("http\\://evil.example/p.png"),
        "{md}"
    );
    let opts = pulldown_cmark::Options::ENABLE_TABLES;
    for ev in Parser::new_ext(&md, opts) {
        match ev {
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => {
                assert!(!dest_url.contains("evil"), "live link or image: {dest_url}")
            }
            // The pack's own tags (<br>, <sub>, <code>) are fine; none from the record.
            Event::Html(h) | Event::InlineHtml(h) => assert!(
                !["img", "onerror", "failure", "<x"]
                    .iter()
                    .any(|t| h.contains(t)),
                "raw HTML from the target: {h}"
            ),
            _ => {}
        }
    }

    // SARIF is JSON; JUnit is well-formed XML that keeps the text as text.
    let out = run(args(&cfg, dns, "sarif"), vec![]).await;
    assert_no_raw_controls("sarif", &out.stdout);
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(sarif.to_string().contains("evil.example"));
    let out = run(args(&cfg, dns, "junit"), vec![]).await;
    assert_no_raw_controls("junit", &out.stdout);
    let mut reader = quick_xml::Reader::from_reader(out.stdout.as_slice());
    let mut buf = Vec::new();
    let mut failures = 0;
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(quick_xml::events::Event::Start(e)) if e.name().as_ref() == b"failure" => {
                failures += 1
            }
            Ok(_) => {}
            Err(e) => panic!("junit is not well-formed XML: {e}"),
        }
        buf.clear();
    }
    // The record's own `</failure><x ...>` stays text: the element count is the report's.
    assert_eq!(failures, 2);
    let raw = String::from_utf8_lossy(&out.stdout);
    assert!(raw.contains("&lt;/failure&gt;&lt;x a="), "{raw}");

    // GitHub annotations: every line is one of launchready's own commands.
    let out = run(
        args(&cfg, dns, "json"),
        vec![("GITHUB_ACTIONS".into(), "true".into())],
    )
    .await;
    assert_no_raw_controls("annotations", &out.stderr);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("::error::pwned"),
        "the text is there, inert: {err}"
    );
    for line in err.lines() {
        assert!(
            ["::error ", "::warning ", "::notice "]
                .iter()
                .any(|p| line.starts_with(p)),
            "a line that is not launchready's own annotation: {line}"
        );
    }
}
