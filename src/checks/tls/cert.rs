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
    #[cfg(test)]
    pub fn is_weak(&self) -> bool {
        self.weakness().is_some()
    }

    /// How bad a weak key is: OpenSSL's default security level 2 (curl, Python, most
    /// server-side clients on current distributions) refuses RSA keys under 2048 bits and EC
    /// keys under 224 bits, and RSA under 1024 bits can be factored with public tools: critical;
    /// RSA 1024-2047 and EC under 256 bits: high. `None` for a strong key.
    pub fn weakness(&self) -> Option<crate::finding::Severity> {
        use crate::finding::Severity;
        match self {
            Key::Rsa(bits) if *bits < 1024 => Some(Severity::Critical),
            Key::Rsa(bits) if *bits < 2048 => Some(Severity::High),
            Key::Ec(bits, _) if *bits < 256 => Some(Severity::High),
            _ => None,
        }
    }
}

/// A key type some or all browsers refuse in a server certificate: (severity, which browsers,
/// why).
pub fn browser_refusal(
    key: &Key,
) -> Option<(crate::finding::Severity, &'static str, &'static str)> {
    use crate::finding::Severity;
    match key {
        Key::Ec(_, curve) if curve == "P-521" => Some((
            Severity::High,
            "Chrome and Edge",
            "Chrome and Edge offer neither the secp521r1 group nor the ecdsa_secp521r1_sha512 \
             signature scheme and abort the handshake; Firefox, Safari and OpenSSL (curl) connect",
        )),
        Key::Edwards(_) => Some((
            Severity::Critical,
            "browsers",
            "no current browser (Chrome, Edge, Firefox, Safari) accepts an Ed25519 or Ed448 \
             server certificate; only some non-browser clients (OpenSSL, rustls) connect",
        )),
        _ => None,
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
    /// The signature algorithm's OID (dotted).
    pub sig_alg: String,
    /// The issuer's organization (O) and common name (CN) values, for naming its CA.
    pub issuer_names: Vec<String>,
}

impl CertInfo {
    /// The weak hash of this certificate's signature ("SHA-1", "MD5", "MD2"), if any.
    pub fn weak_signature(&self) -> Option<&'static str> {
        weak_hash(&self.sig_alg)
    }

    /// Lifetime in whole days (notBefore to notAfter).
    pub fn lifetime_days(&self) -> i64 {
        (self.not_after - self.not_before) / 86_400
    }
}

/// Signature algorithms whose hash is broken (RFC 6151 for MD5, RFC 9155 / SHAttered for
/// SHA-1): browsers, rustls and OpenSSL at its default security level refuse them.
fn weak_hash(oid: &str) -> Option<&'static str> {
    match oid {
        // sha1WithRSAEncryption, ecdsa-with-SHA1, dsa-with-sha1, sha1WithRSA (OIW)
        "1.2.840.113549.1.1.5" | "1.2.840.10045.4.1" | "1.2.840.10040.4.3" | "1.3.14.3.2.29" => {
            Some("SHA-1")
        }
        "1.2.840.113549.1.1.4" => Some("MD5"),
        "1.2.840.113549.1.1.2" => Some("MD2"),
        _ => None,
    }
}

