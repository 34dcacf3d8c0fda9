//! The sandbox's certificate cases: DNS records, web routes, certificates and config snippets that the
//! `tls` check's cases need. `mod.rs` and `web.rs` call these hooks; nothing else changes
//! when a case is added here.
//!
//! Broken-site cases, each a name `<case>.acme-broken.test` served by SNI on the shared HTTPS
//! port: `expired` (notAfter in 2021, under an intermediate re-issued in 2022), `expiring` (10
//! days left; issued by an intermediate and served with the full chain), `wronghost` (covers
//! `other.example` only), `selfsigned`, `nochain` (issued by the same intermediate as
//! `expiring` but served without it), `weakkey` (a 1024-bit RSA key, see [`weak_rsa`]),
//! `notyet` (valid from next month), `sha1` (signed with ecdsa-with-SHA1), `aia` (intermediate
//! not served anywhere but named by the leaf's AIA caIssuers URL, which the sandbox serves),
//! `noissuer` (intermediate nowhere, no AIA), `manual` (a 398-day certificate from a
//! DigiCert-named intermediate), `caa` (a Let's Encrypt-named issuer under a CAA record that
//! allows only `pki.goog`), and through OpenSSL
//! ([`legacy_server`]): `cbc` (TLS 1.2 ECDHE-RSA-AES-CBC only), `dhe` (DHE only), `rsa512`
//! (a 512-bit RSA key), `p521` (an ECDSA P-521 key: rustls and Chrome cannot verify it; curl
//! and Firefox load it), `p521tls13` (the same, TLS 1.3 only), `ed25519` (an Ed25519 key:
//! no browser accepts it), `p521kx` and `p521kx13` (an RSA key, ECDHE only on the P-521
//! group; the second TLS 1.3 only) and `mtls`
//! (requires a client certificate).
//!
//! `acme-legacy.test` is a whole site served only with CBC suites: pages, headers, mixed
//! content and an exposed `.env`, so a test can prove it is audited like any other.
//! `bigchain.acme-broken.test` (a 10,000-name, ~300 KB leaf) resolves and is served too, but
//! is not among the broken site's subdomains: every handshake with it moves 300 KB, so only its
//! own test audits it.
//! Every leaf lives 90 days unless its case says otherwise (a longer life is `manual`'s case).

pub mod legacy_server;
pub mod mint;
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
    "notyet",
    "sha1",
    "aia",
    "noissuer",
    "manual",
    "caa",
    "cbc",
    "dhe",
    "rsa512",
    "p521",
    "p521tls13",
    "ed25519",
    "mtls",
    "p521kx",
    "p521kx13",
];

/// The whole site served only with CBC suites.
pub const LEGACY_SITE: &str = "acme-legacy.test";

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
notyet A 127.0.0.1
sha1 A 127.0.0.1
aia A 127.0.0.1
noissuer A 127.0.0.1
manual A 127.0.0.1
caa A 127.0.0.1
caa CAA issue pki.goog
bigchain A 127.0.0.1
cbc A 127.0.0.1
dhe A 127.0.0.1
rsa512 A 127.0.0.1
p521 A 127.0.0.1
p521tls13 A 127.0.0.1
ed25519 A 127.0.0.1
mtls A 127.0.0.1
p521kx A 127.0.0.1
p521kx13 A 127.0.0.1
";

