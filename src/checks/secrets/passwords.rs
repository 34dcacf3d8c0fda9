//! Rules for what people leak that is not a provider token: passwords in
//! config and code, password hashes, web-framework signing secrets, saved
//! credentials of desktop tools, and key files.
//!
//! Human passwords are short and low-entropy, so these rules do not use an
//! entropy floor: they judge a value by its context (the key it is assigned
//! to, the file format) and reject placeholders, template references, type
//! names, labels and documented defaults. Matches of the context-judged
//! families under `tests/`, `docs/`, `examples/`, fixtures or in a comment
//! line are downgraded by the engine (see [`RuleDef::downgrade`]), never
//! dropped.

use super::SecretSeverity::{Critical, High};
use super::rules::{
    FIRST_GROUP, RuleDef, VCtx, b64_decode, def, is_code_file, is_placeholder, shannon_entropy,
};

/// Lower-case names of a password-like key, as a regex fragment (no groups).
/// Long words may carry any prefix (`userPassword`, `DB_PASSWORD`); short
/// ones need a separator or the start of the name (`db_pass`, `pwd`) so
/// `bypass` or `cwd` never match.
macro_rules! pw_name {
    () => {
        r"(?:[A-Za-z0-9_.\-]*(?:password|passwd|passphrase|passwort)|\b(?:[A-Za-z0-9_.\-]*[_.\-])?(?:pass|pwd|pw|secret))"
    };
}

/// A quoted (three quote styles) or unquoted value; exactly one of the
/// four groups participates.
macro_rules! pw_value {
    () => {
        r#"(?:"([^"\r\n]{1,200})"|'([^'\r\n]{1,200})'|`([^`\r\n]{1,200})`|([^\s"'`,;<>(){}\[\]]{1,200}))"#
    };
}

