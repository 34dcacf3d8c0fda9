//! `launchready demo`: start the sandbox, audit the broken site and the healthy site through the
//! same code path as `audit` (config files on disk, `--dns-server`, `--ca-file` roots), print
//! both reports in any format (one JSON array, one SARIF log with two runs, one JUnit document,
//! or two tables / Markdown packs one after the other). With `--serve`, keep the sandbox up and print how to reach it instead.

use super::audit::{AuditOptions, audit_config, render_report, select_checks};
use super::{Exit, Fatal};
use crate::cli::{DemoArgs, Format};
use crate::config;
use crate::net::{NetOptions, read_ca_file};
use crate::progress::use_color;
use crate::report::{Labeled, RenderOptions};
use crate::sandbox::Sandbox;
use std::io::Write;
use std::time::Duration;

/// Runs the demo.
pub(crate) async fn run(args: DemoArgs, out: &mut dyn Write) -> Result<Exit, Fatal> {
    super::audit::check_outputs(None, &args.also)?;
    let sb = Sandbox::start()
        .await
        .map_err(|e| Fatal::CouldNotRun(format!("cannot start the sandbox: {e}")))?;
    let io = |e: std::io::Error| Fatal::CouldNotRun(format!("cannot write output: {e}"));
    if args.serve {
        writeln!(
            out,
            "sandbox running (Ctrl-C to stop)\n  dns server:   {}\n  http port:    {}\n  https port:   {}\n  CA file:      {}\n  broken site:  {}\n  healthy site: {}\n\ntry: launchready audit --config {} --dns-server {} --ca-file {}",
            sb.dns,
            sb.http_port,
            sb.https_port,
            sb.ca_path().display(),
            sb.broken_config().display(),
            sb.healthy_config().display(),
            sb.broken_config().display(),
            sb.dns,
            sb.ca_path().display()
        )
        .map_err(io)?;
        out.flush().map_err(io)?;
        let _ = tokio::signal::ctrl_c().await;
        return Ok(Exit::Pass);
    }
    let roots = read_ca_file(&sb.ca_path()).map_err(|e| Fatal::CouldNotRun(e.to_string()))?;
    let mut opts = AuditOptions {
        checks: select_checks(&[], &[])?,
        net: NetOptions {
            dns_servers: vec![sb.dns],
            extra_roots: roots,
            timeouts: crate::net::Timeouts::from_env().map_err(|e| Fatal::Usage(e.to_string()))?,
            ..NetOptions::default()
        },
        timeout: Duration::from_secs(60),
        fail_on: None,
        // Spinners per check on stderr, drawn only when stderr is a terminal.
        progress: true,
        verbose: false,
        baseline: None,
        allow_incomplete: true,
        quiet: true,
        env: crate::checks::EnvSource::Process,
    };
    let tty = {
        use std::io::IsTerminal;
        std::io::stdout().is_terminal()
    };
    let color = args.format == Format::Table && use_color(tty);
    let stderr_tty = {
        use std::io::IsTerminal;
        std::io::stderr().is_terminal()
    };
    let mut reports = Vec::new();
    let mut fail_on = None;
    for (label, path, env) in [
        (
            "sandbox: the broken site",
            sb.broken_config(),
            &sb.env_broken,
        ),
        (
            "sandbox: the healthy site",
            sb.healthy_config(),
            &sb.env_healthy,
        ),
    ] {
        // The sites' own process environments, not the caller's.
        opts.env = crate::checks::EnvSource::Fixed(std::sync::Arc::new(
            env.iter()
                .map(|(k, v)| (k.clone(), crate::redact::Secret::new(v.clone())))
                .collect(),
        ));
        let cfg = config::load(&path)?;
        fail_on = fail_on.or(cfg.gate.fail_on);
        if stderr_tty {
            super::audit::say(&format!(
                "launchready: auditing {}",
                label.trim_start_matches("sandbox: ")
            ));
        }
        let (report, _) = audit_config(cfg, &opts).await?;
        reports.push((label, report));
    }
    let labeled: Vec<Labeled<'_>> = reports
        .iter()
        .map(|(label, report)| Labeled {
            label: Some(label),
            report,
        })
        .collect();
    let opts = RenderOptions {
        color,
        fail_on,
        config_uri: Some("launchready.toml".into()),
        width: crate::report::table_width(tty),
    };
    super::audit::write_also(&labeled, &args.also, &opts, &[])?;
    let bytes = render_report(&labeled, args.format, opts, &[])?;
    out.write_all(&bytes).map_err(io)?;
    out.flush().map_err(io)?;
    Ok(Exit::Pass)
}
