//! Progress on stderr: one spinner line per running check, only when stderr is a terminal and
//! the user did not ask for quiet. Never writes to stdout.

use crate::finding::CheckName;
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::time::Duration;

/// The progress display (possibly hidden).
pub struct Progress {
    multi: Option<MultiProgress>,
}

/// One check's line.
pub struct Bar {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// A display on stderr when `enabled` and stderr is a terminal.
    pub fn new(enabled: bool) -> Progress {
        use std::io::IsTerminal;
        let on = enabled && std::io::stderr().is_terminal();
        Progress {
            multi: on.then(|| MultiProgress::with_draw_target(ProgressDrawTarget::stderr())),
        }
    }

    /// A display that draws nothing.
    pub fn hidden() -> Progress {
        Progress { multi: None }
    }

    /// Starts a spinner for `check`.
    pub fn start(&self, check: CheckName) -> Bar {
        let Some(m) = &self.multi else {
            return Bar { bar: None };
        };
        let style = ProgressStyle::with_template("{spinner} {prefix:<9} {msg} {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner());
        let bar = m.add(ProgressBar::new_spinner().with_style(style));
        bar.set_prefix(check.as_str());
        bar.set_message("running");
        bar.enable_steady_tick(Duration::from_millis(120));
        Bar { bar: Some(bar) }
    }
}

impl Bar {
    /// Marks the check done.
    pub fn finish(self, ok: bool) {
        if let Some(b) = self.bar {
            b.finish_with_message(if ok { "done" } else { "error" });
        }
    }
}
