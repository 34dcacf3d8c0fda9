//! Redirect chains, walked one hop at a time (at most [`MAX_HOPS`] redirects), every hop recorded
//! with its URL, status, Location and time; and the `http.*` findings judged from them:
//! unreachable hosts, missing https redirect, loops, downgrades, the canonical host, temporary
//! redirects, long chains, auth paths leaving the host, 5xx answers.
//!
//! The shared client never follows redirects; this module does, resolving relative Locations
//! against the current URL and giving port-less Locations into the target the configured ports.

use super::{Fetcher, Ports, Resp, show};
use crate::catalogue::http as spec;
use crate::checks::Sink;
use crate::finding::{Finding, Severity};
use crate::model::{RedirectChain, RedirectHop};
use futures::StreamExt;
use std::collections::HashSet;
use url::Url;

/// Redirects followed at most; an 11th redirect makes the chain a loop (DESIGN §4).
pub const MAX_HOPS: usize = 10;

/// One request of a chain.
#[derive(Debug, Clone)]
pub struct Hop {
    /// The URL requested.
    pub url: Url,
    /// The status answered.
    pub status: u16,
    /// The raw Location header, when there was one.
    pub location: Option<String>,
    /// Where the Location points (resolved, ports fixed), when it is a redirect.
    pub next: Option<Url>,
    /// Time to the response headers, ms.
    pub ms: u64,
}

/// How a chain ended.
#[derive(Debug, Clone, PartialEq)]
pub enum End {
    /// A non-redirect answer (the last hop).
    Final,
    /// A redirect back to a URL already visited (that URL).
    Loop(Url),
    /// More than [`MAX_HOPS`] redirects.
    TooMany,
    /// A request failed: (URL, cause, the certificate was refused).
    Error(Url, String, bool),
    /// A redirect left the starting host and the walk was told to stop there.
    LeftHost(Url),
    /// A Location that cannot be parsed.
    BadLocation(String),
}

/// A walked chain.
#[derive(Debug, Clone)]
pub struct Walk {
    /// Where the walk started.
    pub start: Url,
    /// The requests made, in order.
    pub hops: Vec<Hop>,
    /// How it ended.
    pub end: End,
    /// The last response (the final page when `end` is `Final`).
    pub last: Option<Resp>,
}

fn is_redirect(status: u16) -> bool {
    matches!(status, 301 | 302 | 303 | 307 | 308)
}

/// Walks from `start`, sending `headers` on every hop. With `stop_off_host` the walk stops at the
/// first redirect to another host. Bodies are read (capped) only when `body` is set.
/// Cookies a walk was given, sent back on its later hops as a browser would (RFC 6265 §5.3,
/// simplified: host-only or Domain-matched, every path, Max-Age <= 0 or a past Expires deletes).
/// A site that sets a cookie and redirects to the same URL is no loop for a browser. Values are
/// only ever sent back to the site, never shown.
#[derive(Debug, Default)]
struct Jar(Vec<JarCookie>);

#[derive(Debug)]
struct JarCookie {
    domain: String,
    host_only: bool,
    name: String,
    value: String,
}

impl Jar {
    fn store(&mut self, url: &Url, resp: &Resp) {
        let host = url.host_str().unwrap_or("").to_ascii_lowercase();
        for line in resp.header_all("set-cookie") {
            let mut parts = line.split(';');
            let Some((name, value)) = parts.next().and_then(|p| p.split_once('=')) else {
                continue;
            };
            let name = name.trim();
            if name.is_empty() {
                continue;
            }
            let mut domain = None;
            let mut delete = false;
            for a in parts {
                let (k, v) = a.split_once('=').unwrap_or((a, ""));
                match k.trim().to_ascii_lowercase().as_str() {
                    "domain" => {
                        domain = Some(v.trim().trim_start_matches('.').to_ascii_lowercase())
                    }
                    "max-age" => delete |= v.trim().parse::<i64>().is_ok_and(|n| n <= 0),
                    "expires" => {
                        delete |= httpdate::parse_http_date(v.trim())
                            .is_ok_and(|t| t <= std::time::SystemTime::now())
                    }
                    _ => {}
                }
            }
            // A Domain the request host is not inside is refused (RFC 6265 §5.3 step 6).
            let (domain, host_only) = match domain.filter(|d| !d.is_empty()) {
                Some(d) if host == d || host.ends_with(&format!(".{d}")) => (d, false),
                Some(_) => continue,
                None => (host.clone(), true),
            };
            self.0
                .retain(|c| !(c.name == name && c.domain == domain && c.host_only == host_only));
            if !delete {
                self.0.push(JarCookie {
                    domain,
                    host_only,
                    name: name.to_string(),
                    value: value.trim().to_string(),
                });
            }
        }
    }

