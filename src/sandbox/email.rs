//! The sandbox's mail records: DNS records, web routes and config snippets that the `email`
//! check's cases need. `mod.rs` and `web.rs` call these hooks; nothing else changes when a case
//! is added here.
//!
//! Healthy (`acme-good.test`): MX to a resolvable host, SPF with one include, DMARC
//! `p=reject` with `rua`, a 2048-bit DKIM key under the common selector `google` (the healthy
//! config lists no selectors, so the probe finds it), MTA-STS record and policy.
//!
//! Broken (`acme-broken.test`): the apex has an MX whose host does not exist, no SPF, no DMARC,
//! weak / truncated / revoked DKIM keys (selectors in `[email]`), and an MTA-STS record whose
//! policy answers 404. Sending subdomains (listed in the broken `[target] subdomains`) publish
//! their own SPF: `mail` (`+all`, own DMARC `p=none` without `rua`), `notify` (two SPF
//! records, malformed DMARC), `news` (three void lookups), `legacy` (bad `ip4:` term),
//! `marketing` (12 lookups through nested includes) and `relay` (include loop); `news` also
//! includes `_gone`, which publishes TXT but no SPF. Tests add configs for `mail2` (no MX, no
//! DKIM, no DMARC anywhere), `nullmx` (RFC 7505 null MX), `mail3` (keys only under an unusual
//! selector), `sts` (MTA-STS policy missing the real MX host) and `slowinc` (an include whose
//! lookup times out behind a relay that drops it).
//!
//! Keys are public keys (SubjectPublicKeyInfo, base64), generated once with
//! `openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:N` and kept as constants; the
//! private halves were thrown away.

use super::Ports;
use super::web::{Canned, Req};

/// A 512-bit RSA public key (weak: receivers must ignore it, RFC 8301).
pub const DKIM_RSA512: &str = "MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBAKinaZJ5n1ffI6byI9aMx5fRkTZswoUfjIqb3cNEmqzCKjY4uxzRpjyPmLPzT07JOfO4F7gNUy8zRPLjIPlgl2UCAwEAAQ==";
/// A 1024-bit RSA public key (the bare minimum).
pub const DKIM_RSA1024: &str = "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQCYhPd/X2pF7lg43GQ/avxW3QZoBfFgM7NZNz4JxkM+/hL1qT6oKgJ8nCdVRQW2RT4dl2J85olZ9zbQ271vDJSTI1YjtPZr1k0QTXQKKFvDMNj0zmeuIox1SxjGvC/UBoMQ4HHJ+VXXea3AmJYG/R5pbtKskvV7+13EOChq3P2gqwIDAQAB";
/// A 2048-bit RSA public key.
pub const DKIM_RSA2048: &str = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAyVk0goRMY2kPsiXpC5zHIhRiytU3p3pD3/JSMPXee9AkFwaiue1fSZZrqpDzpKRersaAXATgHbZYN6H2I7ZcvRbb62NUm/bVsCztwZrdG9ag46bK0NA+Stb1jX9nuKllG9uhHuoV+EMyxRrCQvJWDpAQXAM7+An2QVC9Nc3kbcyG7wqz0pt9WbHzqM4HW1SibwN7ViW1ky4+IFuhEPqK8EbFsZobWBQrx7DM/aGy5Bb5E/TTWWWGwpjwe9KnWziUGOqhJmXgHzuizJGP/9MXXNjGdEnvr+RpNvqCmB4a03vNLpPGg0eb3WKWyXQuWyy68sDIxoO8++BI+txWpGwsFQIDAQAB";

/// Extra records for the healthy zone (`name TYPE value` lines, see `dns.rs`).
pub const HEALTHY_RECORDS: &str = concat!(
    "@ MX 10 mail\n",
    "mail A 127.0.0.1\n",
    "@ TXT v=spf1 mx include:_spf.acme-good.test -all\n",
    "_spf TXT v=spf1 ip4:127.0.0.0/8 ip6:::1 -all\n",
    "_dmarc TXT v=DMARC1; p=reject; rua=mailto:dmarc@acme-good.test\n",
    "google._domainkey TXT v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAyVk0goRMY2kPsiXpC5zHIhRiytU3p3pD3/JSMPXee9AkFwaiue1fSZZrqpDzpKRersaAXATgHbZYN6H2I7ZcvRbb62NUm/bVsCztwZrdG9ag46bK0NA+Stb1jX9nuKllG9uhHuoV+EMyxRrCQvJWDpAQXAM7+An2QVC9Nc3kbcyG7wqz0pt9WbHzqM4HW1SibwN7ViW1ky4+IFuhEPqK8EbFsZobWBQrx7DM/aGy5Bb5E/TTWWWGwpjwe9KnWziUGOqhJmXgHzuizJGP/9MXXNjGdEnvr+RpNvqCmB4a03vNLpPGg0eb3WKWyXQuWyy68sDIxoO8++BI+txWpGwsFQIDAQAB\n",
    "_mta-sts TXT v=STSv1; id=20240101T000000\n",
    "mta-sts A 127.0.0.1\n",
);

