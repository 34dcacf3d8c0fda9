//! Every dns.* id fires on the broken zone and none on the healthy one, through the binary.

use crate::common::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn broken_zone_fires_every_dns_id() {
    let sb = sandbox().await;
    let out = run(
        audit_args(
            &sb,
            &sb.broken_config(),
            &["--only", "dns", "--format", "json"],
        ),
        vec![],
    )
    .await;
    assert_eq!(out.status.code(), Some(1), "gate fails on the broken site");
    let r = json(&out);
    let ids = ids(&r);
    for id in [
        "dns.apex_unresolved",
        "dns.subdomain_unresolved",
        "dns.dangling_cname",
        "dns.single_nameserver",
        "dns.no_caa",
        "dns.record_drift",
        "dns.no_ipv6",
        "dns.no_dnssec",
    ] {
        assert!(ids.contains(&id.to_string()), "{id} missing from {ids:?}");
    }
    assert_eq!(r["verdict"], "no-go");

    // The apex of the broken zone exists (it has NS) but has no address: NOERROR, no data.
    let apex = &with_id(&r, "dns.apex_unresolved")[0];
    assert_eq!(apex["subject"], "acme-broken.test");
    assert!(
        apex["evidence"]
            .as_str()
            .unwrap()
            .contains("NOERROR with no data"),
        "{apex}"
    );

    // app -> gone.acme-broken.test (NXDOMAIN) and status -> deleted GitHub Pages site.
    let dangling = with_id(&r, "dns.dangling_cname");
    let subjects: Vec<_> = dangling
        .iter()
        .map(|f| f["subject"].as_str().unwrap())
        .collect();
    assert!(subjects.contains(&"app.acme-broken.test"), "{subjects:?}");
    assert!(
        subjects.contains(&"status.acme-broken.test"),
        "{subjects:?}"
    );
    let app = dangling
        .iter()
        .find(|f| f["subject"] == "app.acme-broken.test")
        .unwrap();
    assert!(
        app["evidence"].as_str().unwrap().contains("NXDOMAIN"),
        "{app}"
    );
    let status = dangling
        .iter()
        .find(|f| f["subject"] == "status.acme-broken.test")
        .unwrap();
    assert!(
        status["evidence"]
            .as_str()
            .unwrap()
            .contains("There isn't a GitHub Pages site here"),
        "{status}"
    );

    let api = with_id(&r, "dns.subdomain_unresolved");
    assert!(api.iter().any(|f| f["subject"] == "api.acme-broken.test"
        && f["evidence"].as_str().unwrap().contains("NXDOMAIN")));

    let drift = &with_id(&r, "dns.record_drift")[0];
    let ev = drift["evidence"].as_str().unwrap();
    assert!(ev.contains("127.0.0.2") && ev.contains("127.0.0.1"), "{ev}");

    let ns = &with_id(&r, "dns.single_nameserver")[0];
    assert!(
        ns["evidence"]
            .as_str()
            .unwrap()
            .contains("ns1.acme-broken.test")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthy_zone_fires_no_dns_id() {
    let sb = sandbox().await;
    let out = run(
        audit_args(
            &sb,
            &sb.healthy_config(),
            &["--only", "dns", "--format", "json"],
        ),
        vec![],
    )
    .await;
    let r = json(&out);
    assert_eq!(ids(&r), Vec::<String>::new(), "healthy zone: {r:#}");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(r["verdict"], "go");
    assert_eq!(r["score"], 100);
    assert_eq!(r["checks"][0]["check"], "dns");
    assert_eq!(r["checks"][0]["status"], "ok");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreachable_dns_server_is_check_error_not_hang() {
    let sb = sandbox().await;
    // Bind then drop a UDP socket so nothing listens on that port.
    let dead = std::net::UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let started = std::time::Instant::now();
    let out = run(
        vec![
            "audit".into(),
            "--config".into(),
            sb.broken_config().display().to_string(),
            "--only".into(),
            "dns".into(),
            "--dns-server".into(),
            dead.to_string(),
            "--format".into(),
            "json".into(),
            "--timeout".into(),
            "30".into(),
        ],
        short_timeouts(),
    )
    .await;
    assert!(
        started.elapsed().as_secs() < 25,
        "took {:?}",
        started.elapsed()
    );
    let r = json(&out);
    assert_eq!(ids(&r), Vec::<String>::new(), "{r:#}");
    assert_no_dns(&r, &["dns"]);
    let reason = r["checks"][0]["reason"].as_str().unwrap();
    assert!(reason.contains("acme-broken.test"), "{reason}");
    // Nothing was audited, so the exit code is 3, not a pass.
    assert_eq!(out.status.code(), Some(3));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn example_config_with_a_dead_resolver_ends_quickly() {
    // The acceptance command: the example config (its chat token unset — `--only dns`
    // never sends that request) against a DNS port where nothing listens.
    let dead = std::net::UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let started = std::time::Instant::now();
    let out = run(
        vec![
            "audit".into(),
            "--config".into(),
            "checks.example.toml".into(),
            "--only".into(),
            "dns".into(),
            "--dns-server".into(),
            dead.to_string(),
            "--format".into(),
            "json".into(),
        ],
        vec![],
    )
    .await;
    // Default timeouts on purpose: the no-DNS pre-check gives up within its 6 s budget instead
    // of every check waiting out its own lookups. The margin covers process start on a loaded
    // 2-core machine (12 s seen at a load average of 16).
    assert!(
        started.elapsed().as_secs() < 20,
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r = json(&out);
    assert_eq!(ids(&r), Vec::<String>::new());
    assert_no_dns(&r, &["dns"]);
}
