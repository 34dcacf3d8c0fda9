//! The built-in rule table: data (regex, keywords, entropy floors, severity)
//! plus the small validators (checksums, lengths, charsets, context checks)
//! that keep precision high.
//!
//! Every regex is a compile-time constant. The secret is capture group
//! `group` of the regex (0 = whole match). Keywords are matched ASCII
//! case-insensitively by a single Aho-Corasick automaton in the engine; a
//! rule whose keywords do not occur in a buffer is not run at all.

use super::SecretSeverity;

/// What a validator sees about one candidate match.
pub(crate) struct VCtx<'a> {
    /// The (transformed) secret value.
    pub secret: &'a str,
    /// The whole regex match.
    pub whole: &'a [u8],
    /// Up to `CONTEXT` bytes of the buffer before the whole match.
    pub before: &'a [u8],
    /// Up to `CONTEXT` bytes of the buffer after the whole match.
    pub after: &'a [u8],
    /// Source label (path) of the buffer.
    pub source: &'a str,
}

/// How many bytes of context validators get on each side of a match.
pub(crate) const CONTEXT: usize = 4096;

/// A validator: returns `true` when the candidate is a real-looking secret.
pub(crate) type Validator = fn(&VCtx<'_>) -> bool;

/// A transform applied to the raw secret group before validation and hashing.
pub(crate) type Transform = fn(&str) -> String;

/// One built-in rule definition. Several definitions may share an id (one
/// rule, several shapes).
pub(crate) struct RuleDef {
    /// Full rule id, always `secret.<name>`.
    pub id: &'static str,
    /// Human title, e.g. "AWS access key id".
    pub title: &'static str,
    /// Severity of a match.
    pub severity: SecretSeverity,
    /// Regex (compiled as `regex::bytes::Regex`).
    pub regex: &'static str,
    /// Capture group holding the secret (0 = whole match).
    pub group: usize,
    /// Keywords (lowercase); empty = always run.
    pub keywords: &'static [&'static str],
    /// Shannon entropy floor (bits per byte) of the secret.
    pub min_entropy: Option<f64>,
    /// Extra validation.
    pub validator: Option<Validator>,
    /// Transform of the raw secret before validation/hashing.
    pub transform: Option<Transform>,
    /// Lower wins when two matches overlap.
    pub priority: u8,
    /// Generic (non provider-specific) rule: skipped in lockfiles.
    pub generic: bool,
    /// Context-judged family (passwords, hashes, framework secrets): a match
    /// under tests/docs/examples/fixtures or on a comment line is
    /// downgraded to low, and the evidence says why.
    pub downgrade: bool,
    /// Only files whose path passes this filter (rules without keywords
    /// then run on those files alone).
    pub path: Option<fn(&str) -> bool>,
    /// How far past a keyword hit the regex may reach (bytes); multi-line
    /// rules need more than the default line window.
    pub window: usize,
}

/// `group` value meaning "the first capture group that participated".
pub(crate) const FIRST_GROUP: usize = usize::MAX;

/// Default reach of a rule's regex around a keyword hit, in bytes.
pub(crate) const DEFAULT_WINDOW: usize = 1024;

pub(crate) const fn def(
    id: &'static str,
    title: &'static str,
    severity: SecretSeverity,
    regex: &'static str,
    group: usize,
    keywords: &'static [&'static str],
) -> RuleDef {
    RuleDef {
        id,
        title,
        severity,
        regex,
        group,
        keywords,
        min_entropy: None,
        validator: None,
        transform: None,
        priority: 2,
        generic: false,
        downgrade: false,
        path: None,
        window: DEFAULT_WINDOW,
    }
}

impl RuleDef {
    pub(crate) const fn downgrade(mut self) -> Self {
        self.downgrade = true;
        self
    }
    pub(crate) const fn path(mut self, p: fn(&str) -> bool) -> Self {
        self.path = Some(p);
        self
    }
    pub(crate) const fn window(mut self, bytes: usize) -> Self {
        self.window = bytes;
        self
    }
    pub(crate) const fn entropy(mut self, e: f64) -> Self {
        self.min_entropy = Some(e);
        self
    }
    pub(crate) const fn validate(mut self, v: Validator) -> Self {
        self.validator = Some(v);
        self
    }
    pub(crate) const fn transform(mut self, t: Transform) -> Self {
        self.transform = Some(t);
        self
    }
    pub(crate) const fn priority(mut self, p: u8) -> Self {
        self.priority = p;
        self
    }
    pub(crate) const fn generic(mut self) -> Self {
        self.generic = true;
        self
    }
}

use SecretSeverity::{Critical, Low, Medium};

/// Assignment operator and optional quotes between a name and a value.
macro_rules! assign {
    () => {
        r#"["'`]?\s*(?:=|:=|:|=>)\s*["'`]?"#
    };
}

