//! The configured pages on the canonical host: security headers (`headers.*`), cookies, caching of
//! responses that set cookies, compression of text, CORS reflection, 5xx answers and
//! `/.well-known/security.txt` (RFC 9116). Header parsers are pure functions with unit tests.
//!
//! Findings about headers are aggregated per id over the pages (one finding, every page listed),
//! so five pages missing CSP make one line in the report, not five.

use super::redirects::{End, walk};
use super::{Fetcher, Ports, Resp, html, origin, random_token, show};
use crate::catalogue::http as spec;
use crate::checks::Sink;
use crate::config::EndpointConfig;
use crate::finding::Severity;
use std::collections::BTreeMap;
use url::Url;

/// HSTS max-age below this (180 days, in seconds) is weak.
pub const HSTS_MIN_AGE: u64 = 180 * 24 * 3600;
/// Text responses smaller than this are not expected to be compressed (servers skip them).
pub const COMPRESS_MIN_BYTES: usize = 1024;

/// A parsed Strict-Transport-Security header (RFC 6797 §6.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hsts {
    /// `max-age`, seconds.
    pub max_age: u64,
    /// `includeSubDomains` present.
    pub include_subdomains: bool,
    /// `preload` present.
    pub preload: bool,
}

/// Parses an HSTS value; the error says why browsers would ignore it.
pub fn parse_hsts(v: &str) -> Result<Hsts, String> {
    let mut max_age = None;
    let mut include_subdomains = false;
    let mut preload = false;
    for d in v.split(';') {
        let d = d.trim();
        if d.is_empty() {
            continue;
        }
        let (k, val) = match d.split_once('=') {
            Some((k, v)) => (
                k.trim().to_ascii_lowercase(),
                Some(v.trim().trim_matches('"')),
            ),
            None => (d.to_ascii_lowercase(), None),
        };
        match k.as_str() {
            "max-age" => {
                if max_age.is_some() {
                    return Err("max-age given twice (RFC 6797 §6.1: the header is invalid)".into());
                }
                let n = val
                    .and_then(|v| v.parse::<u64>().ok())
                    .ok_or_else(|| format!("max-age {val:?} is not a number"))?;
                max_age = Some(n);
            }
            "includesubdomains" => include_subdomains = true,
            "preload" => preload = true,
            _ => {}
        }
    }
    Ok(Hsts {
        max_age: max_age.ok_or("no max-age directive")?,
        include_subdomains,
        preload,
    })
}

/// "3 h", "12 days": a max-age for people.
pub fn human_age(secs: u64) -> String {
    if secs < 2 * 86400 {
        format!("{:.1} h", secs as f64 / 3600.0)
    } else {
        format!("{} days", secs / 86400)
    }
}

/// The Cache-Control directives that matter here.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CacheControl {
    /// `public`
    pub public: bool,
    /// `private`
    pub private: bool,
    /// `no-store`
    pub no_store: bool,
    /// `no-cache`
    pub no_cache: bool,
    /// `immutable`
    pub immutable: bool,
    /// `max-age`
    pub max_age: Option<u64>,
    /// `s-maxage`
    pub s_maxage: Option<u64>,
}

/// Parses Cache-Control (every value of the header joined with commas).
pub fn parse_cache_control(v: &str) -> CacheControl {
    let mut c = CacheControl::default();
    for d in v.split(',') {
        let d = d.trim();
        let (k, val) = match d.split_once('=') {
            Some((k, v)) => (
                k.trim().to_ascii_lowercase(),
                Some(v.trim().trim_matches('"')),
            ),
            None => (d.to_ascii_lowercase(), None),
        };
        let num = || val.and_then(|v| v.parse::<u64>().ok());
        match k.as_str() {
            "public" => c.public = true,
            "private" => c.private = true,
            "no-store" => c.no_store = true,
            "no-cache" => c.no_cache = true,
            "immutable" => c.immutable = true,
            "max-age" => c.max_age = num(),
            "s-maxage" => c.s_maxage = num(),
            _ => {}
        }
    }
    c
}

impl CacheControl {
    /// Whether a shared cache (CDN, proxy) may store the response (RFC 9111 §3, §5.2.2).
    pub fn shared_cacheable(&self) -> bool {
        if self.no_store || self.private {
            return false;
        }
        self.public || self.s_maxage.is_some_and(|n| n > 0) || self.max_age.is_some_and(|n| n > 0)
    }

