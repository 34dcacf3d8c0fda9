//! Every report format, produced by the binary from the sandbox's broken site and validated:
//! SARIF against the official SARIF 2.1.0 schema, JUnit by an XML parser, Markdown by a
//! CommonMark parser. A hand-built report with hostile text and planted secrets goes through
//! every format too.

use crate::common::*;
use launchready::cli::Format;
use launchready::redact::Secret;
use launchready::report::{Labeled, RenderOptions, Report};
use serde_json::{Value, json};

const SARIF_SCHEMA: &str = include_str!("../../fixtures/sarif/sarif-schema-2.1.0.json");

fn assert_sarif_valid(v: &Value) {
    let schema: Value = serde_json::from_str(SARIF_SCHEMA).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("SARIF schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(v)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(errors.is_empty(), "SARIF schema errors: {errors:#?}\n{v:#}");
}

/// What a JUnit document holds, read with a real XML parser.
#[derive(Debug, Default)]
struct Junit {
    suites: usize,
    /// (classname, name, failure message)
    cases: Vec<(String, String, Option<String>)>,
    declared_tests: usize,
    declared_failures: usize,
    skipped: usize,
}

fn parse_junit(xml: &str) -> Junit {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut j = Junit::default();
    let attr = |e: &quick_xml::events::BytesStart<'_>, key: &[u8]| -> Option<String> {
        e.attributes()
            .map(|a| a.expect("well-formed attribute"))
            .find(|a| a.key.as_ref() == key)
            .map(|a| {
                a.normalized_value(quick_xml::XmlVersion::Explicit1_0)
                    .expect("valid escape")
                    .into_owned()
            })
    };
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                b"testsuites" => {
                    j.declared_tests = attr(&e, b"tests").unwrap().parse().unwrap();
                    j.declared_failures = attr(&e, b"failures").unwrap().parse().unwrap();
                }
                b"testsuite" => j.suites += 1,
                b"testcase" => j.cases.push((
                    attr(&e, b"classname").unwrap(),
                    attr(&e, b"name").unwrap(),
                    None,
                )),
                b"failure" => {
                    j.cases.last_mut().expect("failure inside a testcase").2 =
                        Some(attr(&e, b"message").unwrap())
                }
                b"skipped" => j.skipped += 1,
                _ => {}
            },
            _ => {}
        }
    }
    j
}

