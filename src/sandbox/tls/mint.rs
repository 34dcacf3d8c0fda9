//! Certificates that rcgen cannot make, made with OpenSSL: SHA-1 signatures, RSA keys of any
//! size, chosen issuer names and an AIA caIssuers extension. Sandbox code only.

use openssl::asn1::{Asn1Integer, Asn1Time};
use openssl::bn::BigNum;
use openssl::hash::MessageDigest;
use openssl::pkey::{PKey, Private};
use openssl::x509::extension::{BasicConstraints, SubjectAlternativeName};
use openssl::x509::{X509, X509NameBuilder};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// What to put in a certificate.
pub struct Spec<'a> {
    /// Subject CN.
    pub cn: &'a str,
    /// Subject O, if any.
    pub org: Option<&'a str>,
    /// DNS names (SANs).
    pub names: &'a [String],
    /// A CA certificate (basicConstraints cA).
    pub ca: bool,
    /// Validity, Unix seconds.
    pub not_before: i64,
    /// Validity, Unix seconds.
    pub not_after: i64,
    /// Signature digest.
    pub digest: MessageDigest,
    /// AIA caIssuers URL.
    pub aia: Option<&'a str>,
}

impl<'a> Spec<'a> {
    /// A leaf for the one name `name`, SHA-256, no AIA.
    pub fn leaf(name: &'a String, not_before: i64, not_after: i64) -> Spec<'a> {
        Spec {
            cn: name,
            org: None,
            names: std::slice::from_ref(name),
            ca: false,
            not_before,
            not_after,
            digest: MessageDigest::sha256(),
            aia: None,
        }
    }
}

/// Now, in Unix seconds.
pub fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// Mints a certificate for `key`'s public half, signed by `issuer` (or self-signed).
pub fn mint(
    spec: &Spec<'_>,
    key: &PKey<Private>,
    issuer: Option<(&X509, &PKey<Private>)>,
) -> Result<X509, BoxError> {
    let mut name = X509NameBuilder::new()?;
    if let Some(o) = spec.org {
        name.append_entry_by_text("O", o)?;
    }
    name.append_entry_by_text("CN", spec.cn)?;
    let name = name.build();
    let mut b = X509::builder()?;
    b.set_version(2)?;
    let mut serial = BigNum::new()?;
    serial.rand(120, openssl::bn::MsbOption::MAYBE_ZERO, false)?;
    b.set_serial_number(Asn1Integer::from_bn(&serial)?.as_ref())?;
    b.set_subject_name(&name)?;
    match issuer {
        Some((c, _)) => b.set_issuer_name(c.subject_name())?,
        None => b.set_issuer_name(&name)?,
    }
    b.set_pubkey(key)?;
    b.set_not_before(Asn1Time::from_unix(spec.not_before)?.as_ref())?;
    b.set_not_after(Asn1Time::from_unix(spec.not_after)?.as_ref())?;
    if spec.ca {
        b.append_extension(BasicConstraints::new().critical().ca().build()?)?;
    } else {
        b.append_extension(BasicConstraints::new().build()?)?;
    }
    if !spec.names.is_empty() {
        let mut san = SubjectAlternativeName::new();
        for n in spec.names {
            san.dns(n);
        }
        let ext = san.build(&b.x509v3_context(issuer.map(|(c, _)| c.as_ref()), None))?;
        b.append_extension(ext)?;
    }
    if let Some(url) = spec.aia {
        #[allow(deprecated)] // the conf-string constructor is the only AIA builder
        let ext = openssl::x509::X509Extension::new_nid(
            None,
            Some(&b.x509v3_context(issuer.map(|(c, _)| c.as_ref()), None)),
            openssl::nid::Nid::INFO_ACCESS,
            &format!("caIssuers;URI:{url}"),
        )?;
        b.append_extension(ext)?;
    }
    let signer = issuer.map(|(_, k)| k).unwrap_or(key);
    b.sign(signer, spec.digest)?;
    Ok(b.build())
}
