//! Secret scanning: finds credentials committed to, or about to be deployed
//! from, a repository.
//!
//! * [`Engine`] holds the compiled rules (built-in provider rules, passwords,
//!   password hashes, framework secrets and key files, plus optional
//!   gitleaks-format extra rules) and scans one byte buffer.
//! * [`scan_repo`] scans a repository: the work tree (git-ignored files are
//!   skipped), configured build directories (scanned even when ignored,
//!   because they get deployed), every `*.log` file, and every blob
//!   reachable from every ref in git history (each blob once). It also checks
//!   `.env` hygiene (`secret.env_file_committed`, `secret.env_not_gitignored`).
//! * Output never contains a secret value: only [`redact`]ed forms (first 4
//!   and last 2 characters plus length) and SHA-256 hashes.
//!
//! Suppression: `ScanOptions::allow` (`"rule_id:glob"`), and an inline
//! `launchready:allow` marker anywhere on the line of a match. Fingerprints
//! (`RepoFinding::fingerprint_key`) are `rule_id:path:sha256(secret)` so they
//! survive unrelated line moves.

mod check;
mod engine;
mod git;
mod gitleaks;
mod passwords;
mod rules;
mod staged;
mod walk;

#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use globset::{Glob, GlobBuilder, GlobMatcher, GlobSet, GlobSetBuilder};

pub use check::{
    Secrets, builtin_rule_ids, rule_info, rule_infos, rules_file_messages, scan_into_mode,
};
pub use engine::Engine;
pub use staged::scan_staged;

/// Severity of a match, mirrors the product's severity scale.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SecretSeverity {
    /// Live credential that grants access (cloud keys, private keys...).
    Critical,
    /// Likely credential (e.g. a JWT).
    High,
    /// Possible credential (generic high-entropy value, env hygiene).
    Medium,
    /// Low impact (test-mode keys).
    Low,
    /// Informational.
    Info,
}

/// Where a match was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SourceKind {
    /// A file in the work tree (tracked, or untracked and not ignored).
    WorkTree,
    /// A blob that exists only in git history.
    History,
    /// A file inside a configured build directory.
    BuildOutput,
    /// A `*.log` file.
    Log,
    /// A buffer scanned directly with [`Engine::scan`].
    Buffer,
    /// A blob staged for the next commit (`audit --repo --staged`).
    Staged,
}

/// Options for [`scan_repo`].
#[derive(Clone, Debug)]
pub struct ScanOptions {
    /// Paths to walk, relative to the root. Default `["."]`.
    pub paths: Vec<PathBuf>,
    /// Scan every blob reachable from every ref. Default `true`.
    pub history: bool,
    /// Build output directories (relative to the root), scanned even when
    /// git-ignored because they get deployed.
    pub build_dirs: Vec<PathBuf>,
    /// Globs relative to the root to skip entirely, e.g. `"fixtures/**"`.
    /// `*` does not cross `/`; `**` does.
    pub exclude: Vec<String>,
    /// `"rule_id:glob"` suppressions, e.g.
    /// `"secret.generic_high_entropy:docs/**"`; the rule id may omit the
    /// `secret.` prefix, `*` means any rule.
    pub allow: Vec<String>,
    /// Files bigger than this are scanned in chunks of this size with an
    /// overlap, so memory stays bounded. Default 8 MiB.
    pub max_file_bytes: u64,
    /// Optional gitleaks-format TOML file with extra rules (a relative path
    /// is tried against the current directory, then against the root).
    pub rules_file: Option<PathBuf>,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            paths: vec![PathBuf::from(".")],
            history: true,
            build_dirs: Vec::new(),
            exclude: Vec::new(),
            allow: Vec::new(),
            max_file_bytes: 8 * 1024 * 1024,
            rules_file: None,
        }
    }
}