    /// The Cookie header for a request to `url`, if any cookie applies.
    fn header(&self, url: &Url) -> Option<String> {
        let host = url.host_str().unwrap_or("").to_ascii_lowercase();
        let pairs: Vec<String> = self
            .0
            .iter()
            .filter(|c| {
                host == c.domain || (!c.host_only && host.ends_with(&format!(".{}", c.domain)))
            })
            .map(|c| format!("{}={}", c.name, c.value))
            .collect();
        (!pairs.is_empty()).then(|| pairs.join("; "))
    }
}

pub async fn walk(
    f: &Fetcher,
    ports: &Ports,
    start: Url,
    headers: &[(&str, String)],
    stop_off_host: bool,
    body: bool,
) -> Walk {
    let mut hops: Vec<Hop> = Vec::new();
    // A URL is a loop only when it comes back with the same cookies (the browser's state).
    let mut seen: HashSet<String> = HashSet::new();
    let mut jar = Jar::default();
    let visit = |url: &Url, jar: &Jar| format!("{url} {}", jar.header(url).unwrap_or_default());
    let mut cur = start.clone();
    let start_host = start.host_str().unwrap_or("").to_string();
    let mut last = None;
    loop {
        seen.insert(visit(&cur, &jar));
        let mut sent = headers.to_vec();
        if let Some(c) = jar.header(&cur) {
            sent.push(("cookie", c));
        }
        let resp = match f.fetch_typed(reqwest::Method::GET, &cur, &sent, body).await {
            Ok(r) => r,
            Err(e) => {
                return Walk {
                    start,
                    hops,
                    end: End::Error(cur, e.cause, e.certificate),
                    last,
                };
            }
        };
        jar.store(&cur, &resp);
        let location = resp.header("location").map(str::to_string);
        let mut hop = Hop {
            url: cur.clone(),
            status: resp.status,
            location: location.clone(),
            next: None,
            ms: resp.ms,
        };
        let redirect = is_redirect(resp.status) && location.is_some();
        last = Some(resp);
        if !redirect {
            hops.push(hop);
            return Walk {
                start,
                hops,
                end: End::Final,
                last,
            };
        }
        let loc = location.unwrap_or_default();
        let mut next = match cur.join(loc.trim()) {
            Ok(u) if matches!(u.scheme(), "http" | "https") => u,
            _ => {
                hops.push(hop);
                return Walk {
                    start,
                    hops,
                    end: End::BadLocation(loc),
                    last,
                };
            }
        };
        ports.fix_port(&mut next);
        next.set_fragment(None);
        hop.next = Some(next.clone());
        hops.push(hop);
        if stop_off_host && next.host_str().unwrap_or("") != start_host {
            return Walk {
                start,
                hops,
                end: End::LeftHost(next),
                last,
            };
        }
        if seen.contains(&visit(&next, &jar)) {
            return Walk {
                start,
                hops,
                end: End::Loop(next),
                last,
            };
        }
        // 10 redirects are followed; an 11th means the chain exceeds the limit.
        if hops.len() > MAX_HOPS {
            return Walk {
                start,
                hops,
                end: End::TooMany,
                last,
            };
        }
        cur = next;
    }
}

impl Walk {
    /// Redirects in the chain.
    pub fn redirects(&self) -> usize {
        self.hops.iter().filter(|h| h.next.is_some()).count()
    }

    /// Status of the final answer, when the chain ended on one.
    pub fn final_status(&self) -> Option<u16> {
        match self.end {
            End::Final => self.hops.last().map(|h| h.status),
            _ => None,
        }
    }

    /// The bot protection whose challenge ended the walk (see [`Resp::bot_challenge`]).
    pub fn challenged(&self) -> Option<String> {
        match self.end {
            End::Final => self.last.as_ref().and_then(Resp::bot_challenge),
            _ => None,
        }
    }

