//! The compiled engine: scans one byte buffer.
//!
//! One Aho-Corasick automaton over every rule keyword decides which rules run
//! on a buffer; only those rules' `regex::bytes` regexes are executed, over
//! the whole buffer (no per-line work, so one-line minified files are fine).
//! Candidates then pass entropy floors, placeholder filters, validators,
//! allowlists and the inline `launchready:allow` marker; overlapping matches
//! keep the most specific rule.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex::bytes::Regex;
use sha2::{Digest, Sha256};

use super::rules::{self, RuleDef, Transform, VCtx, Validator};
use super::{SecretSeverity, SecretsError};
use crate::redact::redact;

/// Marker that suppresses every match on its line.
pub(crate) const INLINE_ALLOW: &[u8] = b"launchready:allow";

/// At most this many candidate matches are kept per buffer (pathological
/// inputs such as generated fixtures with millions of tokens).
const MAX_CANDIDATES: usize = 10_000;

/// One secret found in a buffer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Match {
    /// Rule id, always starting with `secret.`, e.g. `secret.aws_access_key`.
    pub rule_id: String,
    /// Human title of the rule, e.g. "AWS access key id".
    pub title: String,
    /// Severity of the rule.
    pub severity: SecretSeverity,
    /// 1-based line of the secret in the buffer.
    pub line: usize,
    /// Byte offset of the secret in the buffer.
    pub offset: usize,
    /// `redact(secret)`: never the secret itself.
    pub redacted: String,
    /// Lower-case hex SHA-256 of the secret value.
    pub secret_sha256: String,
}

/// Which text a gitleaks allowlist regex is tested against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum AllowTarget {
    /// The extracted secret.
    Secret,
    /// The whole regex match.
    Match,
    /// The line(s) containing the match.
    Line,
}

/// A compiled allowlist (gitleaks `[allowlist]` / `[rules.allowlist]`).
#[derive(Debug)]
pub(crate) struct AllowList {
    /// Regexes tested against `target`.
    pub regexes: Vec<Regex>,
    /// What `regexes` are tested against.
    pub target: AllowTarget,
    /// Path regexes tested against the source label.
    pub paths: Vec<regex::Regex>,
    /// Substrings of the secret that allow it.
    pub stopwords: Vec<String>,
    /// `condition = "AND"`: every configured criterion must match.
    pub all: bool,
}

impl AllowList {
    fn allows(&self, secret: &str, whole: &[u8], line: &[u8], source: &str) -> bool {
        let mut results = Vec::with_capacity(3);
        if !self.regexes.is_empty() {
            let hay: &[u8] = match self.target {
                AllowTarget::Secret => secret.as_bytes(),
                AllowTarget::Match => whole,
                AllowTarget::Line => line,
            };
            results.push(self.regexes.iter().any(|r| r.is_match(hay)));
        }
        if !self.paths.is_empty() {
            results.push(self.paths.iter().any(|r| r.is_match(source)));
        }
        if !self.stopwords.is_empty() {
            let l = secret.to_ascii_lowercase();
            results.push(self.stopwords.iter().any(|w| l.contains(w.as_str())));
        }
        if results.is_empty() {
            return false;
        }
        if self.all {
            results.iter().all(|&b| b)
        } else {
            results.iter().any(|&b| b)
        }
    }
}

/// An extra (user-supplied, gitleaks-format) rule, already compiled.
#[derive(Debug)]
pub(crate) struct ExtraRule {
    /// `secret.<id>`.
    pub id: String,
    /// Title (gitleaks description or id).
    pub title: String,
    /// Severity.
    pub severity: SecretSeverity,
    /// Compiled regex.
    pub regex: Regex,
    /// Secret group; `None` = first participating group, else whole match.
    pub group: Option<usize>,
    /// Lower-case keywords.
    pub keywords: Vec<String>,
    /// Entropy floor.
    pub min_entropy: Option<f64>,
    /// Only files whose path matches.
    pub path: Option<regex::Regex>,
    /// Rule allowlists.
    pub allow: Vec<AllowList>,
}

