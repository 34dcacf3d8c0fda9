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
        "Symfony debug exception page",
        true,
        &[
            "class=\"exception-message-wrapper\"",
            "class=\"trace trace-as-text\"",
        ],
    ),
    (
        "ASP.NET detailed error page (customErrors Off)",
        true,
        &["Server Error in '/", "Stack Trace:"],
    ),
    // ASP.NET Core's `UseDeveloperExceptionPage`: the stack tab and its error heading, with the
    // page's own title or its raw-trace block (the title is localisable, the markup is not).
    (
        "ASP.NET Core developer exception page (UseDeveloperExceptionPage)",
        true,
        &[
            "<h1>An unhandled exception occurred while processing the request.</h1>",
            "<div id=\"stackpage\"",
            "class=\"stackerror\"",
        ],
    ),
    (
        "ASP.NET Core developer exception page (UseDeveloperExceptionPage)",
        true,
        &[
            "<div id=\"stackpage\"",
            "class=\"stackerror\"",
            "class=\"rawExceptionStackTrace\"",
        ],
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

/// Laravel's JSON error body with `APP_DEBUG=true`.
pub(crate) const LARAVEL_DEBUG_JSON: &str = "Laravel debug JSON error (APP_DEBUG=true)";
/// PHP's own error line in the page (`display_errors = On`, `html_errors = On`).
pub(crate) const PHP_DISPLAY_ERRORS: &str = "PHP error message (display_errors is on)";
/// The same error in Xdebug's table (Xdebug in develop mode, `display_errors = On`).
pub(crate) const XDEBUG_ERRORS: &str = "Xdebug error table (display_errors and Xdebug on)";

/// The debug page a response shows, if any.
#[cfg(test)]
pub(crate) fn debug_page(status: u16, body: &str) -> Option<&'static str> {
    debug_leak(status, body).map(|(what, _)| what)
}

/// The debug page a response shows, if any, with the detail that proves it (the exception and
/// where it was thrown, PHP's error line), clipped.
fn debug_leak(status: u16, body: &str) -> Option<(&'static str, Option<String>)> {
    // The JSON shape comes first: its trace can name Ignition's and Illuminate's classes.
    if status >= 400
        && let Some(detail) = laravel_debug_json(body)
    {
        return Some((LARAVEL_DEBUG_JSON, Some(detail)));
    }
    if let Some(what) = DEBUG_SIGNATURES
        .iter()
        .find(|(_, needs_error, markers)| {
            (!needs_error || status >= 400) && markers.iter().all(|m| body.contains(m))
        })
        .map(|(what, _, _)| *what)
    {
        return Some((what, None));
    }
    // PHP prints its error into the page whatever the status (a warning on a 200 page).
    php_error_line(body)
        .map(|line| (PHP_DISPLAY_ERRORS, Some(line)))
        .or_else(|| xdebug_error_line(body).map(|line| (XDEBUG_ERRORS, Some(line))))
}

/// A PHP class name as Laravel writes it in `exception`: `ErrorException`,
/// `Illuminate\Database\QueryException`, `Symfony\...\NotFoundHttpException`, `TypeError`.
fn php_exception_class(s: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^\\?(?:[A-Za-z_][A-Za-z0-9_]*\\)*[A-Za-z_][A-Za-z0-9_]*(?:Exception|Error)$")
            .expect("static regex")
    })
    .is_match(s)
}

/// An absolute path to a PHP file (`/var/www/app/X.php`, `C:\inetpub\x.php`).
fn abs_php_path(s: &str) -> bool {
    let abs = s.starts_with('/')
        || (s.len() > 3 && s.as_bytes()[0].is_ascii_alphabetic() && s[1..].starts_with(":\\"));
    abs && s.ends_with(".php") && !s.contains('\n')
}

/// Laravel's debug JSON (`convertExceptionToArray` with `APP_DEBUG=true`): an object with a
/// `message`, an `exception` class name, the absolute `.php` `file` and integer `line` it was
/// thrown at, and a `trace` list of frame objects (`function` with `file`/`line` or `class`).
/// Returns "`exception` at `file`:`line`".
fn laravel_debug_json(body: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(body.trim_start()).ok()?;
    let o = v.as_object()?;
    o.get("message")?.as_str()?;
    let exception = o.get("exception")?.as_str()?;
    let file = o.get("file")?.as_str()?;
    let line = o.get("line")?.as_u64()?;
    let frames = o.get("trace")?.as_array()?;
    let is_frame = |f: &serde_json::Value| {
        f.get("function").is_some_and(|x| x.is_string())
            && (f.get("file").is_some_and(|x| x.is_string()) || f.get("class").is_some())
    };
    (php_exception_class(exception) && abs_php_path(file) && frames.iter().any(is_frame)).then(
        || {
            crate::text::clip(
                &format!("{exception} at {file}:{line} ({} frames)", frames.len()),
                200,
            )
        },
    )
}

