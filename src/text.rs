//! Small text helpers for evidence: shortening untrusted strings without splitting a character,
//! and [`escape_controls`], the one escaping every human output (table, progress, `-v`, error
//! messages, Markdown) applies to text that may come from the network.

use std::borrow::Cow;

/// Whether a line feed may stay as a real line break.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    /// Keep `\n` (multi-line evidence in the table's cells and lines); CR is still escaped.
    Keep,
    /// Escape `\n` too (one-line contexts: progress, `-v`, error messages).
    Escape,
}

/// Makes untrusted text safe to print: every control character (C0 including CR, LF unless
/// `lines` keeps it, tab, ESC; DEL; C1 such as CSI `\u{9b}`) and every bidirectional override or
/// isolate (U+202A-U+202E, U+2066-U+2069, U+200E/F, U+061C) is replaced by a visible escape such
/// as `\r`, `\n`, `\t`, `\x1b` or `\u{202e}`. A TXT record or header can then neither clear,
/// recolour or retitle a terminal nor fake a table row or a log line.
pub fn escape_controls(s: &str, lines: Lines) -> Cow<'_, str> {
    let bad =
        |c: char| (c.is_control() && !(c == '\n' && lines == Lines::Keep)) || is_bidi_control(c);
    if !s.chars().any(bad) {
        return Cow::Borrowed(s);
    }
    let mut o = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if !bad(c) {
            o.push(c);
            continue;
        }
        match c {
            '\n' => o.push_str("\\n"),
            '\r' => o.push_str("\\r"),
            '\t' => o.push_str("\\t"),
            c if (c as u32) < 0x80 => o.push_str(&format!("\\x{:02x}", c as u32)),
            c => o.push_str(&format!("\\u{{{:x}}}", c as u32)),
        }
    }
    Cow::Owned(o)
}

/// Serialized JSON with DEL, the C1 controls and bidirectional controls written as `\\uXXXX`
/// (serde_json escapes only C0): the data is unchanged for any JSON reader, and `cat report.json`
/// cannot drive a terminal. JSON structure is ASCII, so these characters only occur in strings.
pub fn json_escape_controls(json: &str) -> Cow<'_, str> {
    let bad = |c: char| c.is_control() || is_bidi_control(c);
    if !json.chars().any(bad) {
        return Cow::Borrowed(json);
    }
    let mut o = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if bad(c) && c != '\n' {
            o.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            o.push(c);
        }
    }
    Cow::Owned(o)
}

fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
    )
}

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

/// The candidate closest to `input` for a "did you mean ...?" hint, or `None` when nothing is
/// close. A candidate whose last dotted part is exactly `input` wins (`no_dmarc` suggests
/// `email.no_dmarc`); otherwise the smallest edit distance, within a third of the input's length
/// (at least 2), against the whole candidate or its last dotted part.
pub(crate) fn nearest<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let input = input.trim().to_ascii_lowercase();
    if input.is_empty() {
        return None;
    }
    let limit = (input.chars().count() / 3).max(2);
    let mut best: Option<(usize, &'a str)> = None;
    for c in candidates {
        let tail = c.rsplit('.').next().unwrap_or(c);
        if tail == input {
            return Some(c);
        }
        let d = edit_distance(&input, c).min(edit_distance(&input, tail));
        if d <= limit && best.is_none_or(|(b, _)| d < b) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// Levenshtein distance in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_suggests_close_ids_only() {
        let ids = [
            "email.no_dmarc",
            "email.no_dkim",
            "dns.no_caa",
            "tls.cert_expired",
        ];
        assert_eq!(nearest("email.no_dmar", ids), Some("email.no_dmarc"));
        assert_eq!(nearest("no_dmarc", ids), Some("email.no_dmarc"));
        assert_eq!(nearest("EMAIL.NO_DKIN", ids), Some("email.no_dkim"));
        assert_eq!(nearest("tls.cert_expird", ids), Some("tls.cert_expired"));
        assert_eq!(nearest("perf.p95_over_budget", ids), None);
        assert_eq!(nearest("", ids), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn controls_become_visible_escapes() {
        let hostile = "v=spf1 \x1b[2J\x1b]0;pwned\x07 ok\r\nFAKE ROW\u{9b}31m \u{202e}txt.exe";
        let one = escape_controls(hostile, Lines::Escape);
        assert_eq!(
            one,
            "v=spf1 \\x1b[2J\\x1b]0;pwned\\x07 ok\\r\\nFAKE ROW\\u{9b}31m \\u{202e}txt.exe"
        );
        assert!(!one.chars().any(|c| c.is_control()));
        let kept = escape_controls("a\r\nb\tc", Lines::Keep);
        assert_eq!(kept, "a\\r\nb\\tc");
        assert!(matches!(
            escape_controls("plain é", Lines::Escape),
            Cow::Borrowed(_)
        ));
        let j = json_escape_controls("{\n  \"a\": \"x\u{9b}y\u{202e}\"\n}");
        assert_eq!(j, "{\n  \"a\": \"x\\u009by\\u202e\"\n}");
        let v: serde_json::Value = serde_json::from_str(&j).unwrap();
        assert_eq!(v["a"], "x\u{9b}y\u{202e}");
    }

    #[test]
    fn never_splits_a_character() {
        let s = format!("ref: refs/heads/{}", "é".repeat(40));
        let c = clip(&s, 80);
        assert!(c.ends_with(&format!("... ({} bytes)", s.len())));
        assert_eq!(clip("short", 80), "short");
        assert_eq!(clip("ééé", 3), "é... (6 bytes)");
    }
}
