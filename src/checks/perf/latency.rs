//! Measuring one endpoint: raw per-request timings first, statistics second (STYLE habit 11).
//!
//! - [`sample`]: one untimed warm-up request per worker (so every timed request runs over an
//!   already open keep-alive connection), then `samples` timed requests from `concurrency`
//!   workers in a closed loop (each worker sends its next request when the previous one ended).
//! - [`connect_probe`]: the connection set-up of a fresh connection, phase by phase (DNS through
//!   the shared resolver, TCP connect, TLS handshake), on its own sockets, since reqwest does not
//!   expose phase times.
//! - [`burst`]: the opt-in rate-limit probe, never more than the configured number of requests.
//! - [`Stats`] and [`percentile_ms`]: the statistics, from an HDR histogram.
//!
//! Owns no finding: `mod.rs` judges. Request headers and bodies come from the config as
//! [`crate::redact::Secret`]s and are only exposed to build the request; error texts are taken
//! from reqwest errors stripped of their URL (which may carry a token in its query).

use crate::config::{EndpointConfig, EndpointKind};
use crate::net::Net;
use hdrhistogram::Histogram;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;
use tokio::time::Instant;

/// Time kept free before the audit deadline: no request is started, or allowed to run, into it.
const DEADLINE_MARGIN: Duration = Duration::from_millis(500);

/// How one request ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// An HTTP response with this status (the body was read up to the cap).
    Status(u16),
    /// Ran past the endpoint's `timeout_ms`.
    Timeout,
    /// Cut short by the audit deadline (neither an error nor a timeout of the endpoint).
    Cut,
    /// Failed before a response (DNS, connect, TLS, reset...). The cause, URL-free.
    Error(String),
}

/// One request's raw timings, measured from the moment it was handed to the client.
#[derive(Debug, Clone)]
pub struct Sample {
    /// How it ended.
    pub outcome: Outcome,
    /// Status line and headers parsed (reqwest's `send()` resolved).
    pub headers: Duration,
    /// First non-empty body chunk (equal to `total` for an empty body).
    pub first_body: Duration,
    /// Body read to its end (or to the cap).
    pub total: Duration,
    /// The first rate-limit signal in the response (429, `Retry-After`, `RateLimit-*`).
    pub rate_limit: Option<String>,
    /// `Some(bytes read)` when the body reached the read cap and reading stopped: the answer
    /// is not complete, so its time is not a latency.
    pub capped: Option<usize>,
    /// The `Content-Length` the response declared, if any.
    pub declared: Option<u64>,
}

/// Everything measured on one endpoint.
#[derive(Debug, Clone)]
pub struct Run {
    /// The warm-up requests (one per worker), untimed for statistics.
    pub warmups: Vec<Sample>,
    /// The timed requests.
    pub samples: Vec<Sample>,
    /// Sampling stopped early because of the audit deadline.
    pub cut_short: bool,
}

impl Run {
    /// True if at least one request (warm-up or timed) got an HTTP response.
    pub fn answered(&self) -> bool {
        self.warmups
            .iter()
            .chain(&self.samples)
            .any(|s| matches!(s.outcome, Outcome::Status(_)))
    }

    /// The first rate-limit signal seen in any response.
    pub fn rate_limit_signal(&self) -> Option<&str> {
        self.warmups
            .iter()
            .chain(&self.samples)
            .find_map(|s| s.rate_limit.as_deref())
    }
}

/// The request for `ep`. Header values are marked sensitive (never in reqwest's `Debug`).
fn request(
    client: &reqwest::Client,
    ep: &EndpointConfig,
    timeout: Duration,
) -> reqwest::RequestBuilder {
    let method = reqwest::Method::from_bytes(ep.method.as_bytes()).unwrap_or(reqwest::Method::GET);
    // reqwest's own per-request timeout only has to be later than ours (it overrides the
    // client's 10 s default, which would otherwise cut long `timeout_ms` values short).
    let mut rb = client
        .request(method, ep.url.expose().as_str())
        .timeout(timeout + Duration::from_secs(1));
    for (k, v) in &ep.headers {
        if let Ok(mut hv) = reqwest::header::HeaderValue::from_str(v.expose()) {
            hv.set_sensitive(true);
            rb = rb.header(k.as_str(), hv);
        }
    }
    if let Some(b) = &ep.body {
        rb = rb.body(b.expose().clone());
    }
    rb
}

