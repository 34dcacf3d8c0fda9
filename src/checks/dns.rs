//! `dns.*`: resolution of the apex, www and every subdomain through CNAME chains, dangling
//! CNAMEs (including hosting services that answer with their unclaimed-resource page), NS count,
//! CAA (at the name and its parents, RFC 8659 §3), `[dns] expect` drift, IPv6 and DNSSEC.
//!
//! Uses the shared resolver, so `--dns-server` applies. NXDOMAIN, NOERROR-with-no-data,
//! SERVFAIL and timeouts are told apart in every piece of evidence.

use super::{Check, CheckError, Cx, Sink};
use crate::catalogue::dns as spec;
use crate::config::{Canonical, DnsExpect, ExpectType};
use crate::finding::{CheckName, Severity};
use crate::model::{DnsHost, DnsMap, DnsMeasurement, Measurement, NoZone};
use crate::net::{DnsOutcome, HostResolution, Net, trim_dot};
use futures::future::{BoxFuture, join_all};
use hickory_resolver::proto::rr::{RData, RecordType};
use std::sync::Arc;

/// The DNS check.
pub struct Dns;

impl Check for Dns {
    fn name(&self) -> CheckName {
        CheckName::Dns
    }

    fn run(&self, cx: Arc<Cx>, sink: Sink) -> BoxFuture<'static, Result<(), CheckError>> {
        Box::pin(async move { run(&cx, &sink).await })
    }
}

/// Hosting services whose CNAME targets can be claimed by anyone when the resource is deleted,
/// with the text their "nothing here" page carries (after the can-i-take-over-xyz project's
/// list of confirmed fingerprints).
const TAKEOVER_FINGERPRINTS: &[(&str, &str)] = &[
    ("github.io", "There isn't a GitHub Pages site here"),
    ("herokuapp.com", "No such app"),
    ("herokudns.com", "No such app"),
    ("s3.amazonaws.com", "NoSuchBucket"),
    ("amazonaws.com", "NoSuchBucket"),
    ("azurewebsites.net", "404 Web Site not found"),
    ("cloudapp.net", "404 Web Site not found"),
    ("trafficmanager.net", "404 Web Site not found"),
    (
        "blob.core.windows.net",
        "The specified container does not exist",
    ),
    ("pages.dev", "The project you're looking for doesn't exist"),
    ("netlify.app", "Not Found - Request ID"),
    ("vercel.app", "DEPLOYMENT_NOT_FOUND"),
    ("myshopify.com", "Sorry, this shop is currently unavailable"),
    ("surge.sh", "project not found"),
    ("ghost.io", "Domain error"),
    ("readthedocs.io", "unknown to Read the Docs"),
    ("wordpress.com", "Do you want to register"),
    ("bitbucket.io", "Repository not found"),
    ("zendesk.com", "Help Center Closed"),
];

/// How one host name resolved ([`Net::resolve_host`]), and how the DNS map shows it.
type Resolution = HostResolution;

trait Shown {
    fn v4(&self) -> Vec<String>;
    fn v6(&self) -> Vec<String>;
    fn describe(&self) -> String;
}

impl Shown for Resolution {
    fn v4(&self) -> Vec<String> {
        self.addrs.v4()
    }

    fn v6(&self) -> Vec<String> {
        self.addrs.v6()
    }

    /// "app.acme.example -> x.pages.dev -> A 1.2.3.4" style description.
    fn describe(&self) -> String {
        let mut s = self.name.clone();
        for (_, t) in &self.chain {
            s.push_str(&format!(" -> CNAME {t}"));
        }
        if let Some(p) = &self.chain_problem {
            s.push_str(&format!(" ({p})"));
            return s;
        }
        let v4 = self.v4();
        let v6 = self.v6();
        if v4.is_empty() && v6.is_empty() {
            s.push_str(&format!("; {}", self.addrs.describe()));
        } else {
            if !v4.is_empty() {
                s.push_str(&format!(" -> A {}", v4.join(", ")));
            }
            if !v6.is_empty() {
                s.push_str(&format!(" -> AAAA {}", v6.join(", ")));
            } else {
                s.push_str(&format!("; AAAA: {}", self.addrs.aaaa.describe()));
            }
        }
        s
    }
}

