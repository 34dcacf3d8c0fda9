//! Test-mode (sandbox) payment keys: values that make checkout run against a provider's test
//! environment. Shared by the `env` check (a production variable holding a test key) and the
//! `http` check (a test publishable key shipped in the public JavaScript).
//!
//! Every pattern is a documented key format with a fixed test/sandbox prefix, so a match is the
//! proof: no entropy guess is involved.

use regex::Regex;
use std::sync::OnceLock;

/// One known test-mode key format.
struct Format {
    /// Provider and kind, for evidence ("Stripe test publishable key").
    what: &'static str,
    /// The pattern; group 1 is the key.
    re: &'static str,
}

/// The formats, most common first.
const FORMATS: &[Format] = &[
    Format {
        what: "Stripe test secret key",
        re: r"\b(sk_test_[0-9A-Za-z]{16,247})\b",
    },
    Format {
        what: "Stripe test restricted key",
        re: r"\b(rk_test_[0-9A-Za-z]{16,247})\b",
    },
    Format {
        what: "Stripe test publishable key",
        re: r"\b(pk_test_[0-9A-Za-z]{16,247})\b",
    },
    Format {
        what: "Razorpay test key",
        re: r"\b(rzp_test_[0-9A-Za-z]{10,32})\b",
    },
    Format {
        what: "Checkout.com sandbox key",
        re: r"\b((?:sk|pk)_sbox_[0-9a-z]{20,40})\b",
    },
    Format {
        what: "Paddle sandbox API key",
        re: r"\b(pdl_sdbx_apikey_[0-9a-z_]{20,80})\b",
    },
    Format {
        what: "Braintree sandbox access token",
        re: r"(access_token\$sandbox\$[0-9a-z]{10,20}\$[0-9a-f]{20,40})",
    },
    Format {
        what: "Square sandbox application id",
        re: r"\b(sandbox-sq0idb-[0-9A-Za-z_-]{16,40})\b",
    },
    Format {
        what: "Mollie test API key",
        re: r"\b(test_[0-9A-Za-z]{30})\b",
    },
];

fn compiled() -> &'static [(Regex, &'static str)] {
    static RES: OnceLock<Vec<(Regex, &'static str)>> = OnceLock::new();
    RES.get_or_init(|| {
        FORMATS
            .iter()
            .filter_map(|f| Regex::new(f.re).ok().map(|r| (r, f.what)))
            .collect()
    })
}

/// One test-mode key found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TestKey {
    /// What it is ("Stripe test publishable key").
    pub what: &'static str,
    /// The key itself: callers show it only through [`crate::redact::redact`].
    pub key: String,
    /// Byte offset in the text.
    pub offset: usize,
}

/// Every test-mode key in `text`, each distinct key once, in order of appearance.
pub(crate) fn find(text: &str) -> Vec<TestKey> {
    let mut out: Vec<TestKey> = Vec::new();
    for (re, what) in compiled() {
        for c in re.captures_iter(text) {
            let Some(m) = c.get(1) else { continue };
            if out.iter().any(|k| k.key == m.as_str()) {
                continue;
            }
            out.push(TestKey {
                what,
                key: m.as_str().to_string(),
                offset: m.start(),
            });
        }
    }
    out.sort_by_key(|k| k.offset);
    out
}

/// The test-mode key format a whole value has, if any (the `env` check judges one variable).
pub(crate) fn classify(value: &str) -> Option<&'static str> {
    let v = value.trim();
    compiled()
        .iter()
        .find(|(re, _)| {
            re.captures(v)
                .and_then(|c| c.get(1))
                .is_some_and(|m| m.as_str() == v)
        })
        .map(|(_, what)| *what)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_each_provider_format() {
        let pk = format!("pk_test_{}", "51HxQ2".repeat(5));
        let sk = format!("sk_test_{}", "9aZ".repeat(9));
        let text = format!("Stripe('{pk}'); const s = \"{sk}\"; rzp_test_1DP5mmOlF5G5ag;");
        let keys = find(&text);
        let whats: Vec<&str> = keys.iter().map(|k| k.what).collect();
        assert_eq!(
            whats,
            [
                "Stripe test publishable key",
                "Stripe test secret key",
                "Razorpay test key"
            ]
        );
        assert_eq!(keys[0].key, pk);
    }

    #[test]
    fn live_keys_and_prose_are_not_test_keys() {
        let live = format!("pk_live_{}", "51HxQ2".repeat(5));
        assert!(find(&live).is_empty());
        assert!(find("set your pk_test_ key in the dashboard; use test_mode=true").is_empty());
        assert!(classify(&live).is_none());
    }

    #[test]
    fn classify_needs_the_whole_value() {
        let sk = format!("sk_test_{}", "9aZ".repeat(9));
        assert_eq!(classify(&sk), Some("Stripe test secret key"));
        assert_eq!(
            classify(&format!(" {sk}\n")),
            Some("Stripe test secret key")
        );
        assert!(classify(&format!("prefix-{sk}")).is_none());
    }
}
