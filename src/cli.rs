//! Command-line types (clap derive). No I/O happens here.

use clap::builder::{PossibleValue, StringValueParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::ffi::OsStr;
use std::path::PathBuf;

/// Audits whether a web product is ready for its first customers.
#[derive(Debug, Parser)]
#[command(name = "launchready", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
// Parsed once per process: the size of the audit variant does not matter.
#[allow(clippy::large_enum_variant)]
pub enum Command {
    /// Audit a target described by a config file (or a repo with --repo).
    Audit(AuditArgs),
    /// Audit the built-in loopback sandbox: one broken site, one healthy site.
    Demo(DemoArgs),
    /// Print a commented starter config to stdout.
    Init(InitArgs),
    /// List every finding id this tool can report.
    Checks(ChecksArgs),
    /// Explain one finding id: why it matters, how to fix it, references.
    Explain(ExplainArgs),
    /// Print a shell completion script.
    Completions(CompletionsArgs),
    /// Compare two JSON reports: fixed, new and unchanged findings, score, verdict, p95s.
    Diff(DiffArgs),
    /// Build the fleet index from JSON reports (e.g. of sharded CI runs).
    Merge(MergeArgs),
    /// Print the man page (roff) to stdout: `launchready man > launchready.1`.
    #[command(hide = true)]
    Man,
}

/// Report formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Human-readable ranked table.
    Table,
    /// JSON report (schema_version 1).
    Json,
    /// Markdown hand-over pack.
    Markdown,
    /// SARIF 2.1.0.
    Sarif,
    /// JUnit XML.
    Junit,
    /// One self-contained HTML page (inline CSS and SVG charts, no script).
    Html,
}

/// Gate thresholds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Fail on critical findings.
    Critical,
    /// Fail on high or worse (default).
    High,
    /// Fail on medium or worse.
    Medium,
    /// Fail on low or worse.
    Low,
    /// Never fail.
    Never,
}

/// `launchready audit`
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Config file [default: ./launchready.toml]. Repeat it, or name a directory (every
    /// `*.toml` in it), to audit a fleet: one report per target in --out-dir plus an index.
    #[arg(long, short = 'c', value_name = "FILE|DIR")]
    pub config: Vec<PathBuf>,
    /// Fleet: how many targets are audited at once.
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub jobs: u16,
    /// Fleet: audit only every N-th target starting with the I-th (1-based), in the stable order
    /// of the configs as given (directories sorted), so N CI runners split one fleet.
    #[arg(long, value_name = "I/N", value_parser = parse_shard)]
    pub shard: Option<Shard>,
    /// Fleet: the directory for the per-target reports [default: launchready-reports].
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
    /// Scan only this repository for secrets: no config, no network.
    #[arg(long, value_name = "PATH", conflicts_with_all = ["config", "only", "skip", "dns_server", "ca_file"])]
    pub repo: Option<PathBuf>,
    /// Run only these checks (comma list).
    #[arg(long, value_name = "CHECKS", value_delimiter = ',', value_parser = Offer(check_names))]
    pub only: Vec<String>,
    /// Skip these checks (comma list).
    #[arg(long, value_name = "CHECKS", value_delimiter = ',', value_parser = Offer(check_names))]
    pub skip: Vec<String>,
    /// Report format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write the report to FILE instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also write the report in FORMAT to FILE, from the same audit (repeatable), e.g.
    /// `--also sarif=launchready.sarif --also junit=junit.xml --also json=report.json`.
    #[arg(long, value_name = "FORMAT=FILE", value_parser = parse_also)]
    pub also: Vec<AlsoWrite>,
    /// Lowest severity that fails the gate (exit 1) [default: gate.fail_on, else high].
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// A previous JSON report to compare against.
    #[arg(long, value_name = "REPORT.json")]
    pub baseline: Option<PathBuf>,
    /// Send every DNS query to this server (HOST:PORT or IP) instead of the system resolver.
    #[arg(long = "dns-server", value_name = "HOST:PORT")]
    pub dns_server: Vec<String>,
    /// Extra trust anchors (PEM), e.g. an internal or lab CA.
    #[arg(long = "ca-file", value_name = "PEM")]
    pub ca_file: Vec<PathBuf>,
    /// Also connect to loopback and private-network addresses (10/8, 172.16/12, 192.168/16,
    /// fc00::/7...) when a redirect, link or DNS answer leads there. Without it they are reached
    /// only when a host the config names resolves there. Link-local and cloud metadata
    /// addresses are never connected to.
    #[arg(long)]
    pub allow_private: bool,
    /// Environment variables the config's `${VAR}` may expand, besides LAUNCHREADY_* (comma
    /// list, repeatable). Replaces the config's `[target] env` list when given.
    #[arg(long = "env-allow", value_name = "VAR", value_delimiter = ',')]
    pub env_allow: Vec<String>,
    /// Deadline for the whole audit, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 120, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout: u64,
    /// Never draw progress on stderr.
    #[arg(long)]
    pub no_progress: bool,
    /// Print only the report.
    #[arg(long, short = 'q', conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print each check's status and timing on stderr as it ends.
    #[arg(long, short = 'v')]
    pub verbose: bool,
    /// Exit by the gate (0 or 1) even when a check could not do its job, instead of 3.
    #[arg(long)]
    pub allow_incomplete: bool,
    /// With --repo: scan only what is staged for the next commit (a pre-commit hook); history
    /// findings are reported but do not fail the gate.
    #[arg(long, requires = "repo")]
    pub staged: bool,
}

