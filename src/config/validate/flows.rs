//! `[[flows]]` raw -> [`FlowConfig`]: templates parsed, `${ENV}` expanded inside their literal
//! parts (remembered for scrubbing), captures parsed, and every `{{name}}` checked against the
//! captures of earlier steps, so a typo or a wrong order is a config error naming file, line and
//! key, not a failed step at run time.

use super::Ctx;
use crate::config::ConfigError;
use crate::config::flows::*;
use crate::config::raw::{RawFlow, RawStep};
use toml::Spanned;

const METHODS: [&str; 7] = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

pub(super) fn flows(cx: &mut Ctx, raw: &[RawFlow]) -> Result<Vec<FlowConfig>, ConfigError> {
    let mut out: Vec<FlowConfig> = Vec::new();
    for f in raw {
        let name = f.name.get_ref().trim().to_string();
        if name.is_empty() {
            return Err(cx.err(f.name.span().start, "flows.name", "name is empty"));
        }
        if out.iter().any(|x| x.name == name) {
            return Err(cx.err(
                f.name.span().start,
                "flows.name",
                format!("flow name `{name}` is used twice"),
            ));
        }
        if f.steps.is_empty() {
            return Err(cx.err(
                f.name.span().start,
                "flows.steps",
                format!("flow `{name}` has no [[flows.steps]]"),
            ));
        }
        // Variables captured by each step, to tell "later" from "never" in errors.
        let captured_by: Vec<(String, Vec<String>)> = f
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| {
                (
                    step_name(s.get_ref(), i),
                    s.get_ref().capture.keys().cloned().collect(),
                )
            })
            .collect();
        let mut known: Vec<String> = Vec::new();
        let mut steps: Vec<StepConfig> = Vec::new();
        for (i, s) in f.steps.iter().enumerate() {
            let st = step(cx, &name, s, i, &known, &captured_by)?;
            if steps.iter().any(|x| x.name == st.name) {
                return Err(cx.err(
                    s.span().start,
                    "flows.steps.name",
                    format!("flow `{name}`: step name `{}` is used twice", st.name),
                ));
            }
            known.extend(st.captures.iter().map(|c| c.var.clone()));
            steps.push(st);
        }
        out.push(FlowConfig { name, steps });
    }
    Ok(out)
}

fn step_name(s: &RawStep, i: usize) -> String {
    s.name
        .as_ref()
        .map(|n| n.get_ref().trim().to_string())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| format!("step {}", i + 1))
}

/// Checks that every variable of a template is defined before this step runs.
struct Scope<'a> {
    flow: &'a str,
    step: &'a str,
    known: &'a [String],
    captured_by: &'a [(String, Vec<String>)],
}

impl Scope<'_> {
    fn check<'v>(
        &self,
        cx: &Ctx,
        vars: impl IntoIterator<Item = &'v str>,
        offset: usize,
        key: &str,
    ) -> Result<(), ConfigError> {
        for v in vars {
            if v == VAR_RUN || v == VAR_RANDOM || self.known.iter().any(|k| k == v) {
                continue;
            }
            let by = self
                .captured_by
                .iter()
                .find(|(_, caps)| caps.iter().any(|c| c == v))
                .map(|(s, _)| s.as_str());
            let why = match by {
                Some(s) if s == self.step => {
                    "it is captured by this same step, after its request is sent".to_string()
                }
                Some(s) => format!("it is captured only by step `{s}`, which runs later"),
                None => "no earlier step captures it (built-ins: {{run}}, {{random}})".to_string(),
            };
            return Err(cx.err(
                offset,
                key,
                format!(
                    "flow `{}`, step `{}`: variable `{{{{{v}}}}}` is used before it is captured: {why}",
                    self.flow, self.step
                ),
            ));
        }
        Ok(())
    }
}

