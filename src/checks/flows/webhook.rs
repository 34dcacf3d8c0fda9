//! `webhook.*`: each `[[endpoints]]` entry with `kind = "webhook"` gets exactly one POST — a
//! well-formed JSON event with no signature header at all, which is what a forger can send — and
//! its answer is judged (DESIGN §8.3):
//!
//! | answer | verdict |
//! |---|---|
//! | 2xx | `webhook.accepts_unsigned`: the event was taken without proof of origin |
//! | 404, 405, 410, or a redirect | `webhook.missing`: providers do not follow redirects, so events are lost |
//! | 5xx | `webhook.crashes`: the handler fails instead of rejecting |
//! | 400, 401, 403 and other 4xx | healthy: the unsigned event was rejected |
//! | no answer | `check.error`: nothing can be said, and the report says so |
//!
//! The endpoint's configured `headers` and `body` are not sent (they may hold a valid signature
//! or token); its URL is used as written, query included. No redirect is followed and nothing is
//! retried once a connection is open: one request.

use crate::catalogue::flows as spec;
use crate::config::EndpointConfig;
use crate::finding::Finding;
use crate::model::{WebhookRun, WebhookVerdict};
use crate::net::Net;
use crate::redact::Scrubber;
use std::time::Instant;

impl WebhookVerdict {
    /// The verdict for a status code.
    pub fn of(status: u16) -> WebhookVerdict {
        match status {
            200..=299 => WebhookVerdict::AcceptsUnsigned,
            300..=399 | 404 | 405 | 410 => WebhookVerdict::Missing,
            500..=599 => WebhookVerdict::Crashes,
            _ => WebhookVerdict::RejectsUnsigned,
        }
    }
}

/// The event sent: shaped like a provider's (id, type, created, data.object), marked as a test.
pub(crate) fn event(run: &str) -> String {
    let created = time::OffsetDateTime::now_utc().unix_timestamp();
    serde_json::json!({
        "id": format!("evt_launchready_{run}"),
        "object": "event",
        "type": "launchready.unsigned_probe",
        "created": created,
        "livemode": false,
        "data": { "object": { "id": format!("launchready_{run}"), "object": "test" } },
    })
    .to_string()
}

/// Sends the one unsigned POST and judges it.
pub(crate) async fn probe(
    net: &Net,
    ep: &EndpointConfig,
    run: &str,
    secrets: &Scrubber,
) -> (WebhookRun, Option<Finding>) {
    let t0 = Instant::now();
    let body = event(run);
    let url = ep.url.expose();
    let sent = super::exchange::send_once(net, url, || {
        net.http
            .post(url.clone())
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body.clone())
    })
    .await;
    let name = ep.name.as_str();
    let line = format!("POST {} (JSON event, no signature header)", ep.display_url);
    let (status, body, location) = match sent {
        Ok(resp) => {
            let status = resp.status().as_u16();
            let location = resp
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            let body = crate::http_util::read_capped(resp, 64 * 1024)
                .await
                .unwrap_or_default();
            (Some(status), body, location)
        }
        Err(e) => {
            let ms = t0.elapsed().as_millis() as u64;
            let cause = secrets.text(&crate::net::request_error(&e)).into_owned();
            let f = crate::catalogue::CHECK_ERROR.finding(
                name,
                format!("webhook `{name}` could not be probed"),
                format!("{line}: no HTTP answer after {ms} ms: {cause}"),
            );
            let run = WebhookRun {
                name: name.to_string(),
                url: ep.display_url.clone(),
                status: None,
                ms,
                verdict: WebhookVerdict::NoAnswer,
            };
            return (run, Some(f));
        }
    };
    let ms = t0.elapsed().as_millis() as u64;
    let status_n = status.unwrap_or(0);
    let verdict = WebhookVerdict::of(status_n);
    let answered = format!(
        "{line} -> {status_n} in {ms} ms; body: {}",
        match super::scrub::body(secrets, &body) {
            b if b.is_empty() => "(empty)".to_string(),
            b => b,
        }
    );
    let finding = match verdict {
        WebhookVerdict::AcceptsUnsigned => Some(spec::ACCEPTS_UNSIGNED.finding(
            name,
            format!("webhook `{name}` accepted an unsigned event ({status_n})"),
            answered,
        )),
        WebhookVerdict::Missing if (300..400).contains(&status_n) => Some(spec::MISSING.finding(
            name,
            format!("webhook `{name}` redirects ({status_n}): providers do not follow it"),
            format!(
                "{answered}; Location: {}",
                secrets.text(location.as_deref().unwrap_or("(none)"))
            ),
        )),
        WebhookVerdict::Missing => Some(spec::MISSING.finding(
            name,
            format!("webhook `{name}` answers {status_n} to a POST: events are lost"),
            answered,
        )),
        WebhookVerdict::Crashes => Some(spec::CRASHES.finding(
            name,
            format!("webhook `{name}` crashes ({status_n}) on an unsigned event"),
            answered,
        )),
        WebhookVerdict::RejectsUnsigned | WebhookVerdict::NoAnswer => None,
    };
    (
        WebhookRun {
            name: name.to_string(),
            url: ep.display_url.clone(),
            status,
            ms,
            verdict,
        },
        finding,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_map_to_the_design_table() {
        for (s, v) in [
            (200, WebhookVerdict::AcceptsUnsigned),
            (202, WebhookVerdict::AcceptsUnsigned),
            (204, WebhookVerdict::AcceptsUnsigned),
            (404, WebhookVerdict::Missing),
            (405, WebhookVerdict::Missing),
            (301, WebhookVerdict::Missing),
            (500, WebhookVerdict::Crashes),
            (503, WebhookVerdict::Crashes),
            (400, WebhookVerdict::RejectsUnsigned),
            (401, WebhookVerdict::RejectsUnsigned),
            (403, WebhookVerdict::RejectsUnsigned),
            (422, WebhookVerdict::RejectsUnsigned),
        ] {
            assert_eq!(WebhookVerdict::of(s), v, "{s}");
        }
    }

    #[test]
    fn event_is_well_formed_json_without_signature_material() {
        let e: serde_json::Value = serde_json::from_str(&event("abc")).unwrap();
        assert_eq!(e["id"], "evt_launchready_abc");
        assert!(e["created"].as_i64().unwrap() > 1_700_000_000);
        assert_eq!(e["data"]["object"]["object"], "test");
    }
}
