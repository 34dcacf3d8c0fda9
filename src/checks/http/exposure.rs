//! `exposure.*` and the static-asset findings: files that must never be public (`/.env`,
//! `/.git/`), public source maps, secrets shipped in JavaScript bundles, and the caching and
//! compression of same-site JS/CSS.
//!
//! Many apps answer every path with their SPA shell and 200, so a probe is judged by content
//! (KEY=VALUE lines, a `[core]` section, `ref: refs/`), never by status alone, and compared with
//! the answer to a random path fetched first: a false positive here destroys trust.

use super::headers::{PageResult, compression_gap, parse_cache_control};
use super::{Fetcher, Ports, Resp, html, random_token, show};
use crate::catalogue::http as spec;
use crate::checks::Sink;
use crate::checks::secrets::{Engine, SecretSeverity};
use std::sync::OnceLock;
use url::Url;

/// Same-site scripts fetched per audit at most.
const MAX_SCRIPTS: usize = 30;
/// Same-site stylesheets fetched per audit at most.
const MAX_STYLES: usize = 15;

/// The probed paths: (path, what it is).
pub const PROBES: &[(&str, Probe)] = &[
    ("/.env", Probe::Env),
    ("/.env.production", Probe::Env),
    ("/.env.local", Probe::Env),
    ("/.git/config", Probe::GitConfig),
    ("/.git/HEAD", Probe::GitHead),
];

/// What a probed file must contain to count as exposed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Probe {
    /// dotenv: KEY=VALUE lines.
    Env,
    /// `.git/config`: a `[core]` section.
    GitConfig,
    /// `.git/HEAD`: `ref: refs/...` or a commit id.
    GitHead,
}

/// Variable names of a dotenv body, when it is one: every meaningful line is `KEY=VALUE` (or
/// `export KEY=VALUE`), with at least one such line, and it is not HTML.
pub fn env_keys(body: &[u8]) -> Option<Vec<String>> {
    if html::looks_like_html(body) || body.contains(&0) {
        return None;
    }
    let text = String::from_utf8_lossy(body);
    let mut keys = Vec::new();
    let mut other = 0usize;
    for line in text.lines() {
        let l = line.trim();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        let l = l.strip_prefix("export ").unwrap_or(l);
        match l.split_once('=') {
            Some((k, _))
                if !k.trim().is_empty()
                    && k.trim()
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
                    && !k.trim().starts_with(|c: char| c.is_ascii_digit()) =>
            {
                keys.push(k.trim().to_string())
            }
            _ => other += 1,
        }
    }
    // A few stray lines (multi-line values) are fine; mostly-other text is not a dotenv file.
    (!keys.is_empty() && other <= keys.len()).then_some(keys)
}

/// True for a `.git/config` body.
pub fn is_git_config(body: &[u8]) -> bool {
    !html::looks_like_html(body)
        && String::from_utf8_lossy(body)
            .lines()
            .any(|l| l.trim().eq_ignore_ascii_case("[core]"))
}

/// True for a `.git/HEAD` body.
pub fn is_git_head(body: &[u8]) -> bool {
    let t = String::from_utf8_lossy(body);
    let t = t.trim();
    t.starts_with("ref: refs/")
        || (t.len() == 40 && t.chars().all(|c| c.is_ascii_hexdigit()))
        || (t.len() == 64 && t.chars().all(|c| c.is_ascii_hexdigit()))
}

/// Probes every origin; pushes `exposure.env_file` / `exposure.git_dir`. Returns details.
pub async fn probe_origins(f: &Fetcher, origins: &[Url], sink: &Sink) -> serde_json::Value {
    let per_origin =
        futures::future::join_all(origins.iter().map(|o| probe_origin(f, o, sink))).await;
    serde_json::Value::Array(per_origin)
}

