//! What the checks measured, beside their findings (JSON `measurements`): one typed value per
//! check, so a reader names a field instead of looking a string key up. Field names are the JSON
//! keys; fields are declared in the order the JSON lists them. Parts that are still free-form
//! detail (page headers, asset lists, email record evaluations, TLS host details) are JSON
//! values inside the typed structure. Reading a report back (`--baseline`) tolerates missing
//! fields: they take their defaults.

use super::ai::AiMeasurement;
use super::flows::FlowsMeasurement;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// Measurements: per-endpoint latency (DESIGN §5) plus what each other check measured. A check
/// that did not run has no entry.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Measurements {
    /// Latency per endpoint, in config order.
    pub endpoints: Vec<EndpointLatency>,
    /// The chat probes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ai: Option<AiMeasurement>,
    /// The DNS map.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dns: Option<DnsMeasurement>,
    /// Email authentication records.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<EmailAuth>,
    /// Environment variables and env files (names only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub env: Option<super::EnvMeasurement>,
    /// Customer paths and webhooks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flows: Option<FlowsMeasurement>,
    /// Hand-over facts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handover: Option<HandoverFacts>,
    /// Redirect chains, pages, assets, probes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http: Option<HttpMeasurements>,
    /// The secret scan's extent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secrets: Option<SecretsScan>,
    /// TLS per `host:port`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls: Option<BTreeMap<String, Value>>,
}

/// One check's measurement, as a check reports it through its sink.
#[derive(Debug, Clone)]
pub enum Measurement {
    /// `ai`.
    Ai(Box<AiMeasurement>),
    /// `dns`.
    Dns(DnsMeasurement),
    /// `email`.
    Email(EmailAuth),
    /// `env`.
    Env(super::EnvMeasurement),
    /// `flows`.
    Flows(FlowsMeasurement),
    /// `perf`: one endpoint.
    Endpoint(Box<EndpointLatency>),
    /// `handover`.
    Handover(HandoverFacts),
    /// `http`.
    Http(HttpMeasurements),
    /// `secrets`.
    Secrets(SecretsScan),
    /// `tls`: details per `host:port`.
    Tls(BTreeMap<String, Value>),
}

impl Measurements {
    /// Files one measurement; a check's later measurement replaces its earlier one, endpoints
    /// accumulate.
    pub fn add(&mut self, m: Measurement) {
        match m {
            Measurement::Ai(v) => self.ai = Some(*v),
            Measurement::Dns(v) => self.dns = Some(v),
            Measurement::Email(v) => self.email = Some(v),
            Measurement::Env(v) => self.env = Some(v),
            Measurement::Flows(v) => self.flows = Some(v),
            Measurement::Endpoint(v) => self.endpoints.push(*v),
            Measurement::Handover(v) => self.handover = Some(v),
            Measurement::Http(v) => self.http = Some(v),
            Measurement::Secrets(v) => self.secrets = Some(v),
            Measurement::Tls(v) => self.tls = Some(v),
        }
    }

    /// What loading the secret scan's `rules_file` did, when the secrets check ran.
    pub fn rules_file_messages(&self) -> Vec<String> {
        self.secrets
            .as_ref()
            .map(|s| s.rules_file_messages.clone())
            .unwrap_or_default()
    }

    /// What the secret scan left out at the repository's boundary, as sentences: other
    /// repositories inside it (submodules, nested clones; `secrets.submodules`) and configured
    /// paths that lead outside it (`secrets.not_followed`).
    pub fn secrets_boundaries(&self) -> Vec<String> {
        let Some(s) = &self.secrets else {
            return Vec::new();
        };
        let mut out: Vec<String> = s
            .submodules
            .iter()
            .map(|p| {
                format!(
                    "{p} is another repository (a submodule or nested clone): not scanned from \
                     here; audit it with `launchready audit --repo {p}`"
                )
            })
            .collect();
        out.extend(s.not_followed.iter().cloned());
        out
    }

    /// True when the dns check found that the audited zone does not exist.
    pub fn zone_missing(&self) -> bool {
        matches!(self.dns, Some(DnsMeasurement::NoZone(_)))
    }
}

/// `measurements.dns`: the DNS map, or the one fact that the zone does not exist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum DnsMeasurement {
    /// The zone does not exist (listed first: a DNS map has no `zone_exists` key).
    NoZone(NoZone),
    /// Every configured host.
    Map(DnsMap),
}

