//! `http.*`, `headers.*`, `exposure.*` and `edge.*`: the product's public edge, walked the way a
//! customer and an attacker both walk it.
//!
//! - [`redirects`] follows every hop by hand (apex, www and every subdomain over http and https,
//!   every auth path) and judges the chains.
//! - [`headers`] parses the security headers, cookies and cache directives of the configured pages.
//! - [`html`] tokenizes pages (html5gum, WHATWG tokenizer) to find their subresources.
//! - [`exposure`] probes for `.env` / `.git` and looks at the same-site JavaScript: source maps and
//!   secrets in bundles.
//! - [`edge`] recognises a CDN in front of the app.
//!
//! This module owns the [`Fetcher`] (per-host concurrency bound, per-request timeout, capped
//! bodies) and the order of work. It reads DNS only through `Net` (to skip hosts that do not
//! resolve: the `dns` check reports those) and never emits `dns.*` findings.

pub mod debug;
pub mod edge;
pub mod exposure;
pub mod headers;
pub mod html;
pub mod redirects;
pub mod sensitive;

use super::{Check, CheckError, Cx, Sink};
use crate::finding::CheckName;
use crate::model::{HostChain, HttpMeasurements, Measurement};

use futures::future::{BoxFuture, join_all};

use reqwest::header::HeaderMap;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;
use url::Url;

/// The http check.
pub struct Http;

impl Check for Http {
    fn name(&self) -> CheckName {
        CheckName::Http
    }

    fn run(&self, cx: Arc<Cx>, sink: Sink) -> BoxFuture<'static, Result<(), CheckError>> {
        Box::pin(async move { run(cx, sink).await })
    }
}

/// Requests in flight to one host at most.
pub const PER_HOST: usize = 4;
/// Hosts walked at the same time at most.
pub const HOSTS_AT_ONCE: usize = 8;

/// One HTTP answer, as the checks need it.
#[derive(Debug, Clone)]
pub struct Resp {
    /// The URL asked for.
    pub url: Url,
    /// Status code.
    pub status: u16,
    /// Response headers.
    pub headers: HeaderMap,
    /// Body, up to the cap (empty when not read).
    pub body: Vec<u8>,
    /// Time until the headers arrived, in milliseconds.
    pub ms: u64,
}

impl Resp {
    /// The bot protection that answered instead of the site, when the response says so in its
    /// vendor's documented header: a challenge browsers solve with JavaScript (or a CAPTCHA)
    /// and an auditing client cannot. Such an answer says nothing about the site behind it.
    pub fn bot_challenge(&self) -> Option<String> {
        let is = |name: &str, values: &[&str]| {
            self.header(name)
                .is_some_and(|v| values.iter().any(|x| v.trim().eq_ignore_ascii_case(x)))
        };
        if is("cf-mitigated", &["challenge"]) {
            Some("Cloudflare (cf-mitigated: challenge)".into())
        } else if is("x-vercel-mitigated", &["challenge"]) {
            Some("Vercel Firewall (x-vercel-mitigated: challenge)".into())
        } else if is("x-amzn-waf-action", &["challenge", "captcha"]) {
            Some(format!(
                "AWS WAF (x-amzn-waf-action: {})",
                self.header("x-amzn-waf-action").unwrap_or("").trim()
            ))
        } else {
            None
        }
    }

    /// First value of a header, as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Every value of a header, as text.
    pub fn header_all(&self, name: &str) -> Vec<&str> {
        self.headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect()
    }

    /// The media type, lowercase, without parameters.
    pub fn media_type(&self) -> String {
        self.header("content-type")
            .unwrap_or("")
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase()
    }
}

/// Makes requests: every one with a timeout, bodies capped, at most `PER_HOST` in flight per
/// host. Never follows redirects (the shared client does not).
pub struct Fetcher {
    http: reqwest::Client,
    /// The platform-TLS client for https origins rustls cannot talk to (see `Net::legacy_http`).
    fallback: Option<reqwest::Client>,
    /// Origins that needed the fallback: later requests go there directly.
    legacy_origins: Mutex<std::collections::HashSet<String>>,
    limits: Mutex<HashMap<String, Arc<Semaphore>>>,
    timeout: Duration,
    cap: usize,
    tls_selected: bool,
}

