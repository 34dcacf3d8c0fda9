//! Raw config -> validated [`Config`]: defaults, ranges, domains, URLs, `${ENV}` expansion.

use super::raw::{RawAi, RawConfig, RawEndpoint, RawTarget};
use super::*;
use toml::Spanned;

mod flows;

struct Ctx<'a> {
    text: &'a str,
    path: &'a Path,
    env: &'a dyn Fn(&str) -> Option<String>,
    secrets: Vec<Secret<String>>,
    /// Variables `${VAR}` may name besides the `LAUNCHREADY_` prefix.
    allowed: Vec<String>,
    /// Where the allow-list came from, for error messages.
    allowed_from: &'static str,
}

/// Variables with this prefix are always expandable.
pub const ENV_PREFIX: &str = "LAUNCHREADY_";

impl Ctx<'_> {
    fn err(&self, offset: usize, key: &str, message: impl Into<String>) -> ConfigError {
        let (line, column) = line_col(self.text, offset);
        ConfigError::Invalid {
            path: self.path.to_path_buf(),
            line,
            column,
            key: key.to_string(),
            message: message.into(),
        }
    }

    /// Expands `${VAR}` in a string value; `sensitive` values are remembered for scrubbing.
    fn expand(
        &mut self,
        v: &Spanned<String>,
        key: &str,
        sensitive: bool,
    ) -> Result<String, ConfigError> {
        let s = v.get_ref();
        let mut out = String::with_capacity(s.len());
        let mut rest = s.as_str();
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else {
                return Err(self.err(v.span().start, key, "unterminated `${` in value"));
            };
            let name = &after[..end];
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err(self.err(
                    v.span().start,
                    key,
                    format!("`${{{name}}}` is not a valid environment variable reference"),
                ));
            }
            if !name.starts_with(ENV_PREFIX) && !self.allowed.iter().any(|a| a == name) {
                return Err(self.err(
                    v.span().start,
                    key,
                    format!(
                        "`${{{name}}}` is not an allowed variable: only LAUNCHREADY_* variables and \
                         those listed in {} are expanded (a config file must not be able to read \
                         any secret of the environment it runs in)",
                        self.allowed_from
                    ),
                ));
            }
            let Some(value) = (self.env)(name) else {
                return Err(self.err(
                    v.span().start,
                    key,
                    format!("environment variable {name} is not set"),
                ));
            };
            if sensitive && !value.is_empty() {
                self.secrets.push(Secret::new(value.clone()));
            }
            out.push_str(&value);
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }

    fn range(&self, v: &Spanned<i64>, key: &str, lo: i64, hi: i64) -> Result<i64, ConfigError> {
        let n = *v.get_ref();
        if n < lo || n > hi {
            return Err(self.err(
                v.span().start,
                key,
                format!("{n} is out of range: expected {lo}..={hi}"),
            ));
        }
        Ok(n)
    }
}

/// Validates a domain name (IDNs are converted to punycode); returns it lowercase with no
/// trailing dot.
pub fn normalize_domain(s: &str) -> Result<String, String> {
    let t = s.trim().trim_end_matches('.');
    if t.is_empty() {
        return Err("domain is empty".into());
    }
    if t.contains("://") || t.contains('/') {
        return Err(format!(
            "`{s}` looks like a URL; write the bare domain, e.g. `acme.example`"
        ));
    }
    let host = url::Host::parse(t).map_err(|e| format!("`{s}` is not a valid domain name: {e}"))?;
    let url::Host::Domain(d) = host else {
        return Err(format!("`{s}` is an IP address; a domain name is required"));
    };
    let d = d.to_ascii_lowercase();
    if d.len() > 253 {
        return Err(format!("`{s}` is longer than 253 characters"));
    }
    if !d.contains('.') {
        return Err(format!(
            "`{s}` has a single label; write the full domain, e.g. `acme.example`"
        ));
    }
    for label in d.split('.') {
        if label.is_empty() || label.len() > 63 {
            return Err(format!(
                "`{s}` has an empty label or one longer than 63 characters"
            ));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(format!(
                "`{s}`: label `{label}` starts or ends with a hyphen"
            ));
        }
        if !label
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(format!("`{s}`: label `{label}` has invalid characters"));
        }
    }
    Ok(d)
}

