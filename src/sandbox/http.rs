//! The sandbox's web sites for the `http` check: DNS records, web routes and config snippets.
//! `mod.rs` and `web.rs` call these hooks; nothing else changes when a case is added here.
//!
//! The healthy site (acme-good.test) is clean: permanent same-host https redirects, www to the
//! apex, full security headers, HSTS, cookies with every flag, gzip when asked, cached static
//! files, a CDN header (`cf-ray`), a security.txt, and an SPA catch-all (every unknown path,
//! `/.env` included, answers 200 with the app shell — the exposure probes must not report it).
//!
//! The broken site (acme-broken.test, canonical www) has one case per finding, each on its own
//! name: `loop.` (redirect loop), `downgrade.` (https -> http), `long.` (4 redirects), `temp.`
//! (302 to https), `down.` (503), `offline.` (resolves to 127.0.0.2, where nothing listens:
//! unreachable); www itself serves plain HTTP, lacks headers, leaks versions,
//! reflects CORS origins, loads http:// resources, serves `/.env`, `/.git/config`, a bundle
//! and a public source map with fake secrets built at run time, the broken repo's deployed
//! `dist/app.js` as `/static/vendor.js` (its secret is in the repo scan too), has an auth callback that
//! leaves the host and no security.txt. [`canonical_case_toml`] writes a third target
//! (`canon.acme-broken.test`) where apex and www both serve 200, [`mixed_case_toml`] a fourth
//! (`mixed.acme-broken.test`): upgrade-insecure-requests and an implicit favicon sent to http.

use super::Ports;
use super::web::{Canned, Req};

/// Extra records for the healthy zone (`name TYPE value` lines, see `dns.rs`).
pub const HEALTHY_RECORDS: &str = "";
/// Extra records for the broken zone.
pub const BROKEN_RECORDS: &str = "
loop A 127.0.0.1
downgrade A 127.0.0.1
long A 127.0.0.1
temp A 127.0.0.1
down A 127.0.0.1
canon A 127.0.0.1
www.canon A 127.0.0.1
offline A 127.0.0.2
mixed A 127.0.0.1
www.mixed A 127.0.0.1
";

/// Extra zones (origin, records).
pub fn zones() -> Vec<(&'static str, String)> {
    Vec::new()
}

/// TOML appended to the healthy site's config (whole tables only).
pub fn healthy_toml(_ports: &Ports) -> String {
    String::new()
}

/// The broken repo's deployed build (`dist/app.js`, with a planted secret), per sandbox keyed by
/// its HTTPS port: the broken www serves it as `/static/vendor.js`, so the same secret is found
/// by the repo scan and in the public bundle. Routes are plain functions without per-sandbox
/// state, and several sandboxes run in one test process, hence the map.
static DEPLOYED: std::sync::Mutex<std::collections::BTreeMap<u16, String>> =
    std::sync::Mutex::new(std::collections::BTreeMap::new());

/// TOML appended to the broken site's config (whole tables only). Also records the broken
/// repo's deployed build for the web routes (the repo is written before this is called).
pub fn broken_toml(ports: &Ports) -> String {
    if let Ok(js) = std::fs::read_to_string(ports.dir.join("dist/app.js")) {
        let mut m = match DEPLOYED.lock() {
            Ok(m) => m,
            Err(p) => p.into_inner(),
        };
        m.insert(ports.https, js);
    }
    String::new()
}

fn deployed(https_port: u16) -> Option<String> {
    let m = match DEPLOYED.lock() {
        Ok(m) => m,
        Err(p) => p.into_inner(),
    };
    m.get(&https_port).cloned()
}

/// A whole config for the canonical-host case: `canon.acme-broken.test` is canonical (apex) but
/// `www.canon.acme-broken.test` serves 200 too, and both upgrade to https with a 302.
pub fn canonical_case_toml(http_port: u16, https_port: u16) -> String {
    format!(
        r#"[target]
name = "Acme (canonical case)"
domain = "canon.acme-broken.test"
canonical = "apex"
http_port = {http_port}
https_port = {https_port}
pages = ["/"]
"#
    )
}

