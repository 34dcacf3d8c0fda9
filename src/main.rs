//! The `launchready` binary: parse the command line, run, map the result to an exit code.

use clap::Parser;
use std::process::ExitCode;

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
    let mut stdout = std::io::stdout().lock();
    let result = runtime.block_on(launchready::run(cli, &mut stdout));
    // A blocking task the deadline cut off (a secret scan of a huge repo) must not hold the exit:
    // dropping the runtime would wait for it, so leave it to die with the process.
    runtime.shutdown_background();
    match result {
        Ok(exit) => ExitCode::from(exit.code()),
        Err(e) => {
            // A closed pipe (`| head`): say nothing more, but never report success.
            if e.to_string().contains("Broken pipe") {
                return ExitCode::from(e.code());
            }
            let message = e.to_string();
            eprintln!(
                "launchready: error: {}",
                launchready::text::escape_controls(&message, launchready::text::Lines::Keep)
            );
            ExitCode::from(e.code())
        }
    }
}
