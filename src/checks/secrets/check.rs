//! The `secrets` check: runs [`super::scan_repo`] on the project root (the config file's
//! directory, or `--repo PATH`) on a blocking thread and turns its results into findings.

use super::{RepoFinding, ScanOptions, SecretSeverity, SourceKind, scan_repo};
use crate::catalogue::secrets as spec;
use crate::checks::{Check, CheckError, Cx, Sink};
use crate::config::SecretsConfig;
use crate::model::{CheckName, Finding, Measurement, SecretsScan, Severity, Spec};
use futures::future::BoxFuture;
use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The secrets check.
pub struct Secrets;

impl Check for Secrets {
    fn name(&self) -> CheckName {
        CheckName::Secrets
    }

    fn run(&self, cx: Arc<Cx>, sink: Sink) -> BoxFuture<'static, Result<(), CheckError>> {
        Box::pin(async move {
            let root = project_root(&cx.cfg.path);
            // The scan takes every core: it starts once latency sampling is over, or at the
            // latest halfway to the audit deadline (then the perf check says it overlapped).
            let now = tokio::time::Instant::now();
            let halfway = now + cx.deadline.saturating_duration_since(now) / 2;
            cx.quiet.wait(halfway).await;
            scan_into(root, &cx.cfg.secrets, &sink).await
        })
    }
}

/// The directory a config file's relative paths are resolved against.
pub fn project_root(config_path: &Path) -> PathBuf {
    match config_path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Scans `root` with the settings of `[secrets]` and pushes findings (and a measurement).
pub async fn scan_into(root: PathBuf, cfg: &SecretsConfig, sink: &Sink) -> Result<(), CheckError> {
    scan_into_mode(root, cfg, sink, false).await
}

/// Like [`scan_into`]; with `staged`, also scans what is staged for the next commit (those
/// findings have source `staged`), and drops work-tree findings the staged scan repeats.
pub async fn scan_into_mode(
    root: PathBuf,
    cfg: &SecretsConfig,
    sink: &Sink,
    staged: bool,
) -> Result<(), CheckError> {
    let opts = ScanOptions {
        paths: cfg.paths.clone(),
        history: cfg.history,
        build_dirs: cfg.build_dirs.clone(),
        exclude: cfg.exclude.clone(),
        allow: cfg.allow.clone(),
        max_file_bytes: cfg.max_file_bytes,
        rules_file: cfg.rules_file.as_ref().map(|p| {
            if p.is_absolute() {
                p.clone()
            } else {
                root.join(p)
            }
        }),
    };
    let shown = root.display().to_string();
    let (report, staged_found) = tokio::task::spawn_blocking(move || {
        let report = scan_repo(&root, &opts)?;
        let staged_found = if staged {
            Some(super::scan_staged(&root, &opts)?)
        } else {
            None
        };
        Ok::<_, super::SecretsError>((report, staged_found))
    })
    .await
    .map_err(|e| CheckError::Setup(format!("secret scan stopped: {e}")))?
    .map_err(|e| CheckError::Network {
        subject: shown.clone(),
        cause: e.to_string(),
    })?;
    let mut report = report;
    if let Some((found, warnings)) = staged_found {
        report
            .findings
            .retain(|f| !found.iter().any(|s| s.fingerprint_key == f.fingerprint_key));
        report.findings.extend(found);
        report.warnings.extend(warnings);
    }
    for f in &report.findings {
        sink.push(to_finding(f));
    }
    sink.measure(Measurement::Secrets(SecretsScan {
        blobs_scanned: report.blobs_scanned,
        bytes_scanned: report.bytes_scanned,
        files_scanned: report.files_scanned,
        not_followed: report.not_followed.clone(),
        root: shown,
        rules_file_messages: report.rules_file_messages.clone(),
        submodules: report.submodules.clone(),
        warnings: report.warnings.clone(),
    }));
    Ok(())
}

impl From<SecretSeverity> for Severity {
    fn from(s: SecretSeverity) -> Severity {
        match s {
            SecretSeverity::Critical => Severity::Critical,
            SecretSeverity::High => Severity::High,
            SecretSeverity::Medium => Severity::Medium,
            SecretSeverity::Low => Severity::Low,
            SecretSeverity::Info => Severity::Info,
        }
    }
}

/// The catalogue entry whose wording (why, fix, references) a secret rule uses.
fn spec_for(rule_id: &str) -> &'static Spec {
    match rule_id {
        "secret.generic_high_entropy" => &spec::GENERIC_HIGH_ENTROPY,
        "secret.env_file_committed" => &spec::ENV_FILE_COMMITTED,
        "secret.env_not_gitignored" => &spec::ENV_NOT_GITIGNORED,
        "secret.password_hash" => &spec::PASSWORD_HASH,
        "secret.keystore_file" => &spec::KEYSTORE_FILE,
        "secret.password"
        | "secret.url_credentials"
        | "secret.django_secret_key"
        | "secret.flask_secret_key"
        | "secret.rails_secret_key_base"
        | "secret.rails_master_key"
        | "secret.wordpress_salt"
        | "secret.laravel_app_key"
        | "secret.symfony_app_secret"
        | "secret.browser_saved_logins" => &spec::PASSWORD,
        _ => &spec::PROVIDER_CREDENTIAL,
    }
}