/// The built-in rule table.
pub(crate) fn builtin_rules() -> Vec<RuleDef> {
    let mut rules = vec![
        // ---------------------------------------------------------------- AWS
        def(
            "secret.aws_access_key",
            "AWS access key id",
            Critical,
            // access key ids only: AKIA (long-term), ASIA (temporary), ABIA
            // (STS bearer), ACCA (context credential), A3T* (legacy). AIDA,
            // AROA, AGPA, ANPA... are unique ids of users/roles, not secrets.
            r"\b((?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]{16})\b",
            1,
            &["akia", "asia", "abia", "acca", "a3t"],
        )
        .validate(v_aws_key_id)
        .priority(0),
        def(
            "secret.aws_secret_key",
            "AWS secret access key",
            Critical,
            concat!(
                r#"(?i)(?:aws[A-Za-z0-9_.\-]{0,30}?(?:secret|private)|secret_?access_?key)[A-Za-z0-9_.\-]{0,30}?"#,
                assign!(),
                r"([A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$)"
            ),
            1,
            &["aws", "secretaccesskey", "secret_access_key"],
        )
        .entropy(3.8)
        .priority(0),
        def(
            "secret.aws_secret_key",
            "AWS secret access key",
            Critical,
            r"(?:^|[^A-Za-z0-9/+])([A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$)",
            1,
            &["akia", "asia"],
        )
        .entropy(4.0)
        .validate(v_aws_secret_near_key_id)
        .priority(0)
        .window(512),
        // ------------------------------------------------------------- GitHub
        def(
            "secret.github_token",
            "GitHub token",
            Critical,
            r"\b((?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36})\b",
            1,
            &["ghp_", "gho_", "ghu_", "ghs_", "ghr_"],
        )
        .validate(v_github_checksum)
        .priority(0),
        def(
            "secret.github_token",
            "GitHub token",
            Critical,
            r"\b(github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})\b",
            1,
            &["github_pat_"],
        )
        .entropy(4.0)
        .priority(0),
        // ------------------------------------------------------------- GitLab
        def(
            "secret.gitlab_token",
            "GitLab token",
            Critical,
            r"\b((?:glpat|gldt|glrt|glptt|glcbt|glsoat|glimt|glagent|glft|gloas)-[0-9A-Za-z_\-]{20,})",
            1,
            &[
                "glpat-", "gldt-", "glrt-", "glptt-", "glcbt-", "glsoat-", "glimt-", "glagent-",
                "glft-", "gloas-",
            ],
        )
        .entropy(3.5)
        .priority(0),
        // ------------------------------------------------------------- Stripe
        def(
            "secret.stripe_live_key",
            "Stripe live secret key",
            Critical,
            r"\b((?:sk|rk)_live_[0-9A-Za-z]{20,247})\b",
            1,
            &["sk_live_", "rk_live_"],
        )
        .entropy(3.5)
        .priority(0),
        def(
            "secret.stripe_test_key",
            "Stripe test secret key",
            Low,
            r"\b((?:sk|rk)_test_[0-9A-Za-z]{20,247})\b",
            1,
            &["sk_test_", "rk_test_"],
        )
        .entropy(3.5)
        .priority(0),
        def(
            "secret.stripe_webhook_secret",
            "Stripe webhook signing secret",
            Critical,
            r"\b(whsec_[0-9A-Za-z+/=]{32,})",
            1,
            &["whsec_"],
        )
        .entropy(3.5)
        .priority(0),
        // ------------------------------------------------------ OpenAI / Anthropic
        def(
            "secret.anthropic_key",
            "Anthropic API key",
            Critical,
            r"\b(sk-ant-[a-z]{2,10}[0-9]{0,3}-[A-Za-z0-9_\-]{32,})",
            1,
            &["sk-ant-"],
        )
        .entropy(3.5)
        .priority(0),
        def(
            "secret.openai_key",
            "OpenAI API key",
            Critical,
            r"\b(sk-(?:proj|svcacct|admin)-[A-Za-z0-9_\-]{40,})",
            1,
            &["sk-"],
        )
        .entropy(3.5)
        .validate(v_not_anthropic)
        .priority(1),
        def(
            "secret.openai_key",
            "OpenAI API key",
            Critical,
            r"\b(sk-[A-Za-z0-9]{48})\b",
            1,
            &["sk-"],
        )
        .entropy(3.5)
        .validate(v_not_anthropic)
        .priority(1),
        // -------------------------------------------------------------- Slack
        def(
            "secret.slack_token",
            "Slack token",
            Critical,
            r"\b((?:xox[abposer]|xapp)-[0-9]+-[0-9A-Za-z\-]{8,250})",
            1,
            &["xoxa-", "xoxb-", "xoxp-", "xoxo-", "xoxs-", "xoxe-", "xoxr-", "xapp-"],
        )
        .entropy(3.0)
        .priority(0),
        def(
            "secret.slack_webhook",
            "Slack webhook URL",
            Critical,
            r"(https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9_\-]+/[A-Za-z0-9_\-/]{20,})",
            1,
            &["hooks.slack.com"],
        )
        .validate(v_url_tail_entropy)
        .priority(0),
        // ------------------------------------------------------------- Google
        def(
            "secret.google_api_key",
            "Google API key",
            Critical,
            r"\b(AIza[0-9A-Za-z_\-]{35})(?:[^0-9A-Za-z_\-]|$)",
            1,
            &["aiza"],
        )
        .entropy(3.5)
        .priority(0),
        def(
            "secret.gcp_service_account",
            "GCP service account key",
            Critical,
            r#""private_key_id"\s*:\s*"([0-9a-f]{40})""#,
            1,
            &["private_key_id"],
        )
        .validate(v_gcp_context)
        .priority(0),
        // -------------------------------------------------------------- Azure
        def(
            "secret.azure_storage_key",
            "Azure storage account key",
            Critical,
            r"(?i)AccountKey\s*=\s*([A-Za-z0-9+/]{86}==)",
            1,
            &["accountkey"],
        )
        .entropy(4.0)
        .priority(0),
        // ------------------------------------------------------------- Twilio
        def(
            "secret.twilio_key",
            "Twilio API key",
            Critical,
            r"\b(SK[0-9a-fA-F]{32})\b",
            1,
            &["sk"],
        )
        .entropy(3.0)
        .validate(v_hex_mixed)
        .priority(0),
        def(
            "secret.twilio_key",
            "Twilio auth token",
            Critical,
            concat!(
                r"(?i)twilio[A-Za-z0-9_.\-]{0,20}?(?:token|secret)",
                assign!(),
                r"([0-9a-f]{32})\b"
            ),
            1,
            &["twilio"],
        )
        .entropy(3.0)
        .priority(0),
        // ---------------------------------------------------- SendGrid/Mailgun
        def(
            "secret.sendgrid_key",
            "SendGrid API key",
            Critical,
            r"\b(SG\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43})(?:[^A-Za-z0-9_\-]|$)",
            1,
            &["sg."],
        )
        .entropy(3.5)
        .priority(0),
        def(
            "secret.mailgun_key",
            "Mailgun API key",
            Critical,
            r"(?:^|[^A-Za-z0-9_\-])(key-[0-9a-f]{32})\b",
            1,
            &["key-"],
        )
        .entropy(3.0)
        .validate(v_hex_mixed)
        .priority(0),
        def(
            "secret.mailgun_key",
            "Mailgun API key",
            Critical,
            concat!(
                r"(?i)mailgun[A-Za-z0-9_.\-]{0,30}?",
                assign!(),
                r"([0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8})\b"
            ),
            1,
            &["mailgun"],
        )
        .entropy(3.0)
        .priority(0),
        // ------------------------------------------------------ package registries
        def(
            "secret.npm_token",
            "npm access token",
            Critical,
            r"\b(npm_[A-Za-z0-9]{36})\b",
            1,
            &["npm_"],
        )
        .entropy(3.5)
        .priority(0),
        def(
            "secret.npm_token",
            "npm auth token",
            Critical,
            r#"_authToken\s*=\s*["']?([A-Za-z0-9_\-.=]{20,})"#,
            1,
            &["_authtoken"],
        )
        .entropy(3.0)
        .priority(0),
        def(
            "secret.pypi_token",
            "PyPI upload token",
            Critical,
            r"\b(pypi-(?:AgEIcHlwaS5vcmc|AgENdGVzdC5weXBpLm9yZw)[A-Za-z0-9_\-]{50,})",
            1,
            &["pypi-ag"],
        )
        .priority(0),
        def(
            "secret.huggingface_token",
            "Hugging Face access token",
            Critical,
            r"\b((?:hf_|api_org_)[A-Za-z0-9]{34,40})\b",
            1,
            &["hf_", "api_org_"],
        )
        .entropy(3.5)
        .validate(v_mixed_case)
        .priority(0),
        // ------------------------------------------------------------ Discord
        def(
            "secret.discord_webhook",
            "Discord webhook URL",
            Critical,
            r"(https://(?:ptb\.|canary\.)?discord(?:app)?\.com/api/webhooks/[0-9]{17,20}/[A-Za-z0-9_\-]{60,70})",
            1,
            &["discord"],
        )
        .validate(v_url_tail_entropy)
        .priority(0),
        // ----------------------------------------------------------- Supabase
        def(
            "secret.supabase_service_key",
            "Supabase service role key",
            Critical,
            r"\b(eyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{10,})",
            1,
            &["eyj"],
        )
        .validate(v_supabase_service)
        .priority(0),
        def(
            "secret.supabase_service_key",
            "Supabase secret key",
            Critical,
            r"\b(sb_secret_[A-Za-z0-9_\-]{20,})",
            1,
            &["sb_secret_"],
        )
        .entropy(3.5)
        .priority(0),
        // --------------------------------------------------------- private keys
        def(
            "secret.private_key",
            "Private key",
            Critical,
            r"(?s)-----BEGIN[ A-Z0-9]{0,30}PRIVATE KEY(?: BLOCK)?-----(.+?)-----END[ A-Z0-9]{0,30}PRIVATE KEY(?: BLOCK)?-----",
            1,
            &["private key"],
        )
        .transform(t_pem_body)
        .validate(v_private_key)
        .priority(0)
        .window(64 * 1024),
        // ---------------------------------------------------------------- JWT
        def(
            "secret.jwt",
            "JSON Web Token",
            Critical,
            r"\b(eyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{10,})",
            1,
            &["eyj"],
        )
        .validate(v_jwt)
        .priority(1),
        // -------------------------------------------------------- database URL
        def(
            "secret.database_url",
            "Database URL with password",
            Critical,
            r#"(?i)\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver)://[^\s:/@'"<>`]*:([^\s@/'"<>`]+)@([^\s/'"<>`:?,;]+)"#,
            1,
            &[
                "postgres", "mysql", "mariadb", "mongodb", "redis", "amqp", "mssql", "sqlserver",
            ],
        )
        .validate(v_db_password)
        .priority(1),
        // ------------------------------------------------------- misc providers
        def(
            "secret.shopify_token",
            "Shopify access token",
            Critical,
            r"\b(shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32})\b",
            1,
            &["shpat_", "shpca_", "shppa_", "shpss_"],
        )
        .entropy(3.0)
        .priority(0),
        def(
            "secret.digitalocean_token",
            "DigitalOcean token",
            Critical,
            r"\b(do[opr]_v1_[a-f0-9]{64})\b",
            1,
            &["_v1_"],
        )
        .entropy(3.0)
        .priority(0),
        def(
            "secret.telegram_bot_token",
            "Telegram bot token",
            Critical,
            r"\b([0-9]{8,10}:AA[0-9A-Za-z_\-]{33})(?:[^0-9A-Za-z_\-]|$)",
            1,
            &[":aa"],
        )
        .entropy(3.5)
        .priority(0),
        def(
            "secret.square_token",
            "Square access token",
            Critical,
            r"\b((?:sq0atp|sq0csp)-[0-9A-Za-z_\-]{22,60}|EAAA[0-9A-Za-z_\-]{60})(?:[^0-9A-Za-z_\-]|$)",
            1,
            &["sq0atp-", "sq0csp-", "eaaa"],
        )
        .entropy(3.5)
        .priority(0),
        def(
            "secret.heroku_api_key",
            "Heroku API key",
            Critical,
            r"\b(HRKU-[0-9A-Za-z_\-]{60})(?:[^0-9A-Za-z_\-]|$)",
            1,
            &["hrku-"],
        )
        .entropy(3.5)
        .priority(0),
        def(
            "secret.heroku_api_key",
            "Heroku API key",
            Critical,
            concat!(
                r"(?i)heroku[A-Za-z0-9_.\-]{0,30}?(?:key|token|secret)",
                assign!(),
                r"([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b"
            ),
            1,
            &["heroku"],
        )
        .priority(0),
        def(
            "secret.linear_api_key",
            "Linear API key",
            Critical,
            r"\b(lin_api_[0-9A-Za-z]{40})\b",
            1,
            &["lin_api_"],
        )
        .entropy(3.5)
        .priority(0),
        def(
            "secret.databricks_token",
            "Databricks access token",
            Critical,
            r"\b(dapi[0-9a-f]{32}(?:-[0-9])?)\b",
            1,
            &["dapi"],
        )
        .entropy(3.0)
        .validate(v_hex_mixed)
        .priority(0),
        def(
            "secret.doppler_token",
            "Doppler token",
            Critical,
            r"\b(dp\.(?:pt|st|sa|ct|scim|audit)\.[0-9A-Za-z]{40,44})\b",
            1,
            &["dp.pt.", "dp.st.", "dp.sa.", "dp.ct.", "dp.scim.", "dp.audit."],
        )
        .entropy(3.5)
        .priority(0),
        def(
            "secret.age_secret_key",
            "age secret key",
            Critical,
            r"\b(AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})\b",
            1,
            &["age-secret-key-1"],
        )
        .entropy(3.5)
        .priority(0),
        def(
            "secret.newrelic_api_key",
            "New Relic user API key",
            Critical,
            r"\b(NRAK-[A-Z0-9]{27})\b",
            1,
            &["nrak-"],
        )
        .entropy(3.5)
        .priority(0),
        def(
            "secret.postman_api_key",
            "Postman API key",
            Critical,
            r"\b(PMAK-[a-f0-9]{24}-[a-f0-9]{34})\b",
            1,
            &["pmak-"],
        )
        .entropy(3.0)
        .priority(0),
        def(
            "secret.grafana_token",
            "Grafana token",
            Critical,
            r"\b(glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}|glc_[A-Za-z0-9+/]{32,400}={0,2})",
            1,
            &["glsa_", "glc_"],
        )
        .entropy(3.5)
        .priority(0),
        def(
            "secret.sentry_token",
            "Sentry auth token",
            Critical,
            r"\b(sntryu_[a-f0-9]{64}|sntrys_eyJ[A-Za-z0-9+/=_\-]{50,})",
            1,
            &["sntryu_", "sntrys_"],
        )
        .entropy(3.0)
        .priority(0),
        def(
            "secret.firebase_fcm_key",
            "Firebase Cloud Messaging server key",
            Critical,
            r"\b(AAAA[A-Za-z0-9_\-]{7}:APA91b[A-Za-z0-9_\-]{134})",
            1,
            &[":apa91b"],
        )
        .entropy(3.5)
        .priority(0),
        def(
            "secret.mapbox_secret_token",
            "Mapbox secret token",
            Critical,
            r"\b(sk\.eyJ[A-Za-z0-9_\-]{20,}\.[A-Za-z0-9_\-]{20,})",
            1,
            &["sk.eyj"],
        )
        .entropy(3.5)
        .priority(0),
        // ------------------------------------------------------------ generic
        def(
            "secret.generic_high_entropy",
            "High-entropy secret assigned to a secret-like name",
            Medium,
            concat!(
                r"(?i)(?:^|[^A-Za-z0-9_])(?:[A-Za-z0-9_.\-]*(?:password|passwd|passphrase|pwd|secret|token|api[_.\-]?key|apikey|auth|credential|private[_.\-]?key|access[_.\-]?key|signing[_.\-]?key|encryption[_.\-]?key|client[_.\-]?secret)[A-Za-z0-9_.\-]*)",
                // optional type annotation: `let k: &str =`, `apiKey: string =`
                r"(?:\s*:\s*&?(?:'[a-z]+\s+)?[A-Za-z_][A-Za-z0-9_<>\[\]]{0,30}\s*(?:=|:=)\s*|",
                r#"["'`]?\s*(?:=|:=|:|=>)\s*)"#,
                // a quoted value may hold punctuation; an unquoted one ends at it
                r#"(?:"(?:(?:bearer|basic|token)\s+)?([^"\s\\]{16,256})"|'(?:(?:bearer|basic|token)\s+)?([^'\s\\]{16,256})'|`([^`\s\\]{16,256})`|["'`]?(?:(?:bearer|basic|token)\s+)?([^\s"'`,;<>(){}\[\]\\&|]{16,256}))"#
            ),
            FIRST_GROUP,
            &[
                "password", "passwd", "passphrase", "pwd", "secret", "token", "api_key",
                "api-key", "api.key", "apikey", "auth", "credential", "private_key", "private-key",
                "privatekey", "access_key", "access-key", "accesskey", "signing", "encryption",
            ],
        )
        // 3.5 bits for most values, 3.0 for hex under a strong name (v_generic)
        .entropy(3.0)
        .validate(v_generic)
        .priority(9)
        .generic()
        .downgrade(),
    ];
    rules.extend(super::passwords::rules());
    rules
}

