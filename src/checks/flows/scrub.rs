//! What a flow may show of the bodies it saw: captured values, `{{random}}` values and `${ENV}`
//! values are replaced by their redacted form, JSON fields with secret-looking names are
//! redacted whatever their value, control characters are escaped, and the result is clipped.
//! Scrubbing happens before clipping, so a secret cut by the clip edge cannot leak half-shown.

use crate::redact::{Scrubber, redact};
use crate::text::{Lines, escape_controls};

/// Longest body excerpt shown in evidence, in bytes.
pub(crate) const BODY_CLIP: usize = 300;

/// A body as evidence: JSON fields with secret-looking names redacted, the values `scrubber`
/// knows (captured, generated, or expanded from the environment) scrubbed, control characters
/// escaped, clipped to [`BODY_CLIP`].
pub(crate) fn body(scrubber: &Scrubber, body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let text = match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(mut v) => {
            mask_json(&mut v);
            v.to_string()
        }
        Err(_) => text.into_owned(),
    };
    let text = scrubber.text(&text);
    let text = escape_controls(&text, Lines::Escape);
    crate::text::clip(text.trim(), BODY_CLIP)
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
        let mut s = Scrubber::default();
        s.add("tok_0123456789abcdef");
        s.add("ab");
        let body = br#"{"error":"db down","debug":{"session_token":"sess_zzzzzzzzzzzz"},"echo":"tok_0123456789abcdef","n":"ab"}"#;
        let e = super::body(&s, body);
        assert!(!e.contains("tok_0123456789abcdef"), "{e}");
        assert!(!e.contains("sess_zzzzzzzzzzzz"), "{e}");
        assert!(e.contains("tok_…ef (20 chars)"), "{e}");
        assert!(e.contains("\"n\":\"ab\""), "{e}");
        // A secret right at the clip edge is scrubbed whole before the cut.
        let long = format!("{}tok_0123456789abcdef", "x".repeat(BODY_CLIP - 5));
        assert!(!super::body(&s, long.as_bytes()).contains("tok_0"));
    }

    #[test]
    fn control_characters_are_escaped() {
        let e = super::body(&Scrubber::default(), b"line1\n\x1b[31mred");
        assert_eq!(e, "line1\\n\\x1b[31mred");
    }
}