/// The cause of a reqwest error, URL removed, with its source chain ("client error (Connect):
/// tcp connect error: Connection refused (os error 111)").
pub fn cause(e: reqwest::Error) -> String {
    crate::net::error_chain(&e.without_url())
}

/// 429, `Retry-After`, or a `RateLimit*` / `X-RateLimit-*` / `X-Rate-Limit-*` header
/// (RFC 6585 §4, draft-ietf-httpapi-ratelimit-headers, and the common `X-` variants).
pub fn rate_limit_signal(status: u16, headers: &reqwest::header::HeaderMap) -> Option<String> {
    if status == 429 {
        return Some("429 Too Many Requests".into());
    }
    headers.keys().find_map(|k| {
        let n = k.as_str();
        (n == "retry-after"
            || n.starts_with("ratelimit")
            || n.starts_with("x-ratelimit")
            || n.starts_with("x-rate-limit"))
        .then(|| format!("`{n}` header"))
    })
}

/// Sends one request and times it. Never fails: errors become [`Outcome::Error`].
pub async fn one(
    client: &reqwest::Client,
    ep: &EndpointConfig,
    timeout: Duration,
    cut: bool,
    body_cap: usize,
) -> Sample {
    let t0 = Instant::now();
    let mut headers_at = None;
    let mut first_at = None;
    let mut signal = None;
    let mut capped = None;
    let mut declared = None;
    let fut = async {
        let mut resp = request(client, ep, timeout).send().await?;
        headers_at = Some(t0.elapsed());
        let status = resp.status().as_u16();
        signal = rate_limit_signal(status, resp.headers());
        declared = resp.content_length();
        let mut read = 0usize;
        while let Some(chunk) = resp.chunk().await? {
            if first_at.is_none() && !chunk.is_empty() {
                first_at = Some(t0.elapsed());
            }
            read += chunk.len();
            if read >= body_cap {
                capped = Some(read);
                break;
            }
        }
        Ok::<u16, reqwest::Error>(status)
    };
    let result = tokio::time::timeout(timeout, fut).await;
    let total = t0.elapsed();
    let outcome = match result {
        Err(_) if cut => Outcome::Cut,
        Err(_) => Outcome::Timeout,
        Ok(Ok(status)) => Outcome::Status(status),
        Ok(Err(e)) if e.is_timeout() => Outcome::Timeout,
        Ok(Err(e)) => Outcome::Error(cause(e)),
    };
    let headers = headers_at.unwrap_or(total);
    Sample {
        outcome,
        headers,
        first_body: first_at.unwrap_or(total),
        total,
        rate_limit: signal,
        capped,
        declared,
    }
}

/// The per-request timeout: the endpoint's, shortened to end before the audit deadline.
/// `None` when there is no time left to start a request; the flag says it was shortened.
pub(crate) fn budget(ep: &EndpointConfig, deadline: Instant) -> Option<(Duration, bool)> {
    let left = deadline
        .saturating_duration_since(Instant::now())
        .saturating_sub(DEADLINE_MARGIN);
    let want = Duration::from_millis(ep.timeout_ms);
    if left < Duration::from_millis(50) {
        None
    } else if left < want {
        Some((left, true))
    } else {
        Some((want, false))
    }
}

