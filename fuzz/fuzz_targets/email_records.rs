//! SPF, DMARC, DKIM and MTA-STS parsers on arbitrary text: a record or an error, never a panic.
#![no_main]
use launchready::checks::email::{dkim, dmarc, parse_sts_policy, spf};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = spf::parse(&text);
    let _ = dmarc::parse(&text);
    let _ = dkim::parse(&text);
    let _ = parse_sts_policy(&text);
    let _ = dmarc::org_domain(&text);
});
