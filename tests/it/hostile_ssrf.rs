//! A hostile target that tries to turn the auditor against its own network: redirects to the
//! cloud metadata address and to a private address, configured subdomains whose DNS answers are
//! link-local or the AWS IPv6 metadata address. Real DNS and HTTP servers on loopback; a dial
//! observer records every address launchready is about to connect to, and the test fails if any
//! of them is not loopback: no packet is ever sent to the refused addresses.

use launchready::egress::{AddrClass, DialObserver, classify};
use launchready::model::CheckName;
use launchready::net::NetOptions;
use launchready::sandbox::dns::{ZoneText, start};
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Plain HTTP on loopback: answers by Host header.
async fn hostile_web() -> u16 {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = l.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = l.accept().await {
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 1024];
                while !buf.windows(4).any(|w| w == b"\r\n\r\n") && buf.len() < 16384 {
                    match s.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    }
                }
                let head = String::from_utf8_lossy(&buf).to_ascii_lowercase();
                let host = head
                    .lines()
                    .find_map(|l| l.strip_prefix("host:"))
                    .map(|h| h.trim().split(':').next().unwrap_or("").to_string())
                    .unwrap_or_default();
                let resp = match host.as_str() {
                    "ssrf.test" => "HTTP/1.1 301 Moved Permanently\r\nLocation: http://169.254.169.254/latest/meta-data/iam/security-credentials/\r\nContent-Length: 0\r\n\r\n".to_string(),
                    "www.ssrf.test" => format!("HTTP/1.1 302 Found\r\nLocation: http://inner.ssrf.test:{port}/admin\r\nContent-Length: 0\r\n\r\n"),
                    "app.ssrf.test" => "HTTP/1.1 302 Found\r\nLocation: http://[fd00:ec2::254]/latest/api/token\r\nContent-Length: 0\r\n\r\n".to_string(),
                    _ => "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".to_string(),
                };
                let _ = s.write_all(resp.as_bytes()).await;
            });
        }
    });
    port
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metadata_link_local_and_private_addresses_are_never_dialled() {
    let zone = ZoneText {
        origin: "ssrf.test".into(),
        records: "@ NS ns1\nns1 A 127.0.0.1\n@ A 127.0.0.1\nwww A 127.0.0.1\napp A 127.0.0.1\n\
                  inner A 10.1.2.3\nmeta A 169.254.169.254\nv6 AAAA fd00:ec2::254\n"
            .into(),
    };
    let dns = start(&[zone]).await.unwrap();
    let http_port = hostile_web().await;
    // A closed https port: TLS probes reach loopback and are refused by the OS, not the guard.
    let https_port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("launchready.toml");
    let text = format!(
        "[target]\ndomain = \"ssrf.test\"\nsubdomains = [\"app\", \"meta\", \"v6\"]\n\
         http_port = {http_port}\nhttps_port = {https_port}\n"
    );
    let cfg = launchready::config::parse(&text, &path, &|_| None).unwrap();

    let dialled: Arc<Mutex<Vec<IpAddr>>> = Arc::default();
    let seen = dialled.clone();
    let opts = launchready::AuditOptions {
        checks: vec![CheckName::Http, CheckName::Tls],
        net: NetOptions {
            dns_servers: vec![dns],
            observer: Some(DialObserver(Arc::new(move |ip| {
                seen.lock().unwrap().push(ip)
            }))),
            ..NetOptions::default()
        },
        timeout: Duration::from_secs(60),
        fail_on: None,
        progress: false,
        verbose: false,
        baseline: None,
        allow_incomplete: false,
        quiet: true,
        env: launchready::EnvSource::Process,
    };
    let (report, _) = launchready::audit_config(cfg, &opts).await.unwrap();
    let r = serde_json::to_value(&report).unwrap();

    let dialled = dialled.lock().unwrap().clone();
    assert!(
        dialled.contains(&"127.0.0.1".parse().unwrap()),
        "the observer sees the dials: {dialled:?}"
    );
    for ip in &dialled {
        assert_eq!(
            classify(*ip),
            AddrClass::Loopback,
            "dialled {ip}, which is not the target's loopback: {dialled:?}"
        );
    }

    let evidence: Vec<String> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| format!("{} {} {}", f["id"], f["subject"], f["evidence"]))
        .collect();
    let all = evidence.join("\n");
    let has = |needles: &[&str]| {
        evidence
            .iter()
            .any(|e| needles.iter().all(|n| e.contains(n)))
    };
    // The refused hops are evidence, with the address and its class.
    assert!(
        has(&["http.unreachable", "169.254.169.254", "refused", "metadata"]),
        "{all}"
    );
    assert!(
        has(&["inner.ssrf.test", "10.1.2.3", "refused", "private"]),
        "{all}"
    );
    assert!(has(&["fd00:ec2::254", "refused"]), "{all}");
    assert!(
        has(&["meta.ssrf.test", "169.254.169.254", "refused"]),
        "{all}"
    );
    assert!(has(&["v6.ssrf.test", "fd00:ec2::254", "refused"]), "{all}");
    // The TLS probes of the link-local subdomains were refused, not reported as missing TLS.
    assert!(
        !evidence
            .iter()
            .any(|e| e.contains("tls.no_https") && e.contains("meta.ssrf.test")),
        "{all}"
    );
    let tls = &r["measurements"]["tls"];
    assert!(
        tls.to_string().contains("refused"),
        "the TLS measurements say the probe was refused: {tls:#}"
    );
}

