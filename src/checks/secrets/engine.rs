//! The compiled engine: scans one byte buffer.
//!
//! One Aho-Corasick automaton over every rule keyword (plus the inline-allow
//! and `data:` markers) makes one pass over the buffer. Each keyword hit opens
//! a candidate window for the rules that own the keyword: the hit's line,
//! capped to [`DEFAULT_WINDOW`] bytes each side (wider for multi-line rules
//! such as PEM keys). Windows of one rule are merged, and only there does the
//! rule's `regex::bytes` regex run; the regex sees the bytes around a window
//! as context, so `\b` and `^` behave as on the whole buffer. Nothing is
//! allocated per line. Rules without keywords (and user-supplied rules,
//! whose keywords only gate them, as in gitleaks) run over the whole buffer.
//! Candidates then pass entropy floors, placeholder filters, validators,
//! allowlists and the inline `launchready:allow` marker; overlapping matches
//! keep the most specific rule. Context-judged families found under test,
//! docs or example paths (or on a comment line in code) are downgraded.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex::bytes::Regex;
use sha2::{Digest, Sha256};

use super::rules::{self, DEFAULT_WINDOW, FIRST_GROUP, RuleDef, Transform, VCtx, Validator};
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
    /// Why the severity is lower than the rule's ("downgraded from high:
    /// the path is under tests/"); `None` when it is the rule's.
    pub downgraded: Option<String>,
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

/// Window value meaning "the whole buffer" (user-supplied rules).
const WHOLE_BUFFER: usize = usize::MAX;

