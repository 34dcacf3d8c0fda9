//! `exposure.sensitive_file`: backups, dumps, credentials, internal status pages and VCS
//! metadata that must never be downloadable.
//!
//! A curated list of high-signal paths ([`PATHS`]), each with the content that proves the file
//! is what its name says ([`Kind`]): magic bytes for binaries (zip, gzip, SQLite, `.DS_Store`,
//! HPROF heap dumps), a structural signature for text (a `[default]` profile with
//! `aws_access_key_id`, `services:` with `image:` in a compose file, `CREATE TABLE` in a dump).
//! An answer counts only when it is 2xx, differs from what two random paths answered (the SPA
//! catch-all), and carries that content: a path is never reported because it answered 200.
//!
//! Every probe goes through the shared [`Fetcher`] (per-host concurrency bound, timeouts, body
//! cap, the connection guard). One host costs at most [`BUDGET`] requests; the report states how
//! many were sent.

use super::exposure::env_keys;
use super::{Fetcher, Resp, html, random_token, show};
use crate::catalogue::http as spec;
use crate::checks::Sink;
use crate::model::Severity;
use url::Url;

/// Requests one host may receive from this probe at most (baselines included).
pub const BUDGET: usize = 60;

/// What a file must contain to count as exposed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// SQL dump: `CREATE TABLE` / `INSERT INTO ... VALUES` / `COPY ... FROM stdin`.
    SqlDump,
    /// Zip archive (`PK\x03\x04`).
    Zip,
    /// gzip stream (`\x1f\x8b\x08`), sent without a Content-Encoding.
    Gzip,
    /// SQLite database (`SQLite format 3\0`).
    Sqlite,
    /// AWS shared credentials: a `[profile]` with `aws_access_key_id`.
    AwsCredentials,
    /// `.npmrc` with a registry token or password.
    Npmrc,
    /// `.pypirc` with an index section.
    Pypirc,
    /// Docker client config with `auths`.
    DockerConfig,
    /// `.git-credentials`: `scheme://user:secret@host` lines.
    GitCredentials,
    /// `.htpasswd`: `user:hash` lines.
    Htpasswd,
    /// Docker Compose file: `services:` with `image:` or `build:`.
    Compose,
    /// Apache `mod_status` page.
    ApacheStatus,
    /// nginx `stub_status`.
    NginxStatus,
    /// Spring Boot actuator `/env`.
    ActuatorEnv,
    /// Java heap dump (`JAVA PROFILE 1.0.`).
    HeapDump,
    /// Go `net/http/pprof` index.
    Pprof,
    /// Go `expvar` JSON.
    Expvar,
    /// `phpinfo()` output.
    Phpinfo,
    /// A dotenv file (`KEY=VALUE` lines).
    Dotenv,
    /// macOS `.DS_Store` (`\0\0\0\x01Bud1`).
    DsStore,
    /// Mercurial `.hg/requires`.
    HgRequires,
    /// PHP source served as text (`<?php` with `define(` or a DB password).
    PhpSource,
    /// A private key (`-----BEGIN ... PRIVATE KEY-----`).
    PrivateKey,
    /// Terraform state (`terraform_version` and `resources`).
    TerraformState,
    /// kubeconfig (`clusters:` and `users:` with `apiVersion`).
    Kubeconfig,
    /// Google service account key (`"type": "service_account"` with `private_key`).
    ServiceAccount,
    /// Laravel log (`[YYYY-MM-DD HH:MM:SS] env.LEVEL:`).
    LaravelLog,
    /// VS Code SFTP settings with a host and a password or key.
    SftpJson,
}