// ------------------------------------------------------------------ helpers

/// Shannon entropy in bits per byte.
pub(crate) fn shannon_entropy(s: &[u8]) -> f64 {
    if s.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in s {
        counts[b as usize] += 1;
    }
    let n = s.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / n;
            -p * p.log2()
        })
        .sum()
}

/// Placeholder / example / template values that are never findings.
pub(crate) fn is_placeholder(secret: &str) -> bool {
    let l = secret.to_ascii_lowercase();
    const WORDS: &[&str] = &[
        "example",
        "xxxx",
        "your_",
        "your-",
        "yourapi",
        "yourkey",
        "yoursecret",
        "yourtoken",
        "${",
        "{{",
        "}}",
        "changeme",
        "change_me",
        "change-me",
        "dummy",
        "redacted",
        "****",
        "placeholder",
        "replace_me",
        "replaceme",
        "replace-me",
        "insert_",
        "insert-",
        "sample",
        "process.env",
        "os.environ",
        "getenv",
        "...",
        "…",
        "_here",
        "-here",
        "notreal",
        "not_real",
        "not-real",
        "fake_",
        "fake-",
        "123456789",
        "abcdefgh",
        "0000000000",
        "xmpl",
        "1234",
        "abcd",
        "a1b2c3",
    ];
    // short fragments ("abcd", "1234", "xmpl") occur by chance in long
    // random values such as key bodies: only judge short values by them
    if WORDS
        .iter()
        .any(|w| !(l.len() > 64 && matches!(*w, "xmpl" | "1234" | "abcd")) && l.contains(w))
    {
        return true;
    }
    // `<password>`, `<your token>`: an angle-bracketed word
    if let Some(open) = l.find('<') {
        let rest = &l[open + 1..];
        if let Some(close) = rest.find('>') {
            let inner = &rest[..close];
            if inner.len() >= 3
                && inner.bytes().any(|b| b.is_ascii_alphabetic())
                && inner
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b' ' | b'.'))
            {
                return true;
            }
        }
    }
    // `$VAR` / `%VAR%` style references
    let b = secret.as_bytes();
    if b.len() > 1
        && (b[0] == b'$' || b[0] == b'%')
        && b[1..]
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'%')
    {
        return true;
    }
    // Very few distinct characters: "aaaaaaaaaaaaaaaa", "abababab..."
    if b.len() >= 16 {
        let mut seen = [false; 256];
        let mut distinct = 0;
        for &c in b {
            if !seen[c as usize] {
                seen[c as usize] = true;
                distinct += 1;
            }
        }
        if distinct < 6 {
            return true;
        }
    }
    false
}