/// The built-in rules of this module.
pub(crate) fn rules() -> Vec<RuleDef> {
    vec![
        // ---------------------------------------------------------- passwords
        // key = value in JSON, YAML, INI, TOML, .env, properties, XML
        // attributes, PHP arrays, code, connection strings, CLI flags
        def(
            "secret.password",
            "Password",
            High,
            concat!(
                r"(?i)",
                pw_name!(),
                // optional type annotation: `password: str = "..."`
                r#"(?:[ \t]*:[ \t]*&?[A-Za-z_][A-Za-z0-9_<>\[\]]{0,30}[ \t]*=|["'`]?[ \t]*(?:=|:=|:|=>))[ \t]*"#,
                pw_value!()
            ),
            FIRST_GROUP,
            &[
                "password", "passwd", "passphrase", "passwort", "pass", "pwd", "pw", "secret",
            ],
        )
        .validate(v_password)
        .priority(5)
        .downgrade(),
        // XML elements: <password>...</password>, FileZilla <Pass encoding="base64">
        def(
            "secret.password",
            "Password",
            High,
            concat!(
                r"(?i)<(?:[A-Za-z]+:)?",
                pw_name!(),
                r#"((?:[ \t][^>\r\n]{0,80})?)>([^<\r\n]{1,200})</"#
            ),
            2,
            &[
                "password", "passwd", "passphrase", "passwort", "pass", "pwd", "pw", "secret",
            ],
        )
        .validate(v_password_element)
        .priority(5)
        .downgrade(),
        // PHP define('DB_PASSWORD', '...')
        def(
            "secret.password",
            "Password",
            High,
            r#"(?i)define\([ \t]*['"][A-Z0-9_]*(?:PASSWORD|PASSWD|PASS|PWD)['"][ \t]*,[ \t]*(?:'([^'\r\n]{1,200})'|"([^"\r\n]{1,200})")"#,
            FIRST_GROUP,
            &["define("],
        )
        .validate(v_password)
        .priority(4)
        .downgrade(),
        // .netrc: machine HOST login USER password PASS (one line or several)
        def(
            "secret.password",
            "Password (.netrc)",
            High,
            r"(?i)\blogin[ \t]+[^\s]+[ \t\r\n]+password[ \t]+([^\s]+)",
            1,
            &["login"],
        )
        .validate(v_password_netrc)
        .priority(4)
        .downgrade()
        .window(512),
        // .pgpass: host:port:database:user:password
        def(
            "secret.password",
            "Password (.pgpass)",
            High,
            r"(?m)^[^:\s#][^:\s]*:(?:[0-9]+|\*):[^:\s]+:[^:\s]+:([^\s]+)$",
            1,
            &[],
        )
        .path(is_pgpass)
        .validate(v_password_plain)
        .priority(4)
        .downgrade(),
        // ----------------------------------------------- URLs with a password
        def(
            "secret.url_credentials",
            "URL with a password",
            High,
            r#"(?i)\b(?:https?|ftps?|sftp|ssh|smtps?|imaps?|pop3s?|ldaps?|git)://([^\s:/@'"<>`]{1,80}):([^\s@/'"<>`]{1,200})@([^\s/'"<>`:?,;)\]]+)"#,
            2,
            &[
                "http://", "https://", "ftp://", "ftps://", "sftp://", "ssh://", "smtp://",
                "smtps://", "imap://", "imaps://", "pop3://", "pop3s://", "ldap://", "ldaps://",
                "git://",
            ],
        )
        .validate(v_url_password)
        .priority(3)
        .downgrade(),
        // ------------------------------------------------ registry credentials
        def(
            "secret.docker_registry_auth",
            "Docker registry credentials",
            Critical,
            r#""auth"[ \t]*:[ \t]*"([A-Za-z0-9+/]{8,}={0,2})""#,
            1,
            &["\"auth\""],
        )
        .validate(v_basic_auth_b64)
        .priority(1),
        def(
            "secret.npm_token",
            "npm basic-auth credentials",
            Critical,
            r#"(?:^|[\s:])_auth[ \t]*=[ \t]*["']?([A-Za-z0-9+/]{8,}={0,2})"#,
            1,
            &["_auth"],
        )
        .validate(v_basic_auth_b64)
        .priority(1),
        // ------------------------------------------------------ password hashes
        def(
            "secret.password_hash",
            "Password hash",
            High,
            concat!(
                r"(\$2[abxy]?\$[0-9]{2}\$[./A-Za-z0-9]{53}",
                r"|\$(?:1|apr1)\$[./A-Za-z0-9]{1,8}\$[./A-Za-z0-9]{22}",
                r"|\$[56]\$(?:rounds=[0-9]{1,9}\$)?[./A-Za-z0-9]{1,16}\$[./A-Za-z0-9]{43}(?:[./A-Za-z0-9]{43})?",
                r"|\$y\$[./A-Za-z0-9]{1,30}\$[./A-Za-z0-9]{1,86}\$[./A-Za-z0-9]{43}",
                r"|\$argon2(?:id|i|d)\$v=[0-9]+\$m=[0-9]+,t=[0-9]+,p=[0-9]+\$[A-Za-z0-9+/]{11,}\$[A-Za-z0-9+/]{16,})",
                r"(?:[^./A-Za-z0-9+$]|$)"
            ),
            1,
            &[
                "$2a$", "$2b$", "$2x$", "$2y$", "$2$", "$1$", "$apr1$", "$5$", "$6$", "$y$",
                "$argon2",
            ],
        )
        .validate(v_password_hash)
        .priority(1)
        .downgrade(),
        // htpasswd {SHA} lines: user:{SHA}base64
        def(
            "secret.password_hash",
            "Password hash",
            High,
            r"(?m)^[^:\s#]{1,64}:(\{SHA\}[A-Za-z0-9+/]{27}=)[ \t]*\r?$",
            1,
            &["{sha}"],
        )
        .validate(v_password_hash)
        .priority(1)
        .downgrade(),
        // ------------------------------------------------- framework secrets
        def(
            "secret.django_secret_key",
            "Django SECRET_KEY",
            High,
            r#"(?:^|[^A-Za-z0-9_])SECRET_KEY[ \t]*=[ \t]*(?:'([^'\r\n]{12,200})'|"([^"\r\n]{12,200})")"#,
            FIRST_GROUP,
            &["secret_key"],
        )
        .validate(v_django)
        .priority(2)
        .downgrade(),
        def(
            "secret.flask_secret_key",
            "Flask SECRET_KEY",
            High,
            r#"(?:\bsecret_key[ \t]*=|\[[ \t]*['"]SECRET_KEY['"][ \t]*\][ \t]*=|SECRET_KEY[ \t]*=)[ \t]*[bB]?(?:'([^'\r\n]{12,200})'|"([^"\r\n]{12,200})")"#,
            FIRST_GROUP,
            &["secret_key"],
        )
        .validate(v_flask)
        .priority(3)
        .downgrade(),
        def(
            "secret.rails_secret_key_base",
            "Rails secret_key_base",
            High,
            r#"(?i)secret_key_base["']?[ \t]*(?:=>|:|=)[ \t]*["']?([0-9a-f]{64,256})\b"#,
            1,
            &["secret_key_base"],
        )
        .validate(v_framework_value)
        .priority(2)
        .downgrade(),
        def(
            "secret.rails_master_key",
            "Rails master key",
            Critical,
            r"\A[ \t\r\n]*([0-9a-f]{32})[ \t\r\n]*\z",
            1,
            &[],
        )
        .path(is_rails_key_file)
        .validate(v_framework_value)
        .priority(2),
        def(
            "secret.wordpress_salt",
            "WordPress authentication key or salt",
            High,
            r#"define\([ \t]*['"](?:AUTH|SECURE_AUTH|LOGGED_IN|NONCE)_(?:KEY|SALT)['"][ \t]*,[ \t]*(?:'([^'\r\n]{16,200})'|"([^"\r\n]{16,200})")"#,
            FIRST_GROUP,
            &["_key'", "_key\"", "_salt'", "_salt\""],
        )
        .validate(v_framework_value)
        .priority(2)
        .downgrade(),
        def(
            "secret.laravel_app_key",
            "Laravel APP_KEY",
            High,
            r#"APP_KEY[ \t]*=[ \t]*["']?(base64:[A-Za-z0-9+/]{43}=)"#,
            1,
            &["app_key"],
        )
        .validate(v_framework_value)
        .priority(2)
        .downgrade(),
        def(
            "secret.symfony_app_secret",
            "Symfony APP_SECRET",
            High,
            r#"APP_SECRET[ \t]*[=:][ \t]*["']?([0-9a-f]{32,64})\b"#,
            1,
            &["app_secret"],
        )
        .validate(v_framework_value)
        .priority(2)
        .downgrade(),
        // ------------------------------------------- saved logins, key files
        def(
            "secret.browser_saved_logins",
            "Browser saved logins (Firefox logins.json)",
            High,
            r#""encryptedPassword"[ \t]*:[ \t]*"([A-Za-z0-9+/=]{16,})""#,
            1,
            &["encryptedpassword"],
        )
        .priority(1)
        .downgrade(),
        def(
            "secret.private_key",
            "PuTTY private key",
            Critical,
            r"(?s)PuTTY-User-Key-File-[23]:[^\r\n]*\r?\n.{0,4096}?Private-Lines:[ \t]*[0-9]+\r?\n((?:[A-Za-z0-9+/=]{1,64}\r?\n)+)",
            1,
            &["putty-user-key-file-"],
        )
        .transform(t_strip_ws)
        .validate(v_ppk)
        .priority(0)
        .window(16 * 1024),
    ]
}

