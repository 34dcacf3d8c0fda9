//! Unit tests. Every secret here is fake and generated at test time from a
//! seeded PRNG (built by concatenation), so the repository itself contains no
//! real-looking secret literal.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use super::engine::{Match, sha256_hex};
use super::rules::{base62_encode, crc32};
use super::*;
use crate::redact::redact;

mod families;

// ------------------------------------------------------------------ helpers

const B62: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const B64: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64URL: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const HEX: &str = "0123456789abcdef";
const DIGITS: &str = "0123456789";
const UPPER_B32: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const UPPER_NUM: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const BECH32_UP: &str = "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L";

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn s(&mut self, alphabet: &str, n: usize) -> String {
        let a = alphabet.as_bytes();
        (0..n)
            .map(|_| char::from(a[(self.next() % a.len() as u64) as usize]))
            .collect()
    }
    /// Random string from `alphabet` that certainly has an upper-case
    /// letter, a lower-case letter and a digit when the alphabet allows.
    fn mixed(&mut self, alphabet: &str, n: usize) -> String {
        let mut v: Vec<char> = self.s(alphabet, n).chars().collect();
        let classes = [
            "abcdefghijkmnpqrstuvwxyz",
            "ABCDEFGHJKLMNPQRSTUVWXYZ",
            "23456789",
        ];
        for (slot, class) in classes.iter().enumerate() {
            let allowed: String = class.chars().filter(|c| alphabet.contains(*c)).collect();
            if !allowed.is_empty() && n > 3 {
                v[slot + 1] = self.s(&allowed, 1).chars().next().unwrap_or('x');
            }
        }
        v.into_iter().collect()
    }
}

/// Standard base64 with padding.
fn b64_encode(data: &[u8]) -> String {
    let mut out: String = b64url_encode(data)
        .chars()
        .map(|c| match c {
            '-' => '+',
            '_' => '/',
            c => c,
        })
        .collect();
    while !out.len().is_multiple_of(4) {
        out.push('=');
    }
    out
}