fn text(out: &std::process::Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("UTF-8 report")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sarif_from_the_broken_site_validates_against_the_official_schema() {
    // The JSON report and the SARIF log of one audit.
    let all = broken_all().await;
    let report = all.json();
    assert_eq!(
        all.out.status.code(),
        Some(1),
        "the gate decides the exit code"
    );
    let sarif: Value = serde_json::from_str(all.file("sarif")).expect("SARIF is JSON");
    assert_sarif_valid(&sarif);
    assert_eq!(sarif["version"], "2.1.0");
    let run0 = &sarif["runs"][0];
    let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run0["results"].as_array().unwrap();
    // One rule per finding id, each with help from the catalogue.
    let mut rule_ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let n = rule_ids.len();
    rule_ids.sort();
    rule_ids.dedup();
    assert_eq!(rule_ids.len(), n, "rule ids are unique");
    let mut finding_ids = ids(&report);
    finding_ids.sort();
    finding_ids.dedup();
    assert_eq!(rule_ids, finding_ids);
    let dangling = rules
        .iter()
        .find(|r| r["id"] == "dns.dangling_cname")
        .unwrap();
    assert!(
        dangling["help"]["text"]
            .as_str()
            .unwrap()
            .starts_with("Fix: Delete the CNAME")
    );
    assert!(
        dangling["help"]["text"]
            .as_str()
            .unwrap()
            .contains("owasp.org")
    );
    assert_eq!(dangling["defaultConfiguration"]["level"], "error");
    assert_eq!(dangling["properties"]["security-severity"], "9.5");
    // Results: same count and order as the JSON findings, ruleIndex points at the rule,
    // fingerprints carried over, hosts as logical locations.
    assert_eq!(results.len(), report["findings"].as_array().unwrap().len());
    for (res, f) in results.iter().zip(report["findings"].as_array().unwrap()) {
        assert_eq!(res["ruleId"], f["id"]);
        let idx = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[idx]["id"], f["id"]);
        assert_eq!(
            res["partialFingerprints"]["launchready/v1"],
            f["fingerprint"]
        );
        let level = match f["severity"].as_str().unwrap() {
            "critical" | "high" => "error",
            "medium" => "warning",
            _ => "note",
        };
        assert_eq!(res["level"], level);
    }
    let apex = results
        .iter()
        .find(|r| r["ruleId"] == "dns.apex_unresolved")
        .unwrap();
    assert_eq!(
        apex["locations"][0]["logicalLocations"][0]["name"],
        "acme-broken.test"
    );
    // GitHub needs a physical location: host findings point at the config file's first line.
    let phys = &apex["locations"][0]["physicalLocation"];
    assert_eq!(phys["artifactLocation"]["uri"], "launchready.toml");
    assert_eq!(phys["region"]["startLine"], 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn junit_from_the_broken_site_parses_and_fails_at_the_gate() {
    let sb = shared_sandbox();
    // The JSON report and the JUnit document of one audit.
    let all = broken_all().await;
    let report = all.json();
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(all.out.status.code(), Some(1));
    let j = parse_junit(all.file("junit"));
    let at_or_above_high = findings
        .iter()
        .filter(|f| f["severity"] == "critical" || f["severity"] == "high")
        .count();
    assert!(at_or_above_high > 0);
    let failures: Vec<_> = j.cases.iter().filter(|c| c.2.is_some()).collect();
    assert_eq!(failures.len(), at_or_above_high);
    assert_eq!(j.declared_failures, at_or_above_high);
    assert_eq!(j.declared_tests, j.cases.len());
    // One case per finding id and subject.
    for f in findings {
        let class = format!("launchready.{}", f["id"].as_str().unwrap());
        assert!(
            j.cases
                .iter()
                .any(|c| c.0 == class && c.1 == f["subject"].as_str().unwrap()),
            "no testcase for {f}"
        );
    }
    let apex = j
        .cases
        .iter()
        .find(|c| c.0 == "launchready.dns.apex_unresolved")
        .unwrap();
    assert_eq!(
        apex.2.as_deref(),
        Some("acme-broken.test has no address: the site cannot be reached")
    );
    // A suite per check that exists; medium findings pass under the default gate.
    assert_eq!(j.suites, report["checks"].as_array().unwrap().len());
    assert!(
        j.cases
            .iter()
            .any(|c| c.0 == "launchready.handover.no_owner" && c.2.is_none())
    );

    // --fail-on medium turns the medium ones into failures; never turns all off. DNS and
    // handover are enough: they have critical, high and medium findings.
    let gated = |fail_on: &'static str| {
        run_also(
            audit_args(
                sb,
                &sb.broken_config(),
                &[
                    "--only",
                    "dns,handover",
                    "--format",
                    "junit",
                    "--fail-on",
                    fail_on,
                ],
            ),
            loaded_machine_timeouts(),
            &["json"],
        )
    };
    let (medium, never) = tokio::join!(gated("medium"), gated("never"));
    let j = parse_junit(&text(&medium.out));
    let own: Value = serde_json::from_str(medium.file("json")).unwrap();
    let by_severity = |sevs: &[&str]| {
        own["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| sevs.contains(&f["severity"].as_str().unwrap()))
            .count()
    };
    let medium_up = by_severity(&["critical", "high", "medium"]);
    assert!(by_severity(&["medium"]) > 0 && medium_up > by_severity(&["medium"]));
    assert_eq!(j.cases.iter().filter(|c| c.2.is_some()).count(), medium_up);
    assert_eq!(medium.out.status.code(), Some(1));
    assert_eq!(never.out.status.code(), Some(0));
    let j = parse_junit(&text(&never.out));
    assert!(!j.cases.is_empty());
    assert_eq!(j.declared_failures, 0);
    assert!(j.cases.iter().all(|c| c.2.is_none()));
}

/// Headings, tables, task-list items and links of a Markdown document, parsed as GFM.
fn markdown_outline(md: &str) -> (Vec<String>, usize, Vec<bool>) {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let opts = Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS | Options::ENABLE_STRIKETHROUGH;
    let mut headings = Vec::new();
    let mut tables = 0;
    let mut tasks = Vec::new();
    let mut in_heading = false;
    for ev in Parser::new_ext(md, opts) {
        match ev {
            Event::Start(Tag::Heading { .. }) => {
                in_heading = true;
                headings.push(String::new());
            }
            Event::End(TagEnd::Heading(_)) => in_heading = false,
            Event::Text(t) | Event::Code(t) if in_heading => {
                headings.last_mut().unwrap().push_str(&t)
            }
            Event::Start(Tag::Table(_)) => tables += 1,
            Event::TaskListMarker(done) => tasks.push(done),
            Event::Html(h) | Event::InlineHtml(h) => {
                assert!(
                    ["<br>", "<sub>", "</sub>", "<code>", "</code>"]
                        .iter()
                        .any(|ok| h.contains(ok)),
                    "unexpected HTML in the pack: {h}"
                );
            }
            _ => {}
        }
    }
    (headings, tables, tasks)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn markdown_pack_from_the_broken_site_parses_into_its_sections() {
    let own = sandbox().await;
    // The JSON report and the Markdown pack of one audit.
    let all = broken_all().await;
    let report = all.json();
    let must = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["bucket"] == "must_fix_now")
        .count();
    let md = all.file("markdown").to_string();
    let (headings, tables, tasks) = markdown_outline(&md);
    let must_heading = format!("Must fix now ({must})");
    let mut expected = vec![
        "Launch readiness: acme-broken.test",
        "Top risks",
        "Plan of work",
        must_heading.as_str(),
        "Evidence",
        "Measurements",
        "DNS map",
        "Handover checklist",
    ];
    // Sections of the measurements other checks recorded, when they did.
    let m = &report["measurements"];
    if !m["endpoints"].as_array().unwrap().is_empty() {
        expected.push("Latency");
    }
    if m.get("email").is_some() {
        expected.push("Email authentication");
    }
    if m.get("tls").is_some() {
        expected.push("Certificates and TLS");
    }
    for h in expected {
        assert!(
            headings.iter().any(|x| x.starts_with(h)),
            "missing heading {h}: {headings:?}"
        );
    }
    // Severity counts, three buckets, checks run, the DNS map.
    assert!(tables >= 5, "{tables} tables\n{md}");
    assert!(md.contains("**Verdict: ⛔ NO-GO**"));
    assert!(
        md.contains("| app.acme-broken.test | gone.acme-broken.test | — | — |"),
        "{md}"
    );
    // Nothing ticked on the broken site: 5 owners, rollback, monitor, blockers, secrets.
    assert_eq!(tasks.len(), 9);
    assert!(tasks.iter().all(|t| !t));

    let healthy = run_also(
        audit_args(&own, &own.healthy_config(), &["--format", "markdown"]),
        vec![],
        &["json"],
    )
    .await;
    assert_eq!(healthy.out.status.code(), Some(0));
    let md = text(&healthy.out);
    let (headings, _, tasks) = markdown_outline(&md);
    assert!(md.contains("**Verdict: ✅ GO**"));
    assert!(headings.iter().any(|h| h == "Must fix now (0)"));
    // Owners, rollback, monitor and blockers ticked; the secrets box follows the secrets check.
    let own_json: Value = serde_json::from_str(healthy.file("json")).unwrap();
    let secrets_ok = own_json["checks"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["check"] == "secrets" && c["status"] == "ok");
    assert_eq!(
        tasks,
        [true, true, true, true, true, true, true, true, secrets_ok]
    );
    assert!(md.contains("owner: ops\\@acme-good.test"), "{md}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn github_actions_gets_annotations_on_stderr() {
    let sb = shared_sandbox();
    // The shared audit runs with GITHUB_ACTIONS=true.
    let all = broken_all().await;
    let r = all.json(); // stdout stays a clean report
    let err = all.stderr();
    let lines: Vec<&str> = err.lines().filter(|l| l.starts_with("::")).collect();
    let total = r["findings"].as_array().unwrap().len();
    assert!(total > 30, "the broken site has many findings: {total}");
    // The top findings of each severity, at most 10 of each type, and one summary notice.
    for command in ["::error ", "::warning ", "::notice "] {
        let n = lines.iter().filter(|l| l.starts_with(command)).count();
        assert!((1..=10).contains(&n), "{n} {command}lines:\n{err}");
    }
    for sev in ["critical", "high", "medium", "low", "info"] {
        let n = lines
            .iter()
            .filter(|l| l.contains(&format!(" ({sev}) ")))
            .count();
        assert!(n <= 4, "{n} {sev} annotations:\n{err}");
    }
    let summary: Vec<&&str> = lines
        .iter()
        .filter(|l| l.starts_with("::notice title=launchready acme-broken.test::"))
        .collect();
    assert_eq!(summary.len(), 1, "{err}");
    assert!(
        summary[0].contains("NO-GO score")
            && summary[0].contains(&format!(
                "{} of {total} findings are annotated",
                lines.len() - 1
            )),
        "{}",
        summary[0]
    );
    assert!(
        lines.iter().any(|l| l
            .starts_with("::error title=dns.dangling_cname (critical) app.acme-broken.test::#1 ")),
        "{err}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("::warning title=") && l.contains(" (medium) ")),
        "{err}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("::notice title=") && l.contains(" (low) ")),
        "{err}"
    );
    assert!(lines.iter().all(|l| !l.contains('\r')));
    // Not in Actions: none (DNS alone has critical findings to annotate). With -q: none
    // either (ux::verbose_prints_each_check_and_quiet_prints_only_the_report).
    let plain = run(
        audit_args(
            sb,
            &sb.broken_config(),
            &["--only", "dns", "--format", "json"],
        ),
        loaded_machine_timeouts(),
    )
    .await;
    assert!(!with_id(&json(&plain), "dns.dangling_cname").is_empty());
    assert!(!String::from_utf8_lossy(&plain.stderr).contains("::"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_speaks_every_format() {
    let demo = demo_all().await;
    assert_eq!(demo.out.status.code(), Some(0), "{}", demo.stderr());
    // stdout and the --also file are one rendering.
    assert_eq!(String::from_utf8_lossy(&demo.out.stdout), demo.file("json"));
    let sarif: Value = serde_json::from_str(demo.file("sarif")).unwrap();
    assert_sarif_valid(&sarif);
    assert_eq!(sarif["runs"].as_array().unwrap().len(), 2);
    assert_eq!(sarif["runs"][0]["properties"]["verdict"], "no-go");
    assert_eq!(sarif["runs"][1]["properties"]["verdict"], "go");
    assert_eq!(sarif["runs"][1]["results"].as_array().unwrap().len(), 0);

    let j = parse_junit(demo.file("junit"));
    assert!(j.declared_failures > 0);
    assert!(j.cases.iter().any(|c| c.1 == "acme-broken.test"));

    let md = demo.file("markdown");
    assert_eq!(
        md.matches("\n# Launch readiness").count()
            + usize::from(md.starts_with("# Launch readiness")),
        2
    );
    assert!(md.contains("*sandbox: the healthy site*"));
}

/// A report with every severity, hostile text, a non-ASCII subject, a file-based finding and
/// a secret that should have been redacted by the check but leaked into a field.
fn fixture(planted: &str) -> Report {
    let finding = |rank: usize, id: &str, check: &str, sev: &str, subject: &str, evidence: &str| {
        let bucket = match sev {
            "critical" | "high" => "must_fix_now",
            "medium" => "fix_before_scale",
            _ => "fix_later",
        };
        json!({"rank": rank, "id": id, "check": check, "severity": sev, "impact": "data_exposure",
               "bucket": bucket, "subject": subject, "title": format!("title of {id} <b>&\"'|*"),
               "evidence": evidence, "fix": "Rotate it: `launchready explain x`.", "refs": ["https://example.test/a_b"],
               "fingerprint": format!("{rank:016x}")})
    };
    let v = json!({
        "schema_version": 1,
        "tool": {"name": "launchready", "version": "0.1.0"},
        "target": "acme.example",
        "started_at": "2026-01-31T09:05:12Z",
        "duration_ms": 1234,
        "verdict": "no-go",
        "score": 40,
        "summary": {"critical": 1, "high": 1, "medium": 1, "low": 1, "info": 1},
        "ignored": 0,
        "checks": [{"check": "dns", "status": "findings", "duration_ms": 5},
                   {"check": "secrets", "status": "findings", "duration_ms": 7}],
        "findings": [
            finding(1, "secret.openai_key", "secrets", "critical", "src/app.ts:12",
                    &format!("OpenAI key {} in src/app.ts; leaked raw: {planted}", launchready::redact::redact(planted))),
            finding(2, "dns.dangling_cname", "dns", "high", "bücher.acme.example", "CNAME -> gone\u{7}\nline2 ]]> </failure>"),
            finding(3, "handover.no_owner", "handover", "medium", "owners.dns", &format!("url ?key={planted}")),
            finding(4, "dns.no_caa", "dns", "low", "acme.example", "no CAA %0A:,"),
            finding(5, "dns.no_ipv6", "dns", "info", "acme.example", "no AAAA"),
        ],
        "measurements": {"endpoints": [{"name": "chat", "samples": 30, "p50_ms": 10, "p95_ms": 20,
                          "p99_ms": 30, "first_byte_p95_ms": 5, "error_rate": 0.0, "url": format!("https://api.acme.example/chat?key={planted}")}],
                         "dns": {"hosts": [{"host": "acme.example", "a": ["127.0.0.1"]}]}},
    });
    serde_json::from_value(v).expect("fixture is a valid report")
}

#[test]
fn every_format_scrubs_planted_secrets_and_stays_valid() {
    use clap::ValueEnum;
    // Characters that JSON and XML escape, so a scrubber working on rendered text would miss it.
    let planted = "sk-LIVE&<\"planted\">-9f8e7d6c5b4a";
    let report = fixture(planted);
    let secrets = vec![Secret::new(planted.to_string())];
    let one = [Labeled {
        label: None,
        report: &report,
    }];
    for format in Format::value_variants() {
        let bytes =
            launchready::render_report(&one, *format, RenderOptions::default(), &secrets).unwrap();
        let out = String::from_utf8(bytes).unwrap();
        for needle in [
            planted,
            "planted",
            "9f8e7d6c5b4a",
            "sk-LIVE&amp;",
            "sk-LIVE\\u0026",
            "sk-LIVE&\\u003c",
        ] {
            assert!(!out.contains(needle), "{format:?} leaks {needle}:\n{out}");
        }
        match format {
            Format::Sarif => {
                let v: Value = serde_json::from_str(&out).unwrap();
                assert_sarif_valid(&v);
                let res = &v["runs"][0]["results"][0];
                let phys = &res["locations"][0]["physicalLocation"];
                assert_eq!(phys["artifactLocation"]["uri"], "src/app.ts");
                assert_eq!(phys["region"]["startLine"], 12);
                let host = &v["runs"][0]["results"][1]["locations"][0]["logicalLocations"][0];
                assert_eq!(host["name"], "bücher.acme.example");
            }
            Format::Junit => {
                let j = parse_junit(&out);
                assert_eq!(j.cases.len(), 5);
                // Default gate (high): the critical and the high fail.
                assert_eq!(j.cases.iter().filter(|c| c.2.is_some()).count(), 2);
                let secret = j
                    .cases
                    .iter()
                    .find(|c| c.0 == "launchready.secret.openai_key")
                    .unwrap();
                assert_eq!(secret.1, "src/app.ts:12");
                assert_eq!(
                    secret.2.as_deref(),
                    Some("title of secret.openai_key <b>&\"'|*")
                );
                assert!(j.cases.iter().any(|c| c.1 == "bücher.acme.example"));
            }
            Format::Markdown => {
                let (headings, _, _) = markdown_outline(&out);
                assert!(headings.iter().any(|h| h == "Latency"));
                assert!(!out.contains("<b>"), "HTML from evidence is escaped");
                assert!(out.contains("| 1 | 🔴 critical | title of secret.openai\\_key \\<b\\>\\&\"'\\|\\*<br>`secret.openai_key` | `src/app.ts:12` |"), "{out}");
            }
            Format::Json => {
                let v: Value = serde_json::from_str(&out).unwrap();
                assert_eq!(v["findings"].as_array().unwrap().len(), 5);
            }
            Format::Table => assert!(out.contains("NO-GO")),
            Format::Html => {
                assert!(out.starts_with("<!DOCTYPE html>"));
                assert!(out.contains("NO-GO"));
                assert!(
                    out.contains("title of secret.openai_key &lt;b&gt;&amp;&quot;&#39;|*"),
                    "{out}"
                );
                assert!(!out.contains("<b>&"), "markup from the report is escaped");
                assert!(out.contains("CNAME -&gt; gone\\x07\nline2 ]]&gt;"), "{out}");
                assert!(out.contains("class=\"chart histogram\""));
            }
        }
    }
    // The annotations get the same scrubbed report in `audit`; their escaping holds too.
    let text = launchready::report::github::annotations(&report.scrubbed(&secrets).unwrap(), None);
    assert!(!text.contains(planted) && !text.contains("planted"));
    assert!(text.contains("::notice title=dns.no_caa (low) acme.example::#4 "));
    assert!(text.contains("no CAA %250A:,"), "{text}");
    // A control character is shown as an escape, a line feed cannot start a new command.
    assert!(text.contains("CNAME -> gone\\x07%0Aline2"), "{text}");
}
