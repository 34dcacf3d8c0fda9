//! The sandbox's web sites: DNS records, web routes, certificates and config snippets that the
//! `http` check's cases need. `mod.rs` and `web.rs` call these hooks; nothing else changes
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

const GOOD_PAGE: &str = "<!doctype html><html><head><title>Acme Chat</title></head>\
<body><h1>Acme Chat</h1><p>Talk to your docs.</p></body></html>";

/// The healthy and broken sites.
pub fn route(req: &Req) -> Option<Canned> {
    let host = req.host.as_str();
    let path = req.path.as_str();
    Some(match (host, req.tls) {
        // A GitHub Pages CNAME whose site was deleted: the takeover case of dns.dangling_cname.
        ("status.acme-broken.test", _) => Canned::new(
            404,
            "<html><body><h1>404</h1><p>There isn't a GitHub Pages site here.</p></body></html>",
        )
        .header("content-type", "text/html; charset=utf-8"),
        // Healthy: plain HTTP always redirects permanently to HTTPS on the canonical host.
        (h, false) if h.ends_with("acme-good.test") || h.ends_with("pages.dev") => {
            let target = if h == "www.acme-good.test" {
                "acme-good.test"
            } else {
                h
            };
            Canned::new(301, "").header("location", req.https_url(target, path))
        }
        ("www.acme-good.test", true) => {
            Canned::new(301, "").header("location", req.https_url("acme-good.test", path))
        }
        (h, true) if h.ends_with("acme-good.test") || h.ends_with("pages.dev") => {
            Canned::new(200, GOOD_PAGE)
                .header("content-type", "text/html; charset=utf-8")
                .header(
                    "strict-transport-security",
                    "max-age=63072000; includeSubDomains",
                )
                .header(
                    "content-security-policy",
                    "default-src 'self'; frame-ancestors 'none'",
                )
                .header("x-content-type-options", "nosniff")
                .header("x-frame-options", "DENY")
        }
        // Broken: serves content over plain HTTP with no redirect and no security headers.
        (h, _) if h.ends_with("acme-broken.test") => Canned::new(200, GOOD_PAGE)
            .header("content-type", "text/html")
            .header("server", "nginx/1.18.0"),
        _ => return None,
    })
}
