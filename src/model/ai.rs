//! `measurements.ai`: what the ai check spent and saw, probe by probe (no reply text: only
//! status, time and verdict). Fields are declared in the order the JSON lists them
//! (alphabetical).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The ai check's measurement: why the chat endpoint was not probed, or what probing it cost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum AiMeasurement {
    /// Not probed (listed first: a probed run has no `skipped` key).
    Skipped {
        /// Why (no `[ai]` table in the config...).
        skipped: String,
    },
    /// The probes sent.
    Probed(AiRun),
}

/// One run of the chat probes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AiRun {
    /// Whether a canary was configured.
    pub canary: bool,
    /// Requests in flight at once.
    pub concurrency: u32,
    /// Wall time of the check.
    pub duration_ms: u64,
    /// The `[[endpoints]]` entry probed.
    pub endpoint: String,
    /// The budget of chat requests.
    pub max_requests: u32,
    /// Probes not sent because the audit deadline came first.
    pub not_sent: u32,
    /// Probes planned but left out for the budget (`family/name`).
    pub over_budget: Vec<String>,
    /// Phrasings per probe family.
    pub phrasings: BTreeMap<String, usize>,
    /// Every probe.
    pub probes: Vec<AiProbe>,
    /// 429 answers seen (each was backed off).
    pub rate_limited: u32,
    /// The reply format.
    pub reply: String,
    /// Chat requests sent (429 retries included).
    pub requests_spent: u32,
}

/// One probe of the ai check.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AiProbe {
    /// Probe family (`control`, `extraction`, `cross_session`, `eval`...).
    pub family: String,
    /// Milliseconds to the end of the body.
    pub ms: Option<u64>,
    /// Phrasing (or eval) name.
    pub name: String,
    /// HTTP status, `timeout`, `error`, `cut`, `not sent`.
    pub outcome: String,
    /// Finding ids this probe proved.
    pub proved: Vec<String>,
    /// 429 answers this probe met (each backed off).
    pub rate_limited: u32,
    /// Why the reply could not be read in the configured format, if it could not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unreadable: Option<String>,
}
