//! DMARC (RFC 7489): the record parser (pure, over one TXT string) and the organisational
//! domain rule used for policy discovery (§3.2, §6.6.3).
//!
//! Organisational domain: the public suffix (from the `psl` crate's copy of the Public Suffix
//! List) plus one label. A name under a TLD the list does not know (such as `.test`, used by the
//! sandbox) falls under the list's own default rule `*` (publicsuffix.org "If no rules match,
//! the prevailing rule is `*`"), so its TLD counts as the public suffix and
//! `mail.acme.test` has the organisational domain `acme.test`.

/// A requested policy (`p=` / `sp=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    /// Monitor only.
    None,
    /// Treat failing mail as suspicious.
    Quarantine,
    /// Reject failing mail.
    Reject,
}

impl Policy {
    fn parse(v: &str) -> Option<Policy> {
        match v.to_ascii_lowercase().as_str() {
            "none" => Some(Policy::None),
            "quarantine" => Some(Policy::Quarantine),
            "reject" => Some(Policy::Reject),
            _ => None,
        }
    }

    /// The tag value as written in records.
    pub fn as_str(self) -> &'static str {
        match self {
            Policy::None => "none",
            Policy::Quarantine => "quarantine",
            Policy::Reject => "reject",
        }
    }
}

/// A parsed DMARC record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DmarcRecord {
    /// `p=`.
    pub p: Policy,
    /// `sp=` (subdomain policy), when given.
    pub sp: Option<Policy>,
    /// `pct=` (0-100, default 100).
    pub pct: u8,
    /// `rua=` URIs.
    pub rua: Vec<String>,
    /// `ruf=` URIs.
    pub ruf: Vec<String>,
    /// `adkim=` strict?
    pub adkim_strict: bool,
    /// `aspf=` strict?
    pub aspf_strict: bool,
}

/// Whether a TXT string is a DMARC record: it starts with `v=DMARC1` as its first tag (§6.6.3:
/// "Records that do not start with a "v=" tag that identifies the current version of DMARC are
/// discarded").
pub fn is_dmarc(txt: &str) -> bool {
    let t = txt.trim_start_matches([' ', '\t']);
    let Some((k, rest)) = t.split_once('=') else {
        return false;
    };
    if !k.trim_end().eq_ignore_ascii_case("v") {
        return false;
    }
    let v = rest.split(';').next().unwrap_or("").trim();
    v == "DMARC1"
}