/// One finding of [`scan_repo`]. Never contains a secret value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RepoFinding {
    /// `secret.<rule>`, `secret.env_file_committed` or
    /// `secret.env_not_gitignored`.
    pub rule_id: String,
    /// One specific line, e.g. "GitHub token in src/config.ts".
    pub title: String,
    /// Severity.
    pub severity: SecretSeverity,
    /// `path:line` (relative, forward slashes), or `path` for env hygiene.
    pub subject: String,
    /// Redacted value and where it was found; for history also the first
    /// commit (short sha), its path and whether the secret is still in the
    /// work tree.
    pub evidence: String,
    /// Where it was found.
    pub source: SourceKind,
    /// Stable key for suppression fingerprints: rule id, path and the
    /// secret's SHA-256 (never the line number).
    pub fingerprint_key: String,
    /// Hex SHA-256 of the secret, when the finding is about a secret value.
    pub secret_sha256: Option<String>,
    /// The commit (short sha) that first added it, for history findings and for work-tree
    /// findings whose value is also in history.
    pub commit: Option<String>,
}

/// Result of [`scan_repo`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ScanReport {
    /// Findings, most severe first.
    pub findings: Vec<RepoFinding>,
    /// Non-fatal problems (not a git repo, unreadable files, unsupported
    /// rules-file fields...).
    pub warnings: Vec<String>,
    /// Files scanned in the work tree, build dirs and logs.
    pub files_scanned: u64,
    /// Bytes scanned (files plus history blobs).
    pub bytes_scanned: u64,
    /// Distinct history blobs scanned.
    pub blobs_scanned: u64,
    /// Other repositories inside this one (submodules, nested clones; work tree or history):
    /// root-relative paths, reported and not scanned.
    pub submodules: Vec<String>,
    /// Configured paths or build directories that lead outside the repository (through `..`
    /// or a symlink): not followed.
    pub not_followed: Vec<String>,
    /// What loading `rules_file` did: "loaded N of M rules" first, then one
    /// line per dropped rule, allowlist or field. Empty without a rules file.
    pub rules_file_messages: Vec<String>,
}

/// Errors of the secret scanner. Messages name the path and the cause.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SecretsError {
    /// A file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The rules file is not valid TOML (the message has line and column).
    #[error("invalid TOML in rules file {path}: {message}")]
    RulesParse {
        /// The rules file.
        path: PathBuf,
        /// Parser message including line and column.
        message: String,
    },
    /// An `exclude` or `allow` glob is invalid.
    #[error("invalid {setting} pattern {pattern:?}: {message}")]
    InvalidPattern {
        /// `exclude` or `allow`.
        setting: &'static str,
        /// The offending pattern.
        pattern: String,
        /// The cause.
        message: String,
    },
    /// The scan root is missing or not a directory.
    #[error("scan root {path} is not a directory")]
    NotADirectory {
        /// The root.
        path: PathBuf,
    },
    /// Reading git data failed.
    #[error("git error in {path}: {message}")]
    Git {
        /// The repository.
        path: PathBuf,
        /// libgit2's message.
        message: String,
    },
}

/// At most this many paths are listed for a value found in history.
const MAX_HISTORY_PATHS: usize = 10;

/// Env-hygiene rule ids.
const ENV_COMMITTED: &str = "secret.env_file_committed";
const ENV_NOT_IGNORED: &str = "secret.env_not_gitignored";

fn glob(setting: &'static str, pattern: &str) -> Result<Glob, SecretsError> {
    GlobBuilder::new(pattern)
        .literal_separator(true)
        .build()
        .map_err(|e| SecretsError::InvalidPattern {
            setting,
            pattern: pattern.to_string(),
            message: e.to_string(),
        })
}

/// The settings every scan path applies the same way: excluded globs, allow entries and the
/// chunk length for large files.
struct Filters {
    exclude: GlobSet,
    allow: Vec<AllowRule>,
    chunk: usize,
}