fn b64url_encode(data: &[u8]) -> String {
    let a = B64URL.as_bytes();
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let chars = chunk.len() + 1;
        for i in 0..chars {
            out.push(char::from(a[((n >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out
}

fn jwt(rng: &mut Rng, payload: &str) -> String {
    let header = b64url_encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let body = b64url_encode(payload.as_bytes());
    format!("{header}.{body}.{}", rng.s(B64URL, 43))
}

fn github_classic(rng: &mut Rng, prefix: &str) -> String {
    let random = rng.mixed(B62, 30);
    let check = base62_encode(u64::from(crc32(random.as_bytes())), 6);
    format!("{prefix}_{random}{check}")
}

fn pem(rng: &mut Rng, kind: &str, header: &str) -> (String, String) {
    let mut body = String::new();
    let mut text = format!("-----BEGIN {kind}-----\n{header}");
    for _ in 0..12 {
        let line = rng.s(B64, 64);
        body.push_str(&line);
        text.push_str(&line);
        text.push('\n');
    }
    let tail = format!("{}==", rng.s(B64, 30));
    body.push_str(&tail);
    text.push_str(&tail);
    text.push_str(&format!("\n-----END {kind}-----\n"));
    (text, body)
}

fn uuid(rng: &mut Rng) -> String {
    format!(
        "{}-{}-4{}-a{}-{}",
        rng.s(HEX, 8),
        rng.s(HEX, 4),
        rng.s(HEX, 3),
        rng.s(HEX, 3),
        rng.s(HEX, 12)
    )
}

/// One labelled corpus sample.
struct Sample {
    /// Rule the sample is about (for coverage accounting).
    rule: &'static str,
    /// Source label (path).
    path: &'static str,
    text: String,
    /// Expected (rule id, secret value); empty for decoys.
    expect: Vec<(&'static str, String)>,
}

fn pos(rule: &'static str, text: String, secret: String) -> Sample {
    Sample {
        rule,
        path: "src/config.ts",
        text,
        expect: vec![(rule, secret)],
    }
}

fn neg(rule: &'static str, text: String) -> Sample {
    Sample {
        rule,
        path: "src/config.ts",
        text,
        expect: Vec::new(),
    }
}

/// The labelled corpus: true secrets and decoys, all generated.
fn corpus(seed: u64) -> Vec<Sample> {
    let r = &mut Rng(seed | 1);
    let mut v = Vec::new();
    v.extend(families::samples(r));

    // AWS
    let key_id = format!("AKIA{}", r.mixed(UPPER_B32, 16));
    v.push(pos(
        "secret.aws_access_key",
        format!("aws_access_key_id = {key_id}\n"),
        key_id.clone(),
    ));
    let letters_only = format!("AKIA{}", r.s("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 16));
    v.push(pos(
        "secret.aws_access_key",
        format!("AWS_ACCESS_KEY_ID={letters_only}\n"),
        letters_only,
    ));
    let asia = format!("ASIA{}", r.mixed(UPPER_B32, 16));
    v.push(pos(
        "secret.aws_access_key",
        format!("const creds = {{ id: \"{asia}\" }};\n"),
        asia,
    ));
    let aws_secret = r.mixed(B64, 40);
    v.push(pos(
        "secret.aws_secret_key",
        format!("AWS_SECRET_ACCESS_KEY=\"{aws_secret}\"\n"),
        aws_secret,
    ));
    let id2 = format!("AKIA{}", r.mixed(UPPER_B32, 16));
    let sec2 = r.mixed(B62, 40);
    v.push(Sample {
        rule: "secret.aws_secret_key",
        path: "deploy/creds.json",
        text: format!("{{\n  \"Id\": \"{id2}\",\n  \"Value\": \"{sec2}\"\n}}\n"),
        expect: vec![
            ("secret.aws_access_key", id2),
            ("secret.aws_secret_key", sec2),
        ],
    });
    v.push(neg(
        "secret.aws_access_key",
        format!(
            "aws_access_key_id = {}{}{}\n",
            "AKIA", "IOSFODNN7", "EXAMPLE"
        ),
    ));
    v.push(neg(
        "secret.aws_access_key",
        format!(
            "let s = \"AKIA{}\";\n",
            r.s("abcdefghijklmnopqrstuvwxyz", 16)
        ),
    ));
    v.push(neg(
        "secret.aws_secret_key",
        format!(
            "aws_secret_access_key = {}/{}/{}{}\n",
            "wJalrXUtnFEMI", "K7MDENG", "bPxRfiCY", "EXAMPLEKEY"
        ),
    ));
    v.push(neg(
        "secret.aws_secret_key",
        format!("checksum: {}\n", r.mixed(B62, 40)),
    ));

    // GitHub
    for p in ["ghp", "gho", "ghs", "ghu", "ghr"] {
        let t = github_classic(r, p);
        v.push(pos("secret.github_token", format!("GITHUB_TOKEN={t}\n"), t));
    }
    let pat = format!("github_pat_{}_{}", r.mixed(B62, 22), r.mixed(B62, 59));
    v.push(pos(
        "secret.github_token",
        format!("gh auth login --with-token {pat}\n"),
        pat,
    ));
    let mut bad = github_classic(r, "ghp");
    let last = if bad.ends_with('A') { 'B' } else { 'A' };
    bad.pop();
    bad.push(last);
    v.push(neg("secret.github_token", format!("let s = \"{bad}\";\n")));
    v.push(neg(
        "secret.github_token",
        format!("let s = \"ghp_{}\";\n", "x".repeat(36)),
    ));

    // GitLab
    let gl = format!("glpat-{}", r.mixed(B64URL, 20));
    v.push(pos(
        "secret.gitlab_token",
        format!("GITLAB_TOKEN: {gl}\n"),
        gl,
    ));
    v.push(neg(
        "secret.gitlab_token",
        format!("let s = 'glpat-{}';\n", "X".repeat(20)),
    ));

    // Stripe
    let live = format!("sk_live_{}", r.mixed(B62, 24));
    v.push(pos(
        "secret.stripe_live_key",
        format!("Stripe(\"{live}\")\n"),
        live,
    ));
    let rk = format!("rk_live_{}", r.mixed(B62, 99));
    v.push(pos(
        "secret.stripe_live_key",
        format!("stripe.key = {rk}\n"),
        rk,
    ));
    v.push(neg(
        "secret.stripe_live_key",
        format!("Stripe(\"sk_live_{}\")\n", "x".repeat(24)),
    ));
    v.push(neg(
        "secret.stripe_live_key",
        format!("const pk = \"pk_live_{}\";\n", r.mixed(B62, 24)),
    ));
    let test = format!("sk_test_{}", r.mixed(B62, 24));
    v.push(pos(
        "secret.stripe_test_key",
        format!("Stripe('{test}')\n"),
        test,
    ));
    v.push(neg(
        "secret.stripe_test_key",
        format!("Stripe('sk_test_{}')\n", "X".repeat(24)),
    ));
    let wh = format!("whsec_{}", r.mixed(B62, 32));
    v.push(pos(
        "secret.stripe_webhook_secret",
        format!("endpoint_secret = '{wh}'\n"),
        wh,
    ));
    v.push(neg(
        "secret.stripe_webhook_secret",
        "endpoint_secret = 'whsec_your_webhook_signing_secret_here'\n".to_string(),
    ));

    // OpenAI / Anthropic
    let proj = format!("sk-proj-{}", r.mixed(B64URL, 120));
    v.push(pos(
        "secret.openai_key",
        format!("OPENAI_API_KEY={proj}\n"),
        proj,
    ));
    let legacy = format!("sk-{}T3BlbkFJ{}", r.mixed(B62, 20), r.mixed(B62, 20));
    v.push(pos(
        "secret.openai_key",
        format!("openai.api_key = \"{legacy}\"\n"),
        legacy,
    ));
    v.push(neg(
        "secret.openai_key",
        format!("const s = \"sk-proj-{}\";\n", "x".repeat(48)),
    ));
    v.push(neg(
        "secret.openai_key",
        format!("const s = \"sk-{}\";\n", "a1".repeat(24)),
    ));
    let ant = format!("sk-ant-api03-{}AA", r.mixed(B64URL, 93));
    v.push(pos(
        "secret.anthropic_key",
        format!("ANTHROPIC_API_KEY=\"{ant}\"\n"),
        ant,
    ));
    v.push(neg(
        "secret.anthropic_key",
        format!("const s = \"sk-ant-api03-{}\";\n", "x".repeat(93)),
    ));

    // Slack
    let xoxb = format!(
        "xoxb-{}-{}-{}",
        r.s(DIGITS, 12),
        r.s(DIGITS, 13),
        r.mixed(B62, 24)
    );
    v.push(pos(
        "secret.slack_token",
        format!("slack: {{ bot: '{xoxb}' }}\n"),
        xoxb,
    ));
    v.push(neg(
        "secret.slack_token",
        "slack: { bot: 'xoxb-your-bot-token' }\n".to_string(),
    ));
    let hook = format!(
        "https://hooks.slack.com/services/T{}/B{}/{}",
        r.s(UPPER_NUM, 8),
        r.s(UPPER_NUM, 10),
        r.mixed(B62, 24)
    );
    v.push(pos(
        "secret.slack_webhook",
        format!("webhook = \"{hook}\"\n"),
        hook,
    ));
    v.push(neg(
        "secret.slack_webhook",
        format!(
            "webhook = \"https://hooks.slack.com/services/T00000000/B00000000/{}\"\n",
            "X".repeat(24)
        ),
    ));

    // Google
    let aiza = format!("AIza{}", r.mixed(B64URL, 35));
    v.push(pos(
        "secret.google_api_key",
        format!("const MAPS = \"{aiza}\";\n"),
        aiza,
    ));
    v.push(neg(
        "secret.google_api_key",
        format!("const MAPS = \"AIza{}\";\n", "X".repeat(35)),
    ));
    let key_id = r.s(HEX, 40);
    let (pem_text, _) = pem(r, "PRIVATE KEY", "");
    let escaped = pem_text.replace('\n', "\\n");
    v.push(Sample {
        rule: "secret.gcp_service_account",
        path: "gcp/service-account.json",
        text: format!(
            "{{\n  \"type\": \"service_account\",\n  \"project_id\": \"acme-prod\",\n  \"private_key_id\": \"{key_id}\",\n  \"private_key\": \"{escaped}\",\n  \"client_email\": \"svc@acme-prod.iam.gserviceaccount.com\",\n  \"auth_uri\": \"https://accounts.google.com/o/oauth2/auth\",\n  \"token_uri\": \"https://oauth2.googleapis.com/token\"\n}}\n"
        ),
        expect: vec![("secret.gcp_service_account", key_id)],
    });
    v.push(neg(
        "secret.gcp_service_account",
        format!(
            "{{ \"type\": \"authorized_user\", \"private_key_id\": \"{}\" }}\n",
            r.s(HEX, 40)
        ),
    ));

    // Azure
    let acct = format!("{}==", r.mixed(B64, 86));
    v.push(pos(
        "secret.azure_storage_key",
        format!("AZURE_STORAGE=DefaultEndpointsProtocol=https;AccountName=acmeprod;AccountKey={acct};EndpointSuffix=core.windows.net\n"),
        acct,
    ));
    v.push(neg(
        "secret.azure_storage_key",
        format!(
            "conn = \"AccountName=devstoreaccount1;AccountKey={}==\"\n",
            "A".repeat(86)
        ),
    ));

    // Twilio
    let sk = format!("SK{}", r.mixed(HEX, 32));
    v.push(pos(
        "secret.twilio_key",
        format!("twilio_key_sid = {sk}\n"),
        sk,
    ));
    let tw = r.mixed(HEX, 32);
    v.push(pos(
        "secret.twilio_key",
        format!("TWILIO_AUTH_TOKEN={tw}\n"),
        tw,
    ));
    v.push(neg(
        "secret.twilio_key",
        format!("let s = 'SK{}';\n", "0".repeat(32)),
    ));

    // SendGrid / Mailgun
    let sg = format!("SG.{}.{}", r.mixed(B64URL, 22), r.mixed(B64URL, 43));
    v.push(pos(
        "secret.sendgrid_key",
        format!("sgMail.setApiKey('{sg}');\n"),
        sg,
    ));
    v.push(neg(
        "secret.sendgrid_key",
        format!(
            "sgMail.setApiKey('SG.{}.{}');\n",
            "x".repeat(22),
            "x".repeat(43)
        ),
    ));
    let mg = format!("key-{}", r.mixed(HEX, 32));
    v.push(pos(
        "secret.mailgun_key",
        format!("mailgun.client({{ key: '{mg}' }})\n"),
        mg,
    ));
    let mg2 = format!("{}-{}-{}", r.mixed(HEX, 32), r.s(HEX, 8), r.s(HEX, 8));
    v.push(pos(
        "secret.mailgun_key",
        format!("MAILGUN_API_KEY={mg2}\n"),
        mg2,
    ));
    v.push(neg(
        "secret.mailgun_key",
        format!("const k = 'cache-key-{}';\n", r.mixed(HEX, 32)),
    ));
    v.push(neg(
        "secret.mailgun_key",
        format!("mailgun.client({{ key: 'key-{}' }})\n", "0".repeat(32)),
    ));

    // npm / PyPI / Hugging Face
    let npm = format!("npm_{}", r.mixed(B62, 36));
    v.push(pos("secret.npm_token", format!("NPM_TOKEN={npm}\n"), npm));
    let legacy_npm = uuid(r);
    v.push(pos(
        "secret.npm_token",
        format!("//registry.npmjs.org/:_authToken={legacy_npm}\n"),
        legacy_npm,
    ));
    v.push(neg(
        "secret.npm_token",
        "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n".to_string(),
    ));
    v.push(neg(
        "secret.npm_token",
        format!("let s = 'npm_{}';\n", "x".repeat(36)),
    ));
    let pypi = format!("pypi-AgEIcHlwaS5vcmc{}", r.mixed(B64URL, 70));
    v.push(pos(
        "secret.pypi_token",
        format!("password = {pypi}\n"),
        pypi,
    ));
    v.push(neg(
        "secret.pypi_token",
        format!("password = pypi-AgEIcHlwaS5vcmc{}\n", "x".repeat(60)),
    ));
    let hf = format!(
        "hf_{}",
        r.mixed("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", 34)
    );
    v.push(pos(
        "secret.huggingface_token",
        format!("login(\"{hf}\")\n"),
        hf,
    ));
    v.push(neg(
        "secret.huggingface_token",
        format!("login(\"hf_{}\")\n", "x".repeat(34)),
    ));

    // Discord
    let dw = format!(
        "https://discord.com/api/webhooks/{}/{}",
        r.s(DIGITS, 18),
        r.mixed(B64URL, 68)
    );
    v.push(pos(
        "secret.discord_webhook",
        format!("DISCORD_WEBHOOK={dw}\n"),
        dw,
    ));
    v.push(neg(
        "secret.discord_webhook",
        format!(
            "DISCORD_WEBHOOK=https://discord.com/api/webhooks/{}/{}\n",
            r.s(DIGITS, 18),
            "x".repeat(68)
        ),
    ));

    // Supabase
    let refid = r.s("abcdefghijklmnopqrstuvwxyz", 20);
    let service = jwt(
        r,
        &format!(
            "{{\"iss\":\"supabase\",\"ref\":\"{refid}\",\"role\":\"service_role\",\"iat\":1700000000,\"exp\":2000000000}}"
        ),
    );
    v.push(pos(
        "secret.supabase_service_key",
        format!("SUPABASE_SERVICE_ROLE_KEY={service}\n"),
        service,
    ));
    let sbs = format!("sb_secret_{}", r.mixed(B64URL, 32));
    v.push(pos(
        "secret.supabase_service_key",
        format!("createClient(url, '{sbs}')\n"),
        sbs,
    ));
    let anon = jwt(
        r,
        &format!(
            "{{\"iss\":\"supabase\",\"ref\":\"{refid}\",\"role\":\"anon\",\"iat\":1700000000,\"exp\":2000000000}}"
        ),
    );
    v.push(neg(
        "secret.supabase_service_key",
        format!("const SUPABASE_ANON = '{anon}';\n"),
    ));

    // Private keys
    for (kind, header) in [
        ("RSA PRIVATE KEY", ""),
        ("EC PRIVATE KEY", ""),
        ("OPENSSH PRIVATE KEY", ""),
        ("PRIVATE KEY", ""),
        ("ENCRYPTED PRIVATE KEY", ""),
        ("PGP PRIVATE KEY BLOCK", "Version: GnuPG v2\n\n"),
        (
            "DSA PRIVATE KEY",
            "Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,0A1B\n\n",
        ),
    ] {
        let (text, body) = pem(r, kind, header);
        v.push(Sample {
            rule: "secret.private_key",
            path: "deploy/id_key",
            text,
            expect: vec![("secret.private_key", body)],
        });
    }
    v.push(neg(
        "secret.private_key",
        "-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----\n".to_string(),
    ));
    let (pubkey, _) = pem(r, "PUBLIC KEY", "");
    v.push(neg("secret.private_key", pubkey));
    v.push(neg(
        "secret.private_key",
        "-----BEGIN PRIVATE KEY-----\n<your private key here>\n-----END PRIVATE KEY-----\n"
            .to_string(),
    ));

    // JWT
    let user = r.s(DIGITS, 8);
    let token = jwt(
        r,
        &format!("{{\"sub\":\"user_{user}\",\"iat\":1700000000}}"),
    );
    v.push(pos(
        "secret.jwt",
        format!("Authorization: Bearer {token}\n"),
        token,
    ));
    let doc = jwt(
        r,
        "{\"sub\":\"1234567890\",\"name\":\"John Doe\",\"iat\":1516239022}",
    );
    v.push(neg("secret.jwt", format!("example: {doc}\n")));
    v.push(neg(
        "secret.jwt",
        format!(
            "let s = 'eyJ{}.eyJ{}.{}';\n",
            r.s(B62, 20),
            r.s(B62, 30),
            r.s(B62, 20)
        ),
    ));

    // Database URLs
    for (scheme, host) in [
        ("postgres", "db.prod-cluster.acme.io:5432/app"),
        ("postgresql", "10.2.3.4/app"),
        ("mysql", "mysql.acme.io/shop"),
        ("mongodb+srv", "cluster0.abcde.mongodb.net/app"),
        ("rediss", "cache.acme.io:6380/0"),
        ("amqp", "mq.acme.io:5672/vhost"),
    ] {
        let pw = r.mixed(B62, 20);
        v.push(pos(
            "secret.database_url",
            format!("DATABASE_URL={scheme}://app_user:{pw}@{host}\n"),
            pw,
        ));
    }
    let redis_pw = r.mixed(B62, 24);
    v.push(pos(
        "secret.database_url",
        format!("REDIS_URL=redis://:{redis_pw}@localhost:6379\n"),
        redis_pw,
    ));
    for decoy in [
        "postgres://user:password@localhost:5432/db",
        "postgres://app:${DB_PASS}@db:5432/app",
        "mysql://root:root@127.0.0.1/test",
        "mongodb+srv://<user>:<password>@cluster0.mongodb.net/app",
        "redis://:changeme@redis:6379",
        "postgres://postgres:pass@localhost/dev",
        "postgresql://app:devpass1@db:5432/app",
        "amqp://guest:guest@rabbitmq:5672/",
        "postgres://admin:$POSTGRES_PASSWORD@db.acme.io/app",
        "mysql://user:%s@%s/%s",
    ] {
        v.push(neg("secret.database_url", format!("url = \"{decoy}\"\n")));
    }

    // Misc providers
    let shp = format!("shpat_{}", r.mixed(HEX, 32));
    v.push(pos(
        "secret.shopify_token",
        format!("SHOPIFY_ACCESS={shp}\n"),
        shp,
    ));
    v.push(neg(
        "secret.shopify_token",
        format!("SHOPIFY_ACCESS=shpat_{}\n", "0".repeat(32)),
    ));
    let dop = format!("dop_v1_{}", r.mixed(HEX, 64));
    v.push(pos(
        "secret.digitalocean_token",
        format!("do_token: {dop}\n"),
        dop,
    ));
    v.push(neg(
        "secret.digitalocean_token",
        format!("x: dop_v1_{}\n", "0".repeat(64)),
    ));
    let tg = format!("{}:AA{}", r.s(DIGITS, 10), r.mixed(B64URL, 33));
    v.push(pos(
        "secret.telegram_bot_token",
        format!("bot = Bot(\"{tg}\")\n"),
        tg,
    ));
    v.push(neg(
        "secret.telegram_bot_token",
        format!("bot = Bot(\"123456789:AA{}\")\n", "x".repeat(33)),
    ));
    let sq = format!("sq0csp-{}", r.mixed(B64URL, 43));
    v.push(pos(
        "secret.square_token",
        format!("SQUARE_SECRET={sq}\n"),
        sq,
    ));
    let eaaa = format!("EAAA{}", r.mixed(B64URL, 60));
    v.push(pos(
        "secret.square_token",
        format!("square: '{eaaa}'\n"),
        eaaa,
    ));
    v.push(neg(
        "secret.square_token",
        format!("square: 'sq0atp-{}'\n", "x".repeat(22)),
    ));
    let hrku = format!("HRKU-{}", r.mixed(B64URL, 60));
    v.push(pos(
        "secret.heroku_api_key",
        format!("heroku: {hrku}\n"),
        hrku,
    ));
    let hu = uuid(r);
    v.push(pos(
        "secret.heroku_api_key",
        format!("HEROKU_API_KEY={hu}\n"),
        hu,
    ));
    v.push(neg(
        "secret.heroku_api_key",
        "HEROKU_API_KEY=your-heroku-api-key\n".to_string(),
    ));
    let lin = format!("lin_api_{}", r.mixed(B62, 40));
    v.push(pos(
        "secret.linear_api_key",
        format!("new LinearClient({{ k: '{lin}' }})\n"),
        lin,
    ));
    v.push(neg(
        "secret.linear_api_key",
        format!("x = 'lin_api_{}'\n", "x".repeat(40)),
    ));
    let dapi = format!("dapi{}", r.mixed(HEX, 32));
    v.push(pos(
        "secret.databricks_token",
        format!("DATABRICKS_HOST_CRED={dapi}\n"),
        dapi,
    ));
    v.push(neg(
        "secret.databricks_token",
        format!("x = dapi{}\n", "0".repeat(32)),
    ));
    let dp = format!("dp.pt.{}", r.mixed(B62, 43));
    v.push(pos("secret.doppler_token", format!("DOPPLER={dp}\n"), dp));
    v.push(neg(
        "secret.doppler_token",
        format!("DOPPLER=dp.pt.{}\n", "x".repeat(43)),
    ));
    let age = format!("AGE-SECRET-KEY-1{}", r.s(BECH32_UP, 58));
    v.push(pos(
        "secret.age_secret_key",
        format!("# created: 2024\n{age}\n"),
        age,
    ));
    v.push(neg(
        "secret.age_secret_key",
        format!("AGE-SECRET-KEY-1{}\n", "Q".repeat(58)),
    ));
    let nr = format!("NRAK-{}", r.mixed(UPPER_NUM, 27));
    v.push(pos(
        "secret.newrelic_api_key",
        format!("newrelic = {nr}\n"),
        nr,
    ));
    v.push(neg(
        "secret.newrelic_api_key",
        format!("newrelic = NRAK-{}\n", "X".repeat(27)),
    ));
    let pm = format!("PMAK-{}-{}", r.mixed(HEX, 24), r.mixed(HEX, 34));
    v.push(pos(
        "secret.postman_api_key",
        format!("postman: {pm}\n"),
        pm,
    ));
    v.push(neg(
        "secret.postman_api_key",
        format!("postman: PMAK-{}-{}\n", "0".repeat(24), "0".repeat(34)),
    ));
    let glsa = format!("glsa_{}_{}", r.mixed(B62, 32), r.s(HEX, 8));
    v.push(pos(
        "secret.grafana_token",
        format!("grafana: {glsa}\n"),
        glsa,
    ));
    let glc = format!("glc_{}", r.mixed(B64, 60));
    v.push(pos(
        "secret.grafana_token",
        format!("GRAFANA_CLOUD={glc}\n"),
        glc,
    ));
    v.push(neg(
        "secret.grafana_token",
        format!("grafana: glsa_{}_{}\n", "x".repeat(32), "0".repeat(8)),
    ));
    let sntry = format!("sntryu_{}", r.mixed(HEX, 64));
    v.push(pos(
        "secret.sentry_token",
        format!("SENTRY_AUTH={sntry}\n"),
        sntry,
    ));
    v.push(neg(
        "secret.sentry_token",
        format!("SENTRY_AUTH=sntryu_{}\n", "0".repeat(64)),
    ));
    let fcm = format!("AAAA{}:APA91b{}", r.mixed(B64URL, 7), r.mixed(B64URL, 134));
    v.push(pos(
        "secret.firebase_fcm_key",
        format!("fcm = '{fcm}'\n"),
        fcm,
    ));
    v.push(neg(
        "secret.firebase_fcm_key",
        format!("fcm = 'AAAA{}:APA91b{}'\n", "x".repeat(7), "x".repeat(134)),
    ));
    let mb = format!("sk.eyJ{}.{}", r.mixed(B64URL, 60), r.mixed(B64URL, 22));
    v.push(pos(
        "secret.mapbox_secret_token",
        format!("mapboxgl.token = '{mb}'\n"),
        mb,
    ));
    v.push(neg(
        "secret.mapbox_secret_token",
        format!(
            "mapboxgl.accessToken = 'pk.eyJ{}.{}'\n",
            r.mixed(B64URL, 60),
            r.mixed(B64URL, 22)
        ),
    ));

    // Generic high-entropy assignments
    for fmt_kind in 0..9 {
        let val = r.mixed(B62, 32);
        let (path, text) = match fmt_kind {
            0 => ("deploy/app.env", format!("API_SECRET={val}\n")),
            1 => (
                "config/app.json",
                format!("{{ \"client_secret\": \"{val}\" }}\n"),
            ),
            2 => ("config/app.yaml", format!("database:\n  password: {val}\n")),
            3 => ("config/app.toml", format!("db_password = \"{val}\"\n")),
            4 => ("src/api.ts", format!("const apiKey = '{val}';\n")),
            5 => ("scripts/deploy.sh", format!("export AUTH_TOKEN={val}\n")),
            6 => ("app.properties", format!("mail.smtp.password={val}\n")),
            7 => (
                "src/main.rs",
                format!("let client_secret: &str = \"{val}\";\n"),
            ),
            _ => ("cmd/main.go", format!("signingKey := \"{val}\"\n")),
        };
        // a long random value under a password key is a password
        let rule = if matches!(fmt_kind, 2 | 3 | 6) {
            "secret.password"
        } else {
            "secret.generic_high_entropy"
        };
        let mut sample = pos(rule, text, val);
        sample.path = path;
        v.push(sample);
    }
    let sha40 = r.s(HEX, 40);
    let sha64 = r.s(HEX, 64);
    let b64img = r.s(B64, 400);
    let embedded = format!("{}AIza{}{}", r.s(B64, 40), r.mixed(B62, 35), r.s(B64, 40));
    let generic_decoys = vec![
        "password = \"changeme\"".to_string(),
        "api_key: your-api-key".to_string(),
        "api_key: your-api-key-goes-here-1234".to_string(),
        "token = \"<token>\"".to_string(),
        "secret: ${SECRET_VALUE_FROM_VAULT_1}".to_string(),
        "password: \"{{ db_password_2024 }}\"".to_string(),
        "apiKey: process.env.API_KEY_V2,".to_string(),
        "const token = process.env.GITHUB_TOKEN2;".to_string(),
        "apiKey: import.meta.env.VITE_API_KEY2".to_string(),
        "password = \"****************\"".to_string(),
        "api_key = \"REDACTED-0000-REDACTED\"".to_string(),
        "auth_token = \"dummy-token-value-1234\"".to_string(),
        "secret_key = \"example-secret-key-12345\"".to_string(),
        "api_key = \"xxxxxxxxxxxxxxxxxxxxxxxxxxxx1\"".to_string(),
        format!("api_key = \"{}\"", uuid(r)),
        format!("secret_rev = \"{sha40}\""),
        format!("token_sha256: {sha64}"),
        format!("SECRET_KEY={}", r.s(HEX, 64)),
        "auth_url = \"https://auth.acme.io/oauth2/v1/token\"".to_string(),
        "token_endpoint: /api/v2/auth/token".to_string(),
        "secret_file: config/secrets/prod2.key".to_string(),
        "\"access_token_expires_in\": 3600".to_string(),
        "Authorization: Bearer ${TOKEN}".to_string(),
        "password: ''".to_string(),
        format!("\"auth_icon\": \"data:image/png;base64,{b64img}\""),
        format!("background: url(data:image/png;base64,{embedded});"),
        "secret: config.auth.tokenProviderV2".to_string(),
        format!("session_token = {}", r.s(DIGITS, 24)),
    ];
    for d in generic_decoys {
        v.push(neg("secret.generic_high_entropy", format!("{d}\n")));
    }
    // documentation / metadata shapes seen in real packages
    let cursor = b64url_encode(br#"{"NextToken": null, "boto_truncate_amount": 2}"#);
    for d in [
        format!("\"NextToken\": \"{cursor}\""),
        format!("\"NextContinuationToken\": \"{}\"", r.mixed(B64, 40)),
        "\"PasswordLastUsed\": \"2016-09-08T21:47:36Z\",".to_string(),
        "Author-email: someone88@mail.acme.io".to_string(),
        "\"Password\": \"SomeKindOfPassword123!@#\",".to_string(),
        "\"Password\": \"webdavgeneratedpassword1\",".to_string(),
        format!("\"AWS::IAM::AccessKey\": \"{}\",", r.s(HEX, 16)),
        "\"SecretArn\": \"arn:aws:secretsmanager:us-west-2:111122223333:secret:mySecret1\""
            .to_string(),
        format!("\"UserId\": \"AIDA{}\"", r.mixed(UPPER_B32, 16)),
        format!("\"RoleId\": \"AROA{}\"", r.mixed(UPPER_B32, 16)),
    ] {
        v.push(neg("secret.generic_high_entropy", format!("{d}\n")));
    }
    let mut pyi = neg(
        "secret.generic_high_entropy",
        "    auth_grant: OAuth2AuthorizationCodeGrant2\n".to_string(),
    );
    pyi.path = "stubs/oauthlib/endpoints.pyi";
    v.push(pyi);
    let hex_env = r.mixed(HEX, 64);
    let mut env_hex = pos(
        "secret.generic_high_entropy",
        format!("SESSION_SECRET={hex_env}\n"),
        hex_env,
    );
    env_hex.path = "deploy/.env.production";
    v.push(env_hex);
    // code, not literals (seen in real crates)
    for d in [
        "fn finish(auth: poly1305::Context, aad_len: usize) -> Tag {",
        "    generate_private_key: x25519_generate_private_key,",
        "pub const OPEN: DOT11_AUTH_ALGORITHM = DOT11_AUTH_ALGO_80211_OPEN;",
        "        Ok(ConnectionTrafficSecrets::Chacha20Poly1305 { key, iv })",
        "    let raw_private_key: Curve25519SeedBin<'_> = private_key",
        "pub fn parse2(tokens: proc_macro2::TokenStream) -> Result<T> {",
        "    pub credentials: MI_UserCredentials_0,",
        "    let password = hashPassword2(input);",
    ] {
        let mut sample = neg("secret.generic_high_entropy", format!("{d}\n"));
        sample.path = "src/lib.rs";
        v.push(sample);
    }
    // UUIDs and git SHAs in ordinary code
    v.push(neg(
        "secret.generic_high_entropy",
        format!("id: {}\ncommit: {sha40}\n", uuid(r)),
    ));

    // Lockfiles
    let integrity = format!("sha512-{}==", r.s(B64, 86));
    v.push(Sample {
        rule: "secret.generic_high_entropy",
        path: "package-lock.json",
        text: format!(
            "\"node_modules/x\": {{\n  \"resolved\": \"https://registry.npmjs.org/x/-/x-1.0.0.tgz\",\n  \"integrity\": \"{integrity}\",\n  \"token\": \"{}\"\n}}\n",
            r.mixed(B62, 30)
        ),
        expect: Vec::new(),
    });
    v.push(Sample {
        rule: "secret.generic_high_entropy",
        path: "yarn.lock",
        text: format!("x@^1.0.0:\n  version \"1.0.0\"\n  integrity {integrity}\n"),
        expect: Vec::new(),
    });
    v.push(Sample {
        rule: "secret.generic_high_entropy",
        path: "Cargo.lock",
        text: format!(
            "[[package]]\nname = \"x\"\nchecksum = \"{}\"\n",
            r.s(HEX, 64)
        ),
        expect: Vec::new(),
    });
    v.push(Sample {
        rule: "secret.generic_high_entropy",
        path: "pnpm-lock.yaml",
        text: format!("  /x@1.0.0:\n    resolution: {{integrity: {integrity}}}\n"),
        expect: Vec::new(),
    });
    v
}

struct Score {
    positives: usize,
    true_positives: usize,
    decoys: usize,
    decoy_hits: usize,
    false_extra: usize,
    failures: Vec<String>,
}

fn score(engine: &Engine, samples: &[Sample]) -> Score {
    let mut s = Score {
        positives: 0,
        true_positives: 0,
        decoys: 0,
        decoy_hits: 0,
        false_extra: 0,
        failures: Vec::new(),
    };
    for (i, sample) in samples.iter().enumerate() {
        let found = engine.scan(sample.text.as_bytes(), sample.path);
        if sample.expect.is_empty() {
            s.decoys += 1;
            if !found.is_empty() {
                s.decoy_hits += 1;
                s.failures.push(format!(
                    "decoy #{i} ({}) matched {:?}",
                    sample.rule,
                    found
                        .iter()
                        .map(|m| (&m.rule_id, &m.redacted))
                        .collect::<Vec<_>>()
                ));
            }
            continue;
        }
        for (rule, secret) in &sample.expect {
            s.positives += 1;
            let sha = sha256_hex(secret.as_bytes());
            if found.iter().any(|m| {
                m.rule_id == *rule && m.secret_sha256 == sha && m.redacted == redact(secret)
            }) {
                s.true_positives += 1;
            } else {
                s.failures.push(format!(
                    "positive #{i} ({rule}) missed in {:?}; found {:?}",
                    sample.text,
                    found
                        .iter()
                        .map(|m| (&m.rule_id, &m.redacted))
                        .collect::<Vec<_>>()
                ));
            }
        }
        if found.len() != sample.expect.len() {
            s.false_extra += found.len().saturating_sub(sample.expect.len());
            s.failures.push(format!(
                "sample #{i} ({}) expected {} matches, found {:?}",
                sample.rule,
                sample.expect.len(),
                found
                    .iter()
                    .map(|m| (&m.rule_id, &m.redacted))
                    .collect::<Vec<_>>()
            ));
        }
    }
    s
}

// -------------------------------------------------------------- the corpus

#[test]
fn corpus_recall_and_precision() {
    let engine = Engine::builtin();
    let mut totals = (0, 0, 0, 0, 0);
    let mut failures = Vec::new();
    for seed in [1u64, 7, 42, 1234, 98765] {
        let samples = corpus(seed);
        let s = score(&engine, &samples);
        totals.0 += s.positives;
        totals.1 += s.true_positives;
        totals.2 += s.decoys;
        totals.3 += s.decoy_hits;
        totals.4 += s.false_extra;
        failures.extend(s.failures);
    }
    assert!(
        failures.is_empty(),
        "corpus failures:\n{}",
        failures.join("\n")
    );
    let recall = totals.1 as f64 / totals.0 as f64;
    assert!((recall - 1.0).abs() < f64::EPSILON);
    assert_eq!(totals.3, 0);
    assert_eq!(totals.4, 0);
    if let Ok(out) = std::env::var("LAUNCHREADY_PRECISION_OUT") {
        let mut text = String::new();
        let _ = writeln!(
            text,
            "seeds: 5; true secrets: {}; detected: {}; recall: {:.3}; decoys: {}; decoy hits: {}; extra matches on positives: {}",
            totals.0, totals.1, recall, totals.2, totals.3, totals.4
        );
        // per family: positives found / positives, decoys matched / decoys
        let mut fam: BTreeMap<&str, (usize, usize, usize, usize)> = BTreeMap::new();
        for seed in [1u64, 7, 42, 1234, 98765] {
            for sample in corpus(seed) {
                let found = !engine.scan(sample.text.as_bytes(), sample.path).is_empty();
                let e = fam.entry(family(sample.rule)).or_default();
                if sample.expect.is_empty() {
                    e.2 += 1;
                    e.3 += usize::from(found);
                } else {
                    e.0 += 1;
                    e.1 += usize::from(found);
                }
            }
        }
        for (f, (p, tp, d, fp)) in fam {
            let _ = writeln!(
                text,
                "{f}: {tp}/{p} positives found, {fp}/{d} decoys matched"
            );
        }
        let _ = std::fs::write(out, text);
    }
    // the labelled samples as files, for running other scanners on them
    if let Ok(dir) = std::env::var("LAUNCHREADY_CORPUS_DIR") {
        let dir = Path::new(&dir);
        let mut labels = String::new();
        for (i, sample) in corpus(1).iter().enumerate() {
            let rel = format!("{i:04}/{}", sample.path);
            let p = dir.join(&rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, &sample.text).unwrap();
            let kind = if sample.expect.is_empty() {
                "decoy"
            } else {
                "secret"
            };
            let _ = writeln!(labels, "{rel}\t{}\t{kind}", family(sample.rule));
        }
        std::fs::write(dir.join("labels.tsv"), labels).unwrap();
    }
}

/// The family a rule belongs to, for the per-family recall report.
fn family(rule: &str) -> &'static str {
    match rule {
        "secret.password"
        | "secret.url_credentials"
        | "secret.docker_registry_auth"
        | "secret.database_url" => "passwords",
        "secret.password_hash" => "password hashes",
        "secret.django_secret_key"
        | "secret.flask_secret_key"
        | "secret.rails_secret_key_base"
        | "secret.rails_master_key"
        | "secret.wordpress_salt"
        | "secret.laravel_app_key"
        | "secret.symfony_app_secret" => "framework secrets",
        "secret.generic_high_entropy" => "generic (incl. hex/base62 under secret names)",
        "secret.private_key" | "secret.browser_saved_logins" | "secret.keystore_file" => {
            "key files and saved logins"
        }
        _ => "provider tokens",
    }
}

#[test]
fn every_rule_has_positive_and_negative_samples() {
    let engine = Engine::builtin();
    let samples = corpus(3);
    let mut cov: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for s in &samples {
        let e = cov.entry(s.rule.to_string()).or_default();
        if s.expect.is_empty() {
            e.1 += 1;
        } else {
            e.0 += 1;
        }
    }
    let ids = engine.rule_ids();
    assert!(ids.len() >= 30, "only {} rules", ids.len());
    for id in ids {
        assert!(id.starts_with("secret."));
        let (p, n) = cov.get(&id).copied().unwrap_or_default();
        assert!(
            p > 0 && n > 0,
            "rule {id}: {p} positive / {n} negative samples"
        );
    }
}

#[test]
fn anthropic_is_not_openai() {
    let r = &mut Rng(5);
    let ant = format!("sk-ant-api03-{}AA", r.mixed(B64URL, 93));
    let found = Engine::builtin().scan(ant.as_bytes(), "x");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].rule_id, "secret.anthropic_key");
}

#[test]
fn engine_is_send_sync_and_survives_garbage() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Engine>();
    let engine = Engine::builtin();
    let r = &mut Rng(99);
    let mut junk: Vec<u8> = (0..200_000).map(|_| (r.next() & 0xff) as u8).collect();
    junk.extend_from_slice(b"\xff\xfe password = \"\xc3\x28abc");
    let _ = engine.scan(&junk, "junk.bin");
    let _ = engine.scan(b"", "empty");
    let _ = engine.scan(b"-----BEGIN RSA PRIVATE KEY-----", "x");
    let _ = engine.scan("é password=ééééééééééééééééé1".as_bytes(), "x");
}

#[test]
fn random_fragment_soup_never_panics() {
    let engine = Engine::builtin();
    let r = &mut Rng(2718);
    let pieces: Vec<Vec<u8>> = [
        "password=",
        "api_key: \"",
        "token = '",
        "ghp_",
        "github_pat_",
        "AKIA",
        "ASIA",
        "aws_secret=",
        "sk-ant-api03-",
        "sk-proj-",
        "sk_live_",
        "xoxb-1-",
        "AIza",
        "eyJ",
        ".",
        "-",
        "_",
        ":",
        "@",
        "postgres://u:",
        "mongodb+srv://:",
        "-----BEGIN RSA PRIVATE KEY-----\n",
        "-----END RSA PRIVATE KEY-----",
        "\\n",
        "\n",
        " ",
        "\"",
        "'",
        "`",
        "=",
        "{",
        "}",
        "$",
        "data:image/png;base64,",
        "launchready:allow",
        "\"private_key_id\": \"",
        "service_account",
        "AccountKey=",
        "é",
        "日本",
        "\u{1F600}",
        ";base64,",
        "SG.",
        "key-",
        "npm_",
        "hf_",
    ]
    .iter()
    .map(|p| p.as_bytes().to_vec())
    .collect();
    for _ in 0..3000 {
        let mut buf = Vec::new();
        let parts = r.next() % 40;
        for _ in 0..parts {
            let kind = r.next() % 4;
            let n = r.next();
            match kind {
                0 => buf.extend_from_slice(&pieces[(n % pieces.len() as u64) as usize]),
                1 => buf.extend(r.s(B62, (n % 60) as usize).bytes()),
                2 => buf.push((n & 0xff) as u8),
                _ => buf.extend(r.s(HEX, (n % 70) as usize).bytes()),
            }
        }
        let label = ["a.rs", ".env", "x.yaml", "package-lock.json", ""][(r.next() % 5) as usize];
        for m in engine.scan(&buf, label) {
            assert!(m.rule_id.starts_with("secret."));
            assert!(m.offset < buf.len() && m.line >= 1);
        }
    }
}

#[test]
fn minified_single_line_js() {
    let engine = Engine::builtin();
    let r = &mut Rng(11);
    let t = github_classic(r, "ghp");
    let mut js = String::new();
    for i in 0..60_000 {
        let _ = write!(js, "var a{i}=function(b){{return b+{i}}};");
    }
    js.push_str(&format!("var t=\"{t}\";"));
    let found = engine.scan(js.as_bytes(), "dist/app.min.js");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].line, 1);
    assert_eq!(found[0].rule_id, "secret.github_token");
}

#[test]
fn line_and_offset_are_reported() {
    let r = &mut Rng(12);
    let t = github_classic(r, "ghp");
    let text = format!("a\nb\nconst t = '{t}';\n");
    let found = Engine::builtin().scan(text.as_bytes(), "x");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].line, 3);
    assert_eq!(&text[found[0].offset..found[0].offset + t.len()], t);
}

#[test]
fn inline_allow_marker() {
    let r = &mut Rng(13);
    let t = github_classic(r, "ghp");
    let text = format!("const t = '{t}'; // launchready:allow test fixture\nconst u = '{t}';\n");
    let found = Engine::builtin().scan(text.as_bytes(), "x");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].line, 2);
}