/// Names of the common signature algorithms, for evidence.
pub fn sig_alg_name(oid: &str) -> String {
    match oid {
        "1.2.840.113549.1.1.5" | "1.3.14.3.2.29" => "sha1WithRSAEncryption".into(),
        "1.2.840.10045.4.1" => "ecdsa-with-SHA1".into(),
        "1.2.840.10040.4.3" => "dsa-with-SHA1".into(),
        "1.2.840.113549.1.1.4" => "md5WithRSAEncryption".into(),
        "1.2.840.113549.1.1.2" => "md2WithRSAEncryption".into(),
        "1.2.840.113549.1.1.11" => "sha256WithRSAEncryption".into(),
        "1.2.840.113549.1.1.12" => "sha384WithRSAEncryption".into(),
        "1.2.840.113549.1.1.13" => "sha512WithRSAEncryption".into(),
        "1.2.840.113549.1.1.10" => "RSASSA-PSS".into(),
        "1.2.840.10045.4.3.2" => "ecdsa-with-SHA256".into(),
        "1.2.840.10045.4.3.3" => "ecdsa-with-SHA384".into(),
        "1.2.840.10045.4.3.4" => "ecdsa-with-SHA512".into(),
        "1.3.101.112" => "Ed25519".into(),
        other => other.to_string(),
    }
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
                // x509-parser counts P-521's field in whole bytes (528 bits).
                let bits = if curve == "P-521" { 521 } else { e.key_size() };
                Key::Ec(bits, curve)
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
    let mut issuer_names: Vec<String> = Vec::new();
    for a in cert
        .issuer()
        .iter_organization()
        .chain(cert.issuer().iter_common_name())
    {
        if let Ok(v) = a.as_str() {
            issuer_names.push(v.to_string());
        }
    }
    Ok(CertInfo {
        sig_alg: cert.signature_algorithm.algorithm.to_id_string(),
        issuer_names,
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

/// Whole days from `now` to `not_after`, rounded toward zero: 10.9 days left is 10, expired
/// 3.5 days ago is -3 ("expired 3 days ago"), as `openssl x509 -checkend` and browsers count.
pub fn days_left(not_after: i64, now: i64) -> i64 {
    (not_after - now) / 86_400
}

/// Outcome of building a path from the leaf to a trusted root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trust {
    /// The served chain reaches a trusted root.
    Trusted,
    /// The served chain stops below a root: its last certificate is not self-signed and its
    /// issuer was not served. `from` says where the missing issuer was found (another host,
    /// the AIA caIssuers URL), `None` when it was found nowhere.
    Incomplete {
        /// Where the missing intermediate came from, if anywhere.
        from: Option<String>,
        /// The issuer the served chain stops at.
        missing: String,
    },
    /// No path (why).
    Untrusted(String),
    /// Path building stopped at a signature algorithm nobody accepts any more (SHA-1, MD5):
    /// `tls.weak_signature` says so; the error is kept for the measurements.
    WeakSignature(String),
}

fn is_unknown_issuer(e: &rustls::Error) -> bool {
    matches!(
        e,
        rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer)
    )
}

fn is_time_error(e: &rustls::Error) -> bool {
    use rustls::CertificateError as C;
    matches!(
        e,
        rustls::Error::InvalidCertificate(
            C::Expired | C::ExpiredContext { .. } | C::NotValidYet | C::NotValidYetContext { .. }
        )
    )
}

#[allow(deprecated)] // the context-less variant is still returned by older paths
fn is_signature_algorithm_error(e: &rustls::Error) -> bool {
    use rustls::CertificateError as C;
    matches!(
        e,
        rustls::Error::InvalidCertificate(
            C::UnsupportedSignatureAlgorithm
                | C::UnsupportedSignatureAlgorithmContext { .. }
                | C::UnsupportedSignatureAlgorithmForPublicKeyContext { .. }
        )
    )
}

/// A rustls certificate error in words, without the lists of supported algorithms some
/// variants carry.
fn error_text(e: &rustls::Error) -> String {
    use rustls::CertificateError as C;
    match e {
        rustls::Error::InvalidCertificate(C::ExpiredContext { time, not_after }) => format!(
            "a certificate of the chain expired on {} (checked at {})",
            rfc3339(not_after.as_secs() as i64),
            rfc3339(time.as_secs() as i64)
        ),
        rustls::Error::InvalidCertificate(C::NotValidYetContext { time, not_before }) => format!(
            "a certificate of the chain is not valid before {} (checked at {})",
            rfc3339(not_before.as_secs() as i64),
            rfc3339(time.as_secs() as i64)
        ),
        rustls::Error::InvalidCertificate(
            C::UnsupportedSignatureAlgorithmContext { .. }
            | C::UnsupportedSignatureAlgorithmForPublicKeyContext { .. },
        ) => "a certificate of the chain is signed with an unsupported algorithm".into(),
        other => other.to_string(),
    }
}

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

/// Judges the served chain at `now`. When the leaf itself is outside its validity period
/// (`tls.cert_expired` / `tls.not_yet_valid` say so), the path is judged at a moment inside
/// it, and a time error from another certificate at that moment (an expired leaf under a
/// re-issued, newer intermediate) is not held against the chain: renewing the leaf fixes both.
/// When the path stops at an unknown issuer, tries again with `elsewhere` (intermediates
/// learned from other hosts or fetched through AIA); failing that, a chain whose last
/// certificate is not self-signed is incomplete, and one ending in a self-signed certificate is
/// untrusted.
pub fn trust(
    roots: &RootCertStore,
    chain: &[CertificateDer<'static>],
    now: i64,
    elsewhere: &[(CertificateDer<'static>, String)],
) -> Trust {
    let Some((leaf, served)) = chain.split_first() else {
        return Trust::Untrusted("no certificate served".into());
    };
    let infos: Vec<Option<CertInfo>> = chain.iter().map(|c| parse(c).ok()).collect();
    let leaf_outside = infos[0]
        .as_ref()
        .is_some_and(|i| now > i.not_after || now < i.not_before);
    let at = match &infos[0] {
        Some(i) if leaf_outside => now.clamp(i.not_before, i.not_after.max(i.not_before)),
        _ => now,
    };
    match verify(roots, leaf, served, at) {
        Ok(()) => Trust::Trusted,
        Err(e) if leaf_outside && is_time_error(&e) => Trust::Trusted,
        Err(e)
            if is_signature_algorithm_error(&e)
                && infos.iter().flatten().any(|i| i.weak_signature().is_some()) =>
        {
            Trust::WeakSignature(error_text(&e))
        }
        Err(e) if is_unknown_issuer(&e) => {
            for (i, (_, from)) in elsewhere.iter().enumerate() {
                let mut all: Vec<CertificateDer<'static>> = served.to_vec();
                all.extend(elsewhere[..=i].iter().map(|(c, _)| c.clone()));
                match verify(roots, leaf, &all, at) {
                    Ok(()) => {}
                    Err(e) if leaf_outside && is_time_error(&e) => {}
                    Err(_) => continue,
                }
                return Trust::Incomplete {
                    from: Some(from.clone()),
                    missing: last_issuer(&infos),
                };
            }
            // A link whose issuer is neither served nor the certificate itself: the chain
            // stops below a root (testssl.sh's "chain incomplete").
            let gap = infos.iter().enumerate().find_map(|(i, c)| {
                let c = c.as_ref()?;
                let served_issuer = infos[i + 1..]
                    .iter()
                    .flatten()
                    .any(|up| up.subject == c.issuer);
                (!c.self_issued && !served_issuer).then(|| c.issuer.clone())
            });
            if let Some(missing) = gap {
                return Trust::Incomplete {
                    from: None,
                    missing,
                };
            }
            match infos.last() {
                Some(Some(last)) if chain.len() == 1 => Trust::Untrusted(format!(
                    "self-signed certificate (subject = issuer = {})",
                    last.subject
                )),
                Some(Some(last)) => Trust::Untrusted(format!(
                    "the served chain ends in the self-signed {}, which is not a trusted root",
                    last.subject
                )),
                _ => Trust::Untrusted("unknown issuer: no path to a trusted root".into()),
            }
        }
        Err(e) => Trust::Untrusted(error_text(&e)),
    }
}

fn last_issuer(infos: &[Option<CertInfo>]) -> String {
    infos
        .last()
        .and_then(|i| i.as_ref())
        .map(|i| i.issuer.clone())
        .unwrap_or_default()
}

/// Is the name covered? `Err` carries the reason.
pub fn check_name(leaf: &CertificateDer<'_>, host: &str) -> Result<(), String> {
    let parsed = ParsedCertificate::try_from(leaf).map_err(|e| e.to_string())?;
    let name = ServerName::try_from(host.to_string()).map_err(|e| e.to_string())?;
    verify_server_name(&parsed, &name).map_err(|e| e.to_string())
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
        ip.distinguished_name
            .push(rcgen::DnType::CommonName, "intermediate");
        let int = CertifiedIssuer::signed_by(ip, KeyPair::generate().unwrap(), &root).unwrap();
        let mut lp = CertificateParams::new(vec!["a.example".to_string()]).unwrap();
        lp.distinguished_name
            .push(rcgen::DnType::CommonName, "a.example");
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

        let roots = crate::net::root_store(&[root.der().clone()]);
        // The leaf expired in 2021: judged at a moment inside its validity, its chain is fine.
        let at = 1_700_000_000;
        let full = vec![leaf.der().clone(), int.der().clone()];
        assert_eq!(trust(&roots, &full, at, &[]), Trust::Trusted);
        // Served alone: its issuer is missing and it is not self-signed: incomplete, found
        // nowhere.
        let bare = vec![leaf.der().clone()];
        assert!(matches!(
            trust(&roots, &bare, at, &[]),
            Trust::Incomplete { from: None, .. }
        ));
        let learned = vec![(int.der().clone(), "seen on x:443".to_string())];
        assert!(matches!(
            trust(&roots, &bare, at, &learned),
            Trust::Incomplete { from: Some(f), .. } if f == "seen on x:443"
        ));
        // Another root entirely: intermediates do not help, but the chain still stops below
        // a root (incomplete, not untrusted).
        let other = crate::net::root_store(&[ca("other").der().clone()]);
        assert!(matches!(
            trust(&other, &bare, at, &learned),
            Trust::Incomplete { from: None, .. }
        ));
        // A chain that ends in a self-signed certificate nobody trusts is untrusted.
        let to_root = vec![leaf.der().clone(), int.der().clone(), root.der().clone()];
        assert!(matches!(
            trust(&other, &to_root, at, &[]),
            Trust::Untrusted(_)
        ));
    }

    /// An expired leaf under a re-issued intermediate whose validity starts after the leaf's
    /// end: no moment makes the whole chain valid, and only the expiry is the cause.
    #[test]
    fn expired_leaf_under_newer_intermediate_is_not_untrusted() {
        let root = ca("root");
        let mut ip = CertificateParams::new(Vec::<String>::new()).unwrap();
        ip.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ip.not_before = rcgen::date_time_ymd(2022, 1, 1);
        ip.not_after = rcgen::date_time_ymd(2040, 1, 1);
        let int = CertifiedIssuer::signed_by(ip, KeyPair::generate().unwrap(), &root).unwrap();
        let mut lp = CertificateParams::new(vec!["a.example".to_string()]).unwrap();
        lp.not_before = rcgen::date_time_ymd(2020, 1, 1);
        lp.not_after = rcgen::date_time_ymd(2021, 1, 1);
        let leaf = lp.signed_by(&KeyPair::generate().unwrap(), &int).unwrap();
        let roots = crate::net::root_store(&[root.der().clone()]);
        let chain = vec![leaf.der().clone(), int.der().clone()];
        assert_eq!(trust(&roots, &chain, 1_800_000_000, &[]), Trust::Trusted);
        // A valid leaf under an expired intermediate is a real chain problem.
        let mut ip = CertificateParams::new(Vec::<String>::new()).unwrap();
        ip.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ip.not_before = rcgen::date_time_ymd(2015, 1, 1);
        ip.not_after = rcgen::date_time_ymd(2020, 1, 1);
        let old = CertifiedIssuer::signed_by(ip, KeyPair::generate().unwrap(), &root).unwrap();
        let leaf = CertificateParams::new(vec!["a.example".to_string()])
            .unwrap()
            .signed_by(&KeyPair::generate().unwrap(), &old)
            .unwrap();
        let chain = vec![leaf.der().clone(), old.der().clone()];
        match trust(&roots, &chain, 1_800_000_000, &[]) {
            Trust::Untrusted(why) => assert!(why.contains("expired on 2020-01-01"), "{why}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn days_left_rounds_toward_zero() {
        let day = 86_400;
        assert_eq!(days_left(10 * day + day / 2, 0), 10);
        assert_eq!(days_left(0, 3 * day + day / 2), -3);
        assert_eq!(days_left(0, day / 2), 0);
    }

    #[test]
    fn weak_keys() {
        assert!(Key::Rsa(1024).is_weak());
        use crate::finding::Severity;
        let p521 = browser_refusal(&Key::Ec(521, "P-521".into())).map(|r| r.0);
        assert_eq!(p521, Some(Severity::High));
        let ed = browser_refusal(&Key::Edwards("Ed25519")).map(|r| r.0);
        assert_eq!(ed, Some(Severity::Critical));
        assert!(browser_refusal(&Key::Ec(384, "P-384".into())).is_none());
        assert!(browser_refusal(&Key::Rsa(2048)).is_none());
        assert_eq!(Key::Rsa(1024).weakness(), Some(Severity::High));
        assert_eq!(Key::Rsa(512).weakness(), Some(Severity::Critical));
        assert_eq!(Key::Rsa(2048).weakness(), None);
        assert!(!Key::Rsa(2048).is_weak());
        assert!(Key::Ec(224, "P-224".into()).is_weak());
        assert!(!Key::Edwards("Ed25519").is_weak());
    }
}