/// Warm-up then timed samples, closed loop (see the module docs). If every warm-up request fails
/// the endpoint is not sampled further (it never answered; hammering it teaches nothing).
pub async fn sample(net: &Net, ep: &EndpointConfig, deadline: Instant) -> Run {
    let workers = ep.concurrency.max(1) as usize;
    let cap = net.body_cap;
    let warm_up = |client: &reqwest::Client| {
        let client = client.clone();
        async move {
            let warm = futures::future::join_all((0..workers).map(|_| async {
                match budget(ep, deadline) {
                    Some((t, cut)) => Some(one(&client, ep, t, cut, cap).await),
                    None => None,
                }
            }))
            .await;
            let warmups: Vec<Sample> = warm.into_iter().flatten().collect();
            Run {
                cut_short: warmups.len() < workers,
                warmups,
                samples: Vec::new(),
            }
        }
    };
    let mut client = &net.http;
    let mut run = warm_up(client).await;
    // A server rustls cannot talk to (only CBC, static-RSA or DHE suites) may still answer
    // the platform TLS library, as browsers and curl do: measure it through that.
    if !run.answered() && ep.url.expose().scheme() == "https" {
        let again = warm_up(&net.legacy_http).await;
        if again.answered() {
            client = &net.legacy_http;
            run = again;
        }
    }
    if !run.answered() {
        return run;
    }
    let next = AtomicU32::new(0);
    let per_worker = futures::future::join_all((0..workers).map(|_| async {
        let mut mine = Vec::new();
        let mut stopped = false;
        while next.fetch_add(1, Ordering::Relaxed) < ep.samples {
            match budget(ep, deadline) {
                Some((t, cut)) => mine.push(one(client, ep, t, cut, cap).await),
                None => {
                    stopped = true;
                    break;
                }
            }
        }
        (mine, stopped)
    }))
    .await;
    for (mine, stopped) in per_worker {
        run.samples.extend(mine);
        run.cut_short |= stopped;
    }
    run
}

/// Latency summary of one series, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
    /// 99th percentile.
    pub p99: f64,
    /// Largest.
    pub max: f64,
    /// Arithmetic mean.
    pub mean: f64,
}

/// The percentile `q` (0 < q <= 1) of the values recorded in `h` (microseconds), in milliseconds.
///
/// Definition: nearest rank — the smallest recorded value `v` such that at least `ceil(q * n)`
/// of the `n` values are `<= v` (what hdrhistogram's `value_at_quantile` computes; it is also
/// oha's and most load tools' definition, no interpolation between values). The histogram keeps 3
/// significant digits, so the value returned is the upper edge of the recorded value's bucket:
/// at most 0.1% above the exact value. Rounded to 0.01 ms. An empty histogram gives 0.
pub fn percentile_ms(h: &Histogram<u64>, q: f64) -> f64 {
    if h.is_empty() {
        return 0.0;
    }
    round2(h.value_at_quantile(q) as f64 / 1000.0)
}

fn round2(ms: f64) -> f64 {
    (ms * 100.0).round() / 100.0
}

/// A histogram in microseconds from 1 µs to 10 minutes, 3 significant digits.
fn histogram() -> Option<Histogram<u64>> {
    Histogram::new_with_bounds(1, 600_000_000, 3).ok()
}

/// Summarises durations; `None` when there are none.
pub fn summarize(values: impl IntoIterator<Item = Duration>) -> Option<Summary> {
    let mut h = histogram()?;
    for v in values {
        h.saturating_record((v.as_micros() as u64).max(1));
    }
    if h.is_empty() {
        return None;
    }
    Some(Summary {
        p50: percentile_ms(&h, 0.50),
        p95: percentile_ms(&h, 0.95),
        p99: percentile_ms(&h, 0.99),
        max: round2(h.max() as f64 / 1000.0),
        mean: round2(h.mean() / 1000.0),
    })
}

/// The samples the latency figures are computed from: answered, and not cut at the body cap.
fn timed(samples: &[Sample]) -> impl Iterator<Item = &Sample> {
    samples
        .iter()
        .filter(|x| matches!(x.outcome, Outcome::Status(c) if c >= 500 || x.capped.is_none()))
}

/// The total times of the samples the latency figures are computed from, in milliseconds.
pub fn timed_totals_ms(samples: &[Sample]) -> Vec<f64> {
    timed(samples)
        .map(|x| round2(x.total.as_secs_f64() * 1000.0))
        .collect()
}

