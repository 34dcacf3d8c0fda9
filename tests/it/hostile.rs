//! Hostile DNS peers: a server that never answers, one that answers SERVFAIL to everything, and
//! zones with CNAME loops and huge TXT records. The audit must end with a finding or
//! `check.error` — never a hang or a panic.

use crate::common::*;
use launchready::sandbox::dns::{ZoneText, start};
use std::time::{Duration, Instant};

/// A UDP+TCP "DNS server" that reads queries and never replies.
async fn silent_dns() -> std::net::SocketAddr {
    let udp = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let addr = udp.local_addr().unwrap();
    let tcp = tokio::net::TcpListener::bind(addr).await.unwrap();
    tokio::spawn(async move {
        let mut buf = [0u8; 4096];
        let mut held = Vec::new();
        loop {
            tokio::select! {
                r = udp.recv_from(&mut buf) => { if r.is_err() { break; } }
                c = tcp.accept() => { if let Ok((s, _)) = c { held.push(s); } }
            }
        }
    });
    addr
}

/// A UDP "DNS server" answering SERVFAIL (RCODE 2) to every query.
async fn servfail_dns() -> std::net::SocketAddr {
    let udp = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let addr = udp.local_addr().unwrap();
    tokio::spawn(async move {
        let mut buf = [0u8; 4096];
        while let Ok((n, peer)) = udp.recv_from(&mut buf).await {
            if n < 12 {
                continue;
            }
            let mut resp = buf[..n].to_vec();
            resp[2] = 0x80 | (buf[2] & 0x01); // QR=1, keep RD
            resp[3] = 0x80 | 0x02; // RA=1, RCODE=SERVFAIL
            // No answer/authority/additional records (drop the query's EDNS OPT, if any).
            resp[6..12].fill(0);
            let qend = question_end(&resp).unwrap_or(n);
            resp.truncate(qend);
            let _ = udp.send_to(&resp, peer).await;
        }
    });
    addr
}

fn question_end(msg: &[u8]) -> Option<usize> {
    let mut i = 12;
    loop {
        let len = *msg.get(i)? as usize;
        i += 1;
        if len == 0 {
            break;
        }
        i += len;
    }
    Some(i + 4)
}

fn config(dir: &std::path::Path, domain: &str, subs: &[&str]) -> std::path::PathBuf {
    let p = dir.join(format!("{domain}.toml"));
    let subs: Vec<String> = subs.iter().map(|s| format!("\"{s}\"")).collect();
    std::fs::write(
        &p,
        format!(
            "[target]\ndomain = \"{domain}\"\nsubdomains = [{}]\n",
            subs.join(", ")
        ),
    )
    .unwrap();
    p
}

fn dns_audit(cfg: &std::path::Path, server: std::net::SocketAddr, extra: &[&str]) -> Vec<String> {
    let mut v = vec![
        "audit".to_string(),
        "--config".into(),
        cfg.display().to_string(),
        "--only".into(),
        "dns".into(),
        "--dns-server".into(),
        server.to_string(),
        "--format".into(),
        "json".into(),
    ];
    v.extend(extra.iter().map(|s| s.to_string()));
    v
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn silent_dns_server_ends_with_check_error_within_the_deadline() {
    let dir = tempfile::tempdir().unwrap();
    let server = silent_dns().await;
    let cfg = config(dir.path(), "silent.test", &["app"]);
    // Bounded by --timeout: the report still comes out, with check.error for dns.
    let t = Instant::now();
    let out = run(dns_audit(&cfg, server, &["--timeout", "2"]), vec![]).await;
    assert!(
        t.elapsed() < Duration::from_secs(6),
        "took {:?}",
        t.elapsed()
    );
    let r = json(&out);
    let e = with_id(&r, "check.error");
    assert_eq!(e.len(), 1, "{r:#}");
    assert!(
        e[0]["evidence"].as_str().unwrap().contains("deadline"),
        "{r:#}"
    );
    assert_eq!(r["checks"][0]["status"], "error");
    // Without a tight deadline, the per-query timeouts end it on their own.
    let t = Instant::now();
    let out = run(dns_audit(&cfg, server, &[]), vec![]).await;
    assert!(
        t.elapsed() < Duration::from_secs(15),
        "took {:?}",
        t.elapsed()
    );
    let r = json(&out);
    let e = with_id(&r, "check.error");
    assert_eq!(e.len(), 1, "{r:#}");
    assert!(
        e[0]["evidence"]
            .as_str()
            .unwrap()
            .contains("did not answer"),
        "{r:#}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn servfail_is_named_in_the_evidence() {
    let dir = tempfile::tempdir().unwrap();
    let server = servfail_dns().await;
    let cfg = config(dir.path(), "servfail.test", &[]);
    let out = run(dns_audit(&cfg, server, &[]), vec![]).await;
    let r = json(&out);
    let apex = with_id(&r, "dns.apex_unresolved");
    assert_eq!(apex.len(), 1, "{r:#}");
    assert!(
        apex[0]["evidence"].as_str().unwrap().contains("SERVFAIL"),
        "{r:#}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cname_loops_and_huge_txt_records() {
    let big = "v=spf1 ".to_string() + &"include:x.loop.test ".repeat(600);
    let zone = ZoneText {
        origin: "loop.test".into(),
        records: format!(
            "@ NS ns1\n@ NS ns2\nns1 A 127.0.0.1\nns2 A 127.0.0.1\n@ A 127.0.0.1\na CNAME b\nb CNAME a\nself CNAME self\n@ TXT {big}\n"
        ),
    };
    let server = start(&[zone]).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path(), "loop.test", &["a", "self"]);
    let t = Instant::now();
    let out = run(dns_audit(&cfg, server, &[]), vec![]).await;
    assert!(t.elapsed() < Duration::from_secs(15));
    let r = json(&out);
    let d = with_id(&r, "dns.dangling_cname");
    let subjects: Vec<_> = d.iter().map(|f| f["subject"].as_str().unwrap()).collect();
    assert!(
        subjects.contains(&"a.loop.test") && subjects.contains(&"self.loop.test"),
        "{r:#}"
    );
    assert!(
        d.iter()
            .all(|f| f["evidence"].as_str().unwrap().contains("loop")),
        "{r:#}"
    );
}
