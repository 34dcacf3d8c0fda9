//! Sending chat requests: the body template, the shared request budget, bounded concurrency,
//! 429 back-off, and reading the reply with the perf check's body cap and timeouts.
//!
//! Every request goes through the shared HTTP client in [`Net`]. Header values come from the
//! `[[endpoints]]` entry as secrets and are marked sensitive; errors are stripped of the URL.

use crate::checks::perf::latency;
use crate::config::{AiConfig, EndpointConfig, ReplyFormat};
use crate::net::Net;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;
use tokio::sync::Semaphore;
use tokio::time::Instant;

/// The longest a `Retry-After` is honoured (longer ones: the probe is reported as rate limited).
pub const MAX_BACKOFF: Duration = Duration::from_secs(10);
/// Retries of a probe answered 429 (each after the back-off, each spending a request).
pub const MAX_RETRIES: u32 = 2;
/// Back-off after a 429 without `Retry-After`.
pub const DEFAULT_BACKOFF: Duration = Duration::from_secs(2);

/// What goes in the request body.
#[derive(Debug, Clone)]
pub enum Payload {
    /// The template with this message (JSON-escaped) and the conversation's session.
    Message(String),
    /// The template, cut in half: not valid JSON.
    InvalidJson,
    /// The template with a benign message, sent with a wrong `Content-Type`.
    WrongContentType,
}

/// How one request ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// No complete answer within `timeout_ms`.
    Timeout,
    /// Cut short by the audit deadline.
    Cut,
    /// Failed before or while reading the response (reset, refused, TLS...); URL-free cause.
    Error(String),
}

/// One request's outcome.
#[derive(Debug, Clone)]
pub struct Sent {
    /// The HTTP status, when a response arrived.
    pub status: Option<u16>,
    /// Why there is no (complete) response.
    pub failure: Option<Failure>,
    /// The body as read (up to the cap; partial when the read failed).
    pub body: Vec<u8>,
    /// Milliseconds from sending to the end of the body.
    pub ms: u64,
    /// 429 answers seen before this outcome (each was backed off, and cost a request).
    pub rate_limited: u32,
    /// The request body that was sent (what quoting would echo).
    pub sent_body: String,
}

/// The request budget, concurrency and back-off shared by every probe of one run.
pub struct Sender<'a> {
    net: &'a Net,
    ep: &'a EndpointConfig,
    ai: &'a AiConfig,
    deadline: Instant,
    slots: Semaphore,
    spent: AtomicU32,
    rate_limited: AtomicU32,
    pause_until: Mutex<Option<Instant>>,
}

impl<'a> Sender<'a> {
    /// A sender for the `[ai]` endpoint.
    pub fn new(net: &'a Net, ep: &'a EndpointConfig, ai: &'a AiConfig, deadline: Instant) -> Self {
        Sender {
            net,
            ep,
            ai,
            deadline,
            slots: Semaphore::new(ai.concurrency.max(1) as usize),
            spent: AtomicU32::new(0),
            rate_limited: AtomicU32::new(0),
            pause_until: Mutex::new(None),
        }
    }

    /// Chat requests sent so far (429 retries included).
    pub fn spent(&self) -> u32 {
        self.spent.load(Ordering::Relaxed)
    }

    /// 429 answers seen so far.
    pub fn rate_limited(&self) -> u32 {
        self.rate_limited.load(Ordering::Relaxed)
    }

