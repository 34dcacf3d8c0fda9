//! Git history: every blob reachable from every ref, each scanned once.
//!
//! Commits are walked oldest-first (topological + reverse) from every ref
//! (`refs/*`) and HEAD (an unborn HEAD is ignored). Tree and blob ids already
//! seen are skipped, so each distinct blob is read and scanned exactly once,
//! attributed to the first (oldest) commit and path it appears under. The
//! walking thread feeds blob ids through a bounded channel to scanning
//! workers, each with its own repository handle, so memory stays bounded
//! (apart from the seen-id sets).

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::mpsc::{Receiver, sync_channel};
use std::sync::{Mutex, PoisonError};

use git2::{ObjectType, Oid, Repository, Sort, Tree};
use globset::GlobSet;

use super::SecretsError;
use super::engine::{Engine, Match, keystore_match};
use super::walk::{has_binary_extension, is_env_name, looks_binary, scan_slice};

/// Blobs larger than this are skipped (libgit2 inflates a blob in memory).
const MAX_BLOB_BYTES: usize = 256 * 1024 * 1024;
/// Versions of one `.env` path kept for judging its content.
pub(crate) const MAX_ENV_BLOBS: usize = 16;
/// Bounded queue between the tree walker and the scanners.
const QUEUE: usize = 1024;

/// A match in a historical blob.
#[derive(Debug)]
pub(crate) struct HistoryHit {
    /// Path of the blob when first seen.
    pub path: String,
    /// Index of the first commit (in oldest-first walk order).
    pub commit_index: usize,
    /// The match.
    pub m: Match,
}

/// What the history scan produced.
#[derive(Debug, Default)]
pub(crate) struct HistoryOutput {
    pub hits: Vec<HistoryHit>,
    /// Commit ids in oldest-first order (`commit_index` indexes this).
    pub commits: Vec<Oid>,
    pub blobs: u64,
    pub bytes: u64,
    /// `.env*` paths ever committed: the index of the first commit and
    /// every distinct blob seen under the path (at most [`MAX_ENV_BLOBS`]).
    pub env_paths: HashMap<String, (usize, Vec<Oid>)>,
    pub warnings: Vec<String>,
    /// Paths of submodules (gitlinks) in any commit: another repository, not scanned.
    pub submodules: std::collections::BTreeSet<String>,
}

struct Job {
    blob: Oid,
    path: String,
    commit_index: usize,
}

fn git_err(path: &Path, e: &git2::Error) -> SecretsError {
    SecretsError::Git {
        path: path.to_path_buf(),
        message: e.message().to_string(),
    }
}

/// Scans the whole history of the repository at `repo_dir`.
pub(crate) fn scan_history(
    repo_dir: &Path,
    engine: &Engine,
    exclude: &GlobSet,
    chunk: usize,
    workers: usize,
) -> Result<HistoryOutput, SecretsError> {
    let repo = Repository::open(repo_dir).map_err(|e| git_err(repo_dir, &e))?;
    let git_dir = repo.path().to_path_buf();
    let mut walk = repo.revwalk().map_err(|e| git_err(repo_dir, &e))?;
    walk.set_sorting(Sort::TOPOLOGICAL | Sort::TIME | Sort::REVERSE)
        .map_err(|e| git_err(repo_dir, &e))?;
    let mut out = HistoryOutput::default();
    if let Err(e) = walk.push_glob("*") {
        out.warnings.push(format!(
            "git history of {}: cannot list refs: {}",
            repo_dir.display(),
            e.message()
        ));
    }
    // unborn HEAD (fresh repo) is not an error
    let _ = walk.push_head();
    let mut commits = Vec::new();
    for oid in walk {
        match oid {
            Ok(o) => commits.push(o),
            Err(e) => out.warnings.push(format!(
                "git history of {}: revwalk error: {}",
                repo_dir.display(),
                e.message()
            )),
        }
    }

    let (tx, rx) = sync_channel::<Job>(QUEUE);
    let rx = Mutex::new(rx);
    let results: Mutex<(Vec<HistoryHit>, u64, u64, Vec<String>)> =
        Mutex::new((Vec::new(), 0, 0, Vec::new()));
    let mut env_paths: HashMap<String, (usize, Vec<Oid>)> = HashMap::new();
    let mut walk_warnings = Vec::new();
    let mut submodules = std::collections::BTreeSet::new();

    std::thread::scope(|s| {
        for _ in 0..workers.max(1) {
            let rx = &rx;
            let results = &results;
            let git_dir = &git_dir;
            s.spawn(move || worker(git_dir, engine, chunk, rx, results));
        }
        let mut seen_trees: HashSet<Oid> = HashSet::new();
        let mut seen_blobs: HashSet<Oid> = HashSet::new();
        for (ci, oid) in commits.iter().enumerate() {
            let tree = match repo.find_commit(*oid).and_then(|c| c.tree()) {
                Ok(t) => t,
                Err(e) => {
                    walk_warnings.push(format!("commit {oid}: {}", e.message()));
                    continue;
                }
            };
            if !seen_trees.insert(tree.id()) {
                continue;
            }
            let mut ctx = TreeCtx {
                repo: &repo,
                exclude,
                seen_trees: &mut seen_trees,
                seen_blobs: &mut seen_blobs,
                env_paths: &mut env_paths,
                commit_index: ci,
                warnings: &mut walk_warnings,
                submodules: &mut submodules,
            };
            if !visit_tree(&mut ctx, &tree, "", &tx) {
                break;
            }
        }
        drop(tx);
    });

    let (hits, blobs, bytes, warnings) =
        results.into_inner().unwrap_or_else(PoisonError::into_inner);
    out.hits = hits;
    out.blobs = blobs;
    out.bytes = bytes;
    out.warnings.extend(walk_warnings);
    out.warnings.extend(warnings);
    out.env_paths = env_paths;
    out.commits = commits;
    out.submodules = submodules;
    Ok(out)
}

