//! `email.*`: whether mail sent as the product's domain gets delivered and cannot be forged —
//! MX presence and resolvability (null MX, RFC 7505, is a deliberate "no mail"), SPF (RFC 7208)
//! for the sending domain and every configured subdomain that publishes its own `v=spf1`,
//! DMARC (RFC 7489) with organisational-domain fallback, DKIM keys (RFC 6376) for the
//! configured selectors or, when none are configured, a probe of common selectors, and
//! MTA-STS (RFC 8461).
//!
//! Owns the orchestration and the findings; the record grammars live in [`spf`], [`dmarc`]
//! and [`dkim`] as pure functions. Every DNS query goes through `Net::lookup` (bounded by its
//! timeout); the MTA-STS policy is fetched through the shared HTTP client with a body cap.
//!
//! MTA-STS port: RFC 8461 §3.3 fixes the policy URL to `https://mta-sts.<domain>/` (port
//! 443). The check uses `target.https_port` instead when it is not 443, so labs and the
//! sandbox (which serve HTTPS on a random loopback port) can be audited; in production the
//! setting is 443 and the URL is exactly the RFC's.

pub mod dkim;
pub mod dmarc;
pub mod spf;

use super::{Check, CheckError, Cx, Sink};
use crate::catalogue::email as spec;
use crate::finding::{CheckName, Severity};
use crate::model::{EmailAuth, Measurement};
use crate::net::{DnsOutcome, Net, trim_dot};
use futures::future::{BoxFuture, join_all};
use hickory_resolver::proto::rr::{RData, RecordType};
use serde_json::json;
use spf::Answer;
use std::sync::Arc;

/// The email check.
pub struct Email;

impl Check for Email {
    fn name(&self) -> CheckName {
        CheckName::Email
    }

    fn run(&self, cx: Arc<Cx>, sink: Sink) -> BoxFuture<'static, Result<(), CheckError>> {
        Box::pin(async move { run(&cx, &sink).await })
    }
}

/// Largest MTA-STS policy read (RFC 8461 does not set one; real policies are a few hundred
/// bytes).
const POLICY_CAP: usize = 64 * 1024;
/// Most MX hosts resolved.
const MX_CAP: usize = 20;

/// TXT records at a name, each record's strings joined with no separator (RFC 7208 §3.3,
/// RFC 6376 §3.6.2.2).
fn txts(o: &DnsOutcome) -> Vec<String> {
    o.of_type(RecordType::TXT)
        .into_iter()
        .filter_map(|r| match &r.data {
            RData::TXT(t) => Some(
                t.txt_data
                    .iter()
                    .map(|s| String::from_utf8_lossy(s).into_owned())
                    .collect::<String>(),
            ),
            _ => None,
        })
        .collect()
}

fn mx_hosts(o: &DnsOutcome) -> Vec<(u16, String)> {
    o.of_type(RecordType::MX)
        .into_iter()
        .filter_map(|r| match &r.data {
            RData::MX(m) => Some((m.preference, trim_dot(&m.exchange.to_string()))),
            _ => None,
        })
        .collect()
}

/// The shared resolver seen through the SPF evaluator's narrow interface.
struct NetDns<'a>(&'a Net);

fn answer<T>(o: &DnsOutcome, found: Option<T>) -> Answer<T> {
    match (o, found) {
        (_, Some(v)) => Answer::Found(v),
        (DnsOutcome::NxDomain, _) => Answer::Void("NXDOMAIN".into()),
        (DnsOutcome::NoData | DnsOutcome::Records(_), _) => {
            Answer::Void("NOERROR with no data".into())
        }
        (other, _) => Answer::Error(other.describe()),
    }
}

impl spf::SpfDns for NetDns<'_> {
    fn txt<'a>(&'a self, name: &'a str) -> BoxFuture<'a, Answer<Vec<String>>> {
        Box::pin(async move {
            let o = self.0.lookup(name, RecordType::TXT).await;
            let t = txts(&o);
            answer(&o, (!t.is_empty()).then_some(t))
        })
    }

    fn mx<'a>(&'a self, name: &'a str) -> BoxFuture<'a, Answer<Vec<String>>> {
        Box::pin(async move {
            let o = self.0.lookup(name, RecordType::MX).await;
            let h: Vec<String> = mx_hosts(&o).into_iter().map(|(_, h)| h).collect();
            answer(&o, (!h.is_empty()).then_some(h))
        })
    }

    fn addrs<'a>(&'a self, name: &'a str) -> BoxFuture<'a, Answer<usize>> {
        Box::pin(async move {
            let addrs = self.0.host_addrs(name).await;
            let n = addrs.ips().len();
            let (a, aaaa) = (&addrs.a, &addrs.aaaa);
            if n > 0 {
                return Answer::Found(n);
            }
            if addrs.failed() {
                return Answer::Error(a.describe());
            }
            // Void: report the more specific negative (NXDOMAIN wins).
            let o = if matches!(a, DnsOutcome::NxDomain) || !a.is_negative() {
                &a
            } else {
                &aaaa
            };
            answer(o, None)
        })
    }
}

