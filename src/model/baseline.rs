//! The baseline a check may compare with: the few numbers of a previous report (`--baseline`)
//! that checks need, built by the command layer. Checks never see a whole report.

use std::collections::BTreeMap;

/// What a previous report measured, as checks need it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Baseline {
    /// p95 in milliseconds per endpoint name (`None`: the endpoint was listed without a p95,
    /// e.g. it never answered).
    endpoint_p95: BTreeMap<String, Option<f64>>,
}

impl Baseline {
    /// Records an endpoint's p95; the first record of a name wins, as in the report's order.
    pub fn add_endpoint(&mut self, name: &str, p95_ms: Option<f64>) {
        self.endpoint_p95.entry(name.to_string()).or_insert(p95_ms);
    }

    /// The baseline's p95 for the endpoint named `name`, if it has one.
    pub fn endpoint_p95(&self, name: &str) -> Option<f64> {
        self.endpoint_p95.get(name).copied().flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::Baseline;

    #[test]
    fn first_record_of_a_name_wins() {
        let mut b = Baseline::default();
        b.add_endpoint("chat", None);
        b.add_endpoint("chat", Some(12.0));
        b.add_endpoint("api", Some(3.5));
        assert_eq!(b.endpoint_p95("chat"), None);
        assert_eq!(b.endpoint_p95("api"), Some(3.5));
        assert_eq!(b.endpoint_p95("nope"), None);
    }
}
