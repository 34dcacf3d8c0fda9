//! `launchready audit`: load the config, build the network options and the baseline, run the
//! audit, score it, render the report, and decide the exit status. `audit --repo` is in
//! [`super::repo`].

use super::{Exit, Fatal, write_out};
use crate::checks::{self, Cx};
use crate::cli::{AuditArgs, FailOn, Format};
use crate::config::{self, Config};
use crate::model::{CheckName, CheckStatus, Severity};
use crate::net::{self, Net, NetOptions};
use crate::progress::{Progress, use_color};
use crate::redact::{self, Scrubber};
use crate::report::{self, RenderOptions, Report};
use crate::{audit, score};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// Which checks `--only` / `--skip` select.
pub fn select_checks(only: &[String], skip: &[String]) -> Result<Vec<CheckName>, Fatal> {
    let parse = |list: &[String], flag: &str| -> Result<Vec<CheckName>, Fatal> {
        list.iter()
            .filter(|s| !s.trim().is_empty())
            .map(|s| {
                CheckName::parse(s).ok_or_else(|| {
                    Fatal::Usage(format!(
                        "{flag}: unknown check `{s}`; expected dns, http, tls, email, secrets, perf, handover"
                    ))
                })
            })
            .collect()
    };
    let only = parse(only, "--only")?;
    let skip = parse(skip, "--skip")?;
    let available: Vec<CheckName> = checks::ALL.iter().map(|c| c.name()).collect();
    for c in &only {
        if !available.contains(c) {
            return Err(Fatal::Usage(format!(
                "--only: the {c} check is not available in this version (available: {})",
                available
                    .iter()
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
    }
    let base = if only.is_empty() { available } else { only };
    Ok(base.into_iter().filter(|c| !skip.contains(c)).collect())
}

/// Network-related options of an audit.
#[derive(Debug, Clone)]
pub struct AuditOptions {
    /// Checks to run.
    pub checks: Vec<CheckName>,
    /// DNS servers and extra roots.
    pub net: NetOptions,
    /// Whole-audit deadline.
    pub timeout: Duration,
    /// Gate threshold override from the command line.
    pub fail_on: Option<FailOn>,
    /// Draw progress.
    pub progress: bool,
    /// Print each check's status and timing on stderr as it ends (`-v`).
    pub verbose: bool,
    /// A previous report (`--baseline`).
    pub baseline: Option<Report>,
}

/// Runs an audit of `cfg` and returns the report and the exit status.
pub async fn audit_config(cfg: Config, opts: &AuditOptions) -> Result<(Report, Exit), Fatal> {
    let net = Net::new(&opts.net).map_err(|e| Fatal::CouldNotRun(e.to_string()))?;
    let deadline = tokio::time::Instant::now() + opts.timeout;
    net.learn_configured(
        &cfg.configured_hosts(),
        opts.timeout.min(Duration::from_secs(3)),
    )
    .await;
    let fail_on = threshold(opts.fail_on, cfg.gate.fail_on);
    let ignore = cfg.gate.ignore.clone();
    let target = cfg.target.domain.clone();
    let progress =
        Progress::new(opts.progress, opts.verbose).with_secrets(cfg.secret_values.clone());
    let cx = Arc::new(Cx {
        cfg,
        net,
        deadline,
        baseline: opts.baseline.as_ref().map(Report::baseline),
    });
    let outcome = audit::run(cx, &opts.checks, &progress).await;
    let scored = score::score(outcome.findings.clone(), &ignore);
    let failed = score::gate_failed(&scored.summary, fail_on);
    let mut report = Report::new(target, outcome, scored);
    if let Some(b) = &opts.baseline {
        report.compare_with(b);
    }
    let exit = exit_status(&report, failed);
    Ok((report, exit))
}

/// Renders reports to bytes, scrubbing any value that came from `${ENV}` in endpoint settings:
/// first from the report model (so no format's escaping can hide it), then from the rendered
/// text as a second line of defence.
pub fn render_report(
    reports: &[report::Labeled<'_>],
    format: Format,
    opts: RenderOptions,
    secrets: &[redact::Secret<String>],
) -> Result<Vec<u8>, Fatal> {
    let scrubber = Scrubber::new(secrets);
    let clean = reports
        .iter()
        .map(|l| scrubber.value(l.report, "report"))
        .collect::<Result<Vec<Report>, _>>()
        .map_err(|e| Fatal::CouldNotRun(e.to_string()))?;
    let labeled: Vec<report::Labeled<'_>> = reports
        .iter()
        .zip(&clean)
        .map(|(l, r)| report::Labeled {
            label: l.label,
            report: r,
        })
        .collect();
    let mut buf = Vec::new();
    report::render_many(&labeled, format, opts, &mut buf)
        .map_err(|e| Fatal::CouldNotRun(e.to_string()))?;
    let text = String::from_utf8_lossy(&buf);
    Ok(scrubber.text(&text).into_owned().into_bytes())
}

/// Runs `audit` (or `audit --repo`).
pub(crate) async fn run(args: AuditArgs, out: &mut dyn Write) -> Result<Exit, Fatal> {
    if let Some(repo) = &args.repo {
        return super::repo::run(repo, &args, out).await;
    }
    let path = args
        .config
        .clone()
        .unwrap_or_else(|| PathBuf::from("launchready.toml"));
    let checks = select_checks(&args.only, &args.skip)?;
    let endpoints_unused = !checks
        .iter()
        .any(|c| matches!(c, CheckName::Perf | CheckName::Http | CheckName::Tls));
    let cfg = config::load_with(&path, endpoints_unused)?;
    let mut net = NetOptions {
        allow_private: args.allow_private,
        ..NetOptions::default()
    };
    for s in &args.dns_server {
        net.dns_servers
            .push(net::parse_dns_server(s).map_err(|e| Fatal::Usage(e.to_string()))?);
    }
    for p in &args.ca_file {
        net.extra_roots
            .extend(net::read_ca_file(p).map_err(|e| Fatal::Usage(e.to_string()))?);
    }
    let baseline = match &args.baseline {
        Some(b) => Some(read_baseline(b)?),
        None => None,
    };
    let secrets = cfg.secret_values.clone();
    let fail_on = threshold(args.fail_on, cfg.gate.fail_on);
    let opts = AuditOptions {
        checks,
        net,
        timeout: Duration::from_secs(args.timeout),
        fail_on: args.fail_on,
        progress: !args.no_progress && !args.quiet,
        verbose: args.verbose && !args.quiet,
        baseline,
    };
    let (report, exit) = audit_config(cfg, &opts).await?;
    let opts = RenderOptions {
        color: false,
        fail_on,
        config_uri: Some(report::repo_relative(
            &path,
            std::env::current_dir().ok().as_deref(),
        )),
    };
    emit(
        &report,
        args.format,
        opts,
        args.output.as_deref(),
        &secrets,
        out,
    )?;
    print_rules_file_messages(&report, args.quiet);
    annotate(&report, &Scrubber::new(&secrets), fail_on, args.quiet);
    Ok(exit)
}

/// Says on stderr what loading the secret scan's `rules_file` did ("loaded N of M rules" and
/// every dropped rule or allowlist), unless `-q`: a rule that silently fails to load is a
/// silent skip.
pub(crate) fn print_rules_file_messages(report: &Report, quiet: bool) {
    let messages = crate::checks::secrets::rules_file_messages(&report.measurements);
    if quiet || messages.is_empty() {
        return;
    }
    let mut err = std::io::stderr().lock();
    for m in messages {
        // file names and rule ids come from the user's files: no control characters
        let m: String = m
            .chars()
            .map(|c| if c.is_control() { '?' } else { c })
            .collect();
        let _ = writeln!(err, "launchready: {m}");
    }
}

/// In GitHub Actions, also annotate the run. stdout carries the report, so the workflow
/// commands go to stderr, which the runner parses as well. `-q` means only the report. A report
/// that cannot be scrubbed is not annotated.
pub(crate) fn annotate(
    report: &Report,
    scrubber: &Scrubber,
    fail_on: Option<Severity>,
    quiet: bool,
) {
    if report::github::enabled() && !quiet {
        let Ok(report) = scrubber.value(report, "report") else {
            return;
        };
        let text = report::github::annotations(&report, fail_on);
        let mut err = std::io::stderr().lock();
        let _ = err.write_all(text.as_bytes()).and_then(|_| err.flush());
    }
}

/// Writes a rendered report to `--output` or `out`; `opts.color` is decided here (only for a
/// table on a terminal).
pub fn emit(
    report: &Report,
    format: Format,
    opts: RenderOptions,
    output: Option<&Path>,
    secrets: &[redact::Secret<String>],
    out: &mut dyn Write,
) -> Result<(), Fatal> {
    use std::io::IsTerminal;
    let one = [report::Labeled {
        label: None,
        report,
    }];
    let opts = |color| RenderOptions {
        color,
        ..opts.clone()
    };
    match output {
        Some(p) => {
            let bytes = render_report(&one, format, opts(false), secrets)?;
            std::fs::write(p, bytes)
                .map_err(|e| Fatal::CouldNotRun(format!("cannot write {}: {e}", p.display())))
        }
        None => {
            let color = format == Format::Table && use_color(std::io::stdout().is_terminal());
            let bytes = render_report(&one, format, opts(color), secrets)?;
            write_out(out, &bytes)
        }
    }
}

/// Reads a previous JSON report (for `--baseline`).
pub fn read_baseline(path: &Path) -> Result<Report, Fatal> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Fatal::Usage(format!("--baseline {}: {e}", path.display())))?;
    serde_json::from_str(&text).map_err(|e| {
        Fatal::Usage(format!(
            "--baseline {}:{}:{}: not a launchready JSON report: {e}",
            path.display(),
            e.line(),
            e.column()
        ))
    })
}

/// The gate threshold: `--fail-on` when given, else `default` (`None` = never fail).
pub fn threshold(flag: Option<FailOn>, default: Option<Severity>) -> Option<Severity> {
    match flag {
        None => default,
        Some(FailOn::Critical) => Some(Severity::Critical),
        Some(FailOn::High) => Some(Severity::High),
        Some(FailOn::Medium) => Some(Severity::Medium),
        Some(FailOn::Low) => Some(Severity::Low),
        Some(FailOn::Never) => None,
    }
}

/// 3 when every check that ran ended in error (nothing was audited), else the gate's verdict.
pub fn exit_status(report: &Report, gate_failed: bool) -> Exit {
    let ran: Vec<_> = report
        .checks
        .iter()
        .filter(|c| c.status != CheckStatus::Skipped)
        .collect();
    if !ran.is_empty() && ran.iter().all(|c| c.status == CheckStatus::Error) {
        Exit::NothingAudited
    } else if gate_failed {
        Exit::GateFailed
    } else {
        Exit::Pass
    }
}
