//! Validated `[[flows]]`: the customer paths the `flows` check walks (DESIGN §8.3).
//!
//! A flow is an ordered list of steps; every string a step sends or expects is a [`Template`]
//! whose `{{name}}` references are resolved at run time from earlier captures, `{{run}}` (one
//! value per audit) and `{{random}}` (a fresh value per use). `${ENV}` references were expanded
//! at load time, inside the literal parts only, so an environment value is never read as a
//! template. This module owns the shapes; `validate/flows.rs` builds them from the raw TOML.

use std::fmt;

/// The built-in variable that is unique per audit.
pub const VAR_RUN: &str = "run";
/// The built-in variable that is fresh random text at every use.
pub const VAR_RANDOM: &str = "random";

/// One piece of a [`Template`].
#[derive(Clone, PartialEq, Eq)]
pub enum Part {
    /// Literal text (may hold an expanded `${ENV}` value).
    Lit(String),
    /// A variable reference: a capture name, [`VAR_RUN`] or [`VAR_RANDOM`].
    Var(String),
}

/// A string with `{{name}}` references. `Debug` shows only the variable names, never the
/// literal text (which may hold a token from the environment).
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Template {
    /// Literal and variable parts, in order.
    pub parts: Vec<Part>,
}

impl Template {
    /// The variables it references, in order (with repeats).
    pub fn vars(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|p| match p {
            Part::Var(v) => Some(v.as_str()),
            Part::Lit(_) => None,
        })
    }

    /// Renders the template, asking `var` for each variable's value.
    pub fn render(&self, var: &mut dyn FnMut(&str) -> String) -> String {
        let mut out = String::new();
        for p in &self.parts {
            match p {
                Part::Lit(s) => out.push_str(s),
                Part::Var(v) => out.push_str(&var(v)),
            }
        }
        out
    }
}

impl fmt::Debug for Template {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Template(")?;
        for p in &self.parts {
            match p {
                Part::Lit(_) => f.write_str("…")?,
                Part::Var(v) => write!(f, "{{{{{v}}}}}")?,
            }
        }
        f.write_str(")")
    }
}

/// A JSON value whose strings are templates (a step's `json` body, an `expect.json` value).
#[derive(Debug, Clone, PartialEq)]
pub enum JsonTemplate {
    /// A string, rendered.
    Str(Template),
    /// A number, boolean or null, sent as is.
    Scalar(serde_json::Value),
    /// An array.
    Array(Vec<JsonTemplate>),
    /// An object, keys in the order written.
    Object(Vec<(String, JsonTemplate)>),
}

impl JsonTemplate {
    /// Every variable referenced anywhere inside.
    pub fn vars(&self) -> Vec<&str> {
        match self {
            JsonTemplate::Str(t) => t.vars().collect(),
            JsonTemplate::Scalar(_) => Vec::new(),
            JsonTemplate::Array(a) => a.iter().flat_map(JsonTemplate::vars).collect(),
            JsonTemplate::Object(o) => o.iter().flat_map(|(_, v)| v.vars()).collect(),
        }
    }

    /// Renders to a JSON value.
    pub fn render(&self, var: &mut dyn FnMut(&str) -> String) -> serde_json::Value {
        match self {
            JsonTemplate::Str(t) => serde_json::Value::String(t.render(var)),
            JsonTemplate::Scalar(v) => v.clone(),
            JsonTemplate::Array(a) => {
                serde_json::Value::Array(a.iter().map(|v| v.render(var)).collect())
            }
            JsonTemplate::Object(o) => serde_json::Value::Object(
                o.iter().map(|(k, v)| (k.clone(), v.render(var))).collect(),
            ),
        }
    }
}

/// What a step sends as its body.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum StepBody {
    /// No body.
    #[default]
    None,
    /// `json = {...}`: sent as `application/json`.
    Json(JsonTemplate),
    /// `body = "..."`: sent as written (with the step's own `Content-Type` header, if any).
    Raw(Template),
    /// `form = {...}`: sent as `application/x-www-form-urlencoded`.
    Form(Vec<(String, Template)>),
}

/// Where a captured value comes from.
#[derive(Debug, Clone)]
pub enum CaptureSource {
    /// `json:<pointer>`: a value in the JSON response body (RFC 6901 pointer).
    Json(String),
    /// `header:<name>`: a response header (lowercase name).
    Header(String),
    /// `cookie:<name>`: a cookie in the flow's jar after the step.
    Cookie(String),
    /// `regex:<re>`: the one capture group of a regular expression over the body.
    Regex(regex::Regex),
}

impl CaptureSource {
    /// The kind as written before the colon.
    pub fn kind(&self) -> &'static str {
        match self {
            CaptureSource::Json(_) => "json",
            CaptureSource::Header(_) => "header",
            CaptureSource::Cookie(_) => "cookie",
            CaptureSource::Regex(_) => "regex",
        }
    }

    /// The source as written in the config (`json:/token`), for evidence.
    pub fn describe(&self) -> String {
        match self {
            CaptureSource::Json(p) => format!("json:{p}"),
            CaptureSource::Header(h) => format!("header:{h}"),
            CaptureSource::Cookie(c) => format!("cookie:{c}"),
            CaptureSource::Regex(r) => format!("regex:{}", r.as_str()),
        }
    }
}

/// One `capture` entry: the variable it sets and where its value comes from.
#[derive(Debug, Clone)]
pub struct Capture {
    /// Variable name, used later as `{{name}}`.
    pub var: String,
    /// Where the value comes from.
    pub source: CaptureSource,
}

/// A step's `expect`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StepExpect {
    /// Accepted final statuses; empty = any 2xx.
    pub status: Vec<u16>,
    /// Substrings the final body must contain.
    pub body_contains: Vec<Template>,
    /// JSON pointer -> expected value in the final body.
    pub json: Vec<(String, JsonTemplate)>,
    /// Response headers that must be present (lowercase names).
    pub headers: Vec<String>,
    /// Budget for the whole step (redirects and body included); over it is `flow.step_slow`.
    pub max_ms: Option<u64>,
}

/// One `[[flows.steps]]` entry.
#[derive(Debug, Clone)]
pub struct StepConfig {
    /// Name (defaults to `step N`).
    pub name: String,
    /// HTTP method, uppercase.
    pub method: String,
    /// URL (an http:// or https:// URL once rendered).
    pub url: Template,
    /// Request headers.
    pub headers: Vec<(String, Template)>,
    /// Request body.
    pub body: StepBody,
    /// Expectations.
    pub expect: StepExpect,
    /// Values captured from the response for later steps.
    pub captures: Vec<Capture>,
}

/// One `[[flows]]` entry.
#[derive(Debug, Clone)]
pub struct FlowConfig {
    /// Name (finding subject, together with the step name).
    pub name: String,
    /// Steps, run in order.
    pub steps: Vec<StepConfig>,
}
