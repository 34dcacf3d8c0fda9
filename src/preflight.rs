//! Before probing: is there DNS from here at all? Offline laptops, captive portals and locked-down
//! CI runners have no working resolver (or one that answers NXDOMAIN for everything). Every
//! network check would then report the site as missing; instead the audit says "no DNS from
//! here" and leaves those checks out, and the report is incomplete.

use crate::net::{DnsOutcome, Net};
use hickory_proto::rr::RecordType;
use std::time::Duration;

/// Longest the pre-check may take (two queries in parallel, each retried at most once).
const BUDGET: Duration = Duration::from_secs(6);

/// Why there is no usable DNS from here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoDns {
    /// What the resolver did, for people: "the root zone: timed out; acme.example: timed out".
    pub cause: String,
}

impl NoDns {
    /// The sentence reports and stderr show.
    pub fn sentence(&self) -> String {
        format!(
            "no DNS from here — this says nothing about your site ({}); check the network or \
             pass --dns-server",
            self.cause
        )
    }
}

/// Asks for a name that must exist — the root zone's name servers — and for the apex. The
/// system resolver is usable when the root has name servers, or when the apex resolves (one
/// that says the root does not exist is a captive or broken resolver); a server given with
/// `--dns-server` (a lab or split-horizon server that may refuse the root) is usable when it
/// answers at all.
pub async fn check_dns(
    net: &Net,
    custom_server: bool,
    apex: &str,
    deadline: tokio::time::Instant,
) -> Result<(), NoDns> {
    let until = deadline.min(tokio::time::Instant::now() + BUDGET);
    let root = net.lookup(".", RecordType::NS);
    let apex_q = net.lookup(apex, RecordType::SOA);
    let both = async { tokio::join!(root, apex_q) };
    let Ok((root, apex_a)) = tokio::time::timeout_at(until, both).await else {
        return Err(NoDns {
            cause: "no answer before the audit deadline".to_string(),
        });
    };
    if !root.of_type(RecordType::NS).is_empty() {
        return Ok(());
    }
    // A server given with --dns-server that answers at all (even SERVFAIL or REFUSED) is
    // there: what it says about the site is the DNS check's business.
    let answered = |o: &DnsOutcome| !matches!(o, DnsOutcome::Timeout | DnsOutcome::Failed(_));
    let apex_ok = match &apex_a {
        DnsOutcome::Records(_) => true,
        _ => custom_server && (answered(&apex_a) || answered(&root)),
    };
    if apex_ok {
        return Ok(());
    }
    // The apex may exist without an SOA answer from a forwarding resolver: one more try by
    // address before giving up.
    if let Ok(a) = tokio::time::timeout_at(until, net.host_addrs(apex)).await
        && a.any()
    {
        return Ok(());
    }
    let root_said = match &root {
        DnsOutcome::Records(_) => "answered without name servers".to_string(),
        DnsOutcome::NxDomain => "answered that the root zone does not exist".to_string(),
        other => other.describe(),
    };
    Err(NoDns {
        cause: format!(
            "{} for the root zone: {root_said}; {apex}: {}",
            if custom_server {
                "the --dns-server"
            } else {
                "the system resolver"
            },
            apex_a.describe()
        ),
    })
}
