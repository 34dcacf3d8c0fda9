//! The `launchready` binary: parse the command line, run, map the result to an exit code.

use clap::Parser;
use std::io::{self, Write};
use std::process::ExitCode;

/// stdout that a closed pipe (`launchready audit | head`) silences instead of failing: the rest
/// of the report is dropped and the command still ends with its own exit code (for `audit`, the
/// gate's verdict), never with a write error.
struct PipeSafe<W> {
    inner: W,
    closed: bool,
}

impl<W: Write> PipeSafe<W> {
    fn absorb<T>(&mut self, r: io::Result<T>, closed: T) -> io::Result<T> {
        match r {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(closed)
            }
            r => r,
        }
    }
}

impl<W: Write> Write for PipeSafe<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.closed {
            return Ok(buf.len());
        }
        let r = self.inner.write(buf);
        self.absorb(r, buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.closed {
            return Ok(());
        }
        let r = self.inner.flush();
        self.absorb(r, ())
    }
}

#[allow(clippy::print_stderr)]
fn main() -> ExitCode {
    let cli = launchready::cli::Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("launchready: error: cannot start the async runtime: {e}");
            return ExitCode::from(3);
        }
    };
    let mut stdout = PipeSafe {
        inner: io::stdout().lock(),
        closed: false,
    };
    let result = runtime.block_on(launchready::run(cli, &mut stdout));
    // A blocking task the deadline cut off (a secret scan of a huge repo) must not hold the exit:
    // dropping the runtime would wait for it, so leave it to die with the process.
    runtime.shutdown_background();
    match result {
        Ok(exit) => ExitCode::from(exit.code()),
        Err(e) => {
            let message = e.to_string();
            // A closed stderr must not turn the error into a panic.
            let _ = writeln!(
                io::stderr().lock(),
                "launchready: error: {}",
                launchready::text::escape_controls(&message, launchready::text::Lines::Keep)
            );
            ExitCode::from(e.code())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A writer whose reader went away after `room` bytes.
    struct ClosesAfter {
        room: usize,
        got: Vec<u8>,
    }

    impl Write for ClosesAfter {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.got.len() >= self.room {
                return Err(io::ErrorKind::BrokenPipe.into());
            }
            let n = buf.len().min(self.room - self.got.len());
            self.got.extend_from_slice(&buf[..n]);
            Ok(n)
        }
        fn flush(&mut self) -> io::Result<()> {
            if self.got.len() >= self.room {
                return Err(io::ErrorKind::BrokenPipe.into());
            }
            Ok(())
        }
    }

    #[test]
    fn a_closed_pipe_drops_the_rest_and_other_errors_still_fail() {
        let mut out = PipeSafe {
            inner: ClosesAfter {
                room: 4,
                got: Vec::new(),
            },
            closed: false,
        };
        out.write_all(b"launch ready").unwrap();
        out.flush().unwrap();
        writeln!(out, "more").unwrap();
        assert!(out.closed);
        assert_eq!(out.inner.got, b"laun");

        struct Full;
        impl Write for Full {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::Error::other("disk full"))
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let mut out = PipeSafe {
            inner: Full,
            closed: false,
        };
        assert!(out.write_all(b"x").is_err());
        assert!(!out.closed);
    }
}