    /// "Long" caching for static assets: at least 7 days, or `immutable`.
    pub fn long(&self) -> bool {
        if self.no_store || self.no_cache {
            return false;
        }
        self.immutable
            || self
                .max_age
                .or(self.s_maxage)
                .is_some_and(|n| n >= 7 * 24 * 3600)
    }
}

/// A Set-Cookie header's name and security attributes (never its value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cookie {
    /// Cookie name.
    pub name: String,
    /// `Secure`
    pub secure: bool,
    /// `HttpOnly`
    pub http_only: bool,
    /// `SameSite` value.
    pub same_site: Option<String>,
}

/// Parses a Set-Cookie value (RFC 6265 §5.2); `None` when it has no name=value pair.
pub fn parse_cookie(v: &str) -> Option<Cookie> {
    let mut parts = v.split(';');
    let (name, _) = parts.next()?.split_once('=')?;
    let name = name.trim();
    if name.is_empty() {
        return None;
    }
    let mut c = Cookie {
        name: name.to_string(),
        secure: false,
        http_only: false,
        same_site: None,
    };
    for a in parts {
        let (k, val) = match a.split_once('=') {
            Some((k, v)) => (k.trim().to_ascii_lowercase(), v.trim().to_string()),
            None => (a.trim().to_ascii_lowercase(), String::new()),
        };
        match k.as_str() {
            "secure" => c.secure = true,
            "httponly" => c.http_only = true,
            "samesite" => c.same_site = Some(val),
            _ => {}
        }
    }
    Some(c)
}

/// Names that usually carry a session or credential (HttpOnly expected), matched on the name's
/// words (split at `_`, `-` and `.`), so `sidebar_state` or `user_locale` are not sessions
/// while `connect.sid`, `session_id`, `__Host-auth` and `refresh_token` are.
pub fn is_session_cookie(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    let n = n
        .trim_start_matches("__host-")
        .trim_start_matches("__secure-");
    const WORDS: &[&str] = &[
        "sess",
        "session",
        "sessionid",
        "sid",
        "auth",
        "token",
        "jwt",
        "login",
        "remember",
        "phpsessid",
        "jsessionid",
        "aspsessionid",
        "csrftoken",
        "refresh",
        "access",
    ];
    n.split(['_', '-', '.'])
        .any(|w| WORDS.contains(&w) || w.ends_with("token") || w.ends_with("session"))
}

impl Cookie {
    /// What is missing, for evidence; empty when nothing is.
    pub fn problems(&self) -> Vec<&'static str> {
        let mut p = Vec::new();
        if !self.secure {
            p.push("no Secure");
        }
        if !self.http_only && is_session_cookie(&self.name) {
            p.push("no HttpOnly on a session cookie");
        }
        if self.same_site.is_none() {
            p.push("no SameSite");
        }
        p
    }
}

/// True when a Server / X-Powered-By value carries a version number ("nginx/1.18.0", "PHP/8.1").
pub fn reveals_version(v: &str) -> bool {
    let b = v.as_bytes();
    b.windows(2).any(|w| w[0] == b'/' && w[1].is_ascii_digit())
        || b.windows(3)
            .any(|w| w[0].is_ascii_digit() && w[1] == b'.' && w[2].is_ascii_digit())
}

/// The `frame-ancestors` directive of a CSP, when present.
pub fn csp_frame_ancestors(csp: &str) -> Option<String> {
    csp.split(';').map(str::trim).find_map(|d| {
        let mut it = d.splitn(2, char::is_whitespace);
        let name = it.next()?;
        name.eq_ignore_ascii_case("frame-ancestors")
            .then(|| it.next().unwrap_or("").trim().to_string())
    })
}

/// True for media types that compress well.
pub fn is_text(media: &str) -> bool {
    media.starts_with("text/")
        || media.contains("javascript")
        || media.contains("json")
        || media.contains("xml")
        || media == "image/svg+xml"
}

/// Whether a response to `Accept-Encoding: gzip, br` came back compressed; `Some(evidence)`
/// when a text response of at least [`COMPRESS_MIN_BYTES`] did not.
pub fn compression_gap(ae: &Resp, plain_size: usize) -> Option<String> {
    let media = ae.media_type();
    if !(200..300).contains(&ae.status) || !is_text(&media) {
        return None;
    }
    let size = ae
        .header("content-length")
        .and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(plain_size)
        .max(plain_size);
    if size < COMPRESS_MIN_BYTES {
        return None;
    }
    let enc = ae
        .header("content-encoding")
        .unwrap_or("")
        .to_ascii_lowercase();
    if ["gzip", "br", "zstd", "deflate"]
        .iter()
        .any(|e| enc.contains(e))
    {
        return None;
    }
    Some(format!(
        "GET {} with Accept-Encoding: gzip, br -> {media}, {size} bytes, Content-Encoding: {}",
        show(&ae.url),
        if enc.is_empty() { "(none)" } else { &enc }
    ))
}