async fn probe_origin(f: &Fetcher, origin: &Url, sink: &Sink) -> serde_json::Value {
    let Ok(baseline_url) = origin.join(&format!("/{}-launchready-probe", random_token())) else {
        return serde_json::Value::Null;
    };
    let baseline = f.get(&baseline_url, &[]).await.ok();
    let base_desc = match &baseline {
        Some(b) => format!(
            "a random path ({}) answered {} with {} bytes",
            b.url.path(),
            b.status,
            b.body.len()
        ),
        None => "a random path could not be fetched".to_string(),
    };
    let results = futures::future::join_all(PROBES.iter().map(|(p, kind)| async move {
        let u = origin.join(p).ok()?;
        let r = f.get(&u, &[]).await.ok()?;
        Some((*p, *kind, r))
    }))
    .await;
    let mut git_lines = Vec::new();
    let mut seen = Vec::new();
    for (path, kind, r) in results.into_iter().flatten() {
        seen.push(serde_json::json!({"path": path, "status": r.status, "bytes": r.body.len()}));
        if !(200..300).contains(&r.status) {
            continue;
        }
        // The SPA catch-all answers every path with the same shell: same body = not the file.
        if baseline
            .as_ref()
            .is_some_and(|b| (200..300).contains(&b.status) && b.body == r.body)
        {
            continue;
        }
        match kind {
            Probe::Env => {
                if let Some(keys) = env_keys(&r.body) {
                    let shown: Vec<&str> = keys.iter().take(12).map(String::as_str).collect();
                    sink.push(spec::EXPOSURE_ENV_FILE.finding(
                        show(&r.url),
                        format!("{} is publicly served", show(&r.url)),
                        format!(
                            "GET {} -> {} with {} KEY=VALUE line(s): {}{} (values not shown); {base_desc}",
                            show(&r.url),
                            r.status,
                            keys.len(),
                            shown.join(", "),
                            if keys.len() > shown.len() { ", ..." } else { "" }
                        ),
                    ));
                }
            }
            Probe::GitConfig if is_git_config(&r.body) => git_lines.push(format!(
                "GET {} -> {} with a [core] section ({} bytes)",
                show(&r.url),
                r.status,
                r.body.len()
            )),
            Probe::GitHead if is_git_head(&r.body) => {
                let head = String::from_utf8_lossy(&r.body);
                let head = head.trim();
                git_lines.push(format!(
                    "GET {} -> {}: {:?}",
                    show(&r.url),
                    r.status,
                    crate::text::clip(head, 80)
                ))
            }
            _ => {}
        }
    }
    if !git_lines.is_empty() {
        let subject = origin.join("/.git/").map(|u| show(&u)).unwrap_or_default();
        sink.push(spec::EXPOSURE_GIT_DIR.finding(
            subject.clone(),
            format!("{subject} is publicly served: the source and its history can be downloaded"),
            format!("{}; {base_desc}", git_lines.join("; ")),
        ));
    }
    serde_json::json!({"origin": super::origin(origin), "baseline": base_desc, "probes": seen})
}

/// `sourceMappingURL` of a script: the SourceMap / X-SourceMap header, else the last
/// `//# sourceMappingURL=` comment.
pub fn source_map_ref(r: &Resp) -> Option<String> {
    if let Some(h) = r.header("sourcemap").or_else(|| r.header("x-sourcemap")) {
        return Some(h.trim().to_string());
    }
    let text = String::from_utf8_lossy(&r.body[r.body.len().saturating_sub(64 * 1024)..]);
    let idx = text.rfind("sourceMappingURL=")?;
    let before = &text[..idx];
    let prefix_ok = ["//# ", "//@ ", "/*# ", "/*@ "]
        .iter()
        .any(|p| before.ends_with(p));
    if !prefix_ok {
        return None;
    }
    let rest = &text[idx + "sourceMappingURL=".len()..];
    let v: String = rest
        .chars()
        .take_while(|c| !c.is_whitespace() && *c != '*')
        .collect();
    (!v.is_empty()).then_some(v)
}

