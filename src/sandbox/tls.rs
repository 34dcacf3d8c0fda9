//! The sandbox's certificate cases: DNS records, web routes, certificates and config snippets that the
//! `tls` check's cases need. `mod.rs` and `web.rs` call these hooks; nothing else changes
//! when a case is added here.
//!
//! Broken-site cases, each a name `<case>.acme-broken.test` served by SNI on the shared HTTPS
//! port: `expired` (notAfter in 2021), `expiring` (10 days left; issued by an intermediate and
//! served with the full chain), `wronghost` (covers `other.example` only), `selfsigned`,
//! `nochain` (issued by the same intermediate as `expiring` but served without it) and `weakkey`
//! (a 1024-bit RSA key, see [`weak_rsa`]).

pub mod weak_rsa;

use super::Ports;
use super::web::Pki;
use super::web::{Canned, Req};
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
use rustls::sign::CertifiedKey;
use rustls_pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use std::sync::Arc;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The certificate cases of the broken site (left-most labels under `acme-broken.test`).
pub const BROKEN_CASES: &[&str] = &[
    "expired",
    "expiring",
    "wronghost",
    "selfsigned",
    "nochain",
    "weakkey",
];

/// Extra records for the healthy zone (`name TYPE value` lines, see `dns.rs`).
pub const HEALTHY_RECORDS: &str = "";
/// Extra records for the broken zone: every certificate case resolves to loopback.
pub const BROKEN_RECORDS: &str = "
expired A 127.0.0.1
expiring A 127.0.0.1
wronghost A 127.0.0.1
selfsigned A 127.0.0.1
nochain A 127.0.0.1
weakkey A 127.0.0.1
";

/// Extra zones (origin, records).
pub fn zones() -> Vec<(&'static str, String)> {
    Vec::new()
}

/// TOML appended to the healthy site's config (whole tables only).
pub fn healthy_toml(_ports: &Ports) -> String {
    String::new()
}

/// TOML appended to the broken site's config (whole tables only).
pub fn broken_toml(_ports: &Ports) -> String {
    String::new()
}

fn ring() -> rustls::crypto::CryptoProvider {
    rustls::crypto::ring::default_provider()
}

fn params(names: &[&str], cn: &str) -> Result<CertificateParams, BoxError> {
    let mut p = CertificateParams::new(names.iter().map(|s| s.to_string()).collect::<Vec<_>>())?;
    p.distinguished_name.push(rcgen::DnType::CommonName, cn);
    Ok(p)
}

fn certified(
    chain: Vec<CertificateDer<'static>>,
    key: &KeyPair,
) -> Result<Arc<CertifiedKey>, BoxError> {
    let der = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
    Ok(Arc::new(CertifiedKey::from_der(chain, der, &ring())?))
}

/// Certificates served by SNI name (host, certificate); other names get the default leaf.
pub fn certs(pki: &Pki) -> Result<Vec<(String, Arc<CertifiedKey>)>, BoxError> {
    let name = |case: &str| format!("{case}.{}", super::BROKEN);
    let ca_der = pki.ca_der();
    let mut out = Vec::new();

    // expired: valid chain, notAfter long past.
    {
        let n = name("expired");
        let mut p = params(&[&n], &n)?;
        p.not_before = rcgen::date_time_ymd(2020, 1, 1);
        p.not_after = rcgen::date_time_ymd(2021, 1, 1);
        let key = KeyPair::generate()?;
        let cert = p.signed_by(&key, pki.issuer())?;
        out.push((
            n,
            certified(vec![cert.der().clone(), ca_der.clone()], &key)?,
        ));
    }

    // An intermediate CA under the sandbox root: `expiring` is served with it, `nochain` without.
    let mut ip = params(&[], "launchready sandbox intermediate CA")?;
    ip.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let intermediate = CertifiedIssuer::signed_by(ip, KeyPair::generate()?, pki.issuer())?;
    let int_der = intermediate.der().clone();

    // expiring: 10 days left, full chain (leaf, intermediate, root).
    {
        let n = name("expiring");
        let mut p = params(&[&n], &n)?;
        let now = time::OffsetDateTime::now_utc();
        p.not_before = now - time::Duration::days(80);
        p.not_after = now + time::Duration::days(10) + time::Duration::hours(1);
        let key = KeyPair::generate()?;
        let cert = p.signed_by(&key, &intermediate)?;
        out.push((
            n,
            certified(
                vec![cert.der().clone(), int_der.clone(), ca_der.clone()],
                &key,
            )?,
        ));
    }

    // nochain: issued by the intermediate, served alone.
    {
        let n = name("nochain");
        let p = params(&[&n], &n)?;
        let key = KeyPair::generate()?;
        let cert = p.signed_by(&key, &intermediate)?;
        out.push((n, certified(vec![cert.der().clone()], &key)?));
    }

    // wronghost: a valid certificate for some other name.
    {
        let p = params(&["other.example", "www.other.example"], "other.example")?;
        let key = KeyPair::generate()?;
        let cert = p.signed_by(&key, pki.issuer())?;
        out.push((
            name("wronghost"),
            certified(vec![cert.der().clone(), ca_der.clone()], &key)?,
        ));
    }

    // selfsigned: right name, signed by its own key.
    {
        let n = name("selfsigned");
        let p = params(&[&n], &n)?;
        let key = KeyPair::generate()?;
        let cert = p.self_signed(&key)?;
        out.push((n, certified(vec![cert.der().clone()], &key)?));
    }

    // weakkey: a 1024-bit RSA leaf signed by the sandbox CA.
    {
        let n = name("weakkey");
        let key = weak_rsa::WeakRsaKey::fixture()?;
        let p = params(&[&n], &n)?;
        let cert = p.signed_by(&key.public(), pki.issuer())?;
        out.push((
            n,
            Arc::new(CertifiedKey::new(
                vec![cert.der().clone(), ca_der.clone()],
                Arc::new(key),
            )),
        ));
    }
    Ok(out)
}

/// Web routes for TLS cases: none. The case hosts answer with the shared "unknown host" page,
/// so nothing but their certificates stands out to other checks.
pub fn route(_req: &Req) -> Option<Canned> {
    None
}
