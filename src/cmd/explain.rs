//! `launchready explain ID`: one catalogue entry — when it fires, why it matters, how to fix it,
//! references.

use super::{Exit, Fatal, write_out};
use crate::catalogue::ALL;
use crate::cli::ExplainArgs;
use std::io::Write;

/// Runs `explain`.
pub(crate) fn run(args: ExplainArgs, out: &mut dyn Write) -> Result<Exit, Fatal> {
    let text = explain(&args.id).ok_or_else(|| {
        let shown = crate::text::escape_controls(&args.id, crate::text::Lines::Escape);
        let ids = crate::checks::finding_ids();
        Fatal::Usage(match crate::text::nearest(&args.id, ids.iter().copied()) {
            Some(near) => format!(
                "unknown finding id `{shown}`: did you mean {near}? (`launchready checks` lists them all)"
            ),
            None => format!("unknown finding id `{shown}`; `launchready checks` lists them all"),
        })
    })?;
    write_out(out, text.as_bytes())?;
    Ok(Exit::Pass)
}

/// Renders one spec for `launchready explain ID`; `None` when the id is unknown.
/// A secret rule (built-in, or imported through the `[secrets] rules_file` of
/// `./launchready.toml`) is explained under its own name and severity with the wording of the
/// catalogue entry it shares.
fn explain(id: &str) -> Option<String> {
    let id = id.trim();
    let (spec, title, severity) = match ALL.iter().copied().find(|s| s.id == id) {
        Some(spec) => (spec, spec.title.to_string(), spec.severity),
        None => {
            let rule = crate::checks::secrets::rule_info(id)?;
            (rule.spec, rule.title, rule.severity)
        }
    };
    let mut out = format!("{id} - {title}\n");
    if spec.id != id {
        out.push_str(&format!(
            "(a secret rule; why it matters and how to fix it are those of {})\n",
            spec.id
        ));
    }
    out.push_str(&format!(
        "check: {}   severity: {}   impact: {}   bucket: {}\n",
        spec.check,
        severity,
        spec.impact.as_str(),
        severity.bucket().as_str()
    ));
    for (heading, body) in [
        ("When it fires", spec.when),
        ("Why it matters", spec.why),
        ("Fix", spec.fix),
    ] {
        out.push('\n');
        out.push_str(heading);
        out.push('\n');
        for line in wrap(body, 92) {
            out.push_str("  ");
            out.push_str(&line);
            out.push('\n');
        }
    }
    out.push_str("\nReferences\n");
    for r in spec.refs {
        out.push_str("  - ");
        out.push_str(r);
        out.push('\n');
    }
    // ai.* ids also list their probe texts and what counts as proof.
    if let Some(probes) = crate::checks::ai::probes::explain(id) {
        out.push_str(&probes);
    }
    Some(out)
}

/// Greedy word wrap; words longer than `width` stay whole.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explain_shows_wording_and_refs() {
        let text = explain("dns.no_caa").expect("known id");
        assert!(text.starts_with("dns.no_caa - "));
        assert!(text.contains("Fix") && text.contains("rfc8659"), "{text}");
        let text = explain("secret.github_token").expect("secret rule");
        assert!(text.starts_with("secret.github_token - "));
        assert!(text.contains("secret.provider_credential"));
        assert!(explain("dns.nope").is_none());
        let ids = crate::checks::finding_ids();
        assert!(ids.contains(&"secret.github_token") && ids.contains(&"email.no_dmarc"));
        assert!(ids.iter().all(|id| explain(id).is_some()), "{ids:?}");
        for line in explain("perf.first_byte_slow").expect("known").lines() {
            assert!(
                line.chars().count() <= 110 || line.contains("https://"),
                "{line}"
            );
        }
    }

    #[test]
    fn wrap_keeps_words_and_width() {
        assert_eq!(wrap("a bb ccc", 4), vec!["a bb", "ccc"]);
        assert_eq!(wrap("", 10), Vec::<String>::new());
        assert_eq!(
            wrap("averyveryverylongword x", 5),
            vec!["averyveryverylongword", "x"]
        );
    }
}