/// A whole config for the mixed-content case: `mixed.acme-broken.test` serves `/uir`, whose
/// `Content-Security-Policy: upgrade-insecure-requests` makes browsers upgrade its http://
/// subresources (not mixed content), and `/plain`, whose subresources are all https but which
/// declares no icon, so browsers fetch `/favicon.ico` — which redirects to http (mixed
/// content). `gone.mixed.acme-broken.test` does not resolve.
pub fn mixed_case_toml(http_port: u16, https_port: u16) -> String {
    format!(
        r#"[target]
name = "Acme (mixed-content case)"
domain = "mixed.acme-broken.test"
subdomains = ["gone"]
http_port = {http_port}
https_port = {https_port}
pages = ["/uir", "/plain"]
"#
    )
}

fn mixed_page(head: &str, body: &str) -> String {
    format!(
        "<!doctype html><html><head><title>Acme Chat</title>{head}</head><body><h1>Acme Chat</h1>{body}{}</body></html>",
        filler(2)
    )
}

fn mixed_site(req: &Req) -> Canned {
    let path = req.path.split('?').next().unwrap_or("/");
    let c = match (path, req.tls) {
        ("/favicon.ico", true) => Canned::new(301, "").header(
            "location",
            req.http_url("mixed.acme-broken.test", "/favicon.ico"),
        ),
        ("/favicon.ico", false) => {
            Canned::new(200, vec![0u8, 0, 1, 0]).header("content-type", "image/x-icon")
        }
        (_, false) => Canned::new(301, "").header("location", req.https_url(&req.host, path)),
        ("/uir", true) => html(
            200,
            mixed_page(
                "<script src=\"http://cdn.example-cdn.test/widget.js\"></script>",
                "<img src=\"http://mixed.acme-broken.test/hero.png\" alt=\"hero\">\
<form action=\"http://mixed.acme-broken.test/subscribe\" method=\"post\"></form>",
            ),
        )
        .header("content-security-policy", "upgrade-insecure-requests"),
        (_, true) => html(
            200,
            mixed_page(
                "<script src=\"/static/app.js\"></script>",
                "<img src=\"https://mixed.acme-broken.test/hero.png\" alt=\"hero\">",
            ),
        ),
    };
    c.header("strict-transport-security", "max-age=63072000")
}

/// A fake credential for the sandbox, derived at run time so no literal secret sits in the repo:
/// `prefix` + `len` characters of `alphabet` picked by sha256(`seed`).
pub(crate) fn fake(prefix: &str, seed: &str, alphabet: &[u8], len: usize) -> String {
    use sha2::{Digest, Sha256};
    let mut out = String::from(prefix);
    let mut block = Sha256::digest(seed.as_bytes()).to_vec();
    while out.len() < prefix.len() + len {
        for b in &block {
            if out.len() >= prefix.len() + len {
                break;
            }
            out.push(alphabet[*b as usize % alphabet.len()] as char);
        }
        block = Sha256::digest(&block).to_vec();
    }
    out
}

/// The AWS-style access key id planted in the broken bundle (built at run time).
pub fn bundle_secret() -> String {
    // An AWS key id is "AKIA" + 16 of [A-Z2-7]; end on a digit as real ones often do.
    let mut k = fake(
        &["AK", "IA"].concat(),
        "launchready sandbox bundle",
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567",
        15,
    );
    k.push('7');
    k
}

/// The Stripe-style live key planted in the broken source map's sourcesContent.
pub fn source_map_secret() -> String {
    fake(
        &["sk", "live", ""].join("_"),
        "launchready sandbox source map",
        b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
        24,
    )
}

/// Filler so pages and scripts pass the "worth compressing" size (1 KiB).
fn filler(n: usize) -> String {
    "<p>Acme Chat answers questions about your documents, in your product, in seconds.</p>\n"
        .repeat(n)
}

fn good_page() -> String {
    format!(
        "<!doctype html><html><head><title>Acme Chat</title>\
<link rel=\"stylesheet\" href=\"/static/app.5b2e.css\">\
<script src=\"/static/app.3f9a1c.js\" defer></script>\
<link rel=\"icon\" href=\"https://acme-good.test/favicon.ico\"></head>\
<body><h1>Acme Chat</h1>{}<form action=\"/login\" method=\"post\"></form></body></html>",
        filler(16)
    )
}