/// What one configured page looked like (kept for the asset, exposure and edge steps).
#[derive(Debug, Clone)]
pub struct PageResult {
    /// The configured path.
    pub path: String,
    /// The final URL.
    pub url: Url,
    /// The final response (no Accept-Encoding; body read).
    pub resp: Resp,
    /// Subresources, when the page is HTML.
    pub html: Option<html::Page>,
    /// The compression problem, when there is one.
    pub compression: Option<String>,
}

impl PageResult {
    /// For the report's measurements.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "path": self.path,
            "url": self.url.to_string(),
            "status": self.resp.status,
            "ms": self.resp.ms,
            "subresources": self.html.as_ref().map(|h| h.refs.len()),
        })
    }
}

/// Per-id lines, emitted once per id with every page listed.
#[derive(Default)]
struct Agg {
    lines: BTreeMap<&'static str, Vec<String>>,
    worst: BTreeMap<&'static str, Severity>,
}

impl Agg {
    fn add(&mut self, id: &'static str, line: String) {
        self.lines.entry(id).or_default().push(line);
    }

    fn raise(&mut self, id: &'static str, s: Severity) {
        let e = self.worst.entry(id).or_insert(s);
        if s < *e {
            *e = s;
        }
    }
}

fn spec_of(id: &str) -> Option<&'static crate::finding::Spec> {
    let all: [&'static crate::finding::Spec; 11] = [
        &spec::HEADERS_NO_HSTS,
        &spec::HEADERS_WEAK_HSTS,
        &spec::HEADERS_NO_CSP,
        &spec::HEADERS_NO_CONTENT_TYPE_OPTIONS,
        &spec::HEADERS_NO_FRAME_PROTECTION,
        &spec::HEADERS_SERVER_VERSION_LEAK,
        &spec::HEADERS_INSECURE_COOKIE,
        &spec::PRIVATE_RESPONSE_CACHED,
        &spec::HEADERS_CORS_REFLECTS_ORIGIN,
        &spec::MIXED_CONTENT,
        &spec::NO_COMPRESSION,
    ];
    all.into_iter().find(|s| s.id == id)
}

fn titles(id: &str, host: &str, n: usize) -> String {
    let pages = if n == 1 {
        "1 page".to_string()
    } else {
        format!("{n} pages")
    };
    match id {
        "headers.no_hsts" => format!("{host} sends no valid Strict-Transport-Security ({pages})"),
        "headers.weak_hsts" => format!("{host} sends HSTS with max-age under 180 days ({pages})"),
        "headers.no_csp" => format!("{host} sends no Content-Security-Policy ({pages})"),
        "headers.no_content_type_options" => {
            format!("{host} does not send X-Content-Type-Options: nosniff ({pages})")
        }
        "headers.no_frame_protection" => {
            format!("{host} can be framed: no X-Frame-Options nor frame-ancestors ({pages})")
        }
        "headers.server_version_leak" => format!("{host} reveals software versions in headers"),
        "headers.insecure_cookie" => {
            format!("{host} sets cookies without Secure/HttpOnly/SameSite")
        }
        "http.private_response_cached" => {
            format!("{host} marks responses that set cookies as cacheable ({pages})")
        }
        "headers.cors_reflects_origin" => {
            format!("{host} echoes any Origin in Access-Control-Allow-Origin ({pages})")
        }
        "http.mixed_content" => format!("https pages on {host} load http:// subresources"),
        _ => format!("{host}: {id}"),
    }
}

