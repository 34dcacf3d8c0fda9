//! The sandbox's latency endpoints: DNS records, web routes and config snippets that the `perf`
//! check's cases need. `mod.rs` and `web.rs` call these hooks; nothing else changes when a case
//! is added here.
//!
//! Every route lives under `/perf/` on `api.acme-good.test` (healthy) or `api2.acme-broken.test`
//! (broken), so no other check's routes are shadowed. Schedules are driven by a request counter
//! per sandbox (keyed by its HTTPS port, since tests run several sandboxes in one process) and
//! per path, so the true latency distribution is known by construction:
//!
//! | path | behaviour |
//! |---|---|
//! | `/perf/delay/<ms>` | answers 200 after `<ms>` (at most 5000) |
//! | `/perf/schedule` | request n waits [`SCHEDULE_SLOW_MS`] when `n % 10 == 9`, else [`SCHEDULE_FAST_MS`]: 90% fast, 10% slow, so p50 is the fast value and p95/p99 the slow one |
//! | `/perf/chat/<ms>` | `text/event-stream`: headers at once, first body byte after `<ms>` |
//! | `/perf/private` | 401 unless `Authorization: Bearer sandbox-valid-token` |
//! | `/perf/flaky` | request n answers 500 when `n % 20 == 19` (5%), else 200 after 2 ms |
//! | `/perf/hang` | request n waits 5 s when `n % 3 == 2`, else 200 after 5 ms |
//! | `/perf/limited` | 200 for the first [`LIMITED_AFTER`] requests, then 429 with `Retry-After` |
//! | `/perf/open` | always 200 after 2 ms: no rate limit at all |

use super::Ports;
use super::web::{Canned, Req};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

/// Extra records for the healthy zone (`api.acme-good.test` already has an address).
pub const HEALTHY_RECORDS: &str = "";
/// Extra records for the broken zone: the perf cases' host (the apex has no address on purpose).
pub const BROKEN_RECORDS: &str = "api2 A 127.0.0.1";

/// `/perf/schedule`: the fast delay (90% of requests).
pub const SCHEDULE_FAST_MS: u64 = 20;
/// `/perf/schedule`: the slow delay (10% of requests).
pub const SCHEDULE_SLOW_MS: u64 = 400;
/// `/perf/limited` answers 429 after this many requests.
pub const LIMITED_AFTER: u64 = 8;

/// Extra zones (origin, records).
pub fn zones() -> Vec<(&'static str, String)> {
    Vec::new()
}

/// Healthy endpoints: fast, within budget, rate-limited login. No perf finding.
pub fn healthy_toml(ports: &Ports) -> String {
    let base = format!("https://api.acme-good.test:{}/perf", ports.https);
    format!(
        r#"
[[endpoints]]
name = "api"
url = "{base}/delay/5"
samples = 20
concurrency = 4

[[endpoints]]
name = "schedule"
url = "{base}/schedule"
samples = 20
concurrency = 2
p95_ms = 800

[[endpoints]]
name = "assistant"
url = "{base}/chat/50"
method = "POST"
headers = {{ Content-Type = "application/json" }}
body = '{{"message":"ping"}}'
kind = "chat"
samples = 4
concurrency = 2

[[endpoints]]
name = "login"
url = "{base}/limited"
method = "POST"
kind = "auth"
samples = 4
concurrency = 2
probe_rate_limit = true
burst = 20
"#
    )
}