/// `8-4-4-4-12` hex UUID.
pub(crate) fn is_uuid(s: &str) -> bool {
    is_uuid_bytes(s.as_bytes())
}

fn is_uuid_bytes(b: &[u8]) -> bool {
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// Decodes base64 / base64url (padding optional). `None` on invalid input.
pub(crate) fn b64_decode(s: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0u32;
    for &c in s {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => break,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// CRC-32 (IEEE 802.3, reflected, poly 0xEDB88320), bitwise.
pub(crate) fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xEDB8_8320 & mask);
        }
    }
    !crc
}

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

#[cfg(test)]
/// Base62-encodes `v` left-padded with `0` to `width` characters.
pub(crate) fn base62_encode(mut v: u64, width: usize) -> String {
    let mut digits = Vec::new();
    while v > 0 {
        digits.push(BASE62[(v % 62) as usize]);
        v /= 62;
    }
    while digits.len() < width {
        digits.push(b'0');
    }
    digits.reverse();
    String::from_utf8_lossy(&digits).into_owned()
}

fn base62_decode(s: &[u8]) -> Option<u64> {
    let mut v: u64 = 0;
    for &c in s {
        let d = BASE62.iter().position(|&x| x == c)? as u64;
        v = v.checked_mul(62)?.checked_add(d)?;
    }
    Some(v)
}

