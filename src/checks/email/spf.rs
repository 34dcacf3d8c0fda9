//! SPF (RFC 7208): the record parser (pure, over one TXT string) and the evaluator that walks
//! the include/redirect tree, counting DNS-querying terms against the limit of 10 and void
//! lookups against 2 (§4.6.4), and detecting include loops.
//!
//! The evaluator asks DNS only through [`SpfDns`], so it is tested here with an in-memory map;
//! the check plugs in the shared resolver. It does not simulate a client IP: it walks every
//! branch, which is what a receiver does for mail that matches nothing (forged mail), so the
//! counts are the worst case a receiver meets.

use futures::future::BoxFuture;
use std::fmt::Write as _;
use std::net::{Ipv4Addr, Ipv6Addr};

/// The DNS-querying-term limit (RFC 7208 §4.6.4).
pub const LOOKUP_LIMIT: usize = 10;
/// The void-lookup limit (RFC 7208 §4.6.4).
pub const VOID_LIMIT: usize = 2;
/// Hard cap on lookups this evaluator performs for one host, whatever the record says: past
/// the limit the verdict no longer changes, and a hostile tree must not keep us busy.
const FOLLOW_CAP: usize = 40;
/// Deepest include/redirect nesting followed.
const DEPTH_CAP: usize = 12;
/// Longest record text quoted in evidence.
const QUOTE_CAP: usize = 160;

/// A mechanism's qualifier (RFC 7208 §4.6.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Qualifier {
    /// `+` (the default).
    Pass,
    /// `-`.
    Fail,
    /// `~`.
    SoftFail,
    /// `?`.
    Neutral,
}

impl Qualifier {}

/// A mechanism (RFC 7208 §5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mechanism {
    /// `all`.
    All,
    /// `include:<domain-spec>`.
    Include(String),
    /// `a[:<domain-spec>][/cidr4][//cidr6]`.
    A {
        /// Target domain-spec (the current domain when absent).
        domain: Option<String>,
        /// IPv4 prefix length.
        cidr4: Option<u8>,
        /// IPv6 prefix length.
        cidr6: Option<u8>,
    },
    /// `mx[:<domain-spec>][/cidr4][//cidr6]`.
    Mx {
        /// Target domain-spec (the current domain when absent).
        domain: Option<String>,
        /// IPv4 prefix length.
        cidr4: Option<u8>,
        /// IPv6 prefix length.
        cidr6: Option<u8>,
    },
    /// `ptr[:<domain-spec>]` (deprecated, §5.5).
    Ptr(Option<String>),
    /// `ip4:<network>[/cidr]`.
    Ip4(Ipv4Addr, Option<u8>),
    /// `ip6:<network>[/cidr]`.
    Ip6(Ipv6Addr, Option<u8>),
    /// `exists:<domain-spec>`.
    Exists(String),
}

impl Mechanism {
    /// Whether evaluating it costs a DNS query counted against the limit (§4.6.4).
    pub fn queries_dns(&self) -> bool {
        matches!(
            self,
            Mechanism::Include(_)
                | Mechanism::A { .. }
                | Mechanism::Mx { .. }
                | Mechanism::Ptr(_)
                | Mechanism::Exists(_)
        )
    }
}

/// One term of a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    /// A qualified mechanism; `text` is the term as written.
    Directive {
        /// The qualifier.
        qualifier: Qualifier,
        /// The mechanism.
        mechanism: Mechanism,
        /// The term as written.
        text: String,
    },
    /// `redirect=<domain-spec>` (§6.1).
    Redirect(String),
    /// `exp=<domain-spec>` (§6.2).
    Exp(String),
    /// Any other `name=value` modifier (ignored by receivers, §6).
    Unknown {
        /// Modifier name.
        name: String,
        /// Its value.
        value: String,
    },
}

/// A parsed SPF record.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SpfRecord {
    /// Terms in order.
    pub terms: Vec<Term>,
}

impl SpfRecord {
    /// The `all` directive, if any (its qualifier and text).
    pub fn all(&self) -> Option<(Qualifier, &str)> {
        self.terms.iter().find_map(|t| match t {
            Term::Directive {
                qualifier,
                mechanism: Mechanism::All,
                text,
            } => Some((*qualifier, text.as_str())),
            _ => None,
        })
    }
}

/// Why a record does not parse: the offending term and the rule it breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpfError {
    /// The term as written (or the whole record for version errors).
    pub term: String,
    /// What is wrong, with the RFC section.
    pub reason: String,
}

impl std::fmt::Display for SpfError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "`{}`: {}", self.term, self.reason)
    }
}

/// Whether a TXT string is an SPF record: it begins with exactly `v=spf1` followed by a space
/// or the end (RFC 7208 §4.5; ABNF literals are case-insensitive).
pub fn is_spf(txt: &str) -> bool {
    let b = txt.as_bytes();
    b.len() >= 6 && b[..6].eq_ignore_ascii_case(b"v=spf1") && (b.len() == 6 || b[6] == b' ')
}