/// Validates a string against a named rule; used by `init --domain`.
pub fn validate_str(kind: &str, s: &str) -> Result<String, String> {
    match kind {
        "domain" => normalize_domain(s),
        _ => Ok(s.to_string()),
    }
}

pub(super) fn validate(
    raw: RawConfig,
    text: &str,
    path: &Path,
    env: &dyn Fn(&str) -> Option<String>,
    env_allow: Option<&[String]>,
) -> Result<Config, ConfigError> {
    validate_for(raw, text, path, env, env_allow, true)
}

/// Like [`validate`]; without `need_target` (repo mode, which probes no site) a file without
/// `[target]` is valid and gets the placeholder domain `repo.invalid`.
pub(super) fn validate_for(
    mut raw: RawConfig,
    text: &str,
    path: &Path,
    env: &dyn Fn(&str) -> Option<String>,
    env_allow: Option<&[String]>,
    need_target: bool,
) -> Result<Config, ConfigError> {
    let mut cx = Ctx {
        text,
        path,
        env,
        secrets: Vec::new(),
        allowed: Vec::new(),
        allowed_from: "`[target] env` or `--env-allow`",
    };
    if raw.target.is_none() && !need_target {
        raw.target = Some(
            toml::from_str::<RawTarget>("domain = \"repo.invalid\"")
                .map_err(|e| cx.err(0, "target", format!("internal: placeholder target: {e}")))?,
        );
    }
    let Some(t) = raw.target else {
        return Err(cx.err(
            0,
            "target",
            "missing table [target] with at least `domain = \"your.domain\"`",
        ));
    };
    for n in t.env.iter().flatten() {
        let name = n.get_ref();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(cx.err(
                n.span().start,
                "target.env",
                format!("`{name}` is not an environment variable name"),
            ));
        }
    }
    // The command line's list, when given, replaces the file's: a CI workflow that names its
    // variables cannot be widened by a change to the config in a pull request.
    match env_allow {
        Some(cli) => {
            cx.allowed = cli.to_vec();
            cx.allowed_from = "`--env-allow` (which replaces `[target] env`)";
        }
        None => {
            cx.allowed = t
                .env
                .iter()
                .flatten()
                .map(|n| n.get_ref().clone())
                .collect()
        }
    }

    let domain_raw = cx.expand(&t.domain, "target.domain", false)?;
    let domain = normalize_domain(&domain_raw).map_err(|m| {
        cx.err(
            t.domain.span().start,
            "target.domain",
            no_echo(&t.domain, m),
        )
    })?;
    let canonical = match &t.canonical {
        None => Canonical::Apex,
        Some(c) => match c.get_ref().as_str() {
            "apex" => Canonical::Apex,
            "www" => Canonical::Www,
            other => {
                return Err(cx.err(
                    c.span().start,
                    "target.canonical",
                    format!("`{other}` is not one of \"apex\", \"www\""),
                ));
            }
        },
    };
    let mut subdomains = Vec::new();
    for s in &t.subdomains {
        let v = cx.expand(s, "target.subdomains", false)?;
        let full = if v.trim_end_matches('.').ends_with(&format!(".{domain}")) || v == domain {
            v
        } else {
            format!("{}.{domain}", v.trim_end_matches('.'))
        };
        let full =
            normalize_domain(&full).map_err(|m| cx.err(s.span().start, "target.subdomains", m))?;
        if !subdomains.contains(&full) {
            subdomains.push(full);
        }
    }
    let port =
        |cx: &Ctx, v: &Option<Spanned<i64>>, key: &str, d: u16| -> Result<u16, ConfigError> {
            match v {
                None => Ok(d),
                Some(p) => Ok(cx.range(p, key, 1, 65535)? as u16),
            }
        };
    let http_port = port(&cx, &t.http_port, "target.http_port", 80)?;
    let https_port = port(&cx, &t.https_port, "target.https_port", 443)?;
    let paths =
        |cx: &mut Ctx, v: &[Spanned<String>], key: &str| -> Result<Vec<String>, ConfigError> {
            let mut out = Vec::new();
            for p in v {
                let s = cx.expand(p, key, false)?;
                if !s.starts_with('/') {
                    return Err(cx.err(
                        p.span().start,
                        key,
                        format!("`{s}` must be a path starting with `/`"),
                    ));
                }
                out.push(s);
            }
            Ok(out)
        };
    let pages = match &t.pages {
        None => vec!["/".to_string()],
        Some(p) => paths(&mut cx, p, "target.pages")?,
    };
    let auth_paths = paths(&mut cx, &t.auth_paths, "target.auth_paths")?;
    let name = match &t.name {
        Some(n) => Some(cx.expand(n, "target.name", false)?),
        None => None,
    };
    let target = TargetConfig {
        name,
        domain: domain.clone(),
        canonical,
        subdomains,
        http_port,
        https_port,
        pages,
        auth_paths,
    };

    let mut expect = Vec::new();
    for e in &raw.dns.expect {
        let off = e.span().start;
        let r = e.get_ref();
        let name = normalize_domain(&r.name).map_err(|m| cx.err(off, "dns.expect.name", m))?;
        let rtype = match r.rtype.to_ascii_uppercase().as_str() {
            "A" => ExpectType::A,
            "AAAA" => ExpectType::Aaaa,
            "CNAME" => ExpectType::Cname,
            "MX" => ExpectType::Mx,
            "TXT" => ExpectType::Txt,
            "NS" => ExpectType::Ns,
            "CAA" => ExpectType::Caa,
            other => {
                return Err(cx.err(
                    off,
                    "dns.expect.type",
                    format!("`{other}` is not one of A, AAAA, CNAME, MX, TXT, NS, CAA"),
                ));
            }
        };
        match rtype {
            ExpectType::A if r.value.parse::<std::net::Ipv4Addr>().is_err() => {
                return Err(cx.err(
                    off,
                    "dns.expect.value",
                    format!("`{}` is not an IPv4 address", r.value),
                ));
            }
            ExpectType::Aaaa if r.value.parse::<std::net::Ipv6Addr>().is_err() => {
                return Err(cx.err(
                    off,
                    "dns.expect.value",
                    format!("`{}` is not an IPv6 address", r.value),
                ));
            }
            _ => {}
        }
        expect.push(DnsExpect {
            name,
            rtype,
            value: r.value.clone(),
        });
    }

    let min_days_valid = match &raw.tls.min_days_valid {
        None => 21,
        Some(v) => cx.range(v, "tls.min_days_valid", 0, 3650)? as u32,
    };

    let email_domain = match &raw.email.domain {
        None => domain.clone(),
        Some(d) => {
            let v = cx.expand(d, "email.domain", false)?;
            normalize_domain(&v).map_err(|m| cx.err(d.span().start, "email.domain", m))?
        }
    };
    let mut dkim_selectors = Vec::new();
    for s in &raw.email.dkim_selectors {
        let v = cx.expand(s, "email.dkim_selectors", false)?;
        if v.is_empty()
            || !v.split('.').all(|l| {
                !l.is_empty()
                    && l.chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            })
        {
            return Err(cx.err(
                s.span().start,
                "email.dkim_selectors",
                format!("`{v}` is not a valid DKIM selector"),
            ));
        }
        dkim_selectors.push(v.to_ascii_lowercase());
    }

    let s = &raw.secrets;
    for a in &s.allow {
        if !a.get_ref().contains(':') {
            return Err(cx.err(
                a.span().start,
                "secrets.allow",
                format!(
                    "`{}` must be `rule:glob`, e.g. `secret.generic_high_entropy:docs/**`",
                    a.get_ref()
                ),
            ));
        }
    }
    let secrets = SecretsConfig {
        paths: s
            .paths
            .clone()
            .unwrap_or_else(|| vec![".".into()])
            .into_iter()
            .map(PathBuf::from)
            .collect(),
        history: s.history.unwrap_or(true),
        build_dirs: s
            .build_dirs
            .clone()
            .unwrap_or_else(|| vec!["dist".into(), ".next".into(), "build".into()])
            .into_iter()
            .map(PathBuf::from)
            .collect(),
        exclude: s.exclude.clone(),
        allow: s.allow.iter().map(|a| a.get_ref().clone()).collect(),
        max_file_bytes: match &s.max_file_bytes {
            None => 8 * 1024 * 1024,
            Some(v) => cx.range(v, "secrets.max_file_bytes", 4096, 1 << 34)? as u64,
        },
        rules_file: s.rules_file.as_ref().map(PathBuf::from),
    };

    let mut endpoints = Vec::new();
    for e in &raw.endpoints {
        let ep = endpoint(&mut cx, e)?;
        if endpoints.iter().any(|x: &EndpointConfig| x.name == ep.name) {
            return Err(cx.err(
                e.name.span().start,
                "endpoints.name",
                format!("endpoint name `{}` is used twice", ep.name),
            ));
        }
        endpoints.push(ep);
    }

    let fail_on = match &raw.gate.fail_on {
        None => Some(Severity::High),
        Some(f) => parse_fail_on(f.get_ref()).ok_or_else(|| {
            cx.err(
                f.span().start,
                "gate.fail_on",
                format!(
                    "`{}` is not one of critical, high, medium, low, never",
                    f.get_ref()
                ),
            )
        })?,
    };

    // An accepted risk that names nothing would silently keep failing the gate: reject typos.
    let mut ignore = Vec::new();
    for i in &raw.gate.ignore {
        let v = i.get_ref().trim();
        let fingerprint = v.len() == 16 && v.bytes().all(|b| b.is_ascii_hexdigit());
        if !fingerprint && crate::catalogue::lookup(v).is_none() {
            return Err(cx.err(
                i.span().start,
                "gate.ignore",
                format!(
                    "`{v}` is neither a finding id (see `launchready checks`) nor a 16-hex-digit fingerprint"
                ),
            ));
        }
        ignore.push(v.to_string());
    }
    // An empty `[handover]` table (every key still commented out) is declared: the evidence
    // then says which key is unset, not that the table is missing.
    let declared = raw.handover.is_some();
    let h = &raw.handover.unwrap_or_default();
    let mut owners = BTreeMap::new();
    if let Some(o) = &h.owners {
        for (area, who) in o.get_ref() {
            if crate::model::handover_area(area).is_none() {
                return Err(cx.err(
                    o.span().start,
                    "handover.owners",
                    format!(
                        "unknown area `{area}`: expected {}",
                        crate::model::handover_area_keys()
                    ),
                ));
            }
            owners.insert(area.clone(), who.clone());
        }
    }
    let handover = HandoverConfig {
        owners,
        rollback_doc: match &h.rollback_doc {
            Some(v) => Some(cx.expand(v, "handover.rollback_doc", true)?),
            None => None,
        }
        .filter(|s| !s.trim().is_empty()),
        // Heartbeat URLs often carry a token: an expanded value is scrubbed from reports.
        uptime_monitor: match &h.uptime_monitor {
            Some(v) if !host_is_literal(v.get_ref()) => {
                return Err(cx.err(
                    v.span().start,
                    "handover.uptime_monitor",
                    "`${VAR}` in the host or port: write the host literally, so an expanded value \
                     is only ever sent to the host the config names",
                ));
            }
            Some(v) => Some(cx.expand(v, "handover.uptime_monitor", true)?),
            None => None,
        }
        .filter(|s| !s.trim().is_empty()),
        declared,
    };

    let flows = flows::flows(&mut cx, &raw.flows)?;
    let ai = match &raw.ai {
        None => None,
        Some(a) => Some(ai(&mut cx, a, &endpoints)?),
    };

    let env = env_config(&cx, &raw.env)?;

    Ok(Config {
        path: path.to_path_buf(),
        target,
        dns: DnsConfig { expect },
        tls: TlsConfig { min_days_valid },
        email: EmailConfig {
            domain: email_domain,
            dkim_selectors,
        },
        secrets,
        endpoints,
        gate: GateConfig { fail_on, ignore },
        handover,
        flows,
        ai,
        env,
        secret_values: cx.secrets,
    })
}