/// `measurements.dns` when the apex has neither NS nor SOA (NXDOMAIN): the other DNS findings
/// are folded under that one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoZone {
    /// The audited domain.
    pub apex: String,
    /// Always `false`.
    pub zone_exists: bool,
}

/// `measurements.dns`: every configured host with its CNAME chain and addresses.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DnsMap {
    /// Each host, apex first.
    pub hosts: Vec<DnsHost>,
    /// NS names of the zone.
    pub nameservers: Vec<String>,
}

/// One host of the DNS map.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DnsHost {
    /// IPv4 addresses.
    pub a: Vec<String>,
    /// IPv6 addresses.
    pub aaaa: Vec<String>,
    /// CNAME targets followed, in order.
    pub cname_chain: Vec<String>,
    /// The name.
    pub host: String,
    /// Why it does not resolve (`null` when it does).
    pub problem: Option<String>,
    /// It has at least one address.
    pub resolves: bool,
}

/// `measurements.email`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EmailAuth {
    /// DKIM selectors and what each holds.
    pub dkim: Value,
    /// DMARC per sending domain.
    pub dmarc: Value,
    /// The sending domain.
    pub domain: String,
    /// The MTA-STS policy (`null` when the domain receives no mail).
    pub mta_sts: Option<Value>,
    /// MX host names.
    pub mx: Vec<String>,
    /// SPF per sending domain.
    pub spf: Value,
}

/// `measurements.handover`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct HandoverFacts {
    /// `[handover]` is in the config.
    pub declared: bool,
    /// Owner per area (empty: nobody).
    pub owners: BTreeMap<String, String>,
    /// The rollback document and whether it was found.
    pub rollback_doc: HandoverFact,
    /// The uptime monitor and whether it answers.
    pub uptime_monitor: HandoverFact,
}

/// One declared hand-over fact and its verification.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct HandoverFact {
    /// What was verified, or "not declared".
    pub detail: String,
    /// It holds.
    pub ok: bool,
    /// The declared value (`null`: not declared).
    pub value: Option<String>,
}

/// `measurements.http`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct HttpMeasurements {
    /// Scripts and stylesheets fetched from the pages.
    pub assets: Value,
    /// Redirect chain per start URL (or, for a host that does not resolve, per host).
    pub chains: BTreeMap<String, HostChain>,
    /// CDN / edge detection (`null` when the canonical host could not be fetched).
    pub edge: Value,
    /// Exposure probes (`/.env`, `/.git/`...) and the random-path baseline.
    pub exposure_probes: Value,
    /// Each configured page: status, headers, subresources.
    pub pages: Vec<Value>,
    /// Configured pages that were not audited, each with why (TLS failure, 4xx...).
    pub pages_not_audited: Vec<String>,
    /// `/.well-known/security.txt` (`null` when not fetched).
    pub security_txt: Value,
}

/// What `measurements.http.chains` holds for one start URL or host.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum HostChain {
    /// The host was not fetched (listed first: a walked chain has no `skipped` key).
    Skipped {
        /// Why ("does not resolve (see the dns check)").
        skipped: String,
    },
    /// The chain walked from that URL.
    Walked(RedirectChain),
}

/// One redirect chain as walked hop by hop.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RedirectChain {
    /// How it ended: `final 200`, `loop back to URL`, `error at URL: cause`...
    pub end: String,
    /// Each request made.
    pub hops: Vec<RedirectHop>,
    /// A remark on the chain (e.g. a cross-host upgrade), if any.
    pub note: Option<String>,
}

impl RedirectChain {
    /// The URL the chain ended on, when it ended on a final answer (not a loop or an error).
    pub fn final_url(&self) -> Option<&str> {
        if !self.end.starts_with("final") {
            return None;
        }
        self.hops.last().map(|h| h.url.as_str())
    }
}

/// One request of a redirect chain.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RedirectHop {
    /// The `Location` header, if any.
    pub location: Option<String>,
    /// Time to the response headers.
    pub ms: u64,
    /// Status code.
    pub status: u16,
    /// The URL requested.
    pub url: String,
}

