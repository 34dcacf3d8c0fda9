//! launchready: audits whether a web product is ready for its first customers.
//!
//! Flow: [`cli`] parses flags -> [`config`] loads and validates the TOML -> [`audit`] builds one
//! shared network context and runs every enabled check concurrently -> [`score`] ranks the
//! findings and computes the verdict -> [`report`] renders them. Checks never print; reports
//! never probe. [`run`] is what the binary calls, and what the tests call.

pub mod audit;
pub mod catalogue;
pub mod checks;
pub mod cli;
pub mod config;
pub mod finding;
pub mod http_util;
pub mod init;
pub mod net;
pub mod progress;
pub mod redact;
pub mod report;
pub mod sandbox;
pub mod score;
pub mod text;

use crate::checks::Cx;
use crate::cli::{AuditArgs, Cli, Command, FailOn, Format};
use crate::config::{Config, ConfigError};
use crate::finding::{CheckName, Severity};
use crate::net::{Net, NetOptions};
use crate::progress::Progress;
use crate::report::{RenderOptions, Report};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use thiserror::Error;

/// The process exit status (DESIGN §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: the audit ran and nothing is at or above `--fail-on`.
    Pass,
    /// 1: the gate failed.
    GateFailed,
    /// 3: every selected check failed (resolver down, deadline...): the report says what
    /// happened, but nothing was actually audited.
    NothingAudited,
}

impl Exit {
    /// The numeric exit code.
    pub fn code(self) -> u8 {
        match self {
            Exit::Pass => 0,
            Exit::GateFailed => 1,
            Exit::NothingAudited => 3,
        }
    }
}

/// An error that stops the command. Messages are for people, not a contract.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum Fatal {
    /// Exit 2: the config file is missing or invalid (nothing was probed).
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// Exit 2: a flag value is wrong (nothing was probed).
    #[error("{0}")]
    Usage(String),
    /// Exit 3: the audit could not run at all.
    #[error("{0}")]
    CouldNotRun(String),
}

impl Fatal {
    /// The exit code for this error: 2 for usage/config, 3 when the audit could not run.
    pub fn code(&self) -> u8 {
        match self {
            Fatal::Config(_) | Fatal::Usage(_) => 2,
            Fatal::CouldNotRun(_) => 3,
        }
    }
}

/// Runs one command, writing its output to `out` (stdout in the binary).
pub async fn run(cli: Cli, out: &mut dyn Write) -> Result<Exit, Fatal> {
    match cli.command {
        Command::Audit(args) => audit_command(args, out).await,
        Command::Demo(args) => sandbox::demo::run(args, out).await,
        Command::Init(args) => {
            let here = std::env::current_dir().ok();
            let text = init_text(args.domain.as_deref(), here.as_deref())?;
            write_out(out, text.as_bytes())?;
            Ok(Exit::Pass)
        }
        Command::Checks(args) => {
            let text = catalogue::list(args.format);
            write_out(out, text.as_bytes())?;
            Ok(Exit::Pass)
        }
        Command::Explain(args) => {
            let text = catalogue::explain(&args.id).ok_or_else(|| {
                Fatal::Usage(format!(
                    "unknown finding id `{}`; `launchready checks` lists them all",
                    args.id
                ))
            })?;
            write_out(out, text.as_bytes())?;
            Ok(Exit::Pass)
        }
        Command::Man => {
            use clap::CommandFactory;
            let mut buf = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .render(&mut buf)
                .map_err(|e| Fatal::CouldNotRun(format!("cannot render the man page: {e}")))?;
            write_out(out, &buf)?;
            Ok(Exit::Pass)
        }
        Command::Completions(args) => {
            use clap::CommandFactory;
            let mut buf = Vec::new();
            clap_complete::generate(args.shell, &mut Cli::command(), "launchready", &mut buf);
            write_out(out, &buf)?;
            Ok(Exit::Pass)
        }
    }
}

fn write_out(out: &mut dyn Write, bytes: &[u8]) -> Result<(), Fatal> {
    out.write_all(bytes)
        .and_then(|_| out.flush())
        .map_err(|e| Fatal::CouldNotRun(format!("cannot write output: {e}")))
}