fn good_js() -> String {
    format!(
        "(function(){{var msg='Talk to your docs';document.title=msg;}})();\n\
/* payments: live keys only; pk_test_ keys belong in preview builds */\n/*{}*/\n",
        "x".repeat(1500)
    )
}

fn broken_home() -> String {
    format!(
        "<!doctype html><html><head><title>Acme Chat</title>\
<link rel=\"stylesheet\" href=\"/static/site.css\">\
<script src=\"/static/app.js\"></script>\
<script src=\"/static/vendor.js\"></script>\
<script src=\"http://widgets.example-cdn.test/chat-widget.js\"></script>\
<script>var banner = \"<img src='http://in-a-script.example-cdn.test/not-a-tag.png'>\";</script>\
</head><body><h1>Acme Chat</h1>\
<img src=\"http://images.example-cdn.test/hero.png\" alt=\"hero\">\
<form action=\"http://www.acme-broken.test/subscribe\" method=\"post\"></form>{}</body></html>",
        filler(16)
    )
}

fn broken_js() -> String {
    format!(
        "(function(){{var cfg={{region:'eu-west-1',accessKeyId:'{}'}};window.cfg=cfg;}})();\n\
(function(){{window.checkout=Stripe('{}');}})();\n/*{}*/\n//# sourceMappingURL=app.js.map\n",
        bundle_secret(),
        bundle_test_key(),
        "y".repeat(1500)
    )
}

/// The Stripe test-mode publishable key the broken bundle ships (checkout in test mode).
pub fn bundle_test_key() -> String {
    fake(
        &["pk", "test", ""].join("_"),
        "launchready sandbox checkout",
        b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
        32,
    )
}

fn broken_map() -> String {
    let src = format!(
        "export const config = {{\n  stripeKey: \"{}\",\n  region: \"eu-west-1\",\n}};\n",
        source_map_secret()
    );
    serde_json::json!({
        "version": 3,
        "file": "app.js",
        "sources": ["src/config.ts"],
        "sourcesContent": [src],
        "names": [],
        "mappings": "AAAA",
    })
    .to_string()
}

fn broken_env() -> String {
    format!(
        "NODE_ENV=production\nSTRIPE_SECRET_KEY={}\nAWS_ACCESS_KEY_ID={}\nSESSION_SECRET={}\n",
        source_map_secret(),
        bundle_secret(),
        fake("", "launchready sandbox session", b"abcdef0123456789", 32)
    )
}

const GIT_CONFIG: &str = "[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = false\n\
[remote \"origin\"]\n\turl = https://example.invalid/acme/chat.git\n";

fn accepts_gzip(req: &Req) -> bool {
    req.headers
        .iter()
        .any(|(k, v)| k == "accept-encoding" && v.to_ascii_lowercase().contains("gzip"))
}

fn header(req: &Req, name: &str) -> Option<String> {
    req.headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
}

/// CRC-32 (IEEE), bitwise: only the sandbox's tiny bodies go through it.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A valid gzip stream (RFC 1952) holding `data` in stored deflate blocks (RFC 1951 §3.2.4):
/// the sandbox needs a correct `Content-Encoding: gzip`, not a small one.
pub fn gzip_stored(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
    let chunks: Vec<&[u8]> = if data.is_empty() {
        vec![&[][..]]
    } else {
        data.chunks(65535).collect()
    };
    let n = chunks.len();
    for (i, c) in chunks.into_iter().enumerate() {
        out.push(if i + 1 == n { 1 } else { 0 });
        let len = c.len() as u16;
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(c);
    }
    out.extend_from_slice(&crc32(data).to_le_bytes());
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out
}