impl Fetcher {
    /// A fetcher over the shared client.
    pub fn new(http: reqwest::Client, timeout: Duration, cap: usize) -> Fetcher {
        Fetcher {
            http,
            fallback: None,
            legacy_origins: Mutex::new(std::collections::HashSet::new()),
            limits: Mutex::new(HashMap::new()),
            timeout,
            cap,
            tls_selected: true,
        }
    }

    /// Retries https requests that rustls cannot complete (a server offering only CBC,
    /// static-RSA or DHE suites) with `client`, the platform's TLS library.
    pub fn with_fallback(mut self, client: reqwest::Client) -> Fetcher {
        self.fallback = Some(client);
        self
    }

    fn is_legacy(&self, origin: &str) -> bool {
        self.legacy_origins
            .lock()
            .map(|s| s.contains(origin))
            .unwrap_or(false)
    }

    /// Tells whether the `tls` check runs in this audit. When it does, certificate failures
    /// are left to it; when it does not, they are reported here (no page is silently skipped).
    pub fn with_tls_selected(mut self, selected: bool) -> Fetcher {
        self.tls_selected = selected;
        self
    }

    /// True when a fetch failure is the `tls` check's to report: the certificate was refused,
    /// and that check runs.
    pub fn left_to_tls(&self, certificate: bool) -> bool {
        self.tls_selected && certificate
    }

    fn limit(&self, host: &str) -> Arc<Semaphore> {
        let mut m = match self.limits.lock() {
            Ok(m) => m,
            Err(p) => p.into_inner(),
        };
        m.entry(host.to_string())
            .or_insert_with(|| Arc::new(Semaphore::new(PER_HOST)))
            .clone()
    }

    /// Sends `method url` with `headers`; reads the body (capped) when `body` is true.
    /// The error is a one-line cause ("connection refused", "timed out after 10 s", ...).
    pub async fn fetch(
        &self,
        method: reqwest::Method,
        url: &Url,
        headers: &[(&str, String)],
        body: bool,
    ) -> Result<Resp, String> {
        self.fetch_typed(method, url, headers, body)
            .await
            .map_err(|e| e.cause)
    }

    /// [`Fetcher::fetch`], with the failure's kind kept (a refused certificate or not).
    pub async fn fetch_typed(
        &self,
        method: reqwest::Method,
        url: &Url,
        headers: &[(&str, String)],
        body: bool,
    ) -> Result<Resp, FetchError> {
        self.exchange(method, url, headers, None, body.then_some(self.cap))
            .await
    }

    /// `GET url`, reading at most the first `cap` bytes of the body (probes that judge a file
    /// by its head need no more than that).
    pub async fn get_prefix(&self, url: &Url, cap: usize) -> Result<Resp, String> {
        self.exchange(
            reqwest::Method::GET,
            url,
            &[],
            None,
            Some(cap.min(self.cap)),
        )
        .await
        .map_err(|e| e.cause)
    }

    /// Sends `method url` with `headers` and a request body; reads the answer's body (capped).
    pub async fn send_with_body(
        &self,
        method: reqwest::Method,
        url: &Url,
        headers: &[(&str, String)],
        payload: Vec<u8>,
    ) -> Result<Resp, String> {
        self.exchange(method, url, headers, Some(payload), Some(self.cap))
            .await
            .map_err(|e| e.cause)
    }

    async fn exchange(
        &self,
        method: reqwest::Method,
        url: &Url,
        headers: &[(&str, String)],
        payload: Option<Vec<u8>>,
        read: Option<usize>,
    ) -> Result<Resp, FetchError> {
        let sem = self.limit(url.host_str().unwrap_or(""));
        let _permit = sem.acquire_owned().await.map_err(|e| FetchError {
            cause: e.to_string(),
            certificate: false,
        })?;
        let key = origin(url);
        let fallback = self.fallback.as_ref().filter(|_| url.scheme() == "https");
        if let Some(fb) = fallback
            && self.is_legacy(&key)
        {
            return self
                .send(fb, method, url, headers, payload, read)
                .await
                .map_err(Failure::into_fetch);
        }
        match self
            .send(
                &self.http,
                method.clone(),
                url,
                headers,
                payload.clone(),
                read,
            )
            .await
        {
            Ok(r) => Ok(r),
            Err(first) if first.incompatible && fallback.is_some() => {
                let fb = fallback.expect("checked");
                match self.send(fb, method, url, headers, payload, read).await {
                    Ok(r) => {
                        if let Ok(mut s) = self.legacy_origins.lock() {
                            s.insert(key);
                        }
                        Ok(r)
                    }
                    Err(second) => Err(FetchError {
                        cause: format!(
                            "{}; with the platform TLS library (OpenSSL) too: {}",
                            first.cause, second.cause
                        ),
                        certificate: second.certificate,
                    }),
                }
            }
            Err(e) => Err(e.into_fetch()),
        }
    }

