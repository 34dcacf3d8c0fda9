//! The sandbox's customer paths and webhooks for the `flows` check.
//!
//! Both sites serve the same small product on `shop.<site>`; it needs a bearer token from
//! sign-up *and* a session cookie from login (plus a CSRF value scraped from the page the login
//! redirects to) before it lets anyone chat:
//!
//! | route | healthy | broken |
//! |---|---|---|
//! | `POST /api/signup` (JSON email, password of 8+ chars) | 201 `{"token": ...}` | the same after [`SLOW_SIGNUP_MS`] |
//! | `POST /api/login` (Bearer token) | 303 to `/app` + `Set-Cookie: session` | 500, echoing the token in its error body |
//! | `GET /app` (session cookie) | 200 page with a hidden `csrf` input | — |
//! | `POST /api/chat` (Bearer + cookie + `X-CSRF-Token`) | 200 `{"ok":true,"reply":"hello ..."}` + `X-Request-Id` | — |
//! | `GET /api/history` (Bearer) | 200 `{"messages": n}` | — |
//! | `POST /webhooks/payments` | 401 without `Stripe-Signature` | 200 to anything |
//! | `POST /webhooks/email` | — | 500 (the handler reads a header that is not there) |
//! | `POST /webhooks/legacy` | — | 404 (the route was removed) |
//!
//! State (accounts, sessions) is kept per sandbox (keyed by its HTTPS port). Issued tokens are
//! listed by [`issued_tokens`] so tests can search every report for them.

use super::Ports;
use super::web::{Canned, Req};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

/// Extra records for the healthy zone.
pub const HEALTHY_RECORDS: &str = "shop A 127.0.0.1";
/// Extra records for the broken zone.
pub const BROKEN_RECORDS: &str = "shop A 127.0.0.1";
/// The broken sign-up takes this long (its step budget is 300 ms). The healthy budgets are
/// generous (10 s) so a loaded test machine never makes the healthy path "slow".
pub const SLOW_SIGNUP_MS: u64 = 700;

/// Extra zones (origin, records).
pub fn zones() -> Vec<(&'static str, String)> {
    Vec::new()
}

fn flow_toml(host: &str, https: u16, signup_budget: u64) -> String {
    format!(
        r#"
[[flows]]
name = "signup, login, first chat"

[[flows.steps]]
name = "signup"
method = "POST"
url = "https://{host}:{https}/api/signup"
json = {{ email = "launchready+{{{{run}}}}@{host}", password = "{{{{random}}}}" }}
expect = {{ status = [200, 201], json = {{ "/user/plan" = "trial" }}, max_ms = {signup_budget} }}
capture = {{ token = "json:/token" }}

[[flows.steps]]
name = "login"
method = "POST"
url = "https://{host}:{https}/api/login"
headers = {{ Authorization = "Bearer {{{{token}}}}" }}
expect = {{ status = [200], body_contains = ["Welcome back"], max_ms = 10000 }}
capture = {{ session = "cookie:session", csrf = 'regex:name="csrf" value="([0-9a-f]+)"' }}

[[flows.steps]]
name = "chat"
method = "POST"
url = "https://{host}:{https}/api/chat"
headers = {{ Authorization = "Bearer {{{{token}}}}", X-CSRF-Token = "{{{{csrf}}}}" }}
json = {{ message = "hello" }}
expect = {{ status = [200], body_contains = ["hello"], json = {{ "/ok" = true }}, header = ["x-request-id"], max_ms = 10000 }}

[[flows.steps]]
name = "history"
url = "https://{host}:{https}/api/history"
headers = {{ Authorization = "Bearer {{{{token}}}}" }}
expect = {{ status = [200], json = {{ "/messages" = 1 }} }}
"#
    )
}