/// Parses one SPF record (RFC 7208 §12 ABNF). Terms are separated by spaces; every mechanism,
/// qualifier, modifier and macro is checked.
pub fn parse(record: &str) -> Result<SpfRecord, SpfError> {
    if !is_spf(record) {
        return Err(SpfError {
            term: clip(record, 40),
            reason: "record does not begin with `v=spf1` (RFC 7208 §4.5)".into(),
        });
    }
    let mut out = SpfRecord::default();
    let (mut redirects, mut exps) = (0, 0);
    for term in record[6..].split(' ').filter(|t| !t.is_empty()) {
        let t = parse_term(term).map_err(|reason| SpfError {
            term: clip(term, 80),
            reason,
        })?;
        match &t {
            Term::Redirect(_) => redirects += 1,
            Term::Exp(_) => exps += 1,
            _ => {}
        }
        if redirects > 1 || exps > 1 {
            return Err(SpfError {
                term: clip(term, 80),
                reason: "`redirect` and `exp` may each appear only once (RFC 7208 §6)".into(),
            });
        }
        out.terms.push(t);
    }
    Ok(out)
}

fn parse_term(term: &str) -> Result<Term, String> {
    if !term.is_ascii() {
        return Err(
            "contains non-ASCII characters (curly quotes or dashes pasted from a document?)".into(),
        );
    }
    let (qualifier, body, qualified) = match term.as_bytes()[0] {
        b'+' => (Qualifier::Pass, &term[1..], true),
        b'-' => (Qualifier::Fail, &term[1..], true),
        b'~' => (Qualifier::SoftFail, &term[1..], true),
        b'?' => (Qualifier::Neutral, &term[1..], true),
        _ => (Qualifier::Pass, term, false),
    };
    let name_end = body.find([':', '/', '=']).unwrap_or(body.len());
    let name = &body[..name_end];
    let rest = &body[name_end..];
    // Modifier: name "=" macro-string (§6, §12).
    if let Some(value) = rest.strip_prefix('=') {
        if qualified {
            return Err("a modifier cannot take a qualifier".into());
        }
        if !valid_modifier_name(name) {
            return Err(format!("`{name}` is not a valid modifier name"));
        }
        return match name.to_ascii_lowercase().as_str() {
            "redirect" => {
                check_domain_spec(value).map_err(|e| format!("redirect target: {e}"))?;
                Ok(Term::Redirect(value.to_string()))
            }
            "exp" => {
                check_domain_spec(value).map_err(|e| format!("exp target: {e}"))?;
                Ok(Term::Exp(value.to_string()))
            }
            _ => {
                check_macro_string(value, true)?;
                Ok(Term::Unknown {
                    name: name.to_string(),
                    value: value.to_string(),
                })
            }
        };
    }
    let lname = name.to_ascii_lowercase();
    let mechanism = match lname.as_str() {
        "all" => {
            if !rest.is_empty() {
                return Err("`all` takes no argument (RFC 7208 §5.1)".into());
            }
            Mechanism::All
        }
        "include" | "exists" => {
            let spec = rest
                .strip_prefix(':')
                .ok_or_else(|| format!("`{lname}` needs `:<domain>` (RFC 7208 §5.2, §5.7)"))?;
            check_domain_spec(spec)?;
            if lname == "include" {
                Mechanism::Include(spec.to_string())
            } else {
                Mechanism::Exists(spec.to_string())
            }
        }
        "a" | "mx" => {
            let (spec, cidr4, cidr6) = split_dual_cidr(rest)?;
            let domain = match spec {
                "" => None,
                s => {
                    let d = s
                        .strip_prefix(':')
                        .ok_or_else(|| format!("unexpected `{s}` after `{lname}`"))?;
                    check_domain_spec(d)?;
                    Some(d.to_string())
                }
            };
            if lname == "a" {
                Mechanism::A {
                    domain,
                    cidr4,
                    cidr6,
                }
            } else {
                Mechanism::Mx {
                    domain,
                    cidr4,
                    cidr6,
                }
            }
        }
        "ptr" => match rest {
            "" => Mechanism::Ptr(None),
            r => {
                let d = r
                    .strip_prefix(':')
                    .ok_or_else(|| format!("unexpected `{r}` after `ptr`"))?;
                check_domain_spec(d)?;
                Mechanism::Ptr(Some(d.to_string()))
            }
        },
        "ip4" => {
            let v = rest
                .strip_prefix(':')
                .ok_or("`ip4` needs `:<address>` (RFC 7208 §5.6)")?;
            let (addr, cidr) = split_cidr(v, 32)?;
            let ip: Ipv4Addr = addr
                .parse()
                .map_err(|_| format!("`{addr}` is not an IPv4 address (RFC 7208 §5.6)"))?;
            Mechanism::Ip4(ip, cidr)
        }
        "ip6" => {
            let v = rest
                .strip_prefix(':')
                .ok_or("`ip6` needs `:<address>` (RFC 7208 §5.6)")?;
            let (addr, cidr) = split_cidr(v, 128)?;
            let ip: Ipv6Addr = addr
                .parse()
                .map_err(|_| format!("`{addr}` is not an IPv6 address (RFC 7208 §5.6)"))?;
            Mechanism::Ip6(ip, cidr)
        }
        "" => return Err("empty mechanism".into()),
        other => {
            return Err(format!(
                "unknown mechanism `{other}` (RFC 7208 §5: all, include, a, mx, ptr, ip4, ip6, exists)"
            ));
        }
    };
    Ok(Term::Directive {
        qualifier,
        mechanism,
        text: term.to_string(),
    })
}

fn valid_modifier_name(n: &str) -> bool {
    let mut c = n.chars();
    matches!(c.next(), Some(ch) if ch.is_ascii_alphabetic())
        && c.all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '-' | '_' | '.'))
}