impl Filters {
    fn new(opts: &ScanOptions) -> Result<Filters, SecretsError> {
        let mut ex = GlobSetBuilder::new();
        for pat in &opts.exclude {
            ex.add(glob("exclude", pat)?);
        }
        let exclude = ex.build().map_err(|e| SecretsError::InvalidPattern {
            setting: "exclude",
            pattern: opts.exclude.join(", "),
            message: e.to_string(),
        })?;
        let allow = opts
            .allow
            .iter()
            .map(|s| parse_allow(s))
            .collect::<Result<Vec<_>, _>>()?;
        let chunk = usize::try_from(opts.max_file_bytes)
            .unwrap_or(usize::MAX)
            .clamp(1024, 1 << 30);
        Ok(Filters {
            exclude,
            allow,
            chunk,
        })
    }
}

struct AllowRule {
    rule: Option<String>,
    glob: GlobMatcher,
}

fn parse_allow(spec: &str) -> Result<AllowRule, SecretsError> {
    let (rule, pat) = match spec.split_once(':') {
        Some((r, p)) => (r.trim(), p.trim()),
        None => ("*", spec.trim()),
    };
    let rule = match rule {
        "*" | "" => None,
        r if r.starts_with("secret.") => Some(r.to_string()),
        r => Some(format!("secret.{r}")),
    };
    Ok(AllowRule {
        rule,
        glob: glob("allow", pat)?.compile_matcher(),
    })
}

fn allowed(allow: &[AllowRule], rule_id: &str, path: &str) -> bool {
    allow
        .iter()
        .any(|a| a.rule.as_deref().is_none_or(|r| r == rule_id) && a.glob.is_match(path))
}

/// Template env files (`.env.example`, `.env.sample`, `.env.template`,
/// `.env.dist`, `.env.defaults`, also e.g. `.env.local.example`).
fn is_env_template(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    name.split('.').skip(2).any(|seg| {
        matches!(
            seg,
            "example" | "sample" | "template" | "tpl" | "dist" | "defaults" | "default" | "schema"
        )
    })
}

/// A template env file whose secret-like keys carry real-looking values
/// (not empty, not a placeholder). Returns the first such key.
fn template_real_value(content: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(content);
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").unwrap_or(line);
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let key_l = key.trim().to_ascii_lowercase();
        let secretish = [
            "password",
            "passwd",
            "pwd",
            "secret",
            "token",
            "key",
            "auth",
            "credential",
        ]
        .iter()
        .any(|w| key_l.contains(w));
        let value = value.trim().trim_matches(|c| c == '"' || c == '\'');
        let value = value.split(" #").next().unwrap_or(value).trim();
        if secretish
            && value.len() >= 12
            && !rules::is_placeholder(value)
            && rules::shannon_entropy(value.as_bytes()) >= 3.0
        {
            return Some(key.trim().to_string());
        }
    }
    None
}

fn short(oid: &git2::Oid) -> String {
    let s = oid.to_string();
    s[..s.len().min(7)].to_string()
}

