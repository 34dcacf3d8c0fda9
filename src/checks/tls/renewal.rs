//! Will the certificate renew by itself, and may its CA renew it? Names the issuing CA from
//! the leaf's issuer, knows which CAs issue through ACME (renewed by a client on a timer) and
//! which domains each CA recognises in CAA `issue` properties (RFC 8659 §4), and finds the
//! relevant CAA record set by climbing from the host to its parents (RFC 8659 §3).
//!
//! Owns the CA table and the CAA judgement; `mod.rs` decides what becomes a finding.

use crate::net::{DnsOutcome, Net};
use hickory_resolver::proto::rr::{RData, RecordType};

/// One certificate authority as renewal and CAA see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ca {
    /// Its usual name.
    pub name: &'static str,
    /// Domains it accepts in CAA `issue`/`issuewild` values (the first is its documented one).
    pub caa: &'static [&'static str],
    /// Certificates come from an ACME client or are renewed by the platform (Amazon ACM), so
    /// nobody has to remember the date.
    pub automated: bool,
}

/// Issuer O/CN fragments (lowercase) -> CA. ZeroSSL is matched before Sectigo (its
/// intermediates are Sectigo-operated but its users set up ACME).
const CAS: &[(&[&str], Ca)] = &[
    (
        &["let's encrypt"],
        Ca {
            name: "Let's Encrypt",
            caa: &["letsencrypt.org"],
            automated: true,
        },
    ),
    (
        &["google trust services"],
        Ca {
            name: "Google Trust Services",
            caa: &["pki.goog"],
            automated: true,
        },
    ),
    (
        &["zerossl"],
        Ca {
            name: "ZeroSSL",
            caa: &["sectigo.com", "zerossl.com"],
            automated: true,
        },
    ),
    (
        &["buypass"],
        Ca {
            name: "Buypass",
            caa: &["buypass.com", "buypass.no"],
            automated: true,
        },
    ),
    (
        &["amazon"],
        Ca {
            name: "Amazon",
            caa: &[
                "amazon.com",
                "amazontrust.com",
                "awstrust.com",
                "amazonaws.com",
            ],
            automated: true,
        },
    ),
    (
        &["sectigo", "comodo", "usertrust"],
        Ca {
            name: "Sectigo",
            caa: &["sectigo.com", "comodoca.com", "comodo.com", "usertrust.com"],
            automated: false,
        },
    ),
    (
        &["digicert", "geotrust", "rapidssl", "thawte"],
        Ca {
            name: "DigiCert",
            caa: &[
                "digicert.com",
                "www.digicert.com",
                "geotrust.com",
                "rapidssl.com",
                "thawte.com",
                "digitalcertvalidation.com",
            ],
            automated: false,
        },
    ),
    (
        &["globalsign"],
        Ca {
            name: "GlobalSign",
            caa: &["globalsign.com"],
            automated: false,
        },
    ),
    (
        &["entrust"],
        Ca {
            name: "Entrust",
            caa: &["entrust.net", "affirmtrust.com"],
            automated: false,
        },
    ),
    (
        &["ssl.com", "ssl corporation"],
        Ca {
            name: "SSL.com",
            caa: &["ssl.com"],
            automated: false,
        },
    ),
];

/// The CA behind an issuer, from the issuer's O and CN values.
pub fn ca_of(issuer_names: &[String]) -> Option<&'static Ca> {
    let lower: Vec<String> = issuer_names.iter().map(|n| n.to_lowercase()).collect();
    CAS.iter()
        .find(|(keys, _)| keys.iter().any(|k| lower.iter().any(|n| n.contains(k))))
        .map(|(_, ca)| ca)
}

/// Lifetimes above this many days are not an ACME client's (90 days, or less).
pub const MANUAL_LIFETIME_DAYS: i64 = 100;

/// One CAA property (flags ignored: RFC 8659 §4.1 critical flag only matters for unknown tags).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Property {
    /// Tag, lowercase (`issue`, `issuewild`, `iodef`, ...).
    pub tag: String,
    /// Value as published.
    pub value: String,
}

impl Property {
    /// The issuer domain of an `issue`/`issuewild` value: the part before any `;` parameters,
    /// lowercase; empty means "no CA" (RFC 8659 §4.2).
    pub fn issuer_domain(&self) -> String {
        self.value
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .trim_end_matches('.')
            .to_ascii_lowercase()
    }
}