/// A prefix length: "0" or no leading zero, at most `max` (ABNF ip4-cidr-length / ip6-cidr-length).
fn cidr_value(digits: &str, max: u8) -> Result<u8, String> {
    let bad = || format!("`/{digits}` is not a prefix length 0-{max}");
    if digits.is_empty()
        || !digits.bytes().all(|b| b.is_ascii_digit())
        || (digits.len() > 1 && digits.starts_with('0'))
        || digits.len() > 3
    {
        return Err(bad());
    }
    let v: u8 = digits.parse().map_err(|_| bad())?;
    if v > max {
        return Err(bad());
    }
    Ok(v)
}

fn split_cidr(v: &str, max: u8) -> Result<(&str, Option<u8>), String> {
    match v.split_once('/') {
        None => Ok((v, None)),
        Some((a, d)) => Ok((a, Some(cidr_value(d, max)?))),
    }
}

/// Splits `[:domain-spec][/n][//m]` from the end.
fn split_dual_cidr(rest: &str) -> Result<(&str, Option<u8>, Option<u8>), String> {
    let mut s = rest;
    let mut cidr6 = None;
    let mut cidr4 = None;
    if let Some(i) = s.rfind("//") {
        let d = &s[i + 2..];
        if d.bytes().all(|b| b.is_ascii_digit()) {
            cidr6 = Some(cidr_value(d, 128)?);
            s = &s[..i];
        }
    }
    if let Some(i) = s.rfind('/') {
        let d = &s[i + 1..];
        if d.bytes().all(|b| b.is_ascii_digit()) {
            cidr4 = Some(cidr_value(d, 32)?);
            s = &s[..i];
        }
    }
    Ok((s, cidr4, cidr6))
}

/// Checks a macro-string (RFC 7208 §7.1). `exp_text` allows the c, r, t letters.
fn check_macro_string(s: &str, exp_text: bool) -> Result<(), String> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                i += 1;
                match b.get(i) {
                    Some(b'%' | b'_' | b'-') => i += 1,
                    Some(b'{') => {
                        let end = s[i..]
                            .find('}')
                            .map(|e| i + e)
                            .ok_or("unterminated macro `%{` (RFC 7208 §7.1)")?;
                        check_macro_body(&s[i + 1..end], exp_text)?;
                        i = end + 1;
                    }
                    _ => {
                        return Err(
                            "a `%` must start a macro: `%{x}`, `%%`, `%_` or `%-` (RFC 7208 §7.1)"
                                .into(),
                        );
                    }
                }
            }
            0x21..=0x7e => i += 1,
            _ => return Err("invalid character in macro-string (RFC 7208 §7.1)".into()),
        }
    }
    Ok(())
}

/// `letter transformers *delimiter` inside `%{...}`.
fn check_macro_body(body: &str, exp_text: bool) -> Result<(), String> {
    let mut chars = body.chars();
    let letter = chars
        .next()
        .ok_or("empty macro `%{}` (RFC 7208 §7.1)")?
        .to_ascii_lowercase();
    match letter {
        's' | 'l' | 'o' | 'd' | 'i' | 'p' | 'h' | 'v' => {}
        'c' | 'r' | 't' if exp_text => {}
        'c' | 'r' | 't' => {
            return Err(format!(
                "macro letter `{letter}` is allowed only in explanation text (RFC 7208 §7.2)"
            ));
        }
        other => return Err(format!("unknown macro letter `{other}` (RFC 7208 §7.2)")),
    }
    let rest = chars.as_str();
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    if !digits.is_empty() && digits.trim_start_matches('0').is_empty() {
        return Err("a macro's digit transformer must be non-zero (RFC 7208 §7.3)".into());
    }
    let mut tail = &rest[digits.len()..];
    if let Some(t) = tail.strip_prefix(['r', 'R']) {
        tail = t;
    }
    if let Some(c) = tail
        .chars()
        .find(|c| !matches!(c, '.' | '-' | '+' | ',' | '/' | '_' | '='))
    {
        return Err(format!("invalid macro delimiter `{c}` (RFC 7208 §7.1)"));
    }
    Ok(())
}

/// Checks a domain-spec: a macro-string ending in `.toplabel[.]` or in a macro (RFC 7208 §7.1).
pub fn check_domain_spec(spec: &str) -> Result<(), String> {
    if spec.is_empty() {
        return Err("empty domain".into());
    }
    check_macro_string(spec, false)?;
    if spec.ends_with('}') || spec.ends_with("%%") || spec.ends_with("%_") || spec.ends_with("%-") {
        // domain-end is a macro-expand. (`%%` etc. are macro-expands too per the ABNF.)
        return Ok(());
    }
    let s = spec.strip_suffix('.').unwrap_or(spec);
    // The literal tail after the last macro.
    let literal = match s.rfind('}') {
        Some(i) => &s[i + 1..],
        None => s,
    };
    let Some(dot) = literal.rfind('.') else {
        return Err(format!(
            "`{spec}` is not a fully qualified domain (needs a dot and a top label, RFC 7208 §7.1)"
        ));
    };
    let top = &literal[dot + 1..];
    if !valid_toplabel(top) {
        return Err(format!(
            "`{top}` is not a valid top-level label (RFC 7208 §7.1 toplabel)"
        ));
    }
    let labels_part = if s.rfind('}').is_some() {
        &literal[..dot]
    } else {
        s
    };
    for label in labels_part.split('.') {
        if label.len() > 63 {
            return Err(format!(
                "label `{}` is longer than 63 characters",
                clip(label, 20)
            ));
        }
    }
    if s.rfind('}').is_none() && s.split('.').any(str::is_empty) {
        return Err(format!("`{spec}` has an empty label"));
    }
    Ok(())
}