async fn run(cx: &Cx, sink: &Sink) -> Result<(), CheckError> {
    let t = &cx.cfg.target;
    let net = &cx.net;
    let domain = t.domain.clone();

    // First ask for the zone's NS set: if the resolver cannot be reached at all, nothing below
    // means anything, and the audit should say so once (check.error) rather than flag every host.
    let (ns, soa) = tokio::join!(
        net.lookup(&domain, RecordType::NS),
        net.lookup(&domain, RecordType::SOA)
    );
    let down = |o: &DnsOutcome| matches!(o, DnsOutcome::Timeout | DnsOutcome::Failed(_));
    if down(&ns) && down(&soa) {
        return Err(CheckError::Network {
            subject: domain,
            cause: format!(
                "DNS server did not answer (NS: {}; SOA: {})",
                ns.describe(),
                soa.describe()
            ),
        });
    }

    // The zone itself does not exist (not registered, or not delegated): one finding says it;
    // NS, CAA, DNSSEC, IPv6 and every host would only repeat it.
    if matches!(ns, DnsOutcome::NxDomain) && matches!(soa, DnsOutcome::NxDomain) {
        sink.push(spec::APEX_UNRESOLVED.finding(
            domain.clone(),
            format!("{domain} does not exist in DNS: is it registered and delegated?"),
            format!("NS {domain}: NXDOMAIN; SOA {domain}: NXDOMAIN (name does not exist)"),
        ));
        // Read by the runner to fold the findings that follow from this one.
        sink.measure(Measurement::Dns(DnsMeasurement::NoZone(NoZone {
            apex: domain.clone(),
            zone_exists: false,
        })));
        return Ok(());
    }

    let mut hosts = vec![domain.clone(), t.www()];
    for s in &t.subdomains {
        if !hosts.contains(s) {
            hosts.push(s.clone());
        }
    }
    let (resolutions, caa, dnssec, drift) = tokio::join!(
        join_all(hosts.iter().map(|h| net.resolve_host(h))),
        caa_lookup(net, &domain),
        dnssec_lookup(net, &domain),
        join_all(cx.cfg.dns.expect.iter().map(|e| drift_one(net, e)))
    );

    // NS count.
    let ns_names: Vec<String> = ns
        .of_type(RecordType::NS)
        .iter()
        .filter_map(|r| match &r.data {
            RData::NS(n) => Some(trim_dot(&n.0.to_string())),
            _ => None,
        })
        .collect();
    if ns_names.len() < 2 {
        let seen = if ns_names.is_empty() {
            ns.describe()
        } else {
            ns_names.join(", ")
        };
        sink.push(spec::SINGLE_NAMESERVER.finding(
            domain.clone(),
            format!(
                "{domain} has {} name server(s); at least 2 are needed",
                ns_names.len()
            ),
            format!("NS {domain}: {seen}"),
        ));
    }

    // The DNS map for the report (`measurements.dns`): every host with its CNAME chain and
    // addresses, recorded once since a check's last measurement wins.
    sink.measure(Measurement::Dns(DnsMeasurement::Map(DnsMap {
        hosts: resolutions.iter().map(map_entry).collect(),
        nameservers: ns_names.clone(),
    })));

    // Hosts.
    let takeovers = join_all(resolutions.iter().map(|r| takeover_probe(cx, r))).await;
    for (r, takeover) in resolutions.iter().zip(takeovers) {
        let is_apex = r.name == domain;
        let is_www = r.name == t.www();
        if let Some(evidence) = takeover {
            sink.push(spec::DANGLING_CNAME.finding(
                r.name.clone(),
                format!(
                    "{} points at an unclaimed {} resource",
                    r.name,
                    service_of(r.final_name()).unwrap_or("hosting")
                ),
                evidence,
            ));
            continue;
        }
        if r.resolves() {
            continue;
        }
        // Dangling only when the end of the chain is known not to exist (NXDOMAIN/NODATA for
        // both families) or the chain loops; a SERVFAIL or timeout is reported as unresolved
        // with that cause, not as a takeover risk.
        let negative =
            r.chain_problem.is_some() || (r.addrs.a.is_negative() && r.addrs.aaaa.is_negative());
        if !r.chain.is_empty() && negative {
            sink.push(spec::DANGLING_CNAME.finding(
                r.name.clone(),
                format!(
                    "{} is a CNAME to {}, which does not resolve",
                    r.name,
                    r.final_name()
                ),
                r.describe(),
            ));
        } else if is_apex {
            sink.push(spec::APEX_UNRESOLVED.finding(
                r.name.clone(),
                format!("{} has no address: the site cannot be reached", r.name),
                r.describe(),
            ));
        } else if is_www {
            let f = spec::SUBDOMAIN_UNRESOLVED.finding(
                r.name.clone(),
                format!(
                    "{} does not resolve: visitors who type www get an error",
                    r.name
                ),
                r.describe(),
            );
            let f = if t.canonical == Canonical::Www {
                f
            } else {
                f.with_severity(Severity::Medium)
            };
            sink.push(f);
        } else {
            sink.push(spec::SUBDOMAIN_UNRESOLVED.finding(
                r.name.clone(),
                format!("{} does not resolve", r.name),
                r.describe(),
            ));
        }
    }

    // IPv6 at the apex.
    if let Some(apex) = resolutions.iter().find(|r| r.name == domain)
        && apex.v6().is_empty()
        && apex.chain_problem.is_none()
    {
        sink.push(spec::NO_IPV6.finding(
            domain.clone(),
            format!("{domain} has no IPv6 address (AAAA)"),
            format!("AAAA {}: {}", apex.final_name(), apex.addrs.aaaa.describe()),
        ));
    }

    // CAA.
    match caa {
        CaaResult::Found | CaaResult::Unknown => {}
        CaaResult::Missing(evidence) => sink.push(spec::NO_CAA.finding(
            domain.clone(),
            format!("no CAA record: any certificate authority may issue for {domain}"),
            evidence,
        )),
    }

    // DNSSEC.
    if let Some(evidence) = dnssec {
        sink.push(spec::NO_DNSSEC.finding(
            domain.clone(),
            format!("{domain} is not signed with DNSSEC"),
            evidence,
        ));
    }

    // Expectations.
    for (e, result) in cx.cfg.dns.expect.iter().zip(drift) {
        if let Some(served) = result {
            sink.push(spec::RECORD_DRIFT.finding(
                format!("{} {}", e.name, e.rtype.as_str()),
                format!(
                    "{} {} differs from the expected record",
                    e.name,
                    e.rtype.as_str()
                ),
                format!(
                    "expected {} {} {}; served: {served}",
                    e.name,
                    e.rtype.as_str(),
                    e.value
                ),
            ));
        }
    }
    Ok(())
}

