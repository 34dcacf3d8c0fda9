//! Debug leaks of the live site: `exposure.debug_mode` (a framework debug page or a dev server),
//! `exposure.stack_trace` (a stack trace in an error response) and
//! `exposure.test_key_in_bundle` (a test-mode payment key in the public JavaScript).
//!
//! Each origin gets three error probes: an unknown path, a path with a broken percent-encoding
//! and a POST of truncated JSON. Signatures are structural, never prose: a stack trace is
//! several frame lines in a language's own format inside an error response (status >= 400),
//! so a blog post that talks about "Traceback" does not match; a debug page is the framework's
//! own markup (the Werkzeug console, Django's `DEBUG = True` banner, Ignition's bootstrap...);
//! a dev server is its client script (`/@vite/client`) or build id (`"buildId":"development"`).

use super::{Fetcher, Resp, random_token, show};
use crate::catalogue::http as spec;
use crate::checks::{Sink, testkeys};
use regex::Regex;
use std::sync::OnceLock;
use url::Url;

/// A framework debug page or dev server: (framework, needs an error status, markers that must
/// all appear).
const DEBUG_SIGNATURES: &[(&str, bool, &[&str])] = &[
    (
        "Werkzeug debugger (Flask debug mode)",
        true,
        &["Werkzeug Debugger</title>", "__debugger__"],
    ),
    (
        "Werkzeug debugger (Flask debug mode)",
        true,
        &["The debugger caught an exception in your WSGI application"],
    ),
    (
        "Django debug page (DEBUG = True)",
        true,
        &["because you have <code>DEBUG = True</code> in your Django settings file"],
    ),
    (
        "Laravel Ignition error page (APP_DEBUG=true)",
        true,
        &["Illuminate\\", "ignition"],
    ),
    (
        "Whoops error page (PHP debug mode)",
        true,
        &["Whoops! There was an error.", "class=\"Whoops"],
    ),
    (
        "Rails development error page",
        true,
        &["Action Controller: Exception caught"],
    ),
    (
        "Rails development routing error page",
        true,
        &["Routing Error", "Rails.root:"],
    ),
    (
        "Symfony debug exception page",
        true,
        &["sf-dump", "Symfony\\Component\\"],
    ),
    (
        "ASP.NET detailed error page (customErrors Off)",
        true,
        &["Server Error in '/", "Stack Trace:"],
    ),
    (
        "Next.js development server (next dev)",
        false,
        &["__NEXT_DATA__", "\"buildId\":\"development\""],
    ),
    (
        "Vite development server",
        false,
        &["<script type=\"module\" src=\"/@vite/client\"></script>"],
    ),
    (
        "Express development error handler (NODE_ENV is not production)",
        true,
        &["node_modules/express/lib/"],
    ),
];

/// The debug page a response shows, if any.
pub(crate) fn debug_page(status: u16, body: &str) -> Option<&'static str> {
    DEBUG_SIGNATURES
        .iter()
        .find(|(_, needs_error, markers)| {
            (!needs_error || status >= 400) && markers.iter().all(|m| body.contains(m))
        })
        .map(|(what, _, _)| *what)
}

/// Frame-line patterns of stack traces: (language, the pattern of one frame line, frames needed,
/// an optional header that must also be present).
const TRACE_SIGNATURES: &[(&str, &str, usize, Option<&str>)] = &[
    (
        "Python traceback",
        r#"(?m)^\s*File "[^"\n]+", line \d+, in \S+"#,
        1,
        Some("Traceback (most recent call last):"),
    ),
    (
        "Java stack trace",
        r"(?m)^\s*at [\w$]+(?:\.[\w$<>]+)+\([\w$]+\.(?:java|kt|scala):\d+\)",
        2,
        None,
    ),
    (
        "Node.js stack trace",
        r"(?m)^\s*at (?:[^\n()]+ \()?(?:file://)?/?[^\n()]*\.(?:js|mjs|cjs|ts):\d+:\d+\)?\s*$",
        2,
        None,
    ),
    (
        ".NET stack trace",
        r"(?m)^\s*at [\w.`<>]+\([^\n)]*\)(?: in [^\n]+:line \d+)?\s*$",
        2,
        Some("Exception"),
    ),
    (
        "PHP stack trace",
        r"(?m)^#\d+ (?:/|[A-Za-z]:\\)[^\n]+\.php\(\d+\): ",
        2,
        Some("Stack trace:"),
    ),
    (
        "PHP fatal error",
        r"(?m)(?:Fatal error|Parse error|Warning)(?:</b>)?:? .+ in (?:<b>)?(?:/|[A-Za-z]:\\)[^\n<]+\.php(?:</b>)? on line (?:<b>)?\d+",
        1,
        None,
    ),
    (
        "Ruby backtrace",
        r"(?m)^\s*(?:from )?/[^\n:]+\.rb:\d+:in ",
        2,
        None,
    ),
    (
        "Go panic",
        r"(?m)^\s+/[^\n]+\.go:\d+ \+0x[0-9a-f]+",
        1,
        Some("goroutine "),
    ),
];

