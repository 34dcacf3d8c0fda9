//! The sandbox's repositories: a git repo per site, made in-process with git2 (no git CLI).
//! The broken site's repo has fake secrets planted at run time — in the work tree, in a
//! committed `.env`, in an untracked-but-not-ignored `.env.local`, in a build directory, and in
//! a file that was committed and then deleted (history only). The values are generated at start,
//! never stored in this repository's source, and are worthless.

use git2::{Repository, Signature};
use std::path::Path;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Small deterministic-per-run generator (xorshift); the values only need to look random.
struct Gen(u64);

impl Gen {
    fn new() -> Gen {
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0x9e37_79b9_7f4a_7c15)
            ^ (std::process::id() as u64) << 32;
        Gen(seed | 1)
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn pick(&mut self, alphabet: &[u8], n: usize) -> String {
        (0..n)
            .map(|_| alphabet[(self.next() % alphabet.len() as u64) as usize] as char)
            .collect()
    }
}

const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const B32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// The fake secrets planted in the broken repo (tests search every report for them).
#[derive(Debug, Clone)]
pub struct Planted {
    /// AWS access key id in `src/config.js`.
    pub aws_key_id: String,
    /// Stripe live key in `dist/app.js` (a git-ignored build directory).
    pub stripe_live: String,
    /// Database password in the committed `.env`.
    pub db_password: String,
    /// OpenAI-style key committed in `old/llm.js` and deleted in the next commit.
    pub deleted_key: String,
}

impl Planted {
    /// Every planted value.
    pub fn all(&self) -> Vec<&str> {
        vec![
            &self.aws_key_id,
            &self.stripe_live,
            &self.db_password,
            &self.deleted_key,
        ]
    }
}

fn commit_all(repo: &Repository, message: &str) -> Result<(), BoxError> {
    let mut index = repo.index()?;
    index.add_all(["*"].iter(), git2::IndexAddOption::DEFAULT, None)?;
    index.update_all(["*"].iter(), None)?;
    index.write()?;
    let tree = repo.find_tree(index.write_tree()?)?;
    let sig = Signature::now("Sandbox Dev", "dev@acme.test")?;
    let parents = match repo.head().ok().and_then(|h| h.peel_to_commit().ok()) {
        Some(c) => vec![c],
        None => vec![],
    };
    let parents: Vec<&git2::Commit> = parents.iter().collect();
    repo.commit(Some("HEAD"), &sig, &sig, message, &tree, &parents)?;
    Ok(())
}

fn write(root: &Path, rel: &str, text: &str) -> Result<(), BoxError> {
    let p = root.join(rel);
    if let Some(d) = p.parent() {
        std::fs::create_dir_all(d)?;
    }
    std::fs::write(p, text)?;
    Ok(())
}

/// Makes the healthy site's repo: clean code, `.env` ignored and only a template tracked.
pub fn healthy(root: &Path) -> Result<(), BoxError> {
    let repo = Repository::init(root)?;
    write(
        root,
        ".gitignore",
        ".env\n.env.local\n.env.staging\n.env.production\ndist/\nnode_modules/\n",
    )?;
    write(
        root,
        "src/config.js",
        "export const apiBase = process.env.API_BASE;\nexport const stripeKey = process.env.STRIPE_SECRET_KEY;\n",
    )?;
    write(
        root,
        ".env.example",
        "STRIPE_SECRET_KEY=\nDATABASE_URL=postgres://user:password@localhost:5432/app\nOPENAI_API_KEY=\nAPP_URL=https://acme.example\n",
    )?;
    write(
        root,
        "README.md",
        "# Acme Chat\n\nCopy `.env.example` to `.env` and fill it in.\n",
    )?;
    commit_all(&repo, "initial commit")?;
    Ok(())
}

/// Makes the broken site's repo with planted secrets; returns them.
pub fn broken(root: &Path) -> Result<Planted, BoxError> {
    let mut g = Gen::new();
    let planted = Planted {
        aws_key_id: format!("AKIA{}", g.pick(B32, 16)),
        stripe_live: format!("sk_live_{}", g.pick(ALNUM, 32)),
        db_password: g.pick(ALNUM, 20),
        deleted_key: format!("sk-proj-{}", g.pick(ALNUM, 48)),
    };
    let repo = Repository::init(root)?;
    write(
        root,
        ".gitignore",
        "dist/\nnode_modules/\n.env.staging\n.env.production\n",
    )?;
    write(
        root,
        "old/llm.js",
        &format!(
            "// call the model\nconst OPENAI_API_KEY = \"{}\";\n",
            planted.deleted_key
        ),
    )?;
    commit_all(&repo, "add llm client")?;
    std::fs::remove_file(root.join("old/llm.js"))?;
    write(
        root,
        "src/config.js",
        &format!(
            "export const region = \"eu-west-1\";\nexport const awsAccessKeyId = \"{}\";\n",
            planted.aws_key_id
        ),
    )?;
    write(
        root,
        ".env",
        &format!(
            "DATABASE_URL=postgres://app:{}@db.acme-broken.test:5432/app\n",
            planted.db_password
        ),
    )?;
    commit_all(&repo, "config, remove old client")?;
    // Not committed: a build directory (git-ignored, but deployed) and a local env file that
    // git does not ignore.
    write(
        root,
        "dist/app.js",
        &format!(
            "!function(){{var k=\"{}\";fetch(\"/api\",{{headers:{{k}}}})}}();\n",
            planted.stripe_live
        ),
    )?;
    write(
        root,
        ".env.local",
        "NEXT_PUBLIC_API=https://api.acme-broken.test\n",
    )?;
    Ok(planted)
}