/// The healthy site: the flow passes; its webhook refuses unsigned events with 401.
pub fn healthy_toml(ports: &Ports) -> String {
    let host = "shop.acme-good.test";
    format!(
        r#"{}
[[endpoints]]
name = "payments-webhook"
url = "https://{host}:{https}/webhooks/payments"
method = "POST"
kind = "webhook"
"#,
        flow_toml(host, ports.https, 10_000),
        https = ports.https
    )
}

/// The broken site: slow sign-up, failing login; webhooks that accept unsigned events, crash,
/// and are gone.
pub fn broken_toml(ports: &Ports) -> String {
    let host = "shop.acme-broken.test";
    format!(
        r#"{}
[[endpoints]]
name = "payments-webhook"
url = "https://{host}:{https}/webhooks/payments"
method = "POST"
kind = "webhook"

[[endpoints]]
name = "email-webhook"
url = "https://{host}:{https}/webhooks/email"
method = "POST"
kind = "webhook"

[[endpoints]]
name = "legacy-webhook"
url = "https://{host}:{https}/webhooks/legacy"
method = "POST"
kind = "webhook"
"#,
        flow_toml(host, ports.https, 300),
        https = ports.https
    )
}

#[derive(Default)]
struct State {
    /// token -> email
    accounts: HashMap<String, String>,
    /// session id -> token
    sessions: HashMap<String, String>,
    /// token -> chat messages sent
    messages: HashMap<String, u32>,
    issued: Vec<String>,
}

/// Per-sandbox state, keyed by HTTPS port.
static STATE: Mutex<Option<HashMap<u16, State>>> = Mutex::new(None);

fn with_state<T>(port: u16, f: impl FnOnce(&mut State) -> T) -> T {
    let mut g = STATE.lock().unwrap_or_else(|p| p.into_inner());
    f(g.get_or_insert_with(HashMap::new).entry(port).or_default())
}

/// Every token the sandbox listening on `https_port` issued so far (for leak tests).
pub fn issued_tokens(https_port: u16) -> Vec<String> {
    with_state(https_port, |s| s.issued.clone())
}

fn hex(parts: &[&str], n: usize) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0]);
    }
    h.finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<String>()[..n]
        .to_string()
}

fn json(status: u16, v: serde_json::Value) -> Canned {
    Canned::new(status, format!("{v}\n")).header("content-type", "application/json")
}

fn header<'a>(req: &'a Req, name: &str) -> Option<&'a str> {
    req.headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn bearer(req: &Req) -> Option<String> {
    header(req, "authorization")?
        .strip_prefix("Bearer ")
        .map(str::to_string)
        .filter(|t| with_state(req.https_port, |s| s.accounts.contains_key(t)))
}

fn session(req: &Req) -> Option<(String, String)> {
    let cookies = header(req, "cookie")?;
    let sid = cookies
        .split(';')
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == "session")
        .map(|(_, v)| v.to_string())?;
    let token = with_state(req.https_port, |s| s.sessions.get(&sid).cloned())?;
    Some((sid, token))
}

fn unauthorized(why: &str) -> Canned {
    json(401, serde_json::json!({ "error": why })).header("www-authenticate", "Bearer")
}

