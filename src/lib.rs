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
pub mod fold;
pub mod http_util;
pub mod init;
pub mod net;
pub mod preflight;
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
    /// 3: a selected check errored or could not probe (no DNS from here, deadline...), and
    /// `--allow-incomplete` was not given.
    Incomplete,
}

impl Exit {
    /// The numeric exit code.
    pub fn code(self) -> u8 {
        match self {
            Exit::Pass => 0,
            Exit::GateFailed => 1,
            Exit::Incomplete => 3,
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
            in_endpoints = t.starts_with("[[endpoints]]");
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
                        "{flag}: unknown check `{s}`; expected dns, http, tls, email, secrets, perf, handover"
                    ))
                })
            })
            .collect()
    };
    for (list, flag) in [(only, "--only"), (skip, "--skip")] {
        if !list.is_empty() && list.iter().all(|s| s.trim().is_empty()) {
            return Err(Fatal::Usage(format!(
                "{flag} needs at least one check: {}",
                CheckName::SELECTABLE.map(|c| c.as_str()).join(", ")
            )));
        }
    }
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
    let selected: Vec<CheckName> = base.into_iter().filter(|c| !skip.contains(c)).collect();
    if selected.is_empty() {
        return Err(Fatal::Usage(
            "--only and --skip leave no check to run: nothing would be audited".to_string(),
        ));
    }
    Ok(selected)
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
    /// Exit by the gate even when the report is incomplete.
    pub allow_incomplete: bool,
    /// Print nothing on stderr but errors (`-q`).
    pub quiet: bool,
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
    let names = personal_names(&cfg);
    // No DNS from here: every network check would report the site as missing. Leave them out
    // and say why; the offline checks (secrets, handover) still run.
    let mut selected = opts.checks.clone();
    let mut no_dns: Vec<(CheckName, String)> = Vec::new();
    if selected.iter().any(|c| needs_dns(*c, &cfg)) {
        let custom = !opts.net.dns_servers.is_empty();
        if let Err(e) = preflight::check_dns(&net, custom, &cfg.target.domain, deadline).await {
            let sentence = e.sentence();
            if !opts.quiet {
                say(&format!("launchready: {sentence}"));
            }
            selected.retain(|c| {
                if needs_dns(*c, &cfg) {
                    no_dns.push((*c, sentence.clone()));
                    false
                } else {
                    true
                }
            });
        }
    }
    let cx = Arc::new(Cx {
        cfg,
        net,
        deadline,
        baseline: opts.baseline.clone(),
    });
    let mut outcome = audit::run(cx, &selected, &progress).await;
    for run in outcome.checks.iter_mut() {
        if let Some((_, why)) = no_dns.iter().find(|(c, _)| *c == run.check) {
            run.status = audit::CheckStatus::Skipped;
            run.reason = Some(why.clone());
            run.incomplete = true;
        }
    }
    let zone_missing = outcome
        .measurements
        .other
        .get("dns")
        .and_then(|d| d.get("zone_exists"))
        .and_then(serde_json::Value::as_bool)
        == Some(false);
    fold::under_missing_apex(&mut outcome.findings, &target, zone_missing);
    for f in &mut outcome.findings {
        personalize(f, &names);
    }
    let scored = score::score(outcome.findings.clone(), &ignore);
    let failed = score::gate_failed(&scored.summary, fail_on);
    let mut report = Report::new(target, outcome, scored);
    if let Some(b) = &opts.baseline {
        report.compare_with(b);
    }
    let mut exit = exit_status(&report, failed, opts.allow_incomplete);
    // Without DNS the site itself was not audited at all: that is "could not run" (3) even when
    // the offline checks fail the gate, unless --allow-incomplete asks for the gate's answer.
    if !no_dns.is_empty() && !opts.allow_incomplete {
        exit = Exit::Incomplete;
    }
    Ok((report, exit))
}

/// True when check `c` cannot do anything without DNS: everything but secrets and handover,
/// and perf unless every endpoint is an IP address.
fn needs_dns(c: CheckName, cfg: &Config) -> bool {
    match c {
        CheckName::Secrets | CheckName::Handover | CheckName::Check => false,
        CheckName::Perf => cfg.endpoints.iter().any(|e| {
            !matches!(
                e.url.expose().host(),
                Some(url::Host::Ipv4(_) | url::Host::Ipv6(_))
            )
        }),
        _ => true,
    }
}

/// The user's names for the example names in fix texts: (example, user's).
struct Names {
    domain: String,
    email_domain: String,
}

fn personal_names(cfg: &Config) -> Names {
    Names {
        domain: cfg.target.domain.clone(),
        email_domain: cfg.email.domain.clone(),
    }
}