async fn run(cx: &Cx, sink: &Sink) -> Result<(), CheckError> {
    let net = &cx.net;
    let domain = cx.cfg.email.domain.clone();

    // Reachability first: if the resolver cannot be asked at all, say so once.
    let apex_txt = net.lookup(&domain, RecordType::TXT).await;
    if apex_txt.is_failure() {
        let soa = net.lookup(&domain, RecordType::SOA).await;
        if soa.is_failure() {
            return Err(CheckError::Network {
                subject: domain,
                cause: format!(
                    "DNS server did not answer (TXT: {}; SOA: {})",
                    apex_txt.describe(),
                    soa.describe()
                ),
            });
        }
    }

    // Subdomains that publish their own SPF record are evaluated too.
    let subs: Vec<String> = cx
        .cfg
        .target
        .subdomains
        .iter()
        .filter(|s| **s != domain)
        .cloned()
        .collect();
    let sub_txts = join_all(subs.iter().map(|s| net.lookup(s, RecordType::TXT))).await;
    let mut senders: Vec<(String, DnsOutcome)> = vec![(domain.clone(), apex_txt)];
    for (s, o) in subs.into_iter().zip(sub_txts) {
        if txts(&o).iter().any(|t| spf::is_spf(t)) {
            senders.push((s, o));
        }
    }

    let (mx, spf_results, dmarc_results, dkim) = tokio::join!(
        mx_check(net, &domain, sink),
        join_all(
            senders
                .iter()
                .enumerate()
                .map(|(i, (h, o))| spf_host(net, h, o, i == 0, sink))
        ),
        join_all(
            senders
                .iter()
                .enumerate()
                .map(|(i, (h, _))| dmarc_host(net, h, i == 0, sink))
        ),
        dkim_check(net, &domain, &cx.cfg.email.dkim_selectors, sink),
    );
    let mta_sts = if mx.receives {
        Some(mta_sts_check(cx, &domain, &mx.exchanges, sink).await)
    } else {
        None
    };
    sink.measure(Measurement::Email(EmailAuth {
        dkim: json!(dkim),
        dmarc: json!(dmarc_results),
        domain: domain.clone(),
        mta_sts,
        mx: mx.hosts.clone(),
        spf: json!(spf_results),
    }));
    // A lookup that failed (timeout, SERVFAIL) leaves part of the evaluation undone: the check
    // did not complete, and says what it could not verify.
    let unverified: Vec<&str> = spf_results
        .iter()
        .filter_map(|r| r.get("unverified").and_then(|u| u.as_array()))
        .flatten()
        .filter_map(|u| u.as_str())
        .collect();
    if !unverified.is_empty() {
        return Err(CheckError::Network {
            subject: domain,
            cause: unverified.join("; "),
        });
    }
    Ok(())
}

/// What the MX lookup established.
struct MxResult {
    /// The domain accepts mail (has at least one non-null MX).
    receives: bool,
    /// `preference host` lines, for the report.
    hosts: Vec<String>,
    /// The MX host names alone.
    exchanges: Vec<String>,
}

async fn mx_check(net: &Net, domain: &str, sink: &Sink) -> MxResult {
    let o = net.lookup(domain, RecordType::MX).await;
    let mut hosts = mx_hosts(&o);
    hosts.sort();
    let names: Vec<String> = hosts.iter().map(|(p, h)| format!("{p} {h}")).collect();
    if hosts.is_empty() {
        if o.is_negative() {
            sink.push(spec::NO_MX.finding(
                domain,
                format!("{domain} has no MX record: replies and bounces to it are lost"),
                format!("MX {domain}: {}", o.describe()),
            ));
        }
        return MxResult {
            receives: false,
            hosts: names,
            exchanges: Vec::new(),
        };
    }
    let null: Vec<_> = hosts.iter().filter(|(_, h)| h.is_empty()).collect();
    if !null.is_empty() {
        // RFC 7505 §3: a null MX is the only MX of a domain that receives no mail.
        if hosts.len() > 1 {
            sink.push(spec::MX_UNRESOLVED.finding(
                domain,
                format!("{domain} mixes a null MX with other MX records"),
                format!(
                    "MX {domain}: {}; a domain publishing the null MX `0 .` must publish no other MX (RFC 7505 §3)",
                    names.join(", ")
                ),
            ));
        }
        return MxResult {
            receives: false,
            hosts: names,
            exchanges: Vec::new(),
        };
    }
    let checked: Vec<&(u16, String)> = hosts.iter().take(MX_CAP).collect();
    let resolved = join_all(checked.iter().map(|(_, h)| async move {
        let addrs = net.host_addrs(h).await;
        (addrs.any(), addrs.a, addrs.aaaa)
    }))
    .await;
    for ((_, h), (ok, a, aaaa)) in checked.iter().zip(resolved) {
        if ok {
            continue;
        }
        sink.push(spec::MX_UNRESOLVED.finding(
            h.clone(),
            format!("MX host {h} of {domain} does not resolve"),
            format!(
                "MX {domain}: {}; {h}: A: {}; AAAA: {}",
                names.join(", "),
                a.describe(),
                aaaa.describe()
            ),
        ));
    }
    MxResult {
        receives: true,
        exchanges: hosts.iter().map(|(_, h)| h.clone()).collect(),
        hosts: names,
    }
}