struct CompiledRule {
    id: String,
    title: String,
    severity: SecretSeverity,
    regex: Regex,
    group: Option<usize>,
    has_keywords: bool,
    downgrade: bool,
    path_filter: Option<fn(&str) -> bool>,
    window: usize,
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
    /// Rules owning each automaton pattern (including the rules of every
    /// keyword the pattern contains, since the search is non-overlapping).
    keyword_rules: Vec<Vec<usize>>,
    /// Pattern ids of the two markers.
    inline_pid: usize,
    data_uri_pid: usize,
    always: Vec<usize>,
    global_allow: Vec<AllowList>,
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
                downgrade,
                path,
                window,
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
                group: (group != FIRST_GROUP).then_some(group),
                has_keywords: !keywords.is_empty(),
                downgrade,
                path_filter: path,
                window,
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
                downgrade: false,
                path_filter: None,
                window: WHOLE_BUFFER,
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
        // one automaton over all distinct keywords and the two markers
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
        // leftmost-longest search reports "secret_access_key" but not the
        // "secret" inside it: a pattern also triggers the rules of every
        // keyword it contains
        let closure: Vec<Vec<usize>> = patterns
            .iter()
            .map(|p| {
                let mut rs = Vec::new();
                for (q, qr) in patterns.iter().zip(&keyword_rules) {
                    if p.contains(q.as_str()) {
                        for &r in qr {
                            if !rs.contains(&r) {
                                rs.push(r);
                            }
                        }
                    }
                }
                rs
            })
            .collect();
        let mut keyword_rules = closure;
        let inline_pid = patterns.len();
        patterns.push(String::from_utf8_lossy(INLINE_ALLOW).into_owned());
        keyword_rules.push(Vec::new());
        let data_uri_pid = patterns.len();
        patterns.push(";base64,".to_string());
        keyword_rules.push(Vec::new());
        let keywords = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&patterns)
            .or_else(|_| {
                AhoCorasickBuilder::new()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(&patterns)
            })
            .ok();
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
            inline_pid,
            data_uri_pid,
            always,
            global_allow,
        }
    }

    /// All rule ids (built-in and extra), deduplicated, in table order.
    #[cfg(test)]
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
    /// only for path-based rules, allowlists, lockfile detection and
    /// downgrading. Handles arbitrary bytes and never panics; results are
    /// sorted by offset.
    pub fn scan(&self, buf: &[u8], source: &str) -> Vec<Match> {
        if buf.is_empty() {
            return Vec::new();
        }
        // (rule, start, end) candidate windows, merged per rule below
        let mut windows: Vec<(usize, usize, usize)> = Vec::new();
        for &i in &self.always {
            windows.push((i, 0, buf.len()));
        }
        let (mut has_inline, mut has_data_uri) = (false, false);
        if let Some(ac) = &self.keywords {
            // the open window of each rule, extended while hits fall inside
            let mut open: Vec<Option<(usize, usize)>> = vec![None; self.rules.len()];
            for m in ac.find_iter(buf) {
                let pid = m.pattern().as_usize();
                if pid == self.inline_pid {
                    has_inline = true;
                    continue;
                }
                if pid == self.data_uri_pid {
                    has_data_uri = true;
                    continue;
                }
                let (ks, ke) = (m.start(), m.end());
                for &r in &self.keyword_rules[pid] {
                    let reach = self.rules[r].window;
                    if let Some((_, oe)) = open[r]
                        && (reach == WHOLE_BUFFER || ke < oe)
                    {
                        continue;
                    }
                    let (ws, we) = window_around(buf, ks, ke, reach);
                    match &mut open[r] {
                        Some((_, oe)) if ws <= *oe => *oe = (*oe).max(we),
                        slot => {
                            if let Some((os, oe)) = slot.take() {
                                windows.push((r, os, oe));
                            }
                            *slot = Some((ws, we));
                        }
                    }
                }
            }
            for (r, w) in open.into_iter().enumerate() {
                if let Some((ws, we)) = w {
                    windows.push((r, ws, we));
                }
            }
        }
        if windows.is_empty() {
            return Vec::new();
        }
        windows.sort_unstable();
        let lockfile = rules::is_lockfile(source);
        let mut cands: Vec<Candidate> = Vec::new();
        let mut skip_rule = usize::MAX;
        'windows: for &(ri, ws, we) in &windows {
            if ri == skip_rule {
                continue;
            }
            let rule = &self.rules[ri];
            if (rule.generic && lockfile)
                || rule.path.as_ref().is_some_and(|p| !p.is_match(source))
                || rule.path_filter.is_some_and(|f| !f(source))
            {
                skip_rule = ri;
                continue;
            }
            let hay = &buf[..we];
            let mut at = ws;
            while at < we {
                let Some(caps) = rule.regex.captures_at(hay, at) else {
                    break;
                };
                let Some(whole) = caps.get(0) else { break };
                at = if whole.end() > at {
                    whole.end()
                } else {
                    at + 1
                };
                if let Some(c) =
                    self.candidate(ri, rule, &caps, buf, source, has_inline, has_data_uri)
                {
                    cands.push(c);
                    if cands.len() >= MAX_CANDIDATES {
                        break 'windows;
                    }
                }
            }
        }
        self.resolve(buf, source, cands)
    }

    /// Filters one regex match into a candidate (entropy, placeholders,
    /// validator, allowlists, inline marker, `data:` URIs).
    #[allow(clippy::too_many_arguments)]
    fn candidate(
        &self,
        ri: usize,
        rule: &CompiledRule,
        caps: &regex::bytes::Captures<'_>,
        buf: &[u8],
        source: &str,
        has_inline: bool,
        has_data_uri: bool,
    ) -> Option<Candidate> {
        let whole = caps.get(0)?;
        let sm = match rule.group {
            Some(0) => Some(whole),
            Some(g) => caps.get(g),
            None => caps.iter().skip(1).flatten().next().or(Some(whole)),
        }?;
        if sm.is_empty() {
            return None;
        }
        let raw = String::from_utf8_lossy(sm.as_bytes());
        let secret: Cow<'_, str> = match rule.transform {
            Some(t) => Cow::Owned(t(&raw)),
            None => raw,
        };
        if secret.is_empty() {
            return None;
        }
        if rule
            .min_entropy
            .is_some_and(|e| rules::shannon_entropy(secret.as_bytes()) < e)
        {
            return None;
        }
        if rule.builtin && rules::is_placeholder(&secret) {
            return None;
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
                return None;
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
                return None;
            }
        }
        if has_inline {
            let (ls, le) = line_bounds(buf, sm.start(), sm.end());
            if find_bytes(&buf[ls..le], INLINE_ALLOW).is_some() {
                return None;
            }
        }
        if has_data_uri && in_data_uri(buf, sm.start()) {
            return None;
        }
        Some(Candidate {
            rule: ri,
            start: sm.start(),
            end: sm.end(),
            secret: secret.into_owned(),
        })
    }

    /// Overlap resolution (most specific rule wins), line numbers, hashing.
    fn resolve(&self, buf: &[u8], source: &str, mut cands: Vec<Candidate>) -> Vec<Match> {
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
            let why = if rule.downgrade && rule.severity < SecretSeverity::Low {
                downgrade_reason(buf, c.start, source)
            } else {
                None
            };
            out.push(Match {
                rule_id: rule.id.clone(),
                title: rule.title.clone(),
                severity: if why.is_some() {
                    SecretSeverity::Low
                } else {
                    rule.severity
                },
                line,
                offset: c.start,
                redacted: redact(&c.secret),
                secret_sha256: sha256_hex(c.secret.as_bytes()),
                downgraded: why.map(|w| {
                    format!(
                        "downgraded from {} to low: {w}",
                        severity_word(rule.severity)
                    )
                }),
            });
        }
        out
    }
}