/// Extra records for the broken zone.
pub const BROKEN_RECORDS: &str = concat!(
    // Apex: MX host that does not exist; no SPF, no DMARC.
    "@ MX 10 mx1.acme-broken.test.\n",
    "weak._domainkey TXT v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQCYhPd/X2pF7lg43GQ/avxW3QZoBfFgM7NZNz4JxkM+/hL1qT6oKgJ8nCdVRQW2RT4dl2J85olZ9zbQ271vDJSTI1YjtPZr1k0QTXQKKFvDMNj0zmeuIox1SxjGvC/UBoMQ4HHJ+VXXea3AmJYG/R5pbtKskvV7+13EOChq3P2gqwIDAQAB\n",
    "tiny._domainkey TXT v=DKIM1; k=rsa; p=MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBAKinaZJ5n1ffI6byI9aMx5fRkTZswoUfjIqb3cNEmqzCKjY4uxzRpjyPmLPzT07JOfO4F7gNUy8zRPLjIPlgl2UCAwEAAQ==\n",
    // The 2048-bit key cut after 200 characters: valid base64, not a key.
    "broken._domainkey TXT v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAyVk0goRMY2kPsiXpC5zHIhRiytU3p3pD3/JSMPXee9AkFwaiue1fSZZrqpDzpKRersaAXATgHbZYN6H2I7ZcvRbb62NUm/bVsCztwZrdG9ag46bK0NA+Stb1jX9nuKllG9uhHuoV+EMyxRrCQvJWDpAQXAM7\n",
    "revoked._domainkey TXT v=DKIM1; k=rsa; p=\n",
    "_mta-sts TXT v=STSv1; id=20240101\n",
    "mta-sts A 127.0.0.1\n",
    // Sending subdomains.
    "mail A 127.0.0.1\n",
    "mail TXT v=spf1 ip4:192.0.2.10 +all\n",
    "_dmarc.mail TXT v=DMARC1; p=none\n",
    "notify A 127.0.0.1\n",
    "notify TXT v=spf1 ip4:192.0.2.20 -all\n",
    "notify TXT v=spf1 ip4:192.0.2.21 ~all\n",
    "_dmarc.notify TXT v=DMARC1; p=quarantine; pct=200; rua=mailto:dmarc@acme-broken.test\n",
    "news A 127.0.0.1\n",
    "news TXT v=spf1 a:old1.acme-broken.test a:old2.acme-broken.test mx:old3.acme-broken.test include:_gone.acme-broken.test ~all\n",
    // An include target that exists but publishes no SPF (a cancelled provider's name).
    "_gone TXT google-site-verification=sandbox-only\n",
    "legacy A 127.0.0.1\n",
    "legacy TXT v=spf1 ip4:192.0.2.300 include:_m4.acme-broken.test -all\n",
    "marketing A 127.0.0.1\n",
    "marketing TXT v=spf1 include:_m1.acme-broken.test include:_m2.acme-broken.test include:_m3.acme-broken.test -all\n",
    "_m1 TXT v=spf1 a:mail.acme-broken.test mx:acme-broken.test include:_m4.acme-broken.test ~all\n",
    "_m2 TXT v=spf1 a:mail.acme-broken.test mx:acme-broken.test exists:mail.acme-broken.test ~all\n",
    "_m3 TXT v=spf1 a:mail.acme-broken.test mx:acme-broken.test ~all\n",
    "_m4 TXT v=spf1 a:mail.acme-broken.test ~all\n",
    "relay A 127.0.0.1\n",
    "relay TXT v=spf1 include:_r1.acme-broken.test -all\n",
    "_r1 TXT v=spf1 include:relay.acme-broken.test -all\n",
    // Extra email domains used by the tests' own configs.
    "mail2 TXT v=spf1 -all\n",
    "nullmx MX 0 .\n",
    "nullmx TXT v=spf1 -all\n",
    "mail3 MX 10 mail.acme-broken.test.\n",
    "mail3 TXT v=spf1 -all\n",
    // `sts`: an MTA-STS policy in enforce mode whose `mx:` lines miss the real MX host (the
    // one-label wildcard `*.acme-broken.test` does not cover `mx.sts.acme-broken.test`).
    "sts MX 10 mx.sts.acme-broken.test.\n",
    "mx.sts A 127.0.0.1\n",
    "sts TXT v=spf1 -all\n",
    "_mta-sts.sts TXT v=STSv1; id=20260101\n",
    "mta-sts.sts A 127.0.0.1\n",
    // `slowinc`: includes a name the tests' DNS relay never answers (a timed-out include).
    "slowinc TXT v=spf1 include:_slow.acme-broken.test -all\n",
    "_slow TXT v=spf1 ip4:192.0.2.0/24 -all\n",
    "custom._domainkey.mail3 TXT v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAyVk0goRMY2kPsiXpC5zHIhRiytU3p3pD3/JSMPXee9AkFwaiue1fSZZrqpDzpKRersaAXATgHbZYN6H2I7ZcvRbb62NUm/bVsCztwZrdG9ag46bK0NA+Stb1jX9nuKllG9uhHuoV+EMyxRrCQvJWDpAQXAM7+An2QVC9Nc3kbcyG7wqz0pt9WbHzqM4HW1SibwN7ViW1ky4+IFuhEPqK8EbFsZobWBQrx7DM/aGy5Bb5E/TTWWWGwpjwe9KnWziUGOqhJmXgHzuizJGP/9MXXNjGdEnvr+RpNvqCmB4a03vNLpPGg0eb3WKWyXQuWyy68sDIxoO8++BI+txWpGwsFQIDAQAB\n",
);