/// Bins for drawing the latency distribution: equal-width bins from 0 ms, wide enough that the
/// slowest value and the budget both fit in about [`HISTOGRAM_BINS`] bins. The width is a
/// "round" number (1, 2, 2.5 or 5 times a power of ten) so the axis reads well. Returns the
/// width and the count of values per bin (bin `i` holds `[i * width, (i + 1) * width)`).
pub fn histogram_bins(values_ms: &[f64], budget_ms: f64) -> (f64, Vec<u32>) {
    let top = values_ms.iter().copied().fold(budget_ms.max(0.0), f64::max);
    let width = nice_width(top / HISTOGRAM_BINS as f64);
    let n = ((top / width).floor() as usize + 1).min(HISTOGRAM_BINS * 3);
    let mut counts = vec![0u32; n];
    for v in values_ms {
        let i = ((v.max(0.0) / width).floor() as usize).min(n - 1);
        counts[i] += 1;
    }
    (width, counts)
}

/// About how many bins [`histogram_bins`] makes.
pub const HISTOGRAM_BINS: usize = 20;

/// The smallest of 1, 2, 2.5, 5 times a power of ten that is at least `raw` (at least 0.01).
fn nice_width(raw: f64) -> f64 {
    if !raw.is_finite() || raw <= 0.01 {
        return 0.01;
    }
    let mag = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|w| *w >= raw - 1e-9)
        .unwrap_or(10.0 * mag)
}

/// Statistics of the timed samples.
#[derive(Debug, Clone)]
pub struct Stats {
    /// Timed requests sent (cut ones included).
    pub sent: u32,
    /// Requests that got a response.
    pub answered: u32,
    /// 5xx responses.
    pub server_errors: u32,
    /// Failures before a response (other than timeouts).
    pub transport_errors: u32,
    /// Requests past `timeout_ms`.
    pub timeouts: u32,
    /// Requests cut by the audit deadline (left out of the error rate).
    pub cut: u32,
    /// Answers whose body reached the read cap: not complete, counted as failed, not timed.
    pub capped: u32,
    /// Bytes read from a capped body before reading stopped.
    pub capped_at: Option<usize>,
    /// Largest `Content-Length` declared by a capped answer.
    pub capped_declared: Option<u64>,
    /// Status code -> count.
    pub status: BTreeMap<u16, u32>,
    /// Transport error cause -> count.
    pub causes: BTreeMap<String, u32>,
    /// Total time of answered requests.
    pub total: Option<Summary>,
    /// Time to status line and headers of answered requests.
    pub headers: Option<Summary>,
    /// Time to the first body byte of answered requests.
    pub first_body: Option<Summary>,
}

impl Stats {
    /// Counts and summarises `samples`.
    pub fn of(samples: &[Sample]) -> Stats {
        let mut s = Stats {
            sent: samples.len() as u32,
            answered: 0,
            server_errors: 0,
            transport_errors: 0,
            timeouts: 0,
            cut: 0,
            capped: 0,
            capped_at: None,
            capped_declared: None,
            status: BTreeMap::new(),
            causes: BTreeMap::new(),
            total: None,
            headers: None,
            first_body: None,
        };
        for x in samples {
            match &x.outcome {
                Outcome::Status(code) => {
                    *s.status.entry(*code).or_default() += 1;
                    if *code >= 500 {
                        s.server_errors += 1;
                    } else if let Some(read) = x.capped {
                        s.capped += 1;
                        s.capped_at = s.capped_at.max(Some(read));
                        s.capped_declared = s.capped_declared.max(x.declared);
                        continue;
                    }
                    s.answered += 1;
                }
                Outcome::Timeout => s.timeouts += 1,
                Outcome::Cut => s.cut += 1,
                Outcome::Error(c) => {
                    s.transport_errors += 1;
                    *s.causes.entry(c.clone()).or_default() += 1;
                }
            }
        }
        let ok = || timed(samples);
        s.total = summarize(ok().map(|x| x.total));
        s.headers = summarize(ok().map(|x| x.headers));
        s.first_body = summarize(ok().map(|x| x.first_body));
        s
    }

    /// Failed requests: transport errors, timeouts, 5xx and answers cut at the body cap.
    pub fn failed(&self) -> u32 {
        self.transport_errors + self.timeouts + self.server_errors + self.capped
    }

    /// `failed / (sent - cut)`, 0 when nothing counts.
    pub fn error_rate(&self) -> f64 {
        let n = self.sent.saturating_sub(self.cut);
        if n == 0 {
            0.0
        } else {
            f64::from(self.failed()) / f64::from(n)
        }
    }

