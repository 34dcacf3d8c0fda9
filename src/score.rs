//! The scorer: pure functions that cross-reference findings of different checks, apply
//! `gate.ignore`, derive buckets and fingerprints, rank findings into one total order, and
//! compute the score, the verdict and the gate result.

use crate::model::{Bucket, Finding, Severity};
use serde::{Deserialize, Serialize};

/// A finding with its place in the list.
#[derive(Debug, Clone)]
pub struct Ranked {
    /// 1-based rank.
    pub rank: usize,
    /// The finding.
    pub finding: Finding,
    /// Derived from severity.
    pub bucket: Bucket,
    /// Stable hash of id + subject (or the finding's fingerprint key).
    pub fingerprint: String,
}

/// Counts per severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Summary {
    /// Critical findings.
    pub critical: u32,
    /// High findings.
    pub high: u32,
    /// Medium findings.
    pub medium: u32,
    /// Low findings.
    pub low: u32,
    /// Informational findings.
    pub info: u32,
}

impl Summary {
    /// Counts findings by severity.
    pub fn of<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Summary {
        let mut s = Summary::default();
        for f in findings {
            match f.severity {
                Severity::Critical => s.critical += 1,
                Severity::High => s.high += 1,
                Severity::Medium => s.medium += 1,
                Severity::Low => s.low += 1,
                Severity::Info => s.info += 1,
            }
        }
        s
    }
}

/// go / no-go / incomplete (DESIGN §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verdict {
    /// Every selected check completed and nothing must be fixed now.
    #[serde(rename = "go")]
    Go,
    /// Something critical or high is open.
    #[serde(rename = "no-go")]
    NoGo,
    /// Nothing critical or high was found, but a selected check errored or could not probe:
    /// the audit cannot say go.
    #[serde(rename = "incomplete")]
    Incomplete,
}

impl Verdict {
    /// "go", "no-go" or "incomplete".
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Go => "go",
            Verdict::NoGo => "no-go",
            Verdict::Incomplete => "incomplete",
        }
    }

    /// How the table and the packs shout it: "GO", "NO-GO", "INCOMPLETE".
    pub fn shout(self) -> &'static str {
        match self {
            Verdict::Go => "GO",
            Verdict::NoGo => "NO-GO",
            Verdict::Incomplete => "INCOMPLETE",
        }
    }

    /// The verdict of findings that give `self`, once completeness is known: no-go wins,
    /// then incomplete, then go.
    pub fn with_completeness(self, complete: bool) -> Verdict {
        match self {
            Verdict::NoGo => Verdict::NoGo,
            _ if !complete => Verdict::Incomplete,
            v => v,
        }
    }
}

/// The scored result.
#[derive(Debug, Clone)]
pub struct Scored {
    /// Ranked findings, ignored ones removed.
    pub findings: Vec<Ranked>,
    /// Counts of the kept findings.
    pub summary: Summary,
    /// 100 - 25*critical - 10*high - 4*medium - 1*low, floored at 0.
    pub score: u32,
    /// no-go if anything is in must_fix_now.
    pub verdict: Verdict,
    /// The findings `gate.ignore` removed, with their fingerprint and the entry that matched.
    pub ignored: Vec<Ignored>,
}

/// A finding that `gate.ignore` accepted.
#[derive(Debug, Clone)]
pub struct Ignored {
    /// The finding.
    pub finding: Finding,
    /// Its fingerprint.
    pub fingerprint: String,
    /// The `gate.ignore` entry that matched (an id or a fingerprint).
    pub by: String,
}