/// `measurements.secrets`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SecretsScan {
    /// Git blobs read from history.
    pub blobs_scanned: u64,
    /// Bytes read.
    pub bytes_scanned: u64,
    /// Files read from the work tree and build output.
    pub files_scanned: u64,
    /// Configured paths or build directories that lead outside the repository (through `..` or
    /// a symlink): not followed.
    pub not_followed: Vec<String>,
    /// The repository scanned.
    pub root: String,
    /// What loading the `rules_file` did ("loaded N of M rules", each dropped rule).
    pub rules_file_messages: Vec<String>,
    /// Other repositories inside this one (submodules, nested clones; work tree or history):
    /// root-relative paths, reported and not scanned.
    pub submodules: Vec<String>,
    /// What could not be read, and why.
    pub warnings: Vec<String>,
}

/// One element of `measurements.endpoints`: latency of one configured endpoint.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EndpointLatency {
    /// Requests that got an HTTP response (always recorded; `None` only in a report read back
    /// that lacks it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answered: Option<u64>,
    /// The `--baseline` report's p95 for this endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline_p95_ms: Option<f64>,
    /// The endpoint's p95 budget from the config (`p95_ms`; always recorded, `None` only in a
    /// report read back that lacks it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget_p95_ms: Option<u64>,
    /// Answers whose body was larger than the read cap (not timed, counted as errors).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capped: Option<CappedAnswers>,
    /// The first (cold) warm-up request's time.
    pub cold_ms: Option<f64>,
    /// Requests in flight at once.
    pub concurrency: u64,
    /// Connection set-up phases.
    pub connect: ConnectPhases,
    /// Samples the audit deadline cut off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cut_by_deadline: Option<u64>,
    /// Share of samples that failed or answered 5xx (0..=1).
    pub error_rate: f64,
    /// Transport errors and 5xx answers.
    pub errors: u64,
    /// The status codes the endpoint is expected to answer, when configured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expect_status: Option<Vec<u16>>,
    /// What `first_byte_*` times: `headers`, or for chat endpoints `body`.
    pub first_byte: String,
    /// Median time to the first byte.
    pub first_byte_p50_ms: f64,
    /// p95 time to the first byte.
    pub first_byte_p95_ms: f64,
    /// The distribution of the total times behind p50/p95/p99 (absent without answers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub histogram: Option<LatencyHistogram>,
    /// api, auth, chat or webhook.
    pub kind: String,
    /// Slowest answered request.
    pub max_ms: f64,
    /// Mean of the answered requests.
    pub mean_ms: f64,
    /// HTTP method.
    pub method: String,
    /// The endpoint's name in the config.
    pub name: String,
    /// `true` when the secret scan ran while this endpoint was sampled (it stopped waiting for
    /// the sampling), so the numbers may carry its CPU load.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overlapped_secret_scan: Option<bool>,
    /// Median total time.
    pub p50_ms: f64,
    /// p95 total time.
    pub p95_ms: f64,
    /// p99 total time.
    pub p99_ms: f64,
    /// The opt-in rate-limit probe.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_limit: Option<RateLimitProbe>,
    /// Timed requests sent.
    pub samples: u64,
    /// Answers per status code.
    pub status: BTreeMap<String, u64>,
    /// Requests that ran past `timeout_ms`.
    pub timeouts: u64,
    /// The URL as shown (secrets from `${ENV}` removed).
    pub url: String,
    /// Warm-up requests (not counted in the statistics).
    pub warmups: u64,
}

/// Latency distribution: bin `i` counts the answered samples in `[i * bin_ms, (i + 1) * bin_ms)`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LatencyHistogram {
    /// Width of one bin.
    pub bin_ms: f64,
    /// Samples per bin.
    pub counts: Vec<u64>,
}

/// Answers of an endpoint cut at the body read cap.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CappedAnswers {
    /// How many answers were cut.
    pub answers: u64,
    /// The largest `Content-Length` a cut answer declared.
    pub declared_bytes: Option<u64>,
    /// What it means.
    pub note: String,
    /// Bytes read from a cut body before reading stopped.
    pub read_bytes: Option<u64>,
}

/// Time to set up one connection, phase by phase.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ConnectPhases {
    /// DNS lookup.
    pub dns_ms: Option<f64>,
    /// Why set-up failed, if it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// TCP connect.
    pub tcp_ms: Option<f64>,
    /// TLS handshake (`null` for http://).
    pub tls_ms: Option<f64>,
}

/// The opt-in rate-limit probe of an endpoint.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RateLimitProbe {
    /// Requests of the burst (0: a limit was already seen while sampling).
    pub burst_sent: u64,
    /// A 429, `Retry-After` or rate-limit header was seen.
    pub limited: bool,
    /// What was seen, and when.
    pub signal: Option<String>,
}
