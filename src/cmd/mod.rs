//! The commands, one file each: what `launchready <command>` does between the parsed command line
//! and the bytes it writes. This layer builds the inputs (config, network options, baseline),
//! calls the audit, scores and renders; nothing below it knows which command is running.

pub(crate) mod audit;
pub(crate) mod checks;
pub(crate) mod demo;
pub(crate) mod diff;
pub(crate) mod explain;
pub(crate) mod fleet;
pub(crate) mod init;
pub(crate) mod repo;

use crate::cli::{Cli, CompletionsArgs};
use crate::config::ConfigError;
use std::io::Write;
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

/// Writes a command's whole output and flushes it.
pub(crate) fn write_out(out: &mut dyn Write, bytes: &[u8]) -> Result<(), Fatal> {
    out.write_all(bytes)
        .and_then(|_| out.flush())
        .map_err(|e| Fatal::CouldNotRun(format!("cannot write output: {e}")))
}

/// `launchready man`: the man page.
pub(crate) fn man(out: &mut dyn Write) -> Result<Exit, Fatal> {
    use clap::CommandFactory;
    let mut buf = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut buf)
        .map_err(|e| Fatal::CouldNotRun(format!("cannot render the man page: {e}")))?;
    write_out(out, &buf)?;
    Ok(Exit::Pass)
}

/// `launchready completions SHELL`.
pub(crate) fn completions(args: CompletionsArgs, out: &mut dyn Write) -> Result<Exit, Fatal> {
    use clap::CommandFactory;
    let mut buf = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "launchready", &mut buf);
    write_out(out, &buf)?;
    Ok(Exit::Pass)
}
