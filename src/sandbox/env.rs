//! The sandbox's environments for the `env` check: per site, the values the deployed app would
//! find in its process environment (handed to the check as a fixed set, never through the real
//! process environment), the env files of two environments and a `.env.example`.
//!
//! The healthy site keeps a different secret per environment and a live key in production (it
//! requires no variable: see [`toml()`]). The broken site's database URL names no database
//! (`env.malformed`), its Stripe key is a test key (`env.test_key_in_production`), `SENTRY_DSN`
//! is not set (`env.missing`), staging and production share a session secret
//! (`env.shared_across_environments`, and the production file carries a test key), and
//! `.env.example` lists a variable nobody requires and misses one that is (`env.example_drift`).
//! Every value is derived at run time; the env files are
//! git-ignored in the site repos, as they would be in a real one.

use super::http::fake;
use std::path::Path;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// The values planted for one site: (variable, value), as the deployed process would see them.
pub type EnvValues = Vec<(String, String)>;

/// The `[env]` table of a site's config. The healthy site names no `required` variable: its
/// audits (tests, `demo`, a user's `audit --config`) run in environments that do not hold its
/// production values, so only its env files are compared.
pub fn toml(healthy: bool) -> String {
    if healthy {
        return "[env]\nenvironment = \"production\"\nfiles = { staging = \".env.staging\", production = \".env.production\" }\n".to_string();
    }
    "[env]\nenvironment = \"production\"\nrequired = [\"DATABASE_URL\", \"STRIPE_SECRET_KEY\", \"OPENAI_API_KEY\", \"SENTRY_DSN\"]\nfiles = { staging = \".env.staging\", production = \".env.production\" }\n".to_string()
}

fn openai(seed: &str) -> String {
    fake("sk-proj-", seed, ALNUM, 48)
}

fn stripe(mode: &str, seed: &str) -> String {
    fake(&["sk", mode, ""].join("_"), seed, ALNUM, 32)
}

/// Writes the site's env files into `dir` and returns the process environment of the site.
pub fn write(dir: &Path, healthy: bool) -> Result<EnvValues, BoxError> {
    let site = if healthy { "healthy" } else { "broken" };
    let seed = |what: &str| format!("launchready sandbox env {site} {what}");
    let session = |env: &str| fake("", &seed(&format!("session {env}")), ALNUM, 40);
    let db_password = fake("", &seed("db password"), ALNUM, 20);
    if healthy {
        std::fs::write(
            dir.join(".env.staging"),
            format!(
                "SESSION_SECRET={}\nSTRIPE_SECRET_KEY={}\nLOG_LEVEL=debug\n",
                session("staging"),
                stripe("test", &seed("stripe staging"))
            ),
        )?;
        std::fs::write(
            dir.join(".env.production"),
            format!(
                "SESSION_SECRET={}\nSTRIPE_SECRET_KEY={}\nLOG_LEVEL=debug\n",
                session("production"),
                stripe("live", &seed("stripe"))
            ),
        )?;
        return Ok(Vec::new());
    }
    let shared = session("shared");
    let test_key = stripe("test", &seed("stripe"));
    let values = vec![
        // No database name after the host.
        (
            "DATABASE_URL".to_string(),
            format!("postgres://app:{db_password}@db.acme-broken.test:5432/"),
        ),
        ("STRIPE_SECRET_KEY".into(), test_key.clone()),
        ("OPENAI_API_KEY".into(), openai(&seed("openai"))),
    ];
    std::fs::write(
        dir.join(".env.staging"),
        format!("SESSION_SECRET={shared}\nSTRIPE_SECRET_KEY={test_key}\nLOG_LEVEL=debug\n"),
    )?;
    std::fs::write(
        dir.join(".env.production"),
        format!(
            "# production\nexport SESSION_SECRET=\"{shared}\"\nLOG_LEVEL=info\nSTRIPE_SECRET_KEY={test_key}\n"
        ),
    )?;
    std::fs::write(
        dir.join(".env.example"),
        "DATABASE_URL=\nSTRIPE_SECRET_KEY=\nOPENAI_API_KEY=\nREDIS_URL=\n",
    )?;
    Ok(values)
}