struct CompiledRule {
    id: String,
    title: String,
    severity: SecretSeverity,
    regex: Regex,
    group: Option<usize>,
    has_keywords: bool,
    min_entropy: Option<f64>,
    validator: Option<Validator>,
    transform: Option<Transform>,
    priority: u8,
    generic: bool,
    builtin: bool,
    path: Option<regex::Regex>,
    allow: Vec<AllowList>,
}

/// The compiled rule set. Build once, share across threads (`Send + Sync`).
pub struct Engine {
    rules: Vec<CompiledRule>,
    keywords: Option<AhoCorasick>,
    keyword_rules: Vec<Vec<usize>>,
    always: Vec<usize>,
    global_allow: Vec<AllowList>,
    inline_marker: Regex,
    data_uri_marker: Regex,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("rules", &self.rules.len())
            .finish()
    }
}

struct Candidate {
    rule: usize,
    start: usize,
    end: usize,
    secret: String,
}

impl Engine {
    /// An engine with the built-in rules only.
    pub fn builtin() -> Engine {
        Self::build(Vec::new(), Vec::new())
    }

    /// Built-in rules plus the rules of a gitleaks-format TOML file. Returns
    /// the engine and human-readable warnings (naming the file and the rule)
    /// about fields and rules that are not supported and were ignored or
    /// skipped.
    pub fn with_rules_file(path: &Path) -> Result<(Engine, Vec<String>), SecretsError> {
        let loaded = super::gitleaks::load(path)?;
        Ok((
            Self::build(loaded.rules, loaded.global_allow),
            loaded.warnings,
        ))
    }

    pub(crate) fn build(extra: Vec<ExtraRule>, global_allow: Vec<AllowList>) -> Engine {
        let mut rules = Vec::new();
        let mut kw_list: Vec<(String, usize)> = Vec::new();
        for d in rules::builtin_rules() {
            let RuleDef {
                id,
                title,
                severity,
                regex,
                group,
                keywords,
                min_entropy,
                validator,
                transform,
                priority,
                generic,
            } = d;
            let idx = rules.len();
            for k in keywords {
                kw_list.push((k.to_ascii_lowercase(), idx));
            }
            rules.push(CompiledRule {
                id: id.to_string(),
                title: title.to_string(),
                severity,
                // built-in regexes are compile-time constants covered by tests;
                // ASCII-only classes and word boundaries keep the lazy DFA
                // fast on non-ASCII input
                regex: Regex::new(&format!("(?-u){regex}"))
                    .expect("built-in secret regex compiles"),
                group: Some(group),
                has_keywords: !keywords.is_empty(),
                min_entropy,
                validator,
                transform,
                priority,
                generic,
                builtin: true,
                path: None,
                allow: Vec::new(),
            });
        }
        for e in extra {
            let idx = rules.len();
            for k in &e.keywords {
                if !k.is_empty() {
                    kw_list.push((k.to_ascii_lowercase(), idx));
                }
            }
            let generic = e.severity == SecretSeverity::Medium;
            rules.push(CompiledRule {
                has_keywords: e.keywords.iter().any(|k| !k.is_empty()),
                id: e.id,
                title: e.title,
                severity: e.severity,
                regex: e.regex,
                group: e.group,
                min_entropy: e.min_entropy,
                validator: None,
                transform: None,
                priority: if generic { 8 } else { 3 },
                generic,
                builtin: false,
                path: e.path,
                allow: e.allow,
            });
        }
        // one automaton over all distinct keywords
        let mut patterns: Vec<String> = Vec::new();
        let mut keyword_rules: Vec<Vec<usize>> = Vec::new();
        let mut index: std::collections::HashMap<String, usize> = Default::default();
        for (k, r) in kw_list {
            let pid = *index.entry(k.clone()).or_insert_with(|| {
                patterns.push(k);
                keyword_rules.push(Vec::new());
                patterns.len() - 1
            });
            if !keyword_rules[pid].contains(&r) {
                keyword_rules[pid].push(r);
            }
        }
        let keywords = if patterns.is_empty() {
            None
        } else {
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                .kind(Some(AhoCorasickKind::DFA))
                .build(&patterns)
                .or_else(|_| {
                    AhoCorasickBuilder::new()
                        .ascii_case_insensitive(true)
                        .match_kind(MatchKind::Standard)
                        .build(&patterns)
                })
                .ok()
        };
        let always = rules
            .iter()
            .enumerate()
            .filter(|(_, r)| !r.has_keywords || keywords.is_none())
            .map(|(i, _)| i)
            .collect();
        Engine {
            rules,
            keywords,
            keyword_rules,
            always,
            global_allow,
            // literal regexes: memchr/memmem-accelerated substring search
            inline_marker: Regex::new("launchready:allow").expect("literal regex"),
            data_uri_marker: Regex::new(";base64,").expect("literal regex"),
        }
    }