// ------------------------------------------------------------- path filters

fn file_name(source: &str) -> &str {
    source.rsplit(['/', '\\']).next().unwrap_or(source)
}

fn is_pgpass(source: &str) -> bool {
    matches!(file_name(source), ".pgpass" | "pgpass.conf" | "pgpass")
}

fn is_rails_key_file(source: &str) -> bool {
    let name = file_name(source);
    name == "master.key"
        || (name.ends_with(".key")
            && (source.contains("config/credentials/") || source.starts_with("credentials/")))
}

/// Key stores are binary: they are found by name, see [`keystore_kind`].
pub(crate) fn keystore_kind(path: &str) -> Option<&'static str> {
    let name = file_name(path).to_ascii_lowercase();
    let (stem, ext) = name.rsplit_once('.')?;
    if stem.is_empty() {
        return None;
    }
    match ext {
        "p12" | "pfx" | "pkcs12" => Some("PKCS#12 key store"),
        "jks" | "keystore" | "bks" | "jceks" => Some("Java key store"),
        _ => None,
    }
}

// --------------------------------------------------------------- transforms

fn t_strip_ws(raw: &str) -> String {
    raw.chars().filter(|c| !c.is_whitespace()).collect()
}

// ---------------------------------------------------------------- validators

/// Documented defaults and words that are never someone's real password.
const NOT_PASSWORDS: &[&str] = &[
    "password",
    "passwd",
    "pass",
    "pwd",
    "pw",
    "secret",
    "secrets",
    "changeme",
    "changeit",
    "root",
    "admin",
    "administrator",
    "postgres",
    "mysql",
    "user",
    "username",
    "test",
    "testing",
    "tester",
    "guest",
    "demo",
    "default",
    "example",
    "sample",
    "dummy",
    "fake",
    "foo",
    "foobar",
    "bar",
    "baz",
    "qwerty",
    "letmein",
    "none",
    "null",
    "nil",
    "true",
    "false",
    "yes",
    "no",
    "on",
    "off",
    "empty",
    "blank",
    "string",
    "str",
    "text",
    "bytes",
    "optional",
    "required",
    "undefined",
    "unknown",
    "hidden",
    "masked",
    "redacted",
    "omitted",
    "anonymous",
    "nopass",
    "nopassword",
    "mypassword",
    "yourpassword",
    "your_password",
    "newpassword",
    "oldpassword",
    "p@ssw0rd",
    "passw0rd",
    "s3cr3t",
    "hunter2",
    "secret123",
    "password1",
    "password123",
    "admin123",
    "test123",
    "1234",
    "12345",
    "123456",
    "1234567",
    "12345678",
    "123456789",
    "abc123",
    "abcdef",
    "guest",
    "rabbitmq",
    "redis",
    "mongo",
    "sa",
    "dbpass",
    "db_pass",
    "dbpassword",
    "db_password",
    "keystore",
    "storepass",
    "keypass",
    "env",
    "environ",
    "get",
    "input",
    "prompt",
    "getpass",
    "mypass",
    "mysecret",
    "mypassphrase",
    "opensesame",
    "open sesame",
];

