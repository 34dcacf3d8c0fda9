//! Work-tree, build-directory and `*.log` walking (parallel, `ignore` crate),
//! plus the bounded, chunked streaming scan used for every file and blob.
//!
//! Three walks run one after the other, each in parallel on all cores:
//! 1. the requested paths with `.gitignore` honoured (inside a git repo),
//!    hidden files included, `.git` skipped, build dirs and `*.log` left to
//!    the other walks;
//! 2. every configured build dir with no ignore rules (they get deployed);
//! 3. every `*.log` file under the root, ignored or not.
//!
//! Files are streamed in chunks of `max_file_bytes` with an overlap on both
//! sides, so peak memory per thread is bounded whatever the file size, and a
//! secret that spans a chunk boundary is still found exactly once.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use globset::GlobSet;
use ignore::{WalkBuilder, WalkState};

use super::SourceKind;
use super::engine::{Engine, Match, count_newlines, keystore_match};

/// Bytes inspected for a NUL byte to classify a file as binary.
const BINARY_SNIFF: usize = 8 * 1024;
/// Maximum overlap between chunks.
const MAX_OVERLAP: usize = 64 * 1024;

/// File extensions that are never text.
const BINARY_EXTENSIONS: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "bmp", "ico", "icns", "webp", "avif", "tif", "tiff", "psd", "pdf",
    "zip", "gz", "tgz", "bz2", "xz", "zst", "7z", "rar", "tar", "jar", "war", "ear", "class",
    "exe", "dll", "so", "dylib", "o", "a", "lib", "obj", "wasm", "woff", "woff2", "ttf", "otf",
    "eot", "mp3", "mp4", "m4a", "mov", "avi", "mkv", "webm", "ogg", "wav", "flac", "bin", "dat",
    "db", "sqlite", "sqlite3", "pyc", "pyo", "rlib", "rmeta", "node", "deb", "rpm", "dmg", "iso",
    "img", "heic", "blend", "fbx", "glb", "parquet", "avro", "npy", "pt", "onnx",
];

/// A match in a file, with its root-relative path.
#[derive(Debug)]
pub(crate) struct FileHit {
    /// Root-relative path with forward slashes.
    pub path: String,
    /// Which walk found it.
    pub source: SourceKind,
    /// The match (line/offset are file-absolute).
    pub m: Match,
}

/// Everything the walks produced.
#[derive(Debug, Default)]
pub(crate) struct WalkOutput {
    pub hits: Vec<FileHit>,
    pub files: u64,
    pub bytes: u64,
    /// Root-relative paths of `.env*` files seen by the git-aware walk.
    pub env_files: Vec<String>,
    pub warnings: Vec<String>,
    /// Configured paths and build dirs that resolve outside the root (not walked).
    pub outside: Vec<String>,
    /// Root-relative directories that are another repository (not walked).
    pub submodules: Vec<String>,
}

/// Settings shared by the walks.
pub(crate) struct WalkConfig<'a> {
    pub root: &'a Path,
    pub paths: &'a [PathBuf],
    pub build_dirs: &'a [PathBuf],
    pub exclude: &'a GlobSet,
    pub chunk: usize,
    pub git_aware: bool,
}

/// Is this a known binary file extension?
pub(crate) fn has_binary_extension(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => {
            let ext = ext.to_ascii_lowercase();
            BINARY_EXTENSIONS.contains(&ext.as_str())
        }
        _ => false,
    }
}

/// NUL byte in the first 8 KiB.
pub(crate) fn looks_binary(prefix: &[u8]) -> bool {
    prefix[..prefix.len().min(BINARY_SNIFF)].contains(&0)
}

/// Root-relative path with forward slashes and no `.` components.
pub(crate) fn rel_path(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let mut out = String::new();
    for c in rel.components() {
        match c {
            Component::CurDir => {}
            Component::Normal(s) => {
                if !out.is_empty() {
                    out.push('/');
                }
                out.push_str(&s.to_string_lossy());
            }
            other => {
                if !out.is_empty() {
                    out.push('/');
                }
                out.push_str(&other.as_os_str().to_string_lossy());
            }
        }
    }
    out
}

/// Is the file name a `.env` / `.env.<something>` file (not `.envrc`)?
pub(crate) fn is_env_name(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name == ".env" || name.starts_with(".env.")
}