/// The probed paths. `{host}` becomes the origin's host without `www.`.
pub const PATHS: &[(&str, Kind)] = &[
    ("/backup.sql", Kind::SqlDump),
    ("/dump.sql", Kind::SqlDump),
    ("/database.sql", Kind::SqlDump),
    ("/db.sql", Kind::SqlDump),
    ("/{host}.sql", Kind::SqlDump),
    ("/backup.zip", Kind::Zip),
    ("/site.zip", Kind::Zip),
    ("/{host}.zip", Kind::Zip),
    ("/backup.tar.gz", Kind::Gzip),
    ("/{host}.tar.gz", Kind::Gzip),
    ("/db.sqlite", Kind::Sqlite),
    ("/.aws/credentials", Kind::AwsCredentials),
    ("/.npmrc", Kind::Npmrc),
    ("/.pypirc", Kind::Pypirc),
    ("/.docker/config.json", Kind::DockerConfig),
    ("/.git-credentials", Kind::GitCredentials),
    ("/.htpasswd", Kind::Htpasswd),
    ("/docker-compose.yml", Kind::Compose),
    ("/docker-compose.yaml", Kind::Compose),
    ("/compose.yaml", Kind::Compose),
    ("/server-status", Kind::ApacheStatus),
    ("/nginx_status", Kind::NginxStatus),
    ("/actuator/env", Kind::ActuatorEnv),
    ("/actuator/heapdump", Kind::HeapDump),
    ("/debug/pprof/", Kind::Pprof),
    ("/debug/vars", Kind::Expvar),
    ("/phpinfo.php", Kind::Phpinfo),
    ("/info.php", Kind::Phpinfo),
    ("/.env.backup", Kind::Dotenv),
    ("/.env.bak", Kind::Dotenv),
    ("/.env.old", Kind::Dotenv),
    ("/.env.development", Kind::Dotenv),
    ("/.env.staging", Kind::Dotenv),
    ("/.env.prod", Kind::Dotenv),
    ("/.DS_Store", Kind::DsStore),
    ("/.svn/wc.db", Kind::Sqlite),
    ("/.hg/requires", Kind::HgRequires),
    ("/wp-config.php.bak", Kind::PhpSource),
    ("/id_rsa", Kind::PrivateKey),
    ("/terraform.tfstate", Kind::TerraformState),
    ("/.kube/config", Kind::Kubeconfig),
    ("/credentials.json", Kind::ServiceAccount),
    ("/storage/logs/laravel.log", Kind::LaravelLog),
    ("/.vscode/sftp.json", Kind::SftpJson),
];

/// Bytes of each answer read: every signature is in a file's head, and a host that answers every
/// path with megabytes costs 46 times this, not 46 times the body cap.
pub const PREFIX: usize = 256 * 1024;

/// Random paths fetched first: one bare, one with a file extension (some catch-alls route by
/// extension).
const BASELINES: usize = 2;

fn text(body: &[u8]) -> String {
    String::from_utf8_lossy(&body[..body.len().min(PREFIX)]).into_owned()
}

/// Lines of a text body, trimmed, without blanks and `#`/`;` comments.
fn lines(t: &str) -> impl Iterator<Item = &str> {
    t.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with(';'))
}

fn json(body: &[u8]) -> Option<serde_json::Value> {
    serde_json::from_slice(body).ok()
}

