//! Findings that follow from one cause are folded under it: when the apex domain does not exist
//! at all, the email and web findings about it (no SPF, no DMARC, nothing fetched...) say the
//! same thing again and bury the one fix that matters. Pure function over the unranked findings.

use crate::finding::Finding;

/// Folds the email, http and tls findings about `domain` (or its subdomains) under the
/// `dns.apex_unresolved` finding, when the DNS check found that the zone does not exist
/// (`zone_missing`). The folded ids are listed in that finding's evidence.
pub fn under_missing_apex(findings: &mut Vec<Finding>, domain: &str, zone_missing: bool) {
    if !zone_missing {
        return;
    }
    let Some(apex) = findings
        .iter()
        .position(|f| f.id == "dns.apex_unresolved" && f.subject == domain)
    else {
        return;
    };
    let about = |s: &str| {
        let host = url::Url::parse(s)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
            .unwrap_or_else(|| s.split(':').next().unwrap_or(s).to_string());
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        host == domain || host.ends_with(&format!(".{domain}"))
    };
    let follows = |f: &Finding| {
        matches!(f.check.as_str(), "email" | "http" | "tls")
            && f.id != "check.error"
            && about(&f.subject)
    };
    let mut folded: Vec<String> = Vec::new();
    let mut kept = Vec::with_capacity(findings.len());
    for (i, f) in findings.drain(..).enumerate() {
        if i != apex && follows(&f) {
            folded.push(f.id.to_string());
        } else {
            kept.push(f);
        }
    }
    *findings = kept;
    if folded.is_empty() {
        return;
    }
    folded.sort();
    folded.dedup();
    if let Some(a) = findings
        .iter_mut()
        .find(|f| f.id == "dns.apex_unresolved" && f.subject == domain)
    {
        a.evidence.push_str(&format!(
            "; also follows from this and is not listed separately: {}",
            folded.join(", ")
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue;

    #[test]
    fn folds_email_and_web_findings_under_a_missing_zone() {
        let mut f = vec![
            catalogue::dns::APEX_UNRESOLVED.finding("shop.example", "gone", "NXDOMAIN"),
            catalogue::email::NO_SPF.finding("shop.example", "t", "e"),
            catalogue::email::NO_DMARC.finding("shop.example", "t", "e"),
            catalogue::email::NO_SPF.finding("other.example", "t", "e"),
        ];
        under_missing_apex(&mut f, "shop.example", false);
        assert_eq!(f.len(), 4);
        under_missing_apex(&mut f, "shop.example", true);
        assert_eq!(f.len(), 2, "{f:?}");
        assert!(f[0].evidence.contains("email.no_dmarc, email.no_spf"));
        assert_eq!(f[1].subject, "other.example");
    }
}
