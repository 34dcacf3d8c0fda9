//! Configuration: reading the TOML file ([`load`]), and the validated [`Config`] the checks use.
//!
//! Two phases, as in `raw.rs` (serde mirrors, unknown keys rejected) then `validate.rs`
//! (domains, URLs, ports and ranges checked, defaults applied, `${ENV}` expanded).

pub mod flows;
mod messages;
pub mod raw;
mod validate;

use crate::finding::Severity;
use crate::redact::Secret;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use thiserror::Error;
use url::Url;

pub use validate::{normalize_domain, validate_str};

/// Why a config could not be used. Messages are for people; they name the file, the line and
/// column, and the key. They are not a stable contract.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read config file {path}: {source}")]
    Read {
        /// The path given.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file does not exist.
    #[error(
        "no config file at {path}: `launchready init > {path}` writes a starter one (or pass --config FILE)"
    )]
    Missing {
        /// The path given (or the default `launchready.toml`).
        path: PathBuf,
    },
    /// The file is not valid TOML or does not fit the schema, or a value is out of range.
    #[error("{path}:{line}:{column}: {key}: {message}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// Dotted key path, e.g. `target.domain`.
        key: String,
        /// What is wrong.
        message: String,
    },
}

/// The validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where it was read from.
    pub path: PathBuf,
    /// `[target]`
    pub target: TargetConfig,
    /// `[dns]`
    pub dns: DnsConfig,
    /// `[tls]`
    pub tls: TlsConfig,
    /// `[email]`
    pub email: EmailConfig,
    /// `[secrets]`
    pub secrets: SecretsConfig,
    /// `[[endpoints]]`
    pub endpoints: Vec<EndpointConfig>,
    /// `[gate]`
    pub gate: GateConfig,
    /// `[handover]`
    pub handover: HandoverConfig,
    /// `[[flows]]`: customer paths walked by the `flows` check.
    pub flows: Vec<flows::FlowConfig>,
    /// `[ai]` (absent: the ai check is skipped).
    pub ai: Option<AiConfig>,
    /// `[env]` (nothing declared: the env check is skipped).
    pub env: EnvConfig,
    /// Every value expanded from `${ENV}` inside endpoint settings; reports are scrubbed of them.
    pub secret_values: Vec<Secret<String>>,
}

impl Config {
    /// Every host the config names for probing: the domain, www, the subdomains, the
    /// endpoints' hosts and the flow steps' hosts (the connection guard allows the networks these
    /// resolve into).
    pub fn configured_hosts(&self) -> Vec<String> {
        let mut hosts = vec![self.target.domain.clone(), self.target.www()];
        hosts.extend(self.target.subdomains.iter().cloned());
        for e in &self.endpoints {
            if let Some(h) = e.url.expose().host_str() {
                hosts.push(h.to_string());
            }
        }
        // Flow steps whose host is written out (not filled in from a variable).
        for step in self.flows.iter().flat_map(|f| &f.steps) {
            let probe = step.url.render(&mut |_| "launchready-var.invalid".into());
            if let Some(h) = Url::parse(&probe)
                .ok()
                .and_then(|u| u.host_str().map(str::to_string))
                && !h.contains("launchready-var")
            {
                hosts.push(h);
            }
        }
        hosts.sort();
        hosts.dedup();
        hosts
    }
}

/// Which host users must end up on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Canonical {
    /// The bare domain.
    Apex,
    /// `www.` + domain.
    Www,
}

/// `[target]`
#[derive(Debug, Clone)]
pub struct TargetConfig {
    /// Product name.
    pub name: Option<String>,
    /// Apex domain, lowercase ASCII (punycode), no trailing dot.
    pub domain: String,
    /// Where users must end up.
    pub canonical: Canonical,
    /// Full names of the configured subdomains.
    pub subdomains: Vec<String>,
    /// Plain HTTP port.
    pub http_port: u16,
    /// HTTPS port.
    pub https_port: u16,
    /// Pages checked on the canonical host (each starts with `/`).
    pub pages: Vec<String>,
    /// Auth paths that must not redirect off-host or loop.
    pub auth_paths: Vec<String>,
}

impl TargetConfig {
    /// `www.` + domain.
    pub fn www(&self) -> String {
        format!("www.{}", self.domain)
    }

    /// The canonical host name.
    pub fn canonical_host(&self) -> String {
        match self.canonical {
            Canonical::Apex => self.domain.clone(),
            Canonical::Www => self.www(),
        }
    }
}

/// A DNS record type that `[dns] expect` can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ExpectType {
    /// IPv4 address.
    A,
    /// IPv6 address.
    Aaaa,
    /// Alias.
    Cname,
    /// Mail exchanger.
    Mx,
    /// Text.
    Txt,
    /// Name server.
    Ns,
    /// CA authorization.
    Caa,
}