/// Fix texts are written for `acme.example`; a report speaks of the user's own domain.
fn personalize(f: &mut finding::Finding, names: &Names) {
    const EXAMPLE: &str = "acme.example";
    if !f.fix.contains(EXAMPLE) {
        return;
    }
    let domain = if f.check == CheckName::Email {
        &names.email_domain
    } else {
        &names.domain
    };
    if domain.is_empty() {
        return;
    }
    f.fix = std::borrow::Cow::Owned(f.fix.replace(EXAMPLE, domain));
}

/// One line on stderr (progress notes, the CI verdict line).
#[allow(clippy::print_stderr)]
fn say(line: &str) {
    let mut err = std::io::stderr().lock();
    let clean: String = line
        .chars()
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .collect();
    let _ = writeln!(err, "{clean}");
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
    check_output(args.output.as_deref())?;
    let endpoints_unused = !checks
        .iter()
        .any(|c| matches!(c, CheckName::Perf | CheckName::Http | CheckName::Tls));
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
        allow_incomplete: args.allow_incomplete,
        quiet: args.quiet,
    };
    let (report, exit) = audit_config(cfg, &opts).await?;
    let opts = RenderOptions {
        color: false,
        fail_on,
        config_uri: Some(report::repo_relative(
            &path,
            std::env::current_dir().ok().as_deref(),
        )),
        width: report::DEFAULT_WIDTH,
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
    verdict_line(&report, args.output.as_deref(), args.quiet);
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
            let opts = RenderOptions {
                width: report::table_width(false),
                ..opts(false)
            };
            let bytes = render_report(&one, format, opts, secrets)?;
            std::fs::write(p, bytes)
                .map_err(|e| Fatal::CouldNotRun(format!("cannot write {}: {e}", p.display())))
        }
        None => {
            let tty = std::io::stdout().is_terminal();
            let color = format == Format::Table && use_color(tty);
            let opts = RenderOptions {
                width: report::table_width(tty),
                ..opts(color)
            };
            let bytes = render_report(&one, format, opts, secrets)?;
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

/// `audit --repo PATH`: the secrets check alone, no network. A `launchready.toml` at the
/// repository root supplies `[secrets]` and `[gate]`; nothing else in it is needed.
async fn audit_repo(repo: &Path, args: &AuditArgs, out: &mut dyn Write) -> Result<Exit, Fatal> {
    if !repo.is_dir() {
        return Err(Fatal::Usage(format!(
            "--repo {}: not a directory",
            repo.display()
        )));
    }
    check_output(args.output.as_deref())?;
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
    let (secrets_cfg, ignore, default_fail_on) = if repo_config.is_file() {
        let cfg = config::load_for_repo(&repo_config)?;
        (cfg.secrets, cfg.gate.ignore, cfg.gate.fail_on)
    } else {
        (
            config::SecretsConfig::default(),
            Vec::new(),
            Some(Severity::High),
        )
    };
    let staged = args.staged;
    let scan_root = root.clone();
    let job: audit::Job = Box::new(move |sink: checks::Sink| {
        Box::pin(async move {
            checks::secrets::scan_into_mode(scan_root, &secrets_cfg, &sink, staged).await
        })
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
    emit(&report, args.format, opts, args.output.as_deref(), &[], out)?;
    annotate(&report, fail_on, args.quiet);
    verdict_line(&report, args.output.as_deref(), args.quiet);
    Ok(exit)
}

/// An `--output` file that cannot be written is an error before anything is probed: create
/// (or open) it now.
fn check_output(output: Option<&Path>) -> Result<(), Fatal> {
    let Some(p) = output else { return Ok(()) };
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(p)
        .map(|_| ())
        .map_err(|e| Fatal::Usage(format!("--output {}: cannot write there: {e}", p.display())))
}

/// With `--output`, the CI log still gets one line: the verdict, the score and the counts.
fn verdict_line(report: &Report, output: Option<&Path>, quiet: bool) {
    let Some(p) = output else { return };
    if quiet {
        return;
    }
    let s = &report.summary;
    say(&format!(
        "launchready: {}: {} score {}/100 ({} critical, {} high, {} medium, {} low, {} info) — report in {}",
        report.target,
        report.verdict.shout(),
        report.score,
        s.critical,
        s.high,
        s.medium,
        s.low,
        s.info,
        p.display()
    ));
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

/// The exit status of an audit (DESIGN §2): a failed gate is 1 (it wins over incomplete);
/// else an incomplete report is 3 unless `allow_incomplete`; else 0.
pub fn exit_status(report: &Report, gate_failed: bool, allow_incomplete: bool) -> Exit {
    if gate_failed {
        Exit::GateFailed
    } else if !report.complete && !allow_incomplete {
        Exit::Incomplete
    } else {
        Exit::Pass
    }
}
