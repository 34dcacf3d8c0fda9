//! The sandbox's debug leaks and sensitive files for the `http` check.
//!
//! Broken site, one framework per name:
//! - `debug.acme-broken.test`: Django with `DEBUG = True` (its technical 404 page for any unknown
//!   path): `exposure.debug_mode`.
//! - `flask.acme-broken.test`: Flask in debug mode (the Werkzeug debugger on a 500 to a bad
//!   POST; its plain 404 page otherwise): `exposure.debug_mode`.
//! - `vite.acme-broken.test`: the Vite dev server (every path answers its index with
//!   `/@vite/client`): `exposure.debug_mode`.
//! - `trace.acme-broken.test`: a Python traceback in the 500 to a broken URL escape and a
//!   Node.js stack in the JSON 500 to truncated JSON: `exposure.stack_trace`.
//! - `www.acme-broken.test` (otherwise an SPA catch-all): a MySQL dump, a zip of the site, AWS
//!   credentials, a compose file, Apache's server-status, Spring's actuator env, Go's pprof
//!   index, phpinfo, a staging dotenv and a `.DS_Store`: `exposure.sensitive_file`; and two
//!   files that must not count: an `.npmrc` without a credential and a forbidden `.htpasswd`.
//!
//! The healthy look-alikes (a blog post quoting a traceback, an API 4xx that mentions tracebacks
//! in words) live in `http.rs`'s healthy routes and are built here. Fake credentials are derived
//! at run time.

use super::http::fake;
use super::web::{Canned, Req};

/// Extra records for the broken zone.
pub const BROKEN_RECORDS: &str = "
debug A 127.0.0.1
flask A 127.0.0.1
vite A 127.0.0.1
trace A 127.0.0.1
";

/// The broken subdomains this module serves (for the broken config's `subdomains`).
pub const BROKEN_SUBDOMAINS: &[&str] = &["debug", "flask", "vite", "trace"];

const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// The paths of `www.acme-broken.test` that serve a sensitive file.
pub const BROKEN_FILES: &[&str] = &[
    "/backup.sql",
    "/backup.zip",
    "/.aws/credentials",
    "/docker-compose.yml",
    "/server-status",
    "/actuator/env",
    "/debug/pprof/",
    "/phpinfo.php",
    "/.env.staging",
    "/.DS_Store",
];

/// The fake AWS secret in the served `.aws/credentials` (tests search reports for it).
pub fn aws_secret() -> String {
    fake("", "launchready sandbox aws secret", ALNUM, 40)
}

/// The fake database password in the served SQL dump and compose file.
pub fn dump_password() -> String {
    fake("", "launchready sandbox dump password", ALNUM, 24)
}

fn text(status: u16, media: &str, body: impl Into<bytes::Bytes>) -> Canned {
    Canned::new(status, body).header("content-type", media)
}

/// Routes of this module, or `None` for everything else.
pub fn route(req: &Req) -> Option<Canned> {
    if !req.tls {
        return None;
    }
    let path = req.path.split('?').next().unwrap_or("/");
    let post = req.method == "POST";
    Some(match req.host.as_str() {
        "www.acme-broken.test" => broken_file(path)?,
        "debug.acme-broken.test" => match path {
            "/" => text(200, "text/html; charset=utf-8", "<h1>Acme admin</h1>"),
            _ => text(404, "text/html; charset=utf-8", django_404(path)),
        },
        "flask.acme-broken.test" => match (post, path) {
            (true, _) => text(500, "text/html; charset=utf-8", werkzeug_debugger()),
            (false, "/") => text(200, "text/html; charset=utf-8", "<h1>Acme API</h1>"),
            (false, _) => text(
                404,
                "text/html; charset=utf-8",
                "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n\
<p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>\n",
            ),
        },
        "vite.acme-broken.test" => match post {
            true => text(404, "text/plain", "Not Found"),
            false => text(200, "text/html", vite_index()),
        },
        "trace.acme-broken.test" => {
            if post {
                text(500, "application/json", node_json_error())
            } else if req.path.contains("%E0%A4%A") {
                text(500, "text/plain; charset=utf-8", python_traceback())
            } else if path == "/" {
                text(200, "text/html; charset=utf-8", "<h1>Acme chat API</h1>")
            } else {
                text(404, "application/json", "{\"error\":\"not found\"}")
            }
        }
        _ => return None,
    })
}

