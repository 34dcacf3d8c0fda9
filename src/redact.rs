//! Redaction: the only way a secret value may reach a report, a wrapper type for values that
//! must never be printed (tokens expanded from `${ENV}` in the config), and the [`Scrubber`]
//! every output path (reports, annotations, progress lines) passes its text through.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

/// Shows at most the first 4 and the last 2 characters of a secret plus its length:
/// `redact("sk-ant-api03-abcdefXYZ") == "sk-a…YZ (22 chars)"`. Secrets of 8 characters or fewer
/// show no characters at all.
pub fn redact(secret: &str) -> String {
    let chars: Vec<char> = secret.chars().collect();
    let n = chars.len();
    if n <= 8 {
        return format!("… ({n} chars)");
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[n - 2..].iter().collect();
    format!("{head}…{tail} ({n} chars)")
}

/// A value that came from the environment or a secret store. It has no `Display`, and its
/// `Debug` prints `Secret(…)`, so it cannot end up in a report or log by accident.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret<T>(T);

impl<T> Secret<T> {
    /// Wraps a value.
    pub fn new(value: T) -> Self {
        Secret(value)
    }

    /// The value, for the one place that must send it (an HTTP header, say).
    pub fn expose(&self) -> &T {
        &self.0
    }
}

impl<T> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(…)")
    }
}

/// Replaces every occurrence of the audit's secret values (`${ENV}` expansions, and values a
/// check learns while it runs, such as a flow's captured tokens) by their redacted form. Values
/// shorter than 4 bytes are left alone: they would match ordinary text everywhere. Longer values
/// are replaced first, so a value that contains another is replaced whole. Cheap to clone.
#[derive(Clone, Default)]
pub struct Scrubber {
    values: Arc<Vec<Secret<String>>>,
}

/// A value could not be scrubbed, so it must not be written at all.
#[derive(Debug, thiserror::Error)]
#[error("cannot scrub secrets from the {what}: {cause}")]
pub struct ScrubError {
    /// What was being scrubbed ("report").
    pub what: &'static str,
    /// Why it failed.
    pub cause: String,
}

/// Values this short are not scrubbed.
const MIN_LEN: usize = 4;

impl Scrubber {
    /// A scrubber for `secrets`.
    pub fn new(secrets: &[Secret<String>]) -> Scrubber {
        let mut s = Scrubber::default();
        for v in secrets {
            s.add(v.expose());
        }
        s
    }

    /// Remembers one more value to scrub (a token captured during the audit, say).
    pub fn add(&mut self, value: &str) {
        if value.len() < MIN_LEN || self.values.iter().any(|v| v.expose() == value) {
            return;
        }
        let values = Arc::make_mut(&mut self.values);
        values.push(Secret::new(value.to_string()));
        values.sort_by_key(|v| std::cmp::Reverse(v.expose().len()));
    }

    /// True when there is nothing to scrub.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// `text` with every secret value replaced by its redacted form.
    pub fn text<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let mut out = Cow::Borrowed(text);
        for s in self.values.iter() {
            let v = s.expose().as_str();
            if out.contains(v) {
                out = Cow::Owned(out.replace(v, &redact(v)));
            }
        }
        out
    }

    /// Scrubs every string of a JSON value in place (keys are left alone: they are field names).
    pub fn json(&self, v: &mut serde_json::Value) {
        use serde_json::Value;
        match v {
            Value::String(s) => {
                if let Cow::Owned(clean) = self.text(s) {
                    *s = clean;
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|i| self.json(i)),
            Value::Object(map) => map.values_mut().for_each(|i| self.json(i)),
            _ => {}
        }
    }

    /// A copy of `value` with every string scrubbed, through its JSON form so that no field is
    /// missed. Fails closed: when the copy cannot be rebuilt, the error says so and nothing
    /// unscrubbed is returned.
    pub fn value<T>(&self, value: &T, what: &'static str) -> Result<T, ScrubError>
    where
        T: serde::Serialize + serde::de::DeserializeOwned + Clone,
    {
        if self.is_empty() {
            return Ok(value.clone());
        }
        let fail = |e: serde_json::Error| ScrubError {
            what,
            cause: e.to_string(),
        };
        let mut v = serde_json::to_value(value).map_err(fail)?;
        self.json(&mut v);
        serde_json::from_value(v).map_err(fail)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrubber_replaces_every_value_and_skips_short_ones() {
        let s = Scrubber::new(&[
            Secret::new("tok-abcdefghij".to_string()),
            Secret::new("abc".to_string()),
        ]);
        assert_eq!(
            s.text("a tok-abcdefghij b tok-abcdefghij abc"),
            "a tok-…ij (14 chars) b tok-…ij (14 chars) abc"
        );
        let mut v = serde_json::json!({"k": ["x tok-abcdefghij", 1], "tok-abcdefghij": "y"});
        s.json(&mut v);
        assert_eq!(v["k"][0], "x tok-…ij (14 chars)");
        assert!(matches!(s.text("clean"), Cow::Borrowed(_)));
    }

    #[test]
    fn scrubbing_fails_closed_when_the_copy_cannot_be_rebuilt() {
        // NaN becomes JSON null, which does not read back as an f64.
        #[derive(Clone, serde::Serialize, serde::Deserialize)]
        struct M {
            label: String,
            p95_ms: f64,
        }
        let s = Scrubber::new(&[Secret::new("tok-abcdefghij".to_string())]);
        let m = M {
            label: "tok-abcdefghij".into(),
            p95_ms: f64::NAN,
        };
        let err = s.value(&m, "report").err().expect("must fail");
        assert!(
            err.to_string()
                .starts_with("cannot scrub secrets from the report")
        );
        let ok = s
            .value(
                &M {
                    label: "tok-abcdefghij".into(),
                    p95_ms: 1.0,
                },
                "report",
            )
            .expect("scrubs");
        assert_eq!(ok.label, "tok-…ij (14 chars)");
    }

    #[test]
    fn shows_head_tail_and_length_only() {
        assert_eq!(redact("sk-ant-api03-abcdefXYZ"), "sk-a…YZ (22 chars)");
        assert_eq!(redact("short"), "… (5 chars)");
        assert_eq!(redact("12345678"), "… (8 chars)");
        assert_eq!(redact("ééééééééé"), "éééé…éé (9 chars)");
    }

    #[test]
    fn secret_debug_hides_value() {
        let s = Secret::new("hunter2-token".to_string());
        assert_eq!(format!("{s:?}"), "Secret(…)");
        assert_eq!(s.expose(), "hunter2-token");
    }
}
