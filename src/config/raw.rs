//! Serde mirrors of the TOML file. Every struct denies unknown fields; values that are
//! validated later keep their span so errors can point at file, line and column.

use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

/// The whole file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    /// `[target]`
    pub target: Option<RawTarget>,
    /// `[dns]`
    #[serde(default)]
    pub dns: RawDns,
    /// `[tls]`
    #[serde(default)]
    pub tls: RawTls,
    /// `[email]`
    #[serde(default)]
    pub email: RawEmail,
    /// `[secrets]`
    #[serde(default)]
    pub secrets: RawSecrets,
    /// `[[endpoints]]`
    #[serde(default)]
    pub endpoints: Vec<RawEndpoint>,
    /// `[gate]`
    #[serde(default)]
    pub gate: RawGate,
    /// `[handover]` (`None` when the file has no such table at all)
    #[serde(default)]
    pub handover: Option<RawHandover>,
    /// `[[flows]]`
    #[serde(default)]
    pub flows: Vec<RawFlow>,
    /// `[ai]`
    pub ai: Option<RawAi>,
    /// `[env]`
    #[serde(default)]
    pub env: RawEnv,
}

/// `[target]`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTarget {
    /// Product name.
    pub name: Option<Spanned<String>>,
    /// Apex domain.
    pub domain: Spanned<String>,
    /// "apex" or "www".
    pub canonical: Option<Spanned<String>>,
    /// Subdomain labels or full names.
    #[serde(default)]
    pub subdomains: Vec<Spanned<String>>,
    /// Plain HTTP port.
    pub http_port: Option<Spanned<i64>>,
    /// HTTPS port.
    pub https_port: Option<Spanned<i64>>,
    /// Pages to check.
    pub pages: Option<Vec<Spanned<String>>>,
    /// Auth paths.
    #[serde(default)]
    pub auth_paths: Vec<Spanned<String>>,
    /// Environment variables `${VAR}` may expand besides `LAUNCHREADY_*`.
    pub env: Option<Vec<Spanned<String>>>,
}

/// `[dns]`
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDns {
    /// Expected records.
    #[serde(default)]
    pub expect: Vec<Spanned<RawExpect>>,
}

/// One `[dns] expect` entry.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawExpect {
    /// Record owner name.
    pub name: String,
    /// Record type.
    #[serde(rename = "type")]
    pub rtype: String,
    /// Expected value.
    pub value: String,
}

/// `[tls]`
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTls {
    /// Minimum days of validity left.
    pub min_days_valid: Option<Spanned<i64>>,
}

/// `[email]`
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEmail {
    /// Sending domain.
    pub domain: Option<Spanned<String>>,
    /// DKIM selectors.
    #[serde(default)]
    pub dkim_selectors: Vec<Spanned<String>>,
}

/// `[secrets]`
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSecrets {
    /// Paths to scan.
    pub paths: Option<Vec<String>>,
    /// Scan git history.
    pub history: Option<bool>,
    /// Build output directories.
    pub build_dirs: Option<Vec<String>>,
    /// Excluded globs.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// `rule:glob` allow entries.
    #[serde(default)]
    pub allow: Vec<Spanned<String>>,
    /// Size above which files are scanned in chunks.
    pub max_file_bytes: Option<Spanned<i64>>,
    /// gitleaks-format rules file.
    pub rules_file: Option<String>,
}

/// One `[[endpoints]]` entry.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEndpoint {
    /// Name used as the finding subject.
    pub name: Spanned<String>,
    /// URL.
    pub url: Spanned<String>,
    /// HTTP method.
    pub method: Option<Spanned<String>>,
    /// Request headers.
    #[serde(default)]
    pub headers: BTreeMap<String, Spanned<String>>,
    /// Request body.
    pub body: Option<Spanned<String>>,
    /// api | auth | chat | webhook
    pub kind: Option<Spanned<String>>,
    /// Number of samples.
    pub samples: Option<Spanned<i64>>,
    /// Concurrent workers.
    pub concurrency: Option<Spanned<i64>>,
    /// p95 budget.
    pub p95_ms: Option<Spanned<i64>>,
    /// First-byte budget.
    pub first_byte_ms: Option<Spanned<i64>>,
    /// Per-request timeout.
    pub timeout_ms: Option<Spanned<i64>>,
    /// Opt-in rate-limit burst.
    pub probe_rate_limit: Option<bool>,
    /// Requests in the rate-limit burst.
    pub burst: Option<Spanned<i64>>,
    /// Status codes the endpoint is expected to answer.
    pub expect_status: Option<Spanned<Vec<Spanned<i64>>>>,
}