/// `--shard I/N`: the I-th of N shards (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// Which shard, 1..=count.
    pub index: usize,
    /// How many shards.
    pub count: usize,
}

/// `--also FORMAT=FILE`: one more rendering of the same report, written to a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlsoWrite {
    /// The format to render.
    pub format: Format,
    /// The file to write it to.
    pub path: PathBuf,
}

fn parse_also(s: &str) -> Result<AlsoWrite, String> {
    let formats = "table, json, markdown, sarif, junit, html";
    let (f, p) = s
        .split_once('=')
        .ok_or_else(|| format!("`{s}`: expected FORMAT=FILE, e.g. sarif=launchready.sarif"))?;
    let format = Format::from_str(f.trim(), true)
        .map_err(|_| format!("`{f}`: unknown format (one of {formats})"))?;
    if p.is_empty() {
        return Err(format!("`{s}`: FILE is empty"));
    }
    Ok(AlsoWrite {
        format,
        path: PathBuf::from(p),
    })
}

fn parse_shard(s: &str) -> Result<Shard, String> {
    let bad = || format!("`{s}`: expected I/N with 1 <= I <= N, e.g. 2/3");
    let (i, n) = s.split_once('/').ok_or_else(bad)?;
    let index: usize = i.trim().parse().map_err(|_| bad())?;
    let count: usize = n.trim().parse().map_err(|_| bad())?;
    if index == 0 || count == 0 || index > count {
        return Err(bad());
    }
    Ok(Shard { index, count })
}

/// `launchready merge`
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// JSON reports (as a fleet audit writes them to --out-dir).
    #[arg(value_name = "REPORT.json", required = true)]
    pub reports: Vec<PathBuf>,
    /// Index format.
    #[arg(long, short = 'f', value_enum, default_value_t = DiffFormat::Table)]
    pub format: DiffFormat,
    /// Write the index to FILE instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// `launchready demo`
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Report format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Also write both reports in FORMAT to FILE (repeatable), e.g. `--also html=demo.html`.
    #[arg(long, value_name = "FORMAT=FILE", value_parser = parse_also, conflicts_with = "serve")]
    pub also: Vec<AlsoWrite>,
    /// Keep the sandbox running and print how to reach it, instead of auditing it.
    #[arg(long)]
    pub serve: bool,
}

/// `launchready diff`
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The earlier JSON report.
    #[arg(value_name = "OLD.json")]
    pub old: PathBuf,
    /// The later JSON report.
    #[arg(value_name = "NEW.json")]
    pub new: PathBuf,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = DiffFormat::Table)]
    pub format: DiffFormat,
    /// Exit 1 when NEW has a finding at or above this severity that OLD did not have.
    #[arg(long, value_enum, default_value_t = FailOn::High)]
    pub fail_on: FailOn,
    /// Write to FILE instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Formats for `diff`, `merge` and the fleet index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// Plain text.
    Table,
    /// Markdown.
    Markdown,
    /// JSON (`diff_version` 1).
    Json,
    /// One self-contained HTML page.
    Html,
}

/// `launchready init`
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The apex domain to fill in (everything else is prefilled from the current directory).
    #[arg(long)]
    pub domain: Option<String>,
}

/// `launchready checks`
#[derive(Debug, Args)]
pub struct ChecksArgs {
    /// Output format (table or json).
    #[arg(long, short = 'f', value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
}

/// Formats for `checks`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// Table.
    Table,
    /// JSON array.
    Json,
}

/// `launchready explain`
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A finding id, e.g. tls.cert_expired.
    #[arg(value_parser = Offer(crate::checks::finding_ids), hide_possible_values = true)]
    pub id: String,
}

/// `launchready completions`
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// Shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// A string argument whose known values are offered by shell completion (and listed in help)
/// but not enforced by clap: the command checks them itself, with a better message (an empty
/// `--only`, a "did you mean" for an unknown finding id).
#[derive(Clone, Copy)]
struct Offer(fn() -> Vec<&'static str>);

impl TypedValueParser for Offer {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<String, clap::Error> {
        StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new((self.0)().into_iter().map(PossibleValue::new)))
    }
}

/// The names `--only` and `--skip` accept.
fn check_names() -> Vec<&'static str> {
    crate::model::CheckName::SELECTABLE
        .iter()
        .map(|c| c.as_str())
        .collect()
}