    /// A server error the site answered itself (not a bot protection's challenge page).
    pub fn server_error(&self) -> Option<u16> {
        self.final_status()
            .filter(|s| (500..=599).contains(s) && self.challenged().is_none())
    }

    /// The final URL when the chain ended with a 2xx on the host it started from.
    pub fn final_ok_same_host(&self) -> Option<&Url> {
        let h = self.hops.last()?;
        let ok = matches!(self.final_status(), Some(200..=299));
        (ok && h.url.host_str() == self.start.host_str()).then_some(&h.url)
    }

    /// The final URL when the chain ended with a 2xx.
    pub fn final_ok(&self) -> Option<&Url> {
        matches!(self.final_status(), Some(200..=299))
            .then(|| self.hops.last().map(|h| &h.url))
            .flatten()
    }

    /// The first https -> http hop: (from, to).
    pub fn downgrade(&self) -> Option<(&Url, &Url)> {
        self.hops.iter().find_map(|h| match &h.next {
            Some(n) if h.url.scheme() == "https" && n.scheme() == "http" => Some((&h.url, n)),
            _ => None,
        })
    }

    /// True when some hop was made over https.
    pub fn reached_https(&self) -> bool {
        self.hops.iter().any(|h| h.url.scheme() == "https")
    }

    /// Redirects answered 302/303/307 that change scheme or host (the https and canonical
    /// redirects, which should be permanent).
    pub fn temporary_hops(&self) -> Vec<&Hop> {
        self.hops
            .iter()
            .filter(|h| matches!(h.status, 302 | 303 | 307))
            .filter(|h| match &h.next {
                Some(n) => n.scheme() != h.url.scheme() || n.host_str() != h.url.host_str(),
                None => false,
            })
            .collect()
    }

    /// When the first http -> https redirect also changes host, the note that says so (the
    /// redirect should stay on the same host first, so HSTS is set for it: the rule Observatory
    /// and internet.nl apply).
    pub fn cross_host_upgrade(&self) -> Option<String> {
        let first = self.hops.first()?;
        let next = first.next.as_ref()?;
        if first.url.scheme() == "http"
            && next.scheme() == "https"
            && next.host_str() != first.url.host_str()
        {
            Some(format!(
                "note: the http -> https redirect changes host ({} -> {}); it should go to https on \
                 the same host first, or that host never gets HSTS",
                first.url.host_str().unwrap_or(""),
                next.host_str().unwrap_or("")
            ))
        } else {
            None
        }
    }

    /// The chain as evidence: `GET url -> 301 Location: x (3 ms); ...`, then how it ended.
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = self
            .hops
            .iter()
            .map(|h| match &h.location {
                Some(l) if h.next.is_some() || is_redirect(h.status) => {
                    format!(
                        "GET {} -> {} Location: {l} ({} ms)",
                        show(&h.url),
                        h.status,
                        h.ms
                    )
                }
                _ => format!("GET {} -> {} ({} ms)", show(&h.url), h.status, h.ms),
            })
            .collect();
        match &self.end {
            End::Final => {}
            End::Loop(u) => parts.push(format!("{} was already visited: loop", show(u))),
            End::TooMany => parts.push(format!("more than {MAX_HOPS} redirects: stopped")),
            End::Error(u, cause, _) => parts.push(format!("GET {} failed: {cause}", show(u))),
            End::LeftHost(u) => parts.push(format!("leaves the host for {}", show(u))),
            End::BadLocation(l) => parts.push(format!("unusable Location {l:?}")),
        }
        let mut s = parts.join("; ");
        if let Some(note) = self.cross_host_upgrade() {
            s.push_str("; ");
            s.push_str(&note);
        }
        s
    }

    /// The chain for the report's measurements.
    pub fn to_chain(&self) -> RedirectChain {
        let end = match &self.end {
            End::Final => format!("final {}", self.final_status().unwrap_or(0)),
            End::Loop(u) => format!("loop back to {u}"),
            End::TooMany => format!("more than {MAX_HOPS} redirects"),
            End::Error(u, c, _) => format!("error at {u}: {c}"),
            End::LeftHost(u) => format!("left the host for {u}"),
            End::BadLocation(l) => format!("unusable Location {l:?}"),
        };
        RedirectChain {
            end,
            hops: self
                .hops
                .iter()
                .map(|h| RedirectHop {
                    location: h.location.clone(),
                    ms: h.ms,
                    status: h.status,
                    url: h.url.to_string(),
                })
                .collect(),
            note: self.cross_host_upgrade(),
        }
    }
}