/// Looks at every configured page on the canonical host and pushes the header, cookie, caching,
/// CORS and mixed-content findings. Compression problems are returned in the results for the
/// caller to report together with the assets'.
pub async fn check_pages(
    f: &Fetcher,
    ports: &Ports,
    canonical: &str,
    pages: &[String],
    sink: &Sink,
) -> (Vec<PageResult>, Vec<String>) {
    let walks = futures::future::join_all(pages.iter().map(|p| async move {
        let start = ports.url("https", canonical, p)?;
        Some((p.clone(), walk(f, ports, start, &[], false, true).await))
    }))
    .await;
    let mut agg = Agg::default();
    let mut results = Vec::new();
    // (page, icon URL, implicit): icons of https pages without upgrade-insecure-requests.
    let mut icons: Vec<(Url, Url, bool)> = Vec::new();
    let origin_hdr = format!("https://{}.invalid", random_token());
    // Pages that could not be audited and have no finding of their own, with the reason.
    let mut not_audited: Vec<String> = Vec::new();
    for (path, w) in walks.into_iter().flatten() {
        let start = show(&w.start);
        // A bot protection's challenge stands in for the page: nothing about the site to judge.
        if let Some(who) = w.challenged() {
            not_audited.push(format!(
                "{start}: answered {} with a bot challenge from {who}, which browsers solve and an \
                 auditing client cannot (allow-list launchready's User-Agent or audit the origin)",
                w.final_status().unwrap_or(0)
            ));
            continue;
        }
        // Only pages whose failure no http finding explains (a certificate left to the tls
        // check, a 4xx, an unusable Location) are listed: the others are reported below.
        match (&w.end, w.final_status()) {
            (End::Error(u, cause, cert), _) if f.left_to_tls(*cert) => {
                not_audited.push(format!("{}: {cause}", show(u)))
            }
            (End::Final, Some(s @ 300..=499)) => not_audited.push(format!("{start}: answered {s}")),
            (End::BadLocation(_), _) => not_audited.push(w.describe()),
            _ => {}
        }
        match (&w.end, w.final_status()) {
            (End::Error(_, _, cert), _) if !f.left_to_tls(*cert) => {
                sink.push(spec::UNREACHABLE.finding(
                    start.clone(),
                    format!("page {start} cannot be fetched"),
                    w.describe(),
                ));
                continue;
            }
            (End::Loop(_) | End::TooMany, _) => {
                sink.push(spec::REDIRECT_LOOP.finding(
                    start.clone(),
                    format!("page {start} redirects in a loop"),
                    w.describe(),
                ));
                continue;
            }
            (_, Some(s @ 500..=599)) => {
                sink.push(spec::SERVER_ERROR.finding(
                    start.clone(),
                    format!("page {start} answers {s}"),
                    w.describe(),
                ));
                continue;
            }
            (End::Final, Some(200..=299)) => {}
            _ => continue,
        }
        let Some(resp) = w.last.clone() else {
            continue;
        };
        let url = resp.url.clone();
        let https = url.scheme() == "https";

        // Compression and CORS: one request each, bodies not read.
        let ae = f
            .fetch(
                reqwest::Method::GET,
                &url,
                &[("accept-encoding", "gzip, br".to_string())],
                false,
            )
            .await;
        let compression = ae
            .as_ref()
            .ok()
            .and_then(|a| compression_gap(a, resp.body.len()));
        if let Ok(c) = f
            .fetch(
                reqwest::Method::GET,
                &url,
                &[("origin", origin_hdr.clone())],
                false,
            )
            .await
            && let Some(line) = cors_reflection(&c, &origin_hdr)
        {
            let creds = line.contains("credentials: true");
            agg.add("headers.cors_reflects_origin", line);
            // DESIGN: high; with credentials any site can act as the logged-in user: critical.
            agg.raise(
                "headers.cors_reflects_origin",
                if creds {
                    Severity::Critical
                } else {
                    Severity::High
                },
            );
        }

        // Parse the page when it is HTML and came uncompressed.
        let is_html = resp.media_type().contains("html");
        let encoded = resp
            .header("content-encoding")
            .is_some_and(|e| !e.eq_ignore_ascii_case("identity"));
        let page = (is_html && !encoded).then(|| html::parse(&resp.body));

        if https {
            posture(&resp, page.as_ref(), &mut agg);
            if let Some(p) = &page {
                let mut policies = resp.header_all("content-security-policy");
                if let Some(m) = &p.meta_csp {
                    policies.push(m.as_str());
                }
                let upgrade = upgrades_insecure(&policies);
                for line in mixed_content(&url, p, upgrade) {
                    agg.add("http.mixed_content", line);
                }
                if !upgrade {
                    icons.extend(icon_urls(&url, p));
                }
            }
        }
        results.push(PageResult {
            path,
            url,
            resp,
            html: page,
            compression,
        });
    }

    for line in icon_downgrades(f, ports, &icons).await {
        agg.add("http.mixed_content", line);
    }

    let subject = ports
        .url("https", canonical, "/")
        .map(|u| origin(&u))
        .unwrap_or_else(|| canonical.to_string());
    for (id, lines) in agg.lines {
        let Some(s) = spec_of(id) else { continue };
        let n = lines.len();
        let mut fnd = s.finding(subject.clone(), titles(id, canonical, n), lines.join("\n"));
        if let Some(sev) = agg.worst.get(id) {
            fnd = fnd.with_severity(*sev);
        }
        sink.push(fnd);
    }
    (results, not_audited)
}

