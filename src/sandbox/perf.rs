//! The sandbox's latency endpoints: DNS records, web routes, certificates and config snippets that the
//! `perf` check's cases need. `mod.rs` and `web.rs` call these hooks; nothing else changes
//! when a case is added here.

use super::Ports;
use super::web::{Canned, Req};

/// Extra records for the healthy zone (`name TYPE value` lines, see `dns.rs`).
pub const HEALTHY_RECORDS: &str = "";
/// Extra records for the broken zone.
pub const BROKEN_RECORDS: &str = "";

/// Extra zones (origin, records).
pub fn zones() -> Vec<(&'static str, String)> {
    Vec::new()
}

/// TOML appended to the healthy site's config (whole tables only).
pub fn healthy_toml(_ports: &Ports) -> String {
    String::new()
}

/// TOML appended to the broken site's config (whole tables only).
pub fn broken_toml(_ports: &Ports) -> String {
    String::new()
}

/// Web routes for latency cases (async: they may delay).
pub async fn route(_req: &Req) -> Option<Canned> {
    None
}