/// What `body` is, in words, when it has `kind`'s content; `None` when it does not. Never
/// quotes the content (it may hold credentials).
pub fn judge(kind: Kind, body: &[u8], encoded: bool) -> Option<String> {
    let html = html::looks_like_html(body);
    let starts = |m: &[u8]| body.starts_with(m);
    match kind {
        Kind::Zip => (starts(b"PK\x03\x04") || starts(b"PK\x05\x06"))
            .then(|| "a zip archive (PK\\x03\\x04 magic)".into()),
        // A gzip body with a Content-Encoding is a compressed page, not a .tar.gz file.
        Kind::Gzip => {
            (!encoded && starts(b"\x1f\x8b\x08")).then(|| "a gzip archive (1f 8b 08 magic)".into())
        }
        Kind::Sqlite => {
            starts(b"SQLite format 3\0").then(|| "an SQLite database (file header)".into())
        }
        Kind::DsStore => starts(b"\0\0\0\x01Bud1")
            .then(|| "a macOS .DS_Store (Bud1 magic): it lists the directory's files".into()),
        Kind::HeapDump => starts(b"JAVA PROFILE 1.0.")
            .then(|| "a Java heap dump (HPROF header): memory with secrets and sessions".into()),
        _ if html && !matches!(kind, Kind::ApacheStatus | Kind::Phpinfo | Kind::Pprof) => None,
        Kind::SqlDump => {
            let t = text(body);
            let u = t.to_ascii_uppercase();
            // Statements start lines in a dump; prose mentions them mid-sentence.
            let starting = |kw: &str| u.lines().filter(|l| l.trim_start().starts_with(kw)).count();
            let create = starting("CREATE TABLE");
            let insert = starting("INSERT INTO");
            let copy = u.contains("COPY ") && u.contains(" FROM STDIN");
            let header = u.starts_with("-- MYSQL DUMP")
                || u.contains("-- POSTGRESQL DATABASE DUMP")
                || u.starts_with("-- MARIADB DUMP");
            (header || create + insert >= 2 || copy).then(|| {
                format!("an SQL dump ({create} CREATE TABLE, {insert} INSERT INTO statement(s))")
            })
        }
        Kind::AwsCredentials => {
            let t = text(body);
            let profile = lines(&t).any(|l| l.starts_with('[') && l.ends_with(']'));
            let key =
                lines(&t).any(|l| l.split('=').next().map(str::trim) == Some("aws_access_key_id"));
            (profile && key)
                .then(|| "AWS shared credentials (a profile with aws_access_key_id)".into())
        }
        Kind::Npmrc => {
            let t = text(body);
            let all: Vec<&str> = lines(&t).collect();
            let kv = all.iter().all(|l| l.contains('='));
            let token = all.iter().any(|l| {
                let k = l.split('=').next().unwrap_or("").trim();
                k.ends_with("_authToken") || k.ends_with("_auth") || k.ends_with("_password")
            });
            (kv && token).then(|| "an .npmrc with a registry credential (_authToken/_auth)".into())
        }
        Kind::Pypirc => {
            let t = text(body);
            let section =
                lines(&t).any(|l| l == "[distutils]" || l == "[pypi]" || l == "[testpypi]");
            let cred = lines(&t).any(|l| {
                let k = l.split(['=', ':']).next().unwrap_or("").trim();
                k == "password" || k == "username"
            });
            (section && cred).then(|| "a .pypirc with index credentials".into())
        }
        Kind::DockerConfig => json(body)
            .filter(|v| v.get("auths").is_some_and(|a| a.is_object()))
            .map(|_| "a Docker client config with registry `auths`".into()),
        Kind::GitCredentials => {
            let t = text(body);
            let all: Vec<&str> = lines(&t).collect();
            let ok = !all.is_empty()
                && all.iter().all(|l| {
                    Url::parse(l).is_ok_and(|u| {
                        matches!(u.scheme(), "https" | "http")
                            && u.password().is_some_and(|p| !p.is_empty())
                    })
                });
            ok.then(|| format!("git credentials ({} URL(s) with a password)", all.len()))
        }
        Kind::Htpasswd => {
            let t = text(body);
            let all: Vec<&str> = lines(&t).collect();
            let ok = !all.is_empty()
                && all.iter().all(|l| {
                    l.split_once(':').is_some_and(|(u, h)| {
                        !u.is_empty()
                            && !u.contains(char::is_whitespace)
                            && (h.starts_with("$apr1$")
                                || h.starts_with("$2y$")
                                || h.starts_with("$2a$")
                                || h.starts_with("$2b$")
                                || h.starts_with("{SHA}")
                                || h.starts_with("$5$")
                                || h.starts_with("$6$"))
                    })
                });
            ok.then(|| format!("an .htpasswd with {} password hash(es)", all.len()))
        }
        Kind::Compose => {
            let t = text(body);
            let services = t.lines().any(|l| l.trim_end() == "services:");
            let image = t.lines().any(|l| {
                let l = l.trim_start();
                l.starts_with("image:") || l.starts_with("build:")
            });
            (services && image).then(|| "a Docker Compose file (services with image/build)".into())
        }
        Kind::ApacheStatus => {
            let t = text(body);
            (t.contains("Apache Server Status for") && t.contains("Server uptime"))
                .then(|| "Apache mod_status (clients, requested URLs, uptime)".into())
        }
        Kind::NginxStatus => {
            let t = text(body);
            (t.starts_with("Active connections:") && t.contains("server accepts handled requests"))
                .then(|| "nginx stub_status".into())
        }
        Kind::ActuatorEnv => json(body)
            .filter(|v| v.get("propertySources").is_some_and(|p| p.is_array()))
            .map(|_| {
                "Spring Boot actuator /env (property sources: configuration and secrets)".into()
            }),
        Kind::Pprof => {
            let t = text(body);
            (t.contains("/debug/pprof/") && t.contains("goroutine") && t.contains("heap"))
                .then(|| "the Go pprof index (heap, goroutine and CPU profiles)".into())
        }
        Kind::Expvar => json(body)
            .filter(|v| v.get("memstats").is_some() && v.get("cmdline").is_some())
            .map(|_| "Go expvar (command line and memory statistics)".into()),
        Kind::Phpinfo => {
            let t = text(body);
            (t.contains("<title>phpinfo()</title>")
                || (t.contains("PHP Version") && t.contains("PHP License")))
            .then(|| "phpinfo() output (configuration, paths, environment)".into())
        }
        Kind::Dotenv => env_keys(body).map(|keys| {
            let shown: Vec<&str> = keys.iter().take(12).map(String::as_str).collect();
            format!(
                "a dotenv file with {} KEY=VALUE line(s): {}{} (values not shown)",
                keys.len(),
                shown.join(", "),
                if keys.len() > shown.len() {
                    ", ..."
                } else {
                    ""
                }
            )
        }),
        Kind::HgRequires => {
            let t = text(body);
            let known = [
                "revlogv1",
                "store",
                "fncache",
                "dotencode",
                "generaldelta",
                "sparserevlog",
                "share-safe",
                "persistent-nodemap",
                "revlog-compression-zstd",
            ];
            let all: Vec<&str> = lines(&t).collect();
            (all.len() >= 2 && all.iter().all(|l| known.contains(l)))
                .then(|| "Mercurial repository metadata (.hg/requires)".into())
        }
        Kind::PhpSource => {
            let t = text(body);
            (t.trim_start().starts_with("<?php")
                && (t.contains("define(") || t.contains("DB_PASSWORD") || t.contains("$db")))
            .then(|| "PHP source served as text (configuration with credentials)".into())
        }
        Kind::PrivateKey => {
            let t = text(body);
            let t = t.trim_start();
            (t.starts_with("-----BEGIN ")
                && t.lines()
                    .next()
                    .is_some_and(|l| l.contains("PRIVATE KEY-----")))
            .then(|| "a private key (PEM)".into())
        }
        Kind::TerraformState => json(body)
            .filter(|v| v.get("terraform_version").is_some() && v.get("resources").is_some())
            .map(|_| "Terraform state (resources with their secrets)".into()),
        Kind::Kubeconfig => {
            let t = text(body);
            let top = |k: &str| t.lines().any(|l| l.starts_with(k));
            (top("apiVersion:") && top("clusters:") && top("users:"))
                .then(|| "a kubeconfig (clusters and user credentials)".into())
        }
        Kind::ServiceAccount => json(body)
            .filter(|v| {
                v.get("type").and_then(|t| t.as_str()) == Some("service_account")
                    && v.get("private_key").is_some()
            })
            .map(|_| "a Google service account key (private_key)".into()),
        Kind::LaravelLog => {
            let t = text(body);
            let re = laravel_line();
            let n = t.lines().filter(|l| re.is_match(l)).count();
            (n >= 1).then(|| format!("a Laravel log ({n} log line(s))"))
        }
        Kind::SftpJson => json(body)
            .filter(|v| {
                v.get("host").is_some()
                    && (v.get("password").is_some() || v.get("privateKeyPath").is_some())
            })
            .map(|_| "VS Code SFTP settings (host and password or key)".into()),
    }
}