/// Walks http and https of every host, at most `at_once` hosts at a time. Result order: for each
/// host, its http walk then its https walk.
pub async fn walk_hosts(f: &Fetcher, ports: &Ports, hosts: &[String], at_once: usize) -> Vec<Walk> {
    let starts: Vec<Url> = hosts
        .iter()
        .flat_map(|h| [ports.url("http", h, "/"), ports.url("https", h, "/")])
        .flatten()
        .collect();
    futures::stream::iter(
        starts
            .into_iter()
            .map(|u| walk(f, ports, u, &[], false, false)),
    )
    .buffered(at_once.max(1) * 2)
    .collect()
    .await
}

/// Pushes findings, at most one per (host, id): the first walk that shows a problem tells it.
struct Once<'a> {
    sink: &'a Sink,
    seen: HashSet<(String, &'static str)>,
}

impl Once<'_> {
    fn push(&mut self, host: &str, f: Finding) {
        let id: &'static str = match f.id {
            std::borrow::Cow::Borrowed(s) => s,
            std::borrow::Cow::Owned(_) => "",
        };
        if self.seen.insert((host.to_string(), id)) {
            self.sink.push(f);
        }
    }
}

/// Judges the host walks: every `http.*` redirect finding except the auth-path ones.
pub fn judge_hosts(f: &Fetcher, walks: &[Walk], canonical: &str, www: &str, sink: &Sink) {
    let mut once = Once {
        sink,
        seen: HashSet::new(),
    };
    for w in walks {
        let host = w.start.host_str().unwrap_or("").to_string();
        let start = show(&w.start);
        let https_works = walks.iter().any(|o| {
            o.start.scheme() == "https"
                && o.start.host_str() == w.start.host_str()
                && !matches!(o.end, End::Error(..))
        });
        match &w.end {
            End::Error(u, _, cert) if !f.left_to_tls(*cert) => {
                let (title, sev) = if w.hops.is_empty() {
                    if w.start.scheme() == "http" && https_works {
                        // Current browsers try https first for typed names (Chrome since 90)
                        // and upgrade http:// links (Chrome's HTTPS-Upgrades, on for every
                        // user since October 2023): visitors still load the site. Not a
                        // launch blocker, but older browsers, apps and bots that follow
                        // http:// links fail, and so do HTTP-01 certificate renewals.
                        (
                            format!(
                                "{start} does not answer (https does): current browsers switch to https, but http:// links in apps, bots and older browsers fail"
                            ),
                            Some(Severity::Medium),
                        )
                    } else {
                        (format!("{start} cannot be fetched"), None)
                    }
                } else {
                    (
                        format!("{start} redirects to {}, which cannot be fetched", show(u)),
                        None,
                    )
                };
                let mut f = spec::UNREACHABLE.finding(start.clone(), title, w.describe());
                if let Some(s) = sev {
                    f = f.with_severity(s);
                }
                once.push(&host, f);
            }
            End::Loop(u) => once.push(
                &host,
                spec::REDIRECT_LOOP.finding(
                    start.clone(),
                    format!("{start} redirects in a loop (back to {})", show(u)),
                    w.describe(),
                ),
            ),
            End::TooMany => once.push(
                &host,
                spec::REDIRECT_LOOP.finding(
                    start.clone(),
                    format!("{start} redirects more than {MAX_HOPS} times"),
                    w.describe(),
                ),
            ),
            _ => {}
        }
        if let Some((from, to)) = w.downgrade() {
            once.push(
                &host,
                spec::REDIRECT_DOWNGRADE.finding(
                    start.clone(),
                    format!("{} redirects from https to {}", show(from), show(to)),
                    w.describe(),
                ),
            );
        }
        if w.start.scheme() == "http"
            && !w.reached_https()
            && let Some(200..=299) = w.final_status()
        {
            once.push(
                &host,
                spec::NO_HTTPS_REDIRECT.finding(
                    start.clone(),
                    format!(
                        "{start} serves the page over plain HTTP instead of redirecting to https"
                    ),
                    w.describe(),
                ),
            );
        }
        let temp = w.temporary_hops();
        if let Some(h) = temp.first() {
            let to = h.next.as_ref().map(show).unwrap_or_default();
            once.push(
                &host,
                spec::TEMPORARY_REDIRECT.finding(
                    start.clone(),
                    format!(
                        "{} redirects to {to} with a temporary {}",
                        show(&h.url),
                        h.status
                    ),
                    w.describe(),
                ),
            );
        }
        if w.final_status().is_some() && w.redirects() > 2 {
            once.push(
                &host,
                spec::REDIRECT_CHAIN_LONG.finding(
                    start.clone(),
                    format!(
                        "{start} takes {} redirects to reach its page",
                        w.redirects()
                    ),
                    w.describe(),
                ),
            );
        }
        if let Some(s) = w.server_error() {
            once.push(
                &host,
                spec::SERVER_ERROR.finding(
                    start.clone(),
                    format!("{start} answers {s}"),
                    w.describe(),
                ),
            );
        }
    }
    judge_canonical(walks, canonical, www, &mut once);
}