/// Extra zones (origin, records).
pub fn zones() -> Vec<(&'static str, String)> {
    vec![(
        LEGACY_SITE,
        "
@ NS ns1
ns1 A 127.0.0.1
@ A 127.0.0.1
www A 127.0.0.1
"
        .to_string(),
    )]
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
pub fn certs(pki: &Pki, http_port: u16) -> Result<Vec<(String, Arc<CertifiedKey>)>, BoxError> {
    let name = |case: &str| format!("{case}.{}", super::BROKEN);
    let ca_der = pki.ca_der();
    let mut out = Vec::new();

    // expired: notAfter long past, under an intermediate re-issued after the leaf's end (so no
    // moment makes the whole chain valid: only the expiry may be reported).
    {
        let mut ip = params(&[], "launchready sandbox re-issued intermediate CA")?;
        ip.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ip.not_before = rcgen::date_time_ymd(2022, 1, 1);
        ip.not_after = rcgen::date_time_ymd(2040, 1, 1);
        let newer = CertifiedIssuer::signed_by(ip, KeyPair::generate()?, pki.issuer())?;
        let n = name("expired");
        let mut p = params(&[&n], &n)?;
        p.not_before = rcgen::date_time_ymd(2020, 10, 1);
        p.not_after = rcgen::date_time_ymd(2021, 1, 1);
        let key = KeyPair::generate()?;
        let cert = p.signed_by(&key, &newer)?;
        out.push((
            n,
            certified(
                vec![cert.der().clone(), newer.der().clone(), ca_der.clone()],
                &key,
            )?,
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
        let p = ninety(params(&[&n], &n)?);
        let key = KeyPair::generate()?;
        let cert = p.signed_by(&key, &intermediate)?;
        out.push((n, certified(vec![cert.der().clone()], &key)?));
    }

    // wronghost: a valid certificate for some other name.
    {
        let p = ninety(params(
            &["other.example", "www.other.example"],
            "other.example",
        )?);
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
        let p = ninety(params(&[&n], &n)?);
        let key = KeyPair::generate()?;
        let cert = p.self_signed(&key)?;
        out.push((n, certified(vec![cert.der().clone()], &key)?));
    }

    // weakkey: a 1024-bit RSA leaf signed by the sandbox CA.
    {
        let n = name("weakkey");
        let key = weak_rsa::WeakRsaKey::fixture()?;
        let p = ninety(params(&[&n], &n)?);
        let cert = p.signed_by(&key.public(), pki.issuer())?;
        out.push((
            n,
            Arc::new(CertifiedKey::new(
                vec![cert.der().clone(), ca_der.clone()],
                Arc::new(key),
            )),
        ));
    }
    out.extend(more_certs(pki, http_port)?);
    Ok(out)
}

/// A 90-day validity starting yesterday: what an ACME CA issues.
pub fn ninety(mut p: CertificateParams) -> CertificateParams {
    let now = time::OffsetDateTime::now_utc();
    p.not_before = now - time::Duration::days(1);
    p.not_after = now + time::Duration::days(89);
    p
}

/// The AIA intermediates served over plain HTTP, by the sandbox's HTTP port (several sandboxes
/// may share a process).
static AIA: std::sync::Mutex<Vec<(u16, Vec<u8>)>> = std::sync::Mutex::new(Vec::new());

/// The path the `aia` case's caIssuers URL names.
const AIA_PATH: &str = "/sandbox-ca/aia-intermediate.der";

/// rcgen key -> OpenSSL key.
fn ossl_key(key: &KeyPair) -> Result<openssl::pkey::PKey<openssl::pkey::Private>, BoxError> {
    Ok(openssl::pkey::PKey::private_key_from_pkcs8(
        &key.serialize_der(),
    )?)
}

/// The sandbox CA as OpenSSL objects.
fn ossl_ca(
    pki: &Pki,
) -> Result<
    (
        openssl::x509::X509,
        openssl::pkey::PKey<openssl::pkey::Private>,
    ),
    BoxError,
> {
    Ok((
        openssl::x509::X509::from_der(&pki.ca_der())?,
        openssl::pkey::PKey::private_key_from_pkcs8(pki.ca_key_der())?,
    ))
}

/// An intermediate CA under the sandbox root, with a chosen name (OpenSSL objects).
fn ossl_intermediate(
    pki: &Pki,
    cn: &str,
    org: Option<&str>,
) -> Result<
    (
        openssl::x509::X509,
        openssl::pkey::PKey<openssl::pkey::Private>,
    ),
    BoxError,
> {
    let (ca, ca_key) = ossl_ca(pki)?;
    let key = ossl_key(&KeyPair::generate()?)?;
    let now = mint::now();
    let cert = mint::mint(
        &mint::Spec {
            cn,
            org,
            names: &[],
            ca: true,
            not_before: now - 86_400 * 365,
            not_after: now + 86_400 * 365 * 5,
            digest: openssl::hash::MessageDigest::sha256(),
            aia: None,
        },
        &key,
        Some((&ca, &ca_key)),
    )?;
    Ok((cert, key))
}

/// A rustls-served leaf minted by OpenSSL: key from rcgen (so ring can sign with it).
fn ossl_leaf(
    host: &str,
    spec: mint::Spec<'_>,
    issuer: (
        &openssl::x509::X509,
        &openssl::pkey::PKey<openssl::pkey::Private>,
    ),
    served: Vec<CertificateDer<'static>>,
) -> Result<(String, Arc<CertifiedKey>), BoxError> {
    let key = KeyPair::generate()?;
    let cert = mint::mint(&spec, &ossl_key(&key)?, Some(issuer))?;
    let mut chain = vec![CertificateDer::from(cert.to_der()?)];
    chain.extend(served);
    // CertifiedKey::new, not from_der: webpki cannot parse certificates over 64 KiB (the
    // `bigchain` case), and checking that the key matches needs it to.
    let der = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
    let signer = ring()
        .key_provider
        .load_private_key(der)
        .map_err(|e| format!("sandbox case {host}: {e}"))?;
    Ok((host.to_string(), Arc::new(CertifiedKey::new(chain, signer))))
}

fn ninety_days() -> (i64, i64) {
    let now = mint::now();
    (now - 86_400, now + 86_400 * 89)
}

/// The cases minted with OpenSSL (served by rustls).
fn more_certs(pki: &Pki, http_port: u16) -> Result<Vec<(String, Arc<CertifiedKey>)>, BoxError> {
    use openssl::hash::MessageDigest;
    let name = |case: &str| format!("{case}.{}", super::BROKEN);
    let (ca, ca_key) = ossl_ca(pki)?;
    let ca_der = pki.ca_der();
    let (nb, na) = ninety_days();
    let mut out = Vec::new();

    // notyet: valid from 30 days from now.
    {
        let n = name("notyet");
        let now = mint::now();
        out.push(ossl_leaf(
            &n,
            mint::Spec::leaf(&n, now + 86_400 * 30, now + 86_400 * 90),
            (&ca, &ca_key),
            vec![ca_der.clone()],
        )?);
    }

    // sha1: signed ecdsa-with-SHA1 by the sandbox CA.
    {
        let n = name("sha1");
        out.push(ossl_leaf(
            &n,
            mint::Spec {
                digest: MessageDigest::sha1(),
                ..mint::Spec::leaf(&n, nb, na)
            },
            (&ca, &ca_key),
            vec![ca_der.clone()],
        )?);
    }

    // aia: the intermediate is served by nobody, only at the leaf's caIssuers URL.
    {
        let (int, int_key) =
            ossl_intermediate(pki, "launchready sandbox AIA intermediate CA", None)?;
        if let Ok(mut m) = AIA.lock() {
            m.retain(|(p, _)| *p != http_port);
            m.push((http_port, int.to_der()?));
        }
        let n = name("aia");
        let url = format!("http://aia.{}:{http_port}{AIA_PATH}", super::BROKEN);
        out.push(ossl_leaf(
            &n,
            mint::Spec {
                aia: Some(&url),
                ..mint::Spec::leaf(&n, nb, na)
            },
            (&int, &int_key),
            Vec::new(),
        )?);
    }

    // noissuer: the intermediate is nowhere and there is no AIA.
    {
        let (int, int_key) =
            ossl_intermediate(pki, "launchready sandbox unpublished intermediate CA", None)?;
        let n = name("noissuer");
        out.push(ossl_leaf(
            &n,
            mint::Spec::leaf(&n, nb, na),
            (&int, &int_key),
            Vec::new(),
        )?);
    }

    // manual: 398 days from a DigiCert-named intermediate, full chain.
    {
        let (int, int_key) = ossl_intermediate(
            pki,
            "DigiCert Global G2 TLS RSA SHA256 2020 CA1 (sandbox look-alike)",
            Some("DigiCert Inc"),
        )?;
        let n = name("manual");
        let now = mint::now();
        out.push(ossl_leaf(
            &n,
            mint::Spec::leaf(&n, now - 86_400 * 30, now + 86_400 * 368),
            (&int, &int_key),
            vec![CertificateDer::from(int.to_der()?), ca_der.clone()],
        )?);
    }

    // caa: from a Let's Encrypt-named intermediate; the zone's CAA allows only pki.goog.
    {
        let (int, int_key) =
            ossl_intermediate(pki, "R11 (sandbox look-alike)", Some("Let's Encrypt"))?;
        let n = name("caa");
        out.push(ossl_leaf(
            &n,
            mint::Spec::leaf(&n, nb, na),
            (&int, &int_key),
            vec![CertificateDer::from(int.to_der()?), ca_der.clone()],
        )?);
    }

    // bigchain: one leaf with 10,000 names (about 290 KB).
    {
        let n = name("bigchain");
        let mut names = vec![n.clone()];
        names.extend((0..9_999).map(|i| format!("c{i:04}.tenants.{}", super::BROKEN)));
        out.push(ossl_leaf(
            &n,
            mint::Spec {
                names: &names,
                ..mint::Spec::leaf(&n, nb, na)
            },
            (&ca, &ca_key),
            vec![ca_der.clone()],
        )?);
    }
    Ok(out)
}

/// A throw-away RSA key of `bits`, generated once per process (several sandboxes may run in
/// one test process; RSA key generation is the costly part of starting one).
fn rsa_key(bits: u32) -> Result<openssl::pkey::PKey<openssl::pkey::Private>, BoxError> {
    use std::sync::OnceLock;
    type Cache = std::sync::Mutex<Vec<(u32, Vec<u8>)>>;
    static KEYS: OnceLock<Cache> = OnceLock::new();
    let keys = KEYS.get_or_init(|| std::sync::Mutex::new(Vec::new()));
    let mut keys = keys.lock().map_err(|_| "sandbox RSA key cache poisoned")?;
    if let Some((_, der)) = keys.iter().find(|(b, _)| *b == bits) {
        return Ok(openssl::pkey::PKey::private_key_from_der(der)?);
    }
    let key = openssl::pkey::PKey::from_rsa(openssl::rsa::Rsa::generate(bits)?)?;
    keys.push((bits, key.private_key_to_der()?));
    Ok(key)
}

/// OpenSSL acceptors for the cases rustls cannot serve, and for the CBC-only site.
pub fn legacy_hosts(pki: &Pki) -> Result<legacy_server::LegacyHosts, BoxError> {
    use openssl::ssl::{SslAcceptor, SslMethod, SslVersion};
    let (ca, ca_key) = ossl_ca(pki)?;
    let (nb, na) = ninety_days();
    // One more setting on a case's acceptor.
    type Tweak =
        fn(&mut openssl::ssl::SslAcceptorBuilder) -> Result<(), openssl::error::ErrorStack>;
    // The key-type cases speak TLS 1.3 too (rustls fails on the signature scheme, not on the
    // suites); `min` is their lowest version.
    let acceptor_with = |names: Vec<String>,
                         key: openssl::pkey::PKey<openssl::pkey::Private>,
                         ciphers: &str,
                         min: SslVersion,
                         extra: Option<Tweak>|
     -> Result<SslAcceptor, BoxError> {
        let cert = mint::mint(
            &mint::Spec {
                names: &names,
                ..mint::Spec::leaf(&names[0], nb, na)
            },
            &key,
            Some((&ca, &ca_key)),
        )?;
        let mut b = SslAcceptor::mozilla_intermediate_v5(SslMethod::tls())?;
        b.set_security_level(0);
        b.set_min_proto_version(Some(min))?;
        if let Some(tweak) = extra {
            tweak(&mut b)?;
        }
        b.set_cipher_list(ciphers)?;
        b.set_private_key(&key)?;
        b.set_certificate(&cert)?;
        b.add_extra_chain_cert(ca.clone())?;
        Ok(b.build())
    };
    // The suite cases: an RSA key of `bits`, TLS 1.2 at most (Mozilla's "intermediate"
    // profile brings ffdhe2048 parameters for DHE).
    let acceptor = |names: Vec<String>, bits: u32, ciphers: &str| {
        acceptor_with(
            names,
            rsa_key(bits)?,
            ciphers,
            SslVersion::TLS1_2,
            Some(|b| b.set_max_proto_version(Some(SslVersion::TLS1_2))),
        )
    };
    let name = |case: &str| format!("{case}.{}", super::BROKEN);
    let mut out = legacy_server::LegacyHosts::new();
    let cbc = "ECDHE-RSA-AES128-SHA:ECDHE-RSA-AES256-SHA:ECDHE-RSA-AES128-SHA256";
    out.insert(name("cbc"), acceptor(vec![name("cbc")], 2048, cbc)?);
    out.insert(
        name("dhe"),
        acceptor(
            vec![name("dhe")],
            2048,
            "DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-SHA",
        )?,
    );
    out.insert(
        name("rsa512"),
        acceptor(
            vec![name("rsa512")],
            512,
            "ECDHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0",
        )?,
    );
    // Key types rustls or browsers refuse, on otherwise modern servers (TLS 1.2 + 1.3, ECDHE
    // with AEAD): P-521 (rustls/ring and Chrome cannot verify it) and Ed25519 (no browser).
    let ecdsa = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384";
    let p521 = openssl::ec::EcKey::generate(
        openssl::ec::EcGroup::from_curve_name(openssl::nid::Nid::SECP521R1)?.as_ref(),
    )?;
    let p521 = openssl::pkey::PKey::from_ec_key(p521)?;
    out.insert(
        name("p521"),
        acceptor_with(
            vec![name("p521")],
            p521.clone(),
            ecdsa,
            SslVersion::TLS1_2,
            None,
        )?,
    );
    // TLS 1.3 only: the hand-built TLS 1.2 exchange is refused too, so the chain can only be
    // read through an OpenSSL handshake.
    out.insert(
        name("p521tls13"),
        acceptor_with(
            vec![name("p521tls13")],
            p521,
            ecdsa,
            SslVersion::TLS1_3,
            None,
        )?,
    );
    out.insert(
        name("ed25519"),
        acceptor_with(
            vec![name("ed25519")],
            openssl::pkey::PKey::generate_ed25519()?,
            ecdsa,
            SslVersion::TLS1_2,
            None,
        )?,
    );
    // Mutual TLS required on a public name: an ordinary P-256 certificate, but no page
    // without a client certificate.
    out.insert(
        name("mtls"),
        acceptor_with(
            vec![name("mtls")],
            ossl_key(&KeyPair::generate()?)?,
            ecdsa,
            SslVersion::TLS1_2,
            Some(|b| {
                use openssl::ssl::SslVerifyMode;
                b.set_verify(SslVerifyMode::PEER | SslVerifyMode::FAIL_IF_NO_PEER_CERT);
                Ok(())
            }),
        )?,
    );
    // An RSA certificate, but ECDHE only on P-521: Chrome and rustls share no group with it.
    out.insert(
        name("p521kx"),
        acceptor_with(
            vec![name("p521kx")],
            rsa_key(2048)?,
            "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384",
            SslVersion::TLS1_2,
            Some(|b| b.set_groups_list("P-521")),
        )?,
    );
    // The same, TLS 1.3 only: proved through two OpenSSL handshakes.
    out.insert(
        name("p521kx13"),
        acceptor_with(
            vec![name("p521kx13")],
            rsa_key(2048)?,
            "ECDHE-RSA-AES128-GCM-SHA256",
            SslVersion::TLS1_3,
            Some(|b| b.set_groups_list("P-521")),
        )?,
    );
    let site = acceptor(
        vec![LEGACY_SITE.to_string(), format!("www.{LEGACY_SITE}")],
        2048,
        cbc,
    )?;
    out.insert(LEGACY_SITE.to_string(), site.clone());
    out.insert(format!("www.{LEGACY_SITE}"), site);
    Ok(out)
}

/// Web routes for TLS cases: the `aia` case's intermediate at its caIssuers URL, and the
/// CBC-only site. The other case hosts answer with the shared "unknown host" page, so nothing
/// but their certificates stands out to other checks.
pub fn route(req: &Req) -> Option<Canned> {
    if req.path == AIA_PATH && req.host == format!("aia.{}", super::BROKEN) {
        let der = AIA.lock().ok().and_then(|m| {
            m.iter()
                .find(|(p, _)| *p == req.http_port)
                .map(|(_, d)| d.clone())
        })?;
        return Some(Canned::new(200, der).header("content-type", "application/pkix-cert"));
    }
    let legacy_site = req.host == LEGACY_SITE || req.host == format!("www.{LEGACY_SITE}");
    if !legacy_site {
        return None;
    }
    if !req.tls {
        return Some(Canned::new(301, "").header("location", req.https_url(&req.host, &req.path)));
    }
    Some(match req.path.as_str() {
        "/" => Canned::new(
            200,
            format!(
                "<!doctype html><html><head><title>Legacy TLS shop</title>\
                 <script src=\"http://{LEGACY_SITE}/app.js\"></script></head>\
                 <body><h1>Served with CBC suites only</h1></body></html>"
            ),
        )
        .header("content-type", "text/html; charset=utf-8"),
        "/.env" => Canned::new(200, "APP_ENV=production\nSESSION_DRIVER=cookie\n")
            .header("content-type", "text/plain"),
        _ => Canned::new(404, "not found").header("content-type", "text/plain"),
    })
}