    /// The time-to-first-byte series that the budget applies to: the first body byte for chat
    /// endpoints (a streamed reply starts when text arrives, not when headers do), the headers
    /// for every other kind.
    pub fn first_byte(&self, kind: EndpointKind) -> Option<Summary> {
        if kind == EndpointKind::Chat {
            self.first_body
        } else {
            self.headers
        }
    }
}

/// Connection set-up of one fresh connection, by phase, in milliseconds.
#[derive(Debug, Clone, Default)]
pub struct Connect {
    /// Name resolution through the shared resolver (`None` for IP literals or on failure;
    /// may be served from the resolver's cache).
    pub dns_ms: Option<f64>,
    /// TCP connect to the first address.
    pub tcp_ms: Option<f64>,
    /// TLS handshake (https only).
    pub tls_ms: Option<f64>,
    /// The phase that failed and why.
    pub error: Option<String>,
}

fn ms(d: Duration) -> f64 {
    round2(d.as_secs_f64() * 1000.0)
}

/// Measures DNS, TCP and TLS of a fresh connection to `url`'s host, each phase bounded by
/// `timeout`. Trusts the web PKI roots plus `--ca-file`; a certificate error stops at the TLS
/// phase (the `tls` check reports it).
pub async fn connect_probe(net: &Net, url: &url::Url, timeout: Duration) -> Connect {
    let mut c = Connect::default();
    let Some(host) = url.host() else {
        c.error = Some("no host".into());
        return c;
    };
    let port = url.port_or_known_default().unwrap_or(443);
    let ip = match host {
        url::Host::Ipv4(ip) => std::net::IpAddr::V4(ip),
        url::Host::Ipv6(ip) => std::net::IpAddr::V6(ip),
        url::Host::Domain(name) => {
            let fqdn = format!("{}.", name.trim_end_matches('.'));
            let t = Instant::now();
            match tokio::time::timeout(timeout, net.resolver.lookup_ip(fqdn.as_str())).await {
                Ok(Ok(ips)) => {
                    c.dns_ms = Some(ms(t.elapsed()));
                    match ips.iter().next() {
                        Some(ip) => ip,
                        None => {
                            c.error = Some(format!("dns: {name} has no address"));
                            return c;
                        }
                    }
                }
                Ok(Err(e)) => {
                    c.error = Some(format!("dns: {e}"));
                    return c;
                }
                Err(_) => {
                    c.error = Some("dns: timed out".into());
                    return c;
                }
            }
        }
    };
    let t = Instant::now();
    let host_name = host.to_string();
    let tcp = match net
        .guard
        .connect(&host_name, std::net::SocketAddr::new(ip, port), timeout)
        .await
    {
        Ok(s) => {
            c.tcp_ms = Some(ms(t.elapsed()));
            s
        }
        Err(crate::egress::DialError::Timeout(_)) => {
            c.error = Some("tcp: timed out".into());
            return c;
        }
        Err(e) => {
            c.error = Some(format!("tcp: {e}"));
            return c;
        }
    };
    if url.scheme() != "https" {
        return c;
    }
    let config = match crate::net::client_config(net.roots.clone()) {
        Ok(c) => c,
        Err(e) => {
            c.error = Some(format!("tls: {e}"));
            return c;
        }
    };
    let server_name = match url.host_str().map(|h| {
        rustls_pki_types::ServerName::try_from(h.trim_start_matches('[').trim_end_matches(']'))
    }) {
        Some(Ok(n)) => n.to_owned(),
        _ => {
            c.error = Some("tls: not a valid server name".into());
            return c;
        }
    };
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let t = Instant::now();
    match tokio::time::timeout(timeout, connector.connect(server_name, tcp)).await {
        Ok(Ok(_)) => c.tls_ms = Some(ms(t.elapsed())),
        Ok(Err(e)) => c.error = Some(format!("tls: {e}")),
        Err(_) => c.error = Some("tls: timed out".into()),
    }
    c
}