    /// One request with `client`. The error says whether rustls found the server incompatible
    /// and whether the certificate was refused.
    async fn send(
        &self,
        client: &reqwest::Client,
        method: reqwest::Method,
        url: &Url,
        headers: &[(&str, String)],
        payload: Option<Vec<u8>>,
        read: Option<usize>,
    ) -> Result<Resp, Failure> {
        let mut req = client.request(method, url.clone());
        for (k, v) in headers {
            req = req.header(*k, v.as_str());
        }
        if let Some(p) = payload {
            req = req.body(p);
        }
        let t0 = Instant::now();
        let fut = async move {
            let resp = req.send().await.map_err(|e| Failure {
                cause: crate::net::request_error(&e),
                incompatible: crate::net::is_tls_incompatible(&e),
                certificate: crate::net::is_certificate_rejection(&e),
            })?;
            let ms = t0.elapsed().as_millis() as u64;
            let status = resp.status().as_u16();
            let hdrs = resp.headers().clone();
            let data = match read {
                Some(cap) => crate::http_util::read_capped(resp, cap)
                    .await
                    .map_err(|e| Failure {
                        cause: crate::net::request_error(&e),
                        incompatible: false,
                        certificate: false,
                    })?,
                None => Vec::new(),
            };
            Ok::<_, Failure>((status, hdrs, data, ms))
        };
        // The client has its own timeout; this one also covers a slow-drip body.
        match tokio::time::timeout(self.timeout + Duration::from_secs(1), fut).await {
            Err(_) => Err(Failure {
                cause: format!("timed out after {} s", self.timeout.as_secs()),
                incompatible: false,
                certificate: false,
            }),
            Ok(Err(e)) => Err(e),
            Ok(Ok((status, headers, body, ms))) => Ok(Resp {
                url: url.clone(),
                status,
                headers,
                body,
                ms,
            }),
        }
    }

    /// `GET url` with `headers`, body read.
    pub async fn get(&self, url: &Url, headers: &[(&str, String)]) -> Result<Resp, String> {
        self.fetch(reqwest::Method::GET, url, headers, true).await
    }
}

/// Why a fetch failed: a one-line cause, and whether the server's certificate was refused
/// (the `tls` check owns those).
#[derive(Debug, Clone)]
pub struct FetchError {
    /// "connection refused", "timed out after 10 s", ...
    pub cause: String,
    /// The certificate was refused (decided on the error's type).
    pub certificate: bool,
}

/// One client's failure, before the fallback decision.
struct Failure {
    cause: String,
    /// rustls cannot talk to this server (worth the platform TLS fallback).
    incompatible: bool,
    certificate: bool,
}

impl Failure {
    fn into_fetch(self) -> FetchError {
        FetchError {
            cause: self.cause,
            certificate: self.certificate,
        }
    }
}

/// The configured target's ports, used to build and rewrite URLs.
#[derive(Debug, Clone)]
pub struct Ports {
    /// Apex domain.
    pub domain: String,
    /// Plain HTTP port.
    pub http: u16,
    /// HTTPS port.
    pub https: u16,
}

impl Ports {
    /// `scheme://host[:port]path` with the configured port for the scheme.
    pub fn url(&self, scheme: &str, host: &str, path: &str) -> Option<Url> {
        let port = if scheme == "https" {
            self.https
        } else {
            self.http
        };
        let mut u = Url::parse(&format!("{scheme}://{host}{path}")).ok()?;
        let _ = u.set_port(Some(port));
        Some(u)
    }

    /// True for the apex and any name under it.
    pub fn in_target(&self, host: &str) -> bool {
        let h = host.trim_end_matches('.').to_ascii_lowercase();
        h == self.domain || h.ends_with(&format!(".{}", self.domain))
    }

    /// A Location without an explicit port that points into the target gets the configured port
    /// for its scheme: labs and staging run on non-default ports, and their apps often build
    /// absolute URLs without one.
    pub fn fix_port(&self, u: &mut Url) {
        if u.port().is_some() {
            return;
        }
        let Some(host) = u.host_str().map(str::to_string) else {
            return;
        };
        if !self.in_target(&host) {
            return;
        }
        let port = match u.scheme() {
            "https" => self.https,
            "http" => self.http,
            _ => return,
        };
        let _ = u.set_port(Some(port));
    }
}