/// Ranks findings; `ignore` entries match an id or a fingerprint.
pub fn score(mut findings: Vec<Finding>, ignore: &[String]) -> Scored {
    cross_reference_secrets(&mut findings);
    let mut ignored = Vec::new();
    let mut kept: Vec<(Finding, String)> = Vec::with_capacity(findings.len());
    for f in findings {
        let fp = f.fingerprint();
        if let Some(by) = ignore.iter().find(|i| **i == f.id || **i == fp) {
            ignored.push(Ignored {
                by: by.clone(),
                finding: f,
                fingerprint: fp,
            });
            continue;
        }
        kept.push((f, fp));
    }
    kept.sort_by(|(a, _), (b, _)| {
        a.severity
            .cmp(&b.severity)
            .then(a.impact.cmp(&b.impact))
            .then(a.check.cmp(&b.check))
            .then(a.subject.cmp(&b.subject))
            .then(a.id.cmp(&b.id))
            .then(a.title.cmp(&b.title))
            .then(a.evidence.cmp(&b.evidence))
    });
    // The same id on the same subject is one risk: keep the most severe occurrence.
    let mut seen = std::collections::HashSet::new();
    kept.retain(|(_, fp)| seen.insert(fp.clone()));
    let summary = Summary::of(kept.iter().map(|(f, _)| f));
    let penalty = 25 * summary.critical + 10 * summary.high + 4 * summary.medium + summary.low;
    let score = 100u32.saturating_sub(penalty);
    let verdict = if summary.critical + summary.high > 0 {
        Verdict::NoGo
    } else {
        Verdict::Go
    };
    let findings = kept
        .into_iter()
        .enumerate()
        .map(|(i, (finding, fingerprint))| Ranked {
            rank: i + 1,
            bucket: finding.severity.bucket(),
            finding,
            fingerprint,
        })
        .collect();
    Scored {
        findings,
        summary,
        score,
        verdict,
        ignored,
    }
}

/// The sha256 a finding's fingerprint key ends with, for the secret findings of both checks:
/// `secret.*` keys are `rule:path:<sha256>`, bundle keys `<url>:sha256:<sha256>`.
fn secret_sha(f: &Finding) -> Option<&str> {
    let key = f.fingerprint_key.as_deref()?;
    let sha = key.rsplit(':').next()?;
    (sha.len() == 64 && sha.bytes().all(|b| b.is_ascii_hexdigit())).then_some(sha)
}

/// When a secret shipped in public JavaScript is also found by the repo scan, both findings'
/// evidence says so. Done here, once every check has finished: the checks run concurrently and
/// never see each other's findings.
fn cross_reference_secrets(findings: &mut [Finding]) {
    use std::collections::BTreeMap;
    let mut repo: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut bundle: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for f in findings.iter() {
        let Some(sha) = secret_sha(f) else { continue };
        if f.id.starts_with("secret.") {
            repo.entry(sha.to_string())
                .or_default()
                .push(f.subject.clone());
        } else if f.id == "exposure.secret_in_bundle" {
            bundle
                .entry(sha.to_string())
                .or_default()
                .push(f.subject.clone());
        }
    }
    for f in findings.iter_mut() {
        let Some(sha) = secret_sha(f).map(str::to_string) else {
            continue;
        };
        let (others, what) = if f.id.starts_with("secret.") {
            (bundle.get(&sha), "also shipped in public JavaScript at")
        } else if f.id == "exposure.secret_in_bundle" {
            (repo.get(&sha), "also found by the repository scan at")
        } else {
            continue;
        };
        if let Some(o) = others {
            let mut o = o.clone();
            o.sort();
            o.dedup();
            f.evidence
                .push_str(&format!("; the same secret is {what} {}", o.join(", ")));
        }
    }
}