/// Scans a repository (work tree, build dirs, logs and git history) for
/// secrets and `.env` hygiene problems. Blocking; uses every core (run it in
/// `spawn_blocking` from async code).
pub fn scan_repo(root: &Path, opts: &ScanOptions) -> Result<ScanReport, SecretsError> {
    if !root.is_dir() {
        return Err(SecretsError::NotADirectory {
            path: root.to_path_buf(),
        });
    }
    let mut report = ScanReport::default();
    let engine = match &opts.rules_file {
        Some(p) => {
            // relative paths: the current directory first, then the root
            let p = if p.is_relative() && !p.exists() && root.join(p).exists() {
                root.join(p)
            } else {
                p.clone()
            };
            let (e, w) = Engine::with_rules_file(&p)?;
            report.rules_file_messages = w;
            e
        }
        None => Engine::builtin(),
    };
    let Filters {
        exclude,
        allow,
        chunk,
    } = Filters::new(opts)?;

    let repo = match git2::Repository::open(root) {
        Ok(r) => Some(r),
        Err(e) => {
            report.warnings.push(format!(
                "{} is not a git repository ({}): git history and .env gitignore checks skipped, \
                 work tree walked without .gitignore",
                root.display(),
                e.message()
            ));
            None
        }
    };
    let git_aware = repo.is_some();

    // ---- work tree, build dirs, logs
    let walked = walk::walk(
        &walk::WalkConfig {
            root,
            paths: &opts.paths,
            build_dirs: &opts.build_dirs,
            exclude: &exclude,
            chunk,
            git_aware,
        },
        &engine,
    );
    report.files_scanned = walked.files;
    report.bytes_scanned = walked.bytes;
    report.warnings.extend(walked.warnings);
    report.submodules = walked.submodules;
    report.not_followed = walked.outside;

    // ---- history
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let history = match (&repo, opts.history) {
        (Some(_), true) => {
            let h = git::scan_history(root, &engine, &exclude, chunk, workers)?;
            report.blobs_scanned = h.blobs;
            report.bytes_scanned += h.bytes;
            Some(h)
        }
        _ => None,
    };
    if let Some(h) = &history {
        report.warnings.extend(h.warnings.iter().cloned());
        report.submodules.extend(h.submodules.iter().cloned());
    }
    report.submodules.sort();
    report.submodules.dedup();

    // ---- aggregate file hits: one finding per (rule, path, secret)
    struct Agg {
        hit: walk::FileHit,
        count: usize,
    }
    let mut file_aggs: BTreeMap<(String, String, String), Agg> = BTreeMap::new();
    for h in walked.hits {
        if allowed(&allow, &h.m.rule_id, &h.path) {
            continue;
        }
        let key = (
            h.m.rule_id.clone(),
            h.path.clone(),
            h.m.secret_sha256.clone(),
        );
        match file_aggs.get_mut(&key) {
            Some(a) => {
                a.count += 1;
                if h.m.offset < a.hit.m.offset {
                    a.hit = h;
                }
            }
            None => {
                file_aggs.insert(key, Agg { hit: h, count: 1 });
            }
        }
    }
    let worktree_shas: HashSet<String> = file_aggs
        .values()
        .map(|a| a.hit.m.secret_sha256.clone())
        .collect();

    // ---- aggregate history hits: earliest commit per (rule, secret), and
    // every path the value appears under (capped)
    let mut hist_first: HashMap<(String, String), git::HistoryHit> = HashMap::new();
    let mut hist_paths: HashMap<(String, String), (Vec<String>, usize)> = HashMap::new();
    let mut history_note: HashMap<String, String> = HashMap::new();
    let mut history_commit: HashMap<String, String> = HashMap::new();
    if let Some(h) = &history {
        let mut hits: Vec<&git::HistoryHit> = h.hits.iter().collect();
        hits.sort_by(|a, b| {
            (a.commit_index, &a.path, a.m.offset).cmp(&(b.commit_index, &b.path, b.m.offset))
        });
        for hh in hits {
            if allowed(&allow, &hh.m.rule_id, &hh.path) {
                continue;
            }
            let key = (hh.m.rule_id.clone(), hh.m.secret_sha256.clone());
            let paths = hist_paths.entry(key.clone()).or_default();
            if !paths.0.contains(&hh.path) {
                if paths.0.len() < MAX_HISTORY_PATHS {
                    paths.0.push(hh.path.clone());
                } else {
                    paths.1 += 1;
                }
            }
            if hist_first.contains_key(&key) {
                continue;
            }
            let commit = h
                .commits
                .get(hh.commit_index)
                .map(short)
                .unwrap_or_default();
            history_commit
                .entry(hh.m.secret_sha256.clone())
                .or_insert_with(|| commit.clone());
            history_note
                .entry(hh.m.secret_sha256.clone())
                .or_insert_with(|| format!("first added in commit {commit} ({})", hh.path));
            hist_first.insert(
                key,
                git::HistoryHit {
                    path: hh.path.clone(),
                    commit_index: hh.commit_index,
                    m: hh.m.clone(),
                },
            );
        }
    }

    for a in file_aggs.into_values() {
        let h = a.hit;
        let (title, where_) = match h.source {
            SourceKind::BuildOutput => (
                format!("{} in build output {}", h.m.title, h.path),
                "build output",
            ),
            SourceKind::Log => (format!("{} in log file {}", h.m.title, h.path), "log file"),
            _ => (format!("{} in {}", h.m.title, h.path), "work tree"),
        };
        let mut evidence = format!("{} at {}:{} ({where_})", h.m.redacted, h.path, h.m.line);
        if let Some(why) = &h.m.downgraded {
            evidence.push_str(&format!("; {why}"));
        }
        if a.count > 1 {
            evidence.push_str(&format!("; {} occurrences in this file", a.count));
        }
        if let Some(note) = history_note.get(&h.m.secret_sha256) {
            evidence.push_str(&format!("; {note}, still in work tree: yes"));
        }
        report.findings.push(RepoFinding {
            fingerprint_key: format!("{}:{}:{}", h.m.rule_id, h.path, h.m.secret_sha256),
            rule_id: h.m.rule_id,
            title,
            severity: h.m.severity,
            subject: format!("{}:{}", h.path, h.m.line),
            evidence,
            source: h.source,
            commit: history_commit.get(&h.m.secret_sha256).cloned(),
            secret_sha256: Some(h.m.secret_sha256),
        });
    }
    let mut hist_sorted: Vec<git::HistoryHit> = hist_first.into_values().collect();
    hist_sorted.sort_by(|a, b| (a.commit_index, &a.path).cmp(&(b.commit_index, &b.path)));
    for hh in hist_sorted {
        if worktree_shas.contains(&hh.m.secret_sha256) {
            continue;
        }
        let commit = history
            .as_ref()
            .and_then(|h| h.commits.get(hh.commit_index))
            .map(short)
            .unwrap_or_default();
        let mut evidence = format!(
            "{}; first added in commit {commit} ({}), still in work tree: no",
            hh.m.redacted, hh.path
        );
        if let Some((paths, more)) =
            hist_paths.get(&(hh.m.rule_id.clone(), hh.m.secret_sha256.clone()))
            && (paths.len() > 1 || *more > 0)
        {
            evidence.push_str(&format!("; found under {}", paths.join(", ")));
            if *more > 0 {
                evidence.push_str(&format!(" and {more} more paths"));
            }
        }
        if let Some(why) = &hh.m.downgraded {
            evidence.push_str(&format!("; {why}"));
        }
        report.findings.push(RepoFinding {
            fingerprint_key: format!("{}:{}:{}", hh.m.rule_id, hh.path, hh.m.secret_sha256),
            rule_id: hh.m.rule_id,
            title: format!("{} in git history ({})", hh.m.title, hh.path),
            severity: hh.m.severity,
            subject: format!("{}:{}", hh.path, hh.m.line),
            evidence,
            source: SourceKind::History,
            commit: Some(commit),
            secret_sha256: Some(hh.m.secret_sha256),
        });
    }

    // ---- .env hygiene
    if let Some(repo) = &repo {
        let with_findings: HashSet<String> = report
            .findings
            .iter()
            .filter_map(|f| f.subject.rsplit_once(':').map(|(p, _)| p.to_string()))
            .collect();
        env_hygiene(
            &EnvCx {
                repo,
                root,
                exclude: &exclude,
                allow: &allow,
                with_findings: &with_findings,
            },
            &walked.env_files,
            history.as_ref(),
            &mut report,
        );
    }

    report.findings.sort_by(|a, b| {
        (a.severity, subject_key(&a.subject), &a.rule_id).cmp(&(
            b.severity,
            subject_key(&b.subject),
            &b.rule_id,
        ))
    });
    Ok(report)
}