/// A URL for evidence and subjects: as is (ports are kept; the default ones are never shown).
pub fn show(u: &Url) -> String {
    u.to_string()
}

/// `scheme://host[:port]` of a URL.
pub fn origin(u: &Url) -> String {
    u.origin().ascii_serialization()
}

/// A fresh random-looking token (no RNG crate: std's randomly keyed hasher and the clock).
pub fn random_token() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0),
    );
    format!("{:016x}", h.finish())
}

/// Whether a host has an address (A or AAAA): `Some(true)` yes, `Some(false)` the DNS says no
/// (left to the `dns` check), `None` the resolver failed (timeout, SERVFAIL: try anyway).
/// The text says what the resolver answered.
async fn resolves(cx: &Cx, host: &str) -> (Option<bool>, String) {
    let addrs = cx.net.host_addrs(host).await;
    let seen = addrs.describe_named(host);
    let ok = if addrs.any() {
        Some(true)
    } else if addrs.failed() {
        None
    } else {
        Some(false)
    };
    (ok, seen)
}

async fn run(cx: Arc<Cx>, sink: Sink) -> Result<(), CheckError> {
    let t = &cx.cfg.target;
    let ports = Ports {
        domain: t.domain.clone(),
        http: t.http_port,
        https: t.https_port,
    };
    let fetcher = Fetcher::new(cx.net.http.clone(), cx.net.op_timeout, cx.net.body_cap)
        .with_fallback(cx.net.legacy_http.clone())
        .with_tls_selected(cx.selected.contains(&CheckName::Tls));
    let dns_selected = cx.selected.contains(&CheckName::Dns);

    let mut hosts = vec![t.domain.clone(), t.www()];
    for s in &t.subdomains {
        if !hosts.contains(s) {
            hosts.push(s.clone());
        }
    }
    let resolved = join_all(hosts.iter().map(|h| resolves(&cx, h))).await;
    // When the resolver answers for none of the hosts, every request would wait for it again:
    // say so once (check.error) instead of reporting every host unreachable.
    if resolved.iter().all(|(ok, _)| ok.is_none()) {
        return Err(CheckError::Network {
            subject: t.domain.clone(),
            cause: format!(
                "the DNS resolver did not answer for any of {} host(s); nothing was fetched",
                hosts.len()
            ),
        });
    }
    let mut details = BTreeMap::new();
    let mut walk_hosts = Vec::new();
    let canonical = t.canonical_host();
    for (h, (ok, seen)) in hosts.iter().zip(resolved) {
        if ok != Some(false) {
            walk_hosts.push(h.clone());
            continue;
        }
        if dns_selected {
            details.insert(
                h.clone(),
                HostChain::Skipped {
                    skipped: format!("does not resolve ({seen}); the dns check reports it"),
                },
            );
            continue;
        }
        // The dns check does not run: nothing else would say that this host cannot be reached.
        details.insert(
            h.clone(),
            HostChain::Skipped {
                skipped: format!("does not resolve ({seen})"),
            },
        );
        let subject = ports
            .url("https", h, "/")
            .map(|u| show(&u))
            .unwrap_or_else(|| h.clone());
        let mut f = crate::catalogue::http::UNREACHABLE.finding(
            subject,
            format!("{h} does not resolve: it cannot be fetched at all"),
            format!("{seen}; no request was sent"),
        );
        if *h != canonical {
            // The dns check's severities: a missing www is medium unless it is canonical.
            f = f.with_severity(if *h == t.www() {
                crate::finding::Severity::Medium
            } else {
                crate::finding::Severity::High
            });
        }
        sink.push(f);
    }

    // 1. Redirect chains of every host, then the auth paths.
    let walks = redirects::walk_hosts(&fetcher, &ports, &walk_hosts, HOSTS_AT_ONCE).await;
    let canonical_ok = walk_hosts.contains(&canonical);
    redirects::judge_hosts(&fetcher, &walks, &canonical, &t.www(), &sink);
    let auth = if canonical_ok {
        redirects::walk_auth_paths(&fetcher, &ports, &canonical, &t.auth_paths, &sink).await
    } else {
        Vec::new()
    };

    // 2. Pages on the canonical host: headers, cookies, caching, compression, CORS, HTML.
    let (pages, not_audited) = if canonical_ok {
        headers::check_pages(&fetcher, &ports, &canonical, &t.pages, &sink).await
    } else {
        // The canonical host does not resolve: a dns (or, without it, http) finding says so.
        (Vec::new(), Vec::new())
    };

    // 3. Same-site JS/CSS of those pages, source maps, secrets in bundles.
    let (assets, mut compression) = exposure::check_assets(&fetcher, &ports, &pages, &sink).await;
    let mut page_compression: Vec<String> =
        pages.iter().filter_map(|p| p.compression.clone()).collect();
    page_compression.append(&mut compression);
    if !page_compression.is_empty() {
        let subject = ports
            .url("https", &canonical, "/")
            .map(|u| origin(&u))
            .unwrap_or_else(|| canonical.clone());
        sink.push(crate::catalogue::http::NO_COMPRESSION.finding(
            subject,
            format!(
                "{} text response(s) on {canonical} are served uncompressed",
                page_compression.len()
            ),
            page_compression.join("\n"),
        ));
    }
    headers::check_endpoint_cors(&fetcher, &cx.cfg.endpoints, &sink).await;

    // 4. Exposure probes on every origin that serves its own content, and security.txt.
    let mut origins: Vec<Url> = Vec::new();
    if canonical_ok && let Some(u) = ports.url("https", &canonical, "/") {
        origins.push(u);
    }
    for w in walks.iter().filter(|w| w.start.scheme() == "https") {
        if let Some(last) = w.final_ok_same_host() {
            let mut o = last.clone();
            o.set_path("/");
            o.set_query(None);
            if !origins.iter().any(|x| origin(x) == origin(&o)) {
                origins.push(o);
            }
        }
    }
    // Debug pages and stack traces (the configured pages, and error probes on every origin) and
    // sensitive files, next to the .env/.git probes; details go with each origin's probes.
    // About fifty requests per origin: they start once latency sampling is over (or halfway to
    // the deadline), so they never inflate the perf check's percentiles.
    let now = tokio::time::Instant::now();
    cx.quiet
        .wait(now + cx.deadline.saturating_duration_since(now) / 2)
        .await;
    let page_resps: Vec<&Resp> = pages.iter().map(|p| &p.resp).collect();
    let (mut probes, errors, files) = tokio::join!(
        exposure::probe_origins(&fetcher, &origins, &sink),
        debug::check_origins(&fetcher, &origins, &page_resps, &sink),
        sensitive::probe_origins(&fetcher, &origins, &sink),
    );
    if let serde_json::Value::Array(list) = &mut probes {
        for ((o, e), s) in list.iter_mut().zip(errors).zip(files) {
            if let serde_json::Value::Object(m) = o {
                m.insert("error_probes".into(), e);
                m.insert("sensitive_files".into(), s);
            }
        }
    }
    let security_txt = if canonical_ok {
        headers::check_security_txt(&fetcher, &ports, &canonical, &sink).await
    } else {
        serde_json::Value::Null
    };

    // 5. Edge / CDN in front of the canonical host.
    let edge = if canonical_ok {
        edge::check(&cx, &canonical, &pages, &sink).await
    } else {
        serde_json::Value::Null
    };

    for w in &walks {
        details.insert(w.start.to_string(), HostChain::Walked(w.to_chain()));
    }
    for w in &auth {
        details.insert(w.start.to_string(), HostChain::Walked(w.to_chain()));
    }
    sink.measure(Measurement::Http(HttpMeasurements {
        assets,
        chains: details,
        edge,
        exposure_probes: probes,
        pages: pages.iter().map(|p| p.to_json()).collect(),
        pages_not_audited: not_audited.clone(),
        security_txt,
    }));
    // A check that fetched no page audited no headers, cookies, mixed content or page assets.
    // When no http finding says why (the pages failed TLS, which the tls check reports, or
    // answered 4xx), it did not complete: say so instead of looking clean.
    if pages.is_empty() && !not_audited.is_empty() {
        return Err(CheckError::Network {
            subject: canonical.clone(),
            cause: format!(
                "none of the {} configured page(s) could be fetched, so headers, cookies, mixed content and page assets were not audited: {}",
                t.pages.len(),
                not_audited.join("; ")
            ),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    #[test]
    fn bot_challenges_are_named_by_their_vendor_header() {
        let resp = |pairs: &[(&'static str, &'static str)]| {
            let mut headers = HeaderMap::new();
            for (k, v) in pairs {
                headers.insert(*k, reqwest::header::HeaderValue::from_static(v));
            }
            Resp {
                url: Url::parse("https://a.test/").unwrap(),
                status: 403,
                headers,
                body: Vec::new(),
                ms: 1,
            }
        };
        let who = |pairs| resp(pairs).bot_challenge();
        assert!(
            who(&[("cf-mitigated", "challenge")])
                .unwrap()
                .starts_with("Cloudflare")
        );
        assert!(
            who(&[("x-vercel-mitigated", "challenge")])
                .unwrap()
                .starts_with("Vercel")
        );
        assert_eq!(
            who(&[("x-amzn-waf-action", "captcha")]).as_deref(),
            Some("AWS WAF (x-amzn-waf-action: captcha)")
        );
        // A plain 403, a Cloudflare error page and a Vercel deny are the site's own answers.
        assert!(who(&[]).is_none());
        assert!(who(&[("server", "cloudflare"), ("cf-ray", "8a1b")]).is_none());
        assert!(who(&[("x-vercel-mitigated", "deny")]).is_none());
    }

    fn client() -> reqwest::Client {
        crate::net::install_crypto();
        reqwest::Client::builder()
            .tls_backend_rustls()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
    }

    /// A server that answers every connection with `head`, then `body` chunks every `gap`.
    async fn server(head: &'static str, chunk: Vec<u8>, chunks: usize, gap: Duration) -> Url {
        let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = l.local_addr().unwrap().port();
        tokio::spawn(async move {
            while let Ok((mut s, _)) = l.accept().await {
                let chunk = chunk.clone();
                tokio::spawn(async move {
                    let mut buf = [0u8; 2048];
                    let _ = s.read(&mut buf).await;
                    let _ = s.write_all(head.as_bytes()).await;
                    for _ in 0..chunks {
                        if s.write_all(&chunk).await.is_err() {
                            return;
                        }
                        tokio::time::sleep(gap).await;
                    }
                });
            }
        });
        Url::parse(&format!("http://127.0.0.1:{port}/")).unwrap()
    }

    #[tokio::test]
    async fn huge_bodies_are_capped() {
        let u = server(
            "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\n\r\n",
            vec![b'x'; 64 * 1024],
            10_000,
            Duration::ZERO,
        )
        .await;
        let f = Fetcher::new(client(), Duration::from_secs(5), 100_000);
        let r = f.get(&u, &[]).await.unwrap();
        assert_eq!(r.body.len(), 100_000);
    }

    #[tokio::test]
    async fn slow_drip_times_out() {
        let u = server(
            "HTTP/1.1 200 OK\r\ncontent-length: 100000\r\n\r\n",
            b"x".to_vec(),
            1000,
            Duration::from_millis(200),
        )
        .await;
        let f = Fetcher::new(client(), Duration::from_secs(1), 1_000_000);
        let t0 = Instant::now();
        let e = f.get(&u, &[]).await.unwrap_err();
        assert!(e.contains("timed out"), "{e}");
        assert!(t0.elapsed() < Duration::from_secs(4));
    }

    #[tokio::test]
    async fn endless_redirects_stop_at_the_hop_limit() {
        let u = server(
            "HTTP/1.1 302 Found\r\nlocation: x/\r\ncontent-length: 0\r\n\r\n",
            Vec::new(),
            0,
            Duration::ZERO,
        )
        .await;
        // "x/" resolves to a longer path every time, so no URL repeats: only the limit stops it.
        let f = Fetcher::new(client(), Duration::from_secs(5), 1000);
        let ports = Ports {
            domain: "a.test".into(),
            http: 80,
            https: 443,
        };
        let w = redirects::walk(&f, &ports, u, &[], false, false).await;
        assert_eq!(w.end, redirects::End::TooMany);
        assert_eq!(w.hops.len(), redirects::MAX_HOPS + 1);
        assert!(w.describe().contains("more than 10 redirects"));
    }

    #[tokio::test]
    async fn garbage_answers_are_errors_not_panics() {
        let u = server(
            "NOT HTTP AT ALL\r\n\r\n",
            b"\x00\xff".to_vec(),
            1,
            Duration::ZERO,
        )
        .await;
        let f = Fetcher::new(client(), Duration::from_secs(2), 1000);
        assert!(f.get(&u, &[]).await.is_err());
    }
}
