//! What a flow may show of the bodies it saw: captured values, `{{random}}` values and `${ENV}`
//! values are replaced by their redacted form, JSON fields with secret-looking names are
//! redacted whatever their value, control characters are escaped, and the result is clipped.
//! Scrubbing happens before clipping, so a secret cut by the clip edge cannot leak half-shown.

use crate::redact::redact;

/// Longest body excerpt shown in evidence, in bytes.
pub(crate) const BODY_CLIP: usize = 300;

/// Values that must never be shown: captured during the flow, generated for it, or expanded
/// from the environment.
#[derive(Debug, Default, Clone)]
pub(crate) struct Secrets {
    values: Vec<String>,
}

impl Secrets {
    /// Remembers a value (values shorter than 4 characters are ids and counters, not secrets,
    /// and replacing them everywhere would garble the evidence).
    pub(crate) fn add(&mut self, v: &str) {
        if v.chars().count() >= 4 && !self.values.iter().any(|x| x == v) {
            self.values.push(v.to_string());
            // Longest first, so a value containing another is replaced whole.
            self.values.sort_by_key(|v| std::cmp::Reverse(v.len()));
        }
    }

    /// `text` with every remembered value replaced by its redacted form.
    pub(crate) fn scrub(&self, text: &str) -> String {
        let mut out = text.to_string();
        for v in &self.values {
            if out.contains(v.as_str()) {
                out = out.replace(v.as_str(), &redact(v));
            }
        }
        out
    }

    /// A body as evidence: secret JSON fields redacted, remembered values scrubbed, control
    /// characters escaped, clipped to [`BODY_CLIP`].
    pub(crate) fn body(&self, body: &[u8]) -> String {
        let text = String::from_utf8_lossy(body);
        let text = match serde_json::from_str::<serde_json::Value>(&text) {
            Ok(mut v) => {
                mask_json(&mut v);
                v.to_string()
            }
            Err(_) => text.into_owned(),
        };
        let text = self.scrub(&text);
        let text: String = text.chars().flat_map(printable).collect();
        crate::text::clip(text.trim(), BODY_CLIP)
    }
}

/// Control characters as visible escapes (`\n`, `\u{1b}`), so a body cannot move a terminal's
/// cursor or forge report lines.
pub(crate) fn printable(c: char) -> Vec<char> {
    if c.is_control() {
        c.escape_default().collect()
    } else {
        vec![c]
    }
}

/// Whether a JSON key names a secret (`token`, `access_token`, `password`, `apiKey`...).
fn secret_key(k: &str) -> bool {
    let k = k.to_ascii_lowercase().replace(['-', '_'], "");
    [
        "token",
        "secret",
        "password",
        "passwd",
        "apikey",
        "session",
        "cookie",
        "authorization",
        "credential",
        "privatekey",
    ]
    .iter()
    .any(|s| k.contains(s))
}

fn mask_json(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(o) => {
            for (k, x) in o.iter_mut() {
                match x {
                    serde_json::Value::String(s) if secret_key(k) => *s = redact(s),
                    _ => mask_json(x),
                }
            }
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(mask_json),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembered_values_and_secret_fields_are_redacted_before_clipping() {
        let mut s = Secrets::default();
        s.add("tok_0123456789abcdef");
        s.add("ab");
        let body = br#"{"error":"db down","debug":{"session_token":"sess_zzzzzzzzzzzz"},"echo":"tok_0123456789abcdef","n":"ab"}"#;
        let e = s.body(body);
        assert!(!e.contains("tok_0123456789abcdef"), "{e}");
        assert!(!e.contains("sess_zzzzzzzzzzzz"), "{e}");
        assert!(e.contains("tok_…ef (20 chars)"), "{e}");
        assert!(e.contains("\"n\":\"ab\""), "{e}");
        // A secret right at the clip edge is scrubbed whole before the cut.
        let long = format!("{}tok_0123456789abcdef", "x".repeat(BODY_CLIP - 5));
        assert!(!s.body(long.as_bytes()).contains("tok_0"));
    }

    #[test]
    fn control_characters_are_escaped() {
        let e = Secrets::default().body(b"line1\n\x1b[31mred");
        assert_eq!(e, "line1\\n\\u{1b}[31mred");
    }
}
