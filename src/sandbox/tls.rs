//! The sandbox's certificate cases: DNS records, web routes, certificates and config snippets that the
//! `tls` check's cases need. `mod.rs` and `web.rs` call these hooks; nothing else changes
//! when a case is added here.

use super::Ports;
use super::web::Pki;
use super::web::{Canned, Req};
use rustls::sign::CertifiedKey;
use std::sync::Arc;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

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

/// Certificates served by SNI name (host, certificate); other names get the default leaf.
pub fn certs(_pki: &Pki) -> Result<Vec<(String, Arc<CertifiedKey>)>, BoxError> {
    Ok(Vec::new())
}

/// Web routes for TLS cases.
pub fn route(_req: &Req) -> Option<Canned> {
    None
}
