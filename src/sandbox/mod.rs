//! The sandbox (DESIGN §7): an in-process world on loopback used by `launchready demo` and by
//! the integration tests — an authoritative DNS server with a healthy zone and a broken zone,
//! HTTP and HTTPS servers with certificates from a throw-away CA, and a config file per site.
//! Nothing in it reaches the internet.

pub mod ai;
pub mod dns;
pub mod email;
pub mod env;
pub mod flows;
pub mod http;
pub mod leaks;
pub mod perf;
pub mod repo;
pub mod stacks;
pub mod tls;
pub mod web;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The healthy site's domain.
pub const HEALTHY: &str = "acme-good.test";
/// The broken site's domain.
pub const BROKEN: &str = "acme-broken.test";

/// The healthy zone: two name servers, apex with A and AAAA, www, CNAME to a claimed hosting
/// resource, CAA, DNSKEY (mail records live in `email.rs`).
pub const HEALTHY_ZONE: &str = "
@ NS ns1
@ NS ns2
ns1 A 127.0.0.1
ns2 A 127.0.0.1
@ A 127.0.0.1
@ AAAA ::1
www CNAME acme-good.test.
app CNAME acme-good.pages.dev.
api A 127.0.0.1
status A 127.0.0.1
@ CAA issue letsencrypt.org
@ DNSKEY sandbox-zone-signing-key
";

/// The broken zone: one name server, no apex address, a CNAME to a name that does not exist, a
/// CNAME to a deleted GitHub Pages site, a missing subdomain, no CAA, no AAAA, not signed.
pub const BROKEN_ZONE: &str = "
@ NS ns1
ns1 A 127.0.0.1
www A 127.0.0.1
app CNAME gone.acme-broken.test.
status CNAME acme-old.github.io.
";

/// Hosting-service zones the CNAMEs point into.
pub const PAGES_ZONE: &str = "
@ NS ns1
ns1 A 127.0.0.1
acme-good A 127.0.0.1
";
/// github.io stand-in: the address answers with GitHub's "no site here" page.
pub const GITHUB_ZONE: &str = "
@ NS ns1
ns1 A 127.0.0.1
acme-old A 127.0.0.1
";

/// The healthy site's rollback plan, written next to its config at start.
pub const ROLLBACK_DOC: &str = "# Rollback\n\n\
1. Find the last good release in the deploy history.\n\
2. Redeploy it (`git revert` the bad merge if the host deploys from main).\n\
3. Check the site and the uptime monitor; post in #ops.\n";

/// Ports and paths a sandbox module needs to write its config snippets.
#[derive(Debug, Clone)]
pub struct Ports {
    /// Plain HTTP port.
    pub http: u16,
    /// HTTPS port.
    pub https: u16,
    /// The site's directory (where its config and repo live).
    pub dir: PathBuf,
}

/// A running sandbox. Dropping it removes its files; the servers stop with the runtime.
pub struct Sandbox {
    /// The DNS server (UDP and TCP).
    pub dns: SocketAddr,
    /// Plain HTTP port.
    pub http_port: u16,
    /// HTTPS port.
    pub https_port: u16,
    /// The CA certificate in PEM.
    pub ca_pem: String,
    /// The fake secrets planted in the broken site's repo.
    pub planted: repo::Planted,
    /// The chat bots' plain HTTP port (`sandbox/ai.rs`).
    pub ai_port: u16,
    /// The healthy site's process environment for the `env` check (`sandbox/env.rs`).
    pub env_healthy: env::EnvValues,
    /// The broken site's process environment for the `env` check.
    pub env_broken: env::EnvValues,
    dir: tempfile::TempDir,
}

