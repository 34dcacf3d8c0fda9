//! Config errors in the user's terms rather than serde's: "expected an integer, found the string
//! \"x\"" instead of "invalid type: string \"x\", expected i64", and "`[endpoints]` must be
//! written `[[endpoints]]`" for a table written where a list of tables belongs.
//!
//! The `toml` crate reports schema mismatches only as text (serde's `invalid type: ...,
//! expected ...` shapes), so the rewording works on that text. It only changes how a message
//! reads: whether the config is an error never depends on it.

/// Keys that hold a list of tables (`[[name]]` blocks).
const ARRAYS_OF_TABLES: &[&str] = &["endpoints", "flows", "flows.steps", "ai.evals"];

/// A table header `[name]` for a key that must be written `[[name]]`: its 1-based line and the
/// message to show. Scans the header lines only; the first such header wins.
pub(crate) fn single_bracket_array(text: &str) -> Option<(usize, String, String)> {
    for (i, line) in text.lines().enumerate() {
        let t = line.trim_start();
        if !t.starts_with('[') || t.starts_with("[[") {
            continue;
        }
        let Some(end) = t.find(']') else { continue };
        let name: String = t[1..end]
            .split('.')
            .map(str::trim)
            .collect::<Vec<_>>()
            .join(".");
        if ARRAYS_OF_TABLES.contains(&name.as_str()) {
            return Some((
                i + 1,
                name.clone(),
                format!(
                    "`[{name}]` must be written `[[{name}]]`: one `[[{name}]]` block per entry"
                ),
            ));
        }
    }
    None
}

/// Rewords a message of the TOML parser / serde for a person editing the file.
pub(crate) fn plain(message: &str) -> String {
    let m = message.trim();
    if let Some(rest) = m.strip_prefix("invalid type: ")
        && let Some((found, expected)) = rest.rsplit_once(", expected ")
    {
        return format!(
            "expected {}, found {}",
            expected_words(expected),
            found_words(found)
        );
    }
    if let Some(rest) = m.strip_prefix("invalid value: ")
        && let Some((found, expected)) = rest.rsplit_once(", expected ")
    {
        return format!(
            "expected {}, found {}",
            expected_words(expected),
            found_words(found).trim_start_matches("the number ")
        );
    }
    if let Some(rest) = m.strip_prefix("unknown field `")
        && let Some((field, tail)) = rest.split_once('`')
    {
        let known: Vec<&str> = tail
            .trim_start_matches(", expected one of ")
            .trim_start_matches(", expected ")
            .split(", ")
            .map(|k| k.trim_matches('`'))
            .filter(|k| !k.is_empty() && !k.contains(' '))
            .collect();
        let mut out = format!("unknown key `{field}`");
        if let Some(near) = crate::text::nearest(field, known.iter().copied()) {
            out.push_str(&format!(": did you mean `{near}`?"));
        }
        if !known.is_empty() {
            out.push_str(&format!(" (keys here: {})", known.join(", ")));
        }
        return out;
    }
    if let Some(rest) = m.strip_prefix("missing field `") {
        return format!("missing key `{}", rest);
    }
    if m == "duplicate key" {
        return "this key or table is written twice".to_string();
    }
    m.to_string()
}

/// serde's name of the expected type, in TOML words.
fn expected_words(e: &str) -> String {
    match e.trim() {
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" => "an integer".into(),
        "u8" | "u16" | "u32" | "u64" | "u128" | "usize" => "a whole number (0 or more)".into(),
        "f32" | "f64" => "a number".into(),
        "a string" => "a string in quotes".into(),
        "a boolean" => "true or false".into(),
        "a sequence" => "a list `[...]`".into(),
        "a map" => "a table `{ key = value }`".into(),
        other => other.to_string(),
    }
}

/// serde's description of the value found, in TOML words.
fn found_words(f: &str) -> String {
    let f = f.trim();
    let quoted = |prefix: &str| {
        f.strip_prefix(prefix)
            .map(|v| v.trim().trim_matches('`').to_string())
    };
    if let Some(v) = f.strip_prefix("string ") {
        return format!("the string {v}");
    }
    if let Some(v) = quoted("integer ").or_else(|| quoted("floating point ")) {
        return format!("the number {v}");
    }
    if let Some(v) = quoted("boolean ") {
        return v;
    }
    match f {
        "map" => "a table".into(),
        "sequence" => "a list".into(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_shapes_read_as_toml_words() {
        assert_eq!(
            plain("invalid type: string \"x\", expected i64"),
            "expected an integer, found the string \"x\""
        );
        assert_eq!(
            plain("invalid type: boolean `true`, expected i64"),
            "expected an integer, found true"
        );
        assert_eq!(
            plain("invalid type: integer `5`, expected a string"),
            "expected a string in quotes, found the number 5"
        );
        assert_eq!(
            plain("invalid type: sequence, expected a map"),
            "expected a table `{ key = value }`, found a list"
        );
        assert_eq!(
            plain("invalid value: integer `-1`, expected u32"),
            "expected a whole number (0 or more), found -1"
        );
        assert_eq!(
            plain("unknown field `domian`, expected one of `name`, `domain`, `canonical`"),
            "unknown key `domian`: did you mean `domain`? (keys here: name, domain, canonical)"
        );
        assert_eq!(plain("missing field `url`"), "missing key `url`");
        assert_eq!(
            plain("unclosed table, expected `]`"),
            "unclosed table, expected `]`"
        );
    }

    #[test]
    fn single_bracket_headers_of_lists_are_found() {
        let text = "[target]\ndomain = \"a.example\"\n\n[endpoints]\nname = \"x\"\n";
        let (line, name, message) = single_bracket_array(text).unwrap();
        assert_eq!((line, name.as_str()), (4, "endpoints"));
        assert!(message.contains("`[endpoints]` must be written `[[endpoints]]`"));
        assert!(single_bracket_array("[[endpoints]]\n[target]\n").is_none());
        let (line, name, _) = single_bracket_array("[[flows]]\n[ flows . steps ]\n").unwrap();
        assert_eq!((line, name.as_str()), (2, "flows.steps"));
    }
}