#[test]
fn crc32_known_vector() {
    assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    assert_eq!(base62_encode(61, 3), "00z");
}

// ------------------------------------------------------------ repo helpers

fn write(root: &Path, rel: &str, content: &str) {
    let p = root.join(rel);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(p, content).unwrap();
}

/// Stages exactly the given paths (adds/updates existing files, removes
/// missing ones) and commits. Returns the commit id.
fn commit(repo: &git2::Repository, paths: &[&str], msg: &str) -> git2::Oid {
    let mut index = repo.index().unwrap();
    let workdir = repo.workdir().unwrap().to_path_buf();
    for p in paths {
        if workdir.join(p).exists() {
            index.add_path(Path::new(p)).unwrap();
        } else {
            index.remove_path(Path::new(p)).unwrap();
        }
    }
    index.write().unwrap();
    let tree_id = index.write_tree().unwrap();
    let tree = repo.find_tree(tree_id).unwrap();
    let sig = git2::Signature::now("Test", "test@acme.invalid").unwrap();
    let parents: Vec<git2::Commit<'_>> = repo
        .head()
        .ok()
        .and_then(|h| h.peel_to_commit().ok())
        .into_iter()
        .collect();
    let parent_refs: Vec<&git2::Commit<'_>> = parents.iter().collect();
    repo.commit(Some("HEAD"), &sig, &sig, msg, &tree, &parent_refs)
        .unwrap()
}