fn step(
    cx: &mut Ctx,
    flow: &str,
    s: &Spanned<RawStep>,
    i: usize,
    known: &[String],
    captured_by: &[(String, Vec<String>)],
) -> Result<StepConfig, ConfigError> {
    let at = s.span().start;
    let r = s.get_ref();
    let name = step_name(r, i);
    let scope = Scope {
        flow,
        step: &name,
        known,
        captured_by,
    };
    let Some(url_raw) = &r.url else {
        return Err(cx.err(
            r.name.as_ref().map(|n| n.span().start).unwrap_or(at),
            "flows.steps.url",
            format!("flow `{flow}`, step `{name}` has no `url`"),
        ));
    };
    let url = template(cx, url_raw, "flows.steps.url")?;
    scope.check(cx, url.vars(), url_raw.span().start, "flows.steps.url")?;
    // The URL must be an absolute http(s) URL whatever the variables turn out to be.
    let probe = url.render(&mut |_| "x".to_string());
    match url::Url::parse(&probe) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => {}
        Ok(_) => {
            return Err(cx.err(
                url_raw.span().start,
                "flows.steps.url",
                "must be an http:// or https:// URL with a host",
            ));
        }
        Err(e) => {
            return Err(cx.err(
                url_raw.span().start,
                "flows.steps.url",
                format!("not a valid URL: {e}"),
            ));
        }
    }

    let bodies = [r.json.is_some(), r.body.is_some(), r.form.is_some()];
    if bodies.iter().filter(|b| **b).count() > 1 {
        return Err(cx.err(
            at,
            "flows.steps",
            format!("flow `{flow}`, step `{name}`: use only one of `json`, `body`, `form`"),
        ));
    }
    let method = match &r.method {
        None if bodies.contains(&true) => "POST".to_string(),
        None => "GET".to_string(),
        Some(m) => {
            let up = m.get_ref().to_ascii_uppercase();
            if !METHODS.contains(&up.as_str()) {
                return Err(cx.err(
                    m.span().start,
                    "flows.steps.method",
                    format!("`{}` is not one of {}", m.get_ref(), METHODS.join(", ")),
                ));
            }
            up
        }
    };

    let mut headers = Vec::new();
    for (k, v) in &r.headers {
        if !is_token(k) {
            return Err(cx.err(
                v.span().start,
                "flows.steps.headers",
                format!("`{k}` is not a valid header name"),
            ));
        }
        let t = template(cx, v, "flows.steps.headers")?;
        if t.parts
            .iter()
            .any(|p| matches!(p, Part::Lit(l) if l.contains(['\r', '\n'])))
        {
            return Err(cx.err(
                v.span().start,
                "flows.steps.headers",
                format!("header `{k}` contains a line break"),
            ));
        }
        scope.check(cx, t.vars(), v.span().start, "flows.steps.headers")?;
        headers.push((k.clone(), t));
    }

    let body = if let Some(j) = &r.json {
        let t = json_template(cx, j.get_ref(), j.span().start, "flows.steps.json")?;
        scope.check(cx, t.vars(), j.span().start, "flows.steps.json")?;
        StepBody::Json(t)
    } else if let Some(b) = &r.body {
        let t = template(cx, b, "flows.steps.body")?;
        scope.check(cx, t.vars(), b.span().start, "flows.steps.body")?;
        StepBody::Raw(t)
    } else if let Some(form) = &r.form {
        let mut fields = Vec::new();
        for (k, v) in form {
            let t = template(cx, v, "flows.steps.form")?;
            scope.check(cx, t.vars(), v.span().start, "flows.steps.form")?;
            fields.push((k.clone(), t));
        }
        StepBody::Form(fields)
    } else {
        StepBody::None
    };

    let mut expect = StepExpect::default();
    if let Some(e) = &r.expect {
        for st in e.status.iter().flatten() {
            expect
                .status
                .push(cx.range(st, "flows.steps.expect.status", 100, 599)? as u16);
        }
        for b in &e.body_contains {
            let t = template(cx, b, "flows.steps.expect.body_contains")?;
            scope.check(
                cx,
                t.vars(),
                b.span().start,
                "flows.steps.expect.body_contains",
            )?;
            expect.body_contains.push(t);
        }
        for (ptr, v) in &e.json {
            if !(ptr.is_empty() || ptr.starts_with('/')) {
                return Err(cx.err(
                    v.span().start,
                    "flows.steps.expect.json",
                    format!(
                        "`{ptr}` is not a JSON pointer: it must start with `/`, e.g. `/user/id`"
                    ),
                ));
            }
            let t = json_template(cx, v.get_ref(), v.span().start, "flows.steps.expect.json")?;
            scope.check(cx, t.vars(), v.span().start, "flows.steps.expect.json")?;
            expect.json.push((ptr.clone(), t));
        }
        for h in &e.header {
            if !is_token(h.get_ref()) {
                return Err(cx.err(
                    h.span().start,
                    "flows.steps.expect.header",
                    format!("`{}` is not a valid header name", h.get_ref()),
                ));
            }
            expect.headers.push(h.get_ref().to_ascii_lowercase());
        }
        if let Some(m) = &e.max_ms {
            expect.max_ms = Some(cx.range(m, "flows.steps.expect.max_ms", 1, 600_000)? as u64);
        }
    }

    let mut captures = Vec::new();
    for (var, src) in &r.capture {
        let off = src.span().start;
        if !is_var_name(var) {
            return Err(cx.err(
                off,
                "flows.steps.capture",
                format!("`{var}` is not a valid variable name (letters, digits, `_`; not starting with a digit)"),
            ));
        }
        if var == VAR_RUN || var == VAR_RANDOM {
            return Err(cx.err(
                off,
                "flows.steps.capture",
                format!("`{var}` is a built-in variable and cannot be captured into"),
            ));
        }
        captures.push(Capture {
            var: var.clone(),
            source: capture_source(cx, src)?,
        });
    }

    Ok(StepConfig {
        name,
        method,
        url,
        headers,
        body,
        expect,
        captures,
    })
}