/// One row of the DNS map: `{host, cname_chain, a, aaaa, resolves, problem}`.
fn map_entry(r: &Resolution) -> DnsHost {
    let problem = if r.resolves() {
        None
    } else if let Some(p) = &r.chain_problem {
        Some(p.clone())
    } else {
        Some(r.addrs.describe())
    };
    DnsHost {
        a: r.v4(),
        aaaa: r.v6(),
        cname_chain: r.chain.iter().map(|(_, t)| t.clone()).collect(),
        host: r.name.clone(),
        problem,
        resolves: r.resolves(),
    }
}

/// The (suffix, marker) entry for a CNAME target on a known hosting service.
fn fingerprint_for(target: &str) -> Option<&'static (&'static str, &'static str)> {
    TAKEOVER_FINGERPRINTS
        .iter()
        .find(|(suffix, _)| target == *suffix || target.ends_with(&format!(".{suffix}")))
}

fn service_of(target: &str) -> Option<&'static str> {
    fingerprint_for(target).map(|(s, _)| *s)
}

/// When a resolving CNAME ends at a known hosting service, fetch the host over HTTP and look for
/// the service's "nothing here" page: that resource can be claimed by anyone.
async fn takeover_probe(cx: &Cx, r: &Resolution) -> Option<String> {
    if r.chain.is_empty() || !r.resolves() {
        return None;
    }
    let target = r.final_name();
    let (suffix, marker) = fingerprint_for(target)?;
    let t = &cx.cfg.target;
    // Services answer unclaimed names over plain http; some only over https. Ask both, one
    // request each, no redirects followed (a redirect is not the unclaimed page).
    for url in [
        format!("http://{}:{}/", r.name, t.http_port),
        format!("https://{}:{}/", r.name, t.https_port),
    ] {
        let Ok(resp) = cx.net.http.get(&url).send().await else {
            continue;
        };
        let status = resp.status();
        let Ok(body) = crate::http_util::read_capped(resp, 256 * 1024).await else {
            continue;
        };
        if String::from_utf8_lossy(&body).contains(marker) {
            return Some(format!(
                "{}; GET {url} answered {status} with {suffix}'s unclaimed-resource page (\"{marker}\")",
                r.describe()
            ));
        }
    }
    None
}

enum CaaResult {
    Found,
    Missing(String),
    /// The resolver failed (some forwarders answer CAA queries with SERVFAIL): unknown.
    Unknown,
}

