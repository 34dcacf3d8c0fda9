//! One step's HTTP exchange: the request, every redirect hop (followed by hand, so each hop's
//! `Set-Cookie` lands in the flow's jar and each hop is recorded), and the final response with
//! its body read up to the shared cap.
//!
//! Redirects follow browser rules (RFC 9110 §15.4): 303, and 301/302 after a POST, become a GET
//! without body; 307/308 repeat the method and body. `Authorization` is dropped when a hop leaves
//! the origin, so a token is never handed to another host. At most [`MAX_HOPS`] hops; a revisited
//! URL is a loop.

use super::cookies::Jar;
use crate::net::Net;
use reqwest::Method;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use std::time::{Duration, Instant};
use url::Url;

/// Redirects followed before giving up (the `http` check's limit too).
pub(crate) const MAX_HOPS: usize = 10;

/// What a request sends.
pub(crate) struct Outgoing {
    pub(crate) method: Method,
    pub(crate) url: Url,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Option<Vec<u8>>,
}

/// One redirect that was followed.
#[derive(Debug, Clone)]
pub(crate) struct Hop {
    pub(crate) status: u16,
    /// Where it pointed (absolute).
    pub(crate) to: Url,
}

/// The final response.
#[derive(Debug)]
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Vec<u8>,
}

/// What happened, with the time it took whatever the outcome.
#[derive(Debug)]
pub(crate) struct Exchange {
    pub(crate) hops: Vec<Hop>,
    pub(crate) result: Result<Answer, String>,
    pub(crate) elapsed: Duration,
}

/// Sends `req`, following redirects, storing cookies in `jar`.
pub(crate) async fn send(net: &Net, jar: &mut Jar, req: Outgoing) -> Exchange {
    let t0 = Instant::now();
    let mut hops = Vec::new();
    let result = walk(net, jar, req, &mut hops).await;
    Exchange {
        hops,
        result,
        elapsed: t0.elapsed(),
    }
}

async fn walk(
    net: &Net,
    jar: &mut Jar,
    req: Outgoing,
    hops: &mut Vec<Hop>,
) -> Result<Answer, String> {
    let Outgoing {
        mut method,
        mut url,
        mut headers,
        mut body,
    } = req;
    let mut seen = vec![url.clone()];
    loop {
        let mut map = HeaderMap::new();
        for (k, v) in &headers {
            let name = HeaderName::from_bytes(k.as_bytes())
                .map_err(|_| format!("`{k}` is not a valid header name"))?;
            // A captured value may hold a line break; never send it (header injection).
            let value = HeaderValue::from_str(v)
                .map_err(|_| format!("header `{k}` has characters HTTP does not allow"))?;
            map.append(name, value);
        }
        if let Some(c) = jar.header(&url)
            && let Ok(v) = HeaderValue::from_str(&c)
        {
            map.insert(reqwest::header::COOKIE, v);
        }
        let resp = send_once(net, &url, || {
            let rb = net
                .http
                .request(method.clone(), url.clone())
                .headers(map.clone());
            match &body {
                Some(b) => rb.body(b.clone()),
                None => rb,
            }
        })
        .await
        .map_err(|e| crate::net::request_error(&e))?;
        for v in resp.headers().get_all(reqwest::header::SET_COOKIE) {
            if let Ok(s) = v.to_str() {
                jar.store(&url, s);
            }
        }
        let status = resp.status().as_u16();
        let location = resp
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        match (resp.status().is_redirection(), location) {
            (true, Some(loc)) => {
                let next = url
                    .join(&loc)
                    .map_err(|e| format!("{status} with an unusable Location `{loc}`: {e}"))?;
                hops.push(Hop {
                    status,
                    to: next.clone(),
                });
                if seen.contains(&next) {
                    return Err(format!("redirect loop: {next} was already visited"));
                }
                if hops.len() > MAX_HOPS {
                    return Err(format!("more than {MAX_HOPS} redirects"));
                }
                if status == 303 || (matches!(status, 301 | 302) && method == Method::POST) {
                    if method != Method::HEAD {
                        method = Method::GET;
                    }
                    body = None;
                    headers.retain(|(k, _)| {
                        !k.eq_ignore_ascii_case("content-type")
                            && !k.eq_ignore_ascii_case("content-length")
                    });
                }
                if next.origin() != url.origin() {
                    headers.retain(|(k, _)| !k.eq_ignore_ascii_case("authorization"));
                }
                seen.push(next.clone());
                url = next;
            }
            _ => {
                let headers = resp.headers().clone();
                let body = crate::http_util::read_capped(resp, net.body_cap)
                    .await
                    .map_err(|e| {
                        format!(
                            "{status} but the body could not be read: {}",
                            crate::net::request_error(&e)
                        )
                    })?;
                return Ok(Answer {
                    status,
                    headers,
                    body,
                });
            }
        }
    }
}

/// Sends one request. The host's address is looked up through the shared resolver first (with
/// its retries, so a datagram lost on a busy resolver is not a failed step), and a connection
/// that could not be opened is tried once more: nothing reached the server, so even a POST is
/// still sent at most once.
pub(crate) async fn send_once(
    net: &Net,
    url: &Url,
    build: impl Fn() -> reqwest::RequestBuilder,
) -> Result<reqwest::Response, reqwest::Error> {
    if let Some(url::Host::Domain(host)) = url.host() {
        let _ = net.host_addrs(host).await;
    }
    match build().send().await {
        Err(e) if e.is_connect() => {
            tokio::time::sleep(CONNECT_RETRY_AFTER).await;
            build().send().await
        }
        other => other,
    }
}

/// Pause before the one retry of a connection that could not be opened.
const CONNECT_RETRY_AFTER: Duration = Duration::from_millis(250);