    /// All rule ids (built-in and extra), deduplicated, in table order.
    pub fn rule_ids(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for r in &self.rules {
            if !out.contains(&r.id) {
                out.push(r.id.clone());
            }
        }
        out
    }

    /// Scans one buffer. `source` is a label (usually the relative path) used
    /// only for path-based rules, allowlists and lockfile detection. Handles
    /// arbitrary bytes and never panics; results are sorted by offset.
    pub fn scan(&self, buf: &[u8], source: &str) -> Vec<Match> {
        if buf.is_empty() {
            return Vec::new();
        }
        let mut triggered = vec![false; self.rules.len()];
        for &i in &self.always {
            triggered[i] = true;
        }
        if let Some(ac) = &self.keywords {
            let mut pending = triggered.iter().filter(|t| !**t).count();
            let mut seen_pattern = vec![false; self.keyword_rules.len()];
            for m in ac.find_overlapping_iter(buf) {
                let pid = m.pattern().as_usize();
                if seen_pattern[pid] {
                    continue;
                }
                seen_pattern[pid] = true;
                for &r in &self.keyword_rules[pid] {
                    if !triggered[r] {
                        triggered[r] = true;
                        pending -= 1;
                    }
                }
                if pending == 0 {
                    break;
                }
            }
        }
        let lockfile = rules::is_lockfile(source);
        let has_inline = self.inline_marker.is_match(buf);
        let has_data_uri = self.data_uri_marker.is_match(buf);

        let mut cands: Vec<Candidate> = Vec::new();
        'rules: for (ri, rule) in self.rules.iter().enumerate() {
            if !triggered[ri] || (rule.generic && lockfile) {
                continue;
            }
            if rule.path.as_ref().is_some_and(|p| !p.is_match(source)) {
                continue;
            }
            for caps in rule.regex.captures_iter(buf) {
                let Some(whole) = caps.get(0) else { continue };
                let sm = match rule.group {
                    Some(0) => Some(whole),
                    Some(g) => caps.get(g),
                    None => caps.iter().skip(1).flatten().next().or(Some(whole)),
                };
                let Some(sm) = sm else { continue };
                if sm.is_empty() {
                    continue;
                }
                let raw = String::from_utf8_lossy(sm.as_bytes());
                let secret: Cow<'_, str> = match rule.transform {
                    Some(t) => Cow::Owned(t(&raw)),
                    None => raw,
                };
                if secret.is_empty() {
                    continue;
                }
                if rule
                    .min_entropy
                    .is_some_and(|e| rules::shannon_entropy(secret.as_bytes()) < e)
                {
                    continue;
                }
                if rule.builtin && rules::is_placeholder(&secret) {
                    continue;
                }
                let before = &buf[whole.start().saturating_sub(rules::CONTEXT)..whole.start()];
                let after = &buf[whole.end()..buf.len().min(whole.end() + rules::CONTEXT)];
                if let Some(v) = rule.validator {
                    let ctx = VCtx {
                        secret: &secret,
                        whole: whole.as_bytes(),
                        before,
                        after,
                        source,
                    };
                    if !v(&ctx) {
                        continue;
                    }
                }
                if !rule.allow.is_empty() || !self.global_allow.is_empty() {
                    let line = line_bounds(buf, whole.start(), whole.end());
                    let line = &buf[line.0..line.1];
                    if rule
                        .allow
                        .iter()
                        .chain(self.global_allow.iter())
                        .any(|a| a.allows(&secret, whole.as_bytes(), line, source))
                    {
                        continue;
                    }
                }
                if has_inline {
                    let (ls, le) = line_bounds(buf, sm.start(), sm.end());
                    if find_bytes(&buf[ls..le], INLINE_ALLOW).is_some() {
                        continue;
                    }
                }
                if has_data_uri && in_data_uri(buf, sm.start()) {
                    continue;
                }
                cands.push(Candidate {
                    rule: ri,
                    start: sm.start(),
                    end: sm.end(),
                    secret: secret.into_owned(),
                });
                if cands.len() >= MAX_CANDIDATES {
                    break 'rules;
                }
            }
        }
        self.resolve(buf, cands)
    }

    /// Overlap resolution (most specific rule wins), line numbers, hashing.
    fn resolve(&self, buf: &[u8], mut cands: Vec<Candidate>) -> Vec<Match> {
        cands.sort_by_key(|c| (self.rules[c.rule].priority, c.start, c.rule));
        let mut taken: BTreeMap<usize, usize> = BTreeMap::new();
        let mut kept: Vec<Candidate> = Vec::new();
        for c in cands {
            let overlaps = taken
                .range(..c.end)
                .next_back()
                .is_some_and(|(_, &e)| e > c.start);
            if overlaps {
                continue;
            }
            taken.insert(c.start, c.end);
            kept.push(c);
        }
        kept.sort_by_key(|c| c.start);
        let mut line = 1usize;
        let mut pos = 0usize;
        let mut out = Vec::with_capacity(kept.len());
        for c in kept {
            line += count_newlines(&buf[pos..c.start]);
            pos = c.start;
            let rule = &self.rules[c.rule];
            out.push(Match {
                rule_id: rule.id.clone(),
                title: rule.title.clone(),
                severity: rule.severity,
                line,
                offset: c.start,
                redacted: redact(&c.secret),
                secret_sha256: sha256_hex(c.secret.as_bytes()),
            });
        }
        out
    }
}

