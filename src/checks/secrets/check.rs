//! The `secrets` check: runs [`super::scan_repo`] on the project root (the config file's
//! directory, or `--repo PATH`) on a blocking thread and turns its results into findings.

use super::{RepoFinding, ScanOptions, SecretSeverity, SourceKind, scan_repo};
use crate::catalogue::secrets as spec;
use crate::checks::{Check, CheckError, Cx, Sink};
use crate::config::SecretsConfig;
use crate::finding::{CheckName, Finding, Severity};
use crate::model::{Measurement, SecretsScan};
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
    let report = tokio::task::spawn_blocking(move || scan_repo(&root, &opts))
        .await
        .map_err(|e| CheckError::Setup(format!("secret scan stopped: {e}")))?
        .map_err(|e| CheckError::Network {
            subject: shown.clone(),
            cause: e.to_string(),
        })?;
    for f in &report.findings {
        sink.push(to_finding(f));
    }
    sink.measure(Measurement::Secrets(SecretsScan {
        blobs_scanned: report.blobs_scanned,
        bytes_scanned: report.bytes_scanned,
        files_scanned: report.files_scanned,
        root: shown,
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

/// Converts one scan result into a finding; the id is the rule's, the wording the catalogue's.
pub fn to_finding(f: &RepoFinding) -> Finding {
    let base = match f.rule_id.as_str() {
        "secret.generic_high_entropy" => &spec::GENERIC_HIGH_ENTROPY,
        "secret.env_file_committed" => &spec::ENV_FILE_COMMITTED,
        "secret.env_not_gitignored" => &spec::ENV_NOT_GITIGNORED,
        _ => &spec::PROVIDER_CREDENTIAL,
    };
    let source = match f.source {
        SourceKind::WorkTree => "work tree",
        SourceKind::History => "git history",
        SourceKind::BuildOutput => "build output",
        SourceKind::Log => "log file",
        SourceKind::Buffer => "buffer",
    };
    let mut finding = base.finding(
        f.subject.clone(),
        f.title.clone(),
        format!("{} [{source}]", f.evidence),
    );
    finding.id = Cow::Owned(f.rule_id.clone());
    finding.severity = f.severity.into();
    finding.fingerprint_key = Some(f.fingerprint_key.clone());
    finding
}
