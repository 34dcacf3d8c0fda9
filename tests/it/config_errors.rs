//! Config errors: exit 2, and the message names the file, the line:column and the key.

fn bin() -> assert_cmd::Command {
    let mut c = assert_cmd::cargo::cargo_bin_cmd!("launchready");
    c.env("NO_COLOR", "1");
    c
}

fn fails_with(fixture: &str, needles: &[&str]) {
    let path = format!("fixtures/configs/{fixture}");
    let out = bin()
        .args(["audit", "--config", &path, "--no-progress"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{fixture}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&path), "{fixture}: path missing in {err}");
    for n in needles {
        assert!(err.contains(n), "{fixture}: `{n}` missing in {err}");
    }
    assert!(
        out.stdout.is_empty(),
        "nothing is reported when the config is bad"
    );
}

#[test]
fn unknown_key_names_line_column_and_key() {
    fails_with(
        "invalid-key.toml",
        &[
            "invalid-key.toml:4:1",
            "unknown key `domian`: did you mean `domain`?",
        ],
    );
}

#[test]
fn wrong_type_names_the_key() {
    fails_with(
        "invalid-type.toml",
        &[
            "invalid-type.toml:4:13",
            "target.http_port",
            "expected an integer, found the string",
        ],
    );
}

#[test]
fn bad_domain() {
    fails_with(
        "invalid-domain.toml",
        &[
            "invalid-domain.toml:2:10",
            "target.domain",
            "looks like a URL",
        ],
    );
}

#[test]
fn bad_url() {
    fails_with(
        "invalid-url.toml",
        &["invalid-url.toml:6:7", "endpoints.url", "not a valid URL"],
    );
}

#[test]
fn out_of_range() {
    fails_with(
        "invalid-range.toml",
        &[
            "invalid-range.toml:5:18",
            "tls.min_days_valid",
            "out of range",
        ],
    );
    fails_with(
        "invalid-port.toml",
        &["invalid-port.toml:3:14", "target.https_port", "1..=65535"],
    );
}

#[test]
fn missing_target() {
    fails_with("missing-target.toml", &["missing table [target]"]);
}

#[test]
fn missing_file() {
    let out = bin()
        .args(["audit", "--config", "fixtures/configs/nope.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no config file at fixtures/configs/nope.toml")
            && err.contains("`launchready init > fixtures/configs/nope.toml`"),
        "{err}"
    );
    // No config in the current directory: the default path, and how to make one.
    let empty = tempfile::tempdir().unwrap();
    let out = bin()
        .args(["audit", "--no-progress"])
        .current_dir(empty.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no config file at launchready.toml")
            && err.contains("launchready init > launchready.toml"),
        "{err}"
    );
}

#[test]
fn a_list_written_as_a_table_says_how_to_write_it() {
    fails_with(
        "invalid-endpoints-table.toml",
        &[
            "invalid-endpoints-table.toml:4:1",
            "`[endpoints]` must be written `[[endpoints]]`",
        ],
    );
}

#[test]
fn example_config_parses_and_has_every_section() {
    let text = std::fs::read_to_string("checks.example.toml").unwrap();
    let cfg = launchready::config::parse(
        &text,
        std::path::Path::new("checks.example.toml"),
        &|name| {
            Some(if name == "LAUNCHREADY_CHAT_CANARY" {
                "LR-CANARY-example-1234".into()
            } else {
                "tok".into()
            })
        },
    )
    .unwrap();
    assert_eq!(cfg.target.domain, "acme.example");
    assert_eq!(cfg.target.subdomains.len(), 3);
    assert_eq!(cfg.endpoints.len(), 1);
    assert_eq!(cfg.endpoints[0].first_byte_ms, 2000);
    assert_eq!(cfg.dns.expect.len(), 1);
    assert_eq!(cfg.gate.ignore, vec!["dns.no_caa".to_string()]);
    assert_eq!(cfg.flows.len(), 1);
    assert_eq!(cfg.flows[0].steps.len(), 2);
    // The expanded token and the canary are remembered for scrubbing and are not printable
    // through Debug.
    assert_eq!(cfg.secret_values.len(), 2);
    assert!(!format!("{cfg:?}").contains("LR-CANARY-example"));
    let ai = cfg.ai.as_ref().expect("[ai]");
    assert_eq!(
        (ai.endpoint.as_str(), ai.max_requests, ai.evals.len()),
        ("chat", 40, 1)
    );
    assert!(!format!("{cfg:?}").contains("Bearer tok"));
    // Every key of the raw structs appears in the example (documentation stays complete).
    for key in [
        "name",
        "domain",
        "canonical",
        "subdomains",
        "http_port",
        "https_port",
        "pages",
        "auth_paths",
        "expect",
        "min_days_valid",
        "dkim_selectors",
        "paths",
        "history",
        "build_dirs",
        "exclude",
        "allow",
        "max_file_bytes",
        "rules_file",
        "url",
        "method",
        "headers",
        "body",
        "kind",
        "samples",
        "concurrency",
        "p95_ms",
        "first_byte_ms",
        "timeout_ms",
        "probe_rate_limit",
        "burst",
        "fail_on",
        "ignore",
        "owners",
        "rollback_doc",
        "uptime_monitor",
        "json",
        "form",
        "expect",
        "capture",
        "endpoint",
        "reply",
        "canary",
        "max_requests",
        "long_input_chars",
        "message",
        "expect_contains",
        "expect_not_contains",
        "expect_regex",
        "max_ms",
    ] {
        assert!(
            text.contains(&format!("{key} =")) || text.contains(&format!("# {key} =")),
            "{key} undocumented"
        );
    }
}

#[test]
fn unknown_ignore_entry_is_rejected() {
    fails_with(
        "invalid-ignore.toml",
        &["invalid-ignore.toml:5:11", "gate.ignore", "dns.no_caaa"],
    );
}

#[test]
fn flow_errors_name_file_line_and_key() {
    fails_with(
        "invalid-flow-capture.toml",
        &[
            "invalid-flow-capture.toml:10:21",
            "flows.steps.capture",
            "unknown capture kind `xpath`",
        ],
    );
    fails_with(
        "invalid-flow-var.toml",
        &[
            "invalid-flow-var.toml:9:29",
            "flows.steps.headers",
            "`{{token}}` is used before it is captured",
            "captured only by step `signup`, which runs later",
        ],
    );
    fails_with(
        "invalid-flow-no-url.toml",
        &[
            "invalid-flow-no-url.toml:7:8",
            "flows.steps.url",
            "step `login` has no `url`",
        ],
    );
}
