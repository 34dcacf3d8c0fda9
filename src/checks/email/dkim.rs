//! DKIM (RFC 6376): the key-record parser (pure, over the joined TXT strings), the decoding
//! of `p=` to a key type and size, and the list of common selectors probed when none is
//! configured.

use base64::Engine as _;

/// Selectors probed when `[email] dkim_selectors` is empty: the defaults of the big providers
/// (Google Workspace, Microsoft 365, Mailchimp/Mandrill, SendGrid, Mailgun, Amazon SES
/// custom, Zoho, Postmark, Fastmail, Proton...) and common hand-made names.
pub const COMMON_SELECTORS: &[&str] = &[
    "google",
    "selector1",
    "selector2",
    "k1",
    "k2",
    "default",
    "s1",
    "s2",
    "dkim",
    "mail",
    "smtp",
    "mandrill",
    "mailjet",
    "zoho",
    "pm",
    "fm1",
    "protonmail",
    "everlytickey1",
    "mxvault",
    "key1",
];

/// The public key a record publishes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Key {
    /// An empty `p=`: the key was revoked (RFC 6376 §3.6.1).
    Revoked,
    /// RSA with this modulus size in bits.
    Rsa(usize),
    /// Ed25519 (RFC 8463), always 256 bits.
    Ed25519,
}

/// A parsed DKIM key record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DkimRecord {
    /// `k=` (default `rsa`).
    pub k: String,
    /// The decoded key.
    pub key: Key,
    /// `t=y`: the domain is testing DKIM.
    pub testing: bool,
}

/// Parses an RFC 6376 §3.2 tag-list into (name, value) pairs, values with whitespace folded
/// out at the edges. Duplicate names make the whole list invalid.
pub fn tag_list(s: &str) -> Result<Vec<(String, String)>, String> {
    let mut out: Vec<(String, String)> = Vec::new();
    let parts: Vec<&str> = s.split(';').collect();
    for (i, part) in parts.iter().enumerate() {
        let p = part.trim_matches(|c: char| c == ' ' || c == '\t' || c == '\r' || c == '\n');
        if p.is_empty() {
            if i + 1 == parts.len() {
                break; // trailing ";" is allowed
            }
            return Err("empty tag between `;;` (RFC 6376 §3.2)".into());
        }
        let (name, value) = p
            .split_once('=')
            .ok_or_else(|| format!("`{}` is not `tag=value` (RFC 6376 §3.2)", clip(p)))?;
        let name = name.trim_matches(|c: char| c.is_ascii_whitespace());
        let mut nc = name.chars();
        if !matches!(nc.next(), Some(c) if c.is_ascii_alphabetic())
            || !nc.all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            return Err(format!(
                "`{}` is not a valid tag name (RFC 6376 §3.2)",
                clip(name)
            ));
        }
        let value = value.trim_matches(|c: char| c.is_ascii_whitespace());
        // tval = 1*VALCHAR, VALCHAR = %x21-3A / %x3C-7E, separated by whitespace.
        if let Some(c) = value
            .chars()
            .find(|c| !(matches!(*c as u32, 0x21..=0x3a | 0x3c..=0x7e) || c.is_ascii_whitespace()))
        {
            return Err(format!(
                "tag `{name}` has an invalid character {c:?} (RFC 6376 §3.2)"
            ));
        }
        if out.iter().any(|(n, _)| n == name) {
            return Err(format!("tag `{name}` appears twice (RFC 6376 §3.2)"));
        }
        out.push((name.to_string(), value.to_string()));
    }
    Ok(out)
}

/// Parses a DKIM key record (RFC 6376 §3.6.1) and decodes its key.
pub fn parse(record: &str) -> Result<DkimRecord, String> {
    let tags = tag_list(record)?;
    let get = |k: &str| tags.iter().find(|(t, _)| t == k).map(|(_, v)| v.as_str());
    if let Some(v) = get("v") {
        if tags.first().map(|(n, _)| n.as_str()) != Some("v") {
            return Err("`v=` must be the first tag (RFC 6376 §3.6.1)".into());
        }
        if v != "DKIM1" {
            return Err(format!("`v={}` must be `DKIM1` (RFC 6376 §3.6.1)", clip(v)));
        }
    }
    let k = get("k").unwrap_or("rsa").to_ascii_lowercase();
    if k != "rsa" && k != "ed25519" {
        return Err(format!(
            "unknown key type `k={k}` (RFC 6376 §3.6.1, RFC 8463: rsa or ed25519)"
        ));
    }
    if let Some(h) = get("h")
        && h.split(':').map(str::trim).any(|a| a.is_empty())
    {
        return Err(format!("`h={}` is not a colon list of hash names", clip(h)));
    }
    if let Some(s) = get("s")
        && !s
            .split(':')
            .map(str::trim)
            .any(|t| t == "*" || t == "email")
    {
        return Err(format!(
            "`s={}` does not include `email` or `*`: the key may not be used for mail (RFC 6376 §3.6.1)",
            clip(s)
        ));
    }
    let testing = get("t")
        .map(|t| t.split(':').any(|f| f.trim() == "y"))
        .unwrap_or(false);
    let p = get("p").ok_or("the required `p=` tag is missing (RFC 6376 §3.6.1)")?;
    let b64: String = p.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    if b64.is_empty() {
        return Ok(DkimRecord {
            k,
            key: Key::Revoked,
            testing,
        });
    }
    let der = base64::engine::general_purpose::STANDARD
        .decode(b64.as_bytes())
        .map_err(|e| format!("`p=` is not valid base64 ({e}); was the key truncated or split?"))?;
    let key = if k == "ed25519" {
        // RFC 8463 §4.2: the raw 32-byte public key, not a SubjectPublicKeyInfo.
        if der.len() != 32 {
            return Err(format!(
                "`p=` holds {} bytes; an ed25519 key is 32 (RFC 8463 §4.2)",
                der.len()
            ));
        }
        Key::Ed25519
    } else {
        Key::Rsa(rsa_bits(&der)?)
    };
    Ok(DkimRecord { k, key, testing })
}