/// Sort key for `path:line` subjects: path, then numeric line.
fn subject_key(subject: &str) -> (&str, usize) {
    match subject.rsplit_once(':') {
        Some((path, line)) => match line.parse() {
            Ok(n) => (path, n),
            Err(_) => (subject, 0),
        },
        None => (subject, 0),
    }
}

fn env_finding(
    rule: &str,
    path: &str,
    severity: SecretSeverity,
    title: String,
    evidence: String,
) -> RepoFinding {
    RepoFinding {
        rule_id: rule.to_string(),
        title,
        severity,
        subject: path.to_string(),
        evidence,
        source: SourceKind::WorkTree,
        fingerprint_key: format!("{rule}:{path}"),
        secret_sha256: None,
        commit: None,
    }
}

/// What the `.env` judgement needs besides the report.
struct EnvCx<'a> {
    repo: &'a git2::Repository,
    root: &'a Path,
    exclude: &'a GlobSet,
    allow: &'a [AllowRule],
    /// Paths that already have a secret finding.
    with_findings: &'a HashSet<String>,
}

/// The keys of an env file and those of them that hold secret-looking
/// values (a secret-like name and a value that is not empty, a placeholder,
/// a reference or a default). Values are never returned.
fn env_secret_keys(content: &[u8]) -> (Vec<String>, Vec<String>) {
    const SECRET_PARTS: &[&str] = &[
        "PASSWORD",
        "PASSWD",
        "PWD",
        "PASS",
        "SECRET",
        "TOKEN",
        "KEY",
        "AUTH",
        "CREDENTIAL",
        "PRIVATE",
        "DSN",
        "DATABASE_URL",
    ];
    const META_ENDS: &[&str] = &[
        "_ID",
        "_HOST",
        "_PORT",
        "_USER",
        "_USERNAME",
        "_NAME",
        "_PATH",
        "_FILE",
        "_REGION",
        "_TTL",
        "_LENGTH",
        "_ENABLED",
        "_URL",
    ];
    let text = String::from_utf8_lossy(content);
    let (mut keys, mut secret) = (Vec::new(), Vec::new());
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").unwrap_or(line);
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let key = key.trim();
        if key.is_empty() || !key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            continue;
        }
        keys.push(key.to_string());
        let upper = key.to_ascii_uppercase();
        let metadata =
            META_ENDS.iter().any(|e| upper.ends_with(e)) && !upper.contains("DATABASE_URL");
        let secretish = !metadata && SECRET_PARTS.iter().any(|p| upper.contains(p));
        let value = value.trim();
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.split_once('"').map(|(v, _)| v))
            .or_else(|| {
                value
                    .strip_prefix('\'')
                    .and_then(|v| v.split_once('\'').map(|(v, _)| v))
            })
            .unwrap_or_else(|| value.split(" #").next().unwrap_or(value).trim());
        let url_password = value.contains("://") && value.contains('@') && value.contains(':');
        if secretish && (url_password || passwords::plausible_password(value, true, false)) {
            secret.push(key.to_string());
        }
    }
    (keys, secret)
}