/// The starter config printed by `init`: `checks.example.toml`, prefilled from what `dir` (the
/// current directory) shows, with the domain filled in from `--domain`. See [`init::prefill`].
pub fn init_text(domain: Option<&str>, dir: Option<&Path>) -> Result<String, Fatal> {
    let example = include_str!("../checks.example.toml");
    let mut text = match dir {
        Some(d) => init::prefill(example, &init::inspect(d)),
        None => example.to_string(),
    };
    if let Some(d) = domain {
        let d = config::normalize_domain(d).map_err(|m| Fatal::Usage(format!("--domain: {m}")))?;
        text = text
            .replace("acme.example", &d)
            .lines()
            .filter(|l| !l.starts_with("# The domain below is a placeholder"))
            .map(|l| format!("{l}\n"))
            .collect();
    }
    Ok(comment_out_examples(&text))
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
    ];
    let mut out = String::with_capacity(text.len() + 256);
    let mut in_endpoints = false;
    for line in text.lines() {
        let t = line.trim_start();
        if t.starts_with('[') {
            in_endpoints = t.starts_with("[[endpoints]]") || t.starts_with("[[flows");
        }
        let key = t.split('=').next().unwrap_or("").trim();
        let example = in_endpoints
            || (t.contains('=') && !t.starts_with('#') && EXAMPLE_KEYS.contains(&key))
            || (key == "name" && t.contains("\"Acme Chat\""))
            || (key == "rollback_doc"
                && t.contains("\"docs/rollback.md\"")
                && !t.contains("found"));
        if example && !t.is_empty() && !t.starts_with('#') {
            out.push_str("# ");
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Which checks `--only` / `--skip` select.
pub fn select_checks(only: &[String], skip: &[String]) -> Result<Vec<CheckName>, Fatal> {
    let parse = |list: &[String], flag: &str| -> Result<Vec<CheckName>, Fatal> {
        list.iter()
            .filter(|s| !s.trim().is_empty())
            .map(|s| {
                CheckName::parse(s).ok_or_else(|| {
                    Fatal::Usage(format!(
                        "{flag}: unknown check `{s}`; expected dns, http, tls, email, secrets, perf, handover, flows"
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
    let fail_on = threshold(opts.fail_on, cfg.gate.fail_on);
    let ignore = cfg.gate.ignore.clone();
    let target = cfg.target.domain.clone();
    let progress =
        Progress::new(opts.progress, opts.verbose).with_secrets(cfg.secret_values.clone());
    let cx = Arc::new(Cx {
        cfg,
        net,
        deadline,
        baseline: opts.baseline.clone(),
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
    let clean: Vec<Report> = reports.iter().map(|l| l.report.scrubbed(secrets)).collect();
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
    let mut text = String::from_utf8_lossy(&buf).into_owned();
    for s in secrets {
        let v = s.expose();
        if v.len() >= 4 && text.contains(v.as_str()) {
            text = text.replace(v.as_str(), &redact::redact(v));
        }
    }
    Ok(text.into_bytes())
}

/// Colour only when writing to a terminal and `NO_COLOR` is unset.
pub fn use_color(to_terminal: bool) -> bool {
    to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

async fn audit_command(args: AuditArgs, out: &mut dyn Write) -> Result<Exit, Fatal> {
    if let Some(repo) = &args.repo {
        return audit_repo(repo, &args, out).await;
    }
    let path = args
        .config
        .clone()
        .unwrap_or_else(|| PathBuf::from("launchready.toml"));
    let checks = select_checks(&args.only, &args.skip)?;
    let endpoints_unused = !checks.iter().any(|c| {
        matches!(
            c,
            CheckName::Perf | CheckName::Http | CheckName::Tls | CheckName::Flows
        )
    });
    let cfg = config::load_with(&path, endpoints_unused)?;
    let mut net = NetOptions::default();
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
    annotate(&report.scrubbed(&secrets), fail_on, args.quiet);
    Ok(exit)
}

/// In GitHub Actions, also annotate the run. stdout carries the report, so the workflow
/// commands go to stderr, which the runner parses as well. `-q` means only the report.
fn annotate(report: &Report, fail_on: Option<Severity>, quiet: bool) {
    if report::github::enabled() && !quiet {
        let text = report::github::annotations(report, fail_on);
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

/// `audit --repo PATH`: the secrets check alone, no config, no network.
async fn audit_repo(repo: &Path, args: &AuditArgs, out: &mut dyn Write) -> Result<Exit, Fatal> {
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
    let job: audit::Job = Box::new(move |sink: checks::Sink| {
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
    annotate(&report, fail_on, args.quiet);
    Ok(exit_status(&report, failed))
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
    use crate::audit::CheckStatus;
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
