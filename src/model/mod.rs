//! The model: the values every layer speaks — findings and their catalogue entries, check names,
//! how each check's run ended, what the checks measured, and the baseline a check may compare
//! with. It imports nothing else of this crate, so everything may import it.
//!
//! One-way imports (DESIGN 8.1): `model` <- `config`, `net` <- `checks` <- `audit` <- `score`
//! <- `report` <- `cmd` <- `main`.

mod baseline;
mod finding;
mod handover;
mod measurements;
mod run;

pub use baseline::Baseline;
pub use finding::{Bucket, CheckName, Finding, Impact, Severity, Spec};
pub use handover::{HANDOVER_AREAS, HandoverArea, handover_area, handover_area_keys};
pub use measurements::{
    ConnectPhases, DnsHost, DnsMap, EmailAuth, EndpointLatency, HandoverFact, HandoverFacts,
    HostChain, HttpMeasurements, Measurement, Measurements, RateLimitProbe, RedirectChain,
    RedirectHop, SecretsScan,
};
pub use run::{AuditOutcome, CheckRun, CheckStatus, now_rfc3339};