fn has_digit(s: &str) -> bool {
    s.bytes().any(|c| c.is_ascii_digit())
}

fn contains_ci(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

// --------------------------------------------------------------- validators

fn v_aws_key_id(c: &VCtx<'_>) -> bool {
    c.secret.len() == 20
        && c.secret
            .bytes()
            .all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b))
        // random base32 body; no digit requirement (about 4% of real ids
        // have none), but word-like or repetitive bodies are rejected
        && shannon_entropy(&c.secret.as_bytes()[4..]) >= 2.5
}

fn v_aws_secret_near_key_id(c: &VCtx<'_>) -> bool {
    let s = c.secret;
    let mixed = s.bytes().any(|b| b.is_ascii_lowercase())
        && s.bytes().any(|b| b.is_ascii_uppercase())
        && has_digit(s);
    if !mixed {
        return false;
    }
    let near = |hay: &[u8]| {
        let re_window = &hay[hay.len().saturating_sub(400)..];
        aws_key_id_in(re_window)
    };
    near(c.before) || aws_key_id_in(&c.after[..c.after.len().min(400)]) || near(c.whole)
}

fn aws_key_id_in(hay: &[u8]) -> bool {
    const PREFIXES: &[&[u8]] = &[b"AKIA", b"ASIA"];
    hay.windows(20).any(|w| {
        PREFIXES.iter().any(|p| w.starts_with(p))
            && w[4..]
                .iter()
                .all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(b))
    })
}

/// GitHub classic tokens: the last 6 base62 chars are CRC32 of the 30 random
/// chars before them.
fn v_github_checksum(c: &VCtx<'_>) -> bool {
    let Some((_, body)) = c.secret.split_once('_') else {
        return false;
    };
    let b = body.as_bytes();
    if b.len() != 36 {
        return false;
    }
    let (random, check) = b.split_at(30);
    base62_decode(check) == Some(u64::from(crc32(random)))
}

fn v_not_anthropic(c: &VCtx<'_>) -> bool {
    !c.secret.starts_with("sk-ant-")
}

fn v_hex_mixed(c: &VCtx<'_>) -> bool {
    let s = c.secret;
    s.bytes().any(|b| b.is_ascii_digit()) && s.bytes().skip(2).any(|b| b.is_ascii_alphabetic())
}

fn v_mixed_case(c: &VCtx<'_>) -> bool {
    let s = c.secret;
    s.bytes().any(|b| b.is_ascii_lowercase()) && s.bytes().any(|b| b.is_ascii_uppercase())
}

