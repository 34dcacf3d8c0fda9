//! `launchready audit`: load the config, build the network options and the baseline, run the
//! audit, score it, render the report, and decide the exit status. `audit --repo` is in
//! [`super::repo`].

use super::{Exit, Fatal, write_out};
use crate::checks::{self, Cx};
use crate::cli::{AlsoWrite, AuditArgs, FailOn, Format};
use crate::config::{self, Config};
use crate::model::{CheckName, Severity};
use crate::net::{self, Net, NetOptions};
use crate::progress::{Progress, use_color};
use crate::redact::{self, Scrubber};
use crate::report::{self, RenderOptions, Report};
use crate::{audit, score};
use crate::{fold, preflight};
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
                        "{flag}: unknown check `{s}`; expected dns, http, tls, email, secrets, perf, handover, ai, flows, env"
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
    /// Where the `env` check reads variables (the process environment, except in the demo).
    pub env: checks::EnvSource,
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
    let sampling = opts.checks.contains(&CheckName::Perf) && !cfg.endpoints.is_empty();
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
        baseline: opts.baseline.as_ref().map(Report::baseline),
        selected: opts.checks.clone(),
        quiet: crate::checks::Quiet::new(sampling),
        env: opts.env.clone(),
    });
    let mut outcome = audit::run(cx, &selected, &progress).await;
    for run in outcome.checks.iter_mut() {
        if let Some((_, why)) = no_dns.iter().find(|(c, _)| *c == run.check) {
            run.status = crate::model::CheckStatus::Skipped;
            run.reason = Some(why.clone());
            run.incomplete = true;
        }
    }
    let zone_missing = outcome.measurements.zone_missing();
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
        CheckName::Secrets | CheckName::Handover | CheckName::Env | CheckName::Check => false,
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
fn personalize(f: &mut crate::model::Finding, names: &Names) {
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
pub(crate) fn say(line: &str) {
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

/// True when no selected check uses the `[[endpoints]]` (so the config may leave them out).
pub(crate) fn endpoints_unused(checks: &[CheckName]) -> bool {
    !checks.iter().any(|c| {
        matches!(
            c,
            CheckName::Perf | CheckName::Http | CheckName::Tls | CheckName::Ai | CheckName::Flows
        )
    })
}

/// The network options of `audit`'s flags (`--allow-private`, `--dns-server`, `--ca-file`).
pub(crate) fn net_options(args: &AuditArgs) -> Result<NetOptions, Fatal> {
    let mut net = NetOptions {
        allow_private: args.allow_private,
        timeouts: net::Timeouts::from_env().map_err(|e| Fatal::Usage(e.to_string()))?,
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
    Ok(net)
}

/// Runs `audit` (or `audit --repo`).
pub(crate) async fn run(args: AuditArgs, out: &mut dyn Write) -> Result<Exit, Fatal> {
    if let Some(repo) = &args.repo {
        return super::repo::run(repo, &args, out).await;
    }
    if super::fleet::is_fleet(&args) {
        return super::fleet::run(args, out).await;
    }
    let path = args
        .config
        .first()
        .cloned()
        .unwrap_or_else(|| PathBuf::from("launchready.toml"));
    let checks = select_checks(&args.only, &args.skip)?;
    check_outputs(args.output.as_deref(), &args.also)?;
    let endpoints_unused = endpoints_unused(&checks);
    let env_allow = (!args.env_allow.is_empty()).then_some(args.env_allow.as_slice());
    let cfg = config::load_allowing(&path, endpoints_unused, env_allow)?;
    let net = net_options(&args)?;
    let baseline = match &args.baseline {
        Some(b) => {
            let report = read_baseline(b)?;
            check_baseline_target(&report, b, &cfg.target.domain)?;
            Some(report)
        }
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
        env: checks::EnvSource::Process,
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
    let one = [report::Labeled {
        label: None,
        report: &report,
    }];
    write_also(&one, &args.also, &opts, &secrets)?;
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
    verdict_line(&report, args.output.as_deref(), args.quiet);
    Ok(exit)
}

/// Says on stderr what loading the secret scan's `rules_file` did ("loaded N of M rules" and
/// every dropped rule or allowlist) and what the scan left out at the repository's boundary
/// (submodules, paths leading outside), unless `-q`: nothing is skipped silently.
pub(crate) fn print_rules_file_messages(report: &Report, quiet: bool) {
    let mut messages = crate::checks::secrets::rules_file_messages(&report.measurements);
    messages.extend(report.measurements.secrets_boundaries());
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
        Some(p) => write_file("--output", &one, format, p, opts(false), secrets),
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

/// Renders `reports` in `format` (no colour, the file width) and writes them to `path`.
pub(crate) fn write_file(
    flag: &str,
    reports: &[report::Labeled<'_>],
    format: Format,
    path: &Path,
    opts: RenderOptions,
    secrets: &[redact::Secret<String>],
) -> Result<(), Fatal> {
    let opts = RenderOptions {
        color: false,
        width: report::table_width(false),
        ..opts
    };
    let bytes = render_report(reports, format, opts, secrets)?;
    std::fs::write(path, bytes)
        .map_err(|e| Fatal::CouldNotRun(format!("{flag} {}: cannot write: {e}", path.display())))
}

/// Writes every `--also FORMAT=FILE` rendering of `reports`.
pub(crate) fn write_also(
    reports: &[report::Labeled<'_>],
    also: &[AlsoWrite],
    opts: &RenderOptions,
    secrets: &[redact::Secret<String>],
) -> Result<(), Fatal> {
    also.iter()
        .try_for_each(|a| write_file("--also", reports, a.format, &a.path, opts.clone(), secrets))
}

/// Reads a previous JSON report (for `--baseline`). A file that is not one says so plainly,
/// naming the file, before anything is probed.
pub fn read_baseline(path: &Path) -> Result<Report, Fatal> {
    let shown = path.display();
    let text = std::fs::read_to_string(path)
        .map_err(|e| Fatal::Usage(format!("--baseline {shown}: cannot read it: {e}")))?;
    let how = "make one with `launchready audit --format json --output FILE`";
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        Fatal::Usage(format!(
            "--baseline {shown} is not a launchready JSON report: it is not JSON (line {}, column {}); {how}",
            e.line(),
            e.column()
        ))
    })?;
    let is_report = value.get("schema_version").is_some()
        && value.pointer("/tool/name").and_then(|v| v.as_str()) == Some("launchready");
    if !is_report {
        let what = match &value {
            serde_json::Value::Array(a) => format!(
                "it is a list of {} items (a demo or several targets' output?); pass one target's report",
                a.len()
            ),
            serde_json::Value::Object(_) => {
                "it has no `schema_version` and `tool.name = \"launchready\"`".to_string()
            }
            _ => "it is a single JSON value".to_string(),
        };
        return Err(Fatal::Usage(format!(
            "--baseline {shown} is not a launchready JSON report: {what}; {how}"
        )));
    }
    serde_json::from_value(value).map_err(|e| {
        Fatal::Usage(format!(
            "--baseline {shown}: a launchready report this version cannot read ({e}); {how}"
        ))
    })
}

/// A baseline from another target would mark every finding new and every old one fixed:
/// refuse it before probing.
pub(crate) fn check_baseline_target(
    baseline: &Report,
    path: &Path,
    target: &str,
) -> Result<(), Fatal> {
    if baseline.target.eq_ignore_ascii_case(target) {
        return Ok(());
    }
    Err(Fatal::Usage(format!(
        "--baseline {} is a report for {}, not for {target}: compare reports of the same target",
        path.display(),
        crate::text::escape_controls(&baseline.target, crate::text::Lines::Escape)
    )))
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

/// An `--output` file that cannot be written is an error before anything is probed: create
/// (or open) it now.
pub(crate) fn check_output(output: Option<&Path>) -> Result<(), Fatal> {
    output.map_or(Ok(()), |p| check_file("--output", p))
}

/// [`check_output`] for `--output` and every `--also` file. One file named twice, in any
/// spelling (`a.json`, `./a.json`, an absolute path, a symlink), is a usage error before any
/// file is touched: the second report would overwrite the first.
pub(crate) fn check_outputs(output: Option<&Path>, also: &[AlsoWrite]) -> Result<(), Fatal> {
    let mut seen: Vec<PathBuf> = output.map(file_identity).into_iter().collect();
    for a in also {
        let id = file_identity(&a.path);
        if seen.contains(&id) {
            return Err(Fatal::Usage(format!(
                "--also {}: that file is already named by --output or another --also",
                a.path.display()
            )));
        }
        seen.push(id);
    }
    check_output(output)?;
    also.iter().try_for_each(|a| check_file("--also", &a.path))
}

/// The file `p` names, whatever its spelling: its canonical path when it exists, else its
/// canonical directory joined with its name.
fn file_identity(p: &Path) -> PathBuf {
    if let Ok(c) = std::fs::canonicalize(p) {
        return c;
    }
    let dir = p
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    match (std::fs::canonicalize(dir), p.file_name()) {
        (Ok(d), Some(name)) => d.join(name),
        _ => p.to_path_buf(),
    }
}

/// Proves `p` can be written: an existing file is opened for appending (not truncated); a file
/// created only for the proof is removed again, so a run that fails later leaves no empty
/// report behind.
fn check_file(flag: &str, p: &Path) -> Result<(), Fatal> {
    let existed = p.exists();
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(p)
        .map_err(|e| Fatal::Usage(format!("{flag} {}: cannot write there: {e}", p.display())))?;
    if !existed {
        let _ = std::fs::remove_file(p);
    }
    Ok(())
}

/// With `--output`, the CI log still gets one line: the verdict, the score and the counts.
pub(crate) fn verdict_line(report: &Report, output: Option<&Path>, quiet: bool) {
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