/// PHP's error line as `display_errors` prints it with `html_errors` on:
/// `<b>Warning</b>:  message in <b>/abs/path.php</b> on line <b>34</b>` (the label bold, the
/// file an absolute `.php` path in bold, the line number in bold), outside `<code>`/`<pre>`
/// (a docs page quoting it). Returns the line as a reader sees it, clipped.
fn php_error_line(body: &str) -> Option<String> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(concat!(
            r"<b>(Fatal error|Recoverable fatal error|Catchable fatal error|Parse error|Warning|",
            r"Notice|Deprecated|Strict Standards)</b>:\s+([^<]{1,4000}?) in ",
            r"<b>((?:/|[A-Za-z]:\\)[^<\n]{0,400}\.php)</b>(?: on line |:)<b>(\d+)</b>",
        ))
        .expect("static regex")
    });
    re.captures_iter(body).find_map(|c| {
        let at = c.get(0)?.start();
        if inside_quote(&body[..at]) {
            return None;
        }
        // An uncaught exception's message already ends its first line with `in file:line`,
        // its trace and the "thrown in" follow.
        let shown = match c[2].trim().split_once('\n') {
            Some((first, _)) => format!("{}: {}", &c[1], html_text(first.trim())),
            None => format!(
                "{}: {} in {} on line {}",
                &c[1],
                html_text(c[2].trim()),
                &c[3],
                &c[4]
            ),
        };
        Some(crate::text::clip(&shown, 240))
    })
}

/// The error line of Xdebug's error table: `<table class='xdebug-error xe-warning' ...>`, its
/// first header cell `<span ...>( ! )</span> Warning: message in /abs/path.php on line
/// <i>34</i>`, outside `<code>`/`<pre>`. Returns the line as a reader sees it, clipped.
fn xdebug_error_line(body: &str) -> Option<String> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(concat!(
            r"<table class='xdebug-error xe-[a-z-]+'[^>]{0,200}>\s*<tr>\s*<th[^>]{0,200}>\s*",
            r"<span[^>]{0,200}>\( ! \)</span>\s*(Fatal error|Recoverable fatal error|",
            r"Catchable fatal error|Parse error|Warning|Notice|Deprecated|Strict Standards):\s+",
            r"([^<]{1,4000}?) in ((?:/|[A-Za-z]:\\)[^<\n]{0,400}\.php) on line <i>(\d+)</i>",
        ))
        .expect("static regex")
    });
    re.captures_iter(body).find_map(|c| {
        if inside_quote(&body[..c.get(0)?.start()]) {
            return None;
        }
        Some(crate::text::clip(
            &format!(
                "{}: {} in {} on line {}",
                &c[1],
                html_text(c[2].trim()),
                &c[3],
                &c[4]
            ),
            240,
        ))
    })
}

/// Whether the end of `before` sits inside an open `<code>` or `<pre>` element.
fn inside_quote(before: &str) -> bool {
    let lower = before.to_ascii_lowercase();
    ["code", "pre"].iter().any(|t| {
        let open = lower
            .rfind(&format!("<{t}>"))
            .max(lower.rfind(&format!("<{t} ")));
        let close = lower.rfind(&format!("</{t}>"));
        matches!((open, close), (Some(o), c) if c.is_none_or(|c| c < o))
    })
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
        r"(?m)(?:Fatal error|Parse error|Warning)(?:</b>)?:? .+ in (?:<b>)?(?:/|[A-Za-z]:\\)[^\n<]+\.php(?:(?:</b>)? on line (?:<b>)?\d+|:\d+\b)",
        1,
        None,
    ),
    (
        "Ruby backtrace",
        r"(?m)^\s*(?:from )?[^\s:][^\n:]*\.rb:\d+:in [`']",
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

/// Keys under which JSON error bodies list their frames.
const FRAME_LIST_KEYS: &[&str] = &[
    "trace",
    "stack",
    "stacktrace",
    "stackTrace",
    "stack_trace",
    "backtrace",
    "frames",
];

/// The language of a source file, by its extension.
fn source_language(file: &str) -> Option<&'static str> {
    let ext = file.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match ext.as_str() {
        "php" => "PHP stack trace",
        "py" => "Python traceback",
        "js" | "mjs" | "cjs" | "ts" => "Node.js stack trace",
        "java" | "kt" | "scala" => "Java stack trace",
        "cs" | "vb" | "fs" => ".NET stack trace",
        "rb" => "Ruby backtrace",
        "go" => "Go panic",
        _ => return None,
    })
}