/// The platform-TLS client (the fallback for servers rustls cannot talk to: CBC, static-RSA or
/// DHE only) decides every connection exactly like the rustls client: the same resolver hook
/// and the same connector layer. Positive control first: rustls cannot talk to the sandbox's
/// CBC-only site and the fallback loads it (so the client under test is the one the audit
/// uses, and the observer sees its dials). Then names answering link-local, metadata and
/// private addresses, and IP literals of those classes, are refused before any dial.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_platform_tls_fallback_never_dials_refused_addresses() {
    let sb = crate::common::sandbox().await;
    let zones = [
        ZoneText {
            origin: launchready::sandbox::tls::LEGACY_SITE.into(),
            records: "@ NS ns1\nns1 A 127.0.0.1\n@ A 127.0.0.1\n".into(),
        },
        ZoneText {
            origin: "fallback.test".into(),
            records: "@ NS ns1\nns1 A 127.0.0.1\nmeta A 169.254.169.254\nll A 169.254.10.20\n\
                      ll6 AAAA fe80::1\nv6meta AAAA fd00:ec2::254\ninner A 10.1.2.3\n"
                .into(),
        },
    ];
    let dns = start(&zones).await.unwrap();
    let dialled: Arc<Mutex<Vec<IpAddr>>> = Arc::default();
    let seen = dialled.clone();
    let net = launchready::net::Net::new(&NetOptions {
        dns_servers: vec![dns],
        extra_roots: launchready::net::read_ca_file(&sb.ca_path()).unwrap(),
        observer: Some(DialObserver(Arc::new(move |ip| {
            seen.lock().unwrap().push(ip)
        }))),
        ..NetOptions::default()
    })
    .unwrap();
    // The configured target lives on loopback: loopback is allowed, nothing else is.
    net.learn_configured(
        &[launchready::sandbox::tls::LEGACY_SITE.to_string()],
        Duration::from_secs(10),
    )
    .await;

    let port = sb.https_port;
    let site = format!("https://{}:{port}/", launchready::sandbox::tls::LEGACY_SITE);
    let e = net.http.get(&site).send().await.unwrap_err();
    assert!(
        launchready::net::is_tls_incompatible(&e),
        "rustls cannot talk to the CBC-only site: {e:?}"
    );
    let resp = net.legacy_http.get(&site).send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    assert!(
        dialled
            .lock()
            .unwrap()
            .contains(&"127.0.0.1".parse().unwrap()),
        "the fallback's dials are observed"
    );
    dialled.lock().unwrap().clear();

    let cases = [
        (format!("https://meta.fallback.test:{port}/"), true),
        (format!("https://ll.fallback.test:{port}/"), true),
        (format!("https://ll6.fallback.test:{port}/"), true),
        (format!("https://v6meta.fallback.test:{port}/"), true),
        (format!("https://169.254.169.254:{port}/"), true),
        (format!("https://[fe80::1]:{port}/"), true),
        (format!("https://metadata.google.internal:{port}/"), true),
        (format!("https://inner.fallback.test:{port}/"), false),
        (format!("https://10.1.2.3:{port}/"), false),
    ];
    for (url, never) in &cases {
        let e = net.legacy_http.get(url).send().await.unwrap_err();
        let r = launchready::egress::refusal(&e)
            .unwrap_or_else(|| panic!("{url}: not refused by the guard: {e:?}"));
        assert_eq!(r.class.is_never(), *never, "{url}: {r}");
    }
    // The fetcher the http check uses: the refusal is the cause, with or without the fallback.
    let fetcher =
        launchready::Fetcher::new(net.http.clone(), Duration::from_secs(10), net.body_cap)
            .with_fallback(net.legacy_http.clone());
    let err = fetcher
        .get(
            &url::Url::parse(&format!("https://ll.fallback.test:{port}/")).unwrap(),
            &[],
        )
        .await
        .unwrap_err();
    assert!(
        err.contains("169.254.10.20") && err.contains("refused"),
        "{err}"
    );

    let dialled = dialled.lock().unwrap().clone();
    assert!(
        dialled.is_empty(),
        "refused addresses were dialled: {dialled:?}"
    );
}
