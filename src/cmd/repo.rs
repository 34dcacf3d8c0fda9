//! `launchready audit --repo PATH`: the secrets check, and the env check when the repository's
//! own `launchready.toml` declares `[env]`; no network. That file also supplies `[secrets]` and
//! `[gate]` when it exists.

use super::audit::{
    annotate, check_outputs, emit, exit_status, print_rules_file_messages, say, threshold,
    verdict_line, write_also,
};
use super::{Exit, Fatal};
use crate::checks::{self, Sink};
use crate::cli::AuditArgs;
use crate::config;
use crate::model::{CheckName, Severity};
use crate::progress::Progress;
use crate::redact::Scrubber;
use crate::report::{self, RenderOptions, Report};
use crate::{audit, score};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The working-tree root of the git repository that contains `path` (found like git does:
/// walking up to the first `.git`), or `path` itself when it is in no repository.
pub fn repo_root(path: &Path) -> Result<(PathBuf, bool), Fatal> {
    match git2::Repository::discover(path) {
        Ok(repo) => match repo.workdir() {
            Some(w) => Ok((w.to_path_buf(), true)),
            None => Err(Fatal::Usage(format!(
                "--repo {}: {} is a bare git repository; point --repo at a checkout",
                path.display(),
                repo.path().display()
            ))),
        },
        Err(_) => Ok((path.to_path_buf(), false)),
    }
}

/// `audit --repo PATH`: the secrets check (and the env check when `[env]` is declared), no
/// network. A `launchready.toml` at the repository root supplies `[secrets]`, `[gate]` and
/// `[env]`; nothing else in it is needed.
pub(crate) async fn run(repo: &Path, args: &AuditArgs, out: &mut dyn Write) -> Result<Exit, Fatal> {
    if !repo.is_dir() {
        return Err(Fatal::Usage(format!(
            "--repo {}: not a directory",
            repo.display()
        )));
    }
    check_outputs(args.output.as_deref(), &args.also)?;
    let (root, in_git) = repo_root(repo)?;
    if args.staged && !in_git {
        return Err(Fatal::Usage(format!(
            "--staged: {} is not inside a git repository, so nothing is staged",
            repo.display()
        )));
    }
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    };
    if !same(&root, repo) && !args.quiet {
        say(&format!(
            "launchready: scanning the whole repository at {} (it contains {})",
            root.display(),
            repo.display()
        ));
    }
    // A launchready.toml at the repository root supplies `[secrets]` (allow, exclude, history...)
    // and `[gate]` (ignore, fail_on), so accepted risks stay accepted in pre-commit hooks.
    let repo_config = root.join("launchready.toml");
    let (secrets_cfg, ignore, default_fail_on, env_cfg) = if repo_config.is_file() {
        let cfg = config::load_for_repo(&repo_config)?;
        (cfg.secrets, cfg.gate.ignore, cfg.gate.fail_on, cfg.env)
    } else {
        (
            config::SecretsConfig::default(),
            Vec::new(),
            Some(Severity::High),
            config::EnvConfig::default(),
        )
    };
    let staged = args.staged;
    let scan_root = root.clone();
    let job: audit::Job = Box::new(move |sink: Sink| {
        Box::pin(async move {
            checks::secrets::scan_into_mode(scan_root, &secrets_cfg, &sink, staged).await
        })
    });
    let mut jobs = vec![(CheckName::Secrets, job)];
    // `[env]`: required variables from this process's environment, env files next to the
    // config; no network either.
    if env_cfg.declared() {
        let base = root.clone();
        let env_job: audit::Job = Box::new(move |sink: Sink| {
            Box::pin(
                async move { checks::env::run(&env_cfg, &base, &|n| std::env::var(n).ok(), &sink) },
            )
        });
        jobs.push((CheckName::Env, env_job));
    }
    let selected: Vec<CheckName> = jobs.iter().map(|(c, _)| *c).collect();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(args.timeout);
    let progress = Progress::new(
        !args.no_progress && !args.quiet,
        args.verbose && !args.quiet,
    );
    let outcome = audit::run_jobs(jobs, deadline, &progress, &selected).await;
    let scored = score::score(outcome.findings.clone(), &ignore);
    let fail_on = threshold(args.fail_on, default_fail_on);
    let name = root
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| root.display().to_string());
    let report = Report::new(name, outcome, scored);
    // With --staged, only what is being committed gates; history and work-tree findings are
    // reported so they get rotated and accepted, but they do not block the commit.
    let gating = |f: &report::ReportFinding| !staged || f.source.as_deref() == Some("staged");
    let failed = report
        .findings
        .iter()
        .any(|f| gating(f) && report::fails_gate(f.severity, fail_on));
    if staged && !args.quiet {
        let other = report.findings.iter().filter(|f| !gating(f)).count();
        if other > 0 {
            say(&format!(
                "launchready: --staged: {other} finding{} already in the repository (history or unstaged files) {} reported, not gating this commit",
                if other == 1 { "" } else { "s" },
                if other == 1 { "is" } else { "are" }
            ));
        }
    }
    let exit = exit_status(&report, failed, args.allow_incomplete);
    // -q in a hook: nothing at all when nothing is found.
    if args.quiet && report.findings.is_empty() && args.output.is_none() && exit == Exit::Pass {
        return Ok(exit);
    }
    let opts = RenderOptions {
        color: false,
        fail_on,
        config_uri: None,
        width: report::DEFAULT_WIDTH,
    };
    let one = [crate::report::Labeled {
        label: None,
        report: &report,
    }];
    write_also(&one, &args.also, &opts, &[])?;
    emit(&report, args.format, opts, args.output.as_deref(), &[], out)?;
    print_rules_file_messages(&report, args.quiet);
    annotate(&report, &Scrubber::default(), fail_on, args.quiet);
    verdict_line(&report, args.output.as_deref(), args.quiet);
    Ok(exit)
}