/// The window a keyword hit at `[ks, ke)` opens for a rule of reach `reach`:
/// the hit's line capped to `reach` bytes each side (line rules), or
/// `reach` bytes each side (multi-line rules).
fn window_around(buf: &[u8], ks: usize, ke: usize, reach: usize) -> (usize, usize) {
    if reach == WHOLE_BUFFER {
        return (0, buf.len());
    }
    let lo = ks.saturating_sub(reach);
    let hi = buf.len().min(ke.saturating_add(reach));
    if reach != DEFAULT_WINDOW {
        return (lo, hi);
    }
    // the newline before the line stays in the window too: patterns such as
    // `(?:^|[^A-Za-z0-9_])NAME` consume it on the whole buffer
    let ws = memchr::memrchr(b'\n', &buf[lo..ks]).map_or(lo, |p| lo + p);
    // the newline itself stays in the window so `$`-free end conditions
    // such as `(?:[^A-Za-z0-9]|$)` see the same byte as on the whole buffer
    let we = memchr::memchr(b'\n', &buf[ke..hi]).map_or(hi, |p| ke + p + 1);
    (ws, we)
}

fn severity_word(s: SecretSeverity) -> &'static str {
    match s {
        SecretSeverity::Critical => "critical",
        SecretSeverity::High => "high",
        SecretSeverity::Medium => "medium",
        SecretSeverity::Low => "low",
        SecretSeverity::Info => "info",
    }
}

/// Why a context-judged match is downgraded: its path is test, docs or
/// example material, or it sits on a comment line of program source.
fn downgrade_reason(buf: &[u8], pos: usize, source: &str) -> Option<String> {
    if let Some(part) = rules::non_production_path(source) {
        return Some(format!("the path is {part}"));
    }
    if rules::is_code_file(source) {
        let ls = memchr::memrchr(b'\n', &buf[..pos]).map_or(0, |p| p + 1);
        let line = buf[ls..pos].trim_ascii_start();
        const COMMENT: &[&[u8]] = &[b"//", b"#", b"*", b"/*", b"--", b">>>", b"...", b"<!--"];
        if COMMENT.iter().any(|c| line.starts_with(c)) {
            return Some("it is on a comment line (documentation example)".to_string());
        }
    }
    None
}

/// A key-store file (PKCS#12, Java key store) found by its name: such files
/// are binary, so no content rule sees them. `content` is the file (or its
/// first MiB). Downgraded like the context-judged families under test,
/// docs and example paths.
pub(crate) fn keystore_match(path: &str, content: &[u8], size: u64) -> Option<Match> {
    let kind = super::passwords::keystore_kind(path)?;
    let why = rules::non_production_path(path).map(|p| format!("the path is {p}"));
    Some(Match {
        rule_id: "secret.keystore_file".to_string(),
        title: kind.to_string(),
        severity: if why.is_some() {
            SecretSeverity::Low
        } else {
            SecretSeverity::High
        },
        line: 1,
        offset: 0,
        redacted: format!("{kind} file, {size} bytes"),
        secret_sha256: sha256_hex(content),
        downgraded: why.map(|w| format!("downgraded from high to low: {w}")),
    })
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
