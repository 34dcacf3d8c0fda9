//! The areas of `[handover] owners`: one list for the config validation, the `handover` check
//! and the hand-over pack.

/// One area someone must own after launch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HandoverArea {
    /// The key under `[handover] owners` (`dns`).
    pub key: &'static str,
    /// Its plain name as a heading ("DNS (domain and records)").
    pub title: &'static str,
    /// Its plain name inside a sentence ("DNS (domain and records)", "hosting and deploys").
    pub phrase: &'static str,
}

/// Every area, in checklist order.
pub const HANDOVER_AREAS: [HandoverArea; 5] = [
    HandoverArea {
        key: "dns",
        title: "DNS (domain and records)",
        phrase: "DNS (domain and records)",
    },
    HandoverArea {
        key: "hosting",
        title: "Hosting and deploys",
        phrase: "hosting and deploys",
    },
    HandoverArea {
        key: "email",
        title: "Email sending",
        phrase: "email sending",
    },
    HandoverArea {
        key: "monitoring",
        title: "Monitoring and on-call",
        phrase: "monitoring and on-call",
    },
    HandoverArea {
        key: "secrets",
        title: "Secrets and API keys",
        phrase: "secrets and API keys",
    },
];

/// The area with this key.
pub fn handover_area(key: &str) -> Option<&'static HandoverArea> {
    HANDOVER_AREAS.iter().find(|a| a.key == key)
}

/// The keys, comma-separated, for error messages ("dns, hosting, email, monitoring, secrets").
pub fn handover_area_keys() -> String {
    HANDOVER_AREAS
        .iter()
        .map(|a| a.key)
        .collect::<Vec<_>>()
        .join(", ")
}