/// `[gate]`
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGate {
    /// Lowest severity that fails the gate.
    pub fail_on: Option<Spanned<String>>,
    /// Accepted risks, by id or fingerprint.
    #[serde(default)]
    pub ignore: Vec<Spanned<String>>,
}

/// `[handover]`
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHandover {
    /// Owner per area.
    pub owners: Option<Spanned<BTreeMap<String, String>>>,
    /// Rollback document (path or URL).
    pub rollback_doc: Option<Spanned<String>>,
    /// Uptime monitor URL.
    pub uptime_monitor: Option<Spanned<String>>,
}

/// One `[[flows]]` entry: a customer path.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFlow {
    /// Name (finding subject).
    pub name: Spanned<String>,
    /// `[[flows.steps]]`, in order.
    #[serde(default)]
    pub steps: Vec<Spanned<RawStep>>,
}

/// One `[[flows.steps]]` entry.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStep {
    /// Step name.
    pub name: Option<Spanned<String>>,
    /// HTTP method.
    pub method: Option<Spanned<String>>,
    /// URL (required; checked in validation so the error names the step).
    pub url: Option<Spanned<String>>,
    /// Request headers.
    #[serde(default)]
    pub headers: BTreeMap<String, Spanned<String>>,
    /// JSON body.
    pub json: Option<Spanned<toml::Value>>,
    /// Raw body.
    pub body: Option<Spanned<String>>,
    /// Form body.
    pub form: Option<BTreeMap<String, Spanned<String>>>,
    /// Expectations.
    pub expect: Option<RawStepExpect>,
    /// Variable name -> `kind:argument`.
    #[serde(default)]
    pub capture: BTreeMap<String, Spanned<String>>,
}

/// A step's `expect`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStepExpect {
    /// Accepted statuses.
    pub status: Option<Vec<Spanned<i64>>>,
    /// Substrings the body must contain.
    #[serde(default)]
    pub body_contains: Vec<Spanned<String>>,
    /// JSON pointer -> expected value.
    #[serde(default)]
    pub json: BTreeMap<String, Spanned<toml::Value>>,
    /// Headers that must be present.
    #[serde(default)]
    pub header: Vec<Spanned<String>>,
    /// Time budget for the step.
    pub max_ms: Option<Spanned<i64>>,
}

/// `[ai]`: the chat endpoint's safety probes.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAi {
    /// Name of an `[[endpoints]]` entry.
    pub endpoint: Spanned<String>,
    /// Request body template with `{{message}}` and `{{session}}`.
    pub body: Option<Spanned<String>>,
    /// `json:<pointer>` | `sse:openai` | `sse:data` | `text`.
    pub reply: Option<Spanned<String>>,
    /// String planted in the system prompt.
    pub canary: Option<Spanned<String>>,
    /// Hard budget of chat requests.
    pub max_requests: Option<Spanned<i64>>,
    /// Requests in flight at once.
    pub concurrency: Option<Spanned<i64>>,
    /// Length of the long-input probe, in characters.
    pub long_input_chars: Option<Spanned<i64>>,
    /// The product's own evals.
    #[serde(default)]
    pub evals: Vec<RawAiEval>,
}

/// One `[[ai.evals]]` entry.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAiEval {
    /// Shown in findings.
    pub name: Spanned<String>,
    /// What is sent.
    pub message: Spanned<String>,
    /// Substrings the reply must contain.
    #[serde(default)]
    pub expect_contains: Vec<String>,
    /// Substrings the reply must not contain.
    #[serde(default)]
    pub expect_not_contains: Vec<String>,
    /// A regex the reply must match.
    pub expect_regex: Option<Spanned<String>>,
    /// Latency budget of this reply.
    pub max_ms: Option<Spanned<i64>>,
}

/// `[env]`
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEnv {
    /// The environment this audit runs for ("production", "staging"...).
    pub environment: Option<Spanned<String>>,
    /// Variables that must be set in the process environment.
    #[serde(default)]
    pub required: Vec<Spanned<String>>,
    /// Environment name -> dotenv file, compared by hash only.
    pub files: Option<Spanned<BTreeMap<String, String>>>,
}