fn no_history() -> ScanOptions {
    ScanOptions {
        history: false,
        ..ScanOptions::default()
    }
}

// ------------------------------------------------------------- repo tests

#[test]
fn history_only_secret_names_first_commit() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let repo = git2::Repository::init(root).unwrap();
    let r = &mut Rng(21);
    let t = github_classic(r, "ghp");
    write(root, "README.md", "hello\n");
    commit(&repo, &["README.md"], "init");
    write(
        root,
        "src/config.ts",
        &format!("// cfg\nexport const token = '{t}';\n"),
    );
    let first = commit(&repo, &["src/config.ts"], "add config");
    write(
        root,
        "src/config.ts",
        &format!("// cfg v2\n\nexport const token = '{t}';\n"),
    );
    commit(&repo, &["src/config.ts"], "edit config");
    std::fs::remove_file(root.join("src/config.ts")).unwrap();
    commit(&repo, &["src/config.ts"], "remove config");

    let report = scan_repo(root, &ScanOptions::default()).unwrap();
    let gh: Vec<&RepoFinding> = report
        .findings
        .iter()
        .filter(|f| f.rule_id == "secret.github_token")
        .collect();
    assert_eq!(gh.len(), 1, "{report:#?}");
    let f = gh[0];
    assert_eq!(f.source, SourceKind::History);
    assert_eq!(f.subject, "src/config.ts:2");
    let short = &first.to_string()[..7];
    assert!(f.evidence.contains(short), "{}", f.evidence);
    assert!(f.evidence.contains("still in work tree: no"));
    assert!(report.blobs_scanned >= 3);
    assert!(!format!("{report:?}").contains(&t));
}