/// Subdomains of the broken site that publish their own SPF (added to its `[target]`).
pub const BROKEN_SENDERS: &[&str] = &["mail", "notify", "news", "legacy", "marketing", "relay"];

/// A zone of hostile mail records (many-KB TXT, a 2^20-path include diamond, a giant DMARC
/// and DKIM record), audited by the tests' own config: the check must neither panic nor hang.
pub const HOSTILE: &str = "acme-hostile.test";

/// Extra zones (origin, records).
pub fn zones() -> Vec<(&'static str, String)> {
    let mut z = String::from("@ NS ns1\nns1 A 127.0.0.1\n");
    z.push_str("@ TXT v=spf1");
    for i in 0..500 {
        z.push_str(&format!(" ip4:192.0.{}.{}", i / 250, i % 250));
    }
    z.push_str(" include:_d0.acme-hostile.test -all\n");
    for i in 0..20 {
        z.push_str(&format!(
            "_d{i} TXT v=spf1 include:_d{n}.acme-hostile.test include:_d{n}.acme-hostile.test -all\n",
            n = i + 1
        ));
    }
    z.push_str("_dmarc TXT v=DMARC1; p=reject; rua=");
    z.push_str(&vec!["mailto:d@acme-hostile.test"; 150].join(","));
    z.push('\n');
    z.push_str("google._domainkey TXT v=DKIM1; p=");
    z.push_str(&"QUJD".repeat(1500));
    z.push('\n');
    // The `test.` parent, so that a DMARC tree walk (RFC 9989, as checkdmarc does it) up to
    // `_dmarc.test` gets NXDOMAIN from the sandbox, as it would from a real resolver, instead of
    // REFUSED.
    let parent = String::from("@ NS ns1\nns1 A 127.0.0.1\n");
    vec![(HOSTILE, z), ("test", parent)]
}

/// TOML appended to the healthy site's config (whole tables only). No DKIM selectors: the
/// check probes the common ones and finds `google`.
pub fn healthy_toml(_ports: &Ports) -> String {
    String::new()
}

/// TOML appended to the broken site's config (whole tables only).
pub fn broken_toml(_ports: &Ports) -> String {
    "[email]\ndkim_selectors = [\"weak\", \"tiny\", \"broken\", \"revoked\", \"missing\"]\n"
        .to_string()
}

/// The healthy MTA-STS policy (RFC 8461 §3.2).
pub const HEALTHY_STS_POLICY: &str =
    "version: STSv1\r\nmode: enforce\r\nmx: mail.acme-good.test\r\nmax_age: 604800\r\n";

/// The `sts.acme-broken.test` policy: enforce mode, no pattern matching its MX host.
pub const STS_MISMATCH_POLICY: &str = "version: STSv1\r\nmode: enforce\r\nmx: mail.old-provider.test\r\nmx: *.acme-broken.test\r\nmax_age: 86400\r\n";

/// Web routes for email cases (MTA-STS policy files).
pub fn route(req: &Req) -> Option<Canned> {
    if req.path != "/.well-known/mta-sts.txt" {
        return None;
    }
    match req.host.as_str() {
        "mta-sts.acme-good.test" => {
            Some(Canned::new(200, HEALTHY_STS_POLICY).header("content-type", "text/plain"))
        }
        "mta-sts.acme-broken.test" => {
            Some(Canned::new(404, "not found").header("content-type", "text/plain"))
        }
        "mta-sts.sts.acme-broken.test" => {
            Some(Canned::new(200, STS_MISMATCH_POLICY).header("content-type", "text/plain"))
        }
        _ => None,
    }
}