fn is_not_password(v: &str) -> bool {
    let l = v.to_ascii_lowercase();
    NOT_PASSWORDS.contains(&l.as_str())
}

/// The value judged on its own: `true` when it could be a real password.
pub(crate) fn plausible_password(v: &str, quoted: bool, code: bool) -> bool {
    let v = v.trim();
    if v.len() < 4 || v.len() > 128 || is_placeholder(v) || is_not_password(v) {
        return false;
    }
    let l = v.to_ascii_lowercase();
    // template references, interpolations, YAML tags and anchors, env lookups
    if v.starts_with([
        '$', '%', '{', '[', '(', '@', '!', '*', '&', '~', '#', '?', '/', '\\',
    ]) || v.contains("{{")
        || v.contains("${")
        || v.contains("#{")
        || v.contains("%(")
        || v.contains("%s")
        || l.contains("env(")
        || l.contains("env.")
        || l.contains("environ")
        || l.contains("getenv")
        || l.starts_with("enc(")
        || l.starts_with("vault:")
        || l.starts_with("secret:")
        || l.starts_with("ref+")
        || l.starts_with("op://")
        || l.starts_with("sm://")
        || l.starts_with("arn:")
        || l.starts_with("http://")
        || l.starts_with("https://")
        || l.starts_with("file:")
    {
        return false;
    }
    // a label or a key name, not a value: "Password", "passwd_hint", "Mot de passe"
    if l.contains("passw")
        || l.contains("passphrase")
        || l.contains("mot de passe")
        || l.contains("contrase")
        || l.contains("kennwort")
        || l.contains("geheim")
        || l.contains("secreto")
        || l.contains("segreto")
        || v.chars().any(char::is_whitespace)
    {
        return false;
    }
    // identifiers: db-password-secret, my_secret_name, some.config.key
    let ident_like = v
        .bytes()
        .all(|b| b.is_ascii_lowercase() || matches!(b, b'_' | b'-' | b'.'))
        && v.bytes().any(|b| matches!(b, b'_' | b'-' | b'.'));
    if ident_like {
        return false;
    }
    // repeated characters: "aaaa", "----", "...."
    let first = v.as_bytes()[0];
    if v.bytes().all(|b| b == first) {
        return false;
    }
    let classes = [
        v.bytes().any(|b| b.is_ascii_lowercase()),
        v.bytes().any(|b| b.is_ascii_uppercase()),
        v.bytes().any(|b| b.is_ascii_digit()),
        v.bytes().any(|b| !b.is_ascii_alphanumeric()),
    ]
    .iter()
    .filter(|&&c| c)
    .count();
    if code {
        // in program source a string literal must look like a password:
        // two character classes (or long and varied); unquoted is code
        if !quoted {
            return false;
        }
        if classes < 2 && !(v.len() >= 12 && shannon_entropy(v.as_bytes()) >= 3.0) {
            return false;
        }
        // CamelCase / dotted identifiers, format strings
        if v.bytes().all(|b| b.is_ascii_alphabetic()) && v.len() > 3 {
            let lower_then_upper = v
                .as_bytes()
                .windows(2)
                .any(|w| w[0].is_ascii_lowercase() && w[1].is_ascii_uppercase());
            if lower_then_upper && !v.bytes().any(|b| b.is_ascii_digit()) {
                return false;
            }
        }
    }
    true
}