/// Web routes for the flows cases.
pub async fn route(req: &Req) -> Option<Canned> {
    let broken = match req.host.as_str() {
        "shop.acme-good.test" => false,
        "shop.acme-broken.test" => true,
        _ => return None,
    };
    let path = req.path.split('?').next().unwrap_or("");
    let port = req.https_port;
    Some(match (req.method.as_str(), path) {
        ("POST", "/api/signup") => {
            if broken {
                tokio::time::sleep(Duration::from_millis(SLOW_SIGNUP_MS)).await;
            }
            let body: serde_json::Value =
                serde_json::from_slice(&req.body).unwrap_or_default();
            let email = body["email"].as_str().unwrap_or("");
            let password = body["password"].as_str().unwrap_or("");
            if !email.contains('@') || password.len() < 8 {
                return Some(json(
                    400,
                    serde_json::json!({ "error": "email and a password of 8+ characters required" }),
                ));
            }
            let token = with_state(port, |s| {
                let n = s.issued.len().to_string();
                let t = format!("sbx_live_{}", hex(&[email, password, &n], 32));
                s.accounts.insert(t.clone(), email.to_string());
                s.issued.push(t.clone());
                t
            });
            json(
                201,
                serde_json::json!({ "token": token, "user": { "email": email, "plan": "trial" } }),
            )
        }
        ("POST", "/api/login") => {
            let Some(token) = bearer(req) else {
                return Some(unauthorized("invalid token"));
            };
            if broken {
                // The session store is down, and the error page says far too much.
                return Some(json(
                    500,
                    serde_json::json!({
                        "error": "session store unavailable",
                        "detail": format!("could not create a session for Bearer {token}"),
                    }),
                ));
            }
            let sid = hex(&[&token, "session"], 24);
            with_state(port, |s| s.sessions.insert(sid.clone(), token.clone()));
            Canned::new(303, "")
                .header("location", "/app")
                .header(
                    "set-cookie",
                    format!("session={sid}; Path=/; HttpOnly; Secure; SameSite=Lax"),
                )
        }
        ("GET", "/app") if !broken => match session(req) {
            Some((sid, _)) => Canned::new(
                200,
                format!(
                    "<!doctype html><title>Acme</title><h1>Welcome back</h1>\
                     <form method=post action=/api/chat><input type=hidden name=\"csrf\" value=\"{}\">\
                     <textarea name=message></textarea></form>\n",
                    hex(&[&sid, "csrf"], 16)
                ),
            )
            .header("content-type", "text/html; charset=utf-8"),
            None => unauthorized("no session"),
        },
        ("POST", "/api/chat") if !broken => {
            let Some(token) = bearer(req) else {
                return Some(unauthorized("invalid token"));
            };
            let Some((sid, owner)) = session(req) else {
                return Some(unauthorized("no session cookie"));
            };
            if owner != token || header(req, "x-csrf-token") != Some(&hex(&[&sid, "csrf"], 16)) {
                return Some(json(403, serde_json::json!({ "error": "csrf check failed" })));
            }
            let body: serde_json::Value =
                serde_json::from_slice(&req.body).unwrap_or_default();
            let msg = body["message"].as_str().unwrap_or("").to_string();
            with_state(port, |s| *s.messages.entry(token.clone()).or_default() += 1);
            json(
                200,
                serde_json::json!({ "ok": true, "reply": format!("{msg} from Acme") }),
            )
            .header("x-request-id", hex(&[&sid, &msg], 12))
        }
        ("GET", "/api/history") if !broken => {
            let Some(token) = bearer(req) else {
                return Some(unauthorized("invalid token"));
            };
            let n = with_state(port, |s| s.messages.get(&token).copied().unwrap_or(0));
            json(200, serde_json::json!({ "messages": n }))
        }
        ("POST", "/webhooks/payments") => {
            if broken {
                json(200, serde_json::json!({ "received": true }))
            } else if header(req, "stripe-signature").is_none() {
                json(401, serde_json::json!({ "error": "missing Stripe-Signature" }))
            } else {
                json(400, serde_json::json!({ "error": "invalid signature" }))
            }
        }
        ("POST", "/webhooks/email") if broken => Canned::new(
            500,
            "TypeError: Cannot read properties of undefined (reading 'split')\n    at verifySignature (/app/webhooks/email.js:12:40)\n",
        )
        .header("content-type", "text/plain"),
        // A hostile 404 page: its markup reaches the evidence, and every report must show it as
        // text (the HTML report's browser test looks for it).
        ("POST", "/webhooks/legacy") if broken => Canned::new(
            404,
            "<script>document.title='PWNED'</script><img src=x onerror=\"document.title='PWNED'\">not here",
        )
        .header("content-type", "text/html"),
        _ => json(404, serde_json::json!({ "error": "not found" })),
    })
}
