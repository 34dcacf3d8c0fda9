//! The HTML asset extractor on arbitrary bytes: a page model, never a panic.
#![no_main]
use launchready::checks::http::html;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = html::looks_like_html(data);
    let _ = html::parse(data);
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = html::srcset_urls(s);
    }
});
