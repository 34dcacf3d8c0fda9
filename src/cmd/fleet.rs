//! Fleets: `audit` with several `--config` (or a directory of them) audits every target with
//! bounded concurrency (`--jobs`), writes one JSON report per target (plus one in `--format`)
//! to `--out-dir`, and prints the index; `--shard I/N` keeps every N-th target so CI runners
//! split a fleet; `launchready merge` builds the same index from the shards' reports.
//!
//! Exit code of a fleet: the worst of its targets — 1 when any target failed its gate, else 3
//! when any report is incomplete (without `--allow-incomplete`), else 0. A config error in any
//! target is exit 2 before anything is probed.

use super::audit::{
    AuditOptions, audit_config, endpoints_unused, net_options, render_report, say, select_checks,
};
use super::{Exit, Fatal, write_out};
use crate::cli::{AuditArgs, DiffFormat, Format, MergeArgs};
use crate::config;
use crate::report::index::{Index, IndexRow, Page};
use crate::report::{Labeled, RenderOptions};
use futures::stream::{self, StreamExt};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Where per-target reports go without `--out-dir`.
const DEFAULT_OUT_DIR: &str = "launchready-reports";

/// True when `audit` was asked for a fleet: several configs, a directory, or a shard.
pub(crate) fn is_fleet(args: &AuditArgs) -> bool {
    args.config.len() > 1 || args.shard.is_some() || args.config.iter().any(|p| p.is_dir())
}

/// The configs in stable order: as given, a directory as its `*.toml` files sorted by name;
/// a path given twice counts once.
fn expand(configs: &[PathBuf]) -> Result<Vec<PathBuf>, Fatal> {
    let mut out: Vec<PathBuf> = Vec::new();
    for c in configs {
        if c.is_dir() {
            let rd = std::fs::read_dir(c)
                .map_err(|e| Fatal::Usage(format!("--config {}: {e}", c.display())))?;
            let mut files: Vec<PathBuf> = rd
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "toml"))
                .collect();
            if files.is_empty() {
                return Err(Fatal::Usage(format!(
                    "--config {}: the directory holds no *.toml config",
                    c.display()
                )));
            }
            files.sort();
            out.extend(files);
        } else {
            out.push(c.clone());
        }
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|p| seen.insert(p.clone()));
    Ok(out)
}

/// Report file stems: each config's file stem, made unique in fleet order (`prod`, `prod-2`).
fn stems(paths: &[PathBuf]) -> Vec<String> {
    let mut used: std::collections::HashMap<String, usize> = Default::default();
    paths
        .iter()
        .map(|p| {
            let base = p
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "target".into());
            let n = used.entry(base.clone()).or_insert(0);
            *n += 1;
            if *n == 1 { base } else { format!("{base}-{n}") }
        })
        .collect()
}

/// The file extension of a per-target report in `format`.
fn extension(format: Format) -> &'static str {
    match format {
        Format::Table => "txt",
        Format::Json => "json",
        Format::Markdown => "md",
        Format::Sarif => "sarif",
        Format::Junit => "xml",
        Format::Html => "html",
    }
}

