//! `tls.*` through the binary over real sockets: every certificate case of the broken site, none
//! on the healthy site, a silent server, and TLS 1.0 against a real `openssl s_server`.

use crate::common::*;
use std::time::{Duration, Instant};

fn severity<'a>(r: &'a serde_json::Value, id: &str, host: &str) -> &'a str {
    let f: &'a serde_json::Value = with_id(r, id)
        .into_iter()
        .find(|f| {
            f["subject"]
                .as_str()
                .unwrap()
                .starts_with(&format!("{host}:"))
        })
        .unwrap_or_else(|| panic!("{id} on {host} missing"));
    f["severity"].as_str().unwrap()
}

fn evidence<'a>(r: &'a serde_json::Value, id: &str, host: &str) -> &'a str {
    let fs = with_id(r, id);
    let f = fs
        .iter()
        .find(|f| {
            f["subject"]
                .as_str()
                .unwrap()
                .starts_with(&format!("{host}:"))
        })
        .unwrap_or_else(|| panic!("{id} on {host} missing: {fs:?}"));
    f["evidence"].as_str().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn broken_site_fires_every_certificate_id_on_its_case() {
    let sb = sandbox().await;
    let out = run(
        audit_args(
            &sb,
            &sb.broken_config(),
            &["--only", "tls", "--format", "json"],
        ),
        vec![],
    )
    .await;
    assert_eq!(out.status.code(), Some(1), "gate fails");
    let r = json(&out);
    let port = sb.https_port;
    let expect = [
        ("tls.cert_expired", "expired.acme-broken.test"),
        ("tls.cert_expiring", "expiring.acme-broken.test"),
        ("tls.hostname_mismatch", "wronghost.acme-broken.test"),
        ("tls.untrusted_chain", "selfsigned.acme-broken.test"),
        ("tls.incomplete_chain", "nochain.acme-broken.test"),
        ("tls.weak_key", "weakkey.acme-broken.test"),
        ("tls.not_yet_valid", "notyet.acme-broken.test"),
        ("tls.weak_signature", "sha1.acme-broken.test"),
        ("tls.incomplete_chain", "aia.acme-broken.test"),
        ("tls.incomplete_chain", "noissuer.acme-broken.test"),
        ("tls.manual_renewal", "manual.acme-broken.test"),
        ("dns.caa_blocks_issuer", "caa.acme-broken.test"),
        ("tls.weak_cipher_suites", "cbc.acme-broken.test"),
        ("tls.weak_cipher_suites", "dhe.acme-broken.test"),
        ("tls.weak_key", "rsa512.acme-broken.test"),
        ("tls.browser_incompatible", "p521.acme-broken.test"),
        ("tls.browser_incompatible", "p521tls13.acme-broken.test"),
        ("tls.browser_incompatible", "ed25519.acme-broken.test"),
        ("tls.client_cert_required", "mtls.acme-broken.test"),
        ("tls.browser_incompatible", "p521kx.acme-broken.test"),
        ("tls.browser_incompatible", "p521kx13.acme-broken.test"),
    ];
    // Exactly one finding per case, on that case's host:port.
    // (The perf check's unreachable endpoint on api2.acme-broken.test:1 is an endpoint host, so
    // it also gets tls.no_https; that case belongs to the perf tests.)
    let got: Vec<(String, String)> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        // (Likewise offline.acme-broken.test, the http check's unreachable host on 127.0.0.2.)
        .filter(|f| {
            let s = f["subject"].as_str().unwrap();
            !s.starts_with("api2.") && !s.starts_with("offline.")
        })
        .map(|f| {
            (
                f["id"].as_str().unwrap().to_string(),
                f["subject"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let mut want: Vec<(String, String)> = expect
        .iter()
        .map(|(id, h)| (id.to_string(), format!("{h}:{port}")))
        .collect();
    let mut got_sorted = got.clone();
    got_sorted.sort();
    want.sort();
    assert_eq!(got_sorted, want, "findings: {got:?}");

    let e = evidence(&r, "tls.cert_expired", "expired.acme-broken.test");
    assert!(e.contains("notAfter 2021-01-01T00:00:00Z"), "{e}");
    assert!(e.contains("TLS 1.3") && e.contains("handshake"), "{e}");
    let e = evidence(&r, "tls.cert_expiring", "expiring.acme-broken.test");
    assert!(e.contains("(10 days left)"), "{e}");
    assert!(e.contains("chain: 3 certificate(s)"), "{e}");
    let e = evidence(&r, "tls.hostname_mismatch", "wronghost.acme-broken.test");
    assert!(e.contains("SANs: other.example, www.other.example"), "{e}");
    let e = evidence(&r, "tls.untrusted_chain", "selfsigned.acme-broken.test");
    assert!(e.contains("self-signed"), "{e}");
    let e = evidence(&r, "tls.incomplete_chain", "nochain.acme-broken.test");
    assert!(e.contains("served by expiring.acme-broken.test"), "{e}");
    assert!(e.contains("chain: 1 certificate(s)"), "{e}");
    let e = evidence(&r, "tls.weak_key", "weakkey.acme-broken.test");
    assert!(e.contains("RSA 1024 bits"), "{e}");
    assert_eq!(
        severity(&r, "tls.weak_key", "weakkey.acme-broken.test"),
        "high"
    );
    let e = evidence(&r, "tls.weak_key", "rsa512.acme-broken.test");
    assert!(e.contains("RSA 512 bits"), "{e}");
    assert_eq!(
        severity(&r, "tls.weak_key", "rsa512.acme-broken.test"),
        "critical"
    );

    // An expired leaf under a re-issued (newer) intermediate: only the expiry, counted in
    // whole days toward zero.
    let f = with_id(&r, "tls.cert_expired");
    let title = f[0]["title"].as_str().unwrap();
    let days = (time::OffsetDateTime::now_utc() - time::macros::datetime!(2021-01-01 00:00 UTC))
        .whole_days();
    assert!(
        title.contains(&format!("expired {days} days ago")),
        "{title}"
    );
    let e = evidence(&r, "tls.not_yet_valid", "notyet.acme-broken.test");
    assert!(e.contains("notBefore"), "{e}");
    let e = evidence(&r, "tls.weak_signature", "sha1.acme-broken.test");
    assert!(
        e.contains("leaf CN=sha1.acme-broken.test is signed with ecdsa-with-SHA1 (SHA-1)"),
        "{e}"
    );
    assert!(e.len() < 800, "no algorithm-id dump: {e}");
    let e = evidence(&r, "tls.incomplete_chain", "aia.acme-broken.test");
    assert!(
        e.contains("fetched from the AIA caIssuers URL http://aia.acme-broken.test:"),
        "{e}"
    );
    let e = evidence(&r, "tls.incomplete_chain", "noissuer.acme-broken.test");
    assert!(
        e.contains("neither served nor self-signed (no AIA caIssuers URL"),
        "{e}"
    );
    let e = evidence(&r, "tls.manual_renewal", "manual.acme-broken.test");
    assert!(
        e.contains("issuer DigiCert") && e.contains("398 days"),
        "{e}"
    );
    let e = evidence(&r, "dns.caa_blocks_issuer", "caa.acme-broken.test");
    assert!(
        e.contains("found at caa.acme-broken.test: issue \"pki.goog\"")
            && e.contains("none names letsencrypt.org"),
        "{e}"
    );
    let e = evidence(&r, "tls.weak_cipher_suites", "cbc.acme-broken.test");
    assert!(
        e.contains("ServerHello with TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA")
            && e.contains("ECDHE with AEAD (GCM/ChaCha20): refused"),
        "{e}"
    );
    assert_eq!(
        severity(&r, "tls.weak_cipher_suites", "cbc.acme-broken.test"),
        "medium"
    );
    let e = evidence(&r, "tls.weak_cipher_suites", "dhe.acme-broken.test");
    assert!(
        e.contains("DHE: accepted (TLS_DHE_RSA_WITH_AES_128_GCM_SHA256)"),
        "{e}"
    );
    assert_eq!(
        severity(&r, "tls.weak_cipher_suites", "dhe.acme-broken.test"),
        "high"
    );
    // A P-521 key: rustls (and Chrome) cannot verify it, OpenSSL and Firefox can. Not
    // "nothing completes a TLS handshake": the chain is read from the TLS 1.2 exchange, judged
    // trusted, and the key named.
    let e = evidence(&r, "tls.browser_incompatible", "p521.acme-broken.test");
    assert!(
        e.contains("has an EC P-521 (521 bits) key: Chrome and Edge offer neither")
            && e.contains("Firefox, Safari and OpenSSL (curl) connect")
            && e.contains("rustls failed too"),
        "{e}"
    );
    assert_eq!(
        severity(&r, "tls.browser_incompatible", "p521.acme-broken.test"),
        "high"
    );
    let m = &r["measurements"]["tls"][format!("p521.acme-broken.test:{port}")];
    assert_eq!(m["trust"], "trusted", "{m}");
    assert!(
        with_id(&r, "tls.no_https")
            .iter()
            .all(|f| { !f["subject"].as_str().unwrap().starts_with("p521.") })
    );
    // The same key on a TLS 1.3-only server: read through an OpenSSL handshake.
    let e = evidence(&r, "tls.browser_incompatible", "p521tls13.acme-broken.test");
    assert!(
        e.contains("has an EC P-521 (521 bits) key")
            && e.contains("read through an OpenSSL handshake")
            && e.contains("TLS 1.3 TLS_AES_"),
        "{e}"
    );
    let m = &r["measurements"]["tls"][format!("p521tls13.acme-broken.test:{port}")];
    assert_eq!(m["trust"], "trusted", "{m}");
    assert_eq!(m["version"], "TLS 1.3", "{m}");
    // An RSA key, but ECDHE only on P-521: the browsers' groups are refused.
    let e = evidence(&r, "tls.browser_incompatible", "p521kx.acme-broken.test");
    assert!(
        e.contains(
            "with x25519, P-256 and P-384 (the groups Chrome, Edge and rustls offer): refused"
        ) && e.contains("ServerHello with TLS_ECDHE_RSA_WITH_AES_"),
        "{e}"
    );
    assert_eq!(
        severity(&r, "tls.browser_incompatible", "p521kx.acme-broken.test"),
        "high"
    );
    let e = evidence(&r, "tls.browser_incompatible", "p521kx13.acme-broken.test");
    assert!(
        e.contains("an OpenSSL handshake offering only the groups Chrome, Edge and rustls offer")
            && e.contains("with OpenSSL's default groups")
            && e.contains("TLS 1.3"),
        "{e}"
    );
    // Ed25519: rustls completes the handshake, no browser would.
    let e = evidence(&r, "tls.browser_incompatible", "ed25519.acme-broken.test");
    assert!(e.contains("has an Ed25519 key: no current browser"), "{e}");
    assert_eq!(
        severity(&r, "tls.browser_incompatible", "ed25519.acme-broken.test"),
        "critical"
    );
    // A server that requires a client certificate: asked for one, ended the connection without.
    let e = evidence(&r, "tls.client_cert_required", "mtls.acme-broken.test");
    assert!(
        e.contains("the server sent a CertificateRequest; without a certificate: received fatal alert: CertificateRequired"),
        "{e}"
    );
    let m = &r["measurements"]["tls"][format!("mtls.acme-broken.test:{port}")];
    assert_eq!(m["client_certificate"], "required", "{m}");
    assert_eq!(m["trust"], "trusted", "{m}");
    // Read from the TLS 1.2 Certificate message: the CBC host's certificate is judged too.
    let m = &r["measurements"]["tls"][format!("cbc.acme-broken.test:{port}")];
    assert_eq!(m["trust"], "trusted", "{m}");
    assert_eq!(m["cipher"], "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "{m}");

    // The rustls sandbox refuses TLS 1.0/1.1: the legacy probe's negative case.
    assert!(with_id(&r, "tls.legacy_protocol").is_empty());

    // Per-host measurements.
    let m = &r["measurements"]["tls"][format!("expiring.acme-broken.test:{port}")];
    assert_eq!(m["days_left"], 10, "{m}");
    assert_eq!(m["version"], "TLS 1.3");
    assert_eq!(m["key"], "EC P-256 (256 bits)");
    assert!(m["cipher"].as_str().unwrap().starts_with("TLS13_"));
    assert!(m["not_after"].as_str().is_some());
    assert_eq!(
        r["measurements"]["tls"][format!("www.acme-broken.test:{port}")]["trust"],
        "trusted"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthy_site_has_no_tls_finding() {
    let sb = sandbox().await;
    let out = run(
        audit_args(
            &sb,
            &sb.healthy_config(),
            &["--only", "tls", "--format", "json"],
        ),
        vec![],
    )
    .await;
    let r = json(&out);
    assert_eq!(ids(&r), Vec::<String>::new());
    assert_eq!(out.status.code(), Some(0));
    let hosts = r["measurements"]["tls"].as_object().unwrap();
    for h in ["acme-good.test", "www.acme-good.test", "app.acme-good.test"] {
        let m = &hosts[&format!("{h}:{}", sb.https_port)];
        assert_eq!(m["trust"], "trusted", "{h}: {m}");
    }
}

/// Without `--ca-file` the sandbox CA is unknown: every host is untrusted, none incomplete.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_ca_is_untrusted_not_incomplete() {
    let sb = sandbox().await;
    let args: Vec<String> = vec![
        "audit".into(),
        "--config".into(),
        sb.healthy_config().display().to_string(),
        "--dns-server".into(),
        sb.dns_arg(),
        "--no-progress".into(),
        "--only".into(),
        "tls".into(),
        "--format".into(),
        "json".into(),
    ];
    let r = json(&run(args, vec![]).await);
    let untrusted = with_id(&r, "tls.untrusted_chain");
    assert!(untrusted.len() >= 4, "{untrusted:?}");
    assert!(with_id(&r, "tls.incomplete_chain").is_empty());
}

/// Writes a config for `acme-broken.test` whose https port is `port` (www resolves to 127.0.0.1).
fn port_config(dir: &std::path::Path, port: u16) -> std::path::PathBuf {
    let p = dir.join("launchready.toml");
    std::fs::write(
        &p,
        format!(
            "[target]\ndomain = \"acme-broken.test\"\ncanonical = \"www\"\nsubdomains = []\nhttps_port = {port}\n"
        ),
    )
    .unwrap();
    p
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn silent_server_gives_no_https_within_the_timeout() {
    let sb = sandbox().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    // Accept and hold every connection without a byte in reply.
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((s, _)) = listener.accept().await {
            held.push(s);
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let cfg = port_config(dir.path(), port);
    let t0 = Instant::now();
    let out = run(
        audit_args(&sb, &cfg, &["--only", "tls", "--format", "json"]),
        vec![],
    )
    .await;
    let took = t0.elapsed();
    let r = json(&out);
    assert!(took < Duration::from_secs(15), "took {took:?}");
    let e = evidence(&r, "tls.no_https", "www.acme-broken.test");
    assert!(e.contains("no TLS handshake completed within 5 s"), "{e}");
    assert_eq!(
        with_id(&r, "tls.no_https")[0]["subject"],
        format!("www.acme-broken.test:{port}")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closed_port_gives_no_https() {
    let sb = sandbox().await;
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let dir = tempfile::tempdir().unwrap();
    let cfg = port_config(dir.path(), port);
    let r = json(
        &run(
            audit_args(&sb, &cfg, &["--only", "tls", "--format", "json"]),
            vec![],
        )
        .await,
    );
    let e = evidence(&r, "tls.no_https", "www.acme-broken.test");
    assert!(e.to_lowercase().contains("refused"), "{e}");
}

/// `openssl s_server -www` on a free loopback port with `extra` arguments, serving a leaf for
/// www.acme-broken.test from its own CA; audits it with `--only tls` (that CA as a second
/// `--ca-file`) and returns the JSON report. `None` when openssl is missing (and CI is not set).
async fn audit_s_server(test: &str, extra: &[&str]) -> Option<serde_json::Value> {
    audit_s_server_with(test, extra, "tls", true).await
}

/// [`audit_s_server`] with the checks to run and whether the server's CA is trusted.
async fn audit_s_server_with(
    test: &str,
    extra: &[&str],
    only: &str,
    trust: bool,
) -> Option<serde_json::Value> {
    let present = std::process::Command::new("openssl")
        .arg("version")
        .output()
        .is_ok();
    if !tool_present(test, "openssl", present) {
        return None;
    }
    let sb = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let mut cap = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    cap.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    let ca = rcgen::CertifiedIssuer::self_signed(cap, rcgen::KeyPair::generate().unwrap()).unwrap();
    let key = rcgen::KeyPair::generate().unwrap();
    let leaf = rcgen::CertificateParams::new(vec!["www.acme-broken.test".to_string()])
        .unwrap()
        .signed_by(&key, &ca)
        .unwrap();
    let (cert_p, key_p, ca_p) = (
        dir.path().join("cert.pem"),
        dir.path().join("key.pem"),
        dir.path().join("ca.pem"),
    );
    std::fs::write(&cert_p, leaf.pem()).unwrap();
    std::fs::write(&key_p, key.serialize_pem()).unwrap();
    std::fs::write(&ca_p, ca.pem()).unwrap();
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let mut server = std::process::Command::new("openssl")
        .args(["s_server", "-accept"])
        .arg(format!("127.0.0.1:{port}"))
        .args(extra)
        .args(["-www", "-cert"])
        .arg(&cert_p)
        .arg("-key")
        .arg(&key_p)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("openssl s_server starts");
    let mut up = false;
    for _ in 0..50 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            up = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let cfg = port_config(dir.path(), port);
    let mut args = audit_args(&sb, &cfg, &["--only", only, "--format", "json"]);
    if trust {
        args.push("--ca-file".into());
        args.push(ca_p.display().to_string());
    }
    let out = if up {
        Some(run(args, vec![]).await)
    } else {
        None
    };
    let _ = server.kill();
    let _ = server.wait();
    let out = out.expect("openssl s_server listened");
    Some(json(&out))
}

/// TLS 1.0 against a real OpenSSL server (the positive case of the legacy probe).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openssl_tls10_server_is_legacy() {
    let test = "openssl_tls10_server_is_legacy";
    let Some(r) = audit_s_server(test, &["-tls1", "-cipher", "ALL:@SECLEVEL=0"]).await else {
        return;
    };
    let e = evidence(&r, "tls.legacy_protocol", "www.acme-broken.test");
    assert!(e.contains("TLS 1.0: accepted (ServerHello TLS 1.0"), "{e}");
    assert!(e.contains("TLS 1.1: refused"), "{e}");
    // -tls1 means no TLS 1.2/1.3: rustls cannot complete a handshake either.
    let e = evidence(&r, "tls.no_https", "www.acme-broken.test");
    assert!(e.contains("TLS 1.0: accepted"), "{e}");
}

/// A CBC-only server (so pages go through the OpenSSL fallback) with an untrusted certificate:
/// OpenSSL's "certificate verify failed" is recognised by its error code as the tls check's
/// to report, so the page is listed as not audited, not `http.unreachable`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn untrusted_certificate_through_the_openssl_fallback_is_left_to_tls() {
    let test = "untrusted_certificate_through_the_openssl_fallback_is_left_to_tls";
    let extra = ["-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA"];
    let Some(r) = audit_s_server_with(test, &extra, "tls,http", false).await else {
        return;
    };
    // The tls check tells the certificate problem (rcgen names issuer and subject alike, so it
    // reads as self-signed).
    assert!(
        !with_id(&r, "tls.untrusted_chain").is_empty(),
        "{:#}",
        r["findings"]
    );
    // (The apex has no address in the sandbox zone: its http.unreachable is its own.)
    assert_not_unreachable(&r, "https://www.");
    let http = check_run(&r, "http");
    let reason = http["reason"].as_str().unwrap_or_default();
    assert!(reason.contains("certificate verify failed"), "{http}");
}

/// Client certificates asked for but optional (`-verify`, OpenSSL's TLS 1.3) are recorded, not
/// reported; required ones (`-Verify`) under TLS 1.2 end the handshake itself and are reported.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_certificate_optional_or_required_on_openssl() {
    let test = "client_certificate_optional_or_required_on_openssl";
    let Some(r) = audit_s_server(test, &["-verify", "1"]).await else {
        return;
    };
    assert!(with_id(&r, "tls.client_cert_required").is_empty(), "{r}");
    let hosts = r["measurements"]["tls"].as_object().unwrap();
    let www = hosts
        .iter()
        .find(|(k, _)| k.starts_with("www.acme-broken.test:"))
        .map(|(_, v)| v)
        .unwrap();
    assert_eq!(www["client_certificate"], "optional", "{www}");
    assert_eq!(www["version"], "TLS 1.3", "{www}");

    let Some(r) = audit_s_server(test, &["-Verify", "1", "-tls1_2"]).await else {
        return;
    };
    let e = evidence(&r, "tls.client_cert_required", "www.acme-broken.test");
    assert!(
        e.contains("without a certificate: received fatal alert: HandshakeFailure"),
        "{e}"
    );
}

/// A whole site that negotiates only TLS 1.2 CBC suites (OpenSSL) is audited like any other:
/// the suites are one medium finding, and the pages, headers, mixed content and exposures are
/// all fetched (through the platform TLS library) instead of `tls.no_https` + `http.unreachable`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cbc_only_site_is_audited_fully() {
    let sb = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("launchready.toml");
    std::fs::write(
        &cfg,
        format!(
            "[target]\ndomain = \"acme-legacy.test\"\ncanonical = \"apex\"\nsubdomains = []\n\
             http_port = {}\nhttps_port = {}\npages = [\"/\"]\n",
            sb.http_port, sb.https_port
        ),
    )
    .unwrap();
    let out = run(
        audit_args(&sb, &cfg, &["--only", "tls,http", "--format", "json"]),
        vec![],
    )
    .await;
    let r = json(&out);
    let got = ids(&r);
    for id in [
        "tls.weak_cipher_suites",
        "headers.no_hsts",
        "http.mixed_content",
        "exposure.env_file",
    ] {
        assert!(got.iter().any(|g| g == id), "{id} missing: {got:?}");
    }
    for id in ["tls.no_https", "http.unreachable", "check.error"] {
        assert!(!got.iter().any(|g| g == id), "{id} present: {got:?}");
    }
    let f = with_id(&r, "tls.weak_cipher_suites");
    assert_eq!(f.len(), 2, "apex and www: {f:?}");
    assert!(f.iter().all(|f| f["severity"] == "medium"));
    let e = with_id(&r, "http.mixed_content")[0]["evidence"]
        .as_str()
        .unwrap();
    assert!(e.contains("http://acme-legacy.test/app.js"), "{e}");
}

/// A 10,000-name certificate (about 300 KB): not "nothing answers TLS" but what happens:
/// rustls stops at 64 KiB, OpenSSL at 100 kB, so no client completes the handshake.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_chain_is_said_as_such() {
    let sb = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("launchready.toml");
    std::fs::write(
        &cfg,
        format!(
            "[target]\ndomain = \"acme-broken.test\"\ncanonical = \"www\"\nsubdomains = [\"bigchain\"]\n\
             http_port = {}\nhttps_port = {}\n",
            sb.http_port, sb.https_port
        ),
    )
    .unwrap();
    let r = json(
        &run(
            audit_args(&sb, &cfg, &["--only", "tls", "--format", "json"]),
            vec![],
        )
        .await,
    );
    let got = ids(&r);
    assert_eq!(got, vec!["tls.chain_too_large".to_string()], "{got:?}");
    let e = evidence(&r, "tls.chain_too_large", "bigchain.acme-broken.test");
    assert!(
        e.contains("the leaf lists 10000 names") && e.contains("HandshakePayloadTooLarge"),
        "{e}"
    );
    assert_eq!(
        severity(&r, "tls.chain_too_large", "bigchain.acme-broken.test"),
        "critical"
    );
    let m = &r["measurements"]["tls"][format!("bigchain.acme-broken.test:{}", sb.https_port)];
    let bytes = m["certificate_bytes"].as_u64().unwrap();
    assert!(bytes > 250_000 && bytes < 350_000, "{m}");
}

/// A DNS relay in front of the sandbox's server that never answers CAA queries (a resolver
/// or middlebox that drops unknown types, seen in the wild).
async fn caa_dropping_dns(upstream: std::net::SocketAddr) -> std::net::SocketAddr {
    let (udp, tcp) = udp_tcp_pair().await.expect("port pair");
    let addr = udp.local_addr().unwrap();
    let udp = std::sync::Arc::new(udp);
    tokio::spawn(async move {
        let mut held = Vec::new();
        let mut buf = [0u8; 4096];
        loop {
            tokio::select! {
                r = udp.recv_from(&mut buf) => {
                    let Ok((n, from)) = r else { break };
                    let q = buf[..n].to_vec();
                    let Some(end) = crate::hostile_web::question_end(&q) else { continue };
                    if q.get(end - 4..end - 2) == Some(&[1, 1]) {
                        continue; // type 257, CAA: never answered
                    }
                    let udp = udp.clone();
                    tokio::spawn(async move {
                        let up = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
                        let _ = up.send_to(&q, upstream).await;
                        let mut b = [0u8; 4096];
                        if let Ok(Ok(m)) =
                            tokio::time::timeout(Duration::from_secs(5), up.recv(&mut b)).await
                        {
                            let _ = udp.send_to(&b[..m], from).await;
                        }
                    });
                }
                c = tcp.accept() => { if let Ok((s, _)) = c { held.push(s); } }
            }
        }
    });
    addr
}

/// CAA records that cannot be read leave renewal unjudged: the check says it did not complete
/// (never a silent GO), and the certificate findings it could make are still there.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreadable_caa_makes_the_check_incomplete() {
    let sb = sandbox().await;
    let dns = caa_dropping_dns(sb.dns).await;
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("launchready.toml");
    std::fs::write(
        &cfg,
        format!(
            "[target]\ndomain = \"acme-broken.test\"\ncanonical = \"www\"\nsubdomains = [\"caa\"]\n\
             http_port = {}\nhttps_port = {}\n",
            sb.http_port, sb.https_port
        ),
    )
    .unwrap();
    let mut args = audit_args(&sb, &cfg, &["--only", "tls", "--format", "json"]);
    let at = args.iter().position(|a| a == "--dns-server").unwrap();
    args[at + 1] = dns.to_string();
    let r = json(&run(args, short_timeouts()).await);
    let tls = r["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == "tls")
        .unwrap();
    assert_eq!(tls["status"], "error", "{tls}");
    assert_eq!(r["complete"], false, "{r:#}");
    assert_ne!(r["verdict"], "go", "{r:#}");
    let e = with_id(&r, "check.error")
        .iter()
        .map(|f| f["evidence"].as_str().unwrap().to_string())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        e.contains("CAA records could not be read") && e.contains("caa.acme-broken.test"),
        "{e}"
    );
    assert!(
        with_id(&r, "dns.caa_blocks_issuer").is_empty(),
        "nothing judged from records never read"
    );
}
