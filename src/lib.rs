//! launchready: audits whether a web product is ready for its first customers.
//!
//! Flow: [`cli`] parses flags -> [`config`] loads and validates the TOML -> `audit` builds one
//! shared network context and runs every enabled check concurrently -> `score` ranks the
//! findings and computes the verdict -> [`report`] renders them. Checks never print; reports
//! never probe. [`run`] is what the binary calls, and what the tests call; each command lives in
//! its own file under `cmd/`. Every layer speaks the types of [`model`].

pub(crate) mod audit;
pub(crate) mod catalogue;
pub(crate) mod checks;
pub mod cli;
mod cmd;
pub mod config;
#[doc(hidden)]
pub mod egress;
mod finding;
pub(crate) mod fold;
pub(crate) mod http_util;
pub mod model;
pub mod net;
pub(crate) mod preflight;
pub(crate) mod progress;
pub mod redact;
pub mod report;
#[doc(hidden)]
pub mod sandbox;
pub(crate) mod score;
#[doc(hidden)]
pub mod text;

use crate::cli::{Cli, Command};
use std::io::Write;

pub use checks::EnvSource;
/// The HTTP fetcher the checks share (exposed for the SSRF tests).
#[doc(hidden)]
pub use checks::http::Fetcher;
pub use checks::secrets::{ScanOptions, ScanReport, SecretsError, scan_repo};
pub use cmd::audit::{AuditOptions, audit_config, render_report};
pub use cmd::{Exit, Fatal};

/// Runs one command, writing its output to `out` (stdout in the binary).
pub async fn run(cli: Cli, out: &mut dyn Write) -> Result<Exit, Fatal> {
    match cli.command {
        Command::Audit(args) => cmd::audit::run(args, out).await,
        Command::Demo(args) => cmd::demo::run(args, out).await,
        Command::Init(args) => cmd::init::run(args, out),
        Command::Checks(args) => cmd::checks::run(args, out),
        Command::Explain(args) => cmd::explain::run(args, out),
        Command::Man => cmd::man(out),
        Command::Completions(args) => cmd::completions(args, out),
        Command::Diff(args) => cmd::diff::run(args, out),
        Command::Merge(args) => cmd::fleet::merge(args, out),
    }
}
