//! The config loader on arbitrary text: an error or a config, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = launchready::config::parse(text, std::path::Path::new("fuzz.toml"), &|name| {
            (name.len() % 2 == 0).then(|| "x".repeat(name.len()))
        });
    }
});