/// `Some(evidence)` when the response echoes `origin` in Access-Control-Allow-Origin.
pub fn cors_reflection(r: &Resp, origin: &str) -> Option<String> {
    let acao = r.header("access-control-allow-origin")?.trim();
    if acao != origin {
        return None;
    }
    let creds = r
        .header("access-control-allow-credentials")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
    Some(format!(
        "{} with Origin: {origin} -> Access-Control-Allow-Origin: {acao}; credentials: {}",
        show(&r.url),
        if creds {
            "true (any site can read responses with the visitor's cookies)"
        } else {
            "not allowed"
        }
    ))
}

/// True when one of the enforced Content-Security-Policy values (response headers and
/// `<meta http-equiv>`) has the `upgrade-insecure-requests` directive: browsers then fetch every
/// http:// subresource, and same-host navigations, over https (W3C Upgrade Insecure Requests
/// §4.1). `Content-Security-Policy-Report-Only` does not count: browsers ignore the directive
/// there.
pub fn upgrades_insecure(policies: &[&str]) -> bool {
    policies
        .iter()
        .flat_map(|p| p.split([';', ',']))
        .filter_map(|d| d.split_whitespace().next())
        .any(|name| name.eq_ignore_ascii_case("upgrade-insecure-requests"))
}

fn page_base(page_url: &Url, p: &html::Page) -> Url {
    p.base
        .as_deref()
        .and_then(|b| page_url.join(b).ok())
        .unwrap_or_else(|| page_url.clone())
}

