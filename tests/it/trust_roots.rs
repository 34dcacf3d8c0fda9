//! One set of trust anchors for every TLS connection: the HTTP client trusts exactly what the
//! `tls` check trusts (web PKI roots plus `--ca-file`), and neither needs the operating system's
//! CA bundle. A machine without one (a slim CI image) still audits.

use crate::common::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audits_without_a_system_ca_bundle_and_fetches_through_ca_file_roots() {
    let sb = sandbox().await;
    let args = audit_args(
        &sb,
        &sb.healthy_config(),
        &["--only", "http,tls", "--format", "json"],
    );
    // Point every place a system store is looked up at nothing.
    let env = vec![
        (
            "SSL_CERT_FILE".to_string(),
            "/nonexistent/ca.pem".to_string(),
        ),
        ("SSL_CERT_DIR".to_string(), "/nonexistent".to_string()),
    ];
    let out = run(args, env).await;
    assert_ne!(
        out.status.code(),
        Some(3),
        "the audit must run: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r = json(&out);
    for id in [
        "check.error",
        "http.unreachable",
        "tls.untrusted_chain",
        "tls.no_https",
    ] {
        assert!(
            with_id(&r, id).is_empty(),
            "{id} on the healthy site: {:#}",
            r["findings"]
        );
    }
    // The pages were fetched over https with the --ca-file root: their headers were judged.
    let http = check_run(&r, "http");
    assert_ne!(http["status"], "error");
    assert!(
        r["measurements"]["http"].to_string().contains("https://"),
        "{:#}",
        r["measurements"]["http"]
    );
}