/// Scans a reader in chunks of `chunk` bytes with an overlap on both sides.
/// `prefix` is data already read from the reader. Matches get file-absolute
/// offsets and lines. Returns the number of bytes scanned.
pub(crate) fn scan_stream<R: Read>(
    engine: &Engine,
    mut reader: R,
    prefix: Vec<u8>,
    label: &str,
    chunk: usize,
    out: &mut Vec<Match>,
) -> io::Result<u64> {
    let chunk = chunk.max(1024);
    let overlap = MAX_OVERLAP.min(chunk);
    let mut buf = prefix;
    let mut buf_start = 0usize; // absolute offset of buf[0]
    let mut lines_before = 0usize; // newlines before buf[0]
    let mut own_start = 0usize; // absolute start of this round's own region
    loop {
        let own_end = own_start + chunk;
        let want = own_end + overlap - buf_start;
        if buf.len() < want {
            let need = (want - buf.len()) as u64;
            (&mut reader).take(need).read_to_end(&mut buf)?;
        }
        let eof = buf.len() < want;
        let own_end = if eof { buf_start + buf.len() } else { own_end };
        if own_start < own_end {
            for mut m in engine.scan(&buf, label) {
                let abs = buf_start + m.offset;
                if abs >= own_start && abs < own_end {
                    m.offset = abs;
                    m.line += lines_before;
                    out.push(m);
                }
            }
        }
        if eof {
            return Ok((buf_start + buf.len()) as u64);
        }
        // slide: keep `overlap` bytes of left context before the next region
        let drop = own_end - overlap - buf_start;
        lines_before += count_newlines(&buf[..drop]);
        buf.drain(..drop);
        buf_start += drop;
        own_start = own_end;
    }
}

/// Scans an in-memory buffer with the same chunking as files (directly when
/// it fits in one chunk). Returns the number of bytes scanned.
pub(crate) fn scan_slice(
    engine: &Engine,
    data: &[u8],
    label: &str,
    chunk: usize,
    out: &mut Vec<Match>,
) -> u64 {
    let chunk = chunk.max(1024);
    if data.len() <= chunk + MAX_OVERLAP.min(chunk) {
        out.extend(engine.scan(data, label));
        return data.len() as u64;
    }
    // reading from a slice cannot fail
    scan_stream(engine, data, Vec::new(), label, chunk, out).unwrap_or(0)
}

/// Scans one file from disk. Returns `Ok(None)` when skipped as binary.
pub(crate) fn scan_file(
    engine: &Engine,
    path: &Path,
    label: &str,
    chunk: usize,
    out: &mut Vec<Match>,
) -> io::Result<Option<u64>> {
    if has_binary_extension(label) {
        return Ok(None);
    }
    let mut f = File::open(path)?;
    let mut prefix = Vec::new();
    (&mut f)
        .take(BINARY_SNIFF as u64)
        .read_to_end(&mut prefix)?;
    if looks_binary(&prefix) {
        return Ok(None);
    }
    scan_stream(engine, f, prefix, label, chunk, out).map(Some)
}

/// The first MiB of a file (enough to fingerprint a key store) and its size.
fn read_capped(path: &Path) -> io::Result<(Vec<u8>, u64)> {
    let f = File::open(path)?;
    let size = f.metadata()?.len();
    let mut head = Vec::new();
    f.take(1 << 20).read_to_end(&mut head)?;
    Ok((head, size))
}

struct Shared {
    hits: Mutex<Vec<FileHit>>,
    env_files: Mutex<Vec<String>>,
    warnings: Mutex<Vec<String>>,
    outside: Mutex<Vec<String>>,
    submodules: Mutex<Vec<String>>,
    files: AtomicU64,
    bytes: AtomicU64,
}

fn push<T>(m: &Mutex<Vec<T>>, v: T) {
    match m.lock() {
        Ok(mut g) => g.push(v),
        Err(poisoned) => poisoned.into_inner().push(v),
    }
}

fn take<T>(m: Mutex<Vec<T>>) -> Vec<T> {
    m.into_inner().unwrap_or_else(|p| p.into_inner())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Pass {
    Main,
    Build,
    Logs,
}

/// Runs the three walks.
pub(crate) fn walk(cfg: &WalkConfig<'_>, engine: &Engine) -> WalkOutput {
    let shared = Shared {
        hits: Mutex::new(Vec::new()),
        env_files: Mutex::new(Vec::new()),
        warnings: Mutex::new(Vec::new()),
        outside: Mutex::new(Vec::new()),
        submodules: Mutex::new(Vec::new()),
        files: AtomicU64::new(0),
        bytes: AtomicU64::new(0),
    };
    let build_abs: Vec<PathBuf> = cfg.build_dirs.iter().map(|b| cfg.root.join(b)).collect();
    // The walk stays inside the project: a configured path or build directory that resolves
    // (through `..` or a symlink) outside the root is not walked, and is reported.
    let inside = |p: &Path| -> bool {
        let (Ok(root), Ok(real)) = (cfg.root.canonicalize(), p.canonicalize()) else {
            // Missing paths are simply not walked (nothing to follow).
            return true;
        };
        if real.starts_with(&root) {
            return true;
        }
        push(
            &shared.outside,
            format!(
                "{} leads outside the repository (to {}): not followed",
                rel_path(cfg.root, p),
                real.display()
            ),
        );
        false
    };

    // 1. the requested paths, git-aware
    let roots: Vec<PathBuf> = if cfg.paths.is_empty() {
        vec![cfg.root.to_path_buf()]
    } else {
        cfg.paths
            .iter()
            .map(|p| cfg.root.join(p))
            .filter(|p| inside(p))
            .collect()
    };
    run_pass(cfg, engine, &shared, &roots, Pass::Main, &build_abs);
    // 2. build dirs, no ignore rules
    let existing: Vec<PathBuf> = build_abs
        .iter()
        .filter(|p| p.is_dir() && inside(p))
        .cloned()
        .collect();
    if !existing.is_empty() {
        run_pass(cfg, engine, &shared, &existing, Pass::Build, &build_abs);
    }
    // 3. *.log anywhere
    run_pass(
        cfg,
        engine,
        &shared,
        &[cfg.root.to_path_buf()],
        Pass::Logs,
        &build_abs,
    );

    WalkOutput {
        files: shared.files.load(Ordering::Relaxed),
        bytes: shared.bytes.load(Ordering::Relaxed),
        hits: take(shared.hits),
        env_files: take(shared.env_files),
        warnings: take(shared.warnings),
        outside: take(shared.outside),
        submodules: take(shared.submodules),
    }
}

fn is_log(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("log"))
}