fn v_url_tail_entropy(c: &VCtx<'_>) -> bool {
    let tail = c.secret.rsplit('/').next().unwrap_or("");
    tail.len() >= 16 && shannon_entropy(tail.as_bytes()) >= 3.5
}

fn v_gcp_context(c: &VCtx<'_>) -> bool {
    contains_ci(c.before, b"service_account") || contains_ci(c.after, b"service_account")
}

fn jwt_parts(s: &str) -> Option<(Vec<u8>, Vec<u8>)> {
    let mut it = s.split('.');
    let header = b64_decode(it.next()?.as_bytes())?;
    let payload = b64_decode(it.next()?.as_bytes())?;
    Some((header, payload))
}

fn is_json_object(b: &[u8]) -> bool {
    let t = b.trim_ascii();
    t.first() == Some(&b'{')
}

fn v_jwt(c: &VCtx<'_>) -> bool {
    let Some((header, payload)) = jwt_parts(c.secret) else {
        return false;
    };
    if !is_json_object(&header) || !contains_ci(&header, b"\"alg\"") {
        return false;
    }
    // the jwt.io documentation example
    if contains_ci(&payload, b"john doe") && contains_ci(&payload, b"1234567890") {
        return false;
    }
    // Supabase anon keys are public by design (shipped to browsers)
    !(contains_ci(&payload, b"supabase") && contains_ci(&payload, b"\"anon\""))
}

fn v_supabase_service(c: &VCtx<'_>) -> bool {
    if !v_jwt(c) {
        return false;
    }
    let Some((_, payload)) = jwt_parts(c.secret) else {
        return false;
    };
    contains_ci(&payload, b"service_role")
}

fn t_pem_body(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let unescaped = raw.replace("\\n", "\n").replace("\\r", "\n");
    for line in unescaped.lines() {
        let line = line
            .trim()
            .trim_matches(|c| c == '"' || c == '\'' || c == ',');
        // armor headers such as "Proc-Type: 4,ENCRYPTED" or "Version: GnuPG"
        if line.contains(':') {
            continue;
        }
        out.extend(line.chars().filter(|c| !c.is_whitespace()));
    }
    out
}

fn v_private_key(c: &VCtx<'_>) -> bool {
    let s = c.secret;
    if s.len() < 64 || shannon_entropy(s.as_bytes()) < 4.0 {
        return false;
    }
    if !s
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/' || b == b'=')
    {
        return false;
    }
    // A key inside a GCP service-account JSON is reported by that rule.
    let b = c.before;
    let near = &b[b.len().saturating_sub(64)..];
    !(contains_ci(near, b"\"private_key\"") && v_gcp_context(c))
}

/// Database URL passwords that are placeholders / documented defaults.
///
/// Judgement (documented contract): a password is NOT reported when it is
/// shorter than 6 characters, a template reference (`${DB_PASS}`,
/// `$DB_PASS`, `%s`, `{}`, `{{ pass }}`, `<password>`), a well-known placeholder (`password`, `pass`, `secret`,
/// `changeme`, `example`, `xxx`, `***` ...), or a weak default on a local
/// host (`localhost`, `127.0.0.1`, `::1`, `0.0.0.0`, `host.docker.internal`
/// or a bare compose service name like `db`/`postgres`) with fewer than 12
/// characters or low entropy: those are development settings. Anything else,
/// including strong passwords on local hosts, is reported.
fn v_db_password(c: &VCtx<'_>) -> bool {
    let pw = c.secret;
    if pw.is_empty() || is_placeholder(pw) {
        return false;
    }
    let l = pw.to_ascii_lowercase();
    const DEFAULTS: &[&str] = &[
        "password",
        "pass",
        "passwd",
        "pwd",
        "secret",
        "changeme",
        "root",
        "admin",
        "postgres",
        "mysql",
        "user",
        "test",
        "example",
        "guest",
        "xxx",
        "***",
        "%s",
        "mongo",
        "redis",
        "rabbitmq",
        "sa",
        "dbpass",
        "db_pass",
        "mypassword",
        "yourpassword",
        "p@ssw0rd",
        "1234",
        "12345",
        "123456",
    ];
    if DEFAULTS.contains(&l.as_str()) || pw.len() < 6 || pw.contains(['$', '%', '{', '}', '[', ']'])
    {
        return false;
    }
    let whole = String::from_utf8_lossy(c.whole);
    let host = whole.rsplit('@').next().unwrap_or("").to_ascii_lowercase();
    let local = matches!(
        host.as_str(),
        "localhost" | "127.0.0.1" | "::1" | "0.0.0.0" | "host.docker.internal"
    ) || (!host.contains('.') && !host.is_empty());
    if local && (pw.len() < 12 || shannon_entropy(pw.as_bytes()) < 3.0) {
        return false;
    }
    true
}

/// Lower-case name fragments that mark a value as *not* a secret even under a
/// secret-like name (hashes of secrets, public keys, ...).
const NON_SECRET_NAME_PARTS: &[&str] = &[
    "hash",
    "digest",
    "checksum",
    "integrity",
    "public",
    "fingerprint",
    "sha1",
    "sha256",
    "sha512",
    "_url",
    "-url",
    "url_",
    "endpoint",
    "_uri",
    "-uri",
    "path",
    "_file",
    "-file",
    "file_",
    "name",
    "type",
    "length",
    "expir",
    "nexttoken",
    "next_token",
    "pagetoken",
    "page_token",
    "paginationtoken",
    "continuationtoken",
    "continuation_token",
    "clienttoken",
    "client_token",
    "synctoken",
    "csrf",
    "xsrf",
    "lastused",
    "last_used",
    "placeholder",
    "example",
];

