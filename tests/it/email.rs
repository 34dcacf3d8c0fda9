//! Every email.* id fires on its sandbox case and none on the healthy zone, through the binary.

use crate::common::*;
use launchready::sandbox::Sandbox;

fn evidence(f: &serde_json::Value) -> &str {
    f["evidence"].as_str().expect("evidence")
}

fn one<'a>(r: &'a serde_json::Value, id: &str, subject: &str) -> &'a serde_json::Value {
    with_id(r, id)
        .into_iter()
        .find(|f| f["subject"] == subject)
        .unwrap_or_else(|| panic!("{id} on {subject} missing: {r:#}"))
}

async fn email_report(sb: &Sandbox, cfg: &std::path::Path) -> (Option<i32>, serde_json::Value) {
    let out = run(
        audit_args(sb, cfg, &["--only", "email", "--format", "json"]),
        vec![],
    )
    .await;
    (out.status.code(), json(&out))
}

/// A config whose `[email]` points at another name in the broken zone.
fn extra_config(sb: &Sandbox, name: &str, email: &str) -> std::path::PathBuf {
    let text = format!(
        "[target]\ndomain = \"acme-broken.test\"\nhttps_port = {}\n\n[email]\n{email}\n",
        sb.https_port
    );
    let p = sb.dir().join(format!("{name}.toml"));
    std::fs::write(&p, text).expect("write config");
    p
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthy_zone_fires_no_email_id() {
    let sb = sandbox().await;
    let (code, r) = email_report(&sb, &sb.healthy_config()).await;
    assert_eq!(code, Some(0));
    assert_eq!(ids(&r), Vec::<String>::new(), "healthy zone: {r:#}");
    let m = &r["measurements"]["email"];
    assert_eq!(m["spf"][0]["lookups"], 2, "{m:#}");
    assert_eq!(m["dmarc"][0]["policy"], "reject");
    assert_eq!(m["mta_sts"]["mode"], "enforce");
    // No selectors configured: the probe finds the 2048-bit key under `google`.
    assert_eq!(m["dkim"]["probed"], true);
    assert_eq!(
        m["dkim"]["usable"][0], "google._domainkey.acme-good.test",
        "{m:#}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn broken_site_fires_its_email_ids() {
    let sb = sandbox().await;
    let (code, r) = email_report(&sb, &sb.broken_config()).await;
    assert_eq!(code, Some(1), "gate fails");

    let f = one(&r, "email.no_spf", "acme-broken.test");
    assert!(evidence(f).contains("NOERROR with no data"), "{f}");

    let f = one(&r, "email.mx_unresolved", "mx1.acme-broken.test");
    assert!(evidence(f).contains("NXDOMAIN"), "{f}");

    let f = one(&r, "email.spf_permissive_all", "mail.acme-broken.test");
    assert!(f["title"].as_str().unwrap().contains("+all"), "{f}");

    let f = one(&r, "email.multiple_spf", "notify.acme-broken.test");
    assert!(evidence(f).contains("ip4:192.0.2.21"), "{f}");

    let f = one(&r, "email.spf_syntax", "legacy.acme-broken.test");
    assert!(
        f["title"].as_str().unwrap().contains("`ip4:192.0.2.300`"),
        "{f}"
    );

    // 12 lookups, with the per-branch counts in the tree.
    let f = one(
        &r,
        "email.spf_too_many_lookups",
        "marketing.acme-broken.test",
    );
    let e = evidence(f);
    assert!(e.contains("marketing.acme-broken.test [12 lookups]"), "{e}");
    assert!(
        e.contains("include:_m1.acme-broken.test [5 lookups]"),
        "{e}"
    );
    assert!(
        e.contains("include:_m4.acme-broken.test [2 lookups]"),
        "{e}"
    );

    // The include loop.
    let f = one(&r, "email.spf_too_many_lookups", "relay.acme-broken.test");
    assert!(
        evidence(f)
            .contains("relay.acme-broken.test -> _r1.acme-broken.test -> relay.acme-broken.test"),
        "{f}"
    );

    let f = one(&r, "email.spf_void_lookups", "news.acme-broken.test");
    assert!(evidence(f).contains("3 void lookups"), "{f}");
    assert!(
        evidence(f).contains("mx:old3.acme-broken.test -> NXDOMAIN"),
        "{f}"
    );
    // An include target with TXT records but no SPF: a permerror, at its own id and severity,
    // with the target named (not "0 void lookups").
    let f = one(&r, "email.spf_broken_include", "news.acme-broken.test");
    assert_eq!(f["severity"], "high", "{f}");
    assert!(
        evidence(f).contains("include:_gone.acme-broken.test: _gone.acme-broken.test publishes no SPF record (permerror"),
        "{f}"
    );
    assert!(evidence(f).starts_with("include:_gone"), "{f}");

    let f = one(&r, "email.no_dmarc", "acme-broken.test");
    assert!(
        evidence(f).contains("_dmarc.acme-broken.test: NXDOMAIN"),
        "{f}"
    );
    let f = one(&r, "email.dmarc_syntax", "notify.acme-broken.test");
    assert!(f["title"].as_str().unwrap().contains("pct=200"), "{f}");
    one(&r, "email.dmarc_policy_none", "mail.acme-broken.test");
    one(&r, "email.no_dmarc_reporting", "mail.acme-broken.test");

    let tiny = one(
        &r,
        "email.dkim_weak_key",
        "tiny._domainkey.acme-broken.test",
    );
    assert_eq!(tiny["severity"], "high");
    assert!(evidence(tiny).contains("RSA 512-bit"));
    let weak = one(
        &r,
        "email.dkim_weak_key",
        "weak._domainkey.acme-broken.test",
    );
    assert_eq!(weak["severity"], "medium", "exactly 1024 bits is medium");
    let f = one(
        &r,
        "email.dkim_syntax",
        "broken._domainkey.acme-broken.test",
    );
    assert!(evidence(f).contains("SubjectPublicKeyInfo"), "{f}");
    // The 1024-bit key is usable, so no email.no_dkim here; the revoked key is named.
    assert!(with_id(&r, "email.no_dkim").is_empty());
    let sels = r["measurements"]["email"]["dkim"]["selectors"].to_string();
    assert!(sels.contains("revoked (empty p=)"), "{sels}");

    let f = one(&r, "email.no_mta_sts", "acme-broken.test");
    assert!(evidence(f).contains("HTTP 404"), "{f}");

    // Subdomains that publish no SPF of their own (app, api, status) are not evaluated.
    assert!(with_id(&r, "email.no_spf").len() == 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn domain_without_mail_records_fires_no_mx_no_dkim_no_dmarc() {
    let sb = sandbox().await;
    let cfg = extra_config(&sb, "mail2", "domain = \"mail2.acme-broken.test\"");
    let (_, r) = email_report(&sb, &cfg).await;
    let f = one(&r, "email.no_mx", "mail2.acme-broken.test");
    assert!(evidence(f).contains("NOERROR with no data"), "{f}");
    // No selectors configured and `_domainkey` does not exist: NXDOMAIN told apart.
    let f = one(&r, "email.no_dkim", "mail2.acme-broken.test");
    assert_eq!(f["severity"], "high");
    assert!(
        evidence(f).contains("_domainkey.mail2.acme-broken.test: NXDOMAIN"),
        "{f}"
    );
    // DMARC discovery falls back to the organisational domain (PSL default rule for .test).
    let f = one(&r, "email.no_dmarc", "mail2.acme-broken.test");
    assert!(
        evidence(f).contains("_dmarc.mail2.acme-broken.test")
            && evidence(f).contains("_dmarc.acme-broken.test"),
        "{f}"
    );
    // No MX: MTA-STS is not asked for.
    assert!(with_id(&r, "email.no_mta_sts").is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn configured_selectors_without_a_usable_key_fire_no_dkim() {
    let sb = sandbox().await;
    let cfg = extra_config(
        &sb,
        "revoked",
        "dkim_selectors = [\"revoked\", \"missing\"]",
    );
    let (_, r) = email_report(&sb, &cfg).await;
    let f = one(&r, "email.no_dkim", "acme-broken.test");
    let e = evidence(f);
    assert!(
        e.contains("revoked._domainkey.acme-broken.test: revoked (empty p=)"),
        "{e}"
    );
    assert!(
        e.contains("missing._domainkey.acme-broken.test: NXDOMAIN"),
        "{e}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn null_mx_is_deliberate_and_unknown_selectors_are_told_apart() {
    let sb = sandbox().await;
    let cfg = extra_config(&sb, "nullmx", "domain = \"nullmx.acme-broken.test\"");
    let (_, r) = email_report(&sb, &cfg).await;
    let ids = ids(&r);
    assert!(!ids.contains(&"email.no_mx".to_string()), "{ids:?}");
    assert!(!ids.contains(&"email.mx_unresolved".to_string()), "{ids:?}");
    assert!(!ids.contains(&"email.no_mta_sts".to_string()), "{ids:?}");

    // Keys only under a selector the probe does not know: `_domainkey` exists (NODATA), so the
    // finding is low and says to configure selectors.
    let cfg = extra_config(&sb, "mail3", "domain = \"mail3.acme-broken.test\"");
    let (_, r) = email_report(&sb, &cfg).await;
    let f = one(&r, "email.no_dkim", "mail3.acme-broken.test");
    assert_eq!(f["severity"], "low", "{f}");
    assert!(evidence(f).contains("NOERROR with no data"), "{f}");
    assert!(evidence(f).contains("email.dkim_selectors"), "{f}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_records_neither_panic_nor_hang() {
    let sb = sandbox().await;
    let cfg = extra_config(&sb, "hostile", "domain = \"acme-hostile.test\"");
    let t0 = std::time::Instant::now();
    let (code, r) = email_report(&sb, &cfg).await;
    assert_eq!(code, Some(1), "{r:#}");
    assert!(t0.elapsed() < std::time::Duration::from_secs(60));
    assert!(with_id(&r, "check.error").is_empty(), "{r:#}");
    // An 8 KB SPF record with a 2^20-path include diamond: counted, capped, reported.
    let f = one(&r, "email.spf_too_many_lookups", "acme-hostile.test");
    assert!(evidence(f).contains("stopped following"), "{f}");
    assert!(evidence(f).len() < 20_000, "evidence is bounded");
    // A 6 KB DKIM record that is not a key, found by the probe.
    one(
        &r,
        "email.dkim_syntax",
        "google._domainkey.acme-hostile.test",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mta_sts_mx_patterns_are_matched_against_the_real_mx_hosts() {
    let sb = sandbox().await;
    let cfg = extra_config(&sb, "sts", "domain = \"sts.acme-broken.test\"");
    let (_, r) = email_report(&sb, &cfg).await;
    let f = one(&r, "email.mta_sts_mx_mismatch", "sts.acme-broken.test");
    assert_eq!(f["severity"], "high", "enforce mode: {f}");
    let e = evidence(f);
    assert!(
        e.contains("MX sts.acme-broken.test: mx.sts.acme-broken.test"),
        "{e}"
    );
    assert!(
        e.contains("mx: mail.old-provider.test, *.acme-broken.test"),
        "{e}"
    );
    assert!(with_id(&r, "email.no_mta_sts").is_empty(), "{r:#}");
    // The healthy zone's policy lists its MX: nothing to report (healthy_zone_fires_no_email_id).
}

/// The DNS name asked in a query (lowercase, dot-separated), or "" when it does not parse.
fn qname(q: &[u8]) -> String {
    let mut i = 12;
    let mut labels = Vec::new();
    while let Some(&len) = q.get(i) {
        if len == 0 || len & 0xc0 != 0 {
            break;
        }
        let Some(l) = q.get(i + 1..i + 1 + len as usize) else {
            return String::new();
        };
        labels.push(String::from_utf8_lossy(l).to_ascii_lowercase());
        i += 1 + len as usize;
    }
    labels.join(".")
}

/// A DNS relay on loopback (UDP and TCP port pair): forwards every UDP query to `upstream` and
/// relays the answer, except queries for names starting with `drop`, which it never answers —
/// a lookup that times out, as an overloaded provider's name server does. TCP connections are
/// accepted and held without an answer.
async fn dropping_relay(
    upstream: std::net::SocketAddr,
    drop: &'static str,
) -> std::net::SocketAddr {
    let (udp, tcp) = udp_tcp_pair().await.expect("port pair");
    let udp = std::sync::Arc::new(udp);
    let addr = udp.local_addr().unwrap();
    let s = udp.clone();
    tokio::spawn(async move {
        let mut buf = [0u8; 4096];
        let mut held = Vec::new();
        loop {
            tokio::select! {
                r = s.recv_from(&mut buf) => {
                    let Ok((n, peer)) = r else { break };
                    let q = buf[..n].to_vec();
                    if qname(&q).starts_with(drop) {
                        continue;
                    }
                    let s = s.clone();
                    tokio::spawn(async move {
                        let Ok(up) = tokio::net::UdpSocket::bind("127.0.0.1:0").await else {
                            return;
                        };
                        if up.send_to(&q, upstream).await.is_err() {
                            return;
                        }
                        let mut b = vec![0u8; 65535];
                        if let Ok(Ok(m)) =
                            tokio::time::timeout(std::time::Duration::from_secs(5), up.recv(&mut b))
                                .await
                        {
                            let _ = s.send_to(&b[..m], peer).await;
                        }
                    });
                }
                c = tcp.accept() => { if let Ok((c, _)) = c { held.push(c); } }
            }
        }
    });
    addr
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_include_whose_lookup_times_out_is_said_to_be_unverified() {
    let sb = sandbox().await;
    let upstream: std::net::SocketAddr = sb.dns_arg().parse().expect("sandbox DNS address");
    let relay = dropping_relay(upstream, "_slow.").await;
    let cfg = extra_config(&sb, "slowinc", "domain = \"slowinc.acme-broken.test\"");
    let mut args = audit_args(&sb, &cfg, &["--only", "email", "--format", "json"]);
    let at = args.iter().position(|a| a == "--dns-server").unwrap() + 1;
    args[at] = relay.to_string();
    let out = run(
        args,
        vec![("LAUNCHREADY_DNS_TIMEOUT_MS".into(), "400".into())],
    )
    .await;
    let r = json(&out);
    // Not a silent pass: the check did not complete and says which lookup it could not make.
    let e = with_id(&r, "check.error");
    assert_eq!(e.len(), 1, "{r:#}");
    let ev = evidence(e[0]);
    assert!(
        ev.contains("slowinc.acme-broken.test's SPF could not be verified"),
        "{ev}"
    );
    assert!(ev.contains("include:_slow.acme-broken.test"), "{ev}");
    let status = r["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == "email")
        .unwrap()["status"]
        .clone();
    assert_eq!(status, "error", "{r:#}");
    // And not a false finding either: nothing says the include is broken or void.
    for id in [
        "email.spf_broken_include",
        "email.spf_void_lookups",
        "email.no_spf",
    ] {
        assert!(with_id(&r, id).is_empty(), "{id}: {r:#}");
    }
    assert_ne!(r["verdict"], "go", "{r:#}");
}