/// Lower-case hex SHA-256.
pub(crate) fn sha256_hex(data: &[u8]) -> String {
    let digest = Sha256::digest(data);
    let mut s = String::with_capacity(64);
    for b in digest {
        s.push(char::from(b"0123456789abcdef"[(b >> 4) as usize]));
        s.push(char::from(b"0123456789abcdef"[(b & 15) as usize]));
    }
    s
}

pub(crate) fn count_newlines(b: &[u8]) -> usize {
    b.iter().filter(|&&c| c == b'\n').count()
}

pub(crate) fn find_bytes(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    let first = needle[0];
    let mut i = 0;
    while i + needle.len() <= hay.len() {
        let rel = hay[i..=hay.len() - needle.len()]
            .iter()
            .position(|&c| c == first)?;
        let at = i + rel;
        if &hay[at..at + needle.len()] == needle {
            return Some(at);
        }
        i = at + 1;
    }
    None
}

/// Bounds of the line(s) containing `[start, end)`, capped to 64 KiB each side
/// so huge one-line files stay cheap.
fn line_bounds(buf: &[u8], start: usize, end: usize) -> (usize, usize) {
    const CAP: usize = 64 * 1024;
    let lo = start.saturating_sub(CAP);
    let ls = buf[lo..start]
        .iter()
        .rposition(|&c| c == b'\n')
        .map_or(lo, |p| lo + p + 1);
    let hi = buf.len().min(end + CAP);
    let le = buf[end..hi]
        .iter()
        .position(|&c| c == b'\n')
        .map_or(hi, |p| end + p);
    (ls, le)
}

/// Is `pos` inside the payload of a `data:...;base64,` URI?
fn in_data_uri(buf: &[u8], pos: usize) -> bool {
    let is_b64 = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'=' | b'-' | b'_');
    let mut i = pos;
    while i > 0 && is_b64(buf[i - 1]) {
        i -= 1;
    }
    i >= 8 && &buf[i - 8..i] == b";base64,"
}