/// True when anything is at or above `fail_on` (`None` = never fail).
pub fn gate_failed(summary: &Summary, fail_on: Option<Severity>) -> bool {
    let Some(threshold) = fail_on else {
        return false;
    };
    let counts = [
        (Severity::Critical, summary.critical),
        (Severity::High, summary.high),
        (Severity::Medium, summary.medium),
        (Severity::Low, summary.low),
        (Severity::Info, summary.info),
    ];
    counts.iter().any(|(s, n)| *s <= threshold && *n > 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue;

    fn f(spec: &'static crate::finding::Spec, subject: &str) -> Finding {
        spec.finding(subject, "t", "e")
    }

    #[test]
    fn ranks_by_severity_then_impact_then_check_then_subject() {
        let s = score(
            vec![
                f(&catalogue::dns::NO_CAA, "a.example"),
                f(&catalogue::dns::APEX_UNRESOLVED, "b.example"),
                f(&catalogue::dns::SINGLE_NAMESERVER, "a.example"),
                f(&catalogue::dns::DANGLING_CNAME, "a.example"),
                f(&catalogue::dns::NO_IPV6, "a.example"),
            ],
            &[],
        );
        let ids: Vec<_> = s
            .findings
            .iter()
            .map(|r| r.finding.id.to_string())
            .collect();
        assert_eq!(
            ids,
            [
                "dns.dangling_cname",
                "dns.apex_unresolved",
                "dns.single_nameserver",
                "dns.no_caa",
                "dns.no_ipv6"
            ]
        );
        assert_eq!(s.summary.critical, 2);
        assert_eq!(s.score, 100 - 50 - 4 - 1);
        assert_eq!(s.verdict, Verdict::NoGo);
        assert_eq!(s.findings[0].rank, 1);
        assert_eq!(s.findings[2].bucket, Bucket::FixBeforeScale);
    }

    #[test]
    fn score_floors_at_zero_and_ignore_by_id_or_fingerprint() {
        let many: Vec<_> = (0..6)
            .map(|i| f(&catalogue::dns::APEX_UNRESOLVED, &format!("h{i}.example")))
            .collect();
        let fp = many[0].fingerprint();
        let s = score(many, &["dns.no_caa".into(), fp]);
        assert_eq!(s.score, 0);
        assert_eq!(s.ignored.len(), 1);
        assert_eq!(s.findings.len(), 5);
        let s = score(
            vec![f(&catalogue::dns::NO_CAA, "x.example")],
            &["dns.no_caa".into()],
        );
        assert_eq!((s.verdict, s.score, s.ignored.len()), (Verdict::Go, 100, 1));
    }

    #[test]
    fn gate_threshold() {
        let sum = Summary {
            medium: 1,
            ..Summary::default()
        };
        assert!(!gate_failed(&sum, Some(Severity::High)));
        assert!(gate_failed(&sum, Some(Severity::Medium)));
        assert!(gate_failed(&sum, Some(Severity::Low)));
        assert!(!gate_failed(&sum, None));
    }

    #[test]
    fn fingerprint_is_stable_and_depends_on_id_and_subject() {
        let a = f(&catalogue::dns::NO_CAA, "a.example");
        assert_eq!(
            a.fingerprint(),
            f(&catalogue::dns::NO_CAA, "a.example").fingerprint()
        );
        assert_ne!(
            a.fingerprint(),
            f(&catalogue::dns::NO_CAA, "b.example").fingerprint()
        );
        assert_eq!(a.fingerprint().len(), 16);
    }

    #[test]
    fn same_secret_in_repo_and_bundle_is_noted_on_both() {
        let sha = "a".repeat(64);
        let mut repo = catalogue::secrets::PROVIDER_CREDENTIAL.finding("dist/app.js:1", "t", "e");
        repo.id = "secret.stripe_live_key".into();
        repo.fingerprint_key = Some(format!("secret.stripe_live_key:dist/app.js:{sha}"));
        let mut bundle =
            catalogue::http::EXPOSURE_SECRET_IN_BUNDLE.finding("https://a.test/v.js", "t", "e");
        bundle.fingerprint_key = Some(format!("https://a.test/v.js:sha256:{sha}"));
        let mut other =
            catalogue::http::EXPOSURE_SECRET_IN_BUNDLE.finding("https://a.test/w.js", "t", "e");
        other.fingerprint_key = Some(format!("https://a.test/w.js:sha256:{}", "b".repeat(64)));
        let mut all = vec![repo, bundle, other];
        cross_reference_secrets(&mut all);
        assert!(
            all[0]
                .evidence
                .ends_with("also shipped in public JavaScript at https://a.test/v.js")
        );
        assert!(
            all[1]
                .evidence
                .ends_with("also found by the repository scan at dist/app.js:1")
        );
        assert_eq!(all[2].evidence, "e");
    }
}
