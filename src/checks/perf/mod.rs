//! `perf.*`: latency of the configured `[[endpoints]]` against their budgets — p95 total time,
//! chat time to first body byte, error rate, timeouts, the opt-in rate-limit burst, and p95
//! regressions against a `--baseline` report.
//!
//! Touches nothing but the configured endpoints (webhooks excepted: the `flows` check sends them
//! their one request). Endpoints are measured concurrently with each
//! other (each with its own bounded closed loop, see [`latency`]), so the whole check takes about
//! as long as its slowest endpoint; on one shared backend that adds a little load to each
//! measurement, which is why per-endpoint concurrency stays small. Findings of an endpoint are
//! pushed when it is done; its measurements go to JSON `measurements.endpoints`, in config order.
//!
//! Judgement (DESIGN §4), on the timed samples only (warm-ups excluded):
//! - `perf.unreachable`: no request, warm-up or timed, got any HTTP response.
//! - `perf.p95_over_budget`: p95 of the total time of answered requests above `p95_ms`.
//! - `perf.first_byte_slow`: chat only, p95 of the time to the first body byte above
//!   `first_byte_ms`.
//! - `perf.error_rate_high`: transport errors, timeouts and 5xx above 1% of the samples.
//! - `perf.timeout`: any request ran past `timeout_ms`.
//! - `perf.no_rate_limit`: `probe_rate_limit = true` and neither the samples nor the burst saw a
//!   429, `Retry-After` or rate-limit header.
//! - `perf.regression`: p95 at least twice the baseline report's p95 for the same endpoint name,
//!   and at least [`REGRESSION_FLOOR_MS`] slower (so noise on a 2 ms endpoint does not count).

pub mod latency;

use super::{Check, CheckError, Cx, Sink};
use crate::catalogue::perf as spec;
use crate::config::{EndpointConfig, EndpointKind};
use crate::finding::CheckName;
use crate::model::{
    CappedAnswers, ConnectPhases, EndpointLatency, LatencyHistogram, Measurement, RateLimitProbe,
};
use futures::future::{BoxFuture, join_all};
use latency::{Burst, Connect, Run, Stats, Summary};
use std::sync::Arc;
use std::time::Duration;

/// Error rate above which `perf.error_rate_high` fires (DESIGN §4: more than 1%).
pub const ERROR_RATE_BUDGET: f64 = 0.01;
/// A regression must also be at least this many milliseconds slower than the baseline.
pub const REGRESSION_FLOOR_MS: f64 = 25.0;
/// The rate-limit burst is spread over this window.
pub const BURST_WINDOW: Duration = Duration::from_secs(2);

/// The perf check.
pub struct Perf;

impl Check for Perf {
    fn name(&self) -> CheckName {
        CheckName::Perf
    }

    fn run(&self, cx: Arc<Cx>, sink: Sink) -> BoxFuture<'static, Result<(), CheckError>> {
        Box::pin(async move {
            // Sampling time is quiet time: the secret scan waits until every endpoint is done.
            let quiet = super::QuietGuard(cx.quiet.clone());
            // Webhooks get exactly one request per audit, from the flows check.
            let endpoints: Vec<&EndpointConfig> = cx
                .cfg
                .endpoints
                .iter()
                .filter(|e| e.kind != EndpointKind::Webhook)
                .collect();
            if endpoints.is_empty() {
                sink.nothing_to_probe("no `[[endpoints]]` to measure in the config");
                return Ok(());
            }
            let results = join_all(endpoints.iter().map(|ep| {
                let (cx, sink) = (&cx, &sink);
                async move {
                    let m = measure(cx, ep).await;
                    if cut_off(&m) {
                        // The audit's deadline, not the endpoint, ended every request: that is
                        // a gap in the audit, not a finding about the site.
                        sink.could_not_probe(format!(
                            "the audit deadline cut `{}` off before it answered (raise --timeout)",
                            ep.name
                        ));
                    }
                    for f in judge(ep, &m, baseline_p95(cx, &ep.name)) {
                        sink.push(f);
                    }
                    m
                }
            }))
            .await;
            drop(quiet);
            let overlapped = cx.quiet.overlapped();
            for (ep, m) in endpoints.iter().zip(&results) {
                let mut v = measurement(ep, m, baseline_p95(&cx, &ep.name));
                // The secret scan stopped waiting for the sampling (a slow endpoint held it past
                // half the audit time): these numbers may carry its CPU load.
                v.overlapped_secret_scan = overlapped.then_some(true);
                sink.measure(Measurement::Endpoint(Box::new(v)));
            }
            Ok(())
        })
    }
}