/// Audits a fleet.
pub(crate) async fn run(args: AuditArgs, out: &mut dyn Write) -> Result<Exit, Fatal> {
    if let Some(a) = args.also.first() {
        return Err(Fatal::Usage(format!(
            "--also {}: a fleet writes one JSON report per target to --out-dir and the index to --output; --also is for one target",
            a.path.display()
        )));
    }
    if args.baseline.is_some() {
        return Err(Fatal::Usage(
            "--baseline compares one target with its previous report: not with several configs (use `launchready diff` per target)".into(),
        ));
    }
    let all = expand(&args.config)?;
    let names = stems(&all);
    let mut targets: Vec<(PathBuf, String)> = all.into_iter().zip(names).collect();
    if let Some(s) = args.shard {
        targets = targets
            .into_iter()
            .enumerate()
            .filter(|(i, _)| i % s.count == s.index - 1)
            .map(|(_, t)| t)
            .collect();
    }
    let checks = select_checks(&args.only, &args.skip)?;
    super::audit::check_output(args.output.as_deref())?;
    let env_allow = (!args.env_allow.is_empty()).then_some(args.env_allow.as_slice());
    // Every config is read before anything is probed: one bad file is exit 2 for the fleet.
    let mut loaded = Vec::new();
    for (path, stem) in targets {
        let cfg = config::load_allowing(&path, endpoints_unused(&checks), env_allow)?;
        loaded.push((path, stem, cfg));
    }
    let dir = args
        .out_dir
        .clone()
        .unwrap_or_else(|| PathBuf::from(DEFAULT_OUT_DIR));
    std::fs::create_dir_all(&dir)
        .map_err(|e| Fatal::Usage(format!("--out-dir {}: {e}", dir.display())))?;
    let opts = AuditOptions {
        checks,
        net: net_options(&args)?,
        timeout: Duration::from_secs(args.timeout),
        fail_on: args.fail_on,
        // Bars of several audits at once would overwrite each other: one line per target.
        progress: false,
        verbose: false,
        baseline: None,
        allow_incomplete: args.allow_incomplete,
        quiet: true,
        env: crate::checks::EnvSource::Process,
    };
    let total = loaded.len();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let base = index_dir(args.output.as_deref());
    // Unordered: a lane takes the next target as soon as its audit ends (an ordered buffer
    // would hold every lane until the oldest audit in it ended). The index sorts its rows.
    let mut results: Vec<(usize, TargetResult)> = stream::iter(loaded.into_iter().enumerate())
        .map(|(i, (path, stem, cfg))| {
            let (opts, dir, done, base) = (&opts, &dir, &done, &base);
            let args = &args;
            async move {
                let audited = async {
                    let secrets = cfg.secret_values.clone();
                    let fail_on = super::audit::threshold(args.fail_on, cfg.gate.fail_on);
                    let (report, exit) = audit_config(cfg, opts).await?;
                    let one = [Labeled {
                        label: None,
                        report: &report,
                    }];
                    let ropts = RenderOptions {
                        fail_on,
                        config_uri: Some(crate::report::repo_relative(
                            &path,
                            std::env::current_dir().ok().as_deref(),
                        )),
                        ..RenderOptions::default()
                    };
                    let file = format!("{stem}.json");
                    let mut formats = vec![Format::Json];
                    if args.format != Format::Json {
                        formats.push(args.format);
                    }
                    for f in formats {
                        let bytes = render_report(&one, f, ropts.clone(), &secrets)?;
                        let p = dir.join(format!("{stem}.{}", extension(f)));
                        std::fs::write(&p, bytes).map_err(|e| {
                            Fatal::CouldNotRun(format!("cannot write {}: {e}", p.display()))
                        })?;
                    }
                    let clean = report
                        .scrubbed(&secrets)
                        .map_err(|e| Fatal::CouldNotRun(e.to_string()))?;
                    let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                    if !args.quiet {
                        say(&format!(
                            "launchready: [{n}/{total}] {}: {} score {} — {}",
                            clean.target,
                            clean.verdict.shout(),
                            clean.score,
                            dir.join(&file).display()
                        ));
                    }
                    // The HTML index links the target's HTML report when this run wrote one.
                    let page = dir.join(if args.format == Format::Html {
                        format!("{stem}.html")
                    } else {
                        file.clone()
                    });
                    let mut row = IndexRow::of(&file, &clean);
                    row.page = Page::relative(base, &page);
                    Ok((row, exit))
                };
                (i, audited.await)
            }
        })
        .buffer_unordered(usize::from(args.jobs))
        .collect()
        .await;
    // The first error in the configs' order, whatever order the audits ended in.
    results.sort_by_key(|(i, _)| *i);
    let mut rows = Vec::new();
    let mut exits = Vec::new();
    for (_, r) in results {
        let (row, exit) = r?;
        rows.push(row);
        exits.push(exit);
    }
    let index = Index::new(rows);
    let format = match args.format {
        Format::Json => DiffFormat::Json,
        Format::Markdown => DiffFormat::Markdown,
        Format::Html => DiffFormat::Html,
        Format::Table | Format::Sarif | Format::Junit => DiffFormat::Table,
    };
    emit_index(&index, format, args.output.as_deref(), out)?;
    Ok(worst(&exits))
}

/// One target's index row and exit, or why it could not be audited.
type TargetResult = Result<(IndexRow, Exit), Fatal>;

/// The fleet's exit: a failed gate anywhere wins, then an incomplete report, else pass.
fn worst(exits: &[Exit]) -> Exit {
    if exits.contains(&Exit::GateFailed) {
        Exit::GateFailed
    } else if exits.contains(&Exit::Incomplete) {
        Exit::Incomplete
    } else {
        Exit::Pass
    }
}

fn emit_index(
    index: &Index,
    format: DiffFormat,
    output: Option<&Path>,
    out: &mut dyn Write,
) -> Result<(), Fatal> {
    let text = match format {
        DiffFormat::Table => index.table(),
        DiffFormat::Markdown => index.markdown(),
        DiffFormat::Json => index.json(),
        DiffFormat::Html => index.html(),
    };
    match output {
        Some(p) => std::fs::write(p, text)
            .map_err(|e| Fatal::CouldNotRun(format!("cannot write {}: {e}", p.display()))),
        None => write_out(out, text.as_bytes()),
    }
}

/// The directory the index is written to: `--output`'s, else the current one (stdout is
/// usually redirected to a file there). The HTML index's links are relative to it.
fn index_dir(output: Option<&Path>) -> PathBuf {
    output
        .and_then(Path::parent)
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// `launchready merge REPORT.json...`: the index of the given reports (exit 0; 2 when a file
/// is not a launchready JSON report). A report with an HTML page beside it (`<stem>.html`, as
/// a fleet run with `--format html` writes) is linked to that page in the HTML index.
pub(crate) fn merge(args: MergeArgs, out: &mut dyn Write) -> Result<Exit, Fatal> {
    let base = index_dir(args.output.as_deref());
    let mut rows = Vec::new();
    for p in &args.reports {
        let report = super::diff::read_report(p)?;
        let file = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| p.display().to_string());
        let mut row = IndexRow::of(&file, &report);
        let html = p.with_extension("html");
        row.page = Page::relative(&base, if html.is_file() { &html } else { p });
        rows.push(row);
    }
    emit_index(&Index::new(rows), args.format, args.output.as_deref(), out)?;
    Ok(Exit::Pass)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_are_unique_in_fleet_order() {
        let p = |s: &str| PathBuf::from(s);
        assert_eq!(
            stems(&[
                p("a/prod.toml"),
                p("b/prod.toml"),
                p("c/stage.toml"),
                p("d/prod.toml")
            ]),
            ["prod", "prod-2", "stage", "prod-3"]
        );
    }

    #[test]
    fn the_worst_exit_wins_and_a_failed_gate_beats_incomplete() {
        assert_eq!(worst(&[Exit::Pass, Exit::Incomplete]), Exit::Incomplete);
        assert_eq!(
            worst(&[Exit::Incomplete, Exit::GateFailed, Exit::Pass]),
            Exit::GateFailed
        );
        assert_eq!(worst(&[]), Exit::Pass);
    }
}