fn capture_source(cx: &Ctx, src: &Spanned<String>) -> Result<CaptureSource, ConfigError> {
    let off = src.span().start;
    let key = "flows.steps.capture";
    let s = src.get_ref();
    let expected = "expected json:<pointer>, header:<name>, cookie:<name> or regex:<re>";
    let Some((kind, arg)) = s.split_once(':') else {
        return Err(cx.err(off, key, format!("`{s}` has no capture kind: {expected}")));
    };
    match kind.trim() {
        "json" => {
            if !(arg.is_empty() || arg.starts_with('/')) {
                return Err(cx.err(
                    off,
                    key,
                    format!(
                        "`{arg}` is not a JSON pointer: it must start with `/`, e.g. `json:/token`"
                    ),
                ));
            }
            Ok(CaptureSource::Json(arg.to_string()))
        }
        "header" => {
            if !is_token(arg) {
                return Err(cx.err(off, key, format!("`{arg}` is not a valid header name")));
            }
            Ok(CaptureSource::Header(arg.to_ascii_lowercase()))
        }
        "cookie" => {
            if arg.is_empty() || arg.contains([';', '=', ' ']) {
                return Err(cx.err(off, key, format!("`{arg}` is not a valid cookie name")));
            }
            Ok(CaptureSource::Cookie(arg.to_string()))
        }
        "regex" => {
            let re = regex::Regex::new(arg)
                .map_err(|e| cx.err(off, key, format!("`{arg}` is not a valid regex: {e}")))?;
            if re.captures_len() != 2 {
                return Err(cx.err(
                    off,
                    key,
                    format!(
                        "regex `{arg}` must have exactly one capture group, e.g. `regex:token=(\\w+)` (it has {})",
                        re.captures_len() - 1
                    ),
                ));
            }
            Ok(CaptureSource::Regex(re))
        }
        other => Err(cx.err(
            off,
            key,
            format!("unknown capture kind `{other}`: {expected}"),
        )),
    }
}

/// Parses `{{name}}` references; `${ENV}` is expanded inside the literal parts only.
fn template(cx: &mut Ctx, v: &Spanned<String>, key: &str) -> Result<Template, ConfigError> {
    parse_template(cx, v.get_ref(), v.span(), key)
}