/// `[env]`: variable names are checked here; values are read only by the `env` check.
fn env_config(cx: &Ctx, raw: &super::raw::RawEnv) -> Result<EnvConfig, ConfigError> {
    let environment = match &raw.environment {
        Some(v) => {
            let e = v.get_ref().trim().to_ascii_lowercase();
            if e.is_empty()
                || !e
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                return Err(cx.err(
                    v.span().start,
                    "env.environment",
                    "expected a name such as \"production\" or \"staging\"",
                ));
            }
            Some(e)
        }
        None => None,
    };
    let mut required: Vec<String> = Vec::new();
    for v in &raw.required {
        let name = v.get_ref().trim();
        if !is_env_name(name) {
            return Err(cx.err(
                v.span().start,
                "env.required",
                format!(
                    "`{}` is not an environment variable name (letters, digits and _, not starting with a digit)",
                    crate::text::clip(name, 60)
                ),
            ));
        }
        if !required.iter().any(|r| r == name) {
            required.push(name.to_string());
        }
    }
    let mut files = BTreeMap::new();
    if let Some(f) = &raw.files {
        for (envname, file) in f.get_ref() {
            let lower = envname.trim().to_ascii_lowercase();
            if lower.is_empty()
                || !lower
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                return Err(cx.err(
                    f.span().start,
                    "env.files",
                    format!(
                        "`{}` is not an environment name (letters, digits, - and _)",
                        crate::text::clip(envname, 60)
                    ),
                ));
            }
            if file.trim().is_empty() {
                return Err(cx.err(
                    f.span().start,
                    "env.files",
                    format!(
                        "the file for `{lower}` is empty: give a path such as \".env.{lower}\""
                    ),
                ));
            }
            if files
                .insert(lower.clone(), PathBuf::from(file.trim()))
                .is_some()
            {
                return Err(cx.err(
                    f.span().start,
                    "env.files",
                    format!("`{lower}` is named twice (names are compared without case)"),
                ));
            }
        }
    }
    Ok(EnvConfig {
        environment,
        required,
        files,
    })
}