/// A healthy text response: gzip when asked, `Vary: Accept-Encoding`, CDN headers.
pub(crate) fn healthy_text(req: &Req, status: u16, media: &str, body: String) -> Canned {
    let c = if accepts_gzip(req) {
        Canned::new(status, gzip_stored(body.as_bytes())).header("content-encoding", "gzip")
    } else {
        Canned::new(status, body)
    };
    c.header("content-type", media)
        .header("vary", "Accept-Encoding")
        .header("server", "cloudflare")
        .header("cf-ray", "8c1f2e3d4a5b6c7d-AMS")
        .header("cf-cache-status", "DYNAMIC")
        .header("x-content-type-options", "nosniff")
}

fn healthy(req: &Req) -> Canned {
    let path = req.path.split('?').next().unwrap_or("/");
    match path {
        "/.well-known/security.txt" => healthy_text(
            req,
            200,
            "text/plain; charset=utf-8",
            "Contact: mailto:security@acme-good.test\nExpires: 2030-12-31T23:59:59Z\nPreferred-Languages: en\n".into(),
        ),
        "/static/app.3f9a1c.js" => healthy_text(req, 200, "application/javascript", good_js())
            .header("cache-control", "public, max-age=31536000, immutable"),
        "/static/app.5b2e.css" => healthy_text(
            req,
            200,
            "text/css",
            format!("body{{font-family:sans-serif}}/*{}*/", "z".repeat(1200)),
        )
        .header("cache-control", "public, max-age=31536000, immutable"),
        // Look-alikes the debug probes must not report: a blog post about reading tracebacks
        // (quoting a traceback, the Django debug sentence and a dev-server script tag), and an
        // API that answers a bad request with a 4xx that mentions tracebacks in words only.
        "/blog/reading-tracebacks" => healthy_page(req, super::leaks::blog_post()),
        p if p.starts_with("/api/") => healthy_text(
            req,
            if req.method == "POST" { 400 } else { 404 },
            "application/json",
            super::leaks::healthy_api_error(),
        ),
        // The SPA catch-all: the app shell for every other path (/.env and /.git/config too).
        _ => healthy_page(req, good_page()),
    }
}

/// A healthy HTML page: every security header, private caching, a secure cookie.
fn healthy_page(req: &Req, body: String) -> Canned {
    healthy_text(req, 200, "text/html; charset=utf-8", body)
        .header(
            "strict-transport-security",
            "max-age=63072000; includeSubDomains; preload",
        )
        .header(
            "content-security-policy",
            "default-src 'self'; frame-ancestors 'none'",
        )
        .header("x-frame-options", "DENY")
        .header("referrer-policy", "strict-origin-when-cross-origin")
        .header("cache-control", "private, no-store")
        .header(
            "set-cookie",
            "__Host-sid=sandbox; Path=/; Secure; HttpOnly; SameSite=Lax",
        )
}

fn html(status: u16, body: String) -> Canned {
    Canned::new(status, body).header("content-type", "text/html; charset=utf-8")
}