fn parse_template(
    cx: &mut Ctx,
    s: &str,
    span: std::ops::Range<usize>,
    key: &str,
) -> Result<Template, ConfigError> {
    let mut parts = Vec::new();
    let mut rest = s;
    let lit = |cx: &mut Ctx, text: &str, parts: &mut Vec<Part>| -> Result<(), ConfigError> {
        if !text.is_empty() {
            let expanded = cx.expand(&Spanned::new(span.clone(), text.to_string()), key, true)?;
            parts.push(Part::Lit(expanded));
        }
        Ok(())
    };
    while let Some(start) = rest.find("{{") {
        lit(cx, &rest[..start], &mut parts)?;
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            return Err(cx.err(span.start, key, "unterminated `{{` in value"));
        };
        let name = after[..end].trim();
        if !is_var_name(name) {
            return Err(cx.err(
                span.start,
                key,
                format!("`{{{{{name}}}}}` is not a valid variable reference"),
            ));
        }
        parts.push(Part::Var(name.to_string()));
        rest = &after[end + 2..];
    }
    lit(cx, rest, &mut parts)?;
    Ok(Template { parts })
}

fn json_template(
    cx: &mut Ctx,
    v: &toml::Value,
    offset: usize,
    key: &str,
) -> Result<JsonTemplate, ConfigError> {
    Ok(match v {
        toml::Value::String(s) => JsonTemplate::Str(parse_template(cx, s, offset..offset, key)?),
        toml::Value::Integer(n) => JsonTemplate::Scalar((*n).into()),
        toml::Value::Float(f) => JsonTemplate::Scalar(
            serde_json::Number::from_f64(*f)
                .map(serde_json::Value::Number)
                .unwrap_or(serde_json::Value::Null),
        ),
        toml::Value::Boolean(b) => JsonTemplate::Scalar((*b).into()),
        toml::Value::Datetime(d) => JsonTemplate::Scalar(d.to_string().into()),
        toml::Value::Array(a) => JsonTemplate::Array(
            a.iter()
                .map(|x| json_template(cx, x, offset, key))
                .collect::<Result<_, _>>()?,
        ),
        toml::Value::Table(t) => JsonTemplate::Object(
            t.iter()
                .map(|(k, x)| Ok((k.clone(), json_template(cx, x, offset, key)?)))
                .collect::<Result<_, ConfigError>>()?,
        ),
    })
}

fn is_var_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_!#$%&'*+.^`|~".contains(&b))
}

#[cfg(test)]
mod tests {
    use crate::config::flows::{CaptureSource, Part, StepBody};
    use crate::config::{Config, ConfigError, parse};
    use std::path::Path;

    const HEAD: &str = "[target]\ndomain = \"acme.example\"\n[[flows]]\nname = \"f\"\n";

    fn load(steps: &str) -> Result<Config, ConfigError> {
        let text = format!("{HEAD}{steps}");
        parse(&text, Path::new("t.toml"), &|name| match name {
            "LAUNCHREADY_TOKEN" => Some("env-secret-{{run}}".into()),
            _ => None,
        })
    }

    fn err(steps: &str) -> String {
        load(steps).expect_err("must be rejected").to_string()
    }

    #[test]
    fn templates_builtins_and_env_inside_literals_only() {
        let cfg = load(
            "[[flows.steps]]\nurl = \"https://a.example/x?r={{run}}\"\n\
             headers = { Authorization = \"Bearer ${LAUNCHREADY_TOKEN}\" }\n\
             json = { password = \"{{random}}\", n = 3, nested = [\"{{ run }}\"] }\n\
             capture = { t = \"json:/token\", h = \"header:X-Session\", c = \"cookie:sid\", r = 'regex:id=(\\d+)' }\n\
             [[flows.steps]]\nurl = \"https://a.example/{{t}}/{{h}}/{{c}}/{{r}}\"\n",
        )
        .expect("valid");
        let s = &cfg.flows[0].steps;
        assert_eq!(s[0].name, "step 1");
        assert_eq!(s[0].method, "POST", "a step with a body defaults to POST");
        assert_eq!(s[1].method, "GET");
        // The env value stays literal even though it looks like a template.
        let auth = &s[0].headers[0].1;
        assert!(auth.parts == vec![Part::Lit("Bearer env-secret-{{run}}".into())]);
        assert_eq!(cfg.secret_values.len(), 1);
        assert!(!format!("{cfg:?}").contains("env-secret"));
        let StepBody::Json(j) = &s[0].body else {
            panic!("json body")
        };
        assert_eq!(j.vars(), vec!["run", "random"]);
        let kinds: Vec<&str> = s[0].captures.iter().map(|c| c.source.kind()).collect();
        assert_eq!(kinds, ["cookie", "header", "regex", "json"]);
        assert!(matches!(&s[0].captures[1].source, CaptureSource::Header(h) if h == "x-session"));
        assert_eq!(s[1].url.vars().collect::<Vec<_>>(), ["t", "h", "c", "r"]);
    }