/// Name endings that describe metadata about a secret, not the secret.
const NON_SECRET_NAME_SUFFIXES: &[&str] = &[
    "id",
    "ids",
    "url",
    "uri",
    "urls",
    "dir",
    "count",
    "size",
    "timeout",
    "ttl",
    "format",
    "version",
    "header",
    "prefix",
    "field",
    "label",
    "hint",
    "policy",
    "kind",
    "mode",
    "scope",
    "scopes",
    "provider",
    "algorithm",
    "method",
    "strategy",
    "enabled",
    "required",
    "date",
    "time",
    "index",
    "len",
    "min",
    "max",
    "regex",
    "pattern",
    "class",
    "cls",
    "arn",
];

fn v_generic(c: &VCtx<'_>) -> bool {
    let v = c.secret;
    // followed by interpolation / a call: `"pre{}"`, `"pre${x}"`, `fn2(`
    if matches!(
        c.after.first(),
        Some(b'{' | b'$' | b'(' | b'[' | b'%' | b'\\')
    ) {
        return false;
    }
    if v.len() < 16 || !has_digit(v) || !v.bytes().any(|b| b.is_ascii_alphabetic()) {
        return false;
    }
    // the name: whole match up to the assignment
    let whole = String::from_utf8_lossy(c.whole).to_ascii_lowercase();
    let is_name_char = |ch: char| ch.is_ascii_alphanumeric() || matches!(ch, '_' | '.' | '-');
    let whole = whole.trim_start_matches(|ch: char| !is_name_char(ch));
    let name_end = whole
        .find(|ch: char| !is_name_char(ch))
        .unwrap_or(whole.len());
    let name = &whole[..name_end];
    if NON_SECRET_NAME_PARTS.iter().any(|p| name.contains(p))
        || NON_SECRET_NAME_SUFFIXES.iter().any(|p| name.ends_with(p))
    {
        return false;
    }
    // In program source an unquoted right-hand side is an expression
    // (identifier, type, path), never a literal secret.
    let between = whole
        .get(name_end..whole.len().saturating_sub(v.len()))
        .unwrap_or("");
    let quoted = between.contains(['"', '\'', '`']) || whole.trim_end().ends_with(['"', '\'', '`']);
    if !quoted && is_code_file(c.source) {
        return false;
    }
    // `Type::Path`, `a::b`, and `::` mistaken for an assignment
    if v.starts_with(':') || v.contains("::") {
        return false;
    }
    // snake_case / UPPER_SNAKE identifiers: every `_` segment is single-case
    if v.contains('_')
        && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && v.split('_').all(|seg| {
            !(seg.bytes().any(|b| b.is_ascii_lowercase())
                && seg.bytes().any(|b| b.is_ascii_uppercase()))
        })
    {
        return false;
    }
    let lv = v.to_ascii_lowercase();
    if lv.contains("://")
        || lv.starts_with('/')
        || lv.starts_with("./")
        || lv.starts_with("../")
        || lv.starts_with("~/")
        || lv.starts_with("data:")
        || lv.starts_with("pk_")
        || lv.starts_with("pk.")
        || lv.starts_with("sha1-")
        || lv.starts_with("sha256-")
        || lv.starts_with("sha384-")
        || lv.starts_with("sha512-")
        || lv.starts_with("$2a$")
        || lv.starts_with("$2b$")
        || lv.starts_with("$2y$")
        || lv.starts_with("$argon2")
        || lv.contains("env.")
        || lv.contains("environ")
    {
        return false;
    }
    // a UUID, alone or inside a longer value ("_SA_{262E99C9-...}")
    if is_uuid(v) || (v.len() > 36 && v.as_bytes().windows(36).any(is_uuid_bytes)) {
        return false;
    }
    // hex strings are hashes (git SHAs, sha256, ids ...) except in `.env`
    // files, where a hex value under a secret-like key is a generated secret
    let env_file = {
        let file = c.source.rsplit(['/', '\\']).next().unwrap_or(c.source);
        file == ".env" || file.starts_with(".env.") || file.ends_with(".env")
    };
    let hex = v.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-');
    let hex_secret = env_file || (strong_secret_name(name) && v.len() >= 32);
    if hex && (!hex_secret || is_public_hash(v)) {
        return false;
    }
    if !hex && shannon_entropy(v.as_bytes()) < 3.5 {
        return false;
    }
    // format strings: "{}", "{0}", "{name}"
    if has_format_placeholder(v) {
        return false;
    }
    // emails, ISO timestamps, ARNs, descriptive values ("MyPassword123!")
    if (v.contains('@') && v.contains('.'))
        || (v.len() >= 10
            && v.as_bytes()[4] == b'-'
            && v.bytes().take(4).all(|b| b.is_ascii_digit()))
        || lv.starts_with("arn:")
        || lv.contains("password")
        || lv.contains("passwd")
        || lv.contains("secret")
        || lv.contains("token")
    {
        return false;
    }
    // a word followed by a number: "webdavgeneratedpassword1", "letmein2024"
    let alpha_prefix = v.bytes().take_while(|b| b.is_ascii_lowercase()).count();
    if alpha_prefix >= 8 && v.bytes().skip(alpha_prefix).all(|b| b.is_ascii_digit()) {
        return false;
    }
    // eyJ... single base64 JSON blob: an opaque pagination cursor
    if v.starts_with("eyJ")
        && !v.contains('.')
        && b64_decode(v.as_bytes()).is_some_and(|d| is_json_object(&d))
    {
        return false;
    }
    // dotted identifiers: config.auth.tokenV2, import.meta.env.X
    if v.contains('.')
        && v.split('.').all(|seg| {
            seg.bytes()
                .next()
                .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_' || b == b'$')
                && seg
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'$')
        })
    {
        return false;
    }
    // lowercase path-ish values: config/secrets/prod2.key
    if v.contains('/') && !v.bytes().any(|b| b.is_ascii_uppercase()) {
        return false;
    }
    true
}

