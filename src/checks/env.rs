//! `env.*`: release hygiene of environment variables, from `[env]` in the config. No network.
//!
//! - `env.missing`: a `required` variable is unset or empty in the process environment.
//! - `env.malformed`: a required value does not have the shape its name promises: a `*_URL`
//!   parses with a scheme and a host, a database URL also names a database, a provider key
//!   (`OPENAI_API_KEY`, `STRIPE_SECRET_KEY`...) matches that provider's rule in the secret
//!   engine.
//! - `env.test_key_in_production`: `environment = "production"` and a required value, or a value
//!   in the production env file, is a known test-mode payment key.
//! - `env.shared_across_environments`: the same secret value in the files of two environments,
//!   compared by SHA-256 and never printed.
//! - `env.example_drift`: `.env.example` (next to the config) and `required` disagree.
//!
//! Values never reach a finding or a measurement: evidence names the variable and which shape
//! failed; file findings name the file and line.

use super::{Check, CheckError, Cx, Sink, testkeys};
use crate::catalogue::env as spec;
use crate::config::EnvConfig;
use crate::model::CheckName;
use crate::model::{EnvExample, EnvFile, EnvMeasurement, EnvVariable, Measurement};
use futures::future::BoxFuture;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// The env check.
pub struct Env;

impl Check for Env {
    fn name(&self) -> CheckName {
        CheckName::Env
    }

    fn run(&self, cx: Arc<Cx>, sink: Sink) -> BoxFuture<'static, Result<(), CheckError>> {
        Box::pin(async move {
            if !cx.cfg.env.declared() {
                sink.nothing_to_probe("no [env] in the config");
                return Ok(());
            }
            let base = config_dir(&cx.cfg.path);
            run(&cx.cfg.env, &base, &|n| cx.env.get(n), &sink)
        })
    }
}

