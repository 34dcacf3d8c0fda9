//! Progress on stderr, never stdout.
//!
//! On a terminal (and unless `--no-progress`/`--quiet`): one line per check with a spinner, the
//! check's name, its state (`running`, then `ok`, `3 findings` or `error`) and its elapsed time;
//! finished lines stay so the user sees the whole run. Nothing is drawn on a pipe or in CI.
//! With `-v`, one plain line per check is printed when it ends (`dns: 3 findings, 53 ms`), on a
//! terminal or not — above the spinners when they are drawn. `NO_COLOR` turns colours off.

use crate::finding::CheckName;
use crate::redact::{Scrubber, Secret};
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::Write;
use std::time::Duration;

/// Colour only when writing to a terminal and `NO_COLOR` is unset.
pub fn use_color(to_terminal: bool) -> bool {
    to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// The progress display (possibly hidden).
pub struct Progress {
    multi: Option<MultiProgress>,
    verbose: bool,
    color: bool,
    scrubber: Scrubber,
}

/// One check's line. Cheap to clone; finishing any clone finishes the line.
#[derive(Clone)]
pub struct Bar {
    bar: Option<ProgressBar>,
    multi: Option<MultiProgress>,
    verbose: bool,
    color: bool,
    check: CheckName,
    scrubber: Scrubber,
}

/// How a check ended, as shown on its line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Ran to the end; how many findings it pushed.
    Done(usize),
    /// Could not complete (the cause).
    Error(String),
}

impl Progress {
    /// Spinners on stderr when `enabled` and stderr is a terminal; per-check lines when
    /// `verbose`.
    pub fn new(enabled: bool, verbose: bool) -> Progress {
        use std::io::IsTerminal;
        let tty = std::io::stderr().is_terminal();
        let on = enabled && tty;
        Progress {
            multi: on.then(|| MultiProgress::with_draw_target(ProgressDrawTarget::stderr())),
            verbose,
            color: use_color(tty),
            scrubber: Scrubber::default(),
        }
    }

    /// Values (from `${ENV}`) that must never appear in a progress line, e.g. inside an error
    /// cause that quotes a URL.
    pub fn with_secrets(mut self, secrets: Vec<Secret<String>>) -> Progress {
        self.scrubber = Scrubber::new(&secrets);
        self
    }

    /// Starts a line for `check`.
    pub fn start(&self, check: CheckName) -> Bar {
        let bar = self.multi.as_ref().map(|m| {
            let template = if self.color {
                "{spinner:.cyan} {prefix:<9.bold} {msg} {elapsed:.dim}"
            } else {
                "{spinner} {prefix:<9} {msg} {elapsed}"
            };
            let style = ProgressStyle::with_template(template)
                .unwrap_or_else(|_| ProgressStyle::default_spinner())
                .tick_chars("⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏✓");
            let bar = m.add(ProgressBar::new_spinner().with_style(style));
            bar.set_prefix(check.as_str());
            bar.set_message("running");
            bar.enable_steady_tick(Duration::from_millis(100));
            bar
        });
        Bar {
            bar,
            multi: self.multi.clone(),
            verbose: self.verbose,
            color: self.color,
            check,
            scrubber: self.scrubber.clone(),
        }
    }
}

impl Bar {
    /// Marks the check done with its outcome and wall time.
    pub fn finish(&self, outcome: &Outcome, elapsed: Duration) {
        let state = match outcome {
            Outcome::Done(0) => "ok".to_string(),
            Outcome::Done(1) => "1 finding".to_string(),
            Outcome::Done(n) => format!("{n} findings"),
            Outcome::Error(_) => "error".to_string(),
        };
        if let Some(b) = &self.bar {
            let shown = if self.color {
                let code = match outcome {
                    Outcome::Done(0) => "32",
                    Outcome::Done(_) => "33",
                    Outcome::Error(_) => "31",
                };
                format!("\x1b[{code}m{state}\x1b[0m")
            } else {
                state.clone()
            };
            b.finish_with_message(shown);
        }
        if self.verbose {
            let mut line = format!(
                "launchready: {}: {state}, {} ms",
                self.check.as_str(),
                elapsed.as_millis()
            );
            if let Outcome::Error(cause) = outcome {
                let cause = crate::text::escape_controls(cause, crate::text::Lines::Escape);
                line.push_str(&format!("  ({})", self.scrubber.text(&cause)));
            }
            match &self.multi {
                Some(m) => {
                    let _ = m.println(line);
                }
                None => {
                    let mut err = std::io::stderr().lock();
                    let _ = writeln!(err, "{line}");
                }
            }
        }
    }

    /// Marks the check done when the caller no longer knows more than "it ended".
    pub fn abandon(&self) {
        if let Some(b) = &self.bar
            && !b.is_finished()
        {
            b.abandon_with_message("error");
        }
    }
}