fn run_pass(
    cfg: &WalkConfig<'_>,
    engine: &Engine,
    shared: &Shared,
    roots: &[PathBuf],
    pass: Pass,
    build_abs: &[PathBuf],
) {
    let Some((first, rest)) = roots.split_first() else {
        return;
    };
    let mut b = WalkBuilder::new(first);
    for r in rest {
        b.add(r);
    }
    if pass == Pass::Main {
        b.standard_filters(true)
            .hidden(false)
            .ignore(false)
            .git_ignore(cfg.git_aware)
            .git_exclude(cfg.git_aware)
            .git_global(cfg.git_aware)
            .require_git(true);
    } else {
        b.standard_filters(false);
    }
    b.follow_links(false);
    let root = cfg.root.to_path_buf();
    let exclude = cfg.exclude.clone();
    let build_owned: Vec<PathBuf> = build_abs.to_vec();
    let nested = std::sync::Arc::new(Mutex::new(Vec::new()));
    let nested_seen = nested.clone();
    b.filter_entry(move |e| {
        if e.file_name() == ".git" && e.file_type().is_some_and(|t| t.is_dir()) {
            return false;
        }
        let is_dir = e.file_type().is_some_and(|t| t.is_dir());
        // Another repository inside this one (a submodule, a nested clone): its files belong
        // to that repository; report the path instead of scanning across the boundary.
        if is_dir && e.depth() > 0 && e.path().join(".git").exists() {
            push(&nested_seen, rel_path(&root, e.path()));
            return false;
        }
        if pass == Pass::Main && is_dir && build_owned.iter().any(|b| b == e.path()) {
            return false;
        }
        if e.depth() > 0 {
            let rel = rel_path(&root, e.path());
            if !rel.is_empty() && exclude.is_match(&rel) {
                return false;
            }
        }
        true
    });
    let source = match pass {
        Pass::Main => SourceKind::WorkTree,
        Pass::Build => SourceKind::BuildOutput,
        Pass::Logs => SourceKind::Log,
    };
    let chunk = cfg.chunk;
    b.build_parallel().run(|| {
        let source = source.clone();
        let root = cfg.root;
        Box::new(move |entry| {
            let entry = match entry {
                Ok(e) => e,
                Err(err) => {
                    push(&shared.warnings, format!("walk error: {err}"));
                    return WalkState::Continue;
                }
            };
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                return WalkState::Continue;
            }
            let path = entry.path();
            let log = is_log(path);
            match pass {
                Pass::Logs if !log => return WalkState::Continue,
                Pass::Main | Pass::Build if log => return WalkState::Continue,
                _ => {}
            }
            let rel = rel_path(root, path);
            if pass == Pass::Main && is_env_name(&rel) {
                push(&shared.env_files, rel.clone());
            }
            let mut found = Vec::new();
            if super::passwords::keystore_kind(&rel).is_some() {
                match read_capped(path) {
                    Ok((head, size)) => {
                        found.extend(keystore_match(&rel, &head, size));
                        shared.files.fetch_add(1, Ordering::Relaxed);
                    }
                    Err(err) => push(
                        &shared.warnings,
                        format!("cannot read {}: {err}", path.display()),
                    ),
                }
            } else {
                match scan_file(engine, path, &rel, chunk, &mut found) {
                    Ok(Some(n)) => {
                        shared.files.fetch_add(1, Ordering::Relaxed);
                        shared.bytes.fetch_add(n, Ordering::Relaxed);
                    }
                    Ok(None) => {}
                    Err(err) => push(
                        &shared.warnings,
                        format!("cannot read {}: {err}", path.display()),
                    ),
                }
            }
            for m in found {
                push(
                    &shared.hits,
                    FileHit {
                        path: rel.clone(),
                        source: source.clone(),
                        m,
                    },
                );
            }
            WalkState::Continue
        })
    });
    for path in nested.lock().map(|g| g.clone()).unwrap_or_default() {
        push(&shared.submodules, path);
    }
}