/// The directory relative paths in the config are resolved against.
pub(crate) fn config_dir(config: &Path) -> PathBuf {
    match config.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// What a variable's name says its value must look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// Anything non-empty.
    Any,
    /// An absolute URL with a scheme and a host.
    Url,
    /// A database URL: scheme, host (or file), and a database name.
    DatabaseUrl,
    /// A provider key: the secret engine must recognise it as one of these rules.
    Provider(&'static str, &'static [&'static str]),
    /// A Stripe publishable key (`pk_live_` / `pk_test_`; no secret rule covers it).
    StripePublishable,
}

impl Shape {
    fn words(self) -> String {
        match self {
            Shape::Any => "any non-empty value".into(),
            Shape::Url => "a URL with a scheme and a host".into(),
            Shape::DatabaseUrl => "a database URL that names a database".into(),
            Shape::Provider(what, _) => format!("{what} in its provider's key format"),
            Shape::StripePublishable => "a Stripe publishable key (pk_live_/pk_test_)".into(),
        }
    }
}

/// Provider keys by exact variable name: (names, what, secret-engine rule ids).
const PROVIDERS: &[(&[&str], &str, &[&str])] = &[
    (
        &["OPENAI_API_KEY"],
        "an OpenAI API key",
        &["secret.openai_key"],
    ),
    (
        &["ANTHROPIC_API_KEY"],
        "an Anthropic API key",
        &["secret.anthropic_key"],
    ),
    (
        &["STRIPE_SECRET_KEY", "STRIPE_API_KEY"],
        "a Stripe secret key",
        &["secret.stripe_live_key", "secret.stripe_test_key"],
    ),
    (
        &["STRIPE_WEBHOOK_SECRET"],
        "a Stripe webhook signing secret",
        &["secret.stripe_webhook_secret"],
    ),
    (
        &["AWS_ACCESS_KEY_ID"],
        "an AWS access key id",
        &["secret.aws_access_key"],
    ),
    (
        &["GITHUB_TOKEN", "GH_TOKEN"],
        "a GitHub token",
        &["secret.github_token"],
    ),
    (
        &["SLACK_BOT_TOKEN", "SLACK_TOKEN"],
        "a Slack token",
        &["secret.slack_token"],
    ),
    (
        &["SENDGRID_API_KEY"],
        "a SendGrid API key",
        &["secret.sendgrid_key"],
    ),
    (
        &["HF_TOKEN", "HUGGINGFACE_TOKEN", "HUGGING_FACE_HUB_TOKEN"],
        "a Hugging Face token",
        &["secret.huggingface_token"],
    ),
    (&["NPM_TOKEN"], "an npm token", &["secret.npm_token"]),
];

/// The shape a variable's value must have, from its name. Provider names also match with a
/// prefix (`ACME_OPENAI_API_KEY`, `NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY`).
fn shape_of(name: &str) -> Shape {
    let n = name.to_ascii_uppercase();
    for (names, what, rules) in PROVIDERS {
        if names
            .iter()
            .any(|p| n == *p || n.ends_with(&format!("_{p}")))
        {
            return Shape::Provider(what, rules);
        }
    }
    if n.ends_with("STRIPE_PUBLISHABLE_KEY") {
        return Shape::StripePublishable;
    }
    let db = n == "DATABASE_URL"
        || n.ends_with("_DATABASE_URL")
        || n.ends_with("_DB_URL")
        || n == "DB_URL"
        || n.starts_with("POSTGRES") && n.ends_with("_URL")
        || n.starts_with("MYSQL") && n.ends_with("_URL")
        || n.starts_with("MONGO") && (n.ends_with("_URL") || n.ends_with("_URI"));
    if db {
        return Shape::DatabaseUrl;
    }
    if n.ends_with("_URL") || n.ends_with("_URI") || n.ends_with("_ENDPOINT") {
        return Shape::Url;
    }
    Shape::Any
}

/// Why a value does not have its shape, or `None` when it does.
fn shape_problem(shape: Shape, value: &str) -> Option<String> {
    if value != value.trim() {
        return Some("has spaces or a line break around it".into());
    }
    if value.len() >= 2
        && ((value.starts_with('"') && value.ends_with('"'))
            || (value.starts_with('\'') && value.ends_with('\'')))
    {
        return Some("is wrapped in quotes".into());
    }
    match shape {
        Shape::Any => None,
        Shape::Url => match url::Url::parse(value) {
            Err(e) => Some(format!("does not parse as a URL ({e})")),
            Ok(u) if u.host_str().is_none_or(str::is_empty) => {
                Some(format!("is a `{}:` URL without a host", u.scheme()))
            }
            Ok(_) => None,
        },
        Shape::DatabaseUrl => database_problem(value),
        // A test-mode key has its provider's format (`env.test_key_in_production` judges it).
        Shape::Provider(..) if testkeys::classify(value).is_some() => None,
        Shape::Provider(what, rules) => {
            // The rules look for the key in context, as it appears in a dotenv file.
            let line = format!("{}={value}\n", rules_keyword(rules));
            let found = engine()
                .scan(line.as_bytes(), "environment")
                .into_iter()
                .any(|m| rules.contains(&m.rule_id.as_str()));
            (!found).then(|| format!("is not {what} (the secret engine's rule does not match)"))
        }
        Shape::StripePublishable => {
            let ok = (value.starts_with("pk_live_") || value.starts_with("pk_test_"))
                && value.len() >= 24
                && value[8..].chars().all(|c| c.is_ascii_alphanumeric());
            (!ok).then(|| "does not start with pk_live_ or pk_test_ followed by the key".into())
        }
    }
}

/// A variable name the provider's rule expects next to its key.
fn rules_keyword(rules: &[&str]) -> &'static str {
    match rules.first().copied().unwrap_or("") {
        "secret.openai_key" => "OPENAI_API_KEY",
        "secret.anthropic_key" => "ANTHROPIC_API_KEY",
        "secret.aws_access_key" => "AWS_ACCESS_KEY_ID",
        "secret.github_token" => "GITHUB_TOKEN",
        "secret.slack_token" => "SLACK_BOT_TOKEN",
        "secret.sendgrid_key" => "SENDGRID_API_KEY",
        "secret.huggingface_token" => "HF_TOKEN",
        "secret.npm_token" => "NPM_TOKEN",
        "secret.stripe_webhook_secret" => "STRIPE_WEBHOOK_SECRET",
        _ => "STRIPE_SECRET_KEY",
    }
}

/// Schemes of database URLs that must name a database.
const SQL_SCHEMES: &[&str] = &[
    "postgres",
    "postgresql",
    "mysql",
    "mariadb",
    "sqlserver",
    "mssql",
    "cockroachdb",
    "mongodb",
    "mongodb+srv",
];

fn database_problem(value: &str) -> Option<String> {
    let u = match url::Url::parse(value) {
        Ok(u) => u,
        Err(e) => return Some(format!("does not parse as a URL ({e})")),
    };
    let scheme = u.scheme().to_ascii_lowercase();
    if matches!(scheme.as_str(), "sqlite" | "file") {
        return (u.path().trim_matches('/').is_empty())
            .then(|| "is a SQLite URL without a file path".into());
    }
    if u.host_str().is_none_or(str::is_empty) {
        return Some(format!("is a `{scheme}:` URL without a host"));
    }
    if SQL_SCHEMES.contains(&scheme.as_str()) && u.path().trim_matches('/').is_empty() {
        return Some(format!(
            "is a `{scheme}:` URL that names no database (nothing after the host's `/`)"
        ));
    }
    None
}

fn engine() -> &'static crate::checks::secrets::Engine {
    static ENGINE: OnceLock<crate::checks::secrets::Engine> = OnceLock::new();
    ENGINE.get_or_init(crate::checks::secrets::Engine::builtin)
}