/// Broken endpoints: one case per perf id (regression needs a baseline; see the tests). The
/// cases that are not about latency get a 10 s p95 budget, so a loaded machine never adds a
/// `perf.p95_over_budget` to them and two audits of the broken site find the same things.
pub fn broken_toml(ports: &Ports) -> String {
    let base = format!("https://api2.acme-broken.test:{}/perf", ports.https);
    format!(
        r#"
[[endpoints]]
name = "search"
url = "{base}/delay/600"
samples = 4
concurrency = 4

[[endpoints]]
name = "assistant"
url = "{base}/chat/900"
method = "POST"
body = '{{"message":"ping"}}'
kind = "chat"
samples = 2
concurrency = 2
p95_ms = 10000
first_byte_ms = 600

[[endpoints]]
name = "billing"
url = "{base}/flaky"
samples = 20
concurrency = 4
p95_ms = 10000

[[endpoints]]
name = "export"
url = "{base}/hang"
samples = 3
concurrency = 3
timeout_ms = 1500
p95_ms = 10000

[[endpoints]]
name = "signup"
url = "{base}/open"
method = "POST"
kind = "auth"
samples = 4
concurrency = 2
probe_rate_limit = true
p95_ms = 10000

[[endpoints]]
name = "status-api"
url = "https://api2.acme-broken.test:1/perf/delay/1"
samples = 4
concurrency = 2
timeout_ms = 2000
"#
    )
}

/// Request counters per (sandbox HTTPS port, path).
static COUNTERS: Mutex<Option<HashMap<(u16, String), u64>>> = Mutex::new(None);

/// The 0-based number of this request to `path` on this sandbox.
fn next(req: &Req, path: &str) -> u64 {
    let mut g = COUNTERS.lock().unwrap_or_else(|p| p.into_inner());
    let map = g.get_or_insert_with(HashMap::new);
    let n = map.entry((req.https_port, path.to_string())).or_insert(0);
    let v = *n;
    *n += 1;
    v
}

async fn sleep_ms(ms: u64) {
    tokio::time::sleep(Duration::from_millis(ms)).await;
}

fn ok() -> Canned {
    Canned::new(200, "{\"ok\":true}\n").header("content-type", "application/json")
}

/// Web routes for latency cases (async: they may delay).
pub async fn route(req: &Req) -> Option<Canned> {
    if req.host != "api.acme-good.test" && req.host != "api2.acme-broken.test" {
        return None;
    }
    let path = req.path.split('?').next().unwrap_or("");
    let rest = path.strip_prefix("/perf/")?;
    let (head, arg) = rest.split_once('/').unwrap_or((rest, ""));
    let ms_arg = || arg.parse::<u64>().ok().map(|ms| ms.min(5000));
    Some(match head {
        "delay" => {
            sleep_ms(ms_arg()?).await;
            ok()
        }
        "schedule" => {
            let n = next(req, path);
            sleep_ms(if n % 10 == 9 {
                SCHEDULE_SLOW_MS
            } else {
                SCHEDULE_FAST_MS
            })
            .await;
            ok()
        }
        "chat" => Canned::new(200, "data: {\"delta\":\"Hello\"}\n\ndata: [DONE]\n\n")
            .header("content-type", "text/event-stream")
            .header("cache-control", "no-cache")
            .body_after(Duration::from_millis(ms_arg()?)),
        // An API that wants a token the request does not carry.
        "private" => {
            let authed = req
                .headers
                .iter()
                .any(|(k, v)| k == "authorization" && v == "Bearer sandbox-valid-token");
            if authed {
                ok()
            } else {
                Canned::new(401, "{\"error\":\"unauthorized\"}\n")
                    .header("content-type", "application/json")
                    .header("www-authenticate", "Bearer")
            }
        }
        "flaky" => {
            let n = next(req, path);
            sleep_ms(2).await;
            if n % 20 == 19 {
                Canned::new(500, "internal error\n").header("content-type", "text/plain")
            } else {
                ok()
            }
        }
        "hang" => {
            let n = next(req, path);
            sleep_ms(if n % 3 == 2 { 5000 } else { 5 }).await;
            ok()
        }
        "limited" => {
            let n = next(req, path);
            if n >= LIMITED_AFTER {
                Canned::new(429, "too many requests\n")
                    .header("retry-after", "1")
                    .header("content-type", "text/plain")
            } else {
                ok()
            }
        }
        "open" => {
            sleep_ms(2).await;
            ok()
        }
        _ => return None,
    })
}