    #[test]
    fn bad_steps_are_rejected_with_the_key() {
        let e = err("[[flows.steps]]\nmethod = \"GET\"\n");
        assert!(
            e.contains("t.toml:5:1") && e.contains("flows.steps.url"),
            "{e}"
        );
        assert!(e.contains("step `step 1` has no `url`"), "{e}");
        let e = err(
            "[[flows.steps]]\nurl = \"https://a.example/\"\ncapture = { t = \"json:/a\" }\nheaders = { X = \"{{t}}\" }\n",
        );
        assert!(e.contains("captured by this same step"), "{e}");
        let e = err("[[flows.steps]]\nurl = \"https://a.example/{{nope}}\"\n");
        assert!(e.contains("no earlier step captures it"), "{e}");
        let e = err(
            "[[flows.steps]]\nurl = \"https://a.example/\"\ncapture = { t = 'regex:(a)(b)' }\n",
        );
        assert!(
            e.contains("exactly one capture group") && e.contains("(it has 2)"),
            "{e}"
        );
        let e =
            err("[[flows.steps]]\nurl = \"https://a.example/\"\ncapture = { run = \"json:/a\" }\n");
        assert!(e.contains("built-in variable"), "{e}");
        let e = err(
            "[[flows.steps]]\nurl = \"https://a.example/\"\ncapture = { t = \"json:token\" }\n",
        );
        assert!(e.contains("not a JSON pointer"), "{e}");
        let e =
            err("[[flows.steps]]\nurl = \"https://a.example/\"\njson = {a = 1}\nbody = \"x\"\n");
        assert!(e.contains("only one of `json`, `body`, `form`"), "{e}");
        let e = err("[[flows.steps]]\nurl = \"ftp://a.example/\"\n");
        assert!(e.contains("http:// or https://"), "{e}");
        let e = err("[[flows.steps]]\nurl = \"https://a.example/{{t\"\n");
        assert!(e.contains("unterminated `{{`"), "{e}");
        let e = err("[[flows.steps]]\nurl = \"https://a.example/\"\nexpect = { status = [99] }\n");
        assert!(
            e.contains("flows.steps.expect.status") && e.contains("100..=599"),
            "{e}"
        );
        let e = err("[[flows.steps]]\nurl = \"https://a.example/\"\nexpect = { sttus = [200] }\n");
        assert!(e.contains("unknown key `sttus`"), "{e}");
        let e = err("[[flows.steps]]\nurl = \"https://a.example/${LAUNCHREADY_MISSING}\"\n");
        assert!(
            e.contains("environment variable LAUNCHREADY_MISSING is not set"),
            "{e}"
        );
        let e = parse(
            &format!("{HEAD}[[flows.steps]]\nurl = \"https://a.example/\"\n[[flows]]\nname = \"f\"\n[[flows.steps]]\nurl = \"https://a.example/\"\n"),
            Path::new("t.toml"),
            &|_| None,
        )
        .expect_err("duplicate")
        .to_string();
        assert!(e.contains("used twice"), "{e}");
        let e = parse(HEAD, Path::new("t.toml"), &|_| None)
            .expect_err("no steps")
            .to_string();
        assert!(e.contains("has no [[flows.steps]]"), "{e}");
    }
}