impl ExpectType {
    /// The record type mnemonic.
    pub fn as_str(self) -> &'static str {
        match self {
            ExpectType::A => "A",
            ExpectType::Aaaa => "AAAA",
            ExpectType::Cname => "CNAME",
            ExpectType::Mx => "MX",
            ExpectType::Txt => "TXT",
            ExpectType::Ns => "NS",
            ExpectType::Caa => "CAA",
        }
    }
}

/// One `[dns] expect` entry.
#[derive(Debug, Clone)]
pub struct DnsExpect {
    /// Owner name, lowercase, no trailing dot.
    pub name: String,
    /// Record type.
    pub rtype: ExpectType,
    /// Expected value as written (compared case-insensitively, trailing dots ignored).
    pub value: String,
}

/// `[dns]`
#[derive(Debug, Clone, Default)]
pub struct DnsConfig {
    /// Records that must be served exactly.
    pub expect: Vec<DnsExpect>,
}

/// `[tls]`
#[derive(Debug, Clone)]
pub struct TlsConfig {
    /// `tls.cert_expiring` fires below this many days (default 21).
    pub min_days_valid: u32,
}

/// `[email]`
#[derive(Debug, Clone)]
pub struct EmailConfig {
    /// Sending domain (defaults to the target domain).
    pub domain: String,
    /// DKIM selectors to look up.
    pub dkim_selectors: Vec<String>,
}

/// `[secrets]`
#[derive(Debug, Clone)]
pub struct SecretsConfig {
    /// Paths to scan, relative to the config file's directory.
    pub paths: Vec<PathBuf>,
    /// Scan every blob reachable from every ref.
    pub history: bool,
    /// Build output directories scanned even when git-ignored.
    pub build_dirs: Vec<PathBuf>,
    /// Globs never scanned.
    pub exclude: Vec<String>,
    /// `rule:glob` accepted matches.
    pub allow: Vec<String>,
    /// Files above this size are scanned in chunks.
    pub max_file_bytes: u64,
    /// Extra rules in gitleaks format.
    pub rules_file: Option<PathBuf>,
}

impl Default for SecretsConfig {
    /// The defaults of `[secrets]` when the table or a key is absent.
    fn default() -> Self {
        SecretsConfig {
            paths: vec![PathBuf::from(".")],
            history: true,
            build_dirs: ["dist", ".next", "build"]
                .iter()
                .map(PathBuf::from)
                .collect(),
            exclude: Vec::new(),
            allow: Vec::new(),
            max_file_bytes: 8 * 1024 * 1024,
            rules_file: None,
        }
    }
}

/// What an endpoint does; decides its default latency budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndpointKind {
    /// Plain API.
    Api,
    /// Login / token.
    Auth,
    /// Streaming AI chat.
    Chat,
    /// Incoming webhook.
    Webhook,
}

impl EndpointKind {
    /// The config spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            EndpointKind::Api => "api",
            EndpointKind::Auth => "auth",
            EndpointKind::Chat => "chat",
            EndpointKind::Webhook => "webhook",
        }
    }
}

/// One `[[endpoints]]` entry.
#[derive(Debug, Clone)]
pub struct EndpointConfig {
    /// Name (finding subject).
    pub name: String,
    /// URL (may carry an expanded token, so kept secret).
    pub url: Secret<Url>,
    /// URL with query and credentials removed, safe to print.
    pub display_url: String,
    /// HTTP method, uppercase.
    pub method: String,
    /// Request headers; values may carry tokens.
    pub headers: Vec<(String, Secret<String>)>,
    /// Request body.
    pub body: Option<Secret<String>>,
    /// Kind.
    pub kind: EndpointKind,
    /// Number of timed samples.
    pub samples: u32,
    /// Concurrent workers.
    pub concurrency: u32,
    /// p95 budget in ms.
    pub p95_ms: u64,
    /// First-byte budget in ms.
    pub first_byte_ms: u64,
    /// Per-request timeout in ms.
    pub timeout_ms: u64,
    /// Opt-in rate-limit burst.
    pub probe_rate_limit: bool,
    /// Requests in that burst.
    pub burst: u32,
    /// Status codes the endpoint is expected to answer (`expect_status`); `None` = the default
    /// of [`EndpointConfig::expects`].
    pub expect_status: Option<Vec<u16>>,
}

impl EndpointConfig {
    /// Whether an answer with `status` is one this endpoint is expected to give, so its timing
    /// is the real path's: the configured `expect_status`, or else anything but 401, 403 and
    /// 404 — except for `kind = "auth"`, where 401 and 403 are expected (a request with wrong
    /// credentials is the normal way to time a login and probe its rate limit).
    pub fn expects(&self, status: u16) -> bool {
        match &self.expect_status {
            Some(list) => list.contains(&status),
            None => match status {
                401 | 403 => self.kind == EndpointKind::Auth,
                404 => false,
                _ => true,
            },
        }
    }
}

