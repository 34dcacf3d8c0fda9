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

impl Measurements {
    /// What the secret scan left out at the repository's boundary, as sentences: other
    /// repositories inside it (submodules, nested clones; `secrets.submodules`) and configured
    /// paths that lead outside it (`secrets.not_followed`).
    pub fn secrets_boundaries(&self) -> Vec<String> {
        let list = |key: &str| -> Vec<String> {
            self.other
                .get("secrets")
                .and_then(|v| v.get(key))
                .and_then(|v| v.as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|s| s.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        };
        let mut out: Vec<String> = list("submodules")
            .into_iter()
            .map(|p| {
                format!(
                    "{p} is another repository (a submodule or nested clone): not scanned from \
                     here; audit it with `launchready audit --repo {p}`"
                )
            })
            .collect();
        out.extend(list("not_followed"));
        out
    }
}