/// http:// subresources of an https page (one line each, `<base href>` honoured). With
/// `upgrade` (the page's CSP has `upgrade-insecure-requests`) the browser upgrades them all,
/// except form submissions to another host (navigations are upgraded on the page's own host
/// only).
pub fn mixed_content(page_url: &Url, p: &html::Page, upgrade: bool) -> Vec<String> {
    let base = page_base(page_url, p);
    let mut out = Vec::new();
    for (kind, raw) in &p.refs {
        let Ok(u) = base.join(raw) else { continue };
        if u.scheme() != "http" {
            continue;
        }
        if !upgrade {
            out.push(format!("{} loads {} {}", show(page_url), kind.as_str(), u));
        } else if *kind == html::Kind::FormAction && u.host_str() != page_url.host_str() {
            out.push(format!(
                "{} posts its form to {u}: upgrade-insecure-requests does not upgrade navigations to other hosts",
                show(page_url)
            ));
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The icons a browser fetches for an https page: its `<link rel=icon>` URLs over https, or,
/// when it declares none, `/favicon.ico` of its origin (the implicit request every browser
/// makes). (page, icon, implicit).
pub fn icon_urls(page_url: &Url, p: &html::Page) -> Vec<(Url, Url, bool)> {
    if p.icons.is_empty() {
        return page_url
            .join("/favicon.ico")
            .map(|u| vec![(page_url.clone(), u, true)])
            .unwrap_or_default();
    }
    let base = page_base(page_url, p);
    p.icons
        .iter()
        .filter_map(|raw| base.join(raw).ok())
        .filter(|u| u.scheme() == "https")
        .map(|u| (page_url.clone(), u, false))
        .collect()
}

/// Icons fetched at most per audit (each walk follows up to 10 redirects).
pub const ICON_PROBES: usize = 8;

/// Follows each distinct icon URL (at most [`ICON_PROBES`]) and returns a mixed-content line for
/// every page whose icon is redirected to http:// — an https request the browser makes on its
/// own, which then loads over plain http.
async fn icon_downgrades(f: &Fetcher, ports: &Ports, icons: &[(Url, Url, bool)]) -> Vec<String> {
    let mut distinct: Vec<&Url> = Vec::new();
    for (_, icon, _) in icons {
        if !distinct.contains(&icon) && distinct.len() < ICON_PROBES {
            distinct.push(icon);
        }
    }
    let walks = futures::future::join_all(
        distinct
            .iter()
            .map(|u| walk(f, ports, (*u).clone(), &[], false, false)),
    )
    .await;
    let mut out = Vec::new();
    for (page, icon, implicit) in icons {
        let Some(w) = walks.iter().find(|w| w.start == *icon) else {
            continue;
        };
        if let Some((from, to)) = w.downgrade() {
            let how = if *implicit {
                "the implicit favicon request (the page has no <link rel=icon>)"
            } else {
                "its <link rel=icon>"
            };
            out.push(format!(
                "{} loads image {} through {how}: {} redirects to {}",
                show(page),
                show(icon),
                show(from),
                show(to)
            ));
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Header posture of one https page, added to the aggregate.
fn posture(r: &Resp, page: Option<&html::Page>, agg: &mut Agg) {
    let u = show(&r.url);
    match r.header("strict-transport-security") {
        None => agg.add("headers.no_hsts", format!("{u}: no Strict-Transport-Security header")),
        Some(v) => match parse_hsts(v) {
            Err(why) => agg.add(
                "headers.no_hsts",
                format!("{u}: Strict-Transport-Security: {v} is ignored by browsers ({why})"),
            ),
            Ok(h) if h.max_age == 0 => agg.add(
                "headers.no_hsts",
                format!("{u}: Strict-Transport-Security: {v} (max-age=0 switches HSTS off)"),
            ),
            Ok(h) if h.max_age < HSTS_MIN_AGE => agg.add(
                "headers.weak_hsts",
                format!(
                    "{u}: Strict-Transport-Security: {v} (max-age {} s = {}; at least 180 days expected)",
                    h.max_age,
                    human_age(h.max_age)
                ),
            ),
            Ok(_) => {}
        },
    }
    let csp = r.header_all("content-security-policy").join("; ");
    let meta_csp = page.and_then(|p| p.meta_csp.clone());
    if csp.trim().is_empty() && meta_csp.is_none() {
        let ro = r.header("content-security-policy-report-only").is_some();
        agg.add(
            "headers.no_csp",
            format!(
                "{u}: no Content-Security-Policy header nor <meta http-equiv>{}",
                if ro {
                    " (only Content-Security-Policy-Report-Only, which enforces nothing)"
                } else {
                    ""
                }
            ),
        );
    }
    let xcto = r
        .header("x-content-type-options")
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if xcto != "nosniff" {
        agg.add(
            "headers.no_content_type_options",
            format!(
                "{u}: X-Content-Type-Options: {}",
                if xcto.is_empty() {
                    "(absent)".to_string()
                } else {
                    xcto
                }
            ),
        );
    }
    let xfo = r
        .header("x-frame-options")
        .unwrap_or("")
        .trim()
        .to_ascii_uppercase();
    let fa = csp_frame_ancestors(&csp);
    if !(xfo == "DENY" || xfo == "SAMEORIGIN") && fa.is_none() {
        agg.add(
            "headers.no_frame_protection",
            format!(
                "{u}: X-Frame-Options: {}; CSP frame-ancestors: (absent)",
                if xfo.is_empty() {
                    "(absent)".to_string()
                } else {
                    xfo
                }
            ),
        );
    }
    for h in [
        "server",
        "x-powered-by",
        "x-aspnet-version",
        "x-aspnetmvc-version",
    ] {
        for v in r.header_all(h) {
            if reveals_version(v) || h.starts_with("x-aspnet") {
                agg.add("headers.server_version_leak", format!("{u}: {h}: {v}"));
            }
        }
    }
    let cookies: Vec<Cookie> = r
        .header_all("set-cookie")
        .into_iter()
        .filter_map(parse_cookie)
        .collect();
    for c in &cookies {
        let p = c.problems();
        if !p.is_empty() {
            agg.add(
                "headers.insecure_cookie",
                format!(
                    "{u}: cookie {:?}: {} (value not shown)",
                    c.name,
                    p.join(", ")
                ),
            );
            let sev = if is_session_cookie(&c.name) && (!c.secure || !c.http_only) {
                Severity::Medium
            } else {
                Severity::Low
            };
            agg.raise("headers.insecure_cookie", sev);
        }
    }
    if !cookies.is_empty() {
        let cc_text = r.header_all("cache-control").join(", ");
        let cc = parse_cache_control(&cc_text);
        if cc.shared_cacheable() {
            let names: Vec<&str> = cookies.iter().map(|c| c.name.as_str()).collect();
            agg.add(
                "http.private_response_cached",
                format!(
                    "{u}: Set-Cookie ({}) with Cache-Control: {cc_text}: a CDN or proxy may store it and hand one visitor's cookie to the next",
                    names.join(", ")
                ),
            );
        }
    }
}

/// Sends a CORS preflight with a random Origin to every configured endpoint.
pub async fn check_endpoint_cors(f: &Fetcher, endpoints: &[EndpointConfig], sink: &Sink) {
    let origin_hdr = format!("https://{}.invalid", random_token());
    // Webhooks are called server to server (no CORS) and get one request per audit, from the
    // flows check.
    for ep in endpoints
        .iter()
        .filter(|e| e.kind != crate::config::EndpointKind::Webhook)
    {
        let url = ep.url.expose().clone();
        let Ok(r) = f
            .fetch(
                reqwest::Method::OPTIONS,
                &url,
                &[
                    ("origin", origin_hdr.clone()),
                    ("access-control-request-method", ep.method.clone()),
                ],
                false,
            )
            .await
        else {
            continue;
        };
        if let Some(line) = cors_reflection(&r, &origin_hdr) {
            let line = line.replace(&show(&url), &ep.display_url);
            let creds = line.contains("credentials: true");
            sink.push(
                spec::HEADERS_CORS_REFLECTS_ORIGIN
                    .finding(
                        ep.name.clone(),
                        format!("endpoint {} echoes any Origin to a CORS preflight", ep.name),
                        format!("OPTIONS {line}"),
                    )
                    .with_severity(if creds {
                        Severity::Critical
                    } else {
                        Severity::High
                    }),
            );
        }
    }
}

/// Looks for `/.well-known/security.txt` (RFC 9116) on the canonical host; reports
/// `http.no_security_txt` when it is absent or is not a security.txt (no `Contact:` field).
pub async fn check_security_txt(
    f: &Fetcher,
    ports: &Ports,
    canonical: &str,
    sink: &Sink,
) -> serde_json::Value {
    let Some(start) = ports.url("https", canonical, "/.well-known/security.txt") else {
        return serde_json::Value::Null;
    };
    let w = walk(f, ports, start.clone(), &[], false, true).await;
    if let Some(who) = w.challenged() {
        return serde_json::json!({
            "url": start.to_string(),
            "valid": serde_json::Value::Null,
            "why": format!("not judged: a bot challenge from {who} answered"),
        });
    }
    let verdict = match (&w.end, w.final_status(), &w.last) {
        (End::Error(_, cause, _), _, _) => Err(format!("request failed: {cause}")),
        (End::Final, Some(200), Some(r)) => security_txt_problem(&r.body, &r.media_type()),
        (_, Some(s), _) => Err(format!("answered {s}")),
        _ => Err("no final answer".to_string()),
    };
    match &verdict {
        Ok(()) => serde_json::json!({"url": start.to_string(), "valid": true}),
        Err(why) => {
            if !matches!(&w.end, End::Error(_, _, true)) {
                sink.push(spec::NO_SECURITY_TXT.finding(
                    show(&start),
                    format!("{canonical} publishes no security.txt"),
                    format!("{}: {why}", w.describe()),
                ));
            }
            serde_json::json!({"url": start.to_string(), "valid": false, "why": why})
        }
    }
}

/// `Ok` when the body is a security.txt (RFC 9116 §2.5: text, with a Contact field).
pub fn security_txt_problem(body: &[u8], media: &str) -> Result<(), String> {
    if html::looks_like_html(body) || media.contains("html") {
        return Err("served an HTML page (an SPA catch-all?), not a security.txt".into());
    }
    let text = String::from_utf8_lossy(body);
    let has = |field: &str| {
        text.lines().any(|l| {
            l.trim_start()
                .to_ascii_lowercase()
                .starts_with(&format!("{field}:"))
        })
    };
    if !has("contact") {
        return Err("no Contact: field (RFC 9116 §2.5.3 requires one)".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upgrade_insecure_requests_is_found_in_any_enforced_policy() {
        assert!(upgrades_insecure(&[
            "default-src 'self'; upgrade-insecure-requests"
        ]));
        assert!(upgrades_insecure(&[
            "default-src https:",
            "Upgrade-Insecure-Requests"
        ]));
        assert!(upgrades_insecure(&[
            "script-src 'self', upgrade-insecure-requests;"
        ]));
        assert!(!upgrades_insecure(&["default-src 'self'"]));
        assert!(!upgrades_insecure(&[
            "report-uri /upgrade-insecure-requests"
        ]));
        assert!(!upgrades_insecure(&[]));
    }

    #[test]
    fn upgraded_pages_keep_only_cross_host_form_posts() {
        let page = html::parse(
            b"<img src=http://a.test/i.png><form action=http://a.test/f></form>\
<form action=http://b.test/f></form><link rel=icon href=/i.ico>",
        );
        let u = Url::parse("https://a.test/").unwrap();
        assert_eq!(mixed_content(&u, &page, false).len(), 3);
        let up = mixed_content(&u, &page, true);
        assert_eq!(up.len(), 1, "{up:?}");
        assert!(up[0].contains("http://b.test/f"), "{up:?}");
        assert_eq!(
            icon_urls(&u, &page)
                .iter()
                .map(|(_, i, implicit)| (i.as_str(), *implicit))
                .collect::<Vec<_>>(),
            vec![("https://a.test/i.ico", false)]
        );
        let bare = html::parse(b"<p>hi</p>");
        assert_eq!(
            icon_urls(&u, &bare)[0].1.as_str(),
            "https://a.test/favicon.ico"
        );
    }

    #[test]
    fn session_cookie_names_are_matched_by_word() {
        for n in [
            "connect.sid",
            "session_id",
            "__Host-auth",
            "refresh_token",
            "PHPSESSID",
            "sb-access-token",
            "jwt",
        ] {
            assert!(is_session_cookie(n), "{n}");
        }
        for n in [
            "sidebar_state",
            "user_locale",
            "consider_this",
            "oauth_provider_hint",
            "theme",
        ] {
            assert!(!is_session_cookie(n), "{n}");
        }
    }

    #[test]
    fn hsts_parses_and_rejects() {
        let h = parse_hsts("max-age=63072000; includeSubDomains; preload").unwrap();
        assert_eq!(h.max_age, 63_072_000);
        assert!(h.include_subdomains && h.preload);
        assert_eq!(parse_hsts("max-age=\"300\"").unwrap().max_age, 300);
        assert!(parse_hsts("includeSubDomains").is_err());
        assert!(parse_hsts("max-age=abc").is_err());
        assert!(parse_hsts("max-age=1; max-age=2").is_err());
    }

    #[test]
    fn cache_control_cacheability() {
        assert!(parse_cache_control("public, max-age=600").shared_cacheable());
        assert!(parse_cache_control("s-maxage=60").shared_cacheable());
        assert!(!parse_cache_control("private, max-age=600").shared_cacheable());
        assert!(!parse_cache_control("no-store").shared_cacheable());
        assert!(!parse_cache_control("max-age=0").shared_cacheable());
        assert!(parse_cache_control("public, max-age=31536000, immutable").long());
        assert!(!parse_cache_control("max-age=3600").long());
        assert!(!parse_cache_control("").long());
    }

    #[test]
    fn cookies_parse_without_values() {
        let c = parse_cookie("session=abc; Path=/").unwrap();
        assert_eq!(c.name, "session");
        assert_eq!(
            c.problems(),
            vec![
                "no Secure",
                "no HttpOnly on a session cookie",
                "no SameSite"
            ]
        );
        let good = parse_cookie("__Host-sid=x; Path=/; Secure; HttpOnly; SameSite=Lax").unwrap();
        assert!(good.problems().is_empty());
        let theme = parse_cookie("theme=dark; Secure; SameSite=Lax").unwrap();
        assert!(theme.problems().is_empty());
        assert!(parse_cookie("garbage").is_none());
    }

    #[test]
    fn versions_are_spotted() {
        assert!(reveals_version("nginx/1.18.0"));
        assert!(reveals_version("PHP/8.1"));
        assert!(reveals_version("Apache 2.4.41 (Ubuntu)"));
        assert!(!reveals_version("cloudflare"));
        assert!(!reveals_version("nginx"));
        assert!(!reveals_version("Express"));
    }

    #[test]
    fn frame_ancestors_is_read_from_csp() {
        assert_eq!(
            csp_frame_ancestors("default-src 'self'; frame-ancestors 'none'").as_deref(),
            Some("'none'")
        );
        assert_eq!(csp_frame_ancestors("default-src 'self'"), None);
    }

    #[test]
    fn security_txt_needs_contact_and_no_html() {
        assert!(
            security_txt_problem(
                b"Contact: mailto:s@a.test\nExpires: 2030-01-01T00:00:00Z\n",
                "text/plain"
            )
            .is_ok()
        );
        assert!(security_txt_problem(b"<!doctype html><html>", "text/html").is_err());
        assert!(security_txt_problem(b"Expires: 2030-01-01T00:00:00Z\n", "text/plain").is_err());
    }
}
