//! What the checks measured, beside their findings (JSON `measurements`).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Measurements: per-endpoint latency (DESIGN §5) plus what other checks measured.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Measurements {
    /// Latency per endpoint.
    pub endpoints: Vec<serde_json::Value>,
    /// Other measurements by check (e.g. `dns`: the host map).
    #[serde(flatten)]
    pub other: BTreeMap<String, serde_json::Value>,
}
