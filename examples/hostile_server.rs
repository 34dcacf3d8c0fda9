//! Starts every hostile test server (tests/it/hostile_web.rs) and prints one line per case:
//! `case <name> config=<path> dns=<addr> ca=<path>`, then `ready`, and serves until killed.
//! Used by `bench/hostile.sh`; not part of the shipped binary.

#[path = "../tests/it/hostile_web.rs"]
mod hostile_web;

use std::io::Write;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let h = hostile_web::Hostile::start().await?;
    let mut out = std::io::stdout().lock();
    for c in &h.cases {
        writeln!(
            out,
            "case {} config={} dns={} ca={}",
            c.name,
            c.config.display(),
            c.dns,
            h.ca_path.display()
        )?;
    }
    writeln!(out, "ready")?;
    out.flush()?;
    drop(out);
    tokio::signal::ctrl_c().await?;
    Ok(())
}