/// A parsed source map: (source name, content) pairs, when the body is one (`version` and
/// `mappings` or `sections`).
pub fn parse_source_map(body: &[u8]) -> Option<Vec<(String, String)>> {
    let v: serde_json::Value = serde_json::from_slice(body).ok()?;
    let obj = v.as_object()?;
    if !obj.contains_key("version")
        || !(obj.contains_key("mappings") || obj.contains_key("sections"))
    {
        return None;
    }
    let names: Vec<String> = obj
        .get("sources")
        .and_then(|s| s.as_array())
        .map(|a| {
            a.iter()
                .map(|x| x.as_str().unwrap_or("?").to_string())
                .collect()
        })
        .unwrap_or_default();
    let contents = obj
        .get("sourcesContent")
        .and_then(|s| s.as_array())
        .cloned()
        .unwrap_or_default();
    Some(
        contents
            .iter()
            .enumerate()
            .filter_map(|(i, c)| {
                Some((
                    names
                        .get(i)
                        .cloned()
                        .unwrap_or_else(|| format!("sources[{i}]")),
                    c.as_str()?.to_string(),
                ))
            })
            .collect(),
    )
}

/// One secret found in public JavaScript.
#[derive(Debug, Clone)]
pub struct BundleSecret {
    /// `secret.<rule>` id of the rule that matched.
    pub rule_id: String,
    /// Rule title.
    pub title: String,
    /// Redacted value.
    pub redacted: String,
    /// Byte offset in the scanned text.
    pub offset: usize,
    /// 1-based line.
    pub line: usize,
    /// sha256 of the secret (for cross-referencing with the repo scan).
    pub sha256: String,
    /// Severity in a public bundle: the rule's own (a Stripe test key stays low), except keys
    /// that are public by design.
    pub severity: crate::finding::Severity,
}

/// The secret engine, compiled once per process (the same built-in rules as the repo scan).
pub(crate) fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(Engine::builtin)
}

/// Google API keys (`AIza…`) are meant to ship in browser code (Maps, Firebase web config):
/// in a bundle they are a low finding (restrict them by HTTP referrer and API), not a leak.
/// Every other rule keeps its own severity.
fn bundle_severity(rule_id: &str, s: SecretSeverity) -> crate::finding::Severity {
    use crate::finding::Severity;
    if rule_id == "secret.google_api_key" {
        return Severity::Low;
    }
    s.into()
}

/// Scans one body for secrets with the secret engine (the `secrets` check's rules).
pub fn scan_secrets(body: &[u8], source: &str) -> Vec<BundleSecret> {
    engine()
        .scan(body, source)
        .into_iter()
        // An entropy guess inside minified code is mostly noise; provider-shaped keys are not.
        .filter(|m| m.rule_id != "secret.generic_high_entropy")
        .map(|m| BundleSecret {
            severity: bundle_severity(&m.rule_id, m.severity),
            rule_id: m.rule_id,
            title: m.title,
            redacted: m.redacted,
            offset: m.offset,
            line: m.line,
            sha256: m.secret_sha256,
        })
        .collect()
}

/// [`scan_secrets`] on a blocking thread: compiling the rules and scanning a 2 MiB bundle is CPU
/// work that must not stall the other requests.
async fn scan_off_runtime(body: Vec<u8>, source: String) -> Vec<BundleSecret> {
    tokio::task::spawn_blocking(move || scan_secrets(&body, &source))
        .await
        .unwrap_or_default()
}

/// Marker in a fingerprint key: `exposure.secret_in_bundle` keys end in `:sha256:<hex>`.
const SHA_MARK: &str = ":sha256:";

fn push_secret(sink: &Sink, subject: &str, whereabouts: &str, s: &BundleSecret) {
    let mut f = spec::EXPOSURE_SECRET_IN_BUNDLE.finding(
        subject.to_string(),
        format!("{} shipped in public JavaScript", s.title),
        format!(
            "{} ({}) {} at byte offset {}, line {}",
            s.redacted, s.rule_id, whereabouts, s.offset, s.line
        ),
    );
    f.fingerprint_key = Some(format!("{subject}{SHA_MARK}{}", s.sha256));
    sink.push(f.with_severity(s.severity));
}