/// What was assigned to, and whether the value was quoted.
fn name_and_quote(c: &VCtx<'_>) -> (String, bool) {
    let whole = String::from_utf8_lossy(c.whole);
    let is_name = |ch: char| ch.is_ascii_alphanumeric() || matches!(ch, '_' | '.' | '-');
    let start = whole.trim_start_matches(|ch: char| !is_name(ch));
    let end = start.find(|ch: char| !is_name(ch)).unwrap_or(start.len());
    let name = start[..end].to_ascii_lowercase();
    let quoted = whole.trim_end().ends_with(['"', '\'', '`']) && whole.len() > c.secret.len();
    (name, quoted)
}

fn v_password(c: &VCtx<'_>) -> bool {
    let (name, quoted) = name_and_quote(c);
    // metadata about a password, not the password
    const META: &[&str] = &[
        "hash",
        "digest",
        "salt",
        "policy",
        "length",
        "file",
        "path",
        "prompt",
        "label",
        "hint",
        "field",
        "reset",
        "forgot",
        "confirm",
        "expir",
        "regex",
        "pattern",
        "min",
        "max",
        "type",
        "encoder",
        "validator",
        "strength",
        "manager",
        "store",
        "command",
        "cmd",
        "env",
        "var",
        "secretname",
        "secret_name",
        "secretref",
        "secret_ref",
        "secretkeyref",
        "placeholder",
        "example",
        "template",
    ];
    let head = name.trim_end_matches(|ch: char| !ch.is_ascii_alphanumeric());
    if META.iter().any(|m| head.contains(m) && !m.is_empty()) {
        return false;
    }
    // "secret" is used for many non-password things: require a stronger value
    let weak_name = !(head.contains("pass") || head.contains("pwd") || head.ends_with("pw"));
    // (long random values under such names are the generic rule's)
    if weak_name
        && (c.secret.len() < 8
            || shannon_entropy(c.secret.as_bytes()) < 2.5
            || (c.secret.len() >= 16 && shannon_entropy(c.secret.as_bytes()) >= 3.5))
    {
        return false;
    }
    let code = is_code_file(c.source);
    // `;Password=abc;` inside a connection string literal is quoted context
    // (a `;` after the value alone is just the end of a statement)
    let in_conn_string = c.before.last() == Some(&b';');
    let quoted = quoted || (code && in_conn_string && !c.secret.contains('"'));
    // a call or interpolation right after: `password = get("x")`
    if !quoted && matches!(c.after.first(), Some(b'(' | b'.' | b'[' | b'{')) {
        return false;
    }
    plausible_password(c.secret, quoted, code)
}

fn v_password_element(c: &VCtx<'_>) -> bool {
    let whole = String::from_utf8_lossy(c.whole).to_ascii_lowercase();
    let base64 = whole.contains("encoding=\"base64\"") || whole.contains("encoding='base64'");
    if base64 {
        let Some(decoded) = b64_decode(c.secret.trim().as_bytes()) else {
            return false;
        };
        let Ok(text) = std::str::from_utf8(&decoded) else {
            return false;
        };
        return plausible_password(text, true, false);
    }
    plausible_password(c.secret, true, false)
}

fn v_password_netrc(c: &VCtx<'_>) -> bool {
    let name = file_name(c.source).to_ascii_lowercase();
    let netrc = name == ".netrc" || name == "_netrc" || name == "netrc";
    // outside a netrc file, require the one-line `machine` form
    if !netrc {
        let line_start = c
            .before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |p| p + 1);
        let line = &c.before[line_start..];
        if !String::from_utf8_lossy(line).contains("machine ") {
            return false;
        }
    }
    plausible_password(c.secret, true, false)
}

fn v_password_plain(c: &VCtx<'_>) -> bool {
    plausible_password(c.secret, true, false)
}