/// `[gate]`
#[derive(Debug, Clone)]
pub struct GateConfig {
    /// Lowest severity that fails the gate; `None` = never.
    pub fail_on: Option<Severity>,
    /// Accepted risks, by id or fingerprint.
    pub ignore: Vec<String>,
}

/// `[handover]`
#[derive(Debug, Clone, Default)]
pub struct HandoverConfig {
    /// Owner per area (dns, hosting, email, monitoring, secrets); empty string = unowned.
    pub owners: BTreeMap<String, String>,
    /// Rollback document.
    pub rollback_doc: Option<String>,
    /// Uptime monitor URL.
    pub uptime_monitor: Option<String>,
    /// Whether `[handover]` was written at all.
    pub declared: bool,
}

/// How the ai check reads a chat reply out of a response body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReplyFormat {
    /// A JSON body; the reply is the value at this JSON pointer (RFC 6901).
    Json(String),
    /// OpenAI-style server-sent events: `choices[0].delta.content` of each `data:` chunk,
    /// up to `data: [DONE]`.
    SseOpenai,
    /// Server-sent events: the `data:` lines, concatenated.
    SseData,
    /// The body as text.
    Text,
}

impl ReplyFormat {
    /// The config spelling.
    pub fn as_string(&self) -> String {
        match self {
            ReplyFormat::Json(p) => format!("json:{p}"),
            ReplyFormat::SseOpenai => "sse:openai".into(),
            ReplyFormat::SseData => "sse:data".into(),
            ReplyFormat::Text => "text".into(),
        }
    }
}

/// One `[[ai.evals]]` entry.
#[derive(Debug, Clone)]
pub struct AiEval {
    /// Name shown in findings.
    pub name: String,
    /// The message sent.
    pub message: String,
    /// Substrings the reply must contain.
    pub expect_contains: Vec<String>,
    /// Substrings the reply must not contain.
    pub expect_not_contains: Vec<String>,
    /// A regex the reply must match.
    pub expect_regex: Option<regex::Regex>,
    /// Latency budget of the reply, ms.
    pub max_ms: Option<u64>,
}

/// `[ai]`
#[derive(Debug, Clone)]
pub struct AiConfig {
    /// Name of the `[[endpoints]]` entry probed (url, method, headers reused).
    pub endpoint: String,
    /// Request body template (`{{message}}` JSON-escaped, `{{session}}`); may carry tokens.
    pub body: Secret<String>,
    /// How the reply is read.
    pub reply: ReplyFormat,
    /// String planted in the system prompt.
    pub canary: Option<Secret<String>>,
    /// Hard budget of chat requests for the whole check.
    pub max_requests: u32,
    /// Requests in flight at once.
    pub concurrency: u32,
    /// Length of the long-input probe, in characters.
    pub long_input_chars: usize,
    /// The product's own evals.
    pub evals: Vec<AiEval>,
}

/// `[env]`: release hygiene of the environment variables (the `env` check).
#[derive(Debug, Clone, Default)]
pub struct EnvConfig {
    /// The environment this audit is for, lowercase ("production", "staging"...).
    pub environment: Option<String>,
    /// Variable names that must be set (read from the process environment at run time).
    pub required: Vec<String>,
    /// Environment name -> dotenv file (relative to the config file's directory).
    pub files: BTreeMap<String, PathBuf>,
}

impl EnvConfig {
    /// Whether `[env]` asks for anything.
    pub fn declared(&self) -> bool {
        self.environment.is_some() || !self.required.is_empty() || !self.files.is_empty()
    }

    /// Whether the audited environment is production.
    pub fn is_production(&self) -> bool {
        self.environment.as_deref().is_some_and(is_production_name)
    }
}

/// Whether an environment name means production.
pub fn is_production_name(name: &str) -> bool {
    matches!(name, "production" | "prod" | "live")
}

/// `NAME` as a shell accepts it: ASCII letters, digits and `_`, not starting with a digit.
pub fn is_env_name(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with(|c: char| c.is_ascii_digit())
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Reads, parses and validates a config file.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    load_with(path, false)
}

/// Like [`load`]; with `endpoints_unused`, an unset `${VAR}` inside `[[endpoints]]` or `[ai]` is
/// not an error (it expands to nothing): the selected checks never send those requests, so
/// `--only dns` does not need the chat token.
pub fn load_with(path: &Path, endpoints_unused: bool) -> Result<Config, ConfigError> {
    load_allowing(path, endpoints_unused, None)
}

