//! Findings: what one observed problem looks like, and the catalogue entry ([`Spec`]) that gives
//! every finding id its default severity, impact and wording.
//!
//! Checks build findings through their spec ([`Spec::finding`]); rank, bucket and fingerprint are
//! derived later in `score.rs`.

use serde::Serialize;
use std::borrow::Cow;
use std::fmt;

/// How bad a finding is. Ordered from worst to least bad.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Breaks the launch or exposes data now.
    Critical,
    /// Must be fixed before customers arrive.
    High,
    /// Fix before scaling.
    Medium,
    /// Fix later.
    Low,
    /// Worth knowing.
    Info,
}

impl Severity {
    /// All severities, worst first.
    pub const ALL: [Severity; 5] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ];

    /// The lowercase name used in reports and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
            Severity::Info => "info",
        }
    }

    /// The bucket a finding of this severity lands in (DESIGN §4).
    pub fn bucket(self) -> Bucket {
        match self {
            Severity::Critical | Severity::High => Bucket::MustFixNow,
            Severity::Medium => Bucket::FixBeforeScale,
            Severity::Low | Severity::Info => Bucket::FixLater,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What kind of harm a finding does to the business. Ordered from worst to least bad.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Impact {
    /// Customer or company data can leak.
    DataExposure,
    /// Customers cannot use the product at all.
    LaunchBlocker,
    /// Customers can use it, but tickets and churn follow.
    SupportLoad,
    /// Fewer visitors convert (speed, trust signals, deliverability).
    Conversion,
}

impl Impact {
    /// The snake_case name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Impact::DataExposure => "data_exposure",
            Impact::LaunchBlocker => "launch_blocker",
            Impact::SupportLoad => "support_load",
            Impact::Conversion => "conversion",
        }
    }
}

/// Where a finding goes in the plan of work, derived from its severity.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Bucket {
    /// Critical and high: blocks the launch.
    MustFixNow,
    /// Medium.
    FixBeforeScale,
    /// Low and info.
    FixLater,
}

impl Bucket {
    /// The snake_case name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Bucket::MustFixNow => "must_fix_now",
            Bucket::FixBeforeScale => "fix_before_scale",
            Bucket::FixLater => "fix_later",
        }
    }
}

/// The name of one check module, as used by `--only/--skip` and the `check` field.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum CheckName {
    /// DNS records.
    Dns,
    /// Redirects, headers, exposure, edge.
    Http,
    /// Certificates and protocols.
    Tls,
    /// SPF, DKIM, DMARC, MX.
    Email,
    /// Leaked secrets in the repo.
    Secrets,
    /// Endpoint latency.
    Perf,
    /// Ownership and operations facts.
    Handover,
    /// Customer paths (multi-step flows) and webhooks.
    Flows,
    /// The chat endpoint's safety and failure handling.
    Ai,
    /// Environment variables and env files (release hygiene).
    Env,
    /// The audit runner itself (`check.error`).
    Check,
}

impl CheckName {
    /// Every selectable check, in report order.
    pub const SELECTABLE: [CheckName; 10] = [
        CheckName::Dns,
        CheckName::Http,
        CheckName::Tls,
        CheckName::Email,
        CheckName::Secrets,
        CheckName::Perf,
        CheckName::Handover,
        CheckName::Flows,
        CheckName::Ai,
        CheckName::Env,
    ];

    /// The lowercase module name.
    pub fn as_str(self) -> &'static str {
        match self {
            CheckName::Dns => "dns",
            CheckName::Http => "http",
            CheckName::Tls => "tls",
            CheckName::Email => "email",
            CheckName::Secrets => "secrets",
            CheckName::Perf => "perf",
            CheckName::Handover => "handover",
            CheckName::Flows => "flows",
            CheckName::Ai => "ai",
            CheckName::Env => "env",
            CheckName::Check => "check",
        }
    }

    /// Parses a module name as typed on the command line.
    pub fn parse(s: &str) -> Option<CheckName> {
        CheckName::SELECTABLE
            .into_iter()
            .find(|c| c.as_str() == s.trim())
    }
}

impl fmt::Display for CheckName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A catalogue entry: everything that is true of a finding id regardless of where it fired.
#[derive(Debug)]
pub struct Spec {
    /// Stable id, `<check>.<observation>`.
    pub id: &'static str,
    /// The check that emits it.
    pub check: CheckName,
    /// Default severity.
    pub severity: Severity,
    /// Business impact.
    pub impact: Impact,
    /// Short title shown in tables.
    pub title: &'static str,
    /// When it fires (one line, from DESIGN §4).
    pub when: &'static str,
    /// Why it matters, in plain words for a founder.
    pub why: &'static str,
    /// How to fix it.
    pub fix: &'static str,
    /// RFCs, MDN, OWASP references.
    pub refs: &'static [&'static str],
}

impl Spec {
    /// Builds a finding from this spec with its defaults.
    pub fn finding(
        &'static self,
        subject: impl Into<String>,
        title: impl Into<String>,
        evidence: impl Into<String>,
    ) -> Finding {
        Finding {
            id: Cow::Borrowed(self.id),
            check: self.check,
            severity: self.severity,
            impact: self.impact,
            subject: subject.into(),
            title: title.into(),
            evidence: evidence.into(),
            fix: Cow::Borrowed(self.fix),
            refs: self.refs.iter().map(|r| Cow::Borrowed(*r)).collect(),
            fingerprint_key: None,
            location: None,
        }
    }
}

/// Where in a repository a finding was made (secret findings): the structured form of a
/// `path:line` subject.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Location {
    /// Path relative to the repository root, forward slashes.
    pub path: String,
    /// 1-based line, when the finding is about one line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// The commit that first added it (short sha), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// `work_tree`, `history`, `build_output`, `log` or `staged`.
    pub source: String,
}

/// One observed problem, as a check reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// Stable id from the catalogue (`secret.<rule>` ids come from the rule table).
    pub id: Cow<'static, str>,
    /// The check that produced it.
    pub check: CheckName,
    /// Severity (the spec default unless the check has reason to change it).
    pub severity: Severity,
    /// Business impact.
    pub impact: Impact,
    /// Host, host:port, URL, file:line, or endpoint name.
    pub subject: String,
    /// One specific line.
    pub title: String,
    /// What was observed; secrets only through `redact::redact`.
    pub evidence: String,
    /// How to fix it.
    pub fix: Cow<'static, str>,
    /// References.
    pub refs: Vec<Cow<'static, str>>,
    /// What the fingerprint hashes besides the id; the subject when `None`. Secret findings
    /// use path + secret hash so the fingerprint survives unrelated lines moving.
    pub fingerprint_key: Option<String>,
    /// Repository location (secret findings), reported as structured JSON fields.
    pub location: Option<Location>,
}

impl Finding {
    /// Sets the severity (builder style).
    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// Replaces the fix text (builder style).
    pub fn with_fix(mut self, fix: impl Into<Cow<'static, str>>) -> Self {
        self.fix = fix.into();
        self
    }

    /// The stable fingerprint: first 16 hex digits of sha256(id, NUL, key).
    pub fn fingerprint(&self) -> String {
        use sha2::{Digest, Sha256};
        let key = self.fingerprint_key.as_deref().unwrap_or(&self.subject);
        let mut h = Sha256::new();
        h.update(self.id.as_bytes());
        h.update([0u8]);
        h.update(key.as_bytes());
        let digest = h.finalize();
        digest[..8].iter().map(|b| format!("{b:02x}")).collect()
    }
}