/// The `.env` finding for one path whose contents are `versions`.
fn env_content_finding(
    cx: &EnvCx<'_>,
    path: &str,
    versions: &[Vec<u8>],
    where_: &str,
) -> RepoFinding {
    let mut keys: Vec<String> = Vec::new();
    let mut secret: Vec<String> = Vec::new();
    for v in versions {
        let (k, s) = env_secret_keys(v);
        for x in k {
            if !keys.contains(&x) {
                keys.push(x);
            }
        }
        for x in s {
            if !secret.contains(&x) {
                secret.push(x);
            }
        }
    }
    let scanned_secret = cx.with_findings.contains(path);
    let downgrade = rules::non_production_path(path);
    let list = |v: &[String]| {
        let mut shown: Vec<&str> = v.iter().take(12).map(String::as_str).collect();
        if v.len() > 12 {
            shown.push("...");
        }
        shown.join(", ")
    };
    let (severity, title, mut evidence) = if !secret.is_empty() || scanned_secret {
        let names = if secret.is_empty() {
            "values reported separately by the scan".to_string()
        } else {
            format!("secret values under {} (values not shown)", list(&secret))
        };
        (
            SecretSeverity::Critical,
            format!("Environment file with secrets committed: {path}"),
            format!(
                "{path} {where_} and holds {names}; remove it with `git rm --cached` and rotate them"
            ),
        )
    } else {
        (
            SecretSeverity::Low,
            format!("Environment file committed: {path}"),
            format!(
                "{path} {where_}; its {} keys ({}) hold no secret-looking values, but the next \
                 secret added to it would be committed too",
                keys.len(),
                if keys.is_empty() {
                    "none".to_string()
                } else {
                    list(&keys)
                }
            ),
        )
    };
    let severity = match downgrade {
        Some(part) if severity < SecretSeverity::Low => {
            evidence.push_str(&format!(
                "; downgraded from critical to low: the path is {part}"
            ));
            SecretSeverity::Low
        }
        _ => severity,
    };
    env_finding(ENV_COMMITTED, path, severity, title, evidence)
}

