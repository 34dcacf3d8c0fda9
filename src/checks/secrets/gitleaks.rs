//! Loading extra rules from a gitleaks-format TOML file.
//!
//! Supported: `[[rules]]` with `id`, `description`, `regex`, `secretGroup`,
//! `entropy`, `keywords`, `path`, `tags` (ignored harmlessly), and rule
//! allowlists in both the legacy `[rules.allowlist]` table and the newer
//! `[[rules.allowlists]]` array (`regexes`, `regexTarget` =
//! secret/match/line, `paths`, `stopwords`, `condition` = OR/AND); the global
//! `[allowlist]` (and `[[allowlists]]` without `targetRules`).
//!
//! Not supported, reported as warnings naming the file and rule: `[extend]`
//! (gitleaks' own default rules are not loaded; launchready's built-in rules
//! are used instead), path-only rules (no `regex`), allowlist `commits`,
//! global allowlists with `targetRules`, unknown fields, and regexes the Rust
//! `regex` crate cannot compile (e.g. look-around): such a rule is skipped.
//!
//! Rule ids become `secret.<id>` with every character outside `[a-z0-9_]`
//! mapped to `_`. Severity is critical unless the id or description says the
//! rule is "generic" (then medium).

use std::path::Path;

use regex::bytes::RegexBuilder;
use toml::{Table, Value};

use super::SecretSeverity;
use super::SecretsError;
use super::engine::{AllowList, AllowTarget, ExtraRule};

/// Result of loading a rules file.
pub(crate) struct Loaded {
    pub rules: Vec<ExtraRule>,
    pub global_allow: Vec<AllowList>,
    /// "loaded N of M rules" first, then one line per dropped rule, allowlist
    /// or field (each naming the file and the rule).
    pub warnings: Vec<String>,
}

/// Rewrites a Go (RE2) regex for the Rust `regex` crate: RE2 reads a `{` that
/// does not open a repetition (`{2}`, `{2,}`, `{2,5}`) as a literal brace,
/// the Rust crate rejects it, so such braces are escaped. Classes and escapes
/// are copied unchanged.
pub(crate) fn translate_go_regex(src: &str) -> String {
    let b = src.as_bytes();
    let mut out = String::with_capacity(src.len() + 4);
    let mut i = 0;
    let mut in_class = false;
    while i < b.len() {
        let c = b[i];
        match c {
            b'\\' => {
                // copy the escape and the escaped character (UTF-8 safe)
                let len = src[i + 1..].chars().next().map_or(0, char::len_utf8);
                out.push_str(&src[i..i + 1 + len]);
                i += 1 + len;
                continue;
            }
            b'[' if !in_class => {
                in_class = true;
                out.push('[');
                // a `]` right after `[` or `[^` is literal
                if b.get(i + 1) == Some(&b'^') {
                    out.push('^');
                    i += 1;
                }
                if b.get(i + 1) == Some(&b']') {
                    out.push(']');
                    i += 1;
                }
            }
            b']' if in_class => {
                in_class = false;
                out.push(']');
            }
            b'{' if !in_class && !opens_repetition(&b[i..]) => out.push_str("\\{"),
            b'}' if !in_class && !closes_repetition(&b[..i]) => out.push_str("\\}"),
            _ => {
                let ch = src[i..].chars().next().unwrap_or('\u{fffd}');
                out.push(ch);
                i += ch.len_utf8();
                continue;
            }
        }
        i += 1;
    }
    out
}

/// `{n}`, `{n,}` or `{n,m}` at the start of `b`.
fn opens_repetition(b: &[u8]) -> bool {
    let mut i = 1;
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i > start
    };
    if !digits(&mut i) {
        return false;
    }
    if b.get(i) == Some(&b',') {
        i += 1;
        digits(&mut i);
    }
    b.get(i) == Some(&b'}')
}

/// The `}` at the end of `before` + `}` closes a repetition `{n}`/`{n,}`/`{n,m}`.
fn closes_repetition(before: &[u8]) -> bool {
    let Some(open) = before.iter().rposition(|&c| c == b'{') else {
        return false;
    };
    let escaped = open > 0 && before[open - 1] == b'\\';
    !escaped && opens_repetition(&[&before[open..], b"}"].concat())
}

const REGEX_SIZE_LIMIT: usize = 8 * 1024 * 1024;

/// Maps a gitleaks id to a launchready rule id.
pub(crate) fn map_id(id: &str) -> String {
    let body: String = id
        .to_ascii_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("secret.{body}")
}

