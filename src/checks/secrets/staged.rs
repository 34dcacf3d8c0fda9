//! What is being committed: the blobs of the git index that differ from `HEAD` (new or changed
//! files), scanned with the same engine, allow list and excludes as the rest of the scan. This is
//! what a pre-commit hook must judge: a secret already in history is a different decision (it
//! needs rotating, and removing it in the next commit must not be blocked).

use super::walk::{has_binary_extension, is_env_name, looks_binary, scan_slice};
use super::{
    ENV_COMMITTED, Engine, Filters, RepoFinding, ScanOptions, SecretSeverity, SecretsError,
    SourceKind, allowed, is_env_template,
};
use std::path::Path;

/// Staged blobs larger than this are not read (the object header gives the size first).
const MAX_STAGED_BYTES: usize = 64 * 1024 * 1024;

/// Findings in the staged changes of the repository at `root`, and warnings.
pub fn scan_staged(
    root: &Path,
    opts: &ScanOptions,
) -> Result<(Vec<RepoFinding>, Vec<String>), SecretsError> {
    let git = |e: git2::Error| SecretsError::Git {
        path: root.to_path_buf(),
        message: e.message().to_string(),
    };
    let repo = git2::Repository::open(root).map_err(git)?;
    let engine = match &opts.rules_file {
        Some(p) => Engine::with_rules_file(p)?.0,
        None => Engine::builtin(),
    };
    let Filters {
        exclude,
        allow,
        chunk,
    } = Filters::new(opts)?;
    let head = repo.head().ok().and_then(|h| h.peel_to_tree().ok());
    let index = repo.index().map_err(git)?;
    let odb = repo.odb().map_err(git)?;
    let mut findings = Vec::new();
    let mut warnings = Vec::new();
    for entry in index.iter() {
        let path = String::from_utf8_lossy(&entry.path).into_owned();
        // Symlinks and submodules carry no content of their own.
        if entry.mode == 0o120000 || entry.mode == 0o160000 || exclude.is_match(&path) {
            continue;
        }
        let unchanged = head
            .as_ref()
            .and_then(|t| t.get_path(Path::new(&path)).ok())
            .is_some_and(|e| e.id() == entry.id);
        if unchanged {
            continue;
        }
        if is_env_name(&path) && !is_env_template(&path) && !allowed(&allow, ENV_COMMITTED, &path) {
            findings.push(RepoFinding {
                rule_id: ENV_COMMITTED.to_string(),
                title: format!("Environment file staged for commit: {path}"),
                severity: SecretSeverity::Critical,
                subject: path.clone(),
                evidence: format!(
                    "{path} is staged; unstage it with `git restore --staged {path}` and add it to .gitignore"
                ),
                source: SourceKind::Staged,
                fingerprint_key: format!("{ENV_COMMITTED}:{path}"),
                secret_sha256: None,
                commit: None,
            });
        }
        if has_binary_extension(&path) {
            continue;
        }
        match odb.read_header(entry.id) {
            Ok((size, _)) if size > MAX_STAGED_BYTES => {
                warnings.push(format!(
                    "staged {path} is larger than {} MiB; not scanned",
                    MAX_STAGED_BYTES >> 20
                ));
                continue;
            }
            Ok(_) => {}
            Err(e) => {
                warnings.push(format!("staged {path}: {}", e.message()));
                continue;
            }
        }
        let blob = match repo.find_blob(entry.id) {
            Ok(b) => b,
            Err(e) => {
                warnings.push(format!("staged {path}: {}", e.message()));
                continue;
            }
        };
        let content = blob.content();
        if looks_binary(content) {
            continue;
        }
        let mut found = Vec::new();
        scan_slice(&engine, content, &path, chunk, &mut found);
        let mut seen = std::collections::HashSet::new();
        for m in found {
            if allowed(&allow, &m.rule_id, &path)
                || !seen.insert((m.rule_id.clone(), m.secret_sha256.clone()))
            {
                continue;
            }
            findings.push(RepoFinding {
                fingerprint_key: format!("{}:{}:{}", m.rule_id, path, m.secret_sha256),
                title: format!("{} staged in {path}", m.title),
                severity: m.severity,
                subject: format!("{path}:{}", m.line),
                evidence: format!("{} at {path}:{} (staged for commit)", m.redacted, m.line),
                source: SourceKind::Staged,
                rule_id: m.rule_id,
                secret_sha256: Some(m.secret_sha256),
                commit: None,
            });
        }
    }
    Ok((findings, warnings))
}