fn broken_file(path: &str) -> Option<Canned> {
    let pw = dump_password();
    Some(match path {
        "/backup.sql" => text(
            200,
            "application/sql",
            format!(
                "-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)\n--\n-- Host: localhost    Database: acme\n\
CREATE TABLE `users` (\n  `id` int NOT NULL AUTO_INCREMENT,\n  `email` varchar(255) NOT NULL,\n  `password_hash` varchar(255) NOT NULL,\n  PRIMARY KEY (`id`)\n);\n\
INSERT INTO `users` VALUES (1,'ana@acme-broken.test','$2y$10${pw}');\n"
            ),
        ),
        "/backup.zip" => {
            let mut z = b"PK\x03\x04\x14\x00\x00\x00\x00\x00".to_vec();
            z.extend_from_slice(&[0u8; 16]);
            z.extend_from_slice(b"\x09\x00\x00\x00index.php<?php echo 1;");
            text(200, "application/zip", z)
        }
        "/.aws/credentials" => text(
            200,
            "text/plain",
            format!(
                "[default]\naws_access_key_id = {}\naws_secret_access_key = {}\nregion = eu-west-1\n",
                fake(
                    &["AK", "IA"].concat(),
                    "launchready sandbox aws id",
                    b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567",
                    16
                ),
                aws_secret()
            ),
        ),
        "/docker-compose.yml" => text(
            200,
            "application/x-yaml",
            format!(
                "services:\n  app:\n    build: .\n    ports:\n      - \"80:3000\"\n  db:\n    image: mysql:8\n    environment:\n      MYSQL_ROOT_PASSWORD: {pw}\n"
            ),
        ),
        "/server-status" => text(
            200,
            "text/html; charset=ISO-8859-1",
            "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 3.2 Final//EN\">\n<html><head>\n<title>Apache Status</title>\n</head><body>\n\
<h1>Apache Server Status for www.acme-broken.test (via 127.0.0.1)</h1>\n<dl><dt>Server Version: Apache/2.4.58 (Ubuntu)</dt>\n\
<dt>Server uptime:  3 days 4 hours 12 minutes</dt>\n<dt>12 requests currently being processed</dt></dl>\n\
<table><tr><td>203.0.113.7</td><td>GET /account?session=... HTTP/1.1</td></tr></table></body></html>\n",
        ),
        "/actuator/env" => text(
            200,
            "application/vnd.spring-boot.actuator.v3+json",
            "{\"activeProfiles\":[\"prod\"],\"propertySources\":[{\"name\":\"systemEnvironment\",\"properties\":{\"DB_PASSWORD\":{\"value\":\"******\"}}}]}",
        ),
        "/debug/pprof/" => text(
            200,
            "text/html; charset=utf-8",
            "<html>\n<head>\n<title>/debug/pprof/</title>\n</head>\n<body>\n/debug/pprof/<br>\n<p>Set debug=1 as a query parameter to export in legacy text format</p>\n\
Types of profiles available:\n<table>\n<tr><td>12</td><td><a href='allocs?debug=1'>allocs</a></td></tr>\n<tr><td>7</td><td><a href='goroutine?debug=1'>goroutine</a></td></tr>\n\
<tr><td>12</td><td><a href='heap?debug=1'>heap</a></td></tr>\n</table>\n<a href=\"goroutine?debug=2\">full goroutine stack dump</a>\n</body>\n</html>\n",
        ),
        "/phpinfo.php" => text(
            200,
            "text/html; charset=UTF-8",
            "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\">\n<html xmlns=\"http://www.w3.org/1999/xhtml\"><head>\n<title>phpinfo()</title></head>\n\
<body><div class=\"center\"><h1 class=\"p\">PHP Version 7.4.3</h1><h2>PHP License</h2></div></body></html>\n",
        ),
        "/.env.staging" => text(
            200,
            "text/plain",
            format!("APP_ENV=staging\nDB_PASSWORD={pw}\nMAIL_HOST=smtp.acme-broken.test\n"),
        ),
        "/.DS_Store" => {
            let mut d = b"\x00\x00\x00\x01Bud1\x00\x00\x10\x00".to_vec();
            d.extend_from_slice(&[0u8; 32]);
            d.extend_from_slice("b\0a\0c\0k\0u\0p\0.\0s\0q\0l".as_bytes());
            text(200, "application/octet-stream", d)
        }
        // Must not count: an .npmrc with no credential, and a forbidden .htpasswd.
        "/.npmrc" => text(
            200,
            "text/plain",
            "registry=https://registry.npmjs.org/\nsave-exact=true\n",
        ),
        "/.htpasswd" => text(403, "text/html", "<h1>403 Forbidden</h1>"),
        _ => return None,
    })
}

fn django_404(path: &str) -> String {
    let path = path.replace(['<', '>', '&'], "");
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n  <meta http-equiv=\"content-type\" content=\"text/html; charset=utf-8\">\n\
  <title>Page not found at {path}</title>\n</head>\n<body>\n<div id=\"summary\">\n  <h1>Page not found <span>(404)</span></h1>\n\
  <table class=\"meta\"><tr><th>Request Method:</th><td>GET</td></tr><tr><th>Request URL:</th><td>https://debug.acme-broken.test{path}</td></tr></table>\n</div>\n\
<div id=\"info\">\n  <p>Using the URLconf defined in <code>acme.urls</code>, Django tried these URL patterns, in this order:</p>\n\
  <ol><li>admin/</li><li>api/</li></ol>\n</div>\n<div id=\"explanation\">\n\
  <p>You\u{2019}re seeing this error because you have <code>DEBUG = True</code> in your Django settings file. Change that to <code>False</code>, and Django will display a standard 404 page.</p>\n\
</div>\n</body>\n</html>\n"
    )
}

