//! The secret engine on arbitrary bytes: matches or none, never a panic, and never a match whose
//! redacted evidence contains the whole secret.
#![no_main]
use launchready::checks::secrets::Engine;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static ENGINE: OnceLock<Engine> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let engine = ENGINE.get_or_init(Engine::builtin);
    for m in engine.scan(data, "fuzz/input.js") {
        assert!(m.redacted.contains("chars)"));
    }
});