fn laravel_line() -> &'static regex::Regex {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        regex::Regex::new(r"^\[\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\] \w+\.(ERROR|WARNING|INFO|DEBUG|CRITICAL|NOTICE|ALERT|EMERGENCY):")
            .expect("static regex")
    })
}

/// The origin's host without `www.`, for the `{host}` paths.
fn host_stem(origin: &Url) -> String {
    origin
        .host_str()
        .unwrap_or("site")
        .trim_start_matches("www.")
        .to_string()
}

/// The paths probed on `origin`, with `{host}` filled in.
pub fn paths_for(origin: &Url) -> Vec<(String, Kind)> {
    let stem = host_stem(origin);
    PATHS
        .iter()
        .map(|(p, k)| (p.replace("{host}", &stem), *k))
        .collect()
}

/// Probes every origin; pushes `exposure.sensitive_file`. Returns per-origin details (requests
/// sent, the budget, what the baselines answered, each hit).
pub async fn probe_origins(f: &Fetcher, origins: &[Url], sink: &Sink) -> Vec<serde_json::Value> {
    futures::future::join_all(origins.iter().map(|o| probe_origin(f, o, sink))).await
}

/// What a random path answered: status, length and digest of the (capped) body. Only these
/// are kept, so a host that answers every path with megabytes holds at most the bodies in flight.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Answer {
    status: u16,
    len: usize,
    sha256: [u8; 32],
}

