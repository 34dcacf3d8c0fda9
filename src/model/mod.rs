//! The model: the values every layer speaks — findings and their catalogue entries, check names,
//! how each check's run ended, what the checks measured, and the baseline a check may compare
//! with. It imports nothing else of this crate, so everything may import it.
//!
//! One-way imports (DESIGN 8.1): `model` <- `config`, `net` <- `checks` <- `audit` <- `score`
//! <- `report` <- `cmd` <- `main`.

mod ai;
mod baseline;
mod env;
mod finding;
mod flows;
mod handover;
mod measurements;
mod run;

pub use ai::{AiMeasurement, AiProbe, AiRun};
pub use baseline::Baseline;
pub use env::{EnvExample, EnvFile, EnvMeasurement, EnvVariable};
pub use finding::{Bucket, CheckName, Finding, Impact, Location, Severity, Spec};
pub use flows::{
    FlowRun, FlowsMeasurement, StepRedirect, StepResult, StepRun, WebhookRun, WebhookVerdict,
};
pub use handover::{HANDOVER_AREAS, HandoverArea, handover_area, handover_area_keys};
pub use measurements::{
    CappedAnswers, ConnectPhases, DnsHost, DnsMap, DnsMeasurement, EmailAuth, EndpointLatency,
    HandoverFact, HandoverFacts, HostChain, HttpMeasurements, LatencyHistogram, Measurement,
    Measurements, NoZone, RateLimitProbe, RedirectChain, RedirectHop, SecretsScan,
};
pub use run::{AuditOutcome, CheckRun, CheckStatus, now_rfc3339};