/// Like [`load_with`]; `env_allow` (from `--env-allow`) replaces the file's `[target] env` list
/// of variables `${VAR}` may expand (`LAUNCHREADY_*` always may).
pub fn load_allowing(
    path: &Path,
    endpoints_unused: bool,
    env_allow: Option<&[String]>,
) -> Result<Config, ConfigError> {
    let text = read(path)?;
    let parse = |text: &str, path: &Path, env: &dyn Fn(&str) -> Option<String>| {
        parse_allowing(text, path, env, env_allow)
    };
    match parse(&text, path, &|name| std::env::var(name).ok()) {
        Err(ConfigError::Invalid { key, message, .. })
            if endpoints_unused
                && (key.starts_with("endpoints.") || key.starts_with("ai."))
                && message.starts_with("environment variable") =>
        {
            parse(&text, path, &|name| {
                Some(std::env::var(name).unwrap_or_default())
            })
        }
        other => other,
    }
}

/// Loads the config of `audit --repo`: only `[secrets]` and `[gate]` matter there, so a file
/// without `[target]` is fine and unset `${VAR}`s (endpoint tokens) expand to nothing — no
/// request is ever sent in repo mode.
pub fn load_for_repo(path: &Path) -> Result<Config, ConfigError> {
    let text = read(path)?;
    let raw = parse_raw(&text, path)?;
    validate::validate_for(
        raw,
        &text,
        path,
        &|name| Some(std::env::var(name).unwrap_or_default()),
        None,
        false,
    )
}

/// Reads the config file; a missing file gets its own error, which suggests `launchready init`.
fn read(path: &Path) -> Result<String, ConfigError> {
    std::fs::read_to_string(path).map_err(|source| {
        if source.kind() == std::io::ErrorKind::NotFound {
            ConfigError::Missing {
                path: path.to_path_buf(),
            }
        } else {
            ConfigError::Read {
                path: path.to_path_buf(),
                source,
            }
        }
    })
}

fn parse_raw(text: &str, path: &Path) -> Result<raw::RawConfig, ConfigError> {
    toml::from_str(text).map_err(|e| toml_error(text, path, &e))
}

/// A TOML or schema error, located and worded for the person editing the file.
fn toml_error(text: &str, path: &Path, e: &toml::de::Error) -> ConfigError {
    if let Some((line, key, message)) = messages::single_bracket_array(text) {
        return ConfigError::Invalid {
            path: path.to_path_buf(),
            line,
            column: 1,
            key,
            message,
        };
    }
    let span = e.span().unwrap_or(0..0);
    let (line, column) = line_col(text, span.start);
    ConfigError::Invalid {
        path: path.to_path_buf(),
        line,
        column,
        key: key_at(text, span.start),
        message: messages::plain(e.message()),
    }
}

/// Parses and validates config text; `env` looks up `${VAR}` values (injectable for tests).
pub fn parse(
    text: &str,
    path: &Path,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Config, ConfigError> {
    parse_allowing(text, path, env, None)
}

/// Like [`parse`], with the command line's `--env-allow` list (which replaces `[target] env`).
pub fn parse_allowing(
    text: &str,
    path: &Path,
    env: &dyn Fn(&str) -> Option<String>,
    env_allow: Option<&[String]>,
) -> Result<Config, ConfigError> {
    let raw: raw::RawConfig = toml::from_str(text).map_err(|e| toml_error(text, path, &e))?;
    validate::validate(raw, text, path, env, env_allow)
}

/// 1-based line and column of a byte offset.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char(text, offset)];
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0)
        + 1;
    (line, column)
}

fn floor_char(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Best-effort dotted key path for a byte offset: the nearest `[table]` header above it plus
/// the key on its line.
pub(crate) fn key_at(text: &str, offset: usize) -> String {
    let offset = floor_char(text, offset.min(text.len()));
    let line_start = text[..offset].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let line_end = text[offset..]
        .find('\n')
        .map(|i| offset + i)
        .unwrap_or(text.len());
    let line = &text[line_start..line_end];
    let key = line
        .split_once('=')
        .map(|(k, _)| k.trim().trim_matches('"').to_string())
        .filter(|k| !k.is_empty() && !k.starts_with('['));
    let table = text[..line_start]
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('['))
        .map(|l| l.trim_matches(|c| c == '[' || c == ']').trim().to_string());
    let header = line.trim().starts_with('[');
    match (table, key) {
        _ if header => line
            .trim()
            .trim_matches(|c| c == '[' || c == ']')
            .trim()
            .to_string(),
        (Some(t), Some(k)) => format!("{t}.{k}"),
        (None, Some(k)) => k,
        (Some(t), None) => t,
        (None, None) => "(top level)".to_string(),
    }
}