/// Fetches the same-site scripts and stylesheets of the pages: `http.static_not_cached`,
/// `exposure.source_map`, `exposure.secret_in_bundle`. Returns (details, compression lines).
pub async fn check_assets(
    f: &Fetcher,
    ports: &Ports,
    pages: &[PageResult],
    sink: &Sink,
) -> (serde_json::Value, Vec<String>) {
    let mut scripts: Vec<Url> = Vec::new();
    let mut styles: Vec<Url> = Vec::new();
    for p in pages {
        let Some(h) = &p.html else { continue };
        let base = h
            .base
            .as_deref()
            .and_then(|b| p.url.join(b).ok())
            .unwrap_or_else(|| p.url.clone());
        for (kind, raw) in &h.refs {
            let Ok(mut u) = base.join(raw) else { continue };
            if !matches!(u.scheme(), "http" | "https")
                || !ports.in_target(u.host_str().unwrap_or(""))
            {
                continue;
            }
            u.set_fragment(None);
            let list = match kind {
                html::Kind::Script => &mut scripts,
                html::Kind::Stylesheet => &mut styles,
                _ => continue,
            };
            if !list.contains(&u) {
                list.push(u);
            }
        }
    }
    scripts.truncate(MAX_SCRIPTS);
    styles.truncate(MAX_STYLES);
    let all: Vec<(Url, bool)> = scripts
        .into_iter()
        .map(|u| (u, true))
        .chain(styles.into_iter().map(|u| (u, false)))
        .collect();
    let results =
        futures::future::join_all(all.iter().map(|(u, js)| asset(f, ports, u, *js, sink))).await;
    let mut not_cached = Vec::new();
    let mut compression = Vec::new();
    let mut details = Vec::new();
    for r in results {
        if let Some(l) = r.not_cached {
            not_cached.push(l);
        }
        if let Some(l) = r.compression {
            compression.push(l);
        }
        details.push(r.details);
    }
    if !not_cached.is_empty() {
        let host = pages
            .first()
            .map(|p| super::origin(&p.url))
            .unwrap_or_default();
        sink.push(spec::STATIC_NOT_CACHED.finding(
            host.clone(),
            format!(
                "{} static file(s) on {host} lack a long Cache-Control",
                not_cached.len()
            ),
            not_cached.join("\n"),
        ));
    }
    (serde_json::Value::Array(details), compression)
}

struct AssetResult {
    not_cached: Option<String>,
    compression: Option<String>,
    details: serde_json::Value,
}