fn valid_toplabel(t: &str) -> bool {
    !t.is_empty()
        && t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !t.starts_with('-')
        && !t.ends_with('-')
        && t.bytes().any(|b| b.is_ascii_alphabetic())
}

/// Expands a domain-spec whose macros depend only on the current domain (`%{d}` with
/// transformers, `%%`, `%_`, `%-`). Returns `None` when it needs the sender, client IP or HELO
/// name, which a static check does not have.
pub fn expand_static(spec: &str, domain: &str) -> Option<String> {
    let mut out = String::new();
    let b = spec.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'%' {
            out.push(b[i] as char);
            i += 1;
            continue;
        }
        match b.get(i + 1)? {
            b'%' => out.push('%'),
            b'_' => out.push(' '),
            b'-' => out.push_str("%20"),
            b'{' => {
                let end = i + spec[i..].find('}')?;
                let body = &spec[i + 2..end];
                let mut c = body.chars();
                if !c.next()?.eq_ignore_ascii_case(&'d') {
                    return None;
                }
                let rest = c.as_str();
                let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
                let mut tail = &rest[digits.len()..];
                let reverse = tail.starts_with(['r', 'R']);
                if reverse {
                    tail = &tail[1..];
                }
                let delims: Vec<char> = if tail.is_empty() {
                    vec!['.']
                } else {
                    tail.chars().collect()
                };
                let mut parts: Vec<&str> = domain.split(|ch| delims.contains(&ch)).collect();
                if reverse {
                    parts.reverse();
                }
                if let Ok(n) = digits.parse::<usize>()
                    && n > 0
                    && n < parts.len()
                {
                    parts = parts[parts.len() - n..].to_vec();
                }
                out.push_str(&parts.join("."));
                i = end + 1;
                continue;
            }
            _ => return None,
        }
        i += 2;
    }
    // §4.8: over-long names are truncated from the left; a trailing dot is dropped.
    let mut s = out.trim_end_matches('.').to_ascii_lowercase();
    while s.len() > 253 {
        match s.split_once('.') {
            Some((_, r)) => s = r.to_string(),
            None => return None,
        }
    }
    Some(s)
}

/// What a DNS question produced, as far as SPF cares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer<T> {
    /// Records found.
    Found(T),
    /// NXDOMAIN or NOERROR with no data: a void lookup (RFC 7208 §4.6.4). The text says which.
    Void(String),
    /// The query failed (SERVFAIL, timeout...): a temperror.
    Error(String),
}

/// DNS as the SPF evaluator needs it. Implemented over the shared resolver by the check and
/// over a map in the tests.
pub trait SpfDns: Send + Sync {
    /// TXT strings at `name` (each record's strings already joined).
    fn txt<'a>(&'a self, name: &'a str) -> BoxFuture<'a, Answer<Vec<String>>>;
    /// MX exchange names at `name`.
    fn mx<'a>(&'a self, name: &'a str) -> BoxFuture<'a, Answer<Vec<String>>>;
    /// Number of A + AAAA records at `name`.
    fn addrs<'a>(&'a self, name: &'a str) -> BoxFuture<'a, Answer<usize>>;
}

/// One record in the evaluated tree.
#[derive(Debug, Clone, Default)]
pub struct Node {
    /// How it was reached: the host itself, `include:x` or `redirect=x`.
    pub via: String,
    /// The domain whose record this is.
    pub domain: String,
    /// The record text (clipped), when one was found.
    pub record: Option<String>,
    /// DNS-querying terms in this record and everything below it.
    pub lookups: usize,
    /// Void lookups in this record and everything below it.
    pub voids: usize,
    /// Remarks about single terms (void, loop, not followed...).
    pub notes: Vec<String>,
    /// Included / redirected records.
    pub children: Vec<Node>,
}

/// The result of evaluating one host's SPF.
#[derive(Debug, Clone, Default)]
pub struct Evaluation {
    /// The tree, rooted at the host.
    pub root: Node,
    /// Total DNS-querying terms.
    pub lookups: usize,
    /// Total void lookups.
    pub voids: usize,
    /// The terms that were void, as `domain: term -> outcome`.
    pub void_terms: Vec<String>,
    /// Include/redirect loops, as `a -> b -> a`.
    pub loops: Vec<String>,
    /// Records in the tree that do not parse: (domain, error).
    pub syntax: Vec<(String, SpfError)>,
    /// Domains reached by include/redirect with no or several SPF records (permerror, §5.2, §6.1).
    pub broken_targets: Vec<String>,
    /// `+all`/`?all` that decide the result: (domain, term).
    pub permissive: Vec<(String, String)>,
    /// Other permerror causes (mx with more than 10 hosts...).
    pub other_errors: Vec<String>,
    /// Queries that failed (temperror).
    pub temp_errors: Vec<String>,
    /// True when the evaluator stopped following because of its own caps.
    pub truncated: bool,
}

struct Walk<'a> {
    dns: &'a dyn SpfDns,
    ev: Evaluation,
    followed: usize,
}

