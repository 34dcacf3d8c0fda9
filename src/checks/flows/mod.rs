//! `flows`: the paths a customer walks, end to end, and the webhooks that must refuse forged
//! events (DESIGN §8.3).
//!
//! Each `[[flows]]` entry runs its steps in order with its own cookie jar; a step whose status,
//! headers, body or captures disappoint is `flow.step_failed` and stops its flow, a step over its
//! `max_ms` is `flow.step_slow` and the flow goes on. Flows run concurrently with each other.
//! Webhook endpoints get one unsigned POST each ([`webhook`]). Captured values, `{{random}}`
//! values and `${ENV}` values never reach a finding or a measurement: evidence is scrubbed at the
//! source (`scrub.rs`) and measurements carry variable names only.
//!
//! Touches nothing but the configured flow URLs and webhook endpoints.

mod cookies;
mod exchange;
mod scrub;
mod step;
pub mod webhook;

use super::{Check, CheckError, Cx, Sink};
use crate::catalogue::flows as spec;
use crate::config::EndpointKind;
use crate::config::flows::FlowConfig;
use crate::finding::{CheckName, Finding};
use crate::model::{FlowRun, FlowsMeasurement, Measurement, StepRedirect, StepResult, StepRun};
use crate::redact::Scrubber;
use futures::future::{BoxFuture, join_all};
use std::sync::Arc;

/// The flows check.
pub struct Flows;

impl Check for Flows {
    fn name(&self) -> CheckName {
        CheckName::Flows
    }

    fn run(&self, cx: Arc<Cx>, sink: Sink) -> BoxFuture<'static, Result<(), CheckError>> {
        Box::pin(async move {
            let run = run_id();
            let base = Scrubber::new(&cx.cfg.secret_values);
            let flows = join_all(cx.cfg.flows.iter().map(|f| {
                let (cx, sink, run, base) = (&cx, &sink, &run, &base);
                async move {
                    let (m, findings) = walk(cx, f, run, base.clone()).await;
                    for x in findings {
                        sink.push(x);
                    }
                    m
                }
            }));
            let hooks = join_all(
                cx.cfg
                    .endpoints
                    .iter()
                    .filter(|e| e.kind == EndpointKind::Webhook)
                    .map(|ep| {
                        let (cx, sink, run, base) = (&cx, &sink, &run, &base);
                        async move {
                            let (m, finding) = webhook::probe(&cx.net, ep, run, base).await;
                            if let Some(x) = finding {
                                sink.push(x);
                            }
                            m
                        }
                    }),
            );
            let (flows, webhooks) = tokio::join!(flows, hooks);
            if !flows.is_empty() || !webhooks.is_empty() {
                let m = FlowsMeasurement { flows, webhooks };
                sink.measure(Measurement::Flows(m));
            }
            Ok(())
        })
    }
}

/// `{{run}}`: unique per audit, safe in an e-mail local part (`lr` + time + random).
fn run_id() -> String {
    let t = time::OffsetDateTime::now_utc().unix_timestamp();
    format!("lr{t:x}{}", step::random_text(6))
}

/// A URL as shown in reports: no credentials, no query (queries carry tokens), scrubbed.
fn show_url(u: &str, secrets: &Scrubber) -> String {
    let shown = match url::Url::parse(u) {
        Ok(mut u) => {
            let _ = u.set_password(None);
            let _ = u.set_username("");
            if u.query().is_some() {
                u.set_query(Some("…"));
            }
            u.to_string()
        }
        Err(_) => u.to_string(),
    };
    secrets.text(&shown).into_owned()
}

fn ms(d: std::time::Duration) -> u64 {
    d.as_millis() as u64
}

/// Runs one flow; returns its measurement and findings.
async fn walk(cx: &Cx, flow: &FlowConfig, run: &str, secrets: Scrubber) -> (FlowRun, Vec<Finding>) {
    let mut jar = cookies::Jar::default();
    let mut vars = step::Vars {
        run: run.to_string(),
        captured: Default::default(),
        secrets,
    };
    let mut findings = Vec::new();
    let mut steps = Vec::new();
    let mut done: Vec<String> = Vec::new();
    let mut failed = false;
    let total = flow.steps.len();
    let t0 = std::time::Instant::now();
    for (i, st) in flow.steps.iter().enumerate() {
        if failed {
            steps.push(StepRun {
                name: st.name.clone(),
                method: st.method.clone(),
                status: None,
                ms: None,
                result: StepResult::NotRun,
                captured: Vec::new(),
                redirects: Vec::new(),
            });
            continue;
        }
        let o = step::run(&cx.net, &mut jar, &mut vars, st).await;
        let s = &vars.secrets;
        let subject = format!("{} / {}", flow.name, st.name);
        let status = o.exchange.result.as_ref().ok().map(|a| a.status);
        let took = ms(o.exchange.elapsed);
        let line = format!("{} {}", o.method, show_url(&o.url, s));
        let hops: Vec<StepRedirect> = o
            .exchange
            .hops
            .iter()
            .map(|h| StepRedirect {
                status: h.status,
                to: show_url(h.to.as_str(), s),
            })
            .collect();
        let via = if hops.is_empty() {
            String::new()
        } else {
            format!(
                " via {}",
                hops.iter()
                    .map(|h| format!("{} -> {}", h.status, h.to))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        let answered = match &o.exchange.result {
            Ok(a) => format!("{line}{via} -> {} in {took} ms", a.status),
            Err(_) => format!("{line}{via} -> no answer after {took} ms"),
        };
        let position = format!("step `{}` ({} of {total})", st.name, i + 1);
        let before = if done.is_empty() {
            String::new()
        } else {
            format!("; earlier steps passed: {}", done.join(", "))
        };
        if o.slow {
            let budget = st.expect.max_ms.unwrap_or_default();
            findings.push(spec::STEP_SLOW.finding(
                subject.clone(),
                format!(
                    "flow `{}`: step `{}` took {took} ms (budget {budget} ms)",
                    flow.name, st.name
                ),
                format!("{position}: {answered}; budget max_ms = {budget}"),
            ));
        }
        let result = if !o.failures.is_empty() {
            failed = true;
            let body = match &o.exchange.result {
                Ok(a) => match scrub::body(s, &a.body) {
                    b if b.is_empty() => "; body: (empty)".to_string(),
                    b => format!("; body: {b}"),
                },
                Err(_) => String::new(),
            };
            let why = s.text(&o.failures.join("; ")).into_owned();
            findings.push(spec::STEP_FAILED.finding(
                subject,
                format!(
                    "flow `{}` stops at step `{}`: {}",
                    flow.name,
                    st.name,
                    crate::text::clip(&why, 100)
                ),
                format!("{position}: {answered}; {why}{body}{before}"),
            ));
            StepResult::Failed
        } else if o.slow {
            StepResult::Slow
        } else {
            StepResult::Passed
        };
        if result != StepResult::Failed {
            done.push(format!(
                "{} ({}, {took} ms)",
                st.name,
                status.map(|s| s.to_string()).unwrap_or_default()
            ));
        }
        steps.push(StepRun {
            name: st.name.clone(),
            method: o.method.clone(),
            status,
            ms: Some(took),
            result,
            captured: o.captured,
            redirects: hops,
        });
    }
    let m = FlowRun {
        name: flow.name.clone(),
        passed: !failed,
        ms: ms(t0.elapsed()),
        steps,
    };
    (m, findings)
}