/// One rule of the secret rule table, as `checks` and `explain` show it.
#[derive(Debug, Clone)]
pub struct RuleInfo {
    /// `secret.<rule>`.
    pub id: String,
    /// The rule's title.
    pub title: String,
    /// The severity its findings carry (before any downgrade).
    pub severity: Severity,
    /// The catalogue entry whose wording the rule uses.
    pub spec: &'static Spec,
}

/// Every built-in secret rule (one entry per id, table order), plus the key-store rule that
/// works on file names. Ids that have a row of their own in the catalogue are left out.
pub fn rule_infos() -> Vec<RuleInfo> {
    let mut out: Vec<RuleInfo> = Vec::new();
    let mut push = |id: &str, title: &str, severity: SecretSeverity| {
        if !out.iter().any(|r| r.id == id) && id != spec::GENERIC_HIGH_ENTROPY.id {
            out.push(RuleInfo {
                id: id.to_string(),
                title: title.to_string(),
                severity: severity.into(),
                spec: spec_for(id),
            });
        }
    };
    for r in super::rules::builtin_rules() {
        push(r.id, r.title, r.severity);
    }
    push(
        "secret.keystore_file",
        spec::KEYSTORE_FILE.title,
        SecretSeverity::High,
    );
    out
}

/// The ids of [`rule_infos`], as static strings (shell completion for `explain`).
pub fn builtin_rule_ids() -> Vec<&'static str> {
    let mut ids: Vec<&'static str> = super::rules::builtin_rules().iter().map(|r| r.id).collect();
    ids.push("secret.keystore_file");
    ids.dedup();
    ids
}

/// A secret rule by id: a built-in rule, or a rule imported through the `[secrets] rules_file`
/// of `./launchready.toml` (when that file exists and names one). `None` for anything else.
pub fn rule_info(id: &str) -> Option<RuleInfo> {
    if let Some(r) = rule_infos().into_iter().find(|r| r.id == id) {
        return Some(r);
    }
    let rules_file = local_rules_file()?;
    let loaded = super::gitleaks::load(&rules_file).ok()?;
    let r = loaded.rules.into_iter().find(|r| r.id == id)?;
    Some(RuleInfo {
        id: r.id,
        title: r.title,
        severity: r.severity.into(),
        spec: &spec::PROVIDER_CREDENTIAL,
    })
}

/// `[secrets] rules_file` of `./launchready.toml`, resolved against the current directory.
fn local_rules_file() -> Option<PathBuf> {
    let text = std::fs::read_to_string("launchready.toml").ok()?;
    let table: toml::Table = toml::from_str(&text).ok()?;
    let p = table.get("secrets")?.get("rules_file")?.as_str()?;
    Some(PathBuf::from(p))
}

/// The rules-file messages ("loaded N of M rules", dropped rules and allowlists) of the
/// secret scan in a report's measurements; empty when no rules file was used.
pub fn rules_file_messages(m: &crate::model::Measurements) -> Vec<String> {
    m.rules_file_messages()
}

/// Converts one scan result into a finding; the id is the rule's, the wording the catalogue's.
pub fn to_finding(f: &RepoFinding) -> Finding {
    let base = spec_for(&f.rule_id);
    let source = match f.source {
        SourceKind::WorkTree => "work tree",
        SourceKind::History => "git history",
        SourceKind::BuildOutput => "build output",
        SourceKind::Log => "log file",
        SourceKind::Buffer => "buffer",
        SourceKind::Staged => "staged for commit",
    };
    let mut finding = base.finding(
        f.subject.clone(),
        f.title.clone(),
        format!("{} [{source}]", f.evidence),
    );
    finding.id = Cow::Owned(f.rule_id.clone());
    finding.severity = f.severity.into();
    finding.fingerprint_key = Some(f.fingerprint_key.clone());
    let (path, line) = match f.subject.rsplit_once(':') {
        Some((p, l)) if l.parse::<u64>().is_ok() => (p.to_string(), l.parse().ok()),
        _ => (f.subject.clone(), None),
    };
    finding.location = Some(crate::finding::Location {
        path,
        line,
        commit: f.commit.clone(),
        source: match f.source {
            SourceKind::WorkTree => "work_tree",
            SourceKind::History => "history",
            SourceKind::BuildOutput => "build_output",
            SourceKind::Log => "log",
            SourceKind::Buffer => "buffer",
            SourceKind::Staged => "staged",
        }
        .to_string(),
    });
    finding
}
