//! A 1024-bit RSA signing key for the sandbox's `weakkey` case.
//!
//! ring (our only crypto backend) refuses RSA keys below 2048 bits for signing and cannot
//! generate RSA keys at all, and rcgen can only generate RSA with aws-lc-rs. So the key is a
//! throw-away fixture (`fixtures/tls/weak-rsa1024.pem`, made once with `openssl genpkey`, it
//! protects nothing) and the TLS handshake signatures are computed here with plain big-integer
//! arithmetic: RSASSA-PSS and RSASSA-PKCS1-v1_5 with SHA-256 (RFC 8017 §8.1, §8.2, §9.1.1,
//! §9.2). This is sandbox code: it is neither constant-time nor meant for anything else.

use num_bigint::BigUint;
use rustls::SignatureScheme;
use rustls::sign::{Signer, SigningKey};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{PrivatePkcs8KeyDer, SubjectPublicKeyInfoDer};
use sha2::{Digest, Sha256};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The fixture: a PKCS#8 private key and its SubjectPublicKeyInfo, PEM.
const FIXTURE: &str = include_str!("../../../fixtures/tls/weak-rsa1024.pem");

/// An RSA private key (modulus and private exponent) that rustls can sign with.
#[derive(Clone)]
pub struct WeakRsaKey {
    n: BigUint,
    d: BigUint,
    /// RSAPublicKey DER (the SubjectPublicKeyInfo's bit string).
    public_der: Vec<u8>,
}

impl std::fmt::Debug for WeakRsaKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "WeakRsaKey({} bits)", self.n.bits())
    }
}

/// Reads one DER TLV: (tag, contents, rest).
fn tlv(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (first as usize, rest)
    } else {
        let n = (first & 0x7f) as usize;
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let len = rest[..n].iter().fold(0usize, |a, b| (a << 8) | *b as usize);
        (len, &rest[n..])
    };
    if rest.len() < len {
        return None;
    }
    Some((tag, &rest[..len], &rest[len..]))
}

impl WeakRsaKey {
    /// Loads the fixture key.
    pub fn fixture() -> Result<WeakRsaKey, BoxError> {
        let pkcs8 = PrivatePkcs8KeyDer::from_pem_slice(FIXTURE.as_bytes())?;
        let spki = SubjectPublicKeyInfoDer::from_pem_slice(FIXTURE.as_bytes())?;
        Self::from_der(pkcs8.secret_pkcs8_der(), spki.as_ref())
            .ok_or_else(|| "bad RSA fixture".into())
    }

    fn from_der(pkcs8: &[u8], spki: &[u8]) -> Option<WeakRsaKey> {
        // PrivateKeyInfo ::= SEQUENCE { version, AlgorithmIdentifier, OCTET STRING RSAPrivateKey }
        let (_, info, _) = tlv(pkcs8)?;
        let (_, _version, rest) = tlv(info)?;
        let (_, _alg, rest) = tlv(rest)?;
        let (_, pkcs1, _) = tlv(rest)?;
        // RSAPrivateKey ::= SEQUENCE { version, n, e, d, ... }
        let (_, body, _) = tlv(pkcs1)?;
        let (_, _v, rest) = tlv(body)?;
        let (_, n, rest) = tlv(rest)?;
        let (_, _e, rest) = tlv(rest)?;
        let (_, d, _) = tlv(rest)?;
        // SubjectPublicKeyInfo ::= SEQUENCE { AlgorithmIdentifier, BIT STRING }
        let (_, s, _) = tlv(spki)?;
        let (_, _alg, rest) = tlv(s)?;
        let (_, bits, _) = tlv(rest)?;
        let public_der = bits.get(1..)?.to_vec();
        Some(WeakRsaKey {
            n: BigUint::from_bytes_be(n),
            d: BigUint::from_bytes_be(d),
            public_der,
        })
    }

    /// The public half, for rcgen to put in a certificate.
    pub fn public(&self) -> WeakRsaPublic {
        WeakRsaPublic(self.public_der.clone())
    }

    fn k(&self) -> usize {
        (self.n.bits() as usize).div_ceil(8)
    }

    /// RSASP1 on an encoded message, left-padded to the modulus length.
    fn raw_sign(&self, em: &[u8]) -> Vec<u8> {
        let s = BigUint::from_bytes_be(em).modpow(&self.d, &self.n);
        let bytes = s.to_bytes_be();
        let mut out = vec![0u8; self.k().saturating_sub(bytes.len())];
        out.extend_from_slice(&bytes);
        out
    }

    /// RSASSA-PKCS1-v1_5 with SHA-256 (RFC 8017 §9.2).
    fn sign_pkcs1(&self, msg: &[u8]) -> Vec<u8> {
        const PREFIX: &[u8] = &[
            0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
            0x01, 0x05, 0x00, 0x04, 0x20,
        ];
        let k = self.k();
        let t_len = PREFIX.len() + 32;
        let mut em = vec![0x00, 0x01];
        em.resize(k.saturating_sub(t_len + 1), 0xff);
        em.push(0x00);
        em.extend_from_slice(PREFIX);
        em.extend_from_slice(&Sha256::digest(msg));
        self.raw_sign(&em)
    }