/// A list of frame objects anywhere in a JSON error body (`"trace": [{"file": "/app/x.php",
/// "line": 12, ...}, ...]`): at least two frames whose `file` is a source path (a directory
/// and a source extension) and whose `line` is a number. Returns (language, "file:line" of
/// the first frame, with its function when named).
fn json_frames(v: &serde_json::Value) -> Option<(&'static str, String)> {
    let frame = |f: &serde_json::Value| -> Option<(&'static str, String)> {
        let file = f.get("file").or_else(|| f.get("filename"))?.as_str()?;
        let line = f
            .get("line")
            .or_else(|| f.get("lineno"))
            .or_else(|| f.get("lineNumber"))?
            .as_u64()?;
        if !(file.contains('/') || file.contains('\\')) {
            return None;
        }
        let lang = source_language(file)?;
        let func = f
            .get("function")
            .and_then(|x| x.as_str())
            .filter(|x| !x.is_empty())
            .map(|x| format!(" in {x}"))
            .unwrap_or_default();
        Some((lang, format!("{file}:{line}{func}")))
    };
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                if FRAME_LIST_KEYS.contains(&k.as_str())
                    && let Some(list) = x.as_array()
                {
                    let frames: Vec<_> = list.iter().filter_map(frame).collect();
                    if frames.len() >= 2 {
                        return frames.into_iter().next();
                    }
                }
            }
            m.values().find_map(json_frames)
        }
        serde_json::Value::Array(a) => a.iter().find_map(json_frames),
        _ => None,
    }
}

