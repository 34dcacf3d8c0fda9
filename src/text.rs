//! Small text helpers for evidence: shortening untrusted strings without splitting a character.

/// `s` when it is at most `max` bytes, else its longest prefix that ends on a character
/// boundary within `max` bytes, followed by `... (N bytes)`.
pub fn clip(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}... ({} bytes)", &s[..end], s.len())
}

#[cfg(test)]
mod tests {
    use super::clip;

    #[test]
    fn never_splits_a_character() {
        let s = format!("ref: refs/heads/{}", "é".repeat(40));
        let c = clip(&s, 80);
        assert!(c.ends_with(&format!("... ({} bytes)", s.len())));
        assert_eq!(clip("short", 80), "short");
        assert_eq!(clip("ééé", 3), "é... (6 bytes)");
    }
}