/// Evaluates SPF for one host whose TXT answer is `o`. `main` is the `[email] domain`.
async fn spf_host(
    net: &Net,
    host: &str,
    o: &DnsOutcome,
    main: bool,
    sink: &Sink,
) -> serde_json::Value {
    let all_txt = txts(o);
    let records: Vec<&String> = all_txt.iter().filter(|t| spf::is_spf(t)).collect();
    match records.len() {
        0 => {
            if !main {
                return json!({"host": host, "record": null});
            }
            if o.is_failure() {
                return json!({"host": host, "error": o.describe(), "unverified": [format!(
                    "TXT {host} could not be looked up ({}): its SPF record was not checked",
                    o.describe()
                )]});
            }
            // A record that was meant as SPF but is not selected (quotes, `spf1` typo, leading
            // space) is a syntax problem, not an absent record.
            if let Some(bad) = all_txt.iter().find(|t| {
                let l = t.to_ascii_lowercase();
                l.contains("v=spf") || l.trim_start_matches(['"', ' ', '\'']).starts_with("spf")
            }) {
                sink.push(spec::SPF_SYNTAX.finding(
                    host,
                    format!("{host}'s SPF record is not recognised: it does not begin with exactly `v=spf1`"),
                    format!(
                        "TXT {host}: \"{}\"; receivers select only TXT records beginning with `v=spf1` followed by a space (RFC 7208 §4.5), so this domain has no SPF",
                        spf::clip(bad, 160)
                    ),
                ));
            } else {
                let seen = if all_txt.is_empty() {
                    o.describe()
                } else {
                    format!(
                        "{} TXT record(s), none beginning with v=spf1",
                        all_txt.len()
                    )
                };
                sink.push(spec::NO_SPF.finding(
                    host,
                    format!("{host} publishes no SPF record"),
                    format!("TXT {host}: {seen}"),
                ));
            }
            json!({"host": host, "record": null})
        }
        1 => {
            let record = records[0];
            if let Err(e) = spf::parse(record) {
                sink.push(spec::SPF_SYNTAX.finding(
                    host,
                    format!("{host}'s SPF record does not parse: bad term `{}`", e.term),
                    format!(
                        "TXT {host}: \"{}\"; {e}; receivers return permerror (RFC 7208 §4.6)",
                        spf::clip(record, 200)
                    ),
                ));
                return json!({"host": host, "record": spf::clip(record, 200), "syntax_error": e.to_string()});
            }
            let ev = spf::evaluate(&NetDns(net), host, record).await;
            let mut unverified: Vec<String> = Vec::new();
            let tree = spf::render_tree(&ev);
            for (d, e) in &ev.syntax {
                sink.push(spec::SPF_SYNTAX.finding(
                    host,
                    format!(
                        "an SPF record included by {host} does not parse: bad term `{}`",
                        e.term
                    ),
                    format!("{d}: {e}; the include returns permerror (RFC 7208 §5.2)\n{tree}"),
                ));
            }
            if ev.lookups > spf::LOOKUP_LIMIT || !ev.loops.is_empty() || !ev.other_errors.is_empty()
            {
                let title = if !ev.loops.is_empty() {
                    format!("{host}'s SPF includes loop back on themselves: SPF fails (permerror)")
                } else if ev.lookups > spf::LOOKUP_LIMIT {
                    format!(
                        "{host}'s SPF needs {} DNS lookups (limit 10): SPF fails (permerror)",
                        ev.lookups
                    )
                } else {
                    format!("{host}'s SPF exceeds an RFC 7208 §4.6.4 limit: SPF fails (permerror)")
                };
                let mut ev_text = format!(
                    "{} DNS-querying terms (include, a, mx, ptr, exists, redirect; limit 10, RFC 7208 §4.6.4)",
                    ev.lookups
                );
                for l in &ev.loops {
                    ev_text.push_str(&format!("; include loop: {l}"));
                }
                for e in &ev.other_errors {
                    ev_text.push_str(&format!("; {e}"));
                }
                sink.push(spec::SPF_TOO_MANY_LOOKUPS.finding(
                    host,
                    title,
                    format!("{ev_text}\n{tree}"),
                ));
            }
            if !ev.broken_targets.is_empty() {
                sink.push(spec::SPF_BROKEN_INCLUDE.finding(
                    host,
                    format!(
                        "{host}'s SPF includes a domain with no usable SPF record: SPF fails (permerror)"
                    ),
                    format!("{}\n{tree}", ev.broken_targets.join("; ")),
                ));
            }
            if ev.voids > spf::VOID_LIMIT {
                let mut text = format!(
                    "{} void lookups (NXDOMAIN or no data; limit 2, RFC 7208 §4.6.4)",
                    ev.voids
                );
                for v in &ev.void_terms {
                    text.push_str(&format!("; {v}"));
                }
                sink.push(spec::SPF_VOID_LOOKUPS.finding(
                    host,
                    format!("{host}'s SPF has {} void lookups (limit 2)", ev.voids),
                    format!("{text}\n{tree}"),
                ));
            }
            if !ev.temp_errors.is_empty() {
                unverified.push(format!(
                    "{host}'s SPF could not be verified: {} (temperror, RFC 7208 §4.4; receivers defer or fail such mail while it lasts)",
                    ev.temp_errors.join("; ")
                ));
            }
            if let Some((d, term)) = ev.permissive.first() {
                let who = if d == host {
                    String::new()
                } else {
                    format!(" (reached through {d})")
                };
                let meaning = if term.starts_with('?') {
                    "neutral: receivers are told nothing about strangers sending as you"
                } else {
                    "pass: every server on the internet is authorised"
                };
                sink.push(spec::SPF_PERMISSIVE_ALL.finding(
                    host,
                    format!("{host}'s SPF ends in `{term}`{who}: anyone may send as {host}"),
                    format!(
                        "TXT {host}: \"{}\"; `{term}` in {d} means {meaning} (RFC 7208 §4.6.2, §5.1)",
                        spf::clip(record, 200)
                    ),
                ));
            }
            json!({
                "host": host,
                "record": spf::clip(record, 200),
                "lookups": ev.lookups,
                "void_lookups": ev.voids,
                "loops": ev.loops,
                "unverified": unverified,
            })
        }
        n => {
            let list: Vec<String> = records
                .iter()
                .map(|r| format!("\"{}\"", spf::clip(r, 120)))
                .collect();
            sink.push(spec::MULTIPLE_SPF.finding(
                host,
                format!("{host} publishes {n} SPF records: SPF fails (permerror)"),
                format!(
                    "TXT {host}: {}; more than one `v=spf1` record is a permerror (RFC 7208 §4.5)",
                    list.join(", ")
                ),
            ));
            json!({"host": host, "records": n})
        }
    }
}