#[test]
fn secret_in_work_tree_and_history_reported_once() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let repo = git2::Repository::init(root).unwrap();
    let r = &mut Rng(22);
    let t = format!("sk_live_{}", r.mixed(B62, 24));
    write(root, "app.py", &format!("stripe.api_key = '{t}'\n"));
    let c = commit(&repo, &["app.py"], "add");
    // moved down by unrelated lines in the work tree (uncommitted)
    write(
        root,
        "app.py",
        &format!("import os\n\n\nstripe.api_key = '{t}'\n"),
    );
    let report = scan_repo(root, &ScanOptions::default()).unwrap();
    let hits: Vec<&RepoFinding> = report
        .findings
        .iter()
        .filter(|f| f.rule_id == "secret.stripe_live_key")
        .collect();
    assert_eq!(hits.len(), 1, "{report:#?}");
    assert_eq!(hits[0].source, SourceKind::WorkTree);
    assert_eq!(hits[0].subject, "app.py:4");
    assert!(hits[0].evidence.contains(&c.to_string()[..7]));
    assert!(hits[0].evidence.contains("still in work tree: yes"));

    // fingerprint stable across line moves
    write(root, "app.py", &format!("stripe.api_key = '{t}'\n"));
    let again = scan_repo(root, &no_history()).unwrap();
    let f2 = again
        .findings
        .iter()
        .find(|f| f.rule_id == "secret.stripe_live_key")
        .unwrap();
    assert_eq!(f2.subject, "app.py:1");
    assert_eq!(f2.fingerprint_key, hits[0].fingerprint_key);
    assert!(!f2.fingerprint_key.contains(&t));
}