/// Names that say "this value is a secret" even when it is hex (generated
/// tokens and keys are often hex): `oauth_token`, `api_key`,
/// `secret_key_base`, `client_secret`.
fn strong_secret_name(name: &str) -> bool {
    const ENDS: &[&str] = &[
        "token",
        "secret",
        "api_key",
        "api-key",
        "apikey",
        "secret_key",
        "secretkey",
        "secret-key",
        "secret_key_base",
        "access_key",
        "accesskey",
        "private_key",
        "privatekey",
        "signing_key",
        "encryption_key",
        "master_key",
        "auth_key",
        "password",
        "passwd",
    ];
    let n = name.trim_end_matches(|c: char| !c.is_ascii_alphanumeric());
    ENDS.iter().any(|e| n.ends_with(e))
}

/// Digests of public data that appear in code as constants (empty input).
fn is_public_hash(v: &str) -> bool {
    const KNOWN: &[&str] = &[
        "d41d8cd98f00b204e9800998ecf8427e",
        "da39a3ee5e6b4b0d3255bfef95601890afd80709",
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e",
    ];
    let l = v.to_ascii_lowercase();
    KNOWN.contains(&l.as_str())
}

/// `{}`, `{0}`, `{name}`, `%(name)s`: a format string, not a literal.
pub(crate) fn has_format_placeholder(v: &str) -> bool {
    if v.contains("%(") || v.contains("{}") {
        return true;
    }
    let b = v.as_bytes();
    let mut i = 0;
    while let Some(rel) = b[i..].iter().position(|&c| c == b'{') {
        let open = i + rel;
        let inner_len = b[open + 1..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b':'))
            .count();
        if b.get(open + 1 + inner_len) == Some(&b'}') && inner_len <= 30 {
            let inner = &b[open + 1..open + 1 + inner_len];
            // `{q}` inside a random value is rare; `{name}`/`{0}` is a format field
            if inner.len() >= 2 || inner.iter().all(u8::is_ascii_digit) {
                return true;
            }
        }
        i = open + 1;
    }
    false
}

/// Program source files, where an unquoted assignment value is code.
pub(crate) fn is_code_file(source: &str) -> bool {
    let name = source.rsplit(['/', '\\']).next().unwrap_or(source);
    let Some((_, ext)) = name.rsplit_once('.') else {
        return false;
    };
    matches!(
        ext.to_ascii_lowercase().as_str(),
        "rs" | "ts"
            | "tsx"
            | "mts"
            | "cts"
            | "js"
            | "jsx"
            | "mjs"
            | "cjs"
            | "go"
            | "py"
            | "java"
            | "kt"
            | "kts"
            | "scala"
            | "c"
            | "h"
            | "cc"
            | "cpp"
            | "cxx"
            | "hpp"
            | "hh"
            | "cs"
            | "fs"
            | "swift"
            | "rb"
            | "php"
            | "dart"
            | "m"
            | "mm"
            | "lua"
            | "ex"
            | "exs"
            | "erl"
            | "hs"
            | "ml"
            | "vue"
            | "svelte"
            | "sol"
            | "zig"
            | "nim"
            | "jl"
            | "groovy"
            | "gradle"
            | "pl"
            | "pm"
            | "r"
            | "clj"
            | "elm"
            | "v"
            | "d"
            | "pyi"
    )
}

/// Test, documentation and example material: a path component such as
/// `tests/`, `docs/`, `examples/`, `fixtures/`, or a test / docs file name.
/// Returns how to describe it ("under tests/"), `None` for other paths.
pub(crate) fn non_production_path(source: &str) -> Option<String> {
    const DIRS: &[&str] = &[
        "test",
        "tests",
        "__tests__",
        "testing",
        "testdata",
        "test_data",
        "test-data",
        "spec",
        "specs",
        "fixture",
        "fixtures",
        "__fixtures__",
        "mocks",
        "__mocks__",
        "doc",
        "docs",
        "documentation",
        "example",
        "examples",
        "sample",
        "samples",
        "demo",
        "demos",
    ];
    let mut parts = source
        .split(['/', '\\'])
        .filter(|p| !p.is_empty())
        .peekable();
    while let Some(part) = parts.next() {
        let l = part.to_ascii_lowercase();
        if parts.peek().is_some() {
            if DIRS.contains(&l.as_str()) {
                return Some(format!("under {part}/"));
            }
            continue;
        }
        // the file name
        let stem = l.rsplit_once('.').map_or(l.as_str(), |(s, _)| s);
        let ext = l.rsplit_once('.').map_or("", |(_, e)| e);
        if stem.starts_with("test_")
            || stem.ends_with("_test")
            || stem.ends_with("_tests")
            || stem.ends_with(".test")
            || stem.ends_with(".spec")
            || stem.ends_with("_spec")
            || stem == "conftest"
            || (ext == "java" && part.ends_with("Test.java"))
        {
            return Some(format!("a test file ({part})"));
        }
        if matches!(ext, "md" | "markdown" | "rst" | "adoc" | "asciidoc") {
            return Some(format!("documentation ({part})"));
        }
    }
    None
}

/// Lockfiles whose checksums/integrity hashes are never secrets; generic rules
/// are not run on them.
pub(crate) fn is_lockfile(source: &str) -> bool {
    let name = source.rsplit(['/', '\\']).next().unwrap_or(source);
    matches!(
        name,
        "package-lock.json"
            | "npm-shrinkwrap.json"
            | "yarn.lock"
            | "pnpm-lock.yaml"
            | "bun.lock"
            | "Cargo.lock"
            | "composer.lock"
            | "Gemfile.lock"
            | "poetry.lock"
            | "Pipfile.lock"
            | "uv.lock"
            | "go.sum"
            | "flake.lock"
            | "mix.lock"
            | "pubspec.lock"
            | "packages.lock.json"
            | "gradle.lockfile"
    )
}