/// An error message about a value: when the value came from `${VAR}`, the message says so
/// without repeating what the variable holds.
fn no_echo(raw: &Spanned<String>, message: String) -> String {
    if raw.get_ref().contains("${") {
        format!(
            "the value expanded from `{}` is not valid here (not shown: it came from the environment)",
            raw.get_ref()
        )
    } else {
        message
    }
}

/// An URL whose host comes from the environment could carry an expanded secret to any host:
/// `${VAR}` may appear in the path, query, fragment or user info, never in the host or port.
fn host_is_literal(raw: &str) -> bool {
    let after_scheme = raw.find("://").map(|i| i + 3).unwrap_or(0);
    let rest = &raw[after_scheme..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let host_port = authority
        .rsplit_once('@')
        .map(|(_, h)| h)
        .unwrap_or(authority);
    !host_port.contains("${")
}

/// `critical|high|medium|low|never` -> gate threshold (`None` = never fail).
pub(crate) fn parse_fail_on(s: &str) -> Option<Option<Severity>> {
    match s {
        "critical" => Some(Some(Severity::Critical)),
        "high" => Some(Some(Severity::High)),
        "medium" => Some(Some(Severity::Medium)),
        "low" => Some(Some(Severity::Low)),
        "never" => Some(None),
        _ => None,
    }
}

fn endpoint(cx: &mut Ctx, e: &RawEndpoint) -> Result<EndpointConfig, ConfigError> {
    let name = e.name.get_ref().trim().to_string();
    if name.is_empty() {
        return Err(cx.err(e.name.span().start, "endpoints.name", "name is empty"));
    }
    if !host_is_literal(e.url.get_ref()) {
        return Err(cx.err(
            e.url.span().start,
            "endpoints.url",
            "`${VAR}` in the host or port: write the host literally, so an expanded value is only \
             ever sent to the host the config names",
        ));
    }
    let url_s = cx.expand(&e.url, "endpoints.url", true)?;
    let url = Url::parse(&url_s).map_err(|err| {
        cx.err(
            e.url.span().start,
            "endpoints.url",
            format!("not a valid URL: {err}"),
        )
    })?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(cx.err(
            e.url.span().start,
            "endpoints.url",
            "must be an http:// or https:// URL with a host",
        ));
    }
    let mut display = url.clone();
    display.set_query(None);
    let _ = display.set_password(None);
    let _ = display.set_username("");
    let method = match &e.method {
        None => "GET".to_string(),
        Some(m) => {
            let up = m.get_ref().to_ascii_uppercase();
            if !["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"].contains(&up.as_str())
            {
                return Err(cx.err(
                    m.span().start,
                    "endpoints.method",
                    format!(
                        "`{}` is not one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS",
                        m.get_ref()
                    ),
                ));
            }
            up
        }
    };
    let mut headers = Vec::new();
    for (k, v) in &e.headers {
        if k.is_empty()
            || !k
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_!#$%&'*+.^`|~".contains(&b))
        {
            return Err(cx.err(
                v.span().start,
                "endpoints.headers",
                format!("`{k}` is not a valid header name"),
            ));
        }
        let val = cx.expand(v, "endpoints.headers", true)?;
        if val.contains(['\r', '\n']) {
            return Err(cx.err(
                v.span().start,
                "endpoints.headers",
                format!("header `{k}` contains a line break"),
            ));
        }
        headers.push((k.clone(), Secret::new(val)));
    }
    let body = match &e.body {
        None => None,
        Some(b) => Some(Secret::new(cx.expand(b, "endpoints.body", true)?)),
    };
    let kind = match &e.kind {
        None => EndpointKind::Api,
        Some(k) => match k.get_ref().as_str() {
            "api" => EndpointKind::Api,
            "auth" => EndpointKind::Auth,
            "chat" => EndpointKind::Chat,
            "webhook" => EndpointKind::Webhook,
            other => {
                return Err(cx.err(
                    k.span().start,
                    "endpoints.kind",
                    format!("`{other}` is not one of api, auth, chat, webhook"),
                ));
            }
        },
    };
    let num = |cx: &Ctx,
               v: &Option<Spanned<i64>>,
               key: &str,
               lo: i64,
               hi: i64,
               d: i64|
     -> Result<i64, ConfigError> {
        match v {
            None => Ok(d),
            Some(x) => cx.range(x, key, lo, hi),
        }
    };
    let samples = num(cx, &e.samples, "endpoints.samples", 1, 10_000, 30)? as u32;
    let concurrency = num(cx, &e.concurrency, "endpoints.concurrency", 1, 64, 3)? as u32;
    let default_p95 = match kind {
        EndpointKind::Api | EndpointKind::Auth => 500,
        _ => 800,
    };
    let p95_ms = num(cx, &e.p95_ms, "endpoints.p95_ms", 1, 600_000, default_p95)? as u64;
    let first_byte_ms = num(
        cx,
        &e.first_byte_ms,
        "endpoints.first_byte_ms",
        1,
        600_000,
        2000,
    )? as u64;
    let timeout_ms = num(
        cx,
        &e.timeout_ms,
        "endpoints.timeout_ms",
        1,
        600_000,
        30_000,
    )? as u64;
    let burst = num(cx, &e.burst, "endpoints.burst", 1, 200, 30)? as u32;
    let expect_status = match &e.expect_status {
        None => None,
        Some(list) => {
            if list.get_ref().is_empty() {
                return Err(cx.err(
                    list.span().start,
                    "endpoints.expect_status",
                    "is empty: list the status codes the endpoint answers, e.g. [200, 201]",
                ));
            }
            let mut codes = Vec::new();
            for c in list.get_ref() {
                codes.push(cx.range(c, "endpoints.expect_status", 100, 599)? as u16);
            }
            Some(codes)
        }
    };
    Ok(EndpointConfig {
        name,
        url: Secret::new(url),
        display_url: display.to_string(),
        method,
        headers,
        body,
        kind,
        samples,
        concurrency,
        p95_ms,
        first_byte_ms,
        timeout_ms,
        probe_rate_limit: e.probe_rate_limit.unwrap_or(false),
        burst,
        expect_status,
    })
}