/// RFC 8659 §3: the relevant CAA set is the first one found climbing from the name to the root.
async fn caa_lookup(net: &Net, domain: &str) -> CaaResult {
    let mut tried = Vec::new();
    let mut name = domain.to_string();
    loop {
        let o = net.lookup(&name, RecordType::CAA).await;
        if !o.of_type(RecordType::CAA).is_empty() {
            return CaaResult::Found;
        }
        if o.is_failure() {
            return CaaResult::Unknown;
        }
        tried.push(format!("{name}: {}", o.describe()));
        match name.split_once('.') {
            Some((_, parent)) if !parent.is_empty() => name = parent.to_string(),
            _ => break,
        }
    }
    CaaResult::Missing(format!("CAA looked up at {}", tried.join("; ")))
}

/// Returns evidence when the zone has no DNSKEY at its apex and no DS at the parent.
async fn dnssec_lookup(net: &Net, domain: &str) -> Option<String> {
    let (dnskey, ds) = tokio::join!(
        net.lookup(domain, RecordType::DNSKEY),
        net.lookup(domain, RecordType::DS)
    );
    let has = |o: &DnsOutcome, t| matches!(o, DnsOutcome::Records(r) if r.iter().any(|r| r.record_type() == t));
    if has(&dnskey, RecordType::DNSKEY)
        || has(&ds, RecordType::DS)
        || (dnskey.is_failure() && ds.is_failure())
    {
        // Signed, or the resolver cannot tell (failures are not evidence of "unsigned").
        None
    } else {
        Some(format!(
            "DNSKEY {domain}: {}; DS {domain}: {}",
            dnskey.describe(),
            ds.describe()
        ))
    }
}

/// Normalised text of every served record of the expected type, or the failure.
async fn drift_one(net: &Net, e: &DnsExpect) -> Option<String> {
    let rtype = match e.rtype {
        ExpectType::A => RecordType::A,
        ExpectType::Aaaa => RecordType::AAAA,
        ExpectType::Cname => RecordType::CNAME,
        ExpectType::Mx => RecordType::MX,
        ExpectType::Txt => RecordType::TXT,
        ExpectType::Ns => RecordType::NS,
        ExpectType::Caa => RecordType::CAA,
    };
    let o = net.lookup(&e.name, rtype).await;
    let served: Vec<(String, String)> = o
        .of_type(rtype)
        .into_iter()
        .map(|r| record_text(&r.data))
        .collect();
    let want = normalize_value(e.rtype, &e.value);
    let matches = served
        .iter()
        .any(|(full, short)| *full == want || *short == want);
    if matches {
        return None;
    }
    if served.is_empty() {
        Some(o.describe())
    } else {
        Some(
            served
                .iter()
                .map(|(full, _)| full.clone())
                .collect::<Vec<_>>()
                .join(", "),
        )
    }
}

fn normalize_value(t: ExpectType, v: &str) -> String {
    match t {
        ExpectType::Txt => v.to_string(),
        ExpectType::Aaaa => v
            .parse::<std::net::Ipv6Addr>()
            .map(|a| a.to_string())
            .unwrap_or_else(|_| v.to_ascii_lowercase()),
        _ => v
            .split_whitespace()
            .map(|w| trim_dot(w.trim_matches('"')))
            .collect::<Vec<_>>()
            .join(" "),
    }
}

/// (full text, short text) of a record for comparison: MX "10 mx.example" / "mx.example",
/// CAA "0 issue letsencrypt.org" / "letsencrypt.org".
fn record_text(d: &RData) -> (String, String) {
    match d {
        RData::A(a) => (a.0.to_string(), a.0.to_string()),
        RData::AAAA(a) => (a.0.to_string(), a.0.to_string()),
        RData::CNAME(c) => (trim_dot(&c.0.to_string()), trim_dot(&c.0.to_string())),
        RData::NS(n) => (trim_dot(&n.0.to_string()), trim_dot(&n.0.to_string())),
        RData::MX(m) => {
            let ex = trim_dot(&m.exchange.to_string());
            (format!("{} {ex}", m.preference), ex)
        }
        RData::TXT(t) => {
            let s: String = t
                .txt_data
                .iter()
                .map(|p| String::from_utf8_lossy(p).into_owned())
                .collect();
            (s.clone(), s)
        }
        RData::CAA(c) => {
            let v = String::from_utf8_lossy(&c.value).to_ascii_lowercase();
            let flags = if c.issuer_critical { 128 } else { 0 };
            (format!("{flags} {} {v}", c.tag.to_ascii_lowercase()), v)
        }
        other => (other.to_string(), other.to_string()),
    }
}