impl Answer {
    fn of(r: &Resp) -> Answer {
        use sha2::{Digest, Sha256};
        Answer {
            status: r.status,
            len: r.body.len(),
            sha256: Sha256::digest(&r.body).into(),
        }
    }
}

/// What one probed path gave: `None` when the request failed, else the status and, when the
/// file is there, what it is.
type Outcome = Option<(u16, Option<(String, String)>)>;

async fn probe_origin(f: &Fetcher, origin: &Url, sink: &Sink) -> serde_json::Value {
    let paths = paths_for(origin);
    let planned = (paths.len() + BASELINES).min(BUDGET);
    let token = random_token();
    let base_paths = [
        format!("/launchready-{token}"),
        format!("/launchready-{token}.zip"),
    ];
    let baselines: Vec<Option<Answer>> =
        futures::future::join_all(base_paths.iter().map(|p| async move {
            let u = origin.join(p).ok()?;
            f.get_prefix(&u, PREFIX).await.ok().map(|r| Answer::of(&r))
        }))
        .await;
    let base_desc = baselines
        .iter()
        .zip(&base_paths)
        .map(|(b, p)| match b {
            Some(b) => format!("{p} answered {} with {} bytes", b.status, b.len),
            None => format!("{p} could not be fetched"),
        })
        .collect::<Vec<_>>()
        .join(", ");
    let room = planned.saturating_sub(BASELINES);
    let baselines = &baselines;
    // Each answer is judged as it arrives and its body dropped.
    let results: Vec<(String, Kind, Outcome)> =
        futures::future::join_all(paths.iter().take(room).map(|(p, kind)| async move {
            let outcome = match origin.join(p) {
                Ok(u) => match f.get_prefix(&u, PREFIX).await {
                    Ok(r) => Some((r.status, judge_answer(&r, *kind, baselines))),
                    Err(_) => None,
                },
                Err(_) => None,
            };
            (p.clone(), *kind, outcome)
        }))
        .await;
    let mut hits = Vec::new();
    let mut answered = baselines.iter().flatten().count();
    let mut failed = 0usize;
    for (path, kind, outcome) in results {
        let Some((_, verdict)) = outcome else {
            failed += 1;
            continue;
        };
        answered += 1;
        let Some((url, line)) = verdict else {
            continue;
        };
        let mut finding = spec::EXPOSURE_SENSITIVE_FILE.finding(
            url.clone(),
            format!("{url} is publicly served"),
            format!(
                "{line}; random paths: {base_desc}; {planned} requests to this host for sensitive files (budget {BUDGET})"
            ),
        );
        // A .DS_Store lists file names only: serious, but not a leak of data by itself.
        if kind == Kind::DsStore {
            finding = finding.with_severity(Severity::Medium);
        }
        sink.push(finding);
        hits.push(path);
    }
    serde_json::json!({
        "requests": planned,
        "budget": BUDGET,
        "answered": answered,
        "failed": failed,
        "baseline": base_desc,
        "found": hits,
    })
}