/// What the rate-limit burst saw.
#[derive(Debug, Clone, Default)]
pub struct Burst {
    /// Requests sent (never more than the configured burst).
    pub sent: u32,
    /// Requests that got a response.
    pub answered: u32,
    /// Status code -> count.
    pub status: BTreeMap<u16, u32>,
    /// The first signal and after how many burst requests it came.
    pub signal: Option<(u32, String)>,
    /// Wall time of the burst.
    pub elapsed: Duration,
}

/// The rate-limit probe: up to `ep.burst` requests spread evenly over `window` (open loop, so
/// a slow server does not slow the burst down), stopping as soon as a 429 or a rate-limit header
/// is seen. Each request is bounded by `timeout_ms` (at most 10 s) and the audit deadline.
pub async fn burst(net: &Net, ep: &EndpointConfig, window: Duration, deadline: Instant) -> Burst {
    let n = ep.burst.max(1);
    let gap = window / n;
    let seen: Arc<std::sync::Mutex<Burst>> = Arc::default();
    let t0 = Instant::now();
    let mut tasks = Vec::new();
    let ep = Arc::new(ep.clone());
    for i in 0..n {
        if seen.lock().map(|b| b.signal.is_some()).unwrap_or(true) {
            break;
        }
        tokio::time::sleep_until(t0 + gap * i).await;
        let Some((t, cut)) = budget(&ep, deadline) else {
            break;
        };
        let t = t.min(Duration::from_secs(10));
        let (client, ep, seen, cap) = (net.http.clone(), ep.clone(), seen.clone(), net.body_cap);
        if let Ok(mut b) = seen.lock() {
            b.sent += 1;
        }
        tasks.push(tokio::spawn(async move {
            let s = one(&client, &ep, t, cut, cap.min(64 * 1024)).await;
            if let Ok(mut b) = seen.lock() {
                if let Outcome::Status(code) = s.outcome {
                    b.answered += 1;
                    *b.status.entry(code).or_default() += 1;
                }
                if let (Some(sig), None) = (s.rate_limit, &b.signal) {
                    b.signal = Some((i + 1, sig));
                }
            }
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
    let mut out = seen.lock().map(|b| b.clone()).unwrap_or_default();
    out.elapsed = t0.elapsed();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hist(values_us: &[u64]) -> Histogram<u64> {
        let mut h = histogram().expect("bounds are valid");
        for v in values_us {
            h.saturating_record(*v);
        }
        h
    }

    /// Hand-checked: 20 values 1..=20 ms. Nearest rank: p50 = ceil(10) -> 10th value = 10 ms,
    /// p95 = ceil(19) -> 19th = 19 ms, p99 = ceil(19.8) -> 20th = 20 ms. HDR returns the upper
    /// edge of each bucket: with 3 significant digits, values 8192..16383 µs are kept in 8 µs
    /// steps, so 10000 µs reads as 10007 µs = 10.01 ms; 16384..32767 µs in 16 µs steps, so
    /// 19000 µs (bucket 18992..19007) reads 19.01 ms and 20000 µs (20000..20015) reads 20.02 ms.
    #[test]
    fn percentile_is_nearest_rank_within_hdr_precision() {
        let h = hist(&(1..=20).map(|ms| ms * 1000).collect::<Vec<_>>());
        assert_eq!(percentile_ms(&h, 0.50), 10.01);
        assert_eq!(percentile_ms(&h, 0.95), 19.01);
        assert_eq!(percentile_ms(&h, 0.99), 20.02);
        assert_eq!(percentile_ms(&h, 1.0), 20.02);
        // Below the 1st rank the first value is returned.
        assert_eq!(percentile_ms(&h, 0.01), 1.0);
        assert_eq!(percentile_ms(&hist(&[]), 0.95), 0.0);
    }

    /// The sandbox schedule by construction: 18 requests at 20 ms and 2 at 400 ms. p50 is the
    /// 10th value (20 ms); p90 the 18th (still 20 ms); p95 the 19th (400 ms).
    #[test]
    fn percentile_of_a_90_10_schedule() {
        let mut v = vec![20_000u64; 18];
        v.extend([400_000, 400_000]);
        let h = hist(&v);
        assert_eq!(percentile_ms(&h, 0.50), 20.02);
        assert_eq!(percentile_ms(&h, 0.90), 20.02);
        assert!((percentile_ms(&h, 0.95) - 400.0).abs() <= 0.4);
    }

    #[test]
    fn summary_and_error_rate() {
        let s = |outcome: Outcome, ms: u64| Sample {
            outcome,
            headers: Duration::from_millis(ms / 2),
            first_body: Duration::from_millis(ms - 1),
            total: Duration::from_millis(ms),
            rate_limit: None,
            capped: None,
            declared: None,
        };
        let samples = vec![
            s(Outcome::Status(200), 10),
            s(Outcome::Status(200), 30),
            s(Outcome::Status(503), 20),
            s(Outcome::Timeout, 1500),
            s(Outcome::Error("connection reset".into()), 1),
            s(Outcome::Cut, 5),
        ];
        let st = Stats::of(&samples);
        assert_eq!(st.sent, 6);
        assert_eq!(st.answered, 3);
        assert_eq!(st.failed(), 3);
        assert_eq!(st.cut, 1);
        assert!((st.error_rate() - 0.6).abs() < 1e-9);
        assert_eq!(st.status.get(&503), Some(&1));
        let total = st.total.expect("answered");
        assert_eq!(total.p50, 20.02);
        assert_eq!(total.max, 30.02);
        // Chat budgets apply to the first body byte, other kinds to the headers.
        assert_eq!(st.first_byte(EndpointKind::Chat).unwrap().max, 29.01);
        assert_eq!(st.first_byte(EndpointKind::Api).unwrap().max, 15.01);

        // A body cut at the read cap is not a complete answer: failed, and not timed.
        let mut big = s(Outcome::Status(200), 3);
        big.capped = Some(2 << 20);
        big.declared = Some(5 << 30);
        let st = Stats::of(&[s(Outcome::Status(200), 40), big]);
        assert_eq!((st.answered, st.capped, st.failed()), (1, 1, 1));
        assert_eq!(st.capped_declared, Some(5 << 30));
        assert_eq!(st.total.unwrap().max, 40.03);
    }

    #[test]
    fn rate_limit_signals() {
        use reqwest::header::{HeaderMap, HeaderValue};
        let mut h = HeaderMap::new();
        assert_eq!(rate_limit_signal(200, &h), None);
        assert_eq!(
            rate_limit_signal(429, &h).as_deref(),
            Some("429 Too Many Requests")
        );
        h.insert("content-type", HeaderValue::from_static("text/plain"));
        assert_eq!(rate_limit_signal(200, &h), None);
        for name in [
            "retry-after",
            "ratelimit",
            "ratelimit-policy",
            "ratelimit-remaining",
            "x-ratelimit-limit",
            "x-rate-limit-remaining",
        ] {
            let mut h = HeaderMap::new();
            h.insert(
                reqwest::header::HeaderName::from_static(name),
                HeaderValue::from_static("1"),
            );
            assert_eq!(
                rate_limit_signal(200, &h),
                Some(format!("`{name}` header")),
                "{name}"
            );
        }
    }

    #[test]
    fn histogram_bins_cover_values_and_budget_with_round_widths() {
        // top = max(450, budget 500) = 500 -> raw width 25 -> 25 ms bins, 21 of them.
        let (w, c) = histogram_bins(&[1.0, 24.9, 25.0, 450.0], 500.0);
        assert_eq!(w, 25.0);
        assert_eq!(c.len(), 21);
        assert_eq!((c[0], c[1], c[18]), (2, 1, 1));
        assert_eq!(c.iter().sum::<u32>(), 4);
        // slowest value beyond the budget: 2600 / 20 = 130 -> 200 ms bins; 2600 lands in bin 13.
        let (w, c) = histogram_bins(&[3.0, 2600.0], 300.0);
        assert_eq!(w, 200.0);
        assert_eq!(c.len(), 14);
        assert_eq!((c[0], c[13]), (1, 1));
        // nothing measured and no budget: one tiny bin, no panic.
        assert_eq!(histogram_bins(&[], 0.0), (0.01, vec![0]));
    }
}
