//! Subresources of an HTML page, found with a WHATWG-compliant tokenizer (html5gum, with the
//! tokenizer switching to script/raw-text states after `<script>`, `<style>`, ... so markup
//! inside scripts is not mistaken for tags): scripts, stylesheets, images, media, iframes,
//! objects, form actions, `<base href>` and a `<meta http-equiv="Content-Security-Policy">`.
//!
//! Pure functions; no network.

use html5gum::{DefaultEmitter, Token, Tokenizer};

/// What kind of subresource an URL is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// `<script src>`, `<link rel=modulepreload|preload as=script>`.
    Script,
    /// `<link rel=stylesheet>`, `<link rel=preload as=style>`.
    Stylesheet,
    /// `<img>`, `<source>`, `<video poster>`, `<input type=image>`, `<link rel=icon>`.
    Image,
    /// `<video>`, `<audio>`, `<track>`.
    Media,
    /// `<iframe>`, `<frame>`.
    Iframe,
    /// `<object data>`, `<embed src>`.
    Object,
    /// `<form action>`.
    FormAction,
}

impl Kind {
    /// Lowercase name for evidence.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Script => "script",
            Kind::Stylesheet => "stylesheet",
            Kind::Image => "image",
            Kind::Media => "media",
            Kind::Iframe => "iframe",
            Kind::Object => "object",
            Kind::FormAction => "form action",
        }
    }
}

/// What the page references.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    /// (kind, URL as written).
    pub refs: Vec<(Kind, String)>,
    /// `<base href>`, when present.
    pub base: Option<String>,
    /// Content of `<meta http-equiv="Content-Security-Policy">`, when present.
    pub meta_csp: Option<String>,
    /// `<link rel=icon>` URLs as written; without any, browsers fetch `/favicon.ico` from the
    /// page's origin.
    pub icons: Vec<String>,
}

fn text(v: &[u8]) -> String {
    String::from_utf8_lossy(v).trim().to_string()
}