#[test]
fn no_planted_value_in_report() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let repo = git2::Repository::init(root).unwrap();
    let samples = corpus(77);
    let mut planted = Vec::new();
    let mut paths = Vec::new();
    for (i, s) in samples.iter().enumerate() {
        if s.expect.is_empty() {
            continue;
        }
        let rel = format!("src/f{i}.txt");
        write(root, &rel, &s.text);
        paths.push(rel);
        planted.extend(s.expect.iter().map(|(_, v)| v.clone()));
    }
    let refs: Vec<&str> = paths.iter().map(String::as_str).collect();
    commit(&repo, &refs, "plant");
    // delete half so they only live in history
    for p in paths.iter().step_by(2) {
        std::fs::remove_file(root.join(p)).unwrap();
    }
    commit(&repo, &refs, "remove half");
    let report = scan_repo(root, &ScanOptions::default()).unwrap();
    assert!(report.findings.len() >= planted.len() / 2);
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.source == SourceKind::History)
    );
    let dump = format!("{report:?}{report:#?}");
    for p in &planted {
        assert!(p.len() > 8);
        assert!(!dump.contains(p.as_str()), "planted value leaked");
    }
}

#[test]
fn env_file_committed_and_not_gitignored() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let repo = git2::Repository::init(root).unwrap();
    write(
        root,
        ".env.example",
        "API_KEY=\nDB_PASSWORD=changeme\nPORT=3000\n",
    );
    write(root, ".env", "PORT=3000\n");
    write(root, "config/.env.production", "PORT=80\n");
    commit(&repo, &[".env.example", ".env"], "env");
    write(root, "old/.env.staging", "PORT=81\n");
    commit(&repo, &["old/.env.staging"], "staging");
    std::fs::remove_file(root.join("old/.env.staging")).unwrap();
    commit(&repo, &["old/.env.staging"], "rm staging");

    let report = scan_repo(root, &ScanOptions::default()).unwrap();
    let by = |rule: &str, subject: &str| {
        report
            .findings
            .iter()
            .filter(|f| f.rule_id == rule && f.subject == subject)
            .count()
    };
    assert_eq!(by("secret.env_file_committed", ".env"), 1, "{report:#?}");
    assert_eq!(by("secret.env_file_committed", ".env.example"), 0);
    assert_eq!(by("secret.env_file_committed", "old/.env.staging"), 1);
    assert_eq!(by("secret.env_not_gitignored", "config/.env.production"), 1);
    assert_eq!(by("secret.env_not_gitignored", ".env.example"), 0);
    let committed = report
        .findings
        .iter()
        .find(|f| f.subject == ".env" && f.rule_id == "secret.env_file_committed")
        .unwrap();
    // `PORT=3000` is no secret: the committed file is judged by its content
    assert_eq!(committed.severity, SecretSeverity::Low, "{committed:#?}");
    assert!(
        committed.evidence.contains("PORT"),
        "{}",
        committed.evidence
    );

    // once ignored (and untracked), no env_not_gitignored
    write(root, ".gitignore", ".env*\n!.env.example\n");
    let report = scan_repo(root, &no_history()).unwrap();
    assert!(
        !report
            .findings
            .iter()
            .any(|f| f.rule_id == "secret.env_not_gitignored"),
        "{report:#?}"
    );
}