/// The verdict on one answer: (URL, evidence line) when it is the file.
fn judge_answer(r: &Resp, kind: Kind, baselines: &[Option<Answer>]) -> Option<(String, String)> {
    if !(200..300).contains(&r.status) {
        return None;
    }
    // The catch-all answers every path with the same body: that is not the file.
    let a = Answer::of(r);
    if baselines
        .iter()
        .flatten()
        .any(|b| (200..300).contains(&b.status) && b.len == a.len && b.sha256 == a.sha256)
    {
        return None;
    }
    let encoded = r
        .header("content-encoding")
        .is_some_and(|e| !e.eq_ignore_ascii_case("identity"));
    let what = judge(kind, &r.body, encoded)?;
    Some((
        show(&r.url),
        format!(
            "GET {} -> {} with {} bytes: {what}",
            show(&r.url),
            r.status,
            r.body.len()
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_fits_the_budget() {
        assert!(PATHS.len() + BASELINES <= BUDGET);
        assert!(PATHS.len() >= 40, "{}", PATHS.len());
        let u = Url::parse("https://www.acme.example/").unwrap();
        let p = paths_for(&u);
        assert!(p.iter().any(|(p, _)| p == "/acme.example.zip"));
        let mut seen = std::collections::HashSet::new();
        assert!(
            p.iter().all(|(p, _)| seen.insert(p.clone())),
            "duplicate path"
        );
    }

    #[test]
    fn binaries_by_magic_bytes() {
        assert!(judge(Kind::Zip, b"PK\x03\x04\x14\x00rest", false).is_some());
        assert!(judge(Kind::Zip, b"<!doctype html><html>", false).is_none());
        assert!(judge(Kind::Gzip, b"\x1f\x8b\x08\x00rest", false).is_some());
        // A gzip-encoded page is not a .tar.gz.
        assert!(judge(Kind::Gzip, b"\x1f\x8b\x08\x00rest", true).is_none());
        assert!(judge(Kind::Sqlite, b"SQLite format 3\0....", false).is_some());
        assert!(judge(Kind::DsStore, b"\0\0\0\x01Bud1\0\0", false).is_some());
        assert!(judge(Kind::HeapDump, b"JAVA PROFILE 1.0.2\0", false).is_some());
    }

    #[test]
    fn text_files_by_structure_not_by_name() {
        let dump = b"-- MySQL dump 10.13\n--\nCREATE TABLE `users` (\n  `id` int\n);\nINSERT INTO `users` VALUES (1);\n";
        assert!(judge(Kind::SqlDump, dump, false).is_some());
        assert!(
            judge(
                Kind::SqlDump,
                b"<p>How to write CREATE TABLE and INSERT INTO</p>",
                false
            )
            .is_none()
        );
        assert!(judge(Kind::SqlDump, b"Use CREATE TABLE to make a table.", false).is_none());
        let aws = b"[default]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = x\n";
        assert!(judge(Kind::AwsCredentials, aws, false).is_some());
        assert!(
            judge(
                Kind::AwsCredentials,
                b"aws_access_key_id is a setting",
                false
            )
            .is_none()
        );
        assert!(
            judge(
                Kind::Npmrc,
                b"//registry.npmjs.org/:_authToken=npm_x\n",
                false
            )
            .is_some()
        );
        assert!(
            judge(
                Kind::Npmrc,
                b"registry=https://registry.npmjs.org/\n",
                false
            )
            .is_none()
        );
        let compose = b"version: '3'\nservices:\n  db:\n    image: postgres:16\n";
        assert!(judge(Kind::Compose, compose, false).is_some());
        assert!(judge(Kind::Compose, b"Our services: consulting", false).is_none());
        assert!(judge(Kind::Htpasswd, b"admin:$apr1$abc$def\n", false).is_some());
        assert!(judge(Kind::Htpasswd, b"Not Found\n", false).is_none());
        assert!(
            judge(
                Kind::GitCredentials,
                b"https://bob:ghp_x@github.com\n",
                false
            )
            .is_some()
        );
        assert!(judge(Kind::Dotenv, b"DB_PASSWORD=x\nAPI_KEY=y\n", false).is_some());
        assert!(judge(Kind::Dotenv, b"<!doctype html><html><head>", false).is_none());
        assert!(
            judge(
                Kind::ActuatorEnv,
                br#"{"activeProfiles":[],"propertySources":[{"name":"server.ports"}]}"#,
                false
            )
            .is_some()
        );
        assert!(judge(Kind::ActuatorEnv, br#"{"status":"UP"}"#, false).is_none());
        assert!(
            judge(
                Kind::Phpinfo,
                b"<html><head><title>phpinfo()</title>",
                false
            )
            .is_some()
        );
        let status = b"<html><head><title>Apache Status</title></head><body><h1>Apache Server Status for acme</h1><dl><dt>Server uptime: 3 days</dt>";
        assert!(judge(Kind::ApacheStatus, status, false).is_some());
        // A customer-facing status page is not mod_status.
        assert!(
            judge(
                Kind::ApacheStatus,
                b"<!doctype html><html><head><title>Status</title></head><body>All systems operational</body></html>",
                false
            )
            .is_none()
        );
        assert!(
            judge(
                Kind::HgRequires,
                b"dotencode\nfncache\nrevlogv1\nstore\n",
                false
            )
            .is_some()
        );
        assert!(judge(Kind::HgRequires, b"store\n", false).is_none());
        assert!(
            judge(
                Kind::PrivateKey,
                b"-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n",
                false
            )
            .is_some()
        );
        assert!(
            judge(
                Kind::LaravelLog,
                b"[2026-11-30 12:00:01] production.ERROR: SQLSTATE[HY000]\n",
                false
            )
            .is_some()
        );
        assert!(
            judge(
                Kind::PhpSource,
                b"<?php\ndefine('DB_PASSWORD', 'x');\n",
                false
            )
            .is_some()
        );
    }
}