    /// RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt (RFC 8017 §9.1.1).
    fn sign_pss(&self, msg: &[u8], salt: &[u8; 32]) -> Vec<u8> {
        let em_bits = self.n.bits() as usize - 1;
        let em_len = em_bits.div_ceil(8);
        let m_hash = Sha256::digest(msg);
        let mut h = Sha256::new();
        h.update([0u8; 8]);
        h.update(m_hash);
        h.update(salt);
        let h = h.finalize();
        let db_len = em_len - 32 - 1;
        let mut db = vec![0u8; db_len - 32 - 1];
        db.push(0x01);
        db.extend_from_slice(salt);
        // MGF1(H, db_len)
        let mut mask = Vec::with_capacity(db_len + 32);
        let mut counter = 0u32;
        while mask.len() < db_len {
            let mut m = Sha256::new();
            m.update(h);
            m.update(counter.to_be_bytes());
            mask.extend_from_slice(&m.finalize());
            counter += 1;
        }
        for (b, m) in db.iter_mut().zip(mask) {
            *b ^= m;
        }
        db[0] &= 0xff >> (8 * em_len - em_bits);
        let mut em = db;
        em.extend_from_slice(&h);
        em.push(0xbc);
        self.raw_sign(&em)
    }
}

/// The public key of a [`WeakRsaKey`] as rcgen wants it.
pub struct WeakRsaPublic(Vec<u8>);

impl rcgen::PublicKeyData for WeakRsaPublic {
    fn der_bytes(&self) -> &[u8] {
        &self.0
    }

    fn algorithm(&self) -> &'static rcgen::SignatureAlgorithm {
        &rcgen::PKCS_RSA_SHA256
    }
}

impl SigningKey for WeakRsaKey {
    fn choose_scheme(&self, offered: &[SignatureScheme]) -> Option<Box<dyn Signer>> {
        [
            SignatureScheme::RSA_PSS_SHA256,
            SignatureScheme::RSA_PKCS1_SHA256,
        ]
        .into_iter()
        .find(|s| offered.contains(s))
        .map(|scheme| {
            Box::new(WeakRsaSigner {
                key: self.clone(),
                scheme,
            }) as Box<dyn Signer>
        })
    }

    fn algorithm(&self) -> rustls::SignatureAlgorithm {
        rustls::SignatureAlgorithm::RSA
    }
}

#[derive(Debug)]
struct WeakRsaSigner {
    key: WeakRsaKey,
    scheme: SignatureScheme,
}

impl Signer for WeakRsaSigner {
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, rustls::Error> {
        if self.scheme == SignatureScheme::RSA_PKCS1_SHA256 {
            return Ok(self.key.sign_pkcs1(message));
        }
        let mut salt = [0u8; 32];
        rustls::crypto::ring::default_provider()
            .secure_random
            .fill(&mut salt)
            .map_err(|_| rustls::Error::FailedToGetRandomBytes)?;
        Ok(self.key.sign_pss(message, &salt))
    }

    fn scheme(&self) -> SignatureScheme {
        self.scheme
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use num_bigint::BigUint;

    fn e_of(key: &WeakRsaKey) -> BigUint {
        // RSAPublicKey ::= SEQUENCE { n, e }
        let (_, body, _) = tlv(&key.public_der).unwrap();
        let (_, _n, rest) = tlv(body).unwrap();
        let (_, e, _) = tlv(rest).unwrap();
        BigUint::from_bytes_be(e)
    }

    #[test]
    fn fixture_is_a_1024_bit_key_whose_signatures_verify() {
        let key = WeakRsaKey::fixture().unwrap();
        assert_eq!(key.n.bits(), 1024);
        let e = e_of(&key);
        // PKCS#1 v1.5: s^e mod n gives back the encoded message, which ends with the hash.
        let sig = key.sign_pkcs1(b"hello");
        assert_eq!(sig.len(), 128);
        let em = BigUint::from_bytes_be(&sig)
            .modpow(&e, &key.n)
            .to_bytes_be();
        assert_eq!(&em[em.len() - 32..], Sha256::digest(b"hello").as_slice());
        assert_eq!(
            em[0], 0x01,
            "leading 0x00 dropped by to_bytes_be, then 0x01"
        );
        // PSS: the recovered message ends in 0xbc and its top bit is clear.
        let sig = key.sign_pss(b"hello", &[7; 32]);
        let em = BigUint::from_bytes_be(&sig)
            .modpow(&e, &key.n)
            .to_bytes_be();
        assert_eq!(em.last(), Some(&0xbc));
        assert!(em.len() <= 128);
    }

    #[test]
    fn tlv_rejects_truncated_input() {
        assert!(tlv(&[0x30, 0x05, 0x01]).is_none());
        assert!(tlv(&[0x30]).is_none());
        assert_eq!(
            tlv(&[0x02, 0x01, 0x05, 0xff]),
            Some((0x02, &[5u8][..], &[0xffu8][..]))
        );
    }
}