/// `target.canonical` says where users must end up: the other one of apex/www must redirect there.
fn judge_canonical(walks: &[Walk], canonical: &str, www: &str, once: &mut Once<'_>) {
    let apex = www.strip_prefix("www.").unwrap_or(www);
    let other = if canonical == www { apex } else { www };
    let https_walk = |h: &str| {
        walks
            .iter()
            .find(|w| w.start.scheme() == "https" && w.start.host_str() == Some(h))
    };
    let (Some(c), Some(o)) = (https_walk(canonical), https_walk(other)) else {
        return;
    };
    let host_of = |u: &Url| u.host_str().unwrap_or("").to_string();
    let evidence = format!("{}\n{}", o.describe(), c.describe());
    if let (Some(of), Some(cf)) = (o.final_ok(), c.final_ok()) {
        let (of_h, cf_h) = (host_of(of), host_of(cf));
        if of_h == other && cf_h == canonical {
            once.push(
                other,
                spec::NON_CANONICAL_HOST.finding(
                    other.to_string(),
                    format!("both {other} and {canonical} serve 200; {other} should redirect to {canonical} (target.canonical)"),
                    evidence,
                ),
            );
        } else if cf_h != canonical {
            once.push(
                canonical,
                spec::NON_CANONICAL_HOST.finding(
                    canonical.to_string(),
                    format!("{canonical} is the canonical host (target.canonical) but redirects to {cf_h}"),
                    evidence,
                ),
            );
        } else if of_h != canonical {
            once.push(
                other,
                spec::NON_CANONICAL_HOST.finding(
                    other.to_string(),
                    format!("{other} ends on {of_h}, not on the canonical host {canonical}"),
                    evidence,
                ),
            );
        }
    }
}