async fn asset(f: &Fetcher, ports: &Ports, u: &Url, js: bool, sink: &Sink) -> AssetResult {
    let mut out = AssetResult {
        not_cached: None,
        compression: None,
        details: serde_json::json!({"url": u.to_string(), "kind": if js { "script" } else { "stylesheet" }}),
    };
    let r = match f.get(u, &[]).await {
        Ok(r) => r,
        Err(e) => {
            out.details["error"] = e.into();
            return out;
        }
    };
    out.details["status"] = r.status.into();
    // What was scanned: a bundle longer than the body cap is scanned up to the cap only.
    out.details["bytes_read"] = r.body.len().into();
    out.details["capped"] = (r.body.len() >= f.cap).into();
    // Missing files answered with the SPA shell are not assets.
    if !(200..300).contains(&r.status)
        || r.media_type().contains("html")
        || html::looks_like_html(&r.body)
    {
        return out;
    }
    let cc_text = r.header_all("cache-control").join(", ");
    let cc = parse_cache_control(&cc_text);
    if !cc.long() {
        out.not_cached = Some(format!(
            "{}: Cache-Control: {}",
            show(u),
            if cc_text.is_empty() {
                "(absent)"
            } else {
                &cc_text
            }
        ));
    }
    out.details["cache_control"] = cc_text.into();
    if let Ok(ae) = f
        .fetch(
            reqwest::Method::GET,
            u,
            &[("accept-encoding", "gzip, br".to_string())],
            false,
        )
        .await
    {
        out.compression = compression_gap(&ae, r.body.len());
    }
    if !js {
        return out;
    }
    let encoded = r
        .header("content-encoding")
        .is_some_and(|e| !e.eq_ignore_ascii_case("identity"));
    if !encoded {
        for s in scan_off_runtime(r.body.clone(), u.to_string()).await {
            push_secret(sink, &show(u), &format!("in {}", show(u)), &s);
        }
        super::debug::test_keys(&r.body, u, sink);
    }
    // Source map: declared, else the conventional name next to the bundle.
    let declared = source_map_ref(&r);
    let inline = declared.as_deref().is_some_and(|d| d.starts_with("data:"));
    if inline {
        sink.push(spec::EXPOSURE_SOURCE_MAP.finding(
            show(u),
            format!("{} embeds its source map inline", show(u)),
            format!("{} ends with an inline data: sourceMappingURL: the original sources ship with the bundle", show(u)),
        ));
        out.details["source_map"] = "inline".into();
        return out;
    }
    let map_url = match &declared {
        Some(d) => u.join(d).ok(),
        None => Url::parse(&format!(
            "{}.map",
            u.as_str().split(['?', '#']).next().unwrap_or("")
        ))
        .ok(),
    };
    let Some(mut map_url) = map_url else {
        return out;
    };
    ports.fix_port(&mut map_url);
    let Ok(m) = f.get(&map_url, &[]).await else {
        return out;
    };
    if !(200..300).contains(&m.status) {
        return out;
    }
    let Some(sources) = parse_source_map(&m.body) else {
        return out;
    };
    out.details["source_map"] = map_url.to_string().into();
    let names: Vec<&str> = sources.iter().take(5).map(|(n, _)| n.as_str()).collect();
    sink.push(spec::EXPOSURE_SOURCE_MAP.finding(
        show(&map_url),
        format!("source map {} is public", show(&map_url)),
        format!(
            "{} -> {} ({}); GET {} -> {} with {} bytes, {} original source(s) inlined{}",
            show(u),
            show(&map_url),
            match &declared {
                Some(_) => "declared by the bundle",
                None => "found by name next to the bundle",
            },
            show(&map_url),
            m.status,
            m.body.len(),
            sources.len(),
            if names.is_empty() {
                String::new()
            } else {
                format!(": {}", names.join(", "))
            }
        ),
    ));
    for (name, content) in &sources {
        let subject = format!("{}#{name}", show(&map_url));
        for s in scan_off_runtime(content.clone().into_bytes(), subject.clone()).await {
            push_secret(
                sink,
                &subject,
                &format!("in sourcesContent of {} ({name})", show(&map_url)),
                &s,
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_bodies_are_told_from_spa_shells() {
        let k = env_keys(b"# prod\nDATABASE_URL=postgres://u:p@db/x\nexport API_KEY=\"abc\"\n\n")
            .unwrap();
        assert_eq!(k, vec!["DATABASE_URL", "API_KEY"]);
        assert!(env_keys(b"<!doctype html><html><head></head><body>a=b</body></html>").is_none());
        assert!(env_keys(b"Not Found").is_none());
        assert!(env_keys(b"").is_none());
        assert!(env_keys(b"hello world\nthis is text\nx=1\n").is_none());
    }

    #[test]
    fn git_files_are_recognised() {
        assert!(is_git_config(
            b"[core]\n\trepositoryformatversion = 0\n\tbare = false\n"
        ));
        assert!(!is_git_config(b"<html><body>[core]</body></html>"));
        assert!(is_git_head(b"ref: refs/heads/main\n"));
        assert!(is_git_head(b"0123456789abcdef0123456789abcdef01234567"));
        assert!(!is_git_head(b"<!doctype html>"));
    }

    #[test]
    fn source_maps_parse_and_non_maps_do_not() {
        let m = br#"{"version":3,"sources":["src/a.ts"],"sourcesContent":["const x = 1;"],"mappings":"AAAA"}"#;
        let s = parse_source_map(m).unwrap();
        assert_eq!(
            s,
            vec![("src/a.ts".to_string(), "const x = 1;".to_string())]
        );
        assert!(parse_source_map(b"<!doctype html>").is_none());
        assert!(parse_source_map(br#"{"name":"x"}"#).is_none());
    }
}