/// One `KEY=VALUE` of a dotenv file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DotenvEntry {
    /// 1-based line.
    pub line: usize,
    /// Variable name.
    pub key: String,
    /// Value, quotes removed.
    pub value: String,
}

/// Parses a dotenv file: `KEY=VALUE`, `export KEY=VALUE`, quoted values, `#` comments. Lines
/// that are not assignments are ignored.
pub(crate) fn parse_dotenv(text: &str) -> Vec<DotenvEntry> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let l = raw.trim();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        let l = l.strip_prefix("export ").unwrap_or(l);
        let Some((k, v)) = l.split_once('=') else {
            continue;
        };
        let key = k.trim();
        if !crate::config::is_env_name(key) {
            continue;
        }
        let v = v.trim();
        let value = if let Some(inner) = v.strip_prefix('"').and_then(|r| r.split_once('"')) {
            inner.0.to_string()
        } else if let Some(inner) = v.strip_prefix('\'').and_then(|r| r.split_once('\'')) {
            inner.0.to_string()
        } else {
            // Unquoted: an inline comment starts at " #".
            v.split(" #").next().unwrap_or("").trim().to_string()
        };
        out.push(DotenvEntry {
            line: i + 1,
            key: key.to_string(),
            value,
        });
    }
    out
}

/// Placeholder values that are not secrets ("changeme", "<your key>", "${VAR}", "xxx"...).
fn is_placeholder(v: &str) -> bool {
    let l = v.trim().to_ascii_lowercase();
    if l.len() < 8 {
        return true;
    }
    if l.starts_with("${") || l.starts_with('<') || l.starts_with("{{") || l.starts_with('$') {
        return true;
    }
    let distinct: BTreeSet<char> = l.chars().collect();
    if distinct.len() <= 2 {
        return true;
    }
    [
        "changeme",
        "change_me",
        "change-me",
        "your",
        "example",
        "placeholder",
        "dummy",
        "replace",
        "todo",
        "xxxx",
        "****",
        "redacted",
    ]
    .iter()
    .any(|p| l.contains(p))
}