/// Evaluates the SPF tree of `domain`, whose (single, parsed) record is `record`.
pub async fn evaluate(dns: &dyn SpfDns, domain: &str, record: &str) -> Evaluation {
    let mut w = Walk {
        dns,
        ev: Evaluation::default(),
        followed: 0,
    };
    let domain = domain.trim_end_matches('.').to_ascii_lowercase();
    let mut path = vec![domain.clone()];
    let root = walk(
        &mut w,
        domain.clone(),
        domain,
        record.to_string(),
        &mut path,
        Reach::Decides,
    )
    .await;
    w.ev.lookups = root.lookups;
    w.ev.voids = root.voids;
    w.ev.root = root;
    w.ev
}

/// How a record's `all` reaches the host's result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reach {
    /// The record decides the result (the host's own record or one it redirects to): `+all`
    /// and `?all` are the result for strangers.
    Decides,
    /// Reached through `+include` from a deciding record: a `+all` here makes the include
    /// match for everyone; `?all` only makes it not match (RFC 7208 §5.2 table).
    IncludePass,
    /// Anything else: its `all` cannot make the host pass.
    Nothing,
}

/// Walks one record, counting its terms and those of everything it includes or redirects to.
fn walk<'a, 'w>(
    w: &'w mut Walk<'a>,
    via: String,
    domain: String,
    record: String,
    path: &'w mut Vec<String>,
    reach: Reach,
) -> BoxFuture<'w, Node>
where
    'a: 'w,
{
    Box::pin(async move {
        let mut node = Node {
            via,
            domain: domain.clone(),
            record: Some(clip(&record, QUOTE_CAP)),
            ..Node::default()
        };
        let parsed = match parse(&record) {
            Ok(p) => p,
            Err(e) => {
                w.ev.syntax.push((domain.clone(), e.clone()));
                node.notes.push(format!("does not parse: {e}"));
                return node;
            }
        };
        let all = parsed.all();
        if let Some((q, text)) = all {
            let permissive = match reach {
                Reach::Decides => matches!(q, Qualifier::Pass | Qualifier::Neutral),
                Reach::IncludePass => q == Qualifier::Pass,
                Reach::Nothing => false,
            };
            if permissive {
                w.ev.permissive.push((domain.clone(), text.to_string()));
            }
        }
        for term in &parsed.terms {
            let (target, kind, qualifier) = match term {
                Term::Directive {
                    mechanism,
                    qualifier,
                    ..
                } if mechanism.queries_dns() => (mechanism, term_text(term), *qualifier),
                Term::Redirect(_) if all.is_some() => {
                    node.notes.push(
                        "redirect= ignored because the record has `all` (RFC 7208 §6.1)".into(),
                    );
                    continue;
                }
                Term::Redirect(spec) => {
                    node.lookups += 1;
                    let d =
                        follow_target(w, &mut node, spec, &domain, &term_text(term), path).await;
                    if let Some((name, txt)) = d {
                        path.push(name.clone());
                        let child = walk(w, term_text(term), name, txt, path, reach).await;
                        path.pop();
                        node.lookups += child.lookups;
                        node.voids += child.voids;
                        node.children.push(child);
                    }
                    continue;
                }
                _ => continue,
            };
            node.lookups += 1;
            if w.followed >= FOLLOW_CAP {
                w.ev.truncated = true;
                continue;
            }
            w.followed += 1;
            match target {
                Mechanism::Include(spec) => {
                    let d = follow_target(w, &mut node, spec, &domain, &kind, path).await;
                    if let Some((name, txt)) = d {
                        path.push(name.clone());
                        let child = walk(
                            w,
                            kind.clone(),
                            name,
                            txt,
                            path,
                            if reach != Reach::Nothing && qualifier == Qualifier::Pass {
                                Reach::IncludePass
                            } else {
                                Reach::Nothing
                            },
                        )
                        .await;
                        path.pop();
                        node.lookups += child.lookups;
                        node.voids += child.voids;
                        node.children.push(child);
                    }
                }
                Mechanism::A { domain: spec, .. } => {
                    let Some(name) = target_name(spec.as_deref(), &domain) else {
                        node.notes
                            .push(format!("{kind}: macro depends on the sender; not resolved"));
                        continue;
                    };
                    match w.dns.addrs(&name).await {
                        Answer::Found(_) => {}
                        Answer::Void(why) => void(w, &mut node, &domain, &kind, &name, &why),
                        Answer::Error(e) => temp(w, &mut node, &kind, &name, &e),
                    }
                }
                Mechanism::Exists(spec) => {
                    let Some(name) = target_name(Some(spec), &domain) else {
                        node.notes
                            .push(format!("{kind}: macro depends on the sender; not resolved"));
                        continue;
                    };
                    match w.dns.addrs(&name).await {
                        Answer::Found(_) => {}
                        Answer::Void(why) => void(w, &mut node, &domain, &kind, &name, &why),
                        Answer::Error(e) => temp(w, &mut node, &kind, &name, &e),
                    }
                }
                Mechanism::Mx { domain: spec, .. } => {
                    let Some(name) = target_name(spec.as_deref(), &domain) else {
                        node.notes
                            .push(format!("{kind}: macro depends on the sender; not resolved"));
                        continue;
                    };
                    match w.dns.mx(&name).await {
                        Answer::Found(hosts) if hosts.len() > LOOKUP_LIMIT => {
                            let m = format!(
                                "{domain}: {kind} -> {name} has {} MX hosts; more than 10 is a permerror (RFC 7208 §4.6.4)",
                                hosts.len()
                            );
                            node.notes.push(m.clone());
                            w.ev.other_errors.push(m);
                        }
                        Answer::Found(_) => {}
                        Answer::Void(why) => void(w, &mut node, &domain, &kind, &name, &why),
                        Answer::Error(e) => temp(w, &mut node, &kind, &name, &e),
                    }
                }
                Mechanism::Ptr(_) => {
                    node.notes.push(format!(
                        "{kind}: needs the client's IP, not resolved; `ptr` is deprecated (RFC 7208 §5.5)"
                    ));
                }
                _ => {}
            }
        }
        node
    })
}