/// The modulus size of an RSA key given as SubjectPublicKeyInfo DER (RFC 6376 §3.6.1: "an
/// RSA public key, as specified in [RFC3447]... encoded as SubjectPublicKeyInfo").
fn rsa_bits(der: &[u8]) -> Result<usize, String> {
    use x509_parser::prelude::FromDer;
    use x509_parser::public_key::PublicKey;
    use x509_parser::x509::SubjectPublicKeyInfo;
    let (_, spki) = SubjectPublicKeyInfo::from_der(der).map_err(|_| {
        "`p=` does not decode as a SubjectPublicKeyInfo (RFC 6376 §3.6.1)".to_string()
    })?;
    match spki.parsed() {
        Ok(PublicKey::RSA(r)) => Ok(r.key_size()),
        Ok(_) => Err("`p=` holds a non-RSA key but `k=` says rsa".into()),
        Err(_) => Err("`p=` holds an RSA key that does not parse".into()),
    }
}

/// A short description of a key for evidence.
pub fn describe(key: &Key) -> String {
    match key {
        Key::Revoked => "revoked (empty p=)".into(),
        Key::Rsa(b) => format!("RSA {b}-bit"),
        Key::Ed25519 => "Ed25519".into(),
    }
}

fn clip(s: &str) -> String {
    super::spf::clip(s, 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 1024-bit RSA SubjectPublicKeyInfo (the sandbox's weak key).
    const RSA1024: &str = crate::sandbox::email::DKIM_RSA1024;
    const RSA2048: &str = crate::sandbox::email::DKIM_RSA2048;

    #[test]
    fn rfc_example_tag_lists() {
        // RFC 6376 §3.2: "v=1; a=rsa-sha256" style lists with folding whitespace.
        let t = tag_list("v=DKIM1; k=rsa;\r\n\t p=ABCD ; n=notes here;").unwrap();
        assert_eq!(t.len(), 4);
        assert_eq!(t[2], ("p".into(), "ABCD".into()));
        assert_eq!(t[3].1, "notes here");
        assert!(tag_list("a=1; a=2").unwrap_err().contains("twice"));
        assert!(tag_list("a=1;;b=2").is_err());
        assert!(tag_list("1a=1").is_err());
    }

    #[test]
    fn keys_decode_to_type_and_size() {
        let r = parse(&format!("v=DKIM1; k=rsa; p={RSA1024}")).unwrap();
        assert_eq!(r.key, Key::Rsa(1024));
        // Whitespace inside p= (folded records) is allowed.
        let (a, b) = RSA2048.split_at(100);
        let r = parse(&format!("v=DKIM1; p={a} \t {b}")).unwrap();
        assert_eq!(r.key, Key::Rsa(2048));
        let r =
            parse("v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=").unwrap();
        assert_eq!(r.key, Key::Ed25519);
        assert_eq!(parse("v=DKIM1; p=").unwrap().key, Key::Revoked);
        assert_eq!(parse("p=").unwrap().key, Key::Revoked);
    }

    #[test]
    fn bad_records_are_explained() {
        for (r, want) in [
            ("v=DKIM1; k=rsa", "`p=` tag is missing"),
            ("v=DKIM1; p=not*base64", "base64"),
            ("v=DKIM1; p=abc\u{7f}", "invalid character"),
            ("v=DKIM1; p=!!!!", "base64"),
            ("v=DKIM1; p=QUJDREVGRw==", "SubjectPublicKeyInfo"),
            ("k=rsa; v=DKIM1; p=", "first tag"),
            ("v=DKIM2; p=", "DKIM1"),
            ("v=DKIM1; k=dsa; p=", "unknown key type"),
            ("v=DKIM1; k=ed25519; p=QUJD", "32"),
            ("v=DKIM1; s=web; p=", "email"),
            ("v=DKIM1; p", "tag=value"),
        ] {
            let e = parse(r).expect_err(r);
            assert!(e.contains(want), "{r}: {e}");
        }
        // A truncated key (the classic 255-byte split gone wrong).
        assert!(parse(&format!("v=DKIM1; p={}", &RSA2048[..255])).is_err());
    }

    proptest::proptest! {
        #[test]
        fn parse_never_panics(s in "\\PC{0,400}") {
            let _ = parse(&s);
            let _ = parse(&format!("v=DKIM1; p={s}"));
        }

        #[test]
        fn arbitrary_bytes_as_key_never_panic(bytes in proptest::collection::vec(0u8..=255, 0..600)) {
            let b64 = base64::engine::general_purpose::STANDARD.encode(&bytes);
            let _ = parse(&format!("v=DKIM1; p={b64}"));
        }
    }
}