/// URLs of a `srcset` value (`a.png 1x, b.png 2x`).
pub fn srcset_urls(v: &str) -> Vec<String> {
    v.split(',')
        .filter_map(|c| c.split_whitespace().next())
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Icon links kept per page at most.
pub const MAX_ICONS: usize = 4;

/// Distinct subresources kept per page at most (a hostile page repeats or invents millions).
pub const MAX_REFS: usize = 4096;

/// Tokenizes `html` and collects its distinct subresources (at most [`MAX_REFS`], in order).
pub fn parse(html: &[u8]) -> Page {
    let mut page = Page::default();
    let mut seen = std::collections::BTreeSet::new();
    let mut emitter = DefaultEmitter::default();
    emitter.naively_switch_states(true);
    for token in Tokenizer::new_with_emitter(html, emitter).flatten() {
        let Token::StartTag(tag) = token else {
            continue;
        };
        let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
        let attr = |k: &str| -> Option<String> {
            tag.attributes
                .get(k.as_bytes())
                .map(|v| text(&v.value))
                .filter(|s| !s.is_empty())
        };
        let mut add = |kind: Kind, v: Option<String>| {
            if let Some(v) = v
                && page.refs.len() < MAX_REFS
                && seen.insert((kind, v.clone()))
            {
                page.refs.push((kind, v));
            }
        };
        match name.as_str() {
            "script" => add(Kind::Script, attr("src")),
            "link" => {
                let rel = attr("rel").unwrap_or_default().to_ascii_lowercase();
                let rels: Vec<&str> = rel.split_whitespace().collect();
                let as_ = attr("as").unwrap_or_default().to_ascii_lowercase();
                if rels.contains(&"icon")
                    && let Some(h) = attr("href")
                    && page.icons.len() < MAX_ICONS
                    && !page.icons.contains(&h)
                {
                    page.icons.push(h);
                }
                let kind = if rels.contains(&"stylesheet")
                    || (rels.contains(&"preload") && as_ == "style")
                {
                    Some(Kind::Stylesheet)
                } else if rels.contains(&"modulepreload")
                    || (rels.contains(&"preload") && as_ == "script")
                {
                    Some(Kind::Script)
                } else if rels
                    .iter()
                    .any(|r| *r == "icon" || *r == "apple-touch-icon")
                    || (rels.contains(&"preload") && as_ == "image")
                {
                    Some(Kind::Image)
                } else {
                    None
                };
                if let Some(k) = kind {
                    add(k, attr("href"));
                }
            }
            "img" | "source" => {
                let kind = if name == "source" {
                    Kind::Media
                } else {
                    Kind::Image
                };
                add(kind, attr("src"));
                for u in srcset_urls(&attr("srcset").unwrap_or_default()) {
                    add(Kind::Image, Some(u));
                }
            }
            "input" if attr("type").is_some_and(|t| t.eq_ignore_ascii_case("image")) => {
                add(Kind::Image, attr("src"))
            }
            "video" => {
                add(Kind::Media, attr("src"));
                add(Kind::Image, attr("poster"));
            }
            "audio" | "track" => add(Kind::Media, attr("src")),
            "iframe" | "frame" => add(Kind::Iframe, attr("src")),
            "object" => add(Kind::Object, attr("data")),
            "embed" => add(Kind::Object, attr("src")),
            "form" => add(Kind::FormAction, attr("action")),
            "base" if page.base.is_none() => page.base = attr("href"),
            "meta"
                if page.meta_csp.is_none()
                    && attr("http-equiv")
                        .is_some_and(|e| e.eq_ignore_ascii_case("content-security-policy")) =>
            {
                page.meta_csp = attr("content")
            }
            _ => {}
        }
    }
    page
}

/// True when the body looks like an HTML document (used to tell an SPA shell from a file).
pub fn looks_like_html(body: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&body[..body.len().min(1024)]).to_ascii_lowercase();
    let t = head.trim_start_matches('\u{feff}').trim_start();
    t.starts_with("<!doctype html")
        || t.starts_with("<html")
        || t.starts_with("<head")
        || t.starts_with("<body")
        || t.starts_with("<!--") && head.contains("<html")
        || head.contains("<html") && head.contains("<head")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_kind_of_subresource() {
        let html = br#"<!doctype html><html><head>
<base href="https://cdn.a.test/">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'">
<link rel="stylesheet" href="/s.css"><link rel="preload" as="script" href="/p.js">
<link rel="icon" href="http://x.test/i.ico"><link rel="canonical" href="/nope">
<script src="/a.js"></script>
<script>var s = "<img src='http://fake.test/in-script.png'>";</script>
</head><body>
<img src="http://x.test/a.png" srcset="b.png 1x, http://x.test/c.png 2x">
<iframe src="http://x.test/frame"></iframe>
<form action="http://x.test/post"><input type="image" src="/btn.png"></form>
<video src="/v.mp4" poster="/p.png"></video><object data="/o.swf"></object>
</body></html>"#;
        let p = parse(html);
        assert_eq!(p.base.as_deref(), Some("https://cdn.a.test/"));
        assert_eq!(p.meta_csp.as_deref(), Some("default-src 'self'"));
        let has = |k: Kind, u: &str| p.refs.iter().any(|(kk, uu)| *kk == k && uu == u);
        assert!(has(Kind::Stylesheet, "/s.css"));
        assert!(has(Kind::Script, "/p.js"));
        assert!(has(Kind::Script, "/a.js"));
        assert!(has(Kind::Image, "http://x.test/i.ico"));
        assert_eq!(p.icons, vec!["http://x.test/i.ico".to_string()]);
        assert!(
            parse(b"<link rel=apple-touch-icon href=/a.png>")
                .icons
                .is_empty()
        );
        assert_eq!(
            parse(b"<link rel='shortcut icon' href=/f.png>").icons,
            vec!["/f.png".to_string()]
        );
        assert!(has(Kind::Image, "http://x.test/a.png"));
        assert!(has(Kind::Image, "b.png"));
        assert!(has(Kind::Image, "http://x.test/c.png"));
        assert!(has(Kind::Iframe, "http://x.test/frame"));
        assert!(has(Kind::FormAction, "http://x.test/post"));
        assert!(has(Kind::Image, "/btn.png"));
        assert!(has(Kind::Media, "/v.mp4"));
        assert!(has(Kind::Image, "/p.png"));
        assert!(has(Kind::Object, "/o.swf"));
        // Markup inside a script is text, not a tag.
        assert!(!p.refs.iter().any(|(_, u)| u.contains("in-script")));
        assert!(!p.refs.iter().any(|(_, u)| u == "/nope"));
    }

    #[test]
    fn garbage_does_not_panic() {
        let p = parse(b"<<<script src=>\x00\xff<img src='unterminated");
        assert!(p.refs.len() <= 2);
    }

    #[test]
    fn refs_are_distinct_and_capped() {
        let mut html = String::from("<html><body>");
        for _ in 0..1000 {
            html.push_str("<img src=\"/same.png\"><script src=\"/a.js\"></script>");
        }
        for i in 0..(2 * MAX_REFS) {
            html.push_str(&format!("<img src=\"/i{i}.png\">"));
        }
        let p = parse(html.as_bytes());
        assert_eq!(p.refs.len(), MAX_REFS);
        assert_eq!(p.refs[0], (Kind::Image, "/same.png".to_string()));
        assert_eq!(p.refs[1], (Kind::Script, "/a.js".to_string()));
        assert_eq!(p.refs[2], (Kind::Image, "/i0.png".to_string()));
        let _ = parse(&[0xffu8; 4096]);
    }

    #[test]
    fn html_is_told_from_files() {
        assert!(looks_like_html(b"\n<!DOCTYPE html><html>"));
        assert!(looks_like_html(b"<html lang=en>"));
        assert!(!looks_like_html(b"DATABASE_URL=postgres://x\n"));
        assert!(!looks_like_html(b"[core]\n\trepositoryformatversion = 0\n"));
    }
}