/// Everything measured on one endpoint.
#[derive(Debug, Clone)]
pub struct Measured {
    /// Raw requests.
    pub run: Run,
    /// Statistics of the timed samples.
    pub stats: Stats,
    /// Set-up of a fresh connection.
    pub connect: Connect,
    /// The rate-limit burst, when it was sent.
    pub burst: Option<Burst>,
}

async fn measure(cx: &Cx, ep: &EndpointConfig) -> Measured {
    let probe_timeout = Duration::from_millis(ep.timeout_ms).min(cx.net.op_timeout);
    let connect = latency::connect_probe(&cx.net, ep.url.expose(), probe_timeout).await;
    let run = latency::sample(&cx.net, ep, cx.deadline).await;
    let stats = Stats::of(&run.samples);
    let burst = if ep.probe_rate_limit && run.answered() && run.rate_limit_signal().is_none() {
        Some(latency::burst(&cx.net, ep, BURST_WINDOW, cx.deadline).await)
    } else {
        None
    };
    Measured {
        run,
        stats,
        connect,
        burst,
    }
}

/// The baseline report's p95 for the endpoint named `name`, if it has one.
fn baseline_p95(cx: &Cx, name: &str) -> Option<f64> {
    cx.baseline.as_ref()?.endpoint_p95(name)
}

fn fmt_ms(v: f64) -> String {
    if v >= 100.0 {
        format!("{v:.0} ms")
    } else {
        format!("{v:.1} ms")
    }
}