#[test]
fn env_template_with_real_values_is_flagged() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let repo = git2::Repository::init(root).unwrap();
    let r = &mut Rng(31);
    write(
        root,
        ".env.example",
        &format!("API_KEY=\nSTRIPE_SECRET={}\n", r.mixed(B62, 24)),
    );
    commit(&repo, &[".env.example"], "env");
    let report = scan_repo(root, &no_history()).unwrap();
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.rule_id == "secret.env_file_committed" && f.subject == ".env.example")
    );
}

#[test]
fn allow_globs_and_exclude() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let r = &mut Rng(41);
    let generic = r.mixed(B62, 30);
    let gh = github_classic(r, "ghp");
    write(root, "docs/setup.md", &format!("API_SECRET={generic}\n"));
    write(root, "src/a.env", &format!("API_SECRET={generic}\n"));
    write(root, "fixtures/keys/k.ts", &format!("const t = '{gh}';\n"));
    write(root, "test/k.ts", &format!("const t = '{gh}';\n"));

    let report = scan_repo(root, &no_history()).unwrap();
    assert_eq!(report.findings.len(), 4, "{report:#?}");
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.contains("not a git repository"))
    );

    let opts = ScanOptions {
        history: false,
        exclude: vec!["fixtures/**".into()],
        allow: vec!["generic_high_entropy:docs/**".into(), "*:test/*.ts".into()],
        ..ScanOptions::default()
    };
    let report = scan_repo(root, &opts).unwrap();
    let subjects: Vec<&str> = report.findings.iter().map(|f| f.subject.as_str()).collect();
    assert_eq!(subjects, vec!["src/a.env:1"], "{report:#?}");

    let opts = ScanOptions {
        history: false,
        allow: vec!["secret.github_token:**".into()],
        ..ScanOptions::default()
    };
    let report = scan_repo(root, &opts).unwrap();
    assert!(
        report
            .findings
            .iter()
            .all(|f| f.rule_id != "secret.github_token")
    );

    let bad = ScanOptions {
        exclude: vec!["a[".into()],
        ..ScanOptions::default()
    };
    let err = scan_repo(root, &bad).unwrap_err();
    assert!(err.to_string().contains("a["), "{err}");
}

#[test]
fn gitignore_build_dirs_and_logs() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let repo = git2::Repository::init(root).unwrap();
    let r = &mut Rng(51);
    let a = github_classic(r, "ghp");
    let b = github_classic(r, "gho");
    let c = github_classic(r, "ghs");
    write(root, ".gitignore", "dist/\nignored/\n*.log\n");
    commit(&repo, &[".gitignore"], "ignore");
    write(root, "dist/app.js", &format!("var t=\"{a}\";"));
    write(root, "ignored/secret.txt", &format!("{b}\n"));
    write(root, "logs/server.log", &format!("token={c}\n"));
    write(root, "image.png", &format!("{a}\n"));
    let mut bin = b.clone().into_bytes();
    bin.push(0);
    std::fs::write(root.join("data.raw"), bin).unwrap();

    let report = scan_repo(root, &no_history()).unwrap();
    let subjects: Vec<(&str, &SourceKind)> = report
        .findings
        .iter()
        .map(|f| (f.subject.as_str(), &f.source))
        .collect();
    assert_eq!(
        subjects,
        vec![("logs/server.log:1", &SourceKind::Log)],
        "{report:#?}"
    );

    let opts = ScanOptions {
        history: false,
        build_dirs: vec!["dist".into()],
        ..ScanOptions::default()
    };
    let report = scan_repo(root, &opts).unwrap();
    let dist: Vec<&RepoFinding> = report
        .findings
        .iter()
        .filter(|f| f.subject == "dist/app.js:1")
        .collect();
    assert_eq!(dist.len(), 1, "{report:#?}");
    assert_eq!(dist[0].source, SourceKind::BuildOutput);
    assert!(dist[0].title.contains("dist/app.js"));
}