fn term_text(t: &Term) -> String {
    match t {
        Term::Directive { text, .. } => text.clone(),
        Term::Redirect(d) => format!("redirect={d}"),
        Term::Exp(d) => format!("exp={d}"),
        Term::Unknown { name, value } => format!("{name}={value}"),
    }
}

fn target_name(spec: Option<&str>, domain: &str) -> Option<String> {
    match spec {
        None => Some(domain.to_string()),
        Some(s) => expand_static(s, domain),
    }
}

fn void(w: &mut Walk<'_>, node: &mut Node, domain: &str, kind: &str, name: &str, why: &str) {
    node.voids += 1;
    node.notes
        .push(format!("{kind}: {name} {why} (void lookup)"));
    w.ev.void_terms.push(format!("{domain}: {kind} -> {why}"));
}

fn temp(w: &mut Walk<'_>, node: &mut Node, kind: &str, name: &str, e: &str) {
    node.notes.push(format!("{kind}: {name}: {e} (temperror)"));
    w.ev.temp_errors.push(format!("{kind} -> {name}: {e}"));
}

/// Resolves an include/redirect target to its single SPF record, recording loops, void
/// lookups and permerrors. Returns (name, record) when the branch should be walked.
async fn follow_target(
    w: &mut Walk<'_>,
    node: &mut Node,
    spec: &str,
    domain: &str,
    kind: &str,
    path: &[String],
) -> Option<(String, String)> {
    let Some(name) = expand_static(spec, domain) else {
        node.notes
            .push(format!("{kind}: macro depends on the sender; not followed"));
        return None;
    };
    if path.contains(&name) {
        let mut cycle: Vec<&str> = path.iter().map(String::as_str).collect();
        cycle.push(&name);
        let l = cycle.join(" -> ");
        node.notes.push(format!(
            "{kind}: loop ({l}); evaluation recurses until the 10-lookup limit (permerror)"
        ));
        w.ev.loops.push(l);
        return None;
    }
    if path.len() >= DEPTH_CAP {
        w.ev.truncated = true;
        node.notes.push(format!(
            "{kind}: nesting deeper than {DEPTH_CAP}; not followed"
        ));
        return None;
    }
    match w.dns.txt(&name).await {
        Answer::Found(txts) => {
            let spf: Vec<String> = txts.into_iter().filter(|t| is_spf(t)).collect();
            match spf.len() {
                1 => spf.into_iter().next().map(|r| (name, r)),
                0 => {
                    let m = format!(
                        "{kind}: {name} publishes no SPF record (permerror, RFC 7208 §5.2)"
                    );
                    node.notes.push(m.clone());
                    w.ev.broken_targets.push(m);
                    None
                }
                n => {
                    let m = format!(
                        "{kind}: {name} publishes {n} SPF records (permerror, RFC 7208 §4.5)"
                    );
                    node.notes.push(m.clone());
                    w.ev.broken_targets.push(m);
                    None
                }
            }
        }
        Answer::Void(why) => {
            void(w, node, domain, kind, &name, &why);
            w.ev.broken_targets.push(format!(
                "{kind}: {name} {why}, so it has no SPF record (permerror, RFC 7208 §5.2)"
            ));
            None
        }
        Answer::Error(e) => {
            temp(w, node, kind, &name, &e);
            None
        }
    }
}

/// Renders the tree: one line per record with its branch's lookup count, notes beneath.
pub fn render_tree(ev: &Evaluation) -> String {
    let mut out = String::new();
    let mut lines = 0;
    render_node(&ev.root, 0, true, &mut out, &mut lines);
    if ev.truncated {
        out.push_str("  (stopped following after the evaluator's own caps)\n");
    }
    out.trim_end().to_string()
}

