//! Reading and judging a captured certificate chain: the facts a user acts on (subject, SANs,
//! issuer, validity, key) from x509-parser, and chain validation against the web PKI roots plus
//! `--ca-file`, done apart from the handshake so that invalid chains are still seen whole.
//!
//! Owns no network access except through the caller-supplied extra intermediates.

use rustls::RootCertStore;
use rustls::client::{verify_server_cert_signed_by_trust_anchor, verify_server_name};
use rustls::server::ParsedCertificate;
use rustls_pki_types::{CertificateDer, ServerName, UnixTime};
use std::time::Duration;
use x509_parser::prelude::*;

/// The public key of a certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Key {
    /// RSA, modulus bits.
    Rsa(usize),
    /// Elliptic curve, field bits and curve name.
    Ec(usize, String),
    /// Ed25519 / Ed448.
    Edwards(&'static str),
    /// Anything else (algorithm OID).
    Other(String),
}

impl Key {
    /// True for RSA < 2048 or EC < 256 bits.
    pub fn is_weak(&self) -> bool {
        match self {
            Key::Rsa(bits) => *bits < 2048,
            Key::Ec(bits, _) => *bits < 256,
            _ => false,
        }
    }
}

impl std::fmt::Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Key::Rsa(b) => write!(f, "RSA {b} bits"),
            Key::Ec(b, c) => write!(f, "EC {c} ({b} bits)"),
            Key::Edwards(n) => write!(f, "{n}"),
            Key::Other(o) => write!(f, "key algorithm {o}"),
        }
    }
}

/// What a certificate says, in plain values.
#[derive(Debug, Clone)]
pub struct CertInfo {
    /// Subject DN.
    pub subject: String,
    /// Issuer DN.
    pub issuer: String,
    /// DNS and IP subject alternative names.
    pub sans: Vec<String>,
    /// notBefore, Unix seconds.
    pub not_before: i64,
    /// notAfter, Unix seconds.
    pub not_after: i64,
    /// The public key.
    pub key: Key,
    /// Subject equals issuer.
    pub self_issued: bool,
    /// AIA caIssuers URLs (where the issuer's certificate can be fetched).
    pub ca_issuers: Vec<String>,
}

fn curve_name(oid: &str) -> String {
    match oid {
        "1.2.840.10045.3.1.7" => "P-256".into(),
        "1.3.132.0.34" => "P-384".into(),
        "1.3.132.0.35" => "P-521".into(),
        "1.3.132.0.33" => "P-224".into(),
        "1.2.840.10045.3.1.1" => "P-192".into(),
        other => other.to_string(),
    }
}

/// Parses a DER certificate.
pub fn parse(der: &[u8]) -> Result<CertInfo, String> {
    let (_, cert) = X509Certificate::from_der(der).map_err(|e| format!("unparsable: {e}"))?;
    let spki = cert.public_key();
    let alg = spki.algorithm.algorithm.to_id_string();
    let key = match alg.as_str() {
        "1.3.101.112" => Key::Edwards("Ed25519"),
        "1.3.101.113" => Key::Edwards("Ed448"),
        _ => match spki.parsed() {
            Ok(x509_parser::public_key::PublicKey::RSA(r)) => Key::Rsa(r.key_size()),
            Ok(x509_parser::public_key::PublicKey::EC(e)) => {
                let curve = spki
                    .algorithm
                    .parameters
                    .as_ref()
                    .and_then(|p| p.as_oid().ok())
                    .map(|o| curve_name(&o.to_id_string()))
                    .unwrap_or_else(|| "unknown curve".into());
                Key::Ec(e.key_size(), curve)
            }
            _ => Key::Other(alg),
        },
    };
    let mut sans = Vec::new();
    if let Ok(Some(ext)) = cert.subject_alternative_name() {
        for n in &ext.value.general_names {
            match n {
                GeneralName::DNSName(d) => sans.push(d.to_string()),
                GeneralName::IPAddress(b) => match b.len() {
                    4 => sans.push(std::net::Ipv4Addr::new(b[0], b[1], b[2], b[3]).to_string()),
                    16 => {
                        let mut a = [0u8; 16];
                        a.copy_from_slice(b);
                        sans.push(std::net::Ipv6Addr::from(a).to_string());
                    }
                    _ => {}
                },
                _ => {}
            }
        }
    }
    let mut ca_issuers = Vec::new();
    for ext in cert.extensions() {
        if let ParsedExtension::AuthorityInfoAccess(aia) = ext.parsed_extension() {
            for d in aia.iter() {
                if d.access_method.to_id_string() == "1.3.6.1.5.5.7.48.2"
                    && let GeneralName::URI(u) = &d.access_location
                {
                    ca_issuers.push(u.to_string());
                }
            }
        }
    }
    Ok(CertInfo {
        subject: cert.subject().to_string(),
        issuer: cert.issuer().to_string(),
        sans,
        not_before: cert.validity().not_before.timestamp(),
        not_after: cert.validity().not_after.timestamp(),
        key,
        self_issued: cert.subject() == cert.issuer(),
        ca_issuers,
    })
}

