//! Repo mode stays inside the repository: symlinks that lead outside (a file in the work tree, a
//! file inside a build directory, a log, a whole build directory), configured paths that climb
//! out with `..`, and another repository inside this one (a submodule: a gitlink in history and
//! a nested clone in the work tree) are never scanned. The boundary is reported instead: the
//! JSON measurement, a line on stderr, a line in the Markdown pack's scope.

use crate::common::*;
use std::path::Path;

/// A real AWS-shaped key per place, so a finding names where it was read.
const INSIDE: &str = "AKIAQWERTYUIOPINSIDE";
const OUTSIDE_FILE: &str = "AKIAQWERTYUIOPOUTFIL";
const OUTSIDE_DIR: &str = "AKIAQWERTYUIOPOUTDIR";
const SUBMODULE: &str = "AKIAQWERTYUIOPSUBMOD";

fn key_line(key: &str) -> String {
    format!("aws_access_key_id = \"{key}\"\n")
}

fn commit(repo: &git2::Repository, index: &mut git2::Index, message: &str) -> git2::Oid {
    index.write().unwrap();
    let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
    let sig = git2::Signature::now("Dev", "dev@shop.test").unwrap();
    let parent = repo.head().ok().and_then(|h| h.peel_to_commit().ok());
    let parents: Vec<&git2::Commit> = parent.iter().collect();
    repo.commit(Some("HEAD"), &sig, &sig, message, &tree, &parents)
        .unwrap()
}

/// `root/outside/...` holds keys; `root/repo` is the audited repository.
fn hostile_layout(root: &Path) -> std::path::PathBuf {
    use std::os::unix::fs::symlink;
    let outside = root.join("outside");
    std::fs::create_dir_all(outside.join("dir")).unwrap();
    std::fs::write(outside.join("key.txt"), key_line(OUTSIDE_FILE)).unwrap();
    std::fs::write(outside.join("dir/key.txt"), key_line(OUTSIDE_DIR)).unwrap();

    let repo_dir = root.join("repo");
    std::fs::create_dir_all(repo_dir.join("src")).unwrap();
    std::fs::create_dir_all(repo_dir.join("build")).unwrap();
    std::fs::create_dir_all(repo_dir.join("logs")).unwrap();
    let repo = git2::Repository::init(&repo_dir).unwrap();
    std::fs::write(repo_dir.join("src/inside.js"), key_line(INSIDE)).unwrap();
    // Symlinks to a file outside: in the work tree, inside a build dir, as a log.
    symlink("../outside/key.txt", repo_dir.join("leak.txt")).unwrap();
    symlink("../../outside/key.txt", repo_dir.join("build/bundle.js")).unwrap();
    symlink("../../outside/key.txt", repo_dir.join("logs/app.log")).unwrap();
    // A whole build directory that is a symlink to a directory outside.
    symlink("../outside/dir", repo_dir.join("dist")).unwrap();
    // A config (read in repo mode for [secrets]) that also names a path climbing out.
    std::fs::write(
        repo_dir.join("launchready.toml"),
        "[secrets]\npaths = [\".\", \"../outside\"]\nbuild_dirs = [\"dist\", \"build\"]\n",
    )
    .unwrap();

    // A submodule: its own repository, checked out in the work tree, a gitlink in history.
    let sub_dir = repo_dir.join("vendor/lib");
    std::fs::create_dir_all(&sub_dir).unwrap();
    let sub = git2::Repository::init(&sub_dir).unwrap();
    std::fs::write(sub_dir.join("creds.txt"), key_line(SUBMODULE)).unwrap();
    let mut sub_index = sub.index().unwrap();
    sub_index.add_path(Path::new("creds.txt")).unwrap();
    let sub_head = commit(&sub, &mut sub_index, "library");

    let mut index = repo.index().unwrap();
    for p in [
        "src/inside.js",
        "leak.txt",
        "build/bundle.js",
        "dist",
        "launchready.toml",
    ] {
        index.add_path(Path::new(p)).unwrap();
    }
    let gitlink = git2::IndexEntry {
        ctime: git2::IndexTime::new(0, 0),
        mtime: git2::IndexTime::new(0, 0),
        dev: 0,
        ino: 0,
        mode: 0o160000,
        uid: 0,
        gid: 0,
        file_size: 0,
        id: sub_head,
        flags: 0,
        flags_extended: 0,
        path: b"vendor/lib".to_vec(),
    };
    index.add(&gitlink).unwrap();
    std::fs::write(
        repo_dir.join(".gitmodules"),
        "[submodule \"vendor/lib\"]\n\tpath = vendor/lib\n\turl = ../lib\n",
    )
    .unwrap();
    index.add_path(Path::new(".gitmodules")).unwrap();
    commit(&repo, &mut index, "app with a submodule");
    repo_dir
}

fn repo_args(path: &Path, format: &str) -> Vec<String> {
    [
        "audit",
        "--repo",
        &path.display().to_string(),
        "--no-progress",
        "--format",
        format,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repo_mode_never_reads_outside_the_repository() {
    let dir = tempfile::tempdir().unwrap();
    let repo = hostile_layout(dir.path());

    let out = run(repo_args(&repo, "json"), vec![]).await;
    let r = json(&out);
    // The key inside the repository is found (the scan ran), and only that one.
    let keys = with_id(&r, "secret.aws_access_key");
    let subjects: Vec<&str> = keys
        .iter()
        .map(|f| f["subject"].as_str().unwrap())
        .collect();
    assert_eq!(subjects, vec!["src/inside.js:1"], "{:#}", r["findings"]);
    let text = r.to_string();
    for (name, key) in [
        ("outside file", OUTSIDE_FILE),
        ("outside dir", OUTSIDE_DIR),
        ("submodule", SUBMODULE),
    ] {
        // Neither the finding nor its redacted form (first 4 + last 2) of the key.
        let tail = &key[key.len() - 6..];
        assert!(!text.contains(tail), "{name} key was read: {text}");
    }
    for f in r["findings"].as_array().unwrap() {
        let s = f["subject"].as_str().unwrap();
        assert!(
            !s.contains("outside") && !s.starts_with("vendor/") && !s.starts_with("dist/"),
            "{f:#}"
        );
    }
    // The boundary is reported.
    let m = &r["measurements"]["secrets"];
    assert_eq!(m["submodules"], serde_json::json!(["vendor/lib"]), "{m:#}");
    let not_followed: Vec<&str> = m["not_followed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(not_followed.len(), 2, "{not_followed:?}");
    assert!(
        not_followed
            .iter()
            .any(|l| l.starts_with("../outside leads outside"))
    );
    assert!(
        not_followed
            .iter()
            .any(|l| l.starts_with("dist leads outside"))
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("vendor/lib is another repository")
            && err.contains("launchready audit --repo vendor/lib")
            && err.contains("dist leads outside the repository"),
        "{err}"
    );

    // The Markdown pack's scope says so too.
    let out = run(repo_args(&repo, "markdown"), vec![]).await;
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(
        md.contains("**Secrets** — vendor/lib is another repository"),
        "{md}"
    );

    // The submodule on its own is audited normally: the key is there.
    let out = run(repo_args(&repo.join("vendor/lib"), "json"), vec![]).await;
    let r = json(&out);
    assert_eq!(with_id(&r, "secret.aws_access_key").len(), 1, "{r:#}");
}