/// Walks every auth path on the canonical host over https, stopping at the first off-host hop,
/// and reports `http.auth_path_redirected` (off-host or loop), downgrades, 5xx and failures.
pub async fn walk_auth_paths(
    f: &Fetcher,
    ports: &Ports,
    canonical: &str,
    paths: &[String],
    sink: &Sink,
) -> Vec<Walk> {
    let starts: Vec<Url> = paths
        .iter()
        .filter_map(|p| ports.url("https", canonical, p))
        .collect();
    let walks: Vec<Walk> = futures::future::join_all(
        starts
            .into_iter()
            .map(|u| walk(f, ports, u, &[], true, false)),
    )
    .await;
    for w in &walks {
        let start = show(&w.start);
        match &w.end {
            End::LeftHost(u) => sink.push(spec::AUTH_PATH_REDIRECTED.finding(
                start.clone(),
                format!(
                    "auth path {} redirects off-host to {}",
                    w.start.path(),
                    u.host_str().unwrap_or("")
                ),
                w.describe(),
            )),
            End::Loop(_) | End::TooMany => sink.push(spec::AUTH_PATH_REDIRECTED.finding(
                start.clone(),
                format!("auth path {} redirects in a loop", w.start.path()),
                w.describe(),
            )),
            End::Error(_, _, cert) if !f.left_to_tls(*cert) => {
                sink.push(spec::UNREACHABLE.finding(
                    start.clone(),
                    format!("auth path {start} cannot be fetched"),
                    w.describe(),
                ))
            }
            _ => {}
        }
        if let Some((from, to)) = w.downgrade() {
            sink.push(spec::REDIRECT_DOWNGRADE.finding(
                start.clone(),
                format!("{} redirects from https to {}", show(from), show(to)),
                w.describe(),
            ));
        }
        if let Some(s) = w.server_error() {
            sink.push(spec::SERVER_ERROR.finding(
                start.clone(),
                format!("auth path {start} answers {s}"),
                w.describe(),
            ));
        }
    }
    walks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_jar_sends_back_what_a_browser_would() {
        let resp = |lines: &[&str]| {
            let mut headers = reqwest::header::HeaderMap::new();
            for l in lines {
                headers.append("set-cookie", l.parse().unwrap());
            }
            Resp {
                url: u("https://www.a.test/"),
                status: 302,
                headers,
                body: Vec::new(),
                ms: 1,
            }
        };
        let mut jar = Jar::default();
        jar.store(
            &u("https://www.a.test/"),
            &resp(&[
                "host=1; Path=/; Secure",
                "wide=2; Domain=.a.test",
                "foreign=3; Domain=b.test",
            ]),
        );
        assert_eq!(
            jar.header(&u("https://www.a.test/x")).as_deref(),
            Some("host=1; wide=2")
        );
        assert_eq!(
            jar.header(&u("https://api.a.test/")).as_deref(),
            Some("wide=2")
        );
        assert_eq!(jar.header(&u("https://b.test/")), None);
        // Replaced, then deleted by Max-Age=0 and by a past Expires.
        jar.store(&u("https://www.a.test/"), &resp(&["host=9"]));
        assert_eq!(
            jar.header(&u("https://www.a.test/")).as_deref(),
            Some("wide=2; host=9")
        );
        jar.store(
            &u("https://www.a.test/"),
            &resp(&[
                "host=; Max-Age=0",
                "wide=; Domain=a.test; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
            ]),
        );
        assert_eq!(jar.header(&u("https://www.a.test/")), None);
    }

    fn u(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    fn hop(url: &str, status: u16, next: Option<&str>) -> Hop {
        Hop {
            url: u(url),
            status,
            location: next.map(str::to_string),
            next: next.map(u),
            ms: 1,
        }
    }

    fn w(hops: Vec<Hop>, end: End) -> Walk {
        Walk {
            start: hops[0].url.clone(),
            hops,
            end,
            last: None,
        }
    }

    #[test]
    fn downgrade_and_temporary_hops_are_found() {
        let walk = w(
            vec![
                hop("http://a.test/", 302, Some("https://a.test/")),
                hop("https://a.test/", 301, Some("http://a.test/home")),
                hop("http://a.test/home", 200, None),
            ],
            End::Final,
        );
        let (from, to) = walk.downgrade().unwrap();
        assert_eq!(from.as_str(), "https://a.test/");
        assert_eq!(to.as_str(), "http://a.test/home");
        assert_eq!(walk.temporary_hops().len(), 1);
        assert_eq!(walk.redirects(), 2);
        assert_eq!(walk.final_status(), Some(200));
        assert!(walk.reached_https());
    }

    #[test]
    fn path_only_302_is_not_a_temporary_canonical_redirect() {
        let walk = w(
            vec![
                hop("https://a.test/", 302, Some("https://a.test/login")),
                hop("https://a.test/login", 200, None),
            ],
            End::Final,
        );
        assert!(walk.temporary_hops().is_empty());
    }

    #[test]
    fn cross_host_upgrade_is_noted() {
        let walk = w(
            vec![
                hop("http://a.test/", 301, Some("https://www.a.test/")),
                hop("https://www.a.test/", 200, None),
            ],
            End::Final,
        );
        assert!(
            walk.cross_host_upgrade()
                .unwrap()
                .contains("a.test -> www.a.test")
        );
        assert!(walk.describe().contains("Location: https://www.a.test/"));
    }

    #[test]
    fn ports_are_kept_for_target_hosts_only() {
        let p = Ports {
            domain: "a.test".into(),
            http: 8080,
            https: 8443,
        };
        let mut x = u("https://www.a.test/x");
        p.fix_port(&mut x);
        assert_eq!(x.as_str(), "https://www.a.test:8443/x");
        let mut y = u("https://other.test/x");
        p.fix_port(&mut y);
        assert_eq!(y.as_str(), "https://other.test/x");
        let mut z = u("http://a.test:9000/");
        p.fix_port(&mut z);
        assert_eq!(z.port(), Some(9000));
    }
}