/// Whether a dotenv entry holds a secret worth comparing across environments.
fn is_secret_entry(e: &DotenvEntry) -> bool {
    if is_placeholder(&e.value) || testkeys::classify(&e.value).is_some() {
        return false;
    }
    let n = e.key.to_ascii_uppercase();
    let secret_name = [
        "KEY",
        "SECRET",
        "TOKEN",
        "PASSWORD",
        "PASSWD",
        "PWD",
        "PASS",
        "CREDENTIAL",
        "PRIVATE",
        "DSN",
        "AUTH",
        "SALT",
        "SIGNING",
    ]
    .iter()
    .any(|w| n.split('_').any(|part| part == *w) || n.ends_with(w));
    let url_with_password = url::Url::parse(&e.value)
        .ok()
        .is_some_and(|u| u.password().is_some_and(|p| !p.is_empty()));
    secret_name
        || url_with_password
        || engine()
            .scan(e.value.as_bytes(), "env")
            .iter()
            .any(|m| m.rule_id != "secret.generic_high_entropy")
}

fn sha256(v: &str) -> [u8; 32] {
    Sha256::digest(v.as_bytes()).into()
}

/// Runs every `env.*` rule. `lookup` reads the process environment (injected for tests).
pub(crate) fn run(
    env: &EnvConfig,
    base: &Path,
    lookup: &dyn Fn(&str) -> Option<String>,
    sink: &Sink,
) -> Result<(), CheckError> {
    let mut required_m = Vec::new();
    // 1. Required variables: set, shaped, not a test key in production.
    for name in &env.required {
        let value = lookup(name).filter(|v| !v.is_empty());
        let shape = shape_of(name);
        let Some(value) = value else {
            sink.push(spec::MISSING.finding(
                format!("env:{name}"),
                format!("{name} is not set"),
                format!(
                    "{name} is listed in [env] required and is {} in the environment the audit ran in",
                    if lookup(name).is_some() { "empty" } else { "unset" }
                ),
            ));
            required_m.push(EnvVariable {
                name: name.clone(),
                set: false,
                shape: shape.words(),
                shape_ok: None,
            });
            continue;
        };
        let problem = shape_problem(shape, &value);
        if let Some(p) = &problem {
            sink.push(spec::MALFORMED.finding(
                format!("env:{name}"),
                format!("{name} does not look like {}", shape.words()),
                format!(
                    "{name} is set ({} chars) but {p}; expected {} (value not shown)",
                    value.chars().count(),
                    shape.words()
                ),
            ));
        }
        if env.is_production()
            && let Some(what) = testkeys::classify(&value)
        {
            sink.push(spec::TEST_KEY_IN_PRODUCTION.finding(
                format!("env:{name}"),
                format!("{name} holds a test-mode key in production"),
                format!(
                    "environment = \"{}\" and {name} holds a {what} (value not shown): payments run in the provider's test mode",
                    env.environment.as_deref().unwrap_or("production")
                ),
            ));
        }
        required_m.push(EnvVariable {
            name: name.clone(),
            set: true,
            shape: shape.words(),
            shape_ok: Some(problem.is_none()),
        });
    }

    // 2. Env files: test keys in the production file, secrets shared across environments.
    let mut unreadable = Vec::new();
    let mut files_m = Vec::new();
    let mut by_hash: BTreeMap<[u8; 32], Vec<(String, String, DotenvEntry)>> = BTreeMap::new();
    for (envname, rel) in &env.files {
        let path = base.join(rel);
        let shown = rel.display().to_string();
        let text = match std::fs::read(&path) {
            Ok(b) => String::from_utf8_lossy(&b).into_owned(),
            Err(e) => {
                unreadable.push(format!("{shown} (env.files.{envname}): {e}"));
                files_m.push(EnvFile {
                    environment: envname.clone(),
                    path: shown,
                    readable: false,
                    variables: None,
                });
                continue;
            }
        };
        let entries = parse_dotenv(&text);
        files_m.push(EnvFile {
            environment: envname.clone(),
            path: shown.clone(),
            readable: true,
            variables: Some(entries.len()),
        });
        // The file of the audited production environment (or one named like production).
        let production_file = env.is_production()
            && (env.environment.as_deref() == Some(envname.as_str())
                || crate::config::is_production_name(envname));
        for e in entries {
            if production_file && let Some(what) = testkeys::classify(&e.value) {
                sink.push(spec::TEST_KEY_IN_PRODUCTION.finding(
                    format!("{shown}:{}", e.line),
                    format!("{} in {shown} is a test-mode key", e.key),
                    format!(
                        "{shown}:{} sets {} to a {what} (value not shown); this file is the `{envname}` environment",
                        e.line, e.key
                    ),
                ));
            }
            if is_secret_entry(&e) {
                by_hash.entry(sha256(&e.value)).or_default().push((
                    envname.clone(),
                    shown.clone(),
                    e,
                ));
            }
        }
    }
    for uses in by_hash.values() {
        let envs: BTreeSet<&str> = uses.iter().map(|(e, _, _)| e.as_str()).collect();
        if envs.len() < 2 {
            continue;
        }
        let names: BTreeSet<&str> = uses.iter().map(|(_, _, e)| e.key.as_str()).collect();
        let names: Vec<&str> = names.into_iter().collect();
        let places: Vec<String> = uses
            .iter()
            .map(|(envname, file, e)| format!("{} in {file}:{} ({envname})", e.key, e.line))
            .collect();
        sink.push(spec::SHARED_ACROSS_ENVIRONMENTS.finding(
            names.join(", "),
            format!(
                "{} is shared by {} environments",
                names.join(", "),
                envs.len()
            ),
            format!(
                "{} hold the same value (SHA-256 equal; value not shown)",
                places.join(" and ")
            ),
        ));
    }

    // 3. .env.example drift.
    let example_path = base.join(".env.example");
    let mut example_m = None;
    if !env.required.is_empty()
        && let Ok(b) = std::fs::read(&example_path)
    {
        let names: BTreeSet<String> = parse_dotenv(&String::from_utf8_lossy(&b))
            .into_iter()
            .map(|e| e.key)
            .collect();
        let required: BTreeSet<String> = env.required.iter().cloned().collect();
        let undocumented: Vec<&String> = required.difference(&names).collect();
        let unverified: Vec<&String> = names.difference(&required).collect();
        if !undocumented.is_empty() || !unverified.is_empty() {
            let mut parts = Vec::new();
            if !undocumented.is_empty() {
                parts.push(format!(
                    "required but not in .env.example: {}",
                    join(&undocumented)
                ));
            }
            if !unverified.is_empty() {
                parts.push(format!(
                    "in .env.example but not in [env] required: {}",
                    join(&unverified)
                ));
            }
            sink.push(spec::EXAMPLE_DRIFT.finding(
                ".env.example",
                format!(
                    ".env.example and [env] required differ by {} variable(s)",
                    undocumented.len() + unverified.len()
                ),
                parts.join("; "),
            ));
        }
        example_m = Some(EnvExample {
            path: ".env.example".into(),
            variables: names.len(),
            undocumented: undocumented.iter().map(|s| s.to_string()).collect(),
            unverified: unverified.iter().map(|s| s.to_string()).collect(),
        });
    }

    sink.measure(Measurement::Env(EnvMeasurement {
        environment: env.environment.clone(),
        required: required_m,
        files: files_m,
        example: example_m,
    }));
    if unreadable.is_empty() {
        Ok(())
    } else {
        Err(CheckError::Setup(format!(
            "could not read {}",
            unreadable.join("; ")
        )))
    }
}