/// Reads and translates a gitleaks-format rules file.
pub(crate) fn load(path: &Path) -> Result<Loaded, SecretsError> {
    let text = std::fs::read_to_string(path).map_err(|source| SecretsError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    parse(&text, path)
}

/// Translates gitleaks-format TOML text; `path` is only used in messages.
pub(crate) fn parse(text: &str, path: &Path) -> Result<Loaded, SecretsError> {
    let file = path.display().to_string();
    let table: Table = toml::from_str(text).map_err(|e| SecretsError::RulesParse {
        path: path.to_path_buf(),
        message: e.to_string().trim_end().to_string(),
    })?;
    let mut warnings = Vec::new();
    let mut rules = Vec::new();
    let mut global_allow = Vec::new();

    for (key, value) in &table {
        match key.as_str() {
            "title" | "description" | "minVersion" => {}
            "extend" => warnings.push(format!(
                "{file}: [extend] is not supported: gitleaks' default rules are not loaded \
                 (launchready's built-in rules are used instead)"
            )),
            "allowlist" => {
                if let Some(t) = value.as_table() {
                    let ctx = format!("{file}: global [allowlist]");
                    global_allow.extend(parse_allowlist(t, &ctx, true, &mut warnings));
                } else {
                    warnings.push(format!("{file}: [allowlist] is not a table; ignored"));
                }
            }
            "allowlists" => {
                for (i, v) in value.as_array().into_iter().flatten().enumerate() {
                    let ctx = format!("{file}: global [[allowlists]] #{}", i + 1);
                    match v.as_table() {
                        Some(t) => {
                            global_allow.extend(parse_allowlist(t, &ctx, true, &mut warnings))
                        }
                        None => warnings.push(format!("{ctx}: not a table; ignored")),
                    }
                }
            }
            "rules" => {
                let Some(arr) = value.as_array() else {
                    warnings.push(format!(
                        "{file}: `rules` is not an array of tables; ignored"
                    ));
                    continue;
                };
                for (i, v) in arr.iter().enumerate() {
                    match v.as_table() {
                        Some(t) => {
                            if let Some(r) = parse_rule(t, i, &file, &mut warnings) {
                                rules.push(r);
                            }
                        }
                        None => warnings
                            .push(format!("{file}: rule #{} is not a table; skipped", i + 1)),
                    }
                }
            }
            other => warnings.push(format!(
                "{file}: top-level field `{other}` is not supported; ignored"
            )),
        }
    }
    let total = table
        .get("rules")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    let mut summary = format!("{file}: loaded {} of {total} rules", rules.len());
    if total > rules.len() || !warnings.is_empty() {
        summary.push_str(&format!(
            " ({} dropped; {} notes follow)",
            total - rules.len(),
            warnings.len()
        ));
    }
    warnings.insert(0, summary);
    Ok(Loaded {
        rules,
        global_allow,
        warnings,
    })
}

fn str_list(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

fn parse_rule(
    t: &Table,
    index: usize,
    file: &str,
    warnings: &mut Vec<String>,
) -> Option<ExtraRule> {
    let Some(raw_id) = t.get("id").and_then(Value::as_str) else {
        warnings.push(format!("{file}: rule #{} has no `id`; skipped", index + 1));
        return None;
    };
    let id = map_id(raw_id);
    let ctx = format!("{file}: rule `{raw_id}`");
    let description = t
        .get("description")
        .and_then(Value::as_str)
        .unwrap_or(raw_id);
    for key in t.keys() {
        match key.as_str() {
            "id" | "description" | "regex" | "secretGroup" | "entropy" | "keywords" | "path"
            | "tags" | "allowlist" | "allowlists" => {}
            other => warnings.push(format!("{ctx}: field `{other}` is not supported; ignored")),
        }
    }
    let Some(re_src) = t.get("regex").and_then(Value::as_str) else {
        warnings.push(format!(
            "{ctx}: rules without `regex` (path-only rules) are not supported; skipped"
        ));
        return None;
    };
    // RE2 (gitleaks) classes and \b are ASCII-only: mirror that with (?-u)
    // when the pattern allows it (it does not when it uses \p{..} classes)
    let re_src = &translate_go_regex(re_src);
    let compiled = RegexBuilder::new(&format!("(?-u){re_src}"))
        .size_limit(REGEX_SIZE_LIMIT)
        .build()
        .or_else(|_| {
            RegexBuilder::new(re_src)
                .size_limit(REGEX_SIZE_LIMIT)
                .build()
        });
    let regex = match compiled {
        Ok(r) => r,
        Err(e) => {
            let msg = e.to_string().replace('\n', " ");
            warnings.push(format!(
                "{ctx}: regex cannot be compiled (look-around and back-references are not supported): {msg}; skipped"
            ));
            return None;
        }
    };
    let group = match t.get("secretGroup") {
        None => None,
        Some(v) => match v.as_integer() {
            Some(g) if g >= 0 && (g as usize) < regex.captures_len() => Some(g as usize),
            _ => {
                warnings.push(format!(
                    "{ctx}: secretGroup {v} does not exist in the regex; using the whole match"
                ));
                Some(0)
            }
        },
    };
    let min_entropy = match t.get("entropy") {
        None => None,
        Some(Value::Float(f)) => Some(*f),
        Some(Value::Integer(i)) => Some(*i as f64),
        Some(other) => {
            warnings.push(format!("{ctx}: entropy {other} is not a number; ignored"));
            None
        }
    };
    let path = match t.get("path").and_then(Value::as_str) {
        None => None,
        Some(p) => match regex::RegexBuilder::new(&translate_go_regex(p))
            .size_limit(REGEX_SIZE_LIMIT)
            .build()
        {
            Ok(r) => Some(r),
            Err(e) => {
                let msg = e.to_string().replace('\n', " ");
                warnings.push(format!(
                    "{ctx}: path regex cannot be compiled: {msg}; skipped"
                ));
                return None;
            }
        },
    };
    let mut allow = Vec::new();
    if let Some(v) = t.get("allowlist") {
        match v.as_table() {
            Some(a) => allow.extend(parse_allowlist(
                a,
                &format!("{ctx} [rules.allowlist]"),
                false,
                warnings,
            )),
            None => warnings.push(format!("{ctx}: allowlist is not a table; ignored")),
        }
    }
    if let Some(v) = t.get("allowlists") {
        for (i, a) in v.as_array().into_iter().flatten().enumerate() {
            let actx = format!("{ctx} [[rules.allowlists]] #{}", i + 1);
            match a.as_table() {
                Some(a) => allow.extend(parse_allowlist(a, &actx, false, warnings)),
                None => warnings.push(format!("{actx}: not a table; ignored")),
            }
        }
    }
    let generic = raw_id.to_ascii_lowercase().contains("generic")
        || description.to_ascii_lowercase().contains("generic");
    Some(ExtraRule {
        id,
        title: description.to_string(),
        severity: if generic {
            SecretSeverity::Medium
        } else {
            SecretSeverity::Critical
        },
        regex,
        group,
        keywords: str_list(t.get("keywords"))
            .into_iter()
            .map(|k| k.to_ascii_lowercase())
            .collect(),
        min_entropy,
        path,
        allow,
    })
}

fn parse_allowlist(
    t: &Table,
    ctx: &str,
    global: bool,
    warnings: &mut Vec<String>,
) -> Option<AllowList> {
    let mut all = false;
    let mut target = AllowTarget::Secret;
    for (key, v) in t {
        match key.as_str() {
            "description" | "regexes" | "paths" | "stopwords" => {}
            "condition" => match v.as_str().map(str::to_ascii_uppercase).as_deref() {
                Some("AND") => all = true,
                Some("OR") => all = false,
                _ => warnings.push(format!("{ctx}: condition {v} is not OR/AND; using OR")),
            },
            "regexTarget" => match v.as_str() {
                Some("secret") => target = AllowTarget::Secret,
                Some("match") => target = AllowTarget::Match,
                Some("line") => target = AllowTarget::Line,
                _ => warnings.push(format!(
                    "{ctx}: regexTarget {v} is not secret/match/line; using secret"
                )),
            },
            "commits" => warnings.push(format!(
                "{ctx}: `commits` allowlists are not supported; ignored"
            )),
            "targetRules" if global => {
                warnings.push(format!(
                    "{ctx}: `targetRules` is not supported; this allowlist is skipped"
                ));
                return None;
            }
            other => warnings.push(format!("{ctx}: field `{other}` is not supported; ignored")),
        }
    }
    let mut regexes = Vec::new();
    for r in str_list(t.get("regexes")) {
        match RegexBuilder::new(&translate_go_regex(&r))
            .size_limit(REGEX_SIZE_LIMIT)
            .build()
        {
            Ok(re) => regexes.push(re),
            Err(e) => warnings.push(format!(
                "{ctx}: allowlist regex cannot be compiled: {}; ignored",
                e.to_string().replace('\n', " ")
            )),
        }
    }
    let mut paths = Vec::new();
    for r in str_list(t.get("paths")) {
        match regex::RegexBuilder::new(&translate_go_regex(&r))
            .size_limit(REGEX_SIZE_LIMIT)
            .build()
        {
            Ok(re) => paths.push(re),
            Err(e) => warnings.push(format!(
                "{ctx}: allowlist path regex cannot be compiled: {}; ignored",
                e.to_string().replace('\n', " ")
            )),
        }
    }
    let stopwords: Vec<String> = str_list(t.get("stopwords"))
        .into_iter()
        .map(|s| s.to_ascii_lowercase())
        .collect();
    if regexes.is_empty() && paths.is_empty() && stopwords.is_empty() {
        return None;
    }
    Some(AllowList {
        regexes,
        target,
        paths,
        stopwords,
        all,
    })
}
