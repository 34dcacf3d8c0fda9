//! Redaction: the only way a secret value may reach a report, and a wrapper type for values
//! that must never be printed (tokens expanded from `${ENV}` in the config).

use std::fmt;

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

#[cfg(test)]
mod tests {
    use super::*;

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