/// The stack trace an error body carries: (language, the first frame line, clipped).
pub(crate) fn stack_trace(body: &str) -> Option<(&'static str, String)> {
    let text = if let Ok(v) = serde_json::from_str::<serde_json::Value>(body) {
        if let Some((lang, first)) = json_frames(&v) {
            return Some((lang, crate::text::clip(&first, 160)));
        }
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
#[derive(Debug)]
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

/// "a" or "an" before a debug page's name ("an ASP.NET ...", "an Express ...", "an Xdebug ...").
fn article(what: &str) -> &'static str {
    if what.starts_with(['A', 'E', 'I', 'O', 'U', 'X']) {
        "an"
    } else {
        "a"
    }
}

fn push_debug(sink: &Sink, subject: String, what: &str, lines: Vec<String>) {
    let f = spec::EXPOSURE_DEBUG_MODE.finding(
        subject.clone(),
        format!("{subject} shows {} {what}", article(what)),
        lines.join("; "),
    );
    sink.push(f.with_severity(debug_severity(what)));
}

/// PHP's own error lines (plain or in Xdebug's table) show a message, a server path and a line:
/// medium, like a stack trace. A debug page or dev server (a console, the settings, the source,
/// an unhardened server) keeps the catalogue's high.
fn debug_severity(what: &str) -> crate::model::Severity {
    if what == PHP_DISPLAY_ERRORS || what == XDEBUG_ERRORS {
        crate::model::Severity::Medium
    } else {
        spec::EXPOSURE_DEBUG_MODE.severity
    }
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
                        // A JSON client: frameworks answer it in JSON (Laravel's
                        // `expectsJson`), debug details included when debug is on.
                        &[
                            ("content-type", "application/json".to_string()),
                            ("accept", "application/json".to_string()),
                        ],
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
    if let Some((what, detail)) = debug_leak(r.status, &body) {
        let shape = if what == LARAVEL_DEBUG_JSON {
            "JSON"
        } else {
            "markup"
        };
        let detail = detail
            .map(|d| {
                let d = crate::text::escape_controls(&d, crate::text::Lines::Escape);
                format!(": \"{d}\"")
            })
            .unwrap_or_default();
        return Some(Leak::Debug(
            what,
            format!(
                "{probe}: {method} {} -> {} with the {shape} of {} {what} ({} bytes){detail}",
                show(&r.url),
                r.status,
                article(what),
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
    use crate::sandbox::stacks::*;

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
        let next = NEXT_DEV_PAGE;
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

    /// A response as the fetcher returns it, for `judge`.
    fn resp(status: u16, body: &str) -> Resp {
        Resp {
            url: Url::parse("https://app.example.test/launchready-x/missing").expect("url"),
            status,
            headers: Default::default(),
            body: body.as_bytes().to_vec(),
            ms: 0,
        }
    }

    #[test]
    fn laravel_ignition_page() {
        // spatie/ignition: the exception in a leading comment, the report as `window.data`, the
        // `/_ignition/` endpoints in its config.
        let page = IGNITION_PAGE;
        assert_eq!(
            debug_page(500, page),
            Some("Laravel Ignition error page (APP_DEBUG=true)")
        );
        // The production page of the same app: no class names, no Ignition.
        let prod = "<title>Server Error</title>\n<div class=\"ml-4 text-lg text-gray-500 uppercase tracking-wider\">\n    Server Error\n</div>";
        assert!(debug_page(500, prod).is_none());
        // A docs page about Ignition that names framework classes is served with 200.
        let docs = "<h1>Error pages</h1><p>Laravel ships <a href=\"/docs/ignition\">Ignition</a>; exceptions such as <code>Illuminate\\Database\\QueryException</code> are shown in it.</p>";
        assert!(debug_page(200, docs).is_none());
    }

    #[test]
    fn whoops_page() {
        let page = WHOOPS_PAGE;
        assert_eq!(
            debug_page(500, page),
            Some("Whoops error page (PHP debug mode)")
        );
        // Laravel 5's production page says "Whoops" too, in prose, without Whoops' markup.
        let prod = "<title>Whoops, looks like something went wrong.</title><div class=\"title\">Whoops, looks like something went wrong.</div>";
        assert!(debug_page(500, prod).is_none());
        // Whoops' own README quoting its title and container class, served as a page.
        let readme = "<p>The page title defaults to <code>Whoops! There was an error.</code> and the markup sits in <code>&lt;div class=\"Whoops container\"&gt;</code>.</p>";
        assert!(debug_page(200, readme).is_none());
    }

    #[test]
    fn rails_development_pages() {
        let exception = RAILS_EXCEPTION_PAGE;
        assert_eq!(
            debug_page(500, exception),
            Some("Rails development error page")
        );
        // The routing error body (the 404 an unknown path gets), as `rescues/routing_error`
        // renders it under the shared layout's title.
        let routing = RAILS_ROUTING_PAGE;
        assert_eq!(
            debug_page(404, routing),
            Some("Rails development routing error page")
        );
        assert!(
            debug_page(
                404,
                &format!("<title>Action Controller: Exception caught</title>{routing}")
            )
            .is_some()
        );
        // Production: public/404.html.
        let prod = "<title>The page you were looking for doesn't exist (404)</title><h1>The page you were looking for doesn't exist.</h1>";
        assert!(debug_page(404, prod).is_none());
        // A blog post explaining the routing error page, quoting its text, on a 200.
        assert!(debug_page(200, routing).is_none());
    }

    #[test]
    fn symfony_exception_page() {
        // The error-handler component's full page (APP_ENV=dev): a 404 for an unknown route.
        let page = SYMFONY_PAGE;
        assert_eq!(debug_page(404, page), Some("Symfony debug exception page"));
        // The production page of the same component.
        let prod = "<title>An Error Occurred: Not Found</title><div class=\"container\"><h1>Oops! An Error Occurred</h1><h2>The server returned a \"404 Not Found\".</h2></div>";
        assert!(debug_page(404, prod).is_none());
        // A tutorial quoting the template's markup, escaped, on its own 404 page.
        let tutorial = "<pre>&lt;div class=&quot;exception-message-wrapper&quot;&gt; ... &lt;table class=&quot;trace trace-as-text&quot;&gt;</pre>";
        assert!(debug_page(404, tutorial).is_none());
    }

    #[test]
    fn aspnet_detailed_error_page() {
        // The "yellow screen of death" with <customErrors mode="Off"/>.
        let page = ASPNET_PAGE;
        assert_eq!(
            debug_page(500, page),
            Some("ASP.NET detailed error page (customErrors Off)")
        );
        // The default (RemoteOnly) page remote visitors get: same heading, no details.
        let remote_only = concat!(
            "<span><H1>Server Error in '/' Application.<hr width=100% size=1 color=silver></H1>\n",
            "<h2> <i>Runtime Error</i> </h2></span>\n",
            "<b> Description: </b>An application error occurred on the server. The current custom error settings ",
            "for this application prevent the details of the application error from being viewed remotely (for security reasons).",
            "<br><br>\n<b>Details:</b> To enable the details of this specific error message to be viewable on remote machines, ",
            "please create a &lt;customErrors&gt; tag within a &quot;web.config&quot; configuration file ",
            "located in the root directory of the current web application. This &lt;customErrors&gt; tag should then have its ",
            "&quot;mode&quot; attribute set to &quot;Off&quot;.<br><br>\n",
        );
        assert!(debug_page(500, remote_only).is_none());
        assert!(stack_trace(remote_only).is_none());
        // The detailed page reproduced in a troubleshooting article, served with 200.
        assert!(debug_page(200, page).is_none());
    }

    #[test]
    fn express_development_error_handler() {
        // finalhandler's page when NODE_ENV is not "production" (Express 4).
        let page = EXPRESS_PAGE;
        assert_eq!(
            debug_page(500, page),
            Some("Express development error handler (NODE_ENV is not production)")
        );
        // The same handler in production, and its 404.
        let prod = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Error</title>\n</head>\n<body>\n<pre>Internal Server Error</pre>\n</body>\n</html>\n";
        assert!(debug_page(500, prod).is_none());
        assert!(stack_trace(prod).is_none());
        let not_found = "<title>Error</title>\n<pre>Cannot GET /launchready-x/missing</pre>";
        assert!(debug_page(404, not_found).is_none());
        // A package listing that names Express' files, on a 200.
        let listing = "<ul><li>node_modules/express/lib/router/layer.js</li><li>node_modules/express/lib/router/route.js</li></ul>";
        assert!(debug_page(200, listing).is_none());
        // Express 5 moved the router into its own package: its frames carry no `express/lib/`,
        // so the same leak is reported as a Node.js stack trace.
        let express5 = concat!(
            "<title>Error</title>\n<pre>Error: boom<br> &nbsp; &nbsp;at /app/server.js:6:9<br>",
            " &nbsp; &nbsp;at Layer.handleRequest (/app/node_modules/router/lib/layer.js:152:17)<br>",
            " &nbsp; &nbsp;at next (/app/node_modules/router/lib/route.js:157:13)</pre>",
        );
        assert!(debug_page(500, express5).is_none());
        assert_eq!(stack_trace(express5).unwrap().0, "Node.js stack trace");
    }

    #[test]
    fn dotnet_stack_trace() {
        // ASP.NET Core's developer exception page for a client that did not ask for HTML.
        let text = concat!(
            "System.InvalidOperationException: Sequence contains no elements\r\n",
            "   at System.Linq.ThrowHelper.ThrowNoElementsException()\r\n",
            "   at System.Linq.Enumerable.First[TSource](IEnumerable`1 source)\r\n",
            "   at ChatApi.Controllers.ChatController.Post(ChatRequest request) in /src/ChatApi/Controllers/ChatController.cs:line 27\r\n",
            "   at lambda_method2(Closure, Object, Object[])\r\n",
            "   at Microsoft.AspNetCore.Mvc.Infrastructure.ActionMethodExecutor.SyncActionResultExecutor.Execute(ActionContext actionContext, IActionResultTypeMapper mapper, ObjectMethodExecutor executor, Object controller, Object[] arguments)\r\n",
            "\r\nHEADERS\r\n=======\r\nAccept: */*\r\nHost: localhost:5000\r\n",
        );
        let (lang, frame) = stack_trace(text).unwrap();
        assert_eq!(lang, ".NET stack trace");
        assert_eq!(
            frame,
            "at System.Linq.ThrowHelper.ThrowNoElementsException()"
        );
        let leak = judge(&resp(500, text), "POST", "a truncated JSON body");
        assert!(matches!(leak, Some(Leak::Trace(".NET stack trace", _))));
        // The same trace quoted in a 200 troubleshooting article is not a leak.
        assert!(judge(&resp(200, text), "GET", "a configured page").is_none());
        // Prose naming an exception with a single frame is not a trace.
        let prose = "<p>A <code>NullReferenceException</code> thrown<br>   at Program.Main()<br>means a variable was never set.</p>";
        assert!(stack_trace(prose).is_none());
    }

    #[test]
    fn ruby_backtraces() {
        // Puma's low-level error handler in development.
        let puma = concat!(
            "Puma caught this error: undefined method `strip' for nil:NilClass (NoMethodError)\n",
            "/app/app.rb:14:in `block in <class:ChatApp>'\n",
            "/usr/local/bundle/gems/sinatra-3.1.0/lib/sinatra/base.rb:1706:in `call'\n",
            "/usr/local/bundle/gems/sinatra-3.1.0/lib/sinatra/base.rb:1706:in `block in compile!'\n",
        );
        let (lang, frame) = stack_trace(puma).unwrap();
        assert_eq!(lang, "Ruby backtrace");
        assert!(frame.starts_with("/app/app.rb:14:in "), "{frame}");
        // Ruby 3.4 quotes frames with a plain apostrophe and names the class.
        let ruby34 = "/app/app.rb:14:in 'ChatApp#create'\n/usr/local/bundle/gems/rack-3.1.8/lib/rack/builder.rb:281:in 'Rack::Builder#call'\n";
        assert_eq!(stack_trace(ruby34).unwrap().0, "Ruby backtrace");
        // A Rails API app in development answers errors as JSON, with app-relative and
        // gem-relative frames.
        let rails_api = concat!(
            r##"{"status":500,"error":"Internal Server Error","exception":"#<NoMethodError: undefined method `strip' for nil>","##,
            r#""traces":{"Application Trace":[{"exception_object_id":8220,"id":0,"trace":"app/controllers/chats_controller.rb:7:in `create'"}],"#,
            r#""Framework Trace":[{"exception_object_id":8220,"id":1,"trace":"actionpack (7.1.3) lib/action_controller/metal/basic_implicit_render.rb:6:in `send_action'"},"#,
            r#"{"exception_object_id":8220,"id":2,"trace":"actionpack (7.1.3) lib/abstract_controller/base.rb:224:in `process_action'"}]}}"#,
        );
        let (lang, frame) = stack_trace(rails_api).unwrap();
        assert_eq!(lang, "Ruby backtrace");
        assert!(
            frame.starts_with("app/controllers/chats_controller.rb:7:in "),
            "{frame}"
        );
        // Docs naming Ruby files and line numbers are not frames.
        let docs = "<p>Edit config/routes.rb:12 and app/models/user.rb:3<br>in the editor of your choice.</p>";
        assert!(stack_trace(docs).is_none());
        assert!(judge(&resp(200, puma), "GET", "a configured page").is_none());
    }

    #[test]
    fn php_stack_traces() {
        // An uncaught exception with display_errors on and html_errors on (PHP 8).
        let deep = concat!(
            "<br />\n<b>Fatal error</b>:  Uncaught PDOException: SQLSTATE[HY000] [2002] Connection refused in /var/www/app/src/Db.php:14\n",
            "Stack trace:\n",
            "#0 /var/www/app/src/Db.php(14): PDO-&gt;__construct('mysql:host=db;d...', 'app', Object(SensitiveParameterValue))\n",
            "#1 /var/www/app/public/index.php(22): App\\Db-&gt;connect()\n",
            "#2 {main}\n",
            "  thrown in <b>/var/www/app/src/Db.php</b> on line <b>14</b><br />\n",
        );
        let (lang, frame) = stack_trace(deep).unwrap();
        assert_eq!(lang, "PHP stack trace");
        assert!(
            frame.starts_with("#0 /var/www/app/src/Db.php(14):"),
            "{frame}"
        );
        // One frame only: the fatal-error line ends in `file:line`, and "on line" sits on the
        // "thrown in" line below it.
        let shallow = concat!(
            "<br />\n<b>Fatal error</b>:  Uncaught Exception: boom in /var/www/html/index.php:5\n",
            "Stack trace:\n#0 /var/www/html/index.php(9): fail()\n#1 {main}\n",
            "  thrown in <b>/var/www/html/index.php</b> on line <b>5</b><br />\n",
        );
        let (lang, frame) = stack_trace(shallow).unwrap();
        assert_eq!(lang, "PHP fatal error");
        assert!(frame.ends_with("in /var/www/html/index.php:5"), "{frame}");
        // The same with html_errors off (PHP-FPM logs echoed to the page).
        let plain = "PHP Fatal error:  Uncaught Exception: boom in /var/www/html/index.php:3\nStack trace:\n#0 {main}\n  thrown in /var/www/html/index.php on line 3\n";
        assert_eq!(stack_trace(plain).unwrap().0, "PHP fatal error");
        // A troubleshooting page with a "Stack trace:" heading and numbered steps.
        let howto = "<h2>Stack trace:</h2><p>#0 Read the first frame: it names the file.</p><p>#1 {main} is the entry script, /index.php.</p>";
        assert!(stack_trace(howto).is_none());
        // PHP printed that error into the page itself, so display_errors is on: a debug leak
        // whatever the status, named by PHP's own error line.
        let leak = judge(&resp(200, deep), "GET", "a configured page");
        let Some(Leak::Debug(what, ev)) = leak else {
            panic!("{leak:?}")
        };
        assert_eq!(what, PHP_DISPLAY_ERRORS);
        assert!(
            ev.contains("-> 200 with the markup of a PHP error message")
                && ev.ends_with(": \"Fatal error: Uncaught PDOException: SQLSTATE[HY000] [2002] Connection refused in /var/www/app/src/Db.php:14\""),
            "{ev}"
        );
        // The same output quoted in a troubleshooting article, escaped inside <pre>.
        let article = "<p>The log showed:</p><pre>&lt;b&gt;Fatal error&lt;/b&gt;:  Uncaught PDOException in &lt;b&gt;/var/www/app/src/Db.php&lt;/b&gt; on line &lt;b&gt;14&lt;/b&gt;</pre>";
        assert!(judge(&resp(200, article), "GET", "a configured page").is_none());
    }

    #[test]
    fn php_error_lines_are_medium_and_debug_pages_high() {
        use crate::model::Severity;
        assert_eq!(debug_severity(PHP_DISPLAY_ERRORS), Severity::Medium);
        assert_eq!(debug_severity(XDEBUG_ERRORS), Severity::Medium);
        assert_eq!(debug_severity(LARAVEL_DEBUG_JSON), Severity::High);
        assert_eq!(debug_severity(DEBUG_SIGNATURES[0].0), Severity::High);
    }

    #[test]
    fn php_display_errors_on_a_200_page() {
        // A front controller answering 200, PHP's warning printed above the page.
        let page = PHP_WARNING_PAGE;
        assert_eq!(debug_page(200, page), Some(PHP_DISPLAY_ERRORS));
        assert_eq!(
            php_error_line(page).unwrap(),
            "Warning: Undefined array key \"HTTP_ACCEPT_LANGUAGE\" in /var/www/html/includes/i18n.php on line 12"
        );
        // Every label PHP prints, the `file:line` form too, and Windows paths.
        for line in [
            "<br />\n<b>Deprecated</b>:  Creation of dynamic property Cart::$x is deprecated in <b>/srv/shop/Cart.php</b> on line <b>9</b><br />",
            "<br />\n<b>Notice</b>:  Undefined index: id in <b>C:\\inetpub\\wwwroot\\item.php</b> on line <b>3</b><br />",
            "<b>Fatal error</b>:  Uncaught Error: Class \"Redis\" not found in <b>/var/www/html/x.php</b>:<b>12</b>",
            "<br />\n<b>Parse error</b>:  syntax error, unexpected token \"}\" in <b>/var/www/html/index.php</b> on line <b>40</b><br />",
        ] {
            assert_eq!(debug_page(200, line), Some(PHP_DISPLAY_ERRORS), "{line}");
        }
        // The message is network text: control characters reach the evidence escaped.
        let hostile = "<br />\n<b>Warning</b>:  Undefined index: \u{1b}[2J\u{202e}x in <b>/var/www/a.php</b> on line <b>1</b><br />";
        let Some(Leak::Debug(_, ev)) = judge(&resp(200, hostile), "GET", "a configured page")
        else {
            panic!("no leak")
        };
        assert!(
            !ev.contains('\u{1b}') && !ev.contains('\u{202e}') && ev.contains("\\x1b[2J"),
            "{ev}"
        );
        // Look-alikes: prose mentioning a fatal error, a docs page quoting the warning inside
        // <code> (rendered bold or escaped), the plain-text form, a relative path, no line.
        for healthy in [
            "<p>A <b>Fatal error</b>: the most common cause is a missing extension in your php.ini.</p>",
            "<p>You may see <code><b>Warning</b>:  Undefined variable $x in <b>/var/www/html/index.php</b> on line <b>5</b></code> when a variable is unset.</p>",
            "<pre class=\"php\">\n<b>Warning</b>:  Division by zero in <b>/home/user/test.php</b> on line <b>2</b>\n</pre>",
            "<code>&lt;b&gt;Warning&lt;/b&gt;:  Undefined variable $x in &lt;b&gt;/var/www/html/index.php&lt;/b&gt; on line &lt;b&gt;5&lt;/b&gt;</code>",
            "<p>Warning: Undefined variable $x in /var/www/html/index.php on line 5</p>",
            "<b>Warning</b>:  Undefined variable $x in <b>includes/index.php</b> on line <b>5</b>",
            "<b>Warning</b>:  the upload in <b>/var/www/html/upload.php</b> is slow.",
            "<b>Warning</b>:  see <b>/docs/errors.html</b> on line <b>5</b>",
        ] {
            assert!(debug_page(200, healthy).is_none(), "{healthy}");
            assert!(judge(&resp(200, healthy), "GET", "a configured page").is_none());
        }
    }

    #[test]
    fn xdebug_error_tables() {
        let page = XDEBUG_PAGE;
        assert_eq!(debug_page(200, page), Some(XDEBUG_ERRORS));
        let leak = judge(&resp(200, page), "GET", "a configured page");
        let Some(Leak::Debug(_, ev)) = leak else {
            panic!("{leak:?}")
        };
        assert!(
            ev.contains("-> 200 with the markup of an Xdebug error table")
                && ev.contains("Notice: Undefined index: plan in C:\\xampp\\htdocs\\chat\\billing.php on line 27"),
            "{ev}"
        );
        // An uncaught exception on a 500, with a Unix path.
        let fatal = concat!(
            "<br />\n<font size='1'><table class='xdebug-error xe-uncaught-exception' dir='ltr' border='1' cellspacing='0' cellpadding='1'>\n",
            "<tr><th align='left' bgcolor='#f57900' colspan=\"5\"><span style='background-color: #cc0000; color: #fce94f; font-size: x-large;'>( ! )</span> ",
            "Fatal error: Uncaught TypeError: count(): Argument #1 ($value) must be of type Countable|array, null given in /var/www/html/cart.php on line <i>12</i></th></tr>\n",
        );
        assert_eq!(debug_page(500, fatal), Some(XDEBUG_ERRORS));
        // Xdebug's docs: the table escaped, or shown inside <pre>; a stylesheet naming the class.
        for healthy in [
            "<pre>&lt;table class='xdebug-error xe-notice'&gt;&lt;tr&gt;&lt;th&gt;( ! ) Notice: Undefined index: a in /var/www/x.php on line &lt;i&gt;3&lt;/i&gt;</pre>",
            &format!("<p>It looks like this:</p><pre>{page}</pre>"),
            "<style>table.xdebug-error { font-size: 12px }</style><p>( ! ) Warning: styled by Xdebug.</p>",
        ] {
            assert!(debug_page(200, healthy).is_none(), "{healthy}");
        }
    }

    #[test]
    fn laravel_debug_json() {
        let body = LARAVEL_DEBUG_JSON_BODY;
        assert_eq!(debug_page(404, body), Some(LARAVEL_DEBUG_JSON));
        let leak = judge(&resp(404, body), "POST", "a truncated JSON body");
        let Some(Leak::Debug(_, ev)) = leak else {
            panic!("{leak:?}")
        };
        assert!(
            ev.contains("-> 404 with the JSON of a Laravel debug JSON error (APP_DEBUG=true)")
                && ev.contains("Symfony\\Component\\HttpKernel\\Exception\\NotFoundHttpException at /var/www/html/vendor/laravel/framework/src/Illuminate/Routing/AbstractRouteCollection.php:44 (4 frames)"),
            "{ev}"
        );
        // An ErrorException from app code, whose trace names Ignition's middleware: the JSON
        // shape wins over the Ignition page's markers.
        let error_exception = r#"{"message":"Undefined variable $plan","exception":"ErrorException","file":"/var/www/app/Http/Controllers/ChatController.php","line":31,"trace":[{"file":"/var/www/vendor/spatie/laravel-ignition/src/Http/Middleware/RunnableSolutionsEnabled.php","line":21,"function":"handle","class":"Illuminate\\Foundation\\Bootstrap\\HandleExceptions","type":"->"}]}"#;
        assert_eq!(debug_page(500, error_exception), Some(LARAVEL_DEBUG_JSON));
        // The production answer, validation errors about an upload, an upload API naming a
        // file and a line, a trace id: none is a debug page; none is a stack trace either.
        for healthy in [
            r#"{"message":"Server Error"}"#,
            r#"{"message":"The route api/x could not be found."}"#,
            r#"{"message":"The file field must be a file of type: pdf.","errors":{"file":["The file field must be a file of type: pdf."]}}"#,
            r#"{"message":"Upload rejected: PHP files are not allowed","file":"/uploads/2026/12/shell.php","line":1}"#,
            r#"{"message":"Upload failed","exception":"UploadException","file":"invoice.pdf","line":3,"trace":"4bf92f3577b34da6a3ce929d0e0e4736"}"#,
            r#"{"message":"Upload failed","exception":"UploadException","file":"/uploads/a.php","line":3,"trace":[]}"#,
        ] {
            assert!(debug_page(500, healthy).is_none(), "{healthy}");
            assert!(stack_trace(healthy).is_none(), "{healthy}");
        }
        // The debug JSON on a 200 (an API echoing a stored error report) is not judged as one.
        assert!(debug_page(200, body).is_none());
    }

    #[test]
    fn json_frame_lists_are_stack_traces() {
        // Laravel's debug JSON without its top-level file (a serializer's own error shape),
        // Symfony's FlattenException, a Python API listing frames, Node frames.
        let php = r#"{"error":"Internal","trace":[{"file":"/var/www/src/Kernel.php","line":88,"function":"handle"},{"file":"/var/www/public/index.php","line":20,"function":"run"}]}"#;
        assert_eq!(
            stack_trace(php).unwrap(),
            (
                "PHP stack trace",
                "/var/www/src/Kernel.php:88 in handle".to_string()
            )
        );
        let py = r#"{"detail":"boom","debug":{"frames":[{"filename":"/app/api/views.py","lineno":41,"function":"post"},{"filename":"/usr/lib/python3.12/site-packages/rest_framework/views.py","lineno":506}]}}"#;
        assert_eq!(stack_trace(py).unwrap().0, "Python traceback");
        let node = r#"{"errors":[{"message":"boom","stack":[{"file":"/app/dist/server.js","line":12,"column":3},{"file":"/app/node_modules/fastify/lib/route.js","line":300}]}]}"#;
        assert_eq!(stack_trace(node).unwrap().0, "Node.js stack trace");
        let leak = judge(&resp(500, php), "POST", "a truncated JSON body");
        assert!(
            matches!(leak, Some(Leak::Trace("PHP stack trace", _))),
            "{leak:?}"
        );
        // API Platform in debug mode: a Hydra error with Symfony's frames, not a debug page.
        let hydra = API_PLATFORM_ERROR;
        assert!(debug_page(404, hydra).is_none());
        assert_eq!(
            stack_trace(hydra).unwrap(),
            (
                "PHP stack trace",
                "/srv/api/vendor/symfony/http-kernel/EventListener/RouterListener.php:127"
                    .to_string()
            )
        );
        // Look-alikes: one frame, files without a directory or a source extension, a line
        // that is not a number, a changelog's "stack" of packages.
        for healthy in [
            r#"{"trace":[{"file":"/var/www/src/Kernel.php","line":88}]}"#,
            r#"{"trace":[{"file":"Kernel.php","line":88},{"file":"index.php","line":20}]}"#,
            r#"{"stack":[{"file":"/img/logo.png","line":1},{"file":"/img/hero.jpg","line":2}]}"#,
            r#"{"stack":[{"file":"/app/a.js","line":"n/a"},{"file":"/app/b.js","line":"n/a"}]}"#,
            r#"{"stack":["react","vite","/app/a.js"]}"#,
        ] {
            assert!(stack_trace(healthy).is_none(), "{healthy}");
        }
    }

    #[test]
    fn aspnet_core_developer_exception_page() {
        let page = ASPNET_CORE_PAGE;
        assert_eq!(
            debug_page(500, page),
            Some("ASP.NET Core developer exception page (UseDeveloperExceptionPage)")
        );
        // Another locale's title: the stack tab and the raw trace still name it.
        let localised = page.replace(
            "An unhandled exception occurred while processing the request.",
            "Une exception non gérée s'est produite.",
        );
        assert!(debug_page(500, &localised).is_some());
        // The production page of the same app (UseExceptionHandler + the template's Error view).
        let prod = "<title>Error - ChatApi</title><h1 class=\"text-danger\">Error.</h1><h2 class=\"text-danger\">An error occurred while processing your request.</h2><p><strong>Request ID:</strong> <code>00-4bf92f35-01</code></p><h3>Development Mode</h3><p>Swapping to the <strong>Development</strong> environment displays detailed information about the error that occurred.</p>";
        assert!(debug_page(500, prod).is_none());
        assert!(stack_trace(prod).is_none());
        // A blog post quoting the page's heading, escaped, on its own 404; the page itself in
        // a 200 article.
        let post = "<p>The page starts with <code>&lt;h1&gt;An unhandled exception occurred while processing the request.&lt;/h1&gt;</code> and a <code>&lt;div id=\"stackpage\"&gt;</code>.</p>";
        assert!(debug_page(404, post).is_none());
        assert!(debug_page(200, page).is_none());
    }
}
