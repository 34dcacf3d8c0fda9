//! Labelled samples for the context-judged families: passwords in config and
//! code, password hashes, framework secrets, hex/base62 values under secret
//! names, saved credentials and key files. Every value is generated from the
//! seeded PRNG; the fixed strings are placeholders or shapes, never secrets.

use super::{B62, B64, DIGITS, HEX, Rng, Sample, b64_encode, neg, pos};

/// Crypt alphabet (`./0-9A-Za-z`).
const CRYPT: &str = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/// Characters WordPress puts in its generated salts (no quotes, no backslash).
const WP: &str =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*()-_[]{}<>~`+=,.;:/?|";

/// A human password: a word, digits and a symbol (low entropy, short).
fn human_password(r: &mut Rng) -> String {
    const WORDS: &[&str] = &[
        "Sunflower",
        "Marmot",
        "Tangerine",
        "Orbit",
        "Bramble",
        "Lantern",
        "Quokka",
        "Falcon",
    ];
    let w = WORDS[(r.next() % WORDS.len() as u64) as usize];
    let sym = ["!", "#", "%", "&", "@"][(r.next() % 5) as usize];
    format!("{w}{}{sym}", r.s(DIGITS, 3))
}

/// Builds a file's text around a password.
type Shape = fn(&str) -> String;

fn at(mut s: Sample, path: &'static str) -> Sample {
    s.path = path;
    s
}

/// The samples.
pub(super) fn samples(r: &mut Rng) -> Vec<Sample> {
    let mut v = Vec::new();
    let pw = "secret.password";

    // ------------------------------------------------------ passwords: config
    let cases: Vec<(&'static str, Shape)> = vec![
        ("config/app.json", |p| {
            format!("{{\"db\": {{\"password\": \"{p}\"}}}}\n")
        }),
        ("config/database.yml", |p| {
            format!("production:\n  adapter: postgresql\n  password: {p}\n")
        }),
        ("etc/my.cnf", |p| {
            format!("[client]\nuser = app\npassword = {p}\n")
        }),
        ("config.toml", |p| format!("[db]\ndb_password = \"{p}\"\n")),
        ("conf/context.xml", |p| {
            format!("<Resource name=\"jdbc/app\" username=\"app\" password=\"{p}\"/>\n")
        }),
        ("conf/settings.xml", |p| {
            format!("<server>\n  <id>repo</id>\n  <password>{p}</password>\n</server>\n")
        }),
        ("deploy/prod.env", |p| {
            format!("DB_HOST=db.acme.io\nDB_PASSWORD={p}\n")
        }),
        ("wp-config.php", |p| {
            format!("define( 'DB_PASSWORD', '{p}' );\n")
        }),
        ("config/database.php", |p| {
            format!("'mysql' => [\n    'username' => 'app',\n    'password' => '{p}',\n],\n")
        }),
        ("src/Db.cs", |p| {
            format!("var cs = \"Server=db.acme.io;Database=app;User Id=app;Password={p};\";\n")
        }),
        (".netrc", |p| {
            format!("machine api.acme.io login deploy password {p}\n")
        }),
        ("home/.netrc", |p| {
            format!("machine api.acme.io\n  login deploy\n  password {p}\n")
        }),
        (".pgpass", |p| format!("db.acme.io:5432:app:app:{p}\n")),
        (".vscode/sftp.json", |p| {
            format!(
                "{{\n  \"host\": \"files.acme.io\",\n  \"username\": \"deploy\",\n  \"password\": \"{p}\"\n}}\n"
            )
        }),
        ("sftp-config.json", |p| {
            format!("{{\"type\": \"sftp\", \"user\": \"deploy\", \"password\": \"{p}\"}}\n")
        }),
        ("src/settings.py", |p| format!("DB_PASSWORD = \"{p}\"\n")),
        ("app/config.py", |p| {
            format!("class Db:\n    password: str = \"{p}\"\n")
        }),
        ("src/main/resources/application.properties", |p| {
            format!("spring.datasource.password={p}\n")
        }),
        ("scripts/backup.sh", |p| {
            format!("mysqldump -u root --password={p} app > dump.sql\n")
        }),
        ("src/mailer.ts", |p| {
            format!(
                "const transport = createTransport({{ auth: {{ user: 'app', pass: '{p}' }} }});\n"
            )
        }),
    ];
    for (path, f) in cases {
        let p = human_password(r);
        v.push(at(pos(pw, f(&p), p), path));
    }
    // FileZilla keeps base64 passwords; WinSCP an obfuscated hex string
    let fz = b64_encode(human_password(r).as_bytes());
    v.push(at(
        pos(
            pw,
            format!("<Server>\n  <Host>ftp.acme.io</Host>\n  <Pass encoding=\"base64\">{fz}</Pass>\n</Server>\n"),
            fz,
        ),
        "FileZilla/sitemanager.xml",
    ));
    let winscp = r.s("0123456789ABCDEF", 48);
    v.push(at(
        pos(
            pw,
            format!("[Sessions\\deploy@acme]\nHostName=files.acme.io\nPassword={winscp}\n"),
            winscp,
        ),
        "WinSCP.ini",
    ));
    // .npmrc: _password (base64) is a password, _auth is user:password
    let npm_pw = b64_encode(human_password(r).as_bytes());
    v.push(at(
        pos(pw, format!("//npm.acme.io/:_password={npm_pw}\n"), npm_pw),
        ".npmrc",
    ));
    let npm_auth = b64_encode(format!("deploy:{}", human_password(r)).as_bytes());
    v.push(at(
        pos(
            "secret.npm_token",
            format!("_auth={npm_auth}\nalways-auth=true\n"),
            npm_auth,
        ),
        ".npmrc",
    ));
    let docker = b64_encode(format!("deploy:{}", r.mixed(B62, 24)).as_bytes());
    v.push(at(
        pos(
            "secret.docker_registry_auth",
            format!("{{\n  \"auths\": {{\n    \"registry.acme.io\": {{\n      \"auth\": \"{docker}\"\n    }}\n  }}\n}}\n"),
            docker,
        ),
        ".docker/config.json",
    ));
    let cred = human_password(r);
    v.push(at(
        pos(
            "secret.url_credentials",
            format!("https://deploy:{cred}@github.com\n"),
            cred,
        ),
        ".git-credentials",
    ));
    let cred = human_password(r);
    v.push(at(
        pos(
            "secret.url_credentials",
            format!("proxy = \"http://svc-build:{cred}@proxy.acme.io:3128\"\n"),
            cred,
        ),
        "ci/pip.conf",
    ));

    // ------------------------------------------------- passwords: negatives
    for (path, text) in [
        ("config/app.yml", "password: ${DB_PASSWORD}\n"),
        ("config/app.yml", "password: changeme\n"),
        ("config/app.json", "{\"password\": \"<password>\"}\n"),
        ("config/app.toml", "password = \"your-password\"\n"),
        ("deploy/prod.env", "PASSWORD=xxx\n"),
        ("deploy/prod.env", "DB_PASSWORD=\n"),
        ("config/app.yml", "password: \"***\"\n"),
        (
            "config/app.yml",
            "password: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n",
        ),
        (
            "config/app.yml",
            "password:\n  secretKeyRef:\n    name: db-creds\n",
        ),
        ("config/app.yml", "passwordSecretRef: db-credentials\n"),
        ("config/app.yml", "password: db-password-secret\n"),
        ("config/app.yml", "password: '%env(DB_PASSWORD)%'\n"),
        ("config/app.yml", "password: \"{{ vault_db_password }}\"\n"),
        (
            "config/app.json",
            "{\"password\": {\"type\": \"string\", \"minLength\": 12}}\n",
        ),
        (
            "locales/en.json",
            "{\"password\": \"Password\", \"confirm_password\": \"Confirm password\"}\n",
        ),
        ("locales/fr.json", "{\"password\": \"Mot de passe\"}\n"),
        ("locales/de.json", "{\"password\": \"Passwort\"}\n"),
        ("src/app.py", "password = os.environ[\"DB_PASSWORD\"]\n"),
        ("src/app.py", "password = getpass.getpass(\"Password: \")\n"),
        (
            "src/app.py",
            "if password == \"\": raise ValueError(\"empty\")\n",
        ),
        ("src/app.py", "bypass = \"Abc123!x\"\n"),
        ("src/app.ts", "const passwordField = 'login-password';\n"),
        ("src/app.ts", "this.password = password;\n"),
        ("src/app.ts", "const password = req.body.password;\n"),
        ("src/app.go", "Password: cfg.Password,\n"),
        ("src/App.java", "String password = \"%s\";\n"),
        ("src/app.rs", "let password = \"{}\";\n"),
        (
            "src/app.ts",
            "const passwordRegex = '^(?=.*[A-Z]).{8,}$';\n",
        ),
        ("src/app.ts", "const password_hint = 'Use8Chars';\n"),
        (
            "conf/settings.xml",
            "<password>{{ db_password }}</password>\n",
        ),
        (
            "conf/settings.xml",
            "<password>${env.DB_PASSWORD}</password>\n",
        ),
        (
            "FileZilla/sitemanager.xml",
            "<Pass encoding=\"base64\" />\n",
        ),
        (".netrc", "machine api.acme.io login deploy password pass\n"),
        (".pgpass", "db.acme.io:5432:app:app:*\n"),
        ("README.txt", "Log in with your password.\n"),
        (
            "src/cli.ts",
            "program.option('--password <password>', 'the password')\n",
        ),
        ("deploy/prod.env", "PASSWORD_MIN_LENGTH=12\n"),
        ("config/app.yml", "password_reset_ttl: 3600\n"),
    ] {
        v.push(at(neg(pw, text.to_string()), path));
    }

    for (path, text) in [
        ("docs/proxy.txt", "http://user:pass@proxy.acme.io:3128\n"),
        ("docs/proxy.txt", "https://username:password@github.com\n"),
        (
            "src/app.py",
            "url = \"https://deploy:Abc123!x@example.com/repo.git\"\n",
        ),
        (
            "src/app.py",
            "url = f\"https://{user}:{password}@{host}/\"\n",
        ),
        (
            "src/app.py",
            "dsn = \"ftp://anonymous:guest@ftp.acme.io/\"\n",
        ),
    ] {
        v.push(at(neg("secret.url_credentials", text.to_string()), path));
    }

    v.push(at(
        neg(
            "secret.docker_registry_auth",
            "{\"auths\": {\"registry.acme.io\": {\"auth\": \"\"}}}\n".to_string(),
        ),
        ".docker/config.json",
    ));
    v.push(at(
        neg(
            "secret.docker_registry_auth",
            format!(
                "{{\"auths\": {{\"r.acme.io\": {{\"auth\": \"{}\"}}}}}}\n",
                b64_encode(b"bot")
            ),
        ),
        "config/app.json",
    ));
    v.push(at(
        neg("secret.npm_token", "_auth=${NPM_AUTH}\n".to_string()),
        ".npmrc",
    ));

    // --------------------------------------------------------- password hashes
    let hash = "secret.password_hash";
    let bcrypt = format!("$2b$12${}", r.mixed(CRYPT, 53));
    v.push(at(
        pos(
            hash,
            format!("INSERT INTO users (email, pw) VALUES ('ana@acme.io', '{bcrypt}');\n"),
            bcrypt,
        ),
        "db/seed.sql",
    ));
    let sha512 = format!("$6${}${}", r.mixed(CRYPT, 16), r.mixed(CRYPT, 86));
    v.push(at(
        pos(hash, format!("root:{sha512}:19000:0:99999:7:::\n"), sha512),
        "etc/shadow",
    ));
    let apr1 = format!("$apr1${}${}", r.mixed(CRYPT, 8), r.mixed(CRYPT, 22));
    v.push(at(pos(hash, format!("admin:{apr1}\n"), apr1), ".htpasswd"));
    let md5 = format!("$1${}${}", r.mixed(CRYPT, 8), r.mixed(CRYPT, 22));
    v.push(at(
        pos(hash, format!("ops:{md5}:18000::::::\n"), md5),
        "etc/shadow",
    ));
    let sha256 = format!(
        "$5$rounds=5000${}${}",
        r.mixed(CRYPT, 16),
        r.mixed(CRYPT, 43)
    );
    v.push(at(
        pos(hash, format!("hash: \"{sha256}\"\n"), sha256),
        "config/users.yml",
    ));
    let yescrypt = format!("$y$j9T${}${}", r.mixed(CRYPT, 22), r.mixed(CRYPT, 43));
    v.push(at(
        pos(
            hash,
            format!("deploy:{yescrypt}:19500:0:99999:7:::\n"),
            yescrypt,
        ),
        "etc/shadow",
    ));
    let sha1 = format!("{{SHA}}{}=", r.mixed(B64, 27));
    v.push(at(
        pos(hash, format!("admin:{sha1}\n"), sha1),
        "conf/.htpasswd",
    ));
    let argon = format!(
        "$argon2id$v=19$m=65536,t=3,p=4${}${}",
        r.mixed(B64, 22),
        r.mixed(B64, 43)
    );
    v.push(at(
        pos(hash, format!("{{\"hash\": \"{argon}\"}}\n"), argon),
        "data/users.json",
    ));
    for (path, text) in [
        ("db/seed.sql", format!("-- '$2b$12${}'\n", "x".repeat(53))),
        (
            "etc/shadow",
            "daemon:*:19000:0:99999:7:::\nnobody:!:19000::::::\n".to_string(),
        ),
        ("scripts/rename.pl", "s/(\\w+)-(\\w+)/$1$2/g;\n".to_string()),
        ("scripts/run.sh", "echo \"$1$2\" > out.txt\n".to_string()),
        ("checksums.txt", format!("sha256: {}\n", r.s(HEX, 64))),
        (
            "db/seed.sql",
            format!("'$6$salt$short{}'\n", r.s(CRYPT, 10)),
        ),
    ] {
        v.push(at(neg(hash, text), path));
    }

    // ------------------------------------------------------ framework secrets
    let dj = format!(
        "django-insecure-{}",
        r.mixed(WP, 50).replace(['\'', '"', '\\'], "x")
    );
    v.push(at(
        pos("secret.django_secret_key", format!("# SECURITY WARNING: keep the secret key used in production secret!\nSECRET_KEY = '{dj}'\n"), dj),
        "mysite/settings.py",
    ));
    let fl = r.mixed(B62, 32);
    v.push(at(
        pos(
            "secret.flask_secret_key",
            format!("from flask import Flask\napp = Flask(__name__)\napp.secret_key = \"{fl}\"\n"),
            fl,
        ),
        "app.py",
    ));
    let fl2 = r.mixed(B64, 24);
    v.push(at(
        pos(
            "secret.flask_secret_key",
            format!("import flask\napp.config['SECRET_KEY'] = '{fl2}'\n"),
            fl2,
        ),
        "web/__init__.py",
    ));
    let skb = r.mixed(HEX, 128);
    v.push(at(
        pos(
            "secret.rails_secret_key_base",
            format!("production:\n  secret_key_base: {skb}\n"),
            skb,
        ),
        "config/secrets.yml",
    ));
    let mk = r.mixed(HEX, 32);
    v.push(at(
        pos("secret.rails_master_key", format!("{mk}\n"), mk),
        "config/master.key",
    ));
    let wp = r.mixed(WP, 64).replace(['\'', '"', '\\'], "q");
    v.push(at(
        pos(
            "secret.wordpress_salt",
            format!("define( 'AUTH_KEY',         '{wp}' );\n"),
            wp,
        ),
        "wp-config.php",
    ));
    let lk = format!("base64:{}=", r.mixed(B64, 43));
    v.push(at(
        pos(
            "secret.laravel_app_key",
            format!("APP_NAME=Shop\nAPP_KEY={lk}\n"),
            lk,
        ),
        "deploy/laravel.env",
    ));
    let sy = r.mixed(HEX, 32);
    v.push(at(
        pos(
            "secret.symfony_app_secret",
            format!("APP_ENV=prod\nAPP_SECRET={sy}\n"),
            sy,
        ),
        "deploy/symfony.env",
    ));
    for (rule, path, text) in [
        (
            "secret.django_secret_key",
            "mysite/settings.py",
            "SECRET_KEY = os.environ[\"DJANGO_SECRET_KEY\"]\n".to_string(),
        ),
        (
            "secret.django_secret_key",
            "mysite/settings.py",
            "SECRET_KEY = 'change-me-to-a-long-random-string'\n".to_string(),
        ),
        (
            "secret.flask_secret_key",
            "app.py",
            "from flask import Flask\napp.secret_key = os.urandom(24)\n".to_string(),
        ),
        (
            "secret.flask_secret_key",
            "app.py",
            "import flask\napp.config['SECRET_KEY'] = 'dev-secret-key-only'\n".to_string(),
        ),
        (
            "secret.rails_secret_key_base",
            "config/secrets.yml",
            "production:\n  secret_key_base: <%= ENV[\"SECRET_KEY_BASE\"] %>\n".to_string(),
        ),
        (
            "secret.rails_master_key",
            "notes/ids.txt",
            format!("{}\n", r.s(HEX, 32)),
        ),
        (
            "secret.wordpress_salt",
            "wp-config.php",
            "define( 'AUTH_KEY', 'put your unique phrase here' );\n".to_string(),
        ),
        (
            "secret.laravel_app_key",
            "deploy/laravel.env",
            "APP_KEY=\n".to_string(),
        ),
        (
            "secret.symfony_app_secret",
            "config/services.yaml",
            "framework:\n  secret: '%env(APP_SECRET)%'\n".to_string(),
        ),
    ] {
        v.push(at(neg(rule, text), path));
    }

    // ---------------------------------- hex / base62 under secret-like names
    let g = "secret.generic_high_entropy";
    let oauth = r.mixed(HEX, 40);
    v.push(at(
        pos(g, format!("oauth_token = \"{oauth}\"\n"), oauth),
        "src/client.py",
    ));
    let apikey = r.mixed(HEX, 32);
    v.push(at(
        pos(g, format!("export const API_KEY = '{apikey}';\n"), apikey),
        "src/config.js",
    ));
    let b62 = r.mixed(B62, 24);
    v.push(at(
        pos(g, format!("{{\"access_token\": \"{b62}\"}}\n"), b62),
        "config/service.json",
    ));
    let punct = format!(
        "{}!({})[{}]<{}>{{{}}}{}",
        r.mixed(B62, 5),
        r.s(B62, 3),
        r.s(B62, 2),
        r.s("ABCDEFGHJKLMNPQRSTUVWXYZ", 1),
        r.s("abcdefghijkmnpqrstuvwxyz", 1),
        r.mixed(B62, 6)
    );
    v.push(at(
        pos(g, format!("client_secret = \"{punct}\"\n"), punct),
        "config/app.toml",
    ));
    for (path, text) in [
        (
            "src/cache.py",
            format!("token_sha256 = \"{}\"\n", r.s(HEX, 64)),
        ),
        (
            "src/empty.py",
            "api_key = \"d41d8cd98f00b204e9800998ecf8427e\"\n".to_string(),
        ),
        (
            "src/fmt.py",
            "secret_token = \"{prefix}-{value}-{suffix}\"\n".to_string(),
        ),
        (
            "src/rev.py",
            format!("release_commit = \"{}\"\n", r.s(HEX, 40)),
        ),
        ("src/ids.py", format!("token_id = \"{}\"\n", r.s(HEX, 32))),
        (
            "src/um/lmaccess.rs",
            format!(
                "pub const SERVICE_ACCOUNT_PASSWORD: &'static str = \"_SA_{{{}}}\";\n",
                super::uuid(r).to_ascii_uppercase()
            ),
        ),
    ] {
        v.push(at(neg(g, text), path));
    }

    // ---------------------------------------------- saved logins, key files
    let ff = r.mixed(B64, 96);
    v.push(at(
        pos(
            "secret.browser_saved_logins",
            format!("{{\"nextId\":2,\"logins\":[{{\"id\":1,\"hostname\":\"https://admin.acme.io\",\"encryptedUsername\":\"{}\",\"encryptedPassword\":\"{ff}\"}}]}}\n", r.s(B64, 64)),
            ff,
        ),
        "backup/firefox/logins.json",
    ));
    v.push(at(
        neg(
            "secret.browser_saved_logins",
            "{\"logins\":[{\"encryptedPassword\":\"\"}]}\n".to_string(),
        ),
        "backup/firefox/logins.json",
    ));
    let lines: Vec<String> = (0..6).map(|_| r.s(B64, 64)).collect();
    let ppk_secret: String = lines.concat();
    v.push(at(
        pos(
            "secret.private_key",
            format!(
                "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: deploy\nPublic-Lines: 2\n{}\n{}\nPrivate-Lines: 6\n{}\nPrivate-MAC: {}\n",
                r.s(B64, 64),
                r.s(B64, 20),
                lines.join("\n"),
                r.s(HEX, 64)
            ),
            ppk_secret,
        ),
        "keys/deploy.ppk",
    ));
    v.push(at(
        neg(
            "secret.private_key",
            format!(
                "PuTTY-User-Key-File-2: ssh-rsa\nEncryption: none\nPrivate-Lines: 1\n{}\n",
                "A".repeat(64)
            ),
        ),
        "keys/empty.ppk",
    ));
    v
}

// ------------------------------------------------------------ repository tests

use super::super::{RepoFinding, ScanOptions, SecretSeverity, SourceKind, scan_repo};
use super::{commit, github_classic, no_history, write};

fn find<'a>(report: &'a super::super::ScanReport, rule: &str, path: &str) -> Vec<&'a RepoFinding> {
    report
        .findings
        .iter()
        .filter(|f| f.rule_id == rule && f.subject.split(':').next() == Some(path))
        .collect()
}

#[test]
fn env_file_is_judged_by_its_content() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let repo = git2::Repository::init(root).unwrap();
    let r = &mut Rng(77);
    let pw = human_password(r);
    write(
        root,
        ".env",
        &format!("PORT=3000\nDB_USER=app\nDB_PASSWORD={pw}\n"),
    );
    write(root, "tests/fixtures/.env", "FOO=env\n");
    write(
        root,
        "web/.env",
        "NODE_ENV=production\nAPI_KEY=\nSECRET_KEY=changeme\n",
    );
    commit(
        &repo,
        &[".env", "tests/fixtures/.env", "web/.env"],
        "env files",
    );
    let report = scan_repo(root, &ScanOptions::default()).unwrap();

    let real = find(&report, "secret.env_file_committed", ".env");
    assert_eq!(real.len(), 1, "{report:#?}");
    assert_eq!(real[0].severity, SecretSeverity::Critical);
    assert!(
        real[0].evidence.contains("DB_PASSWORD"),
        "{}",
        real[0].evidence
    );
    assert!(
        !real[0].evidence.contains("DB_USER"),
        "{}",
        real[0].evidence
    );
    // the password itself is a finding of its own
    assert_eq!(
        find(&report, "secret.password", ".env").len(),
        1,
        "{report:#?}"
    );

    let fixture = find(&report, "secret.env_file_committed", "tests/fixtures/.env");
    assert_eq!(fixture.len(), 1);
    assert_eq!(
        fixture[0].severity,
        SecretSeverity::Low,
        "{:#?}",
        fixture[0]
    );
    assert!(fixture[0].evidence.contains("FOO"));
    let placeholders = find(&report, "secret.env_file_committed", "web/.env");
    assert_eq!(
        placeholders[0].severity,
        SecretSeverity::Low,
        "{:#?}",
        placeholders[0]
    );
    assert!(!format!("{report:?}").contains(&pw));
}

#[test]
fn test_docs_and_comment_matches_are_downgraded_not_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let r = &mut Rng(78);
    let (a, b, c, d) = (
        human_password(r),
        human_password(r),
        human_password(r),
        human_password(r),
    );
    write(root, "config/prod.yml", &format!("db:\n  password: {a}\n"));
    write(
        root,
        "tests/fixtures/app.yml",
        &format!("db:\n  password: {b}\n"),
    );
    write(
        root,
        "docs/setup.md",
        &format!("Set `password: {c}` in the config.\n"),
    );
    write(
        root,
        "src/lib.rs",
        &format!("/// let password = \"{d}\";\npub fn f() {{}}\n"),
    );
    let report = scan_repo(root, &no_history()).unwrap();
    let sev = |path: &str| {
        let f = find(&report, "secret.password", path);
        assert_eq!(f.len(), 1, "{path}: {report:#?}");
        (f[0].severity, f[0].evidence.clone())
    };
    assert_eq!(sev("config/prod.yml").0, SecretSeverity::High);
    for (path, why) in [
        ("tests/fixtures/app.yml", "under tests/"),
        ("docs/setup.md", "under docs/"),
        ("src/lib.rs", "comment line"),
    ] {
        let (s, evidence) = sev(path);
        assert_eq!(s, SecretSeverity::Low, "{path}");
        assert!(
            evidence.contains("downgraded from high to low") && evidence.contains(why),
            "{path}: {evidence}"
        );
    }
    let text = format!("{report:?}");
    for pw in [&a, &b, &c, &d] {
        assert!(!text.contains(pw.as_str()));
    }
}

#[test]
fn key_stores_are_found_by_name_in_tree_and_history() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let repo = git2::Repository::init(root).unwrap();
    let r = &mut Rng(79);
    let der = |r: &mut Rng| {
        let mut b = vec![0x30, 0x82, 0x0a, 0x00, 0x02, 0x01, 0x03, 0x00];
        b.extend(r.s(B62, 64).bytes());
        b
    };
    std::fs::create_dir_all(root.join("certs")).unwrap();
    std::fs::create_dir_all(root.join("tests/data")).unwrap();
    std::fs::write(root.join("certs/server.p12"), der(r)).unwrap();
    std::fs::write(root.join("tests/data/client.pfx"), der(r)).unwrap();
    std::fs::write(root.join("release.jks"), der(r)).unwrap();
    commit(&repo, &["release.jks"], "keystore");
    std::fs::remove_file(root.join("release.jks")).unwrap();
    commit(&repo, &["release.jks"], "remove keystore");

    let report = scan_repo(root, &ScanOptions::default()).unwrap();
    let p12 = find(&report, "secret.keystore_file", "certs/server.p12");
    assert_eq!(p12.len(), 1, "{report:#?}");
    assert_eq!(p12[0].severity, SecretSeverity::High);
    assert!(p12[0].title.contains("PKCS#12"), "{}", p12[0].title);
    let pfx = find(&report, "secret.keystore_file", "tests/data/client.pfx");
    assert_eq!(pfx[0].severity, SecretSeverity::Low);
    let jks = find(&report, "secret.keystore_file", "release.jks");
    assert_eq!(jks.len(), 1, "{report:#?}");
    assert_eq!(jks[0].source, SourceKind::History);
}

#[test]
fn history_finding_lists_every_path_of_the_value() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let repo = git2::Repository::init(root).unwrap();
    let r = &mut Rng(80);
    let t = github_classic(r, "ghp");
    write(root, "a/config.ts", &format!("export const t = '{t}';\n"));
    commit(&repo, &["a/config.ts"], "a");
    write(
        root,
        "b/settings.js",
        &format!("module.exports = {{ t: '{t}', v: 2 }};\n"),
    );
    write(root, "c/ci.yml", &format!("env:\n  GH: {t}\n"));
    commit(&repo, &["b/settings.js", "c/ci.yml"], "b c");
    for p in ["a/config.ts", "b/settings.js", "c/ci.yml"] {
        std::fs::remove_file(root.join(p)).unwrap();
    }
    commit(&repo, &["a/config.ts", "b/settings.js", "c/ci.yml"], "rm");
    let report = scan_repo(root, &ScanOptions::default()).unwrap();
    let gh: Vec<&RepoFinding> = report
        .findings
        .iter()
        .filter(|f| f.rule_id == "secret.github_token")
        .collect();
    assert_eq!(gh.len(), 1, "{report:#?}");
    for p in ["a/config.ts", "b/settings.js", "c/ci.yml"] {
        assert!(gh[0].evidence.contains(p), "{}", gh[0].evidence);
    }
}

#[test]
fn titles_do_not_name_a_place() {
    // the scanner appends "in <path>": a rule title saying where would repeat it
    for rule in super::super::rules::builtin_rules() {
        assert!(!rule.title.contains(" in "), "{}: {}", rule.id, rule.title);
    }
}