/// Parses one DMARC record (RFC 7489 §6.3, §6.4). Errors name the bad tag.
pub fn parse(record: &str) -> Result<DmarcRecord, String> {
    let mut tags: Vec<(String, String)> = Vec::new();
    for (i, part) in record.split(';').enumerate() {
        let part = part.trim_matches([' ', '\t']);
        if part.is_empty() {
            // dmarc-sep allows a trailing `;` and empty trailing parts.
            continue;
        }
        let (k, v) = part
            .split_once('=')
            .ok_or_else(|| format!("`{}` is not a `tag=value` pair (RFC 7489 §6.4)", clip(part)))?;
        let k = k.trim_matches([' ', '\t']).to_ascii_lowercase();
        let v = v.trim_matches([' ', '\t']).to_string();
        if i == 0 && k != "v" {
            return Err("the first tag must be `v=DMARC1` (RFC 7489 §6.4)".into());
        }
        if tags.iter().any(|(t, _)| *t == k) {
            return Err(format!("tag `{k}` appears twice"));
        }
        tags.push((k, v));
    }
    let get = |k: &str| tags.iter().find(|(t, _)| t == k).map(|(_, v)| v.as_str());
    match get("v") {
        Some("DMARC1") => {}
        Some(other) => {
            return Err(format!(
                "`v={}` must be exactly `v=DMARC1` (RFC 7489 §6.4)",
                clip(other)
            ));
        }
        None => return Err("the first tag must be `v=DMARC1` (RFC 7489 §6.4)".into()),
    }
    let p = match get("p") {
        None => {
            return Err("the required `p=` tag is missing (RFC 7489 §6.3)".into());
        }
        Some(v) => Policy::parse(v).ok_or_else(|| {
            format!(
                "`p={}` must be none, quarantine or reject (RFC 7489 §6.3)",
                clip(v)
            )
        })?,
    };
    // §6.4 ABNF: dmarc-request is the second tag when present (`v=DMARC1; p=...`). Receivers
    // accept p elsewhere; checkdmarc does too. We only require it to exist.
    let sp = match get("sp") {
        None => None,
        Some(v) => Some(Policy::parse(v).ok_or_else(|| {
            format!(
                "`sp={}` must be none, quarantine or reject (RFC 7489 §6.3)",
                clip(v)
            )
        })?),
    };
    let pct = match get("pct") {
        None => 100,
        Some(v) => v
            .parse::<u8>()
            .ok()
            .filter(|n| *n <= 100 && !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
            .ok_or_else(|| format!("`pct={}` must be an integer 0-100 (RFC 7489 §6.3)", clip(v)))?,
    };
    let strict = |k: &str| -> Result<bool, String> {
        match get(k) {
            None => Ok(false),
            Some(v) if v.eq_ignore_ascii_case("r") => Ok(false),
            Some(v) if v.eq_ignore_ascii_case("s") => Ok(true),
            Some(v) => Err(format!("`{k}={}` must be r or s (RFC 7489 §6.3)", clip(v))),
        }
    };
    let adkim_strict = strict("adkim")?;
    let aspf_strict = strict("aspf")?;
    if let Some(v) = get("fo")
        && (v.is_empty()
            || !v
                .split(':')
                .all(|o| matches!(o.trim(), "0" | "1" | "d" | "s")))
    {
        return Err(format!(
            "`fo={}` must be a colon list of 0, 1, d, s (RFC 7489 §6.3)",
            clip(v)
        ));
    }
    if let Some(v) = get("rf")
        && !v.split(':').all(|f| f.trim().eq_ignore_ascii_case("afrf"))
    {
        return Err(format!("`rf={}` must be `afrf` (RFC 7489 §6.3)", clip(v)));
    }
    if let Some(v) = get("ri")
        && v.parse::<u32>().is_err()
    {
        return Err(format!(
            "`ri={}` must be a number of seconds (RFC 7489 §6.3)",
            clip(v)
        ));
    }
    let uris = |k: &str| -> Result<Vec<String>, String> {
        let Some(v) = get(k) else {
            return Ok(Vec::new());
        };
        v.split(',')
            .map(|u| {
                let u = u.trim_matches([' ', '\t']);
                check_uri(u).map_err(|e| format!("`{k}`: `{}` {e}", clip(u)))?;
                Ok(u.to_string())
            })
            .collect()
    };
    let rua = uris("rua")?;
    let ruf = uris("ruf")?;
    Ok(DmarcRecord {
        p,
        sp,
        pct,
        rua,
        ruf,
        adkim_strict,
        aspf_strict,
    })
}

/// A DMARC-URI: `URI [ "!" 1*DIGIT [ "k" / "m" / "g" / "t" ] ]` (§6.4); mailto addresses
/// must be addresses.
fn check_uri(u: &str) -> Result<(), String> {
    let (uri, size) = match u.rsplit_once('!') {
        Some((a, s)) => (a, Some(s)),
        None => (u, None),
    };
    if let Some(s) = size {
        let digits = s.trim_end_matches(['k', 'm', 'g', 't', 'K', 'M', 'G', 'T']);
        if digits.is_empty()
            || !digits.bytes().all(|b| b.is_ascii_digit())
            || s.len() - digits.len() > 1
        {
            return Err("has an invalid size limit after `!` (RFC 7489 §6.4)".into());
        }
    }
    let Some((scheme, rest)) = uri.split_once(':') else {
        return Err("is not a URI; write `mailto:address` (RFC 7489 §6.4)".into());
    };
    let mut sc = scheme.chars();
    if !matches!(sc.next(), Some(c) if c.is_ascii_alphabetic())
        || !sc.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    {
        return Err("is not a URI; write `mailto:address` (RFC 7489 §6.4)".into());
    }
    if scheme.eq_ignore_ascii_case("mailto") {
        let addr = rest.split('?').next().unwrap_or("");
        match addr.split_once('@') {
            Some((l, d)) if !l.is_empty() && d.contains('.') && !d.contains('@') => {}
            _ => return Err("is not a valid mailto address".into()),
        }
    }
    Ok(())
}

/// The organisational domain of `domain` (RFC 7489 §3.2), or `None` for a bare public suffix.
pub fn org_domain(domain: &str) -> Option<String> {
    let d = domain.trim_end_matches('.').to_ascii_lowercase();
    psl::domain_str(&d).map(str::to_string)
}

fn clip(s: &str) -> String {
    super::spf::clip(s, 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_examples_parse() {
        // RFC 7489 §B.2 examples.
        let r = parse("v=DMARC1; p=none; rua=mailto:dmarc-feedback@example.com").unwrap();
        assert_eq!(r.p, Policy::None);
        assert_eq!(r.rua, vec!["mailto:dmarc-feedback@example.com".to_string()]);
        let r = parse(
            "v=DMARC1; p=none; rua=mailto:dmarc-feedback@example.com; ruf=mailto:auth-reports@thirdparty.example.net",
        )
        .unwrap();
        assert_eq!(r.ruf.len(), 1);
        let r = parse("v=DMARC1; p=quarantine; rua=mailto:dmarc-feedback@example.com,mailto:tld-test@thirdparty.example.net!10m; pct=25").unwrap();
        assert_eq!((r.p, r.pct, r.rua.len()), (Policy::Quarantine, 25, 2));
        let r = parse("v=DMARC1; p=reject; sp=none; adkim=s; aspf=r; fo=0:d; rf=afrf; ri=86400;")
            .unwrap();
        assert_eq!(r.sp, Some(Policy::None));
        assert!(r.adkim_strict && !r.aspf_strict);
        assert!(parse("v=DMARC1;p=reject").is_ok());
        assert!(
            parse("v=DMARC1; p=reject; foo=bar").is_ok(),
            "unknown tags ignored"
        );
    }

    #[test]
    fn bad_records_are_explained() {
        for (r, want) in [
            ("v=DMARC1; p=maybe", "p=maybe"),
            ("v=DMARC1; rua=mailto:a@b.example", "`p=` tag is missing"),
            ("p=reject; v=DMARC1", "first tag"),
            ("v=DMARC2; p=reject", "v=DMARC2"),
            ("v=DMARC1; p=reject; pct=150", "pct=150"),
            ("v=DMARC1; p=reject; rua=dmarc@example.com", "not a URI"),
            ("v=DMARC1; p=reject; rua=mailto:nobody", "mailto"),
            ("v=DMARC1; p=reject; adkim=x", "adkim=x"),
            ("v=DMARC1; p=reject; p=none", "twice"),
            ("v=DMARC1; p reject", "tag=value"),
            (
                "v=DMARC1; p=reject; rua=mailto:a@b.example!10x",
                "size limit",
            ),
        ] {
            let e = parse(r).expect_err(r);
            assert!(e.contains(want), "{r}: {e}");
        }
    }

    #[test]
    fn record_selection() {
        assert!(is_dmarc("v=DMARC1; p=none"));
        assert!(is_dmarc("v = DMARC1;p=none"));
        assert!(!is_dmarc("p=none; v=DMARC1"));
        assert!(!is_dmarc("v=spf1 -all"));
        assert!(!is_dmarc("v=DMARC10; p=none"));
    }

    #[test]
    fn organisational_domain() {
        assert_eq!(
            org_domain("mail.example.com").as_deref(),
            Some("example.com")
        );
        assert_eq!(
            org_domain("a.b.example.co.uk").as_deref(),
            Some("example.co.uk")
        );
        assert_eq!(org_domain("example.com").as_deref(), Some("example.com"));
        // Unknown TLDs fall under the list's default `*` rule.
        assert_eq!(
            org_domain("notify.acme-broken.test").as_deref(),
            Some("acme-broken.test")
        );
        assert_eq!(org_domain("com"), None);
    }

    proptest::proptest! {
        #[test]
        fn parse_never_panics(s in "\\PC{0,300}") {
            let _ = parse(&s);
            let _ = parse(&format!("v=DMARC1; {s}"));
            let _ = is_dmarc(&s);
            let _ = org_domain(&s);
        }
    }
}
