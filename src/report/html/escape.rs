//! The one escaping function of the HTML report. Every string that reaches the page from a
//! report (subjects, titles, evidence, record values, URLs, labels) goes through [`esc`]: a
//! hostile server's `<script>`, a quote that would close an attribute, or a terminal escape in
//! a TXT record all stay text.

use crate::text::{Lines, escape_controls};

/// Escapes `s` for HTML text and for double- or single-quoted attribute values: `&`, `<`, `>`,
/// `"` and `'` become character references, and every control character but the line feed
/// (and every bidirectional override) becomes a visible escape such as `\x1b` first, the same
/// rule as every other human output.
pub(crate) fn esc(s: &str) -> String {
    let safe = escape_controls(s, Lines::Keep);
    let mut o = String::with_capacity(safe.len() + 16);
    for c in safe.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// A reference as a link only when it is a plain `https://` URL; anything else is text.
pub(crate) fn link(url: &str) -> String {
    let plain = url.starts_with("https://")
        && !url
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '\'' | '<' | '>'));
    if plain {
        format!("<a href=\"{0}\" rel=\"noreferrer\">{0}</a>", esc(url))
    } else {
        esc(url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_quotes_and_controls_stay_text() {
        let hostile =
            "<script>alert(1)</script>\"><img src=x onerror=alert(2)>'\u{1b}[2J\r\u{202e}&";
        let e = esc(hostile);
        assert_eq!(
            e,
            "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(2)&gt;&#39;\\x1b[2J\\r\\u{202e}&amp;"
        );
        for bad in ['<', '>', '"', '\'', '\u{1b}', '\r', '\u{202e}'] {
            assert!(!e.contains(bad), "{bad:?} survived in {e}");
        }
        // line feeds stay (evidence is shown in <pre>), plain text is unchanged
        assert_eq!(esc("a\nb é"), "a\nb é");
    }

    #[test]
    fn only_plain_https_references_become_links() {
        assert_eq!(
            link("https://example.org/a?b=1&c=2"),
            "<a href=\"https://example.org/a?b=1&amp;c=2\" rel=\"noreferrer\">https://example.org/a?b=1&amp;c=2</a>"
        );
        assert_eq!(link("javascript:alert(1)"), "javascript:alert(1)");
        assert_eq!(
            link("https://x\" onmouseover=\"a"),
            "https://x&quot; onmouseover=&quot;a"
        );
    }
}