/// A compiled trace signature: (frame pattern, language, frames needed, header).
type TraceRe = (Regex, &'static str, usize, Option<&'static str>);

fn trace_res() -> &'static [TraceRe] {
    static RES: OnceLock<Vec<TraceRe>> = OnceLock::new();
    RES.get_or_init(|| {
        TRACE_SIGNATURES
            .iter()
            .filter_map(|(what, re, n, head)| Regex::new(re).ok().map(|r| (r, *what, *n, *head)))
            .collect()
    })
}

/// HTML to the text a reader sees: `<br>` becomes a line break, tags go, common entities are
/// decoded (stack traces inside `<pre>` keep their lines).
pub(crate) fn html_text(body: &str) -> String {
    static BR: OnceLock<Regex> = OnceLock::new();
    static TAG: OnceLock<Regex> = OnceLock::new();
    let br = BR.get_or_init(|| Regex::new(r"(?i)<br\s*/?>").expect("static regex"));
    let tag = TAG.get_or_init(|| Regex::new(r"<[^>\n]{0,400}>").expect("static regex"));
    let t = br.replace_all(body, "\n");
    let t = tag.replace_all(&t, "");
    t.replace("&nbsp;", " ")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Every string inside a JSON value, one per line.
fn json_strings(v: &serde_json::Value, out: &mut String) {
    match v {
        serde_json::Value::String(s) => {
            out.push_str(s);
            out.push('\n');
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| json_strings(x, out)),
        serde_json::Value::Object(m) => m.values().for_each(|x| json_strings(x, out)),
        _ => {}
    }
}

/// The stack trace an error body carries: (language, the first frame line, clipped).
pub(crate) fn stack_trace(body: &str) -> Option<(&'static str, String)> {
    let text = if let Ok(v) = serde_json::from_str::<serde_json::Value>(body) {
        // A JSON error body: its strings (a "stack", a "trace" list) with their line breaks.
        let mut out = String::new();
        json_strings(&v, &mut out);
        out
    } else if body.contains('<') {
        html_text(body)
    } else {
        body.to_string()
    };
    for (re, what, needed, head) in trace_res() {
        if head.is_some_and(|h| !text.contains(h)) {
            continue;
        }
        let frames: Vec<&str> = re
            .find_iter(&text)
            .map(|m| m.as_str())
            .take(needed + 1)
            .collect();
        if frames.len() >= *needed {
            return Some((what, crate::text::clip(frames[0].trim(), 160)));
        }
    }
    None
}

/// One error probe and what it got back.
struct ErrorProbe {
    what: &'static str,
    method: &'static str,
    resp: Resp,
}

/// What one answer shows.
enum Leak {
    /// A debug page or dev server: (framework, evidence line).
    Debug(&'static str, String),
    /// A stack trace: (language, evidence line).
    Trace(&'static str, String),
}

/// Sends the three error probes to every origin and judges the answers (and the pages already
/// fetched) for debug pages and stack traces: one finding per id and origin (subjects carry no
/// random probe path, so fingerprints stay stable). Returns the probes of each origin, in order.
pub(crate) async fn check_origins(
    f: &Fetcher,
    origins: &[Url],
    pages: &[&Resp],
    sink: &Sink,
) -> Vec<serde_json::Value> {
    // The configured pages: a dev server or debug page can show on a 200 page.
    for r in pages {
        match judge(r, "GET", "a configured page") {
            Some(Leak::Debug(what, line)) => push_debug(sink, show(&r.url), what, vec![line]),
            Some(Leak::Trace(lang, line)) => push_trace(sink, show(&r.url), lang, vec![line]),
            None => {}
        }
    }
    futures::future::join_all(origins.iter().map(|o| async move {
        let probes = probe(f, o).await;
        let mut seen = Vec::new();
        let (mut debug, mut trace): (Vec<_>, Vec<_>) = (Vec::new(), Vec::new());
        for p in &probes {
            seen.push(serde_json::json!({
                "probe": p.what,
                "method": p.method,
                "url": show(&p.resp.url),
                "status": p.resp.status,
                "bytes": p.resp.body.len(),
            }));
            match judge(&p.resp, p.method, p.what) {
                Some(Leak::Debug(what, line)) => debug.push((what, line)),
                Some(Leak::Trace(lang, line)) => trace.push((lang, line)),
                None => {}
            }
        }
        let subject = super::origin(o);
        if let Some((what, _)) = debug.first() {
            let what = *what;
            push_debug(
                sink,
                subject.clone(),
                what,
                debug.into_iter().map(|d| d.1).collect(),
            );
        }
        if let Some((lang, _)) = trace.first() {
            let lang = *lang;
            push_trace(
                sink,
                subject,
                lang,
                trace.into_iter().map(|t| t.1).collect(),
            );
        }
        serde_json::Value::Array(seen)
    }))
    .await
}

fn push_debug(sink: &Sink, subject: String, what: &str, lines: Vec<String>) {
    sink.push(spec::EXPOSURE_DEBUG_MODE.finding(
        subject.clone(),
        format!("{subject} shows a {what}"),
        lines.join("; "),
    ));
}

fn push_trace(sink: &Sink, subject: String, lang: &str, lines: Vec<String>) {
    sink.push(spec::EXPOSURE_STACK_TRACE.finding(
        subject.clone(),
        format!("Error responses from {subject} carry a {lang}"),
        lines.join("; "),
    ));
}

async fn probe(f: &Fetcher, origin: &Url) -> Vec<ErrorProbe> {
    let token = random_token();
    let unknown = origin.join(&format!("/launchready-{token}/missing"));
    // A broken percent-escape: routers that decode the path throw on it.
    let bad_escape = Url::parse(&format!(
        "{}/launchready-{token}/%E0%A4%A",
        super::origin(origin)
    ));
    let json_url = origin.join(&format!("/api/launchready-{token}"));
    let (a, b, c) = tokio::join!(
        async {
            match &unknown {
                Ok(u) => f.get(u, &[]).await.ok(),
                Err(_) => None,
            }
        },
        async {
            match &bad_escape {
                Ok(u) => f.get(u, &[]).await.ok(),
                Err(_) => None,
            }
        },
        async {
            match &json_url {
                Ok(u) => f
                    .send_with_body(
                        reqwest::Method::POST,
                        u,
                        &[("content-type", "application/json".to_string())],
                        b"{\"launchready\": [1, 2,".to_vec(),
                    )
                    .await
                    .ok(),
                Err(_) => None,
            }
        },
    );
    [
        ("an unknown path", "GET", a),
        ("a malformed URL escape", "GET", b),
        ("a truncated JSON body", "POST", c),
    ]
    .into_iter()
    .filter_map(|(what, method, r)| r.map(|resp| ErrorProbe { what, method, resp }))
    .collect()
}

/// What one answer leaks, if anything: a debug page (any status where the framework shows it
/// on success pages, error statuses otherwise), else a stack trace (error statuses only).
fn judge(r: &Resp, method: &str, probe: &str) -> Option<Leak> {
    let body = String::from_utf8_lossy(&r.body);
    if let Some(what) = debug_page(r.status, &body) {
        return Some(Leak::Debug(
            what,
            format!(
                "{probe}: {method} {} -> {} with the markup of a {what} ({} bytes)",
                show(&r.url),
                r.status,
                r.body.len()
            ),
        ));
    }
    if r.status < 400 {
        return None;
    }
    stack_trace(&body).map(|(lang, frame)| {
        Leak::Trace(
            lang,
            format!(
                "{probe}: {method} {} -> {} with a {lang}; first frame: {frame:?}",
                show(&r.url),
                r.status
            ),
        )
    })
}

/// Pushes `exposure.test_key_in_bundle` for each test-mode key in a script (or a page's inline
/// scripts). The key is shown redacted.
pub(crate) fn test_keys(body: &[u8], url: &Url, sink: &Sink) {
    let text = String::from_utf8_lossy(body);
    for k in testkeys::find(&text) {
        let line = text[..k.offset].matches('\n').count() + 1;
        sink.push(spec::EXPOSURE_TEST_KEY_IN_BUNDLE.finding(
            show(url),
            format!("{} ships a {}", show(url), k.what),
            format!(
                "{} line {line}: {} {}: checkout in this build talks to the provider's test mode",
                show(url),
                k.what,
                crate::redact::redact(&k.key)
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_pages_by_framework_markup() {
        let werk = "<title>ZeroDivisionError // Werkzeug Debugger</title><script src=\"?__debugger__=yes&cmd=resource&f=debugger.js\">";
        assert_eq!(
            debug_page(500, werk),
            Some("Werkzeug debugger (Flask debug mode)")
        );
        let django = "<p>You\u{2019}re seeing this error because you have <code>DEBUG = True</code> in your Django settings file.</p>";
        assert!(debug_page(404, django).is_some());
        // The same sentence quoted in a 200 blog post is not a debug page.
        assert!(debug_page(200, django).is_none());
        let vite = "<script type=\"module\" src=\"/@vite/client\"></script>";
        assert_eq!(debug_page(200, vite), Some("Vite development server"));
        // Escaped markup in a tutorial is text, not the dev server.
        assert!(debug_page(200, "&lt;script type=\"module\" src=\"/@vite/client\"&gt;").is_none());
        let next = r#"<script id="__NEXT_DATA__" type="application/json">{"props":{},"buildId":"development"}</script>"#;
        assert!(debug_page(200, next).is_some());
        let next_prod = r#"<script id="__NEXT_DATA__" type="application/json">{"props":{},"buildId":"Xk2pL9"}</script>"#;
        assert!(debug_page(200, next_prod).is_none());
    }

    #[test]
    fn stack_traces_need_frames_not_words() {
        let py = "Traceback (most recent call last):\n  File \"/app/main.py\", line 12, in handler\n    x = 1/0\nZeroDivisionError: division by zero\n";
        assert_eq!(stack_trace(py).unwrap().0, "Python traceback");
        let blog = "<p>When you see <em>Traceback (most recent call last)</em> in your logs, read it from the bottom.</p>";
        assert!(stack_trace(blog).is_none());
        let express = "<pre>SyntaxError: Unexpected end of JSON input<br> &nbsp; &nbsp;at JSON.parse (&lt;anonymous&gt;)<br> &nbsp; &nbsp;at parse (/app/node_modules/body-parser/lib/types/json.js:92:19)<br> &nbsp; &nbsp;at /app/node_modules/body-parser/lib/read.js:128:18</pre>";
        let (lang, frame) = stack_trace(express).unwrap();
        assert_eq!(lang, "Node.js stack trace");
        assert!(frame.contains("json.js:92:19"), "{frame}");
        let json = r#"{"error":"boom","stack":"TypeError: x is undefined\n    at handler (/srv/app/routes/chat.js:41:13)\n    at Layer.handle (/srv/app/node_modules/express/lib/router/layer.js:95:5)"}"#;
        assert_eq!(stack_trace(json).unwrap().0, "Node.js stack trace");
        let java = "java.lang.NullPointerException\n\tat com.acme.web.ChatController.post(ChatController.java:57)\n\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:897)\n";
        assert_eq!(stack_trace(java).unwrap().0, "Java stack trace");
        let php = "<b>Fatal error</b>:  Uncaught Error: Call to undefined function foo() in /var/www/html/index.php on line <b>3</b>";
        assert_eq!(stack_trace(php).unwrap().0, "PHP fatal error");
        let go = "panic: runtime error\n\ngoroutine 1 [running]:\nmain.main()\n\t/home/app/main.go:8 +0x1d\n";
        assert_eq!(stack_trace(go).unwrap().0, "Go panic");
        // Plain error pages are not traces.
        assert!(stack_trace("<h1>404 Not Found</h1><hr><center>nginx</center>").is_none());
        assert!(stack_trace(r#"{"error":"invalid JSON body"}"#).is_none());
    }
}
