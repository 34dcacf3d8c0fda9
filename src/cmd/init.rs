//! `launchready init`: looks at the current directory and prefills the starter config
//! (`checks.example.toml`) with what it can tell — the product name (package.json, Cargo.toml),
//! the domain (their `homepage`), whether git history can be scanned, which build directories
//! exist, an existing rollback document — and notes what it saw (a `.env` file) as comments.
//! It only reads a few small files; `--domain` fills in what cannot be guessed. The example
//! values that describe Acme rather than the user's product stay as comments.

use super::{Exit, Fatal, write_out};
use crate::cli::InitArgs;
use crate::config;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Runs `init`.
pub(crate) fn run(args: InitArgs, out: &mut dyn Write) -> Result<Exit, Fatal> {
    let here = std::env::current_dir().ok();
    let (text, note) = init_text_noted(args.domain.as_deref(), here.as_deref())?;
    if let Some(note) = note {
        super::audit::say(&format!("launchready: {note}"));
    }
    write_out(out, text.as_bytes())?;
    Ok(Exit::Pass)
}

/// [`init_text_noted`] without the note.
#[cfg(test)]
fn init_text(domain: Option<&str>, dir: Option<&Path>) -> Result<String, Fatal> {
    init_text_noted(domain, dir).map(|(text, _)| text)
}

/// The starter config printed by `init`: `checks.example.toml`, prefilled from what `dir` (the
/// current directory) shows, with the domain filled in from `--domain`; plus a note for stderr
/// when `--domain` overrode the homepage's domain.
fn init_text_noted(
    domain: Option<&str>,
    dir: Option<&Path>,
) -> Result<(String, Option<String>), Fatal> {
    let example = include_str!("../../checks.example.toml");
    let flag = domain
        .map(config::normalize_domain)
        .transpose()
        .map_err(|m| Fatal::Usage(format!("--domain: {m}")))?;
    let Some(dir) = dir else {
        let text = match &flag {
            Some(d) => example.replace("acme.example", d),
            None => example.to_string(),
        };
        return Ok((comment_out_examples(&text), None));
    };
    let mut facts = inspect(dir);
    let mut note = None;
    if let Some(d) = flag {
        // The flag wins over a manifest's homepage, and says so.
        if let Some(home) = facts.domain.as_ref().filter(|h| **h != d) {
            let from = facts.homepage_from.unwrap_or("the manifest");
            note = Some(format!(
                "using --domain {d}; the homepage in {from} names {home}, which is not used"
            ));
            facts.overridden = Some((home.clone(), from));
            facts.www = false;
        }
        facts.domain = Some(d);
    }
    Ok((comment_out_examples(&prefill(example, &facts)), note))
}