fn render_node(n: &Node, depth: usize, root: bool, out: &mut String, lines: &mut usize) {
    const MAX_LINES: usize = 60;
    if *lines >= MAX_LINES {
        if *lines == MAX_LINES {
            out.push_str("  ...\n");
            *lines += 1;
        }
        return;
    }
    let indent = "  ".repeat(depth);
    // A branch's count: the include/redirect itself plus everything inside it.
    let branch = if root { n.lookups } else { n.lookups + 1 };
    let head = if root {
        n.domain.clone()
    } else {
        n.via.clone()
    };
    let _ = write!(out, "{indent}{head} [{branch} lookup{}", plural(branch));
    if n.voids > 0 {
        let _ = write!(out, ", {} void", n.voids);
    }
    let _ = writeln!(
        out,
        "]: \"{}\"",
        n.record.as_deref().unwrap_or("(no record)")
    );
    *lines += 1;
    for note in &n.notes {
        if *lines >= MAX_LINES {
            break;
        }
        let _ = writeln!(out, "{indent}  ! {note}");
        *lines += 1;
    }
    for c in &n.children {
        render_node(c, depth + 1, false, out, lines);
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Clips text for evidence, on a char boundary, marking the cut and the full length.
pub use crate::text::clip;

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn rfc_examples_parse() {
        // RFC 7208 §A.1 / §A.2 / §A.3 examples.
        for r in [
            "v=spf1 +all",
            "v=spf1 a -all",
            "v=spf1 a:example.org -all",
            "v=spf1 mx -all",
            "v=spf1 mx:example.org -all",
            "v=spf1 mx mx:example.org -all",
            "v=spf1 mx/30 mx:example.org/30 -all",
            "v=spf1 ptr -all",
            "v=spf1 ip4:192.0.2.128/28 -all",
            "v=spf1 include:example.com include:example.net -all",
            "v=spf1 redirect=example.org",
            "v=spf1 mx:%{d}/26 ip6:2001:db8::/32 a//64 a:foo.example/24//64 ~all",
            "v=spf1 exists:%{ir}.%{l1r+-}._spf.%{d} -all",
            "v=spf1 -all exp=explain._spf.%{d}",
            "V=SPF1 MX -ALL",
            "v=spf1",
            "v=spf1 ?all moo=bar.baz",
        ] {
            assert!(parse(r).is_ok(), "{r}: {:?}", parse(r));
        }
        let p = parse("v=spf1 mx/30 ip4:192.0.2.128/28 -all").unwrap();
        assert_eq!(
            p.terms[0],
            Term::Directive {
                qualifier: Qualifier::Pass,
                mechanism: Mechanism::Mx {
                    domain: None,
                    cidr4: Some(30),
                    cidr6: None
                },
                text: "mx/30".into()
            }
        );
        assert_eq!(p.all().map(|a| a.0), Some(Qualifier::Fail));
    }

    #[test]
    fn bad_terms_are_named() {
        for (r, bad) in [
            ("v=spf1 ip4:300.1.2.3 -all", "ip4:300.1.2.3"),
            ("v=spf1 ip4:1.2.3.4/33 -all", "ip4:1.2.3.4/33"),
            ("v=spf1 ip6:2001:db8::/129 -all", "ip6:2001:db8::/129"),
            ("v=spf1 include -all", "include"),
            ("v=spf1 include:localhost -all", "include:localhost"),
            ("v=spf1 mx:bad..domain.com -all", "mx:bad..domain.com"),
            ("v=spf1 a:example.123 -all", "a:example.123"),
            ("v=spf1 all:foo.com", "all:foo.com"),
            ("v=spf1 ipv4:1.2.3.4 -all", "ipv4:1.2.3.4"),
            ("v=spf1 include:_spf.google.com \u{2013}all", "\u{2013}all"),
            (
                "v=spf1 exists:%{x}.example.com -all",
                "exists:%{x}.example.com",
            ),
            (
                "v=spf1 exists:%{c}.example.com -all",
                "exists:%{c}.example.com",
            ),
            (
                "v=spf1 exists:%{d0}.example.com -all",
                "exists:%{d0}.example.com",
            ),
            (
                "v=spf1 exists:%{d.example.com -all",
                "exists:%{d.example.com",
            ),
            ("v=spf1 a:50%.example.com -all", "a:50%.example.com"),
            ("v=spf1 redirect=a.com redirect=b.com", "redirect=b.com"),
            ("v=spf1 -redirect=a.com", "-redirect=a.com"),
            ("v=spf1 1abc=x", "1abc=x"),
            ("v=spf1 a/0032", "a/0032"),
        ] {
            let e = parse(r).expect_err(r);
            assert_eq!(e.term, bad, "{r}: {e}");
        }
        assert!(parse("v=spf10 -all").is_err());
        assert!(!is_spf("v=spf10 -all"));
        assert!(!is_spf(" v=spf1 -all"));
        assert!(is_spf("v=spf1"));
    }

    #[test]
    fn static_macro_expansion() {
        assert_eq!(
            expand_static("_spf.%{d}", "example.com").as_deref(),
            Some("_spf.example.com")
        );
        // RFC 7208 §7.4 examples with %{d} forms.
        assert_eq!(
            expand_static("%{d4}", "email.example.com").as_deref(),
            Some("email.example.com")
        );
        assert_eq!(
            expand_static("%{d2}", "email.example.com").as_deref(),
            Some("example.com")
        );
        assert_eq!(
            expand_static("%{dr}", "email.example.com").as_deref(),
            Some("com.example.email")
        );
        assert_eq!(
            expand_static("%{d2r}", "email.example.com").as_deref(),
            Some("example.email")
        );
        assert_eq!(expand_static("%{ir}.example.com", "x.com"), None);
    }

    /// A map-backed DNS for evaluator tests.
    struct Map(HashMap<String, Vec<String>>);

    impl SpfDns for Map {
        fn txt<'a>(&'a self, name: &'a str) -> BoxFuture<'a, Answer<Vec<String>>> {
            Box::pin(async move {
                match self.0.get(name) {
                    Some(v) => Answer::Found(v.clone()),
                    None => Answer::Void("NXDOMAIN".into()),
                }
            })
        }
        fn mx<'a>(&'a self, name: &'a str) -> BoxFuture<'a, Answer<Vec<String>>> {
            Box::pin(async move {
                match self.0.get(&format!("mx:{name}")) {
                    Some(v) => Answer::Found(v.clone()),
                    None => Answer::Void("NOERROR with no data".into()),
                }
            })
        }
        fn addrs<'a>(&'a self, name: &'a str) -> BoxFuture<'a, Answer<usize>> {
            Box::pin(async move {
                if self.0.contains_key(&format!("a:{name}")) {
                    Answer::Found(1)
                } else {
                    Answer::Void("NXDOMAIN".into())
                }
            })
        }
    }

    fn map(entries: &[(&str, &str)]) -> Map {
        let mut m: HashMap<String, Vec<String>> = HashMap::new();
        for (k, v) in entries {
            m.entry(k.to_string()).or_default().push(v.to_string());
        }
        Map(m)
    }

    fn block_on<F: std::future::Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime")
            .block_on(f)
    }

    #[test]
    fn counts_lookups_per_branch() {
        let dns = map(&[
            ("a.test", "v=spf1 include:b.test include:c.test a mx -all"),
            ("b.test", "v=spf1 a mx include:d.test ~all"),
            ("c.test", "v=spf1 a mx a:x.c.test mx:y.c.test ~all"),
            ("d.test", "v=spf1 a mx ptr ?all"),
            ("a:a.test", ""),
            ("a:b.test", ""),
            ("a:c.test", ""),
            ("a:d.test", ""),
            ("a:x.c.test", ""),
            ("mx:a.test", "mx.a.test"),
            ("mx:b.test", "mx.a.test"),
            ("mx:c.test", "mx.a.test"),
            ("mx:d.test", "mx.a.test"),
            ("mx:y.c.test", "mx.a.test"),
        ]);
        let ev = block_on(evaluate(
            &dns,
            "a.test",
            "v=spf1 include:b.test include:c.test a mx -all",
        ));
        // root: include b (1 + a, mx, include d (1 + a mx ptr)) = 7, include c (1 + 4) = 5, a, mx.
        assert_eq!(ev.lookups, 14, "{}", render_tree(&ev));
        assert_eq!(ev.voids, 0);
        let tree = render_tree(&ev);
        assert!(tree.contains("a.test [14 lookups]"), "{tree}");
        assert!(tree.contains("include:b.test [7 lookups]"), "{tree}");
        assert!(tree.contains("include:d.test [4 lookups]"), "{tree}");
        assert!(tree.contains("include:c.test [5 lookups]"), "{tree}");
        // ?all inside a +include of a passing record is not permissive for the host: the
        // include only matches on pass.
        assert!(ev.permissive.is_empty());
    }

    #[test]
    fn detects_loops_voids_and_missing_targets() {
        let dns = map(&[
            ("l.test", "v=spf1 include:m.test -all"),
            ("m.test", "v=spf1 include:l.test -all"),
        ]);
        let ev = block_on(evaluate(&dns, "l.test", "v=spf1 include:m.test -all"));
        assert_eq!(ev.loops, vec!["l.test -> m.test -> l.test".to_string()]);

        let dns = map(&[("x.test", "not spf")]);
        let ev = block_on(evaluate(
            &dns,
            "v.test",
            "v=spf1 a:n1.test mx:n2.test exists:n3.test include:x.test include:gone.test -all",
        ));
        assert_eq!(ev.voids, 4, "{:?}", ev.void_terms);
        assert_eq!(ev.broken_targets.len(), 2, "{:?}", ev.broken_targets);
        assert_eq!(ev.lookups, 5);
    }

    #[test]
    fn permissive_all_through_redirect_and_include() {
        let dns = map(&[("p.test", "v=spf1 +all")]);
        let ev = block_on(evaluate(&dns, "r.test", "v=spf1 redirect=p.test"));
        assert_eq!(ev.permissive, vec![("p.test".into(), "+all".into())]);
        let ev = block_on(evaluate(&dns, "r.test", "v=spf1 include:p.test -all"));
        assert_eq!(ev.permissive.len(), 1);
        let ev = block_on(evaluate(&dns, "r.test", "v=spf1 ?all"));
        assert_eq!(ev.permissive, vec![("r.test".into(), "?all".into())]);
        let ev = block_on(evaluate(&dns, "r.test", "v=spf1 ~include:p.test -all"));
        assert!(ev.permissive.is_empty());
    }

    #[test]
    fn diamond_trees_stop_at_the_cap() {
        // Every level includes the next twice: 2^20 paths without a cap.
        let mut entries = Vec::new();
        let recs: Vec<(String, String)> = (0..20)
            .map(|i| {
                (
                    format!("d{i}.test"),
                    format!(
                        "v=spf1 include:d{}.test include:d{}.test -all",
                        i + 1,
                        i + 1
                    ),
                )
            })
            .collect();
        for (k, v) in &recs {
            entries.push((k.as_str(), v.as_str()));
        }
        let dns = map(&entries);
        let ev = block_on(evaluate(&dns, "d0.test", &recs[0].1));
        assert!(ev.truncated);
        assert!(ev.lookups > LOOKUP_LIMIT);
    }

    proptest::proptest! {
        #[test]
        fn parse_never_panics(s in "\\PC{0,300}") {
            let _ = parse(&s);
            let _ = parse(&format!("v=spf1 {s}"));
            let _ = expand_static(&s, "example.com");
        }

        #[test]
        fn parse_never_panics_on_spf_like_terms(
            terms in proptest::collection::vec("[-+~?]?(all|include|a|mx|ptr|ip4|ip6|exists|redirect|exp|x)[:=/]?[%{}a-z0-9./:_-]{0,20}", 0..12)
        ) {
            let r = format!("v=spf1 {}", terms.join(" "));
            let _ = parse(&r);
        }
    }
}
