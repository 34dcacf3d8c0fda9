//! `launchready audit --repo PATH`: the secrets check alone, no network; the repository's own
//! `launchready.toml` supplies `[secrets]` and `[gate]` when it has one.

use super::audit::{annotate, emit, exit_status, print_rules_file_messages, threshold};
use super::{Exit, Fatal};
use crate::checks::{self, Sink};
use crate::cli::AuditArgs;
use crate::config;
use crate::model::{CheckName, Severity};
use crate::progress::Progress;
use crate::redact::Scrubber;
use crate::report::{RenderOptions, Report};
use crate::{audit, score};
use std::io::Write;
use std::path::Path;
use std::time::Duration;

/// Runs `audit --repo PATH`.
pub(crate) async fn run(repo: &Path, args: &AuditArgs, out: &mut dyn Write) -> Result<Exit, Fatal> {
    if !repo.is_dir() {
        return Err(Fatal::Usage(format!(
            "--repo {}: not a directory",
            repo.display()
        )));
    }
    let root = repo.to_path_buf();
    // A launchready.toml at the repository root supplies `[secrets]` (allow, exclude, history...)
    // and `[gate]` (ignore, fail_on), so accepted risks stay accepted in pre-commit hooks.
    let repo_config = root.join("launchready.toml");
    let (secrets_cfg, ignore, default_fail_on) = if repo_config.is_file() {
        let cfg = config::load(&repo_config)?;
        (cfg.secrets, cfg.gate.ignore, cfg.gate.fail_on)
    } else {
        (
            config::SecretsConfig::default(),
            Vec::new(),
            Some(Severity::High),
        )
    };
    let job: audit::Job = Box::new(move |sink: Sink| {
        Box::pin(async move { checks::secrets::scan_into(root, &secrets_cfg, &sink).await })
    });
    let deadline = tokio::time::Instant::now() + Duration::from_secs(args.timeout);
    let progress = Progress::new(
        !args.no_progress && !args.quiet,
        args.verbose && !args.quiet,
    );
    let outcome = audit::run_jobs(
        vec![(CheckName::Secrets, job)],
        deadline,
        &progress,
        &[CheckName::Secrets],
    )
    .await;
    let scored = score::score(outcome.findings.clone(), &ignore);
    let fail_on = threshold(args.fail_on, default_fail_on);
    let failed = score::gate_failed(&scored.summary, fail_on);
    let report = Report::new(repo.display().to_string(), outcome, scored);
    let opts = RenderOptions {
        color: false,
        fail_on,
        config_uri: None,
    };
    emit(&report, args.format, opts, args.output.as_deref(), &[], out)?;
    print_rules_file_messages(&report, args.quiet);
    annotate(&report, &Scrubber::default(), fail_on, args.quiet);
    Ok(exit_status(&report, failed))
}