impl Sandbox {
    /// Starts DNS and web servers and writes the CA and one config per site.
    pub async fn start() -> Result<Sandbox, BoxError> {
        let healthy = [
            HEALTHY_ZONE,
            http::HEALTHY_RECORDS,
            tls::HEALTHY_RECORDS,
            email::HEALTHY_RECORDS,
            perf::HEALTHY_RECORDS,
            flows::HEALTHY_RECORDS,
            ai::HEALTHY_RECORDS,
        ]
        .join("\n");
        let broken = [
            BROKEN_ZONE,
            http::BROKEN_RECORDS,
            leaks::BROKEN_RECORDS,
            tls::BROKEN_RECORDS,
            email::BROKEN_RECORDS,
            perf::BROKEN_RECORDS,
            flows::BROKEN_RECORDS,
            ai::BROKEN_RECORDS,
            stacks::BROKEN_RECORDS,
        ]
        .join("\n");
        let mut zones = vec![
            (HEALTHY, healthy),
            (BROKEN, broken),
            ("pages.dev", PAGES_ZONE.to_string()),
            ("github.io", GITHUB_ZONE.to_string()),
        ];
        zones.extend(http::zones());
        zones.extend(tls::zones());
        zones.extend(email::zones());
        zones.extend(perf::zones());
        zones.extend(flows::zones());
        let zones: Vec<dns::ZoneText> = zones
            .into_iter()
            .map(|(origin, records)| dns::ZoneText {
                origin: origin.to_string(),
                records,
            })
            .collect();
        let dns = dns::start(&zones).await?;
        let pki = web::Pki::new()?;
        let web = web::start(&pki).await?;
        let ai_port = ai::start().await?;
        let dir = tempfile::Builder::new()
            .prefix("launchready-sandbox")
            .tempdir()?;
        std::fs::write(dir.path().join("ca.pem"), &pki.ca_pem)?;
        repo::healthy(&dir.path().join("healthy"))?;
        let planted = repo::broken(&dir.path().join("broken"))?;
        let mut sb = Sandbox {
            dns,
            http_port: web.http_port,
            https_port: web.https_port,
            ca_pem: pki.ca_pem.clone(),
            planted,
            ai_port,
            env_healthy: Vec::new(),
            env_broken: Vec::new(),
            dir,
        };
        for site in ["healthy", "broken"] {
            let d = sb.dir.path().join(site);
            std::fs::create_dir_all(&d)?;
            let ports = Ports {
                http: sb.http_port,
                https: sb.https_port,
                dir: d.clone(),
            };
            let text = if site == "healthy" {
                [
                    sb.healthy_toml(),
                    http::healthy_toml(&ports),
                    tls::healthy_toml(&ports),
                    email::healthy_toml(&ports),
                    perf::healthy_toml(&ports),
                    flows::healthy_toml(&ports),
                    ai::healthy_toml(sb.ai_port),
                    env::toml(true),
                ]
                .join("\n")
            } else {
                [
                    sb.broken_toml(),
                    http::broken_toml(&ports),
                    tls::broken_toml(&ports),
                    email::broken_toml(&ports),
                    perf::broken_toml(&ports),
                    flows::broken_toml(&ports),
                    ai::broken_toml(sb.ai_port),
                    env::toml(false),
                ]
                .join("\n")
            };
            std::fs::write(d.join("launchready.toml"), text)?;
            if site == "healthy" {
                sb.env_healthy = env::write(&d, true)?;
            } else {
                sb.env_broken = env::write(&d, false)?;
            }
            if site == "healthy" {
                // The healthy site's `[handover] rollback_doc` points here.
                std::fs::create_dir_all(d.join("docs"))?;
                std::fs::write(d.join("docs").join("rollback.md"), ROLLBACK_DOC)?;
            }
        }
        Ok(sb)
    }

    /// The sandbox's directory.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// Path of the CA certificate (for `--ca-file`).
    pub fn ca_path(&self) -> PathBuf {
        self.dir.path().join("ca.pem")
    }

    /// Path of the healthy site's config.
    pub fn healthy_config(&self) -> PathBuf {
        self.dir.path().join("healthy").join("launchready.toml")
    }

    /// Path of the broken site's config.
    pub fn broken_config(&self) -> PathBuf {
        self.dir.path().join("broken").join("launchready.toml")
    }

    /// `--dns-server` value.
    pub fn dns_arg(&self) -> String {
        self.dns.to_string()
    }

    fn healthy_toml(&self) -> String {
        format!(
            r#"# launchready sandbox: the healthy site
[target]
name = "Acme Chat (healthy)"
domain = "{HEALTHY}"
canonical = "apex"
subdomains = ["app", "api", "status"]
http_port = {http}
https_port = {https}
pages = ["/", "/blog/reading-tracebacks"]
auth_paths = ["/auth/callback"]

[dns]
expect = [{{ name = "app.{HEALTHY}", type = "CNAME", value = "acme-good.pages.dev." }}]

[gate]
fail_on = "high"

[handover]
owners = {{ dns = "ana@{HEALTHY}", hosting = "ops@{HEALTHY}", email = "ana@{HEALTHY}", monitoring = "ops@{HEALTHY}", secrets = "cto@{HEALTHY}" }}
rollback_doc = "docs/rollback.md"
uptime_monitor = "https://status.{HEALTHY}:{https}/"
"#,
            http = self.http_port,
            https = self.https_port
        )
    }

    fn broken_toml(&self) -> String {
        format!(
            r#"# launchready sandbox: the broken site
[target]
name = "Acme Chat (broken)"
domain = "{BROKEN}"
canonical = "www"
subdomains = ["app", "api", "status", "mail", "notify", "news", "legacy", "marketing", "relay", "expired", "expiring", "wronghost", "selfsigned", "nochain", "weakkey", "notyet", "sha1", "aia", "noissuer", "manual", "caa", "cbc", "dhe", "rsa512", "p521", "p521tls13", "ed25519", "mtls", "p521kx", "p521kx13", "loop", "downgrade", "long", "temp", "down", "offline", "debug", "flask", "vite", "trace"]
http_port = {http}
https_port = {https}
pages = ["/", "/account"]
auth_paths = ["/auth/callback"]

[dns]
expect = [{{ name = "www.{BROKEN}", type = "A", value = "127.0.0.2" }}]

[gate]
fail_on = "high"

# Nobody named, a rollback plan that was never written, no uptime monitor.
[handover]
owners = {{ dns = "", hosting = "", email = "", monitoring = "", secrets = "" }}
rollback_doc = "docs/rollback.md"
"#,
            http = self.http_port,
            https = self.https_port
        )
    }
}