fn werkzeug_debugger() -> String {
    "<!doctype html>\n<html lang=en>\n  <head>\n    <title>json.decoder.JSONDecodeError: Expecting value: line 1 column 22 (char 21) // Werkzeug Debugger</title>\n\
    <link rel=\"stylesheet\" href=\"?__debugger__=yes&amp;cmd=resource&amp;f=style.css\">\n\
    <script src=\"?__debugger__=yes&amp;cmd=resource&amp;f=debugger.js\"></script>\n\
    <script>\n      var CONSOLE_MODE = false,\n          EVALEX = true,\n          EVALEX_TRUSTED = false,\n          SECRET = \"sandboxsecret\";\n    </script>\n\
  </head>\n  <body style=\"background-color: #fff\">\n    <div class=\"debugger\">\n<h1>json.decoder.JSONDecodeError</h1>\n\
<div class=\"traceback\">\n  <h3>Traceback <em>(most recent call last)</em></h3>\n  <ul><li><div class=\"frame\" id=\"frame-1\">\n\
  <h4>File <cite class=\"filename\">\"/srv/acme/app.py\"</cite>,\n      line <em class=\"line\">41</em>,\n      in <code class=\"function\">chat</code></h4>\n\
</div></li></ul>\n</div>\n<div class=\"footer\">\n  Brought to you by <strong class=\"arthur\">DON'T PANIC</strong>, your\n  friendly Werkzeug powered traceback interpreter.\n</div>\n\
</div>\n  </body>\n</html>\n"
        .to_string()
}

fn vite_index() -> String {
    "<!doctype html>\n<html lang=\"en\">\n  <head>\n    <script type=\"module\" src=\"/@vite/client\"></script>\n\n\
    <meta charset=\"UTF-8\" />\n    <title>Acme Chat</title>\n  </head>\n  <body>\n    <div id=\"root\"></div>\n\
    <script type=\"module\" src=\"/src/main.tsx\"></script>\n  </body>\n</html>\n"
        .to_string()
}

fn python_traceback() -> String {
    "Internal Server Error\n\nTraceback (most recent call last):\n\
  File \"/usr/lib/python3/dist-packages/gunicorn/workers/sync.py\", line 135, in handle\n    self.handle_request(listener, req, client, addr)\n\
  File \"/srv/acme/app.py\", line 88, in route\n    path = unquote(environ['RAW_URI'], errors='strict')\n\
UnicodeDecodeError: 'utf-8' codec can't decode bytes in position 0-1: invalid continuation byte\n"
        .to_string()
}

fn node_json_error() -> String {
    serde_json::json!({
        "error": "Unexpected end of JSON input",
        "stack": "SyntaxError: Unexpected end of JSON input\n    at JSON.parse (<anonymous>)\n    at parse (/srv/acme/node_modules/body-parser/lib/types/json.js:92:19)\n    at /srv/acme/node_modules/body-parser/lib/read.js:128:18\n    at invokeCallback (/srv/acme/node_modules/raw-body/index.js:238:16)",
    })
    .to_string()
}

/// The healthy blog post that talks about tracebacks, quotes one, quotes the Django debug
/// sentence and shows a dev-server script tag as text: none of it is a leak.
pub fn blog_post() -> String {
    "<!doctype html><html><head><title>Reading a Python traceback - Acme blog</title></head><body>\
<article><h1>How to read a Traceback</h1>\
<p>When your app fails, Python prints a <em>Traceback (most recent call last)</em>. Read it from the bottom up:</p>\
<pre><code>Traceback (most recent call last):\n  File \"app.py\", line 3, in &lt;module&gt;\n    main()\nZeroDivisionError: division by zero</code></pre>\
<p>Django says \u{201c}You\u{2019}re seeing this error because you have <code>DEBUG = True</code> in your Django settings file\u{201d}: never ship that.</p>\
<p>A dev server page starts with <code>&lt;script type=\"module\" src=\"/@vite/client\"&gt;&lt;/script&gt;</code>; a production build does not.</p>\
</article></body></html>"
        .to_string()
}

/// The healthy API's answer to a bad request: a 4xx that mentions tracebacks, without one.
pub fn healthy_api_error() -> String {
    "{\"error\":\"invalid request\",\"message\":\"We never show a Traceback or stack trace; quote request id r-7f3a when you contact support.\"}".to_string()
}
