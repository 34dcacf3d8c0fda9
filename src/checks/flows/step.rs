//! One step of a flow: render its templates with the flow's variables, send it through
//! [`exchange`](super::exchange), check its expectations and take its captures.

use super::cookies::Jar;
use super::exchange::{self, Answer, Exchange, Outgoing};
use crate::config::flows::{CaptureSource, StepBody, StepConfig, VAR_RANDOM, VAR_RUN};
use crate::net::Net;
use crate::redact::Scrubber;
use std::collections::BTreeMap;

/// The variables of one flow run.
pub(crate) struct Vars {
    /// Unique per audit.
    pub(crate) run: String,
    /// Captured so far.
    pub(crate) captured: BTreeMap<String, String>,
    /// Everything that must not be shown.
    pub(crate) secrets: Scrubber,
}

impl Vars {
    fn value(&mut self, name: &str) -> String {
        match name {
            VAR_RUN => self.run.clone(),
            VAR_RANDOM => {
                let r = random_text(20);
                self.secrets.add(&r);
                r
            }
            // Validation guarantees every other name was captured by an earlier step.
            other => self.captured.get(other).cloned().unwrap_or_default(),
        }
    }
}

/// Lowercase letters and digits from the OS random source (via ring).
pub(crate) fn random_text(n: usize) -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut buf = vec![0u8; n];
    // ring's system random cannot fail on supported platforms; fall back to the clock if it does.
    if rustls::crypto::ring::default_provider()
        .secure_random
        .fill(&mut buf)
        .is_err()
    {
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        for (i, b) in buf.iter_mut().enumerate() {
            *b = (t >> ((i % 16) * 8)) as u8;
        }
    }
    buf.iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect()
}

/// How a step ended.
pub(crate) struct StepOutcome {
    /// Method and rendered URL.
    pub(crate) method: String,
    pub(crate) url: String,
    pub(crate) exchange: Exchange,
    /// Expectations that did not hold (empty = passed).
    pub(crate) failures: Vec<String>,
    /// Names of the variables captured.
    pub(crate) captured: Vec<String>,
    /// Whether `max_ms` was exceeded.
    pub(crate) slow: bool,
}

/// Runs one step.
pub(crate) async fn run(
    net: &Net,
    jar: &mut Jar,
    vars: &mut Vars,
    step: &StepConfig,
) -> StepOutcome {
    let mut var = |n: &str| vars.value(n);
    let url_text = step.url.render(&mut var);
    let mut headers: Vec<(String, String)> = step
        .headers
        .iter()
        .map(|(k, t)| (k.clone(), t.render(&mut var)))
        .collect();
    let has =
        |h: &[(String, String)], name: &str| h.iter().any(|(k, _)| k.eq_ignore_ascii_case(name));
    let body = match &step.body {
        StepBody::None => None,
        StepBody::Json(j) => {
            if !has(&headers, "content-type") {
                headers.push(("content-type".into(), "application/json".into()));
            }
            Some(j.render(&mut var).to_string().into_bytes())
        }
        StepBody::Raw(t) => Some(t.render(&mut var).into_bytes()),
        StepBody::Form(fields) => {
            if !has(&headers, "content-type") {
                headers.push((
                    "content-type".into(),
                    "application/x-www-form-urlencoded".into(),
                ));
            }
            let mut ser = url::form_urlencoded::Serializer::new(String::new());
            for (k, t) in fields {
                let v = t.render(&mut var);
                ser.append_pair(k, &v);
            }
            Some(ser.finish().into_bytes())
        }
    };
    let expected_texts: Vec<String> = step
        .expect
        .body_contains
        .iter()
        .map(|t| t.render(&mut var))
        .collect();
    let expected_json: Vec<(String, serde_json::Value)> = step
        .expect
        .json
        .iter()
        .map(|(p, t)| (p.clone(), t.render(&mut var)))
        .collect();
    let method =
        reqwest::Method::from_bytes(step.method.as_bytes()).unwrap_or(reqwest::Method::GET);
    let exchange = match url::Url::parse(&url_text) {
        Ok(url) if matches!(url.scheme(), "http" | "https") => {
            exchange::send(
                net,
                jar,
                Outgoing {
                    method: method.clone(),
                    url,
                    headers,
                    body,
                },
            )
            .await
        }
        _ => Exchange {
            hops: Vec::new(),
            result: Err(
                "the URL is not a valid http(s) URL once its variables are filled in".into(),
            ),
            elapsed: std::time::Duration::ZERO,
        },
    };
    let mut failures = Vec::new();
    let mut captured = Vec::new();
    match &exchange.result {
        Err(e) => failures.push(format!("no answer: {e}")),
        Ok(a) => {
            judge(
                step,
                a,
                &expected_texts,
                &expected_json,
                &vars.secrets,
                &mut failures,
            );
            if failures.is_empty() {
                for c in &step.captures {
                    match take(&c.source, a, jar) {
                        Some(v) => {
                            vars.secrets.add(&v);
                            vars.captured.insert(c.var.clone(), v);
                            captured.push(c.var.clone());
                        }
                        None => failures.push(format!(
                            "capture `{}` ({}) found no value",
                            c.var,
                            vars.secrets.text(&c.source.describe())
                        )),
                    }
                }
            }
        }
    }
    let slow = exchange.result.is_ok()
        && step
            .expect
            .max_ms
            .is_some_and(|m| exchange.elapsed.as_millis() > u128::from(m));
    StepOutcome {
        method: step.method.clone(),
        url: url_text,
        exchange,
        failures,
        captured,
        slow,
    }
}