/// The default `[ai] body`: a JSON object with the message and a per-conversation session id.
pub(crate) const AI_DEFAULT_BODY: &str = r#"{"message": "{{message}}", "session": "{{session}}"}"#;

fn ai(cx: &mut Ctx, a: &RawAi, endpoints: &[EndpointConfig]) -> Result<AiConfig, ConfigError> {
    let name = a.endpoint.get_ref().trim().to_string();
    if !endpoints.iter().any(|e| e.name == name) {
        let known: Vec<&str> = endpoints.iter().map(|e| e.name.as_str()).collect();
        return Err(cx.err(
            a.endpoint.span().start,
            "ai.endpoint",
            if known.is_empty() {
                format!("`{name}` must name an [[endpoints]] entry, and none is declared")
            } else {
                format!(
                    "`{name}` is not the name of an [[endpoints]] entry (declared: {})",
                    known.join(", ")
                )
            },
        ));
    }
    let body = match &a.body {
        None => AI_DEFAULT_BODY.to_string(),
        Some(b) => {
            let v = cx.expand(b, "ai.body", true)?;
            if !v.contains("{{message}}") {
                return Err(cx.err(
                    b.span().start,
                    "ai.body",
                    "the template must contain `{{message}}` (where each probe's text goes)",
                ));
            }
            v
        }
    };
    let reply = match &a.reply {
        None => ReplyFormat::Json("/reply".into()),
        Some(r) => {
            let v = r.get_ref().trim();
            match v {
                "sse:openai" => ReplyFormat::SseOpenai,
                "sse:data" => ReplyFormat::SseData,
                "text" => ReplyFormat::Text,
                _ => match v.strip_prefix("json:") {
                    Some(p) if p.is_empty() || p.starts_with('/') => ReplyFormat::Json(p.into()),
                    _ => {
                        return Err(cx.err(
                            r.span().start,
                            "ai.reply",
                            format!(
                                "`{v}` is not one of `json:<JSON pointer>` (e.g. `json:/reply`, `json:/choices/0/message/content`), `sse:openai`, `sse:data`, `text`"
                            ),
                        ));
                    }
                },
            }
        }
    };
    let canary = match &a.canary {
        None => None,
        Some(c) => {
            let v = cx.expand(c, "ai.canary", false)?;
            let n = v.chars().count();
            if n == 0 {
                None
            } else if n < 8 || v.trim() != v {
                return Err(cx.err(
                    c.span().start,
                    "ai.canary",
                    format!(
                        "the canary has {n} characters (or surrounding spaces); use a random string of at least 8 characters that appears nowhere else, e.g. `LR-CANARY-7f3a9c2e`"
                    ),
                ));
            } else {
                // Always scrubbed from reports, also when written literally.
                cx.secrets.push(Secret::new(v.clone()));
                Some(Secret::new(v))
            }
        }
    };
    let num = |cx: &Ctx, v: &Option<Spanned<i64>>, key: &str, lo: i64, hi: i64, d: i64| match v {
        None => Ok(d),
        Some(x) => cx.range(x, key, lo, hi),
    };
    let max_requests = num(cx, &a.max_requests, "ai.max_requests", 1, 1000, 40)? as u32;
    let concurrency = num(cx, &a.concurrency, "ai.concurrency", 1, 16, 2)? as u32;
    let long_input_chars = num(
        cx,
        &a.long_input_chars,
        "ai.long_input_chars",
        1000,
        10_000_000,
        100_000,
    )? as usize;
    let mut evals = Vec::new();
    for e in &a.evals {
        let name = cx.expand(&e.name, "ai.evals.name", false)?;
        if name.trim().is_empty() {
            return Err(cx.err(e.name.span().start, "ai.evals.name", "name is empty"));
        }
        let message = cx.expand(&e.message, "ai.evals.message", false)?;
        if message.trim().is_empty() {
            return Err(cx.err(
                e.message.span().start,
                "ai.evals.message",
                "message is empty",
            ));
        }
        let expect_regex = match &e.expect_regex {
            None => None,
            Some(r) => Some(regex::Regex::new(r.get_ref()).map_err(|err| {
                cx.err(
                    r.span().start,
                    "ai.evals.expect_regex",
                    format!("not a valid regex: {err}"),
                )
            })?),
        };
        let max_ms = match &e.max_ms {
            None => None,
            Some(v) => Some(cx.range(v, "ai.evals.max_ms", 1, 600_000)? as u64),
        };
        if e.expect_contains.is_empty()
            && e.expect_not_contains.is_empty()
            && expect_regex.is_none()
            && max_ms.is_none()
        {
            return Err(cx.err(
                e.name.span().start,
                "ai.evals",
                format!(
                    "eval `{name}` expects nothing: give expect_contains, expect_not_contains, expect_regex or max_ms"
                ),
            ));
        }
        if evals.iter().any(|x: &AiEval| x.name == name) {
            return Err(cx.err(
                e.name.span().start,
                "ai.evals.name",
                format!("eval name `{name}` is used twice"),
            ));
        }
        evals.push(AiEval {
            name,
            message,
            expect_contains: e.expect_contains.clone(),
            expect_not_contains: e.expect_not_contains.clone(),
            expect_regex,
            max_ms,
        });
    }
    Ok(AiConfig {
        endpoint: name,
        body: Secret::new(body),
        reply,
        canary,
        max_requests,
        concurrency,
        long_input_chars,
        evals,
    })
}