#[test]
fn chunk_boundary_secret_found_once() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let r = &mut Rng(61);
    let t = github_classic(r, "ghp");
    let mut content = String::new();
    let mut line = 1;
    while content.len() < 1024 - 10 {
        content.push_str("// filler line of text\n");
        line += 1;
    }
    // pad so the token starts 10 bytes before the 1024-byte boundary
    while content.len() < 1024 - 10 - 6 {
        content.push('x');
    }
    content.push_str(" t = '");
    content.push_str(&t);
    content.push_str("';\n");
    for _ in 0..200 {
        content.push_str("// more filler text after the secret\n");
    }
    // a second one far away, exactly at a later chunk start
    let t2 = github_classic(r, "gho");
    while content.len() % 1024 != 1020 {
        content.push('y');
    }
    content.push_str(&format!("\n{t2}\n"));
    write(root, "big.txt", &content);
    let opts = ScanOptions {
        history: false,
        max_file_bytes: 1024,
        ..ScanOptions::default()
    };
    let report = scan_repo(root, &opts).unwrap();
    let gh: Vec<&RepoFinding> = report
        .findings
        .iter()
        .filter(|f| f.rule_id == "secret.github_token")
        .collect();
    assert_eq!(gh.len(), 2, "{report:#?}");
    assert!(
        gh.iter().any(|f| f.subject == format!("big.txt:{line}")),
        "{gh:#?}"
    );
    // identical to an unchunked scan
    let whole = Engine::builtin().scan(content.as_bytes(), "big.txt");
    let lines: Vec<String> = whole
        .iter()
        .map(|m| format!("big.txt:{}", m.line))
        .collect();
    let mut got: Vec<String> = gh.iter().map(|f| f.subject.clone()).collect();
    got.sort();
    let mut want = lines;
    want.sort();
    assert_eq!(got, want);
}

#[test]
fn chunked_stream_matches_whole_scan() {
    let engine = Engine::builtin();
    let samples = corpus(5);
    let mut blob = String::new();
    for s in &samples {
        blob.push_str(&s.text);
        blob.push_str("\n// padding padding padding padding\n");
    }
    let whole = engine.scan(blob.as_bytes(), "src/all.txt");
    for chunk in [1024usize, 4096, 10_000] {
        let mut out = Vec::new();
        let n = super::walk::scan_stream(
            &engine,
            blob.as_bytes(),
            Vec::new(),
            "src/all.txt",
            chunk,
            &mut out,
        )
        .unwrap();
        assert_eq!(n as usize, blob.len());
        let key = |m: &Match| (m.offset, m.line, m.rule_id.clone());
        let a: Vec<_> = whole.iter().map(key).collect();
        let b: Vec<_> = out.iter().map(key).collect();
        // long multi-line matches (PEM blocks) may exceed a tiny overlap
        if chunk >= 4096 {
            assert_eq!(a, b, "chunk {chunk}");
        } else {
            assert!(b.iter().all(|k| a.contains(k)), "chunk {chunk}");
        }
    }
}

#[test]
fn gitleaks_rules_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gitleaks.toml");
    let toml_text = r#"
title = "custom"

[extend]
useDefault = true

[allowlist]
paths = ['''vendor/''']

[[rules]]
id = "acme-api-key"
description = "Acme API key"
regex = '''\b(acme_[a-z0-9]{32})\b'''
secretGroup = 1
entropy = 3.0
keywords = ["acme_"]
tags = ["api", "acme"]
[rules.allowlist]
stopwords = ["acme_test"]

[[rules]]
id = "lookahead.rule"
regex = '''secret(?=[0-9]{8})'''

[[rules]]
id = "generic-thing"
description = "Generic thing"
regex = '''thing_[0-9]{12}'''
[[rules.allowlists]]
condition = "AND"
regexTarget = "line"
regexes = ['''nope''']
paths = ['''docs/''']
commits = ["abc"]
"#;
    std::fs::write(&path, toml_text).unwrap();
    let (engine, warnings) = Engine::with_rules_file(&path).unwrap();
    let ids = engine.rule_ids();
    assert!(ids.contains(&"secret.acme_api_key".to_string()));
    assert!(ids.contains(&"secret.generic_thing".to_string()));
    assert!(!ids.iter().any(|i| i.contains("lookahead")));
    assert!(ids.len() > 40);
    let file = path.display().to_string();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("[extend]") && w.contains(&file)),
        "{warnings:?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("lookahead.rule") && w.contains(&file) && w.contains("look")),
        "{warnings:?}"
    );
    assert!(
        warnings.iter().any(|w| w.contains("commits")),
        "{warnings:?}"
    );
    assert!(!warnings.iter().any(|w| w.contains("tags")), "{warnings:?}");

    let r = &mut Rng(71);
    let key = format!("acme_{}", r.s("abcdefghijklmnopqrstuvwxyz0123456789", 32));
    let text = format!("ACME={key}\n");
    let found = engine.scan(text.as_bytes(), "src/a.env");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].rule_id, "secret.acme_api_key");
    assert_eq!(found[0].severity, SecretSeverity::Critical);
    assert_eq!(found[0].secret_sha256, sha256_hex(key.as_bytes()));
    // global allowlist path
    assert!(engine.scan(text.as_bytes(), "vendor/a.env").is_empty());
    // stopword
    let stop = format!(
        "x = acme_test{}\n",
        r.s("abcdefghijklmnopqrstuvwxyz0123456789", 27)
    );
    assert!(engine.scan(stop.as_bytes(), "src/a").is_empty());
    // generic severity; AND allowlist needs both path and line regex
    let thing = format!("thing_{}", r.s(DIGITS, 12));
    let m = engine.scan(format!("{thing}\n").as_bytes(), "docs/a.md");
    assert_eq!(m.len(), 1);
    assert_eq!(m[0].severity, SecretSeverity::Medium);
    assert!(
        engine
            .scan(format!("{thing} nope\n").as_bytes(), "docs/a.md")
            .is_empty()
    );

    // scan_repo with the rules file
    let repo_dir = tempfile::tempdir().unwrap();
    write(repo_dir.path(), "src/a.txt", &text);
    let opts = ScanOptions {
        history: false,
        rules_file: Some(path.clone()),
        ..ScanOptions::default()
    };
    let report = scan_repo(repo_dir.path(), &opts).unwrap();
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.rule_id == "secret.acme_api_key")
    );
    assert!(
        report
            .rules_file_messages
            .iter()
            .any(|w| w.contains("lookahead.rule"))
    );
    assert!(
        report.rules_file_messages[0].contains("loaded")
            && report.rules_file_messages[0].contains(" of "),
        "{:?}",
        report.rules_file_messages
    );

    // malformed TOML names file, line and column
    std::fs::write(&path, "[[rules]]\nid = \"x\"\nregex = '''unterminated\n").unwrap();
    let err = Engine::with_rules_file(&path).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains(&file) && msg.contains("line"), "{msg}");
    // missing file
    let err = Engine::with_rules_file(&dir.path().join("missing.toml")).unwrap_err();
    assert!(err.to_string().contains("missing.toml"));
}

#[test]
fn not_a_directory_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let err = scan_repo(&dir.path().join("nope"), &ScanOptions::default()).unwrap_err();
    assert!(err.to_string().contains("nope"));
}

#[test]
fn decoy_repo_has_no_findings() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let repo = git2::Repository::init(root).unwrap();
    let samples = corpus(2024);
    let mut paths = Vec::new();
    for (i, s) in samples.iter().enumerate() {
        if !s.expect.is_empty() {
            continue;
        }
        let rel = if s.path.ends_with(".lock")
            || s.path.ends_with(".json")
            || s.path.ends_with(".yaml")
        {
            format!("pkg{i}/{}", s.path)
        } else {
            format!("src/decoy{i}.ts")
        };
        write(root, &rel, &s.text);
        paths.push(rel);
    }
    write(root, ".gitignore", "node_modules/\n");
    paths.push(".gitignore".into());
    let refs: Vec<&str> = paths.iter().map(String::as_str).collect();
    commit(&repo, &refs, "decoys");
    let report = scan_repo(root, &ScanOptions::default()).unwrap();
    assert!(report.findings.is_empty(), "{report:#?}");
    assert!(report.files_scanned as usize >= paths.len());
}

#[test]
fn go_regex_braces_are_translated() {
    use super::gitleaks::translate_go_regex as t;
    assert_eq!(t("a{b"), "a\\{b");
    assert_eq!(t("{{ *x }}"), "\\{\\{ *x \\}\\}");
    assert_eq!(t("x{2}y{2,}z{2,5}"), "x{2}y{2,}z{2,5}");
    assert_eq!(t("[{}]\\{"), "[{}]\\{");
    assert_eq!(t("[]{]"), "[]{]");
    assert_eq!(t("é{"), "é\\{");
    for src in ["a{b", "{{ *x }}", "${{ secrets.X }}", "x{2,}{"] {
        assert!(regex::Regex::new(&t(src)).is_ok(), "{src}");
    }
}