/// The relevant CAA set for a name: the first non-empty set climbing from the name towards the
/// root (RFC 8659 §3), and where it was found. `Ok(None)`: no CAA anywhere (any CA may issue).
/// `Err`: a lookup failed, so nothing can be said.
pub async fn relevant_set(
    net: &Net,
    host: &str,
) -> Result<Option<(String, Vec<Property>)>, String> {
    let mut name = host.trim_end_matches('.').to_ascii_lowercase();
    loop {
        let o = net.lookup(&name, RecordType::CAA).await;
        let props: Vec<Property> = match &o {
            DnsOutcome::Records(rs) => rs
                .iter()
                .filter_map(|r| match &r.data {
                    RData::CAA(c) => Some(Property {
                        tag: c.tag.to_ascii_lowercase(),
                        value: String::from_utf8_lossy(&c.value).to_string(),
                    }),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        if !props.is_empty() {
            return Ok(Some((name, props)));
        }
        if o.is_failure() {
            return Err(format!("CAA lookup at {name}: {}", o.describe()));
        }
        match name.split_once('.') {
            Some((_, parent)) if !parent.is_empty() => name = parent.to_string(),
            _ => return Ok(None),
        }
    }
}

/// Whether `ca` may issue under the relevant set (RFC 8659 §4.2, §4.3): for a wildcard name the
/// `issuewild` properties when there are any, else `issue`; no property of that kind means any
/// CA may issue. Returns the properties that were judged when `ca` is not among them.
pub fn blocks(props: &[Property], ca: &Ca, wildcard: bool) -> Option<Vec<Property>> {
    let of = |tag: &str| -> Vec<Property> {
        props
            .iter()
            .filter(|p| p.tag == tag)
            .cloned()
            .collect::<Vec<_>>()
    };
    let mut judged = if wildcard {
        of("issuewild")
    } else {
        Vec::new()
    };
    if judged.is_empty() {
        judged = of("issue");
    }
    if judged.is_empty() {
        return None;
    }
    let allowed = judged
        .iter()
        .any(|p| ca.caa.contains(&p.issuer_domain().as_str()));
    (!allowed).then_some(judged)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(tag: &str, value: &str) -> Property {
        Property {
            tag: tag.into(),
            value: value.into(),
        }
    }

    #[test]
    fn names_the_ca_from_the_issuer() {
        let n = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            ca_of(&n(&["Let's Encrypt", "R11"])).unwrap().name,
            "Let's Encrypt"
        );
        assert_eq!(
            ca_of(&n(&["Google Trust Services", "WR1"])).unwrap().caa[0],
            "pki.goog"
        );
        assert_eq!(
            ca_of(&n(&["ZeroSSL", "ZeroSSL RSA Domain Secure Site CA"]))
                .unwrap()
                .name,
            "ZeroSSL"
        );
        assert_eq!(
            ca_of(&n(&[
                "Sectigo Limited",
                "Sectigo RSA Domain Validation Secure Server CA"
            ]))
            .unwrap()
            .name,
            "Sectigo"
        );
        assert_eq!(
            ca_of(&n(&["DigiCert Inc", "RapidSSL TLS RSA CA G1"]))
                .unwrap()
                .name,
            "DigiCert"
        );
        assert_eq!(
            ca_of(&n(&["Amazon", "Amazon RSA 2048 M02"])).unwrap().caa[0],
            "amazon.com"
        );
        assert!(ca_of(&n(&["launchready sandbox CA"])).is_none());
    }

    #[test]
    fn caa_judgement_follows_rfc8659() {
        let le = ca_of(&["Let's Encrypt".to_string()]).unwrap();
        let sectigo = ca_of(&["Sectigo Limited".to_string()]).unwrap();
        let set = vec![
            p("issue", "letsencrypt.org; validationmethods=dns-01"),
            p("iodef", "mailto:x@y"),
        ];
        assert!(blocks(&set, le, false).is_none());
        assert_eq!(blocks(&set, sectigo, false).unwrap().len(), 1);
        // Only iodef: any CA may issue.
        assert!(blocks(&[p("iodef", "mailto:x@y")], sectigo, false).is_none());
        // `issue ";"` forbids every CA.
        assert!(blocks(&[p("issue", ";")], le, false).is_some());
        // Wildcards: issuewild wins when present, else issue applies.
        let wild = vec![p("issue", "sectigo.com"), p("issuewild", "letsencrypt.org")];
        assert!(blocks(&wild, sectigo, true).is_some());
        assert!(blocks(&wild, sectigo, false).is_none());
        assert!(blocks(&[p("issue", "sectigo.com")], sectigo, true).is_none());
        // Case and a trailing dot do not matter.
        assert!(blocks(&[p("issue", "LetsEncrypt.org.")], le, false).is_none());
    }
}