/// DMARC records (selected by `v=DMARC1`) at `_dmarc.<name>`, plus TXT strings that look like a
/// mistyped DMARC record.
async fn dmarc_lookup(net: &Net, name: &str) -> (DnsOutcome, Vec<String>, Vec<String>) {
    let o = net.lookup(&format!("_dmarc.{name}"), RecordType::TXT).await;
    let all = txts(&o);
    let (good, other): (Vec<String>, Vec<String>) =
        all.into_iter().partition(|t| dmarc::is_dmarc(t));
    let lookalike = other
        .into_iter()
        .filter(|t| {
            let l = t.to_ascii_lowercase();
            l.contains("dmarc") || l.contains("p=")
        })
        .collect();
    (o, good, lookalike)
}

async fn dmarc_host(net: &Net, host: &str, main: bool, sink: &Sink) -> serde_json::Value {
    let (o, mut records, lookalike) = dmarc_lookup(net, host).await;
    let mut at = format!("_dmarc.{host}");
    let mut inherited = false;
    let mut tried = vec![format!("TXT _dmarc.{host}: {}", o.describe())];
    if records.is_empty() && !lookalike.is_empty() {
        sink.push(spec::DMARC_SYNTAX.finding(
            host,
            format!("_dmarc.{host} is not a DMARC record: it does not start with `v=DMARC1`"),
            format!(
                "TXT _dmarc.{host}: \"{}\"; records that do not start with `v=DMARC1` are discarded (RFC 7489 §6.6.3)",
                spf::clip(&lookalike[0], 160)
            ),
        ));
        return json!({"host": host, "record": null});
    }
    if records.is_empty() {
        if !main {
            // A sending subdomain without its own record is covered by the report on the
            // organisational domain; say nothing twice.
            return json!({"host": host, "record": null});
        }
        if o.is_failure() {
            return json!({"host": host, "error": o.describe()});
        }
        if let Some(org) = dmarc::org_domain(host).filter(|d| d != host) {
            let (o2, r2, _) = dmarc_lookup(net, &org).await;
            tried.push(format!("TXT _dmarc.{org}: {}", o2.describe()));
            if !r2.is_empty() {
                records = r2;
                at = format!("_dmarc.{org}");
                inherited = true;
            }
        }
        if records.is_empty() {
            sink.push(spec::NO_DMARC.finding(
                host,
                format!("{host} has no DMARC policy"),
                format!(
                    "{} (policy discovery with organisational-domain fallback, RFC 7489 §6.6.3)",
                    tried.join("; ")
                ),
            ));
            return json!({"host": host, "record": null});
        }
    }
    if records.len() > 1 {
        sink.push(spec::DMARC_SYNTAX.finding(
            host,
            format!("{at} has {} DMARC records: receivers apply none", records.len()),
            format!(
                "TXT {at}: {}; with more than one record DMARC processing is not applied (RFC 7489 §6.6.3)",
                records
                    .iter()
                    .map(|r| format!("\"{}\"", spf::clip(r, 120)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
        return json!({"host": host, "records": records.len()});
    }
    let record = &records[0];
    let quoted = format!("TXT {at}: \"{}\"", spf::clip(record, 200));
    let rec = match dmarc::parse(record) {
        Ok(r) => r,
        Err(e) => {
            sink.push(spec::DMARC_SYNTAX.finding(
                host,
                format!("{at} does not parse: {e}"),
                format!("{quoted}; {e}"),
            ));
            return json!({"host": host, "record": spf::clip(record, 200), "syntax_error": e});
        }
    };
    let policy = if inherited {
        rec.sp.unwrap_or(rec.p)
    } else {
        rec.p
    };
    let via = if inherited {
        format!(
            " (inherited from {at}, {} applies)",
            if rec.sp.is_some() { "sp=" } else { "p=" }
        )
    } else {
        String::new()
    };
    if policy == dmarc::Policy::None {
        sink.push(spec::DMARC_POLICY_NONE.finding(
            host,
            format!("{host}'s DMARC policy is p=none{via}: spoofed mail is still delivered"),
            format!("{quoted}; policy for {host}: none"),
        ));
    }
    if rec.rua.is_empty() {
        sink.push(spec::NO_DMARC_REPORTING.finding(
            host,
            format!("{host}'s DMARC record has no rua= report address{via}"),
            format!("{quoted}; no `rua=` tag, so no aggregate reports are sent (RFC 7489 §7.2)"),
        ));
    }
    json!({
        "host": host,
        "record": spf::clip(record, 200),
        "at": at,
        "policy": policy.as_str(),
        "pct": rec.pct,
        "rua": rec.rua,
    })
}

/// How one selector looked.
enum SelectorState {
    Missing(String),
    Syntax(String, String),
    Key(dkim::DkimRecord),
}

async fn selector_lookup(net: &Net, sel: &str, domain: &str) -> (String, SelectorState) {
    let name = format!("{sel}._domainkey.{domain}");
    let o = net.lookup(&name, RecordType::TXT).await;
    let recs = txts(&o);
    if recs.is_empty() {
        return (name, SelectorState::Missing(o.describe()));
    }
    // Several records: a verifier may use any (RFC 6376 §3.6.2.2); the best one counts.
    let mut first_err = None;
    let mut best: Option<dkim::DkimRecord> = None;
    for r in &recs {
        match dkim::parse(r) {
            Ok(k) => {
                let better = match (&best, &k.key) {
                    (None, _) => true,
                    (Some(b), dkim::Key::Rsa(n)) => {
                        matches!(b.key, dkim::Key::Rsa(m) if *n > m) || b.key == dkim::Key::Revoked
                    }
                    (Some(b), dkim::Key::Ed25519) => b.key == dkim::Key::Revoked,
                    _ => false,
                };
                if better {
                    best = Some(k);
                }
            }
            Err(e) => {
                if first_err.is_none() {
                    first_err = Some((spf::clip(r, 120), e));
                }
            }
        }
    }
    match (best, first_err) {
        (Some(k), _) => (name, SelectorState::Key(k)),
        (None, Some((r, e))) => (name, SelectorState::Syntax(r, e)),
        (None, None) => (name, SelectorState::Missing(o.describe())),
    }
}

async fn dkim_check(
    net: &Net,
    domain: &str,
    configured: &[String],
    sink: &Sink,
) -> serde_json::Value {
    let probing = configured.is_empty();
    let selectors: Vec<String> = if probing {
        dkim::COMMON_SELECTORS
            .iter()
            .map(|s| s.to_string())
            .collect()
    } else {
        configured.to_vec()
    };
    let (states, base) = tokio::join!(
        join_all(selectors.iter().map(|s| selector_lookup(net, s, domain))),
        async {
            if probing {
                Some(
                    net.lookup(&format!("_domainkey.{domain}"), RecordType::TXT)
                        .await,
                )
            } else {
                None
            }
        }
    );
    let mut usable = Vec::new();
    let mut summary = Vec::new();
    for (name, st) in &states {
        match st {
            SelectorState::Missing(why) => {
                if !probing {
                    summary.push(format!("{name}: {why}"));
                }
            }
            SelectorState::Syntax(rec, e) => {
                summary.push(format!("{name}: does not parse"));
                sink.push(spec::DKIM_SYNTAX.finding(
                    name.clone(),
                    format!("DKIM record {name} does not parse: {e}"),
                    format!("TXT {name}: \"{rec}\"; {e}"),
                ));
            }
            SelectorState::Key(k) => {
                summary.push(format!("{name}: {}", dkim::describe(&k.key)));
                match k.key {
                    dkim::Key::Rsa(bits) if bits < 1024 => {
                        sink.push(spec::DKIM_WEAK_KEY.finding(
                            name.clone(),
                            format!("DKIM key {name} is RSA {bits}-bit: receivers ignore its signatures"),
                            format!("TXT {name}: RSA {bits}-bit key; keys under 1024 bits must not be accepted (RFC 8301 §3.2)"),
                        ));
                    }
                    dkim::Key::Rsa(bits) => {
                        if bits == 1024 {
                            sink.push(
                                spec::DKIM_WEAK_KEY
                                    .finding(
                                        name.clone(),
                                        format!("DKIM key {name} is RSA 1024-bit, the bare minimum"),
                                        format!("TXT {name}: RSA 1024-bit key; RFC 8301 §3.2 asks signers for at least 2048 bits"),
                                    )
                                    .with_severity(Severity::Medium),
                            );
                        }
                        usable.push(name.clone());
                    }
                    dkim::Key::Ed25519 => usable.push(name.clone()),
                    dkim::Key::Revoked => {}
                }
            }
        }
    }
    if usable.is_empty() {
        if probing {
            match &base {
                Some(DnsOutcome::NxDomain) => sink.push(spec::NO_DKIM.finding(
                    domain,
                    format!("{domain} publishes no DKIM key"),
                    format!(
                        "no email.dkim_selectors configured; probed {} common selectors ({}) and found none{}; _domainkey.{domain}: NXDOMAIN, so no selector exists under it at all (RFC 8020)",
                        selectors.len(),
                        selectors.join(", "),
                        found_suffix(&summary)
                    ),
                )),
                Some(o) if !o.is_failure() => sink.push(
                    spec::NO_DKIM
                        .finding(
                            domain,
                            format!("no DKIM key found for {domain} under common selectors"),
                            format!(
                                "no email.dkim_selectors configured; probed {} common selectors ({}) and found none{}; _domainkey.{domain} exists ({}), so keys are probably published under other selectors: list them in email.dkim_selectors",
                                selectors.len(),
                                selectors.join(", "),
                                found_suffix(&summary),
                                o.describe()
                            ),
                        )
                        .with_severity(Severity::Low),
                ),
                _ => {}
            }
        } else {
            sink.push(spec::NO_DKIM.finding(
                domain,
                format!("none of {domain}'s DKIM selectors has a usable key"),
                format!("{} (RFC 6376 §3.6.2.2)", summary.join("; ")),
            ));
        }
    }
    json!({
        "probed": probing,
        "selectors": summary,
        "usable": usable,
        "domainkey_node": base.map(|o| o.describe()),
    })
}

fn found_suffix(summary: &[String]) -> String {
    if summary.is_empty() {
        String::new()
    } else {
        format!(" usable ({})", summary.join("; "))
    }
}

/// A validated MTA-STS policy's mode, or why the policy is not usable.
pub fn parse_sts_policy(text: &str) -> Result<String, String> {
    let mut version = None;
    let mut mode = None;
    let mut max_age = None;
    let mut mx = 0;
    for line in text.lines() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let (k, v) = line.split_once(':').ok_or_else(|| {
            format!(
                "line `{}` is not `key: value` (RFC 8461 §3.2)",
                spf::clip(line, 60)
            )
        })?;
        let v = v.trim();
        match k.trim() {
            "version" => version = Some(v.to_string()),
            "mode" => mode = Some(v.to_string()),
            "max_age" => max_age = Some(v.to_string()),
            "mx" => mx += 1,
            _ => {}
        }
    }
    if version.as_deref() != Some("STSv1") {
        return Err("`version: STSv1` is missing (RFC 8461 §3.2)".into());
    }
    let mode = mode.ok_or("`mode:` is missing (RFC 8461 §3.2)")?;
    if !matches!(mode.as_str(), "enforce" | "testing" | "none") {
        return Err(format!(
            "`mode: {}` must be enforce, testing or none",
            spf::clip(&mode, 30)
        ));
    }
    let age = max_age.ok_or("`max_age:` is missing (RFC 8461 §3.2)")?;
    if age.len() > 10 || age.parse::<u64>().map(|a| a > 31_557_600).unwrap_or(true) {
        return Err(format!(
            "`max_age: {}` must be 0-31557600 seconds",
            spf::clip(&age, 30)
        ));
    }
    if mx == 0 && mode != "none" {
        return Err("no `mx:` line (RFC 8461 §3.2)".into());
    }
    Ok(mode)
}

/// Whether a `_mta-sts` TXT string is a valid STSv1 record (RFC 8461 §3.1).
pub fn is_sts_record(txt: &str) -> Result<(), String> {
    let tags: Vec<(&str, &str)> = txt
        .split(';')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .filter_map(|p| p.split_once('=').map(|(k, v)| (k.trim(), v.trim())))
        .collect();
    if tags.first() != Some(&("v", "STSv1")) {
        return Err("does not start with `v=STSv1` (RFC 8461 §3.1)".into());
    }
    match tags.iter().find(|(k, _)| *k == "id") {
        Some((_, id))
            if !id.is_empty()
                && id.len() <= 32
                && id.bytes().all(|b| b.is_ascii_alphanumeric()) =>
        {
            Ok(())
        }
        _ => Err("needs `id=` of 1-32 letters and digits (RFC 8461 §3.1)".into()),
    }
}

/// The `mx:` patterns of an MTA-STS policy, lowercase, trailing dots removed.
pub fn sts_mx_patterns(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.trim_end_matches('\r').split_once(':'))
        .filter(|(k, _)| k.trim() == "mx")
        .map(|(_, v)| v.trim().trim_end_matches('.').to_ascii_lowercase())
        .filter(|v| !v.is_empty())
        .collect()
}

/// Whether MX host `host` matches policy pattern `pattern` (RFC 8461 §4.1): the same name, or
/// `*.` followed by the name without its leftmost label (a wildcard covers exactly one label).
pub fn sts_mx_matches(pattern: &str, host: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let pattern = pattern.trim_end_matches('.').to_ascii_lowercase();
    match pattern.strip_prefix("*.") {
        Some(suffix) => host
            .split_once('.')
            .is_some_and(|(label, rest)| !label.is_empty() && rest == suffix),
        None => host == pattern,
    }
}

async fn mta_sts_check(
    cx: &Cx,
    domain: &str,
    mx_hosts: &[String],
    sink: &Sink,
) -> serde_json::Value {
    let net = &cx.net;
    let name = format!("_mta-sts.{domain}");
    let o = net.lookup(&name, RecordType::TXT).await;
    if o.is_failure() {
        return json!({"error": o.describe()});
    }
    let recs: Vec<String> = txts(&o)
        .into_iter()
        .filter(|t| t.to_ascii_lowercase().starts_with("v=stsv1"))
        .collect();
    let problem = |p: String| {
        sink.push(spec::NO_MTA_STS.finding(
            domain,
            format!("{domain} has no usable MTA-STS policy"),
            p.clone(),
        ));
        json!({"policy": null, "problem": p})
    };
    match recs.len() {
        0 => {
            return problem(format!(
                "TXT {name}: {}",
                if txts(&o).is_empty() {
                    o.describe()
                } else {
                    "no v=STSv1 record".into()
                }
            ));
        }
        1 => {
            if let Err(e) = is_sts_record(&recs[0]) {
                return problem(format!("TXT {name}: \"{}\" {e}", spf::clip(&recs[0], 120)));
            }
        }
        n => {
            return problem(format!(
                "TXT {name}: {n} v=STSv1 records; senders then assume no policy (RFC 8461 §3.1)"
            ));
        }
    }
    let port = cx.cfg.target.https_port;
    let url = if port == 443 {
        format!("https://mta-sts.{domain}/.well-known/mta-sts.txt")
    } else {
        format!("https://mta-sts.{domain}:{port}/.well-known/mta-sts.txt")
    };
    let fetched = tokio::time::timeout(net.op_timeout, async {
        let resp = net
            .http
            .get(&url)
            .send()
            .await
            .map_err(|e| crate::net::error_chain(&e))?;
        let status = resp.status();
        if status != reqwest::StatusCode::OK {
            return Err(format!(
                "HTTP {status} (the policy must be served with 200, RFC 8461 §3.3)"
            ));
        }
        let body = crate::http_util::read_capped(resp, POLICY_CAP)
            .await
            .map_err(|e| crate::net::error_chain(&e))?;
        Ok(String::from_utf8_lossy(&body).into_owned())
    })
    .await
    .unwrap_or_else(|_| Err("timed out".into()));
    let body = match fetched {
        Ok(b) => b,
        Err(e) => return problem(format!("TXT {name} found, but GET {url}: {e}")),
    };
    match parse_sts_policy(&body) {
        Ok(mode) if mode == "none" => problem(format!(
            "GET {url}: policy has `mode: none`, which tells senders to ignore MTA-STS (RFC 8461 §5)"
        )),
        Ok(mode) => {
            let patterns = sts_mx_patterns(&body);
            let unmatched: Vec<&String> = mx_hosts
                .iter()
                .filter(|h| !patterns.iter().any(|p| sts_mx_matches(p, h)))
                .collect();
            if !unmatched.is_empty() {
                let list: Vec<&str> = unmatched.iter().map(|h| h.as_str()).collect();
                let effect = if mode == "enforce" {
                    "senders that honour MTA-STS will not deliver to it"
                } else {
                    "mode: testing, so senders deliver but report failures"
                };
                let f = spec::MTA_STS_MX_MISMATCH.finding(
                    domain,
                    format!(
                        "{domain}'s MTA-STS policy does not list MX host {}",
                        list.join(", ")
                    ),
                    format!(
                        "MX {domain}: {}; GET {url}: mode: {mode}, mx: {}; {} match(es) none of the patterns (RFC 8461 §4.1): {effect}",
                        mx_hosts.join(", "),
                        patterns.join(", "),
                        list.join(", ")
                    ),
                );
                sink.push(if mode == "enforce" {
                    f
                } else {
                    f.with_severity(Severity::Low)
                });
            }
            json!({"policy": url, "mode": mode, "mx": patterns, "mx_unmatched": unmatched})
        }
        Err(e) => problem(format!("GET {url}: policy does not parse: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sts_records_and_policies() {
        // RFC 8461 §3.1 and §3.2 examples.
        assert!(is_sts_record("v=STSv1; id=20160831085700Z;").is_ok());
        assert!(is_sts_record("v=STSv1; id=").is_err());
        assert!(is_sts_record("id=1; v=STSv1").is_err());
        let p = "version: STSv1\nmode: enforce\nmx: mail.example.com\nmx: *.example.net\nmx: backupmx.example.com\nmax_age: 604800\n";
        assert_eq!(parse_sts_policy(p).as_deref(), Ok("enforce"));
        assert_eq!(
            parse_sts_policy(&p.replace('\n', "\r\n")).as_deref(),
            Ok("enforce")
        );
        assert!(parse_sts_policy("version: STSv1\nmode: enforce\nmax_age: 1\n").is_err());
        assert!(parse_sts_policy("<html>not found</html>").is_err());
        assert!(parse_sts_policy("version: STSv1\nmode: on\nmx: a\nmax_age: 1").is_err());
    }

    #[test]
    fn sts_mx_patterns_match_one_label_wildcards() {
        let p = "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com.\r\nmx: *.Example.NET\r\nmax_age: 1\r\n";
        assert_eq!(
            sts_mx_patterns(p),
            vec!["mail.example.com".to_string(), "*.example.net".to_string()]
        );
        // RFC 8461 §4.1 examples.
        assert!(sts_mx_matches("mail.example.com", "MAIL.example.com."));
        assert!(sts_mx_matches("*.example.net", "mx1.example.net"));
        assert!(!sts_mx_matches("*.example.net", "a.mx1.example.net"));
        assert!(!sts_mx_matches("*.example.net", "example.net"));
        assert!(!sts_mx_matches("mail.example.com", "mail2.example.com"));
    }

    proptest::proptest! {
        #[test]
        fn sts_parsers_never_panic(s in "\\PC{0,300}") {
            let _ = parse_sts_policy(&s);
            let _ = is_sts_record(&s);
        }
    }
}