fn judge(
    step: &StepConfig,
    a: &Answer,
    texts: &[String],
    json: &[(String, serde_json::Value)],
    secrets: &Scrubber,
    failures: &mut Vec<String>,
) {
    let e = &step.expect;
    let status_ok = if e.status.is_empty() {
        (200..300).contains(&a.status)
    } else {
        e.status.contains(&a.status)
    };
    if !status_ok {
        let want = if e.status.is_empty() {
            "any 2xx".to_string()
        } else {
            e.status
                .iter()
                .map(u16::to_string)
                .collect::<Vec<_>>()
                .join(" or ")
        };
        failures.push(format!("expected status {want}, got {}", a.status));
        // The rest would only repeat that the answer is an error page.
        return;
    }
    for h in &e.headers {
        if !a.headers.contains_key(h.as_str()) {
            failures.push(format!("expected header `{h}` is missing"));
        }
    }
    let body = String::from_utf8_lossy(&a.body);
    for t in texts {
        if !body.contains(t.as_str()) {
            failures.push(format!(
                "body does not contain `{}`",
                secrets.text(&crate::text::clip(t, 80))
            ));
        }
    }
    if !json.is_empty() {
        match serde_json::from_slice::<serde_json::Value>(&a.body) {
            Err(_) => failures.push("body is not JSON, so `expect.json` cannot hold".to_string()),
            Ok(doc) => {
                for (ptr, want) in json {
                    match doc.pointer(ptr) {
                        Some(got) if got == want => {}
                        Some(got) => failures.push(format!(
                            "`{ptr}` is {}, expected {}",
                            secrets.text(&crate::text::clip(&got.to_string(), 80)),
                            secrets.text(&crate::text::clip(&want.to_string(), 80))
                        )),
                        None => failures.push(format!("`{ptr}` is absent from the JSON body")),
                    }
                }
            }
        }
    }
}

/// A capture's value, if the response has one (empty values count as none).
fn take(src: &CaptureSource, a: &Answer, jar: &Jar) -> Option<String> {
    let v = match src {
        CaptureSource::Json(ptr) => {
            let doc: serde_json::Value = serde_json::from_slice(&a.body).ok()?;
            match doc.pointer(ptr)? {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Null => return None,
                other => other.to_string(),
            }
        }
        CaptureSource::Header(h) => a.headers.get(h.as_str())?.to_str().ok()?.to_string(),
        CaptureSource::Cookie(c) => jar.get(c)?.to_string(),
        CaptureSource::Regex(re) => {
            let body = String::from_utf8_lossy(&a.body);
            re.captures(&body)?.get(1)?.as_str().to_string()
        }
    };
    (!v.is_empty()).then_some(v)
}