fn env_hygiene(
    cx: &EnvCx<'_>,
    walked_env: &[String],
    history: Option<&git::HistoryOutput>,
    report: &mut ScanReport,
) {
    let (repo, root, exclude, allow) = (cx.repo, cx.root, cx.exclude, cx.allow);
    let mut tracked: BTreeMap<String, Option<git2::Oid>> = BTreeMap::new();
    match repo.index() {
        Ok(index) => {
            for e in index.iter() {
                let p = String::from_utf8_lossy(&e.path).into_owned();
                if walk::is_env_name(&p) && !exclude.is_match(&p) {
                    tracked.insert(p, Some(e.id));
                }
            }
        }
        Err(e) => report.warnings.push(format!(
            "cannot read the git index of {}: {}",
            root.display(),
            e.message()
        )),
    }
    let blob = |id: git2::Oid| repo.find_blob(id).ok().map(|b| b.content().to_vec());
    for (path, id) in &tracked {
        if allowed(allow, ENV_COMMITTED, path) {
            continue;
        }
        let content = std::fs::read(root.join(path))
            .ok()
            .or_else(|| id.and_then(blob));
        if is_env_template(path) {
            if let Some(key) = content.as_deref().and_then(template_real_value) {
                report.findings.push(env_finding(
                    ENV_COMMITTED,
                    path,
                    SecretSeverity::Critical,
                    format!("Template env file with real values committed: {path}"),
                    format!(
                        "{path} is tracked by git and {key} holds a non-placeholder value; \
                         templates should only carry empty or placeholder values"
                    ),
                ));
            }
            continue;
        }
        let mut versions: Vec<Vec<u8>> = content.into_iter().collect();
        if let Some((_, ids)) = history.and_then(|h| h.env_paths.get(path)) {
            versions.extend(ids.iter().filter_map(|&i| blob(i)));
        }
        report.findings.push(env_content_finding(
            cx,
            path,
            &versions,
            "is tracked by git",
        ));
    }
    if let Some(h) = history {
        let mut hist: Vec<(&String, &(usize, Vec<git2::Oid>))> = h.env_paths.iter().collect();
        hist.sort_by(|a, b| a.0.cmp(b.0));
        for (path, (ci, ids)) in hist {
            if tracked.contains_key(path)
                || is_env_template(path)
                || allowed(allow, ENV_COMMITTED, path)
            {
                continue;
            }
            let commit = h.commits.get(*ci).map(short).unwrap_or_default();
            let versions: Vec<Vec<u8>> = ids.iter().filter_map(|&i| blob(i)).collect();
            let mut f = env_content_finding(
                cx,
                path,
                &versions,
                &format!(
                    "was added in commit {commit} and is still in history (no longer tracked)"
                ),
            );
            f.title = f.title.replace("committed:", "in git history:");
            f.source = SourceKind::History;
            f.commit = Some(commit);
            report.findings.push(f);
        }
    }
    let mut seen = HashSet::new();
    for path in walked_env {
        if is_env_template(path) || !seen.insert(path) || allowed(allow, ENV_NOT_IGNORED, path) {
            continue;
        }
        match repo.is_path_ignored(path) {
            Ok(true) => {}
            Ok(false) => report.findings.push(env_finding(
                ENV_NOT_IGNORED,
                path,
                SecretSeverity::Medium,
                format!("Environment file not git-ignored: {path}"),
                format!("{path} exists in the work tree and no .gitignore rule covers it; add `.env*` (keeping templates) to .gitignore"),
            )),
            Err(e) => report
                .warnings
                .push(format!("cannot check whether {path} is ignored: {}", e.message())),
        }
    }
}