/// The example values of `checks.example.toml` (subdomains, endpoints, expected records,
/// accepted risks, owners...) describe Acme, not the user's product: a starter config keeps them
/// as comments, so the first `audit` probes only what the user has actually declared.
fn comment_out_examples(text: &str) -> String {
    const EXAMPLE_KEYS: &[&str] = &[
        "subdomains",
        "pages",
        "auth_paths",
        "expect",
        "dkim_selectors",
        "exclude",
        "allow",
        "ignore",
        "owners",
        "uptime_monitor",
        "required",
        "files",
    ];
    let mut out = String::with_capacity(text.len() + 256);
    let mut in_endpoints = false;
    for line in text.lines() {
        let t = line.trim_start();
        if t.starts_with('[') {
            in_endpoints = t.starts_with("[[endpoints]]")
                || t.starts_with("[ai]")
                || t.starts_with("[[ai.")
                || t.starts_with("[[flows");
        }
        let key = t.split('=').next().unwrap_or("").trim();
        let example = in_endpoints
            || (t.contains('=') && !t.starts_with('#') && EXAMPLE_KEYS.contains(&key))
            || (key == "name" && t.contains("\"Acme Chat\""))
            || (key == "rollback_doc"
                && t.contains("\"docs/rollback.md\"")
                && !t.contains("found"));
        let example = example
            && !(key == "required" && t.contains("from .env.example"))
            && !(key == "files" && t.contains("found in this directory"));
        if example && !t.is_empty() && !t.starts_with('#') {
            out.push_str("# ");
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Build output directories worth scanning for secrets, in the order they are listed.
const BUILD_DIRS: &[&str] = &[
    "dist",
    ".next",
    "build",
    "out",
    ".output",
    ".svelte-kit",
    "public/build",
];

/// Where rollback documents usually live.
const ROLLBACK_DOCS: &[&str] = &[
    "docs/rollback.md",
    "docs/ROLLBACK.md",
    "ROLLBACK.md",
    "rollback.md",
    "docs/runbook.md",
    "RUNBOOK.md",
];

/// Cap on the manifest files read.
const MANIFEST_CAP: u64 = 1024 * 1024;

/// What `init` learned about a directory.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Facts {
    /// The directory looked at.
    pub dir: PathBuf,
    /// A `.git` directory or file (worktree) is present.
    pub git: bool,
    /// A `.env` file is present.
    pub env_file: bool,
    /// Build directories that exist.
    pub build_dirs: Vec<String>,
    /// Product name and where it came from (`package.json`, `Cargo.toml`).
    pub name: Option<(String, &'static str)>,
    /// Domain from a manifest's `homepage` (or `--domain`, which wins).
    pub domain: Option<String>,
    /// Which manifest the homepage came from.
    pub homepage_from: Option<&'static str>,
    /// The homepage is on `www.` + domain: users must end up on www.
    pub www: bool,
    /// A homepage domain that `--domain` replaced, and its manifest.
    pub overridden: Option<(String, &'static str)>,
    /// An existing rollback document (relative path).
    pub rollback_doc: Option<String>,
    /// Variable names listed in `.env.example`, when it lists a sensible set.
    pub env_example: Vec<String>,
    /// Per-environment dotenv files (`.env.production` -> `production`), by name only.
    pub env_files: Vec<(String, String)>,
}

/// Most per-environment dotenv files `init` lists in `[env] files`.
const ENV_FILES_MAX: usize = 12;

/// `.env.<name>` files that are templates or copies, not an environment's values.
const ENV_NOT_ENVIRONMENTS: &[&str] = &[
    "example", "sample", "template", "dist", "defaults", "schema", "bak", "backup", "old", "orig",
    "save", "swp", "tmp",
];

/// The per-environment dotenv files of `dir`: `.env.<name>` (a regular file), named by its
/// environment (`.env.production` -> `production`, `.env.production.local` ->
/// `production-local`), templates and backups left out, sorted, at most [`ENV_FILES_MAX`].
/// Only names are read, never contents.
fn env_files(dir: &Path) -> Vec<(String, String)> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<(String, String)> = rd
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| {
            let file = e.file_name().into_string().ok()?;
            let rest = file.strip_prefix(".env.")?;
            let parts: Vec<&str> = rest.split('.').collect();
            let env = parts.join("-").to_ascii_lowercase();
            let valid = parts.iter().all(|p| !p.is_empty())
                && env
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                && !parts
                    .iter()
                    .any(|p| ENV_NOT_ENVIRONMENTS.contains(&p.to_ascii_lowercase().as_str()));
            valid.then_some((env, file))
        })
        .collect();
    found.sort();
    // The config compares environment names without case.
    found.dedup_by(|a, b| a.0 == b.0);
    found.truncate(ENV_FILES_MAX);
    found
}

/// Most variables a `.env.example` may list for `init` to copy them into `[env] required`.
const ENV_EXAMPLE_MAX: usize = 60;

/// The variable names of a `.env.example`, when it is a sensible list: at least one name, at
/// most [`ENV_EXAMPLE_MAX`], every assignment a valid name (otherwise it is not a dotenv file).
fn env_example_names(text: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for line in text.lines() {
        let l = line.trim();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        let l = l.strip_prefix("export ").unwrap_or(l);
        let Some((k, _)) = l.split_once('=') else {
            return Vec::new();
        };
        let k = k.trim();
        if !config::is_env_name(k) {
            return Vec::new();
        }
        if !names.iter().any(|n| n == k) {
            names.push(k.to_string());
        }
    }
    if names.len() > ENV_EXAMPLE_MAX {
        return Vec::new();
    }
    names
}

/// Reads what it can from `dir`; anything unreadable is simply not known.
pub fn inspect(dir: &Path) -> Facts {
    let mut f = Facts {
        dir: dir.to_path_buf(),
        git: dir.join(".git").exists(),
        env_file: dir.join(".env").is_file(),
        ..Facts::default()
    };
    f.build_dirs = BUILD_DIRS
        .iter()
        .filter(|d| dir.join(d).is_dir())
        .map(|d| d.to_string())
        .collect();
    f.env_files = env_files(dir);
    f.env_example = read_small(&dir.join(".env.example"))
        .map(|t| env_example_names(&t))
        .unwrap_or_default();
    f.rollback_doc = ROLLBACK_DOCS
        .iter()
        .find(|d| dir.join(d).is_file())
        .map(|d| d.to_string());
    if let Some(pkg) = read_small(&dir.join("package.json"))
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
    {
        if let Some(n) = pkg.get("name").and_then(|v| v.as_str()) {
            f.name = Some((n.to_string(), "package.json"));
        }
        if let Some((d, www)) = pkg
            .get("homepage")
            .and_then(|v| v.as_str())
            .and_then(domain_of)
        {
            (f.domain, f.www, f.homepage_from) = (Some(d), www, Some("package.json"));
        }
    }
    if f.name.is_none()
        && let Some(cargo) =
            read_small(&dir.join("Cargo.toml")).and_then(|t| t.parse::<toml::Table>().ok())
    {
        let pkg = cargo.get("package").and_then(|p| p.as_table());
        if let Some(n) = pkg.and_then(|p| p.get("name")).and_then(|v| v.as_str()) {
            f.name = Some((n.to_string(), "Cargo.toml"));
        }
        if f.domain.is_none()
            && let Some((d, www)) = pkg
                .and_then(|p| p.get("homepage"))
                .and_then(|v| v.as_str())
                .and_then(domain_of)
        {
            (f.domain, f.www, f.homepage_from) = (Some(d), www, Some("Cargo.toml"));
        }
    }
    f
}

fn read_small(p: &Path) -> Option<String> {
    let meta = std::fs::metadata(p).ok()?;
    if !meta.is_file() || meta.len() > MANIFEST_CAP {
        return None;
    }
    std::fs::read_to_string(p).ok()
}

/// The apex-ish host of a homepage URL, and whether the homepage is on `www.`; `None` for a
/// code host (a repo page is not the product's domain).
fn domain_of(homepage: &str) -> Option<(String, bool)> {
    let u = url::Url::parse(homepage).ok()?;
    let full = u.host_str()?.to_ascii_lowercase();
    let www = full.starts_with("www.");
    let host = full.trim_start_matches("www.").to_string();
    let code_hosts = [
        "github.com",
        "gitlab.com",
        "bitbucket.org",
        "crates.io",
        "npmjs.com",
    ];
    if code_hosts
        .iter()
        .any(|c| host == *c || host.ends_with(&format!(".{c}")))
    {
        return None;
    }
    config::normalize_domain(&host).ok().map(|d| (d, www))
}

/// A TOML string literal (basic string, escaped).
fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// Rewrites the example config with `facts`: replaced values keep the example's comments.
pub fn prefill(example: &str, facts: &Facts) -> String {
    let mut seen = Vec::new();
    if facts.git {
        seen.push("a git repository".to_string());
    }
    if let Some((_, from)) = &facts.name {
        seen.push(format!("the name in {from}"));
    }
    if facts.domain.is_some() && facts.homepage_from.is_some() && facts.overridden.is_none() {
        seen.push("the homepage domain".to_string());
    }
    if !facts.build_dirs.is_empty() {
        seen.push(format!("build output ({})", facts.build_dirs.join(", ")));
    }
    if let Some(d) = &facts.rollback_doc {
        seen.push(d.clone());
    }
    if facts.env_file {
        seen.push("a .env file".to_string());
    }
    if !facts.env_example.is_empty() {
        seen.push(format!(
            ".env.example ({} variable{})",
            facts.env_example.len(),
            if facts.env_example.len() == 1 {
                ""
            } else {
                "s"
            }
        ));
    }
    if !facts.env_files.is_empty() {
        let names: Vec<&str> = facts.env_files.iter().map(|(_, f)| f.as_str()).collect();
        seen.push(format!("env files ({})", names.join(", ")));
    }
    let mut out = String::new();
    if !seen.is_empty() {
        out.push_str(&format!(
            "# Prefilled by `launchready init` from what this directory shows: {}.\n",
            seen.join(", ")
        ));
    }
    if let (Some((home, from)), Some(d)) = (&facts.overridden, &facts.domain) {
        out.push_str(&format!(
            "# The domain is the one given with --domain ({d}); the homepage in {from} names {home}.\n"
        ));
    }
    if facts.domain.is_none() {
        out.push_str(
            "# The domain below is a placeholder: run `launchready init --domain yours.example`.\n",
        );
    }
    let mut section = "";
    for line in example.lines() {
        if line.starts_with('[') {
            section = line.trim();
        }
        let key = line.split('=').next().unwrap_or("").trim();
        let comment = line.find(" #").map(|i| &line[i..]).unwrap_or("");
        let replaced = match key {
            "canonical" if section == "[target]" && facts.www => Some(
                "canonical = \"www\"                  # the homepage is on www.: users must end up there"
                    .to_string(),
            ),
            "name" if section == "[target]" => facts
                .name
                .as_ref()
                .map(|(n, _)| format!("name = {}", toml_str(n))),
            "history" if section == "[secrets]" && !facts.git => Some(
                "history = false                  # not a git repository: nothing to walk"
                    .to_string(),
            ),
            "build_dirs" if !facts.build_dirs.is_empty() => {
                let list: Vec<String> = facts.build_dirs.iter().map(|d| toml_str(d)).collect();
                Some(format!("build_dirs = [{}]", list.join(", ")))
            }
            "required" if section == "[env]" && !facts.env_example.is_empty() => {
                let list: Vec<String> = facts.env_example.iter().map(|d| toml_str(d)).collect();
                Some(format!(
                    "required = [{}]   # from .env.example: must be set and well-shaped where the audit runs",
                    list.join(", ")
                ))
            }
            "files" if section == "[env]" && !facts.env_files.is_empty() => {
                let list: Vec<String> = facts
                    .env_files
                    .iter()
                    .map(|(env, file)| format!("{env} = {}", toml_str(file)))
                    .collect();
                Some(format!(
                    "files = {{ {} }}   # found in this directory (names only): secrets compared by SHA-256, never shown",
                    list.join(", ")
                ))
            }
            "rollback_doc" => facts
                .rollback_doc
                .as_ref()
                .map(|d| format!("rollback_doc = {}", toml_str(d))),
            _ => None,
        };
        match replaced {
            Some(r) if r.contains(" #") => out.push_str(&r),
            Some(r) => {
                out.push_str(&r);
                if !comment.is_empty() {
                    let pad = 35usize.saturating_sub(r.chars().count()).max(1);
                    out.push_str(&" ".repeat(pad));
                    out.push_str(comment.trim_start());
                }
            }
            None => out.push_str(line),
        }
        out.push('\n');
        if key == "paths" && facts.env_file && line.starts_with("paths") {
            out.push_str(
                "# A .env file is here: keep it out of git (secret.env_not_gitignored, \
                 secret.env_file_committed).\n",
            );
        }
    }
    if let Some(d) = &facts.domain {
        out = out.replace("acme.example", d);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_example_names_only_from_a_sensible_file() {
        assert_eq!(
            env_example_names(
                "# db\nDATABASE_URL=\nexport OPENAI_API_KEY=sk-...\nDATABASE_URL=x\n"
            ),
            ["DATABASE_URL", "OPENAI_API_KEY"]
        );
        assert!(env_example_names("not a dotenv file\nA=1\n").is_empty());
        assert!(env_example_names("1BAD=x\n").is_empty());
        let many: String = (0..61).map(|i| format!("V{i}=\n")).collect();
        assert!(env_example_names(&many).is_empty());
    }

    #[test]
    fn init_prefills_env_required_from_the_example() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".env.example"), "APP_URL=\nREDIS_URL=\n").unwrap();
        let text = init_text(None, Some(dir.path())).unwrap();
        assert!(
            text.lines()
                .any(|l| l.starts_with("required = [\"APP_URL\", \"REDIS_URL\"]")),
            "{text}"
        );
        let cfg = config::parse(&text, Path::new("launchready.toml"), &|_| None).unwrap();
        assert_eq!(cfg.env.required, ["APP_URL", "REDIS_URL"]);
        // Without the file, the example's names stay comments.
        let empty = tempfile::tempdir().unwrap();
        let text = init_text(None, Some(empty.path())).unwrap();
        let cfg = config::parse(&text, Path::new("launchready.toml"), &|_| None).unwrap();
        assert!(cfg.env.required.is_empty());
        assert!(cfg.env.files.is_empty());
    }

    #[test]
    fn init_fills_env_files_by_name_only() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let planted = "sk_live_51Hx7PLANTEDvalue0000000000";
        for (file, body) in [
            (".env", format!("STRIPE_SECRET_KEY={planted}\n")),
            (
                ".env.example",
                "STRIPE_SECRET_KEY=\nDATABASE_URL=\n".to_string(),
            ),
            (".env.production", format!("STRIPE_SECRET_KEY={planted}\n")),
            (".env.staging", "STRIPE_SECRET_KEY=sk_test_x\n".to_string()),
            (".env.development.local", "DEBUG=1\n".to_string()),
            (".env.sample", "A=\n".to_string()),
            (
                ".env.production.bak",
                format!("STRIPE_SECRET_KEY={planted}\n"),
            ),
            (".env.prod~", "A=1\n".to_string()),
            ("env.production", "A=1\n".to_string()),
        ] {
            std::fs::write(d.join(file), body).unwrap();
        }
        // A directory named like an env file is not one.
        std::fs::create_dir(d.join(".env.preview")).unwrap();
        let text = init_text(None, Some(d)).unwrap();
        assert!(
            !text.contains(planted) && !text.contains("sk_test_x"),
            "{text}"
        );
        let line = text
            .lines()
            .find(|l| l.starts_with("files = "))
            .unwrap_or_else(|| panic!("{text}"));
        assert!(
            line.starts_with(
                "files = { development-local = \".env.development.local\", production = \".env.production\", staging = \".env.staging\" }"
            ),
            "{line}"
        );
        assert!(
            text.starts_with("# Prefilled by `launchready init`"),
            "{text}"
        );
        assert!(
            text.lines()
                .next()
                .unwrap()
                .contains("env files (.env.development.local, .env.production, .env.staging)"),
            "{text}"
        );
        let cfg = config::parse(&text, Path::new("launchready.toml"), &|_| None).unwrap();
        let files: Vec<(&str, &Path)> = cfg
            .env
            .files
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_path()))
            .collect();
        assert_eq!(
            files,
            [
                ("development-local", Path::new(".env.development.local")),
                ("production", Path::new(".env.production")),
                ("staging", Path::new(".env.staging")),
            ]
        );
        assert_eq!(cfg.env.required, ["STRIPE_SECRET_KEY", "DATABASE_URL"]);
        // Names that differ only in case are one environment for the config.
        let twice = tempfile::tempdir().unwrap();
        std::fs::write(twice.path().join(".env.Production"), "A=1\n").unwrap();
        std::fs::write(twice.path().join(".env.production"), "A=1\n").unwrap();
        let text = init_text(None, Some(twice.path())).unwrap();
        let cfg = config::parse(&text, Path::new("launchready.toml"), &|_| None).unwrap();
        assert_eq!(cfg.env.files.len(), 1, "{text}");
    }

    #[test]
    fn homepage_domains_skip_code_hosts() {
        assert_eq!(
            domain_of("https://www.acme.dev/"),
            Some(("acme.dev".into(), true))
        );
        assert_eq!(
            domain_of("https://acme.dev/app"),
            Some(("acme.dev".into(), false))
        );
        assert_eq!(domain_of("https://github.com/acme/app"), None);
        assert_eq!(domain_of("not a url"), None);
    }
}