    fn take_budget(&self) -> bool {
        self.spent
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| {
                (n < self.ai.max_requests).then_some(n + 1)
            })
            .is_ok()
    }

    fn give_back(&self) {
        self.spent.fetch_sub(1, Ordering::Relaxed);
    }

    /// Sends one probe in its own conversation (`session`). `None` when the budget or the
    /// deadline left no room to send it.
    pub async fn send(&self, payload: &Payload, session: &str) -> Option<Sent> {
        let mut seen_429 = 0u32;
        loop {
            if !self.take_budget() {
                return None;
            }
            let Ok(_slot) = self.slots.acquire().await else {
                self.give_back();
                return None;
            };
            let pause = *self.pause_until.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(until) = pause {
                if until >= self.deadline {
                    self.give_back();
                    return None;
                }
                tokio::time::sleep_until(until).await;
            }
            let Some((timeout, shortened)) = latency::budget(self.ep, self.deadline) else {
                self.give_back();
                return None;
            };
            let raw = self.once(payload, session, timeout, shortened).await;
            if raw.status != Some(429) {
                return Some(raw.into_sent(seen_429));
            }
            seen_429 += 1;
            self.rate_limited.fetch_add(1, Ordering::Relaxed);
            let wait = raw.retry_after.unwrap_or(DEFAULT_BACKOFF);
            if seen_429 > MAX_RETRIES || wait > MAX_BACKOFF {
                return Some(raw.into_sent(seen_429));
            }
            let until = Instant::now() + wait;
            let mut p = self.pause_until.lock().unwrap_or_else(|p| p.into_inner());
            if p.is_none_or(|cur| cur < until) {
                *p = Some(until);
            }
        }
    }

    async fn once(
        &self,
        payload: &Payload,
        session: &str,
        timeout: Duration,
        shortened: bool,
    ) -> Raw {
        let (body, content_type) = render(self.ai, payload, session);
        let method =
            reqwest::Method::from_bytes(self.ep.method.as_bytes()).unwrap_or(reqwest::Method::POST);
        let mut rb = self
            .net
            .http
            .request(method, self.ep.url.expose().as_str())
            .timeout(timeout + Duration::from_secs(1));
        let mut has_ct = false;
        let mut has_accept = false;
        for (k, v) in &self.ep.headers {
            let lk = k.to_ascii_lowercase();
            if lk == "content-type" {
                has_ct = true;
                if matches!(payload, Payload::WrongContentType) {
                    continue;
                }
            }
            has_accept |= lk == "accept";
            let value = v.expose().replace("{{session}}", session);
            if let Ok(mut hv) = reqwest::header::HeaderValue::from_str(&value) {
                hv.set_sensitive(true);
                rb = rb.header(k.as_str(), hv);
            }
        }
        if !has_ct || matches!(payload, Payload::WrongContentType) {
            rb = rb.header(reqwest::header::CONTENT_TYPE, content_type);
        }
        if !has_accept {
            let accept = match self.ai.reply {
                ReplyFormat::SseOpenai | ReplyFormat::SseData => "text/event-stream",
                ReplyFormat::Json(_) => "application/json",
                ReplyFormat::Text => "*/*",
            };
            rb = rb.header(reqwest::header::ACCEPT, accept);
        }
        let rb = rb.body(body.clone());
        let cap = self.net.body_cap;
        let t0 = Instant::now();
        let mut buf: Vec<u8> = Vec::new();
        let mut status = None;
        let mut retry_after = None;
        let fut = async {
            let mut resp = rb.send().await?;
            status = Some(resp.status().as_u16());
            retry_after = resp
                .headers()
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map(Duration::from_secs);
            while let Some(chunk) = resp.chunk().await? {
                let room = cap.saturating_sub(buf.len());
                buf.extend_from_slice(&chunk[..chunk.len().min(room)]);
                if buf.len() >= cap {
                    break;
                }
            }
            Ok::<(), reqwest::Error>(())
        };
        let result = tokio::time::timeout(timeout, fut).await;
        let failure = match result {
            Ok(Ok(())) => None,
            Err(_) if shortened => Some(Failure::Cut),
            Err(_) => Some(Failure::Timeout),
            Ok(Err(e)) if e.is_timeout() => Some(Failure::Timeout),
            Ok(Err(e)) => Some(Failure::Error(latency::cause(e))),
        };
        Raw {
            status,
            failure,
            body: buf,
            ms: t0.elapsed().as_millis() as u64,
            retry_after,
            sent_body: body,
        }
    }
}

/// A response before 429 handling.
struct Raw {
    status: Option<u16>,
    failure: Option<Failure>,
    body: Vec<u8>,
    ms: u64,
    retry_after: Option<Duration>,
    sent_body: String,
}

impl Raw {
    fn into_sent(self, rate_limited: u32) -> Sent {
        Sent {
            status: self.status,
            failure: self.failure,
            body: self.body,
            ms: self.ms,
            rate_limited,
            sent_body: self.sent_body,
        }
    }
}

/// The JSON-escaped form of `s`, without the surrounding quotes.
pub fn json_escape(s: &str) -> String {
    let q = serde_json::to_string(s).unwrap_or_default();
    q[1..q.len().saturating_sub(1).max(1)].to_string()
}

/// The template filled in: `{{message}}` and `{{session}}` JSON-escaped.
pub fn fill(template: &str, message: &str, session: &str) -> String {
    template
        .replace("{{session}}", &json_escape(session))
        .replace("{{message}}", &json_escape(message))
}

/// The body and `Content-Type` of one probe.
pub fn render(ai: &AiConfig, payload: &Payload, session: &str) -> (String, &'static str) {
    let template = ai.body.expose();
    let ct = |body: &str| {
        if serde_json::from_str::<serde_json::Value>(body).is_ok() {
            "application/json"
        } else {
            "text/plain; charset=utf-8"
        }
    };
    match payload {
        Payload::Message(m) => {
            let b = fill(template, m, session);
            let t = ct(&b);
            (b, t)
        }
        Payload::InvalidJson => {
            let b = fill(template, "Hello, is this thing on?", session);
            let t = ct(&b);
            let mut cut = b.len() / 2;
            while !b.is_char_boundary(cut) {
                cut -= 1;
            }
            (b[..cut].to_string(), t)
        }
        Payload::WrongContentType => {
            let b = fill(template, "Hello, is this thing on?", session);
            let wrong = if ct(&b) == "application/json" {
                "text/plain"
            } else {
                "application/octet-stream"
            };
            (b, wrong)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_the_message_into_json() {
        let t = r#"{"message": "{{message}}", "session": "{{session}}"}"#;
        let body = fill(t, "say \"hi\"\nthen \\ leave", "s1");
        let v: serde_json::Value = serde_json::from_str(&body).expect("valid JSON");
        assert_eq!(v["message"], "say \"hi\"\nthen \\ leave");
        assert_eq!(v["session"], "s1");
        assert_eq!(json_escape(""), "");
        assert_eq!(json_escape("é\u{1}"), "é\\u0001");
    }
}