/// The canonical www of the broken site.
fn broken_www(req: &Req) -> Canned {
    let path = req.path.split('?').next().unwrap_or("/");
    let c = match path {
        "/account" => html(200, broken_home())
            .header("strict-transport-security", "max-age=3600")
            .header("set-cookie", "session=sandbox-session; Path=/")
            .header("cache-control", "public, max-age=600"),
        "/static/app.js" => {
            Canned::new(200, broken_js()).header("content-type", "application/javascript")
        }
        "/static/vendor.js" => match deployed(req.https_port) {
            Some(js) => Canned::new(200, js).header("content-type", "application/javascript"),
            None => Canned::new(404, "not deployed").header("content-type", "text/plain"),
        },
        "/static/app.js.map" => {
            Canned::new(200, broken_map()).header("content-type", "application/json")
        }
        "/static/site.css" => {
            Canned::new(200, format!("body{{color:#222}}/*{}*/", "w".repeat(1200)))
                .header("content-type", "text/css")
                .header("cache-control", "max-age=300")
        }
        "/.env" => Canned::new(200, broken_env()).header("content-type", "text/plain"),
        "/.git/config" => Canned::new(200, GIT_CONFIG).header("content-type", "text/plain"),
        "/.git/HEAD" => {
            Canned::new(200, "ref: refs/heads/main\n").header("content-type", "text/plain")
        }
        "/auth/callback" => Canned::new(302, "").header(
            "location",
            "https://login.acme-idp.test/authorize?client_id=acme&redirect_uri=%2Fauth%2Fcallback",
        ),
        // SPA catch-all: /.env.local, /.env.production, security.txt... all get the app shell.
        _ => html(200, broken_home()),
    };
    let c = c
        .header("server", "nginx/1.18.0")
        .header("x-powered-by", "PHP/7.4.3");
    match header(req, "origin") {
        Some(o) => c
            .header("access-control-allow-origin", o)
            .header("access-control-allow-credentials", "true"),
        None => c,
    }
}

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
        // Healthy: plain HTTP redirects permanently to HTTPS on the same host; www then goes to
        // the apex (the order Observatory and internet.nl expect).
        (h, false) if h.ends_with("acme-good.test") || h.ends_with("pages.dev") => {
            Canned::new(301, "").header("location", req.https_url(h, path))
        }
        ("www.acme-good.test", true) => {
            Canned::new(301, "").header("location", req.https_url("acme-good.test", path))
        }
        (h, true) if h.ends_with("acme-good.test") || h.ends_with("pages.dev") => healthy(req),

        // Broken cases, one per name.
        ("loop.acme-broken.test", false) => {
            Canned::new(301, "").header("location", req.https_url(host, "/"))
        }
        ("loop.acme-broken.test", true) => {
            let next = match path {
                "/a" => "/b",
                _ => "/a",
            };
            Canned::new(302, "").header("location", next)
        }
        ("downgrade.acme-broken.test", false) => match path {
            "/" => Canned::new(301, "").header("location", req.https_url(host, "/")),
            _ => html(200, good_page()),
        },
        ("downgrade.acme-broken.test", true) => {
            Canned::new(301, "").header("location", req.http_url(host, "/home"))
        }
        ("long.acme-broken.test", false) => {
            Canned::new(301, "").header("location", req.https_url(host, "/"))
        }
        ("long.acme-broken.test", true) => match path {
            "/" => Canned::new(301, "").header("location", "/en"),
            "/en" => Canned::new(301, "").header("location", "/en/"),
            "/en/" => Canned::new(301, "").header("location", "/en/home"),
            _ => html(200, good_page()),
        },
        (
            "temp.acme-broken.test" | "canon.acme-broken.test" | "www.canon.acme-broken.test",
            false,
        ) => Canned::new(302, "").header("location", req.https_url(host, path)),
        ("down.acme-broken.test", false) => {
            Canned::new(301, "").header("location", req.https_url(host, "/"))
        }
        ("down.acme-broken.test", true) => Canned::new(503, "<h1>503 Service Unavailable</h1>")
            .header("content-type", "text/html")
            .header("retry-after", "120"),
        ("www.acme-broken.test", _) => broken_www(req),
        ("mixed.acme-broken.test", _) => mixed_site(req),
        ("www.mixed.acme-broken.test", _) => {
            Canned::new(301, "").header("location", req.https_url("mixed.acme-broken.test", path))
        }

        // Broken, generic (names other checks add): redirect to https, then a plain page, so
        // only the cases above produce http findings.
        (h, false) if h.ends_with("acme-broken.test") => {
            Canned::new(301, "").header("location", req.https_url(h, path))
        }
        (h, true) if h.ends_with("acme-broken.test") => {
            html(200, good_page()).header("server", "nginx/1.18.0")
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_matches_the_reference_value() {
        // The standard check value of CRC-32/ISO-HDLC.
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    }

    #[test]
    fn fake_secrets_have_the_provider_shape() {
        let k = bundle_secret();
        assert_eq!(k.len(), 20);
        assert!(k.starts_with("AKIA"));
        assert!(
            k[4..]
                .bytes()
                .all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b))
        );
        let s = source_map_secret();
        assert!(s.starts_with("sk_live_") && s.len() == 32);
    }

    #[test]
    fn gzip_frames_hold_the_data() {
        let g = gzip_stored(b"hello");
        assert_eq!(&g[..3], &[0x1f, 0x8b, 8]);
        assert_eq!(g.len(), 10 + 5 + 5 + 8);
    }
}