/// RFC 3339 date of a Unix timestamp (UTC).
pub fn rfc3339(ts: i64) -> String {
    ::time::OffsetDateTime::from_unix_timestamp(ts)
        .ok()
        .and_then(|t| {
            t.format(&::time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_else(|| ts.to_string())
}

/// Whole days from `now` to `not_after` (negative once expired).
pub fn days_left(not_after: i64, now: i64) -> i64 {
    (not_after - now).div_euclid(86_400)
}

/// The web PKI roots plus the `--ca-file` ones.
pub fn roots(extra: &[CertificateDer<'static>]) -> RootCertStore {
    crate::net::root_store(extra)
}

/// Outcome of building a path from the leaf to a trusted root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trust {
    /// The served chain reaches a trusted root.
    Trusted,
    /// Only with intermediates obtained elsewhere (where from).
    Incomplete(String),
    /// No path (why).
    Untrusted(String),
}

/// Is the name covered? `Err` carries the reason.
pub fn check_name(leaf: &CertificateDer<'_>, host: &str) -> Result<(), String> {
    let parsed = ParsedCertificate::try_from(leaf).map_err(|e| e.to_string())?;
    let name = ServerName::try_from(host.to_string()).map_err(|e| e.to_string())?;
    verify_server_name(&parsed, &name).map_err(|e| e.to_string())
}

fn is_unknown_issuer(e: &rustls::Error) -> bool {
    matches!(
        e,
        rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer)
    )
}

/// Validates the path at a moment inside the leaf's validity period, so that an expired
/// certificate is reported as expired and not also as untrusted.
fn verify(
    roots: &RootCertStore,
    leaf: &CertificateDer<'_>,
    intermediates: &[CertificateDer<'_>],
    at: i64,
) -> Result<(), rustls::Error> {
    let parsed = ParsedCertificate::try_from(leaf)?;
    let algs = rustls::crypto::ring::default_provider().signature_verification_algorithms;
    let now = UnixTime::since_unix_epoch(Duration::from_secs(at.max(0) as u64));
    verify_server_cert_signed_by_trust_anchor(&parsed, roots, intermediates, now, algs.all)
}

/// The moment used for path validation: now, clamped into [notBefore, notAfter].
pub fn validation_time(info: &CertInfo, now: i64) -> i64 {
    now.clamp(info.not_before, info.not_after.max(info.not_before))
}

/// Judges the served chain; when it does not reach a root because an issuer is unknown, tries
/// again with `elsewhere` (intermediates learned from other hosts or fetched via AIA).
pub fn trust(
    roots: &RootCertStore,
    chain: &[CertificateDer<'static>],
    at: i64,
    elsewhere: &[(CertificateDer<'static>, String)],
) -> Trust {
    let Some((leaf, served)) = chain.split_first() else {
        return Trust::Untrusted("no certificate served".into());
    };
    match verify(roots, leaf, served, at) {
        Ok(()) => Trust::Trusted,
        Err(e) if is_unknown_issuer(&e) => {
            for (i, (_, from)) in elsewhere.iter().enumerate() {
                let mut all: Vec<CertificateDer<'static>> = served.to_vec();
                all.extend(elsewhere[..=i].iter().map(|(c, _)| c.clone()));
                if verify(roots, leaf, &all, at).is_ok() {
                    return Trust::Incomplete(from.clone());
                }
            }
            Trust::Untrusted("unknown issuer: no path to a trusted root".into())
        }
        Err(e) => Trust::Untrusted(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};

    fn ca(cn: &str) -> CertifiedIssuer<'static, KeyPair> {
        let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
        p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        p.distinguished_name.push(rcgen::DnType::CommonName, cn);
        CertifiedIssuer::self_signed(p, KeyPair::generate().unwrap()).unwrap()
    }

    #[test]
    fn parses_facts_and_judges_paths() {
        let root = ca("root");
        let mut ip = CertificateParams::new(Vec::<String>::new()).unwrap();
        ip.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        let int = CertifiedIssuer::signed_by(ip, KeyPair::generate().unwrap(), &root).unwrap();
        let mut lp = CertificateParams::new(vec!["a.example".to_string()]).unwrap();
        lp.not_before = rcgen::date_time_ymd(2020, 1, 1);
        lp.not_after = rcgen::date_time_ymd(2021, 1, 1);
        let leaf = lp.signed_by(&KeyPair::generate().unwrap(), &int).unwrap();
        let info = parse(leaf.der()).unwrap();
        assert_eq!(info.sans, vec!["a.example"]);
        assert_eq!(info.key, Key::Ec(256, "P-256".into()));
        assert!(!info.key.is_weak());
        assert_eq!(rfc3339(info.not_after), "2021-01-01T00:00:00Z");
        assert!(days_left(info.not_after, 1_700_000_000) < 0);
        assert!(check_name(leaf.der(), "a.example").is_ok());
        assert!(check_name(leaf.der(), "b.example").is_err());

        let roots = roots(&[root.der().clone()]);
        let at = validation_time(&info, 1_700_000_000);
        let full = vec![leaf.der().clone(), int.der().clone()];
        assert_eq!(trust(&roots, &full, at, &[]), Trust::Trusted);
        let bare = vec![leaf.der().clone()];
        assert!(matches!(trust(&roots, &bare, at, &[]), Trust::Untrusted(_)));
        let learned = vec![(int.der().clone(), "seen on x:443".to_string())];
        assert_eq!(
            trust(&roots, &bare, at, &learned),
            Trust::Incomplete("seen on x:443".into())
        );
        // Another root entirely: intermediates do not help.
        let other = super::roots(&[ca("other").der().clone()]);
        assert!(matches!(
            trust(&other, &bare, at, &learned),
            Trust::Untrusted(_)
        ));
    }

    #[test]
    fn weak_keys() {
        assert!(Key::Rsa(1024).is_weak());
        assert!(!Key::Rsa(2048).is_weak());
        assert!(Key::Ec(224, "P-224".into()).is_weak());
        assert!(!Key::Edwards("Ed25519").is_weak());
    }
}