fn status_list(status: &std::collections::BTreeMap<u16, u32>) -> String {
    status
        .iter()
        .map(|(k, v)| format!("{v}x{k}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// True when the endpoint got no answer only because the audit deadline ended every request
/// (or left no time to start one).
pub fn cut_off(m: &Measured) -> bool {
    !m.run.answered()
        && m.run
            .warmups
            .iter()
            .chain(&m.run.samples)
            .all(|s| s.outcome == latency::Outcome::Cut)
}

/// Turns one endpoint's measurements into findings.
pub fn judge(
    ep: &EndpointConfig,
    m: &Measured,
    baseline_p95: Option<f64>,
) -> Vec<crate::finding::Finding> {
    let mut out = Vec::new();
    let name = ep.name.as_str();
    let at = format!("{} {}", ep.method, ep.display_url);
    let st = &m.stats;
    if cut_off(m) {
        return out;
    }
    if !m.run.answered() {
        let mut causes: Vec<String> = Vec::new();
        for s in m.run.warmups.iter().chain(&m.run.samples) {
            let c = match &s.outcome {
                latency::Outcome::Error(c) => c.clone(),
                latency::Outcome::Timeout => format!("no answer within {} ms", ep.timeout_ms),
                latency::Outcome::Cut => "cut short by the audit deadline".into(),
                latency::Outcome::Status(_) => continue,
            };
            if !causes.contains(&c) {
                causes.push(c);
            }
        }
        let tried = m.run.warmups.len() + m.run.samples.len();
        let mut evidence = format!(
            "{at}: none of {tried} request(s) got an HTTP response: {}",
            if causes.is_empty() {
                "no request could be started before the audit deadline".to_string()
            } else {
                causes.join("; ")
            }
        );
        if let Some(e) = &m.connect.error {
            evidence.push_str(&format!(" (connection probe: {e})"));
        }
        out.push(spec::UNREACHABLE.finding(
            name,
            format!("endpoint `{name}` never answered"),
            evidence,
        ));
        let timeouts = m
            .run
            .warmups
            .iter()
            .chain(&m.run.samples)
            .filter(|s| s.outcome == latency::Outcome::Timeout)
            .count();
        if timeouts > 0 {
            out.push(spec::TIMEOUT.finding(
                name,
                format!("`{name}`: requests ran past {} ms", ep.timeout_ms),
                format!(
                    "{at}: {timeouts} of {tried} request(s) got no complete answer within timeout_ms = {}",
                    ep.timeout_ms
                ),
            ));
        }
        return out;
    }
    // Mostly answers the endpoint is not expected to give (by default 401/403/404: the token is
    // missing or expired, or the URL is wrong; see `EndpointConfig::expects`). The numbers
    // below then time the rejection, not the real path: say so rather than look fast.
    let unexpected: std::collections::BTreeMap<u16, u32> = st
        .status
        .iter()
        .filter(|(k, _)| **k < 500 && **k != 429 && !ep.expects(**k))
        .map(|(k, v)| (*k, *v))
        .collect();
    let rejected: u32 = unexpected.values().sum();
    if st.answered > 0 && rejected * 2 >= st.answered {
        let hint = match &ep.expect_status {
            Some(list) => format!(
                "expect_status = {:?}: check the URL, method, body and the credentials in `headers`",
                list
            ),
            None if unexpected.keys().any(|k| matches!(k, 401 | 403)) => {
                "check the URL and the credentials in `headers` (is the ${ENV} token set and current?), or declare the answer with `expect_status` (a login probed with wrong credentials: `kind = \"auth\"`)".to_string()
            }
            None => "check the URL, or declare the answer with `expect_status`".to_string(),
        };
        out.push(crate::catalogue::CHECK_ERROR.finding(
            name,
            format!(
                "`{name}` answered {}, not what it is expected to answer, so its latency is not the real path's",
                status_list(&unexpected)
            ),
            format!(
                "{at}: {rejected} of {} answered samples were {}: {hint}",
                st.answered,
                status_list(&unexpected)
            ),
        ));
    }
    if let Some(total) = st.total.filter(|t| t.p95 > ep.p95_ms as f64) {
        out.push(spec::P95_OVER_BUDGET.finding(
            name,
            format!(
                "`{name}`: p95 {} is over its {} ms budget",
                fmt_ms(total.p95),
                ep.p95_ms
            ),
            format!(
                "{at}: {} answered samples at concurrency {}: p50 {}, p95 {}, p99 {}, max {}; budget p95_ms = {} ({})",
                st.answered,
                ep.concurrency,
                fmt_ms(total.p50),
                fmt_ms(total.p95),
                fmt_ms(total.p99),
                fmt_ms(total.max),
                ep.p95_ms,
                ep.kind.as_str()
            ),
        ));
    }
    let slow_fb = st
        .first_body
        .filter(|fb| ep.kind == EndpointKind::Chat && fb.p95 > ep.first_byte_ms as f64);
    if let Some(fb) = slow_fb {
        let headers = st.headers.map(|h| fmt_ms(h.p95)).unwrap_or_default();
        out.push(spec::FIRST_BYTE_SLOW.finding(
            name,
            format!(
                "`{name}`: first byte of the reply after {} (budget {} ms)",
                fmt_ms(fb.p95),
                ep.first_byte_ms
            ),
            format!(
                "{at}: first body byte p50 {}, p95 {}, max {} over {} answered samples (headers arrived at p95 {headers}); budget first_byte_ms = {}",
                fmt_ms(fb.p50),
                fmt_ms(fb.p95),
                fmt_ms(fb.max),
                st.answered,
                ep.first_byte_ms
            ),
        ));
    }
    let rate = st.error_rate();
    if rate > ERROR_RATE_BUDGET {
        let mut parts = Vec::new();
        if st.server_errors > 0 {
            let fivexx: std::collections::BTreeMap<u16, u32> = st
                .status
                .iter()
                .filter(|(k, _)| **k >= 500)
                .map(|(k, v)| (*k, *v))
                .collect();
            parts.push(format!(
                "{} 5xx ({})",
                st.server_errors,
                status_list(&fivexx)
            ));
        }
        if st.timeouts > 0 {
            parts.push(format!("{} timed out", st.timeouts));
        }
        for (c, n) in &st.causes {
            parts.push(format!("{n} failed: {c}"));
        }
        if st.capped > 0 {
            parts.push(capped_text(st));
        }
        let title = if st.capped > 0 {
            format!(
                "`{name}`: {:.1}% of requests failed ({} answered with a body too large to read to its end)",
                rate * 100.0,
                st.capped
            )
        } else {
            format!(
                "`{name}`: {:.1}% of requests failed (budget 1%)",
                rate * 100.0
            )
        };
        out.push(spec::ERROR_RATE_HIGH.finding(
            name,
            title,
            format!(
                "{at}: {} of {} samples failed: {}",
                st.failed(),
                st.sent - st.cut,
                parts.join("; ")
            ),
        ));
    }
    if st.timeouts > 0 {
        out.push(spec::TIMEOUT.finding(
            name,
            format!("`{name}`: requests ran past {} ms", ep.timeout_ms),
            format!(
                "{at}: {} of {} samples got no complete answer within timeout_ms = {}",
                st.timeouts, st.sent, ep.timeout_ms
            ),
        ));
    }
    if let Some(b) = m
        .burst
        .as_ref()
        .filter(|b| b.signal.is_none() && b.answered > 0)
    {
        out.push(spec::NO_RATE_LIMIT.finding(
            name,
            format!(
                "`{name}`: {} requests in {:.1} s were all served, no rate limit seen",
                b.sent,
                b.elapsed.as_secs_f64()
            ),
            format!(
                "{at} ({}): burst of {} requests in {:.1} s answered {}; no 429, no Retry-After, no RateLimit-* or X-RateLimit-* header (the {} earlier samples saw none either)",
                ep.kind.as_str(),
                b.sent,
                b.elapsed.as_secs_f64(),
                status_list(&b.status),
                m.run.warmups.len() + m.run.samples.len()
            ),
        ));
    }
    let regressed = match (baseline_p95, st.total) {
        (Some(base), Some(total))
            if base > 0.0 && total.p95 >= 2.0 * base && total.p95 - base >= REGRESSION_FLOOR_MS =>
        {
            Some((base, total))
        }
        _ => None,
    };
    if let Some((base, total)) = regressed {
        out.push(spec::REGRESSION.finding(
            name,
            format!(
                "`{name}`: p95 {} is {:.1}x the baseline's {}",
                fmt_ms(total.p95),
                total.p95 / base,
                fmt_ms(base)
            ),
            format!(
                "{at}: p95 now {} over {} answered samples; baseline report p95 {}",
                fmt_ms(total.p95),
                st.answered,
                fmt_ms(base)
            ),
        ));
    }
    out
}

/// What the answers cut at the body cap were, for evidence.
fn capped_text(st: &Stats) -> String {
    let declared = match st.capped_declared {
        Some(n) => format!("declared Content-Length {n} bytes"),
        None => "no Content-Length, streamed".to_string(),
    };
    format!(
        "{} answered 2xx-4xx but their body ({declared}) was still coming when reading stopped at the {}-byte read cap: not a complete answer, so counted as failed and left out of the latency figures",
        st.capped,
        st.capped_at.unwrap_or_default()
    )
}

fn summary_json(s: Option<Summary>) -> (f64, f64, f64, f64, f64) {
    s.map(|s| (s.p50, s.p95, s.p99, s.max, s.mean))
        .unwrap_or_default()
}

/// The `measurements.endpoints[]` entry: the DESIGN §5 fields plus extras (kind, method,
/// display URL, answered, max/mean, first-byte meaning, status counts, errors, timeouts, connection
/// set-up phases, warm-ups and the cold first request, the rate-limit burst, the baseline p95).
pub fn measurement(
    ep: &EndpointConfig,
    m: &Measured,
    baseline_p95: Option<f64>,
) -> EndpointLatency {
    let st = &m.stats;
    let (p50, p95, p99, max, mean) = summary_json(st.total);
    let fb = st.first_byte(ep.kind);
    let rate_limit = if let Some(b) = &m.burst {
        Some(RateLimitProbe {
            burst_sent: u64::from(b.sent),
            limited: b.signal.is_some(),
            signal: b
                .signal
                .as_ref()
                .map(|(i, s)| format!("{s} after {i} burst request(s)")),
        })
    } else {
        m.run
            .rate_limit_signal()
            .filter(|_| ep.probe_rate_limit)
            .map(|sig| RateLimitProbe {
                burst_sent: 0,
                limited: true,
                signal: Some(format!("{sig} during sampling")),
            })
    };
    EndpointLatency {
        answered: Some(u64::from(st.answered)),
        baseline_p95_ms: baseline_p95,
        budget_p95_ms: Some(ep.p95_ms),
        capped: (st.capped > 0).then(|| CappedAnswers {
            answers: u64::from(st.capped),
            declared_bytes: st.capped_declared,
            note: "body larger than the read cap: not a complete answer, not timed".to_string(),
            read_bytes: st.capped_at.map(|n| n as u64),
        }),
        cold_ms: m
            .run
            .warmups
            .first()
            .map(|s| (s.total.as_secs_f64() * 100_000.0).round() / 100.0),
        concurrency: u64::from(ep.concurrency),
        connect: ConnectPhases {
            dns_ms: m.connect.dns_ms,
            error: m.connect.error.clone(),
            tcp_ms: m.connect.tcp_ms,
            tls_ms: m.connect.tls_ms,
        },
        cut_by_deadline: (st.cut > 0 || m.run.cut_short).then(|| u64::from(st.cut.max(1))),
        error_rate: (st.error_rate() * 10_000.0).round() / 10_000.0,
        errors: u64::from(st.transport_errors + st.server_errors),
        expect_status: ep.expect_status.clone(),
        first_byte: if ep.kind == EndpointKind::Chat {
            "body"
        } else {
            "headers"
        }
        .to_string(),
        first_byte_p50_ms: fb.map(|s| s.p50).unwrap_or(0.0),
        first_byte_p95_ms: fb.map(|s| s.p95).unwrap_or(0.0),
        histogram: {
            let totals = latency::timed_totals_ms(&m.run.samples);
            (!totals.is_empty()).then(|| {
                let (bin_ms, counts) = latency::histogram_bins(&totals, ep.p95_ms as f64);
                LatencyHistogram {
                    bin_ms,
                    counts: counts.into_iter().map(u64::from).collect(),
                }
            })
        },
        kind: ep.kind.as_str().to_string(),
        max_ms: max,
        mean_ms: mean,
        method: ep.method.clone(),
        name: ep.name.clone(),
        overlapped_secret_scan: None,
        p50_ms: p50,
        p95_ms: p95,
        p99_ms: p99,
        rate_limit,
        samples: u64::from(st.sent),
        status: st
            .status
            .iter()
            .map(|(k, v)| (k.to_string(), u64::from(*v)))
            .collect(),
        timeouts: u64::from(st.timeouts),
        url: ep.display_url.clone(),
        warmups: m.run.warmups.len() as u64,
    }
}
