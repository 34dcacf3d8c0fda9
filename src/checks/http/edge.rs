//! `edge.no_cdn`: is a CDN / DDoS-protecting edge in front of the canonical host?
//!
//! Recognised from the response headers of the configured pages and from the canonical host's
//! CNAME chain, with the table [`EDGES`] (data, one entry per provider). The provider found is
//! named in the report's `measurements.http.edge`.

use super::Cx;
use super::headers::PageResult;
use crate::catalogue::http as spec;
use crate::checks::Sink;

/// How to recognise one edge provider.
#[derive(Debug)]
pub struct Edge {
    /// Provider name.
    pub name: &'static str,
    /// Response headers whose mere presence identifies it.
    pub headers: &'static [&'static str],
    /// (header, lowercase substring of its value) pairs that identify it.
    pub values: &'static [(&'static str, &'static str)],
    /// CNAME target suffixes.
    pub cnames: &'static [&'static str],
}

/// Edge providers, by response header and CNAME target.
pub const EDGES: &[Edge] = &[
    Edge {
        name: "Cloudflare",
        headers: &["cf-ray", "cf-cache-status"],
        values: &[("server", "cloudflare")],
        cnames: &["cdn.cloudflare.net"],
    },
    Edge {
        name: "Amazon CloudFront",
        headers: &["x-amz-cf-id", "x-amz-cf-pop"],
        values: &[("via", "cloudfront"), ("x-cache", "cloudfront")],
        cnames: &["cloudfront.net"],
    },
    Edge {
        name: "Fastly",
        headers: &["x-fastly-request-id", "fastly-debug-digest"],
        values: &[("x-served-by", "cache-"), ("via", "varnish")],
        cnames: &["fastly.net", "fastlylb.net"],
    },
    Edge {
        name: "Akamai",
        headers: &["x-akamai-transformed", "akamai-grn", "x-akamai-request-id"],
        values: &[("server", "akamaighost"), ("server", "akamainetstorage")],
        cnames: &[
            "akamaiedge.net",
            "edgekey.net",
            "edgesuite.net",
            "akamai.net",
        ],
    },
    Edge {
        name: "Vercel",
        headers: &["x-vercel-id", "x-vercel-cache"],
        values: &[("server", "vercel")],
        cnames: &["vercel-dns.com", "vercel.app"],
    },
    Edge {
        name: "Netlify",
        headers: &["x-nf-request-id"],
        values: &[("server", "netlify")],
        cnames: &["netlify.app", "netlify.com", "netlifyglobalcdn.com"],
    },
    Edge {
        name: "Azure Front Door",
        headers: &["x-azure-ref", "x-fd-healthprobe"],
        values: &[],
        cnames: &["azurefd.net", "azureedge.net", "trafficmanager.net"],
    },
    Edge {
        name: "Google Cloud CDN / Front End",
        headers: &[],
        values: &[
            ("via", "1.1 google"),
            ("server", "google frontend"),
            ("server", "gws"),
        ],
        cnames: &["ghs.googlehosted.com"],
    },
    Edge {
        name: "Bunny CDN",
        headers: &["cdn-pullzone", "cdn-requestid"],
        values: &[("server", "bunnycdn")],
        cnames: &["b-cdn.net"],
    },
    Edge {
        name: "Sucuri",
        headers: &["x-sucuri-id"],
        values: &[("server", "sucuri")],
        cnames: &["sucuri.net"],
    },
    Edge {
        name: "Imperva",
        headers: &["x-iinfo"],
        values: &[("x-cdn", "imperva"), ("x-cdn", "incapsula")],
        cnames: &["incapdns.net", "impervadns.net"],
    },
];

/// The provider a set of response headers points at, with the header that told.
pub fn from_headers(h: &reqwest::header::HeaderMap) -> Option<(&'static str, String)> {
    for e in EDGES {
        for name in e.headers {
            if h.contains_key(*name) {
                return Some((e.name, format!("header {name}")));
            }
        }
        for (name, needle) in e.values {
            for v in h.get_all(*name).iter().filter_map(|v| v.to_str().ok()) {
                if v.to_ascii_lowercase().contains(needle) {
                    return Some((e.name, format!("{name}: {v}")));
                }
            }
        }
    }
    None
}

/// The provider a CNAME target points at.
pub fn from_cname(target: &str) -> Option<&'static str> {
    let t = target.trim_end_matches('.').to_ascii_lowercase();
    EDGES
        .iter()
        .find(|e| {
            e.cnames
                .iter()
                .any(|s| t == *s || t.ends_with(&format!(".{s}")))
        })
        .map(|e| e.name)
}

/// Detects the edge and reports `edge.no_cdn` when none is found. Returns the details.
pub async fn check(
    cx: &Cx,
    canonical: &str,
    pages: &[PageResult],
    sink: &Sink,
) -> serde_json::Value {
    for p in pages {
        if let Some((name, how)) = from_headers(&p.resp.headers) {
            return serde_json::json!({"provider": name, "seen": format!("{how} on {}", p.url)});
        }
    }
    // CNAME chain of the canonical host.
    let resolution = cx.net.resolve_host(canonical).await;
    let mut chain = Vec::new();
    for (owner, t) in &resolution.chain {
        if let Some(name) = from_cname(t) {
            return serde_json::json!({"provider": name, "seen": format!("CNAME {owner} -> {t}")});
        }
        chain.push(t.clone());
    }
    if !pages.is_empty() {
        let seen: Vec<String> = pages
            .iter()
            .map(|p| {
                let server = p.resp.header("server").unwrap_or("(none)");
                let via = p.resp.header("via").unwrap_or("(none)");
                format!("{}: Server: {server}; Via: {via}", p.url)
            })
            .collect();
        sink.push(spec::EDGE_NO_CDN.finding(
            canonical.to_string(),
            format!("no CDN or DDoS-protecting edge recognised in front of {canonical}"),
            format!(
                "{}; CNAME chain: {}; looked for: {}",
                seen.join("; "),
                if chain.is_empty() {
                    "(none)".to_string()
                } else {
                    chain.join(" -> ")
                },
                EDGES.iter().map(|e| e.name).collect::<Vec<_>>().join(", ")
            ),
        ));
    }
    serde_json::json!({"provider": null})
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderMap, HeaderValue};

    #[test]
    fn headers_name_the_provider() {
        let mut h = HeaderMap::new();
        h.insert("cf-ray", HeaderValue::from_static("8a1b2c3d4e5f-AMS"));
        assert_eq!(from_headers(&h).unwrap().0, "Cloudflare");
        let mut h = HeaderMap::new();
        h.insert(
            "x-served-by",
            HeaderValue::from_static("cache-ams21028-AMS"),
        );
        assert_eq!(from_headers(&h).unwrap().0, "Fastly");
        let mut h = HeaderMap::new();
        h.insert("server", HeaderValue::from_static("AkamaiGHost"));
        assert_eq!(from_headers(&h).unwrap().0, "Akamai");
        let mut h = HeaderMap::new();
        h.insert("server", HeaderValue::from_static("nginx/1.18.0"));
        assert!(from_headers(&h).is_none());
    }

    #[test]
    fn cnames_name_the_provider() {
        assert_eq!(
            from_cname("d111111abcdef8.cloudfront.net."),
            Some("Amazon CloudFront")
        );
        assert_eq!(from_cname("cname.vercel-dns.com"), Some("Vercel"));
        assert_eq!(from_cname("acme.b-cdn.net"), Some("Bunny CDN"));
        assert_eq!(from_cname("acme.example"), None);
    }
}