/// Hosts of documentation and local development.
fn is_example_host(host: &str) -> bool {
    let h = host.to_ascii_lowercase();
    let h = h.trim_end_matches('.');
    matches!(
        h,
        "localhost" | "127.0.0.1" | "::1" | "0.0.0.0" | "host" | "hostname" | "server"
    ) || h.ends_with("example.com")
        || h.ends_with("example.org")
        || h.ends_with("example.net")
        || h.ends_with(".example")
        || h.ends_with(".test")
        || h.ends_with(".invalid")
        || h.ends_with(".local")
        || h.ends_with(".localhost")
        || h.contains("your")
        || h.contains('{')
        || h.contains('$')
        || h.contains('%')
        || h.contains('<')
}

fn v_url_password(c: &VCtx<'_>) -> bool {
    let whole = String::from_utf8_lossy(c.whole);
    let host = whole.rsplit('@').next().unwrap_or("");
    let user = whole
        .split("://")
        .nth(1)
        .and_then(|r| r.split(':').next())
        .unwrap_or("");
    if is_example_host(host) || is_placeholder(user) || user.starts_with(['$', '%', '{', '<']) {
        return false;
    }
    // `user:pass@`, `foo:bar@`, `login:password@` and other teaching pairs
    let pw = c.secret;
    if pw.len() < 4 || is_not_password(pw) || is_not_password(user) && pw.len() < 6 {
        return false;
    }
    if matches!(
        (
            user.to_ascii_lowercase().as_str(),
            pw.to_ascii_lowercase().as_str()
        ),
        ("foo", "bar") | ("user", _) | ("username", _) | ("login", _) | ("name", _)
    ) && pw.len() < 10
    {
        return false;
    }
    plausible_password(pw, true, false)
}

/// base64 of `user:password` with a plausible password.
fn v_basic_auth_b64(c: &VCtx<'_>) -> bool {
    let Some(decoded) = b64_decode(c.secret.as_bytes()) else {
        return false;
    };
    let Ok(text) = std::str::from_utf8(&decoded) else {
        return false;
    };
    let Some((user, pw)) = text.split_once(':') else {
        return false;
    };
    !user.is_empty()
        && !text.chars().any(char::is_control)
        && (pw.len() >= 20 || plausible_password(pw, true, false))
}

fn v_password_hash(c: &VCtx<'_>) -> bool {
    let tail = c.secret.rsplit('$').next().unwrap_or(c.secret);
    let tail = tail.strip_prefix("{SHA}").unwrap_or(tail);
    // placeholder-looking hashes: "$2b$12$xxxxxxxx...", "$6$salt$aaaa..."
    tail.len() >= 16 && !is_placeholder(tail) && shannon_entropy(tail.as_bytes()) >= 3.5
}

fn v_framework_value(c: &VCtx<'_>) -> bool {
    let v = c.secret;
    let l = v.to_ascii_lowercase();
    !is_placeholder(v)
        && !l.contains("put your unique phrase here")
        && !l.contains("%env(")
        && shannon_entropy(v.as_bytes()) >= 3.0
}

fn mentions(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

fn python_settings(source: &str) -> bool {
    let l = source.to_ascii_lowercase();
    l.ends_with(".py") || l.ends_with(".cfg") || l.ends_with(".env") || l.ends_with(".ini")
}

fn v_django(c: &VCtx<'_>) -> bool {
    let v = c.secret;
    if !python_settings(c.source) {
        return false;
    }
    let django = v.starts_with("django-insecure-")
        || file_name(c.source).starts_with("settings")
        || mentions(c.before, b"django")
        || mentions(c.after, b"django");
    django && framework_secret_value(v)
}

fn v_flask(c: &VCtx<'_>) -> bool {
    let v = c.secret;
    let whole = String::from_utf8_lossy(c.whole);
    let flask = mentions(c.before, b"flask")
        || mentions(c.after, b"flask")
        || whole.contains(".secret_key")
        || whole.contains("config[");
    python_settings(c.source) && flask && framework_secret_value(v)
}

fn framework_secret_value(v: &str) -> bool {
    let l = v.to_ascii_lowercase();
    !is_placeholder(v)
        && !is_not_password(v)
        && !l.contains("secret key")
        && !l.contains("secret-key")
        && !l.contains("secret_key")
        && !l.contains("dev")
        && !l.contains("insecure-change")
        && shannon_entropy(v.as_bytes()) >= 3.0
}

fn v_ppk(c: &VCtx<'_>) -> bool {
    c.secret.len() >= 40 && shannon_entropy(c.secret.as_bytes()) >= 4.0
}