fn join(names: &[&String]) -> String {
    names
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Finding;
    use tokio::sync::mpsc;

    fn collect(
        env: &EnvConfig,
        base: &Path,
        vars: &[(&str, &str)],
    ) -> (Vec<Finding>, Result<(), CheckError>) {
        let (tx, mut rx) = mpsc::unbounded_channel();
        let (mtx, _mrx) = mpsc::unbounded_channel();
        let sink = Sink::new(tx, mtx);
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let lookup = move |n: &str| vars.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
        let r = run(env, base, &lookup, &sink);
        drop(sink);
        let mut out = Vec::new();
        while let Ok(f) = rx.try_recv() {
            out.push(f);
        }
        (out, r)
    }

    fn ids(f: &[Finding]) -> Vec<String> {
        f.iter()
            .map(|f| format!("{} {}", f.id, f.subject))
            .collect()
    }

    fn stripe_test() -> String {
        format!("sk_test_{}", "4eC39HqLyjWDarjtT1zdp7dc".repeat(2))
    }

    fn openai() -> String {
        "sk-proj-Qm7ZtR2xVb9LkP4nWc8JhY3sDf6GaE1uTi5oNr0XeMq2KjB7vLz".to_string()
    }

    #[test]
    fn missing_empty_malformed_and_test_keys_are_named_never_shown() {
        let env = EnvConfig {
            environment: Some("production".into()),
            required: [
                "DATABASE_URL",
                "API_BASE_URL",
                "OPENAI_API_KEY",
                "STRIPE_SECRET_KEY",
                "SENTRY_DSN",
                "EMPTY_ONE",
            ]
            .map(String::from)
            .to_vec(),
            files: BTreeMap::new(),
        };
        let dir = tempfile::tempdir().unwrap();
        let sk = stripe_test();
        let (f, r) = collect(
            &env,
            dir.path(),
            &[
                (
                    "DATABASE_URL",
                    "postgres://app:hunter2hunter2@db.internal:5432/",
                ),
                ("API_BASE_URL", "api.acme.example/v1"),
                ("OPENAI_API_KEY", "sk-your-key-here"),
                ("STRIPE_SECRET_KEY", &sk),
                ("EMPTY_ONE", ""),
            ],
        );
        assert!(r.is_ok());
        let got = ids(&f);
        for want in [
            "env.malformed env:DATABASE_URL",
            "env.malformed env:API_BASE_URL",
            "env.malformed env:OPENAI_API_KEY",
            "env.test_key_in_production env:STRIPE_SECRET_KEY",
            "env.missing env:SENTRY_DSN",
            "env.missing env:EMPTY_ONE",
        ] {
            assert!(got.iter().any(|g| g == want), "{want} not in {got:?}");
        }
        assert!(
            !got.iter()
                .any(|g| g == "env.malformed env:STRIPE_SECRET_KEY")
        );
        let all = format!("{f:?}");
        for planted in [
            "hunter2hunter2",
            "api.acme.example",
            "sk-your-key-here",
            &sk,
        ] {
            assert!(!all.contains(planted), "{planted} leaked: {all}");
        }
        let db = f.iter().find(|f| f.subject == "env:DATABASE_URL").unwrap();
        assert!(db.evidence.contains("names no database"), "{}", db.evidence);
    }

    #[test]
    fn well_shaped_values_pass() {
        let env = EnvConfig {
            environment: Some("production".into()),
            required: [
                "DATABASE_URL",
                "APP_URL",
                "OPENAI_API_KEY",
                "STRIPE_SECRET_KEY",
            ]
            .map(String::from)
            .to_vec(),
            files: BTreeMap::new(),
        };
        let dir = tempfile::tempdir().unwrap();
        let live = format!("sk_live_{}", "4eC39HqLyjWDarjtT1zdp7dc".repeat(2));
        let key = openai();
        let (f, r) = collect(
            &env,
            dir.path(),
            &[
                ("DATABASE_URL", "postgresql://app:pw@db.internal:5432/acme"),
                ("APP_URL", "https://app.acme.example"),
                ("OPENAI_API_KEY", &key),
                ("STRIPE_SECRET_KEY", &live),
            ],
        );
        assert!(r.is_ok());
        assert!(f.is_empty(), "{:?}", ids(&f));
    }

    #[test]
    fn shared_secrets_across_env_files_and_example_drift() {
        let dir = tempfile::tempdir().unwrap();
        let shared = "Zq8u2mWp4kTn7rLx9vBc";
        std::fs::write(
            dir.path().join(".env.staging"),
            format!("# staging\nSESSION_SECRET={shared}\nLOG_LEVEL=debug\nAPP_NAME=acme-chat\nSTRIPE_SECRET_KEY={}\n", stripe_test()),
        )
        .unwrap();
        std::fs::write(
            dir.path().join(".env.production"),
            format!("export SESSION_SECRET=\"{shared}\"\nLOG_LEVEL=debug\nAPP_NAME=acme-chat\nSTRIPE_SECRET_KEY={}\nJWT_SECRET=changeme\n", stripe_test()),
        )
        .unwrap();
        std::fs::write(
            dir.path().join(".env.example"),
            "DATABASE_URL=\nSESSION_SECRET=\nUNUSED_FLAG=\n",
        )
        .unwrap();
        let env = EnvConfig {
            environment: Some("production".into()),
            required: ["DATABASE_URL", "OPENAI_API_KEY"]
                .map(String::from)
                .to_vec(),
            files: [
                ("staging".to_string(), PathBuf::from(".env.staging")),
                ("production".to_string(), PathBuf::from(".env.production")),
            ]
            .into_iter()
            .collect(),
        };
        let (f, r) = collect(
            &env,
            dir.path(),
            &[
                ("DATABASE_URL", "postgres://a:b@h/db"),
                ("OPENAI_API_KEY", &openai()),
            ],
        );
        assert!(r.is_ok());
        let got = ids(&f);
        assert!(
            got.contains(&"env.shared_across_environments SESSION_SECRET".to_string()),
            "{got:?}"
        );
        // Non-secret settings and test keys are not "shared secrets"; placeholders neither.
        assert_eq!(
            got.iter()
                .filter(|g| g.starts_with("env.shared_across_environments"))
                .count(),
            1,
            "{got:?}"
        );
        assert!(
            got.contains(&"env.test_key_in_production .env.production:4".to_string()),
            "{got:?}"
        );
        let drift = f.iter().find(|f| f.id == "env.example_drift").unwrap();
        assert!(
            drift.evidence.contains("OPENAI_API_KEY"),
            "{}",
            drift.evidence
        );
        assert!(
            drift.evidence.contains("SESSION_SECRET, UNUSED_FLAG"),
            "{}",
            drift.evidence
        );
        assert!(!format!("{f:?}").contains(shared));
    }

    #[test]
    fn unreadable_env_file_is_an_error_after_the_other_findings() {
        let dir = tempfile::tempdir().unwrap();
        let env = EnvConfig {
            environment: None,
            required: vec!["NOPE_NOT_SET".into()],
            files: [("staging".to_string(), PathBuf::from(".env.staging"))]
                .into_iter()
                .collect(),
        };
        let (f, r) = collect(&env, dir.path(), &[]);
        assert_eq!(ids(&f), ["env.missing env:NOPE_NOT_SET"]);
        let e = r.unwrap_err().to_string();
        assert!(e.contains(".env.staging (env.files.staging)"), "{e}");
    }

    #[test]
    fn dotenv_parsing() {
        let e = parse_dotenv(
            "# c\nexport A=1\nB=\"two words\" # note\nC='x#y'\nD=plain # comment\n1BAD=x\nnot a line\n",
        );
        let kv: Vec<(&str, &str)> = e
            .iter()
            .map(|e| (e.key.as_str(), e.value.as_str()))
            .collect();
        assert_eq!(
            kv,
            [("A", "1"), ("B", "two words"), ("C", "x#y"), ("D", "plain")]
        );
        assert_eq!(e[1].line, 3);
    }
}