struct TreeCtx<'a> {
    repo: &'a Repository,
    exclude: &'a GlobSet,
    seen_trees: &'a mut HashSet<Oid>,
    seen_blobs: &'a mut HashSet<Oid>,
    env_paths: &'a mut HashMap<String, (usize, Vec<Oid>)>,
    commit_index: usize,
    warnings: &'a mut Vec<String>,
    submodules: &'a mut std::collections::BTreeSet<String>,
}

/// Returns false when the workers are gone (stop walking).
fn visit_tree(
    ctx: &mut TreeCtx<'_>,
    tree: &Tree<'_>,
    prefix: &str,
    tx: &std::sync::mpsc::SyncSender<Job>,
) -> bool {
    for entry in tree.iter() {
        let name = String::from_utf8_lossy(entry.name_bytes());
        let path = if prefix.is_empty() {
            name.into_owned()
        } else {
            format!("{prefix}/{name}")
        };
        match entry.kind() {
            Some(ObjectType::Tree) => {
                if ctx.exclude.is_match(&path) || !ctx.seen_trees.insert(entry.id()) {
                    continue;
                }
                match ctx.repo.find_tree(entry.id()) {
                    Ok(sub) => {
                        if !visit_tree(ctx, &sub, &path, tx) {
                            return false;
                        }
                    }
                    Err(e) => ctx.warnings.push(format!("tree {path}: {}", e.message())),
                }
            }
            Some(ObjectType::Blob) => {
                // symlinks are blobs too (filemode 0o120000): skip them
                if entry.filemode() == 0o120000 || ctx.exclude.is_match(&path) {
                    continue;
                }
                if is_env_name(&path) {
                    let e = ctx
                        .env_paths
                        .entry(path.clone())
                        .or_insert((ctx.commit_index, Vec::new()));
                    if e.1.len() < MAX_ENV_BLOBS && !e.1.contains(&entry.id()) {
                        e.1.push(entry.id());
                    }
                }
                if !ctx.seen_blobs.insert(entry.id()) || has_binary_extension(&path) {
                    continue;
                }
                let job = Job {
                    blob: entry.id(),
                    path,
                    commit_index: ctx.commit_index,
                };
                if tx.send(job).is_err() {
                    return false;
                }
            }
            // A gitlink: the commit of another repository (a submodule). Its content is not in
            // this repository's object store and is not scanned across the boundary; its path
            // is reported.
            Some(ObjectType::Commit) => {
                ctx.submodules.insert(path);
            }
            _ => {}
        }
    }
    true
}

type Results = Mutex<(Vec<HistoryHit>, u64, u64, Vec<String>)>;

fn worker(
    git_dir: &Path,
    engine: &Engine,
    chunk: usize,
    rx: &Mutex<Receiver<Job>>,
    results: &Results,
) {
    let repo = match Repository::open(git_dir) {
        Ok(r) => r,
        Err(e) => {
            let mut g = results.lock().unwrap_or_else(PoisonError::into_inner);
            g.3.push(format!(
                "cannot open {}: {}",
                git_dir.display(),
                e.message()
            ));
            return;
        }
    };
    let odb = repo.odb().ok();
    let mut local_hits = Vec::new();
    let (mut blobs, mut bytes) = (0u64, 0u64);
    let mut warnings = Vec::new();
    loop {
        let job = {
            let guard = rx.lock().unwrap_or_else(PoisonError::into_inner);
            guard.recv()
        };
        let Ok(job) = job else { break };
        // The object header says how big the blob is without inflating it: a blob past the cap
        // is never read into memory.
        match odb.as_ref().map(|o| o.read_header(job.blob)) {
            Some(Ok((size, _))) if size > MAX_BLOB_BYTES => {
                warnings.push(format!(
                    "history: {} in blob {} is larger than {} MiB; skipped",
                    job.path,
                    job.blob,
                    MAX_BLOB_BYTES >> 20
                ));
                continue;
            }
            _ => {}
        }
        let blob = match repo.find_blob(job.blob) {
            Ok(b) => b,
            Err(e) => {
                warnings.push(format!("blob {} ({}): {}", job.blob, job.path, e.message()));
                continue;
            }
        };
        let content = blob.content();
        if super::passwords::keystore_kind(&job.path).is_some() {
            let head = &content[..content.len().min(1 << 20)];
            if let Some(m) = keystore_match(&job.path, head, content.len() as u64) {
                local_hits.push(HistoryHit {
                    path: job.path.clone(),
                    commit_index: job.commit_index,
                    m,
                });
            }
            blobs += 1;
            continue;
        }
        if looks_binary(content) {
            continue;
        }
        let mut found = Vec::new();
        let n = scan_slice(engine, content, &job.path, chunk, &mut found);
        blobs += 1;
        bytes += n;
        for m in found {
            local_hits.push(HistoryHit {
                path: job.path.clone(),
                commit_index: job.commit_index,
                m,
            });
        }
    }
    let mut g = results.lock().unwrap_or_else(PoisonError::into_inner);
    g.0.extend(local_hits);
    g.1 += blobs;
    g.2 += bytes;
    g.3.extend(warnings);
}
