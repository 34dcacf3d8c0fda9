//! `measurements.flows`: what the flows check walked — each flow's steps and each webhook's
//! answer to one unsigned event. Variable values are never recorded, only their names. Fields
//! are declared in the order the JSON lists them (alphabetical).

use serde::{Deserialize, Serialize};

/// Everything the flows check measured.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FlowsMeasurement {
    /// One entry per `[[flows]]`, in config order.
    pub flows: Vec<FlowRun>,
    /// One entry per webhook endpoint, in config order.
    pub webhooks: Vec<WebhookRun>,
}

/// One flow's run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FlowRun {
    /// Wall time of the steps that ran.
    pub ms: u64,
    /// Flow name.
    pub name: String,
    /// Whether every step passed (slow steps pass).
    pub passed: bool,
    /// Every step, including those not run after a failure.
    pub steps: Vec<StepRun>,
}

/// How a step ended.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepResult {
    /// Every expectation held, within `max_ms`.
    Passed,
    /// Every expectation held, after `max_ms`.
    Slow,
    /// An expectation failed; the flow stopped here.
    Failed,
    /// Not run: an earlier step failed.
    #[default]
    NotRun,
}

/// One step's run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StepRun {
    /// Names of the variables this step captured.
    pub captured: Vec<String>,
    /// HTTP method.
    pub method: String,
    /// Time for the whole step (redirects and body included).
    pub ms: Option<u64>,
    /// Step name.
    pub name: String,
    /// Redirects followed, in order.
    pub redirects: Vec<StepRedirect>,
    /// How it ended.
    pub result: StepResult,
    /// Final status (after redirects), when there was an answer.
    pub status: Option<u16>,
}

/// One redirect a step followed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StepRedirect {
    /// The redirect status.
    pub status: u16,
    /// Where it pointed (no credentials, query replaced by `…`).
    pub to: String,
}

/// How a webhook answered the unsigned event.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WebhookVerdict {
    /// 400/401/403 or another 4xx: rejected, as it should be.
    RejectsUnsigned,
    /// 2xx.
    AcceptsUnsigned,
    /// 404/405/410 or a redirect.
    Missing,
    /// 5xx.
    Crashes,
    /// No HTTP answer.
    #[default]
    NoAnswer,
}

/// One webhook's probe.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct WebhookRun {
    /// Time to the answer.
    pub ms: u64,
    /// Endpoint name.
    pub name: String,
    /// Status of the one answer.
    pub status: Option<u16>,
    /// URL without query or credentials.
    pub url: String,
    /// How it was judged.
    pub verdict: WebhookVerdict,
}
