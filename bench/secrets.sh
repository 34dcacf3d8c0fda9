#!/usr/bin/env bash
# Secret-scanning benchmark for launchready.
#
# Generates (once, cached in $BENCH_DIR):
#   * corpus/   >= 500 MB of realistic source-like text (JS/TS/Python/Go/Rust/
#               Java/JSON/YAML/Markdown/CSS/HTML/SQL/shell, lockfiles, one-line
#               minified bundles), built by mutating a varied set of generated
#               files, with fake secrets planted (generated at run time);
#   * history/  a git repo with >= 10,000 commits (via `git fast-import`),
#               secrets added and later deleted in some commits;
# then measures and prints a Markdown table:
#   * `launchready audit --repo corpus --format json --fail-on never`:
#     wall time, MB/s, peak RSS (/usr/bin/time -v);
#   * the same on the 10k-commit history repo (history scan time);
#   * ripgrep with the same pattern set (-f patterns file) over the corpus;
#   * detect-secrets on a subset (MB/s extrapolated).
#
# Usage: bench/secrets.sh [--generate-only] [--skip-rg] [--skip-detect-secrets]
# Env:   LAUNCHREADY (binary, default <repo>/target/release/launchready; built
#        with `cargo build --release` in the repo if missing), BENCH_DIR (default
#        /tmp/launchready-bench), CORPUS_MB (default 520), COMMITS (default
#        10000), DS_SUBSET_MB (default 5; detect-secrets runs at well under
#        1 MB/s, so 5 MB takes about half a minute).
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LAUNCHREADY=${LAUNCHREADY:-$REPO_ROOT/target/release/launchready}
BENCH_DIR=${BENCH_DIR:-/tmp/launchready-bench}
CORPUS_MB=${CORPUS_MB:-520}
COMMITS=${COMMITS:-10000}
DS_SUBSET_MB=${DS_SUBSET_MB:-5}
GENERATE_ONLY=0
SKIP_RG=0
SKIP_DS=0
for arg in "$@"; do
    case "$arg" in
        --generate-only) GENERATE_ONLY=1 ;;
        --skip-rg) SKIP_RG=1 ;;
        --skip-detect-secrets) SKIP_DS=1 ;;
        -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
        *) echo "unknown argument: $arg" >&2; exit 2 ;;
    esac
done

CORPUS="$BENCH_DIR/corpus"
HIST="$BENCH_DIR/history"
PATTERNS="$BENCH_DIR/patterns.txt"
mkdir -p "$BENCH_DIR"

need() { command -v "$1" >/dev/null 2>&1; }
apt_install() {
    if need apt-get; then
        (apt-get install -y "$@" >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y "$@" >/dev/null 2>&1; }) || true
    fi
}

# ----------------------------------------------------------------- corpus
gen_corpus() {
    echo "generating ${CORPUS_MB} MB corpus in $CORPUS ..." >&2
    rm -rf "$CORPUS.tmp"
    mkdir -p "$CORPUS.tmp"
    python3 - "$CORPUS.tmp" "$CORPUS_MB" <<'PY'
import os, random, sys, zlib, base64, json
out, target_mb = sys.argv[1], int(sys.argv[2])
rnd = random.Random(20240601)
B62 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
HEX = "0123456789abcdef"
WORDS = ("user account order invoice payment session cache request response handler "
         "router config client server record item product cart price total count index "
         "value result error status message event queue worker job task build deploy "
         "render view model store state action reducer props theme layout page route").split()
def s(alpha, n): return "".join(rnd.choice(alpha) for _ in range(n))
def ident(): return rnd.choice(WORDS) + rnd.choice(WORDS).capitalize() + (str(rnd.randint(0, 99)) if rnd.random() < .3 else "")
def sentence(n=8): return " ".join(rnd.choice(WORDS) for _ in range(n))

def js(n):
    L = ["import { %s } from './%s';" % (ident(), rnd.choice(WORDS)) for _ in range(5)]
    for _ in range(n):
        k = rnd.random()
        if k < .3: L.append("export function %s(%s, %s) {\n  const %s = %s.%s(%d);\n  return %s;\n}" % (ident(), ident(), ident(), ident(), ident(), ident(), rnd.randint(0, 9999), ident()))
        elif k < .5: L.append("const %s = { id: '%s', name: \"%s\", count: %d };" % (ident(), s(HEX, 8), sentence(3), rnd.randint(0, 10**6)))
        elif k < .7: L.append("// %s" % sentence(12))
        elif k < .85: L.append("if (%s > %d) { logger.info(`%s ${%s}`); }" % (ident(), rnd.randint(0, 100), sentence(5), ident()))
        else: L.append("  await fetch('/api/%s/%s', { method: 'POST', body: JSON.stringify(%s) });" % (rnd.choice(WORDS), rnd.choice(WORDS), ident()))
    return "\n".join(L) + "\n"
def py(n):
    L = ["import %s" % rnd.choice(["os", "json", "re", "sys", "typing", "logging"]) for _ in range(4)]
    for _ in range(n):
        k = rnd.random()
        if k < .3: L.append("def %s(%s, %s=None):\n    \"\"\"%s\"\"\"\n    return %s.get('%s', %d)\n" % (ident(), ident(), ident(), sentence(10), ident(), rnd.choice(WORDS), rnd.randint(0, 999)))
        elif k < .6: L.append("%s = [%s]" % (ident(), ", ".join(str(rnd.randint(0, 9999)) for _ in range(8))))
        else: L.append("# %s" % sentence(10))
    return "\n".join(L) + "\n"
def go(n):
    L = ["package %s" % rnd.choice(WORDS), "", "import \"fmt\""]
    for _ in range(n):
        L.append("func %s(%s int) (string, error) {\n\treturn fmt.Sprintf(\"%s %%d\", %s), nil\n}" % (ident().capitalize(), ident(), sentence(4), ident()))
    return "\n".join(L) + "\n"
def rs(n):
    L = []
    for _ in range(n):
        L.append("/// %s\npub fn %s(%s: &str) -> Option<usize> {\n    %s.find(\"%s\")\n}" % (sentence(8), ident().lower(), ident().lower(), ident().lower(), rnd.choice(WORDS)))
    return "\n".join(L) + "\n"
def java(n):
    L = ["package com.acme.%s;" % rnd.choice(WORDS), "public class %s {" % ident().capitalize()]
    for _ in range(n):
        L.append("    private final String %s = \"%s\";\n    public int %s(int %s) { return %s * %d; }" % (ident(), sentence(3), ident(), ident(), ident(), rnd.randint(1, 99)))
    return "\n".join(L) + "\n}\n"
def jsonf(n):
    return json.dumps([{"id": s(HEX, 24), "uuid": "%s-%s-4%s-a%s-%s" % (s(HEX, 8), s(HEX, 4), s(HEX, 3), s(HEX, 3), s(HEX, 12)), "name": sentence(3), "sha": s(HEX, 40), "tags": [rnd.choice(WORDS) for _ in range(3)], "price": rnd.random() * 100} for _ in range(n)], indent=2) + "\n"
def yaml(n):
    L = []
    for _ in range(n):
        L.append("%s:\n  image: registry.acme.io/%s:%s\n  replicas: %d\n  env:\n    - name: %s\n      value: \"%s\"" % (rnd.choice(WORDS), rnd.choice(WORDS), s(HEX, 7), rnd.randint(1, 9), ident().upper(), sentence(2)))
    return "\n".join(L) + "\n"
def md(n): return "\n\n".join("## %s\n\n%s." % (sentence(3).title(), sentence(40)) for _ in range(n)) + "\n"
def css(n): return "\n".join(".%s-%s { color: #%s; margin: %dpx %dpx; }" % (rnd.choice(WORDS), rnd.choice(WORDS), s(HEX, 6), rnd.randint(0, 40), rnd.randint(0, 40)) for _ in range(n)) + "\n"
def html(n): return "<!doctype html>\n<html><body>\n" + "\n".join("<div class=\"%s\"><a href=\"/%s/%s\">%s</a></div>" % (rnd.choice(WORDS), rnd.choice(WORDS), s(HEX, 6), sentence(4)) for _ in range(n)) + "\n</body></html>\n"
def sql(n): return "\n".join("INSERT INTO %s (id, name, total) VALUES (%d, '%s', %d);" % (rnd.choice(WORDS), i, sentence(2), rnd.randint(0, 10**5)) for i in range(n)) + "\n"
def sh(n): return "#!/bin/sh\nset -e\n" + "\n".join("%s=\"${%s:-%s}\"\necho \"%s $%s\"" % (ident().upper(), ident().upper(), rnd.choice(WORDS), sentence(4), ident().upper()) for _ in range(n)) + "\n"
def lock(n):
    return json.dumps({"lockfileVersion": 3, "packages": {"node_modules/%s-%d" % (rnd.choice(WORDS), i): {"version": "1.%d.%d" % (i % 10, i % 7), "resolved": "https://registry.npmjs.org/x/-/x-1.0.%d.tgz" % i, "integrity": "sha512-" + base64.b64encode(os.urandom(64)).decode()} for i in range(n)}}, indent=2) + "\n"
def minjs(n): return ";".join("var %s=function(a,b){return a+b*%d}" % (ident(), i) for i in range(n)) + "\n"

GENS = [("js", js, 60), ("ts", js, 60), ("py", py, 80), ("go", go, 60), ("rs", rs, 60), ("java", java, 60),
        ("json", jsonf, 40), ("yaml", yaml, 40), ("md", md, 20), ("css", css, 200), ("html", html, 150),
        ("sql", sql, 200), ("sh", sh, 60)]
base = []
for i in range(360):
    ext, fn, n = GENS[i % len(GENS)]
    base.append(("src/%s/%s_%d.%s" % (rnd.choice(WORDS), ident(), i, ext), fn(rnd.randint(n // 2, n * 4))))
base.append(("package-lock.json", lock(3000)))
base.append(("dist/app.min.js", minjs(40000)))
base_bytes = sum(len(c) for _, c in base)

def ghp():
    r = s(B62, 30); c = zlib.crc32(r.encode()) & 0xffffffff; d = ""
    alpha = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    while c: d = alpha[c % 62] + d; c //= 62
    return "ghp_" + r + d.rjust(6, "0")
def plant():
    k = rnd.randrange(5)
    if k == 0: return "const token = '%s';" % ghp()
    if k == 1: return "AWS_ACCESS_KEY_ID=AKIA%s" % s("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)
    if k == 2: return "stripe.api_key = 'sk_live_%s'" % s(B62, 24)
    if k == 3: return "DATABASE_URL=postgres://app:%s@db.prod.acme.io/app" % s(B62, 20)
    return "api_secret = \"%s\"" % (s(B62, 28) + "7")

written, copy = 0, 0
target = target_mb * 1_000_000
planted = 0
while written < target:
    for path, content in base:
        if written >= target: break
        p = os.path.join(out, "pkg%03d" % copy, path)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        head = "// generated copy %d of %s\n" % (copy, path) if not path.endswith(".json") else ""
        body = content
        if rnd.random() < 0.004 and not path.endswith(".json"):
            body = body + plant() + "\n"; planted += 1
        with open(p, "w") as f:
            f.write(head); f.write(body)
        written += len(head) + len(body)
    copy += 1
print("corpus: %.1f MB in %d copies of %d base files (%.1f MB), %d planted secrets" % (written / 1e6, copy, len(base), base_bytes / 1e6, planted), file=sys.stderr)
PY
    rm -rf "$CORPUS"
    mv "$CORPUS.tmp" "$CORPUS"
}

# ------------------------------------------------------------ history repo
gen_history() {
    echo "generating ${COMMITS}-commit git repo in $HIST ..." >&2
    rm -rf "$HIST"
    git init -q -b main "$HIST"
    python3 - "$COMMITS" <<'PY' | git -C "$HIST" fast-import --quiet
import random, sys
n = int(sys.argv[1])
rnd = random.Random(7)
B62 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
WORDS = "user order cart price total cache queue worker route page theme state".split()
out = sys.stdout.buffer
paths = ["src/%s/%s_%d.ts" % (rnd.choice(WORDS), rnd.choice(WORDS), i) for i in range(400)]
def content(i):
    lines = ["// revision %d" % i]
    for _ in range(rnd.randint(40, 120)):
        lines.append("export const %s%d = compute('%s', %d);" % (rnd.choice(WORDS), rnd.randint(0, 999), rnd.choice(WORDS), rnd.randint(0, 10**6)))
    return "\n".join(lines) + "\n"
def data(b):
    out.write(b"data %d\n" % len(b)); out.write(b); out.write(b"\n")
ts = 1600000000
secret_path = None
for i in range(1, n + 1):
    out.write(b"commit refs/heads/main\nmark :%d\n" % i)
    out.write(b"committer Bench <bench@acme.invalid> %d +0000\n" % (ts + i * 60))
    data(b"commit %d" % i)
    if i > 1:
        out.write(b"from :%d\n" % (i - 1))
    for _ in range(rnd.randint(1, 3)):
        p = rnd.choice(paths)
        out.write(b"M 100644 inline %s\n" % p.encode()); data(content(i).encode())
    if i % 1000 == 500:
        secret_path = "config/leak_%d.env.ts" % i
        body = "export const key = 'sk_live_%s';\n" % "".join(rnd.choice(B62) for _ in range(24))
        out.write(b"M 100644 inline %s\n" % secret_path.encode()); data(body.encode())
    if i % 1000 == 600 and secret_path:
        out.write(b"D %s\n" % secret_path.encode()); secret_path = None
out.write(b"done\n")
PY
    git -C "$HIST" checkout -q -f main
}

if [ ! -d "$CORPUS" ]; then
    t0=$(date +%s); gen_corpus; echo "corpus generated in $(( $(date +%s) - t0 )) s" >&2
fi
if [ ! -d "$HIST/.git" ]; then
    t0=$(date +%s); gen_history; echo "history repo generated in $(( $(date +%s) - t0 )) s" >&2
fi
CORPUS_BYTES=$(du -sb "$CORPUS" | cut -f1)
echo "corpus: $((CORPUS_BYTES / 1000000)) MB, history: $(git -C "$HIST" rev-list --count --all) commits" >&2
[ "$GENERATE_ONLY" = 1 ] && exit 0

# ------------------------------------------------------------- measuring
[ -x /usr/bin/time ] || apt_install time
if [ ! -x "$LAUNCHREADY" ]; then
    echo "building $LAUNCHREADY ..." >&2
    (cd "$REPO_ROOT" && cargo build --release) >&2
fi

# run LABEL CMD... -> sets WALL (s) and RSS (MB)
run() {
    local log="$BENCH_DIR/time.$1.txt"; shift
    /usr/bin/time -v "$@" >"$BENCH_DIR/out.txt" 2>"$log" || true
    WALL=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$log")
    RSS=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$log")
}
mbps() { awk -v b="$1" -v t="$2" 'BEGIN { if (t > 0) printf "%.1f", b / 1e6 / t; else print "n/a" }'; }

ROWS=()
run audit "$LAUNCHREADY" audit --repo "$CORPUS" --format json --fail-on never
ROWS+=("| launchready audit (corpus, $((CORPUS_BYTES / 1000000)) MB) | $WALL | $(mbps "$CORPUS_BYTES" "$WALL") | $RSS |")
run history "$LAUNCHREADY" audit --repo "$HIST" --format json --fail-on never
ROWS+=("| launchready audit (history, $(git -C "$HIST" rev-list --count --all) commits) | $WALL | n/a | $RSS |")

# ripgrep with the same pattern set
if [ "$SKIP_RG" = 0 ]; then
    need rg || apt_install ripgrep
    cat >"$PATTERNS" <<'PAT'
\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|APKA|AROA|ASCA)[A-Z2-7]{16}\b
(?i)(?:aws[\w.\-]{0,30}?(?:secret|private)|secret_?access_?key)[\w.\-]{0,30}?["'`]?\s*(?:=|:=|:|=>)\s*["'`]?[A-Za-z0-9/+]{40}
\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}\b
\bgithub_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}\b
\b(?:glpat|gldt|glrt|glptt|glcbt|glsoat|glimt|glagent|glft|gloas)-[0-9A-Za-z_\-]{20,}
\b(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{20,247}\b
\bwhsec_[0-9A-Za-z+/=]{32,}
\bsk-ant-[a-z]{2,10}[0-9]{0,3}-[A-Za-z0-9_\-]{32,}
\bsk-(?:proj|svcacct|admin)-[A-Za-z0-9_\-]{40,}
\bsk-[A-Za-z0-9]{48}\b
\b(?:xox[abposer]|xapp)-[0-9]+-[0-9A-Za-z\-]{8,250}
https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9_\-]+/[A-Za-z0-9_\-/]{20,}
\bAIza[0-9A-Za-z_\-]{35}
"private_key_id"\s*:\s*"[0-9a-f]{40}"
(?i)AccountKey\s*=\s*[A-Za-z0-9+/]{86}==
\bSK[0-9a-fA-F]{32}\b
\bSG\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43}
key-[0-9a-f]{32}\b
\bnpm_[A-Za-z0-9]{36}\b
_authToken\s*=\s*["']?[A-Za-z0-9_\-.=]{20,}
\bpypi-(?:AgEIcHlwaS5vcmc|AgENdGVzdC5weXBpLm9yZw)[A-Za-z0-9_\-]{50,}
\b(?:hf_|api_org_)[A-Za-z0-9]{34,40}\b
https://(?:ptb\.|canary\.)?discord(?:app)?\.com/api/webhooks/[0-9]{17,20}/[A-Za-z0-9_\-]{60,70}
\beyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{10,}
\bsb_secret_[A-Za-z0-9_\-]{20,}
-----BEGIN[ A-Z0-9]{0,30}PRIVATE KEY(?: BLOCK)?-----
(?i)\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver)://[^\s:/@'"<>`]*:[^\s@/'"<>`]+@[^\s/'"<>`:?,;]+
\bshp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}\b
\bdo[opr]_v1_[a-f0-9]{64}\b
\b[0-9]{8,10}:AA[0-9A-Za-z_\-]{33}
\b(?:sq0atp|sq0csp)-[0-9A-Za-z_\-]{22,60}|EAAA[0-9A-Za-z_\-]{60}
\bHRKU-[0-9A-Za-z_\-]{60}
\blin_api_[0-9A-Za-z]{40}\b
\bdapi[0-9a-f]{32}(?:-[0-9])?\b
\bdp\.(?:pt|st|sa|ct|scim|audit)\.[0-9A-Za-z]{40,44}\b
\bAGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}\b
\bNRAK-[A-Z0-9]{27}\b
\bPMAK-[a-f0-9]{24}-[a-f0-9]{34}\b
\bglsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}|glc_[A-Za-z0-9+/]{32,400}={0,2}
\bsntryu_[a-f0-9]{64}|sntrys_eyJ[A-Za-z0-9+/=_\-]{50,}
\bAAAA[A-Za-z0-9_\-]{7}:APA91b[A-Za-z0-9_\-]{134}
\bsk\.eyJ[A-Za-z0-9_\-]{20,}\.[A-Za-z0-9_\-]{20,}
(?i)[A-Za-z0-9_.\-]*(?:password|passwd|passphrase|pwd|secret|token|api[_.\-]?key|apikey|auth|credential|private[_.\-]?key|access[_.\-]?key|signing[_.\-]?key|encryption[_.\-]?key|client[_.\-]?secret)[A-Za-z0-9_.\-]*["'`]?\s*(?:=|:=|:|=>)\s*["'`]?[^\s"'`,;<>(){}\[\]\\&|]{16,256}
(?i)(?:[A-Za-z0-9_.\-]*(?:password|passwd|passphrase|passwort)|\b(?:[A-Za-z0-9_.\-]*[_.\-])?(?:pass|pwd|pw|secret))(?:[ \t]*:[ \t]*&?[A-Za-z_][A-Za-z0-9_<>\[\]]{0,30}[ \t]*=|["'`]?[ \t]*(?:=|:=|:|=>))[ \t]*(?:"[^"\r\n]{1,200}"|'[^'\r\n]{1,200}'|`[^`\r\n]{1,200}`|[^\s"'`,;<>(){}\[\]]{1,200})
(?i)<(?:[A-Za-z]+:)?(?:[A-Za-z0-9_.\-]*(?:password|passwd|passphrase|passwort)|\b(?:[A-Za-z0-9_.\-]*[_.\-])?(?:pass|pwd|pw|secret))(?:[ \t][^>\r\n]{0,80})?>[^<\r\n]{1,200}</
(?i)define\([ \t]*['"][A-Z0-9_]*(?:PASSWORD|PASSWD|PASS|PWD)['"][ \t]*,[ \t]*(?:'[^'\r\n]{1,200}'|"[^"\r\n]{1,200}")
(?i)\blogin[ \t]+[^\s]+[ \t]+password[ \t]+[^\s]+
(?i)\b(?:https?|ftps?|sftp|ssh|smtps?|imaps?|pop3s?|ldaps?|git)://[^\s:/@'"<>`]{1,80}:[^\s@/'"<>`]{1,200}@[^\s/'"<>`:?,;)\]]+
"auth"[ \t]*:[ \t]*"[A-Za-z0-9+/]{8,}={0,2}"
(?:^|[\s:])_auth[ \t]*=[ \t]*["']?[A-Za-z0-9+/]{8,}={0,2}
\$2[abxy]?\$[0-9]{2}\$[./A-Za-z0-9]{53}|\$(?:1|apr1)\$[./A-Za-z0-9]{1,8}\$[./A-Za-z0-9]{22}|\$[56]\$(?:rounds=[0-9]{1,9}\$)?[./A-Za-z0-9]{1,16}\$[./A-Za-z0-9]{43}|\$y\$[./A-Za-z0-9]{1,30}\$[./A-Za-z0-9]{1,86}\$[./A-Za-z0-9]{43}|\$argon2(?:id|i|d)\$v=[0-9]+\$m=[0-9]+,t=[0-9]+,p=[0-9]+\$[A-Za-z0-9+/]{11,}\$[A-Za-z0-9+/]{16,}
^[^:\s#]{1,64}:\{SHA\}[A-Za-z0-9+/]{27}=
SECRET_KEY[ \t]*=[ \t]*(?:'[^'\r\n]{12,200}'|"[^"\r\n]{12,200}")
(?:\bsecret_key[ \t]*=|\[[ \t]*['"]SECRET_KEY['"][ \t]*\][ \t]*=)[ \t]*[bB]?(?:'[^'\r\n]{12,200}'|"[^"\r\n]{12,200}")
(?i)secret_key_base["']?[ \t]*(?:=>|:|=)[ \t]*["']?[0-9a-f]{64,256}\b
define\([ \t]*['"](?:AUTH|SECURE_AUTH|LOGGED_IN|NONCE)_(?:KEY|SALT)['"][ \t]*,[ \t]*(?:'[^'\r\n]{16,200}'|"[^"\r\n]{16,200}")
APP_KEY[ \t]*=[ \t]*["']?base64:[A-Za-z0-9+/]{43}=
APP_SECRET[ \t]*[=:][ \t]*["']?[0-9a-f]{32,64}\b
"encryptedPassword"[ \t]*:[ \t]*"[A-Za-z0-9+/=]{16,}"
PuTTY-User-Key-File-[23]:
PAT
    if need rg; then
        run rg rg -c --no-ignore --hidden -f "$PATTERNS" "$CORPUS"
        ROWS+=("| ripgrep -f patterns ($(wc -l <"$PATTERNS") regexes, corpus) | $WALL | $(mbps "$CORPUS_BYTES" "$WALL") | $RSS |")
    else
        ROWS+=("| ripgrep | not installed | | |")
    fi
fi

# detect-secrets on a subset, extrapolated
if [ "$SKIP_DS" = 0 ]; then
    need detect-secrets || pip install -q detect-secrets >/dev/null 2>&1 || true
    if need detect-secrets; then
        SUBSET="$BENCH_DIR/ds-subset-${DS_SUBSET_MB}mb"
        if [ ! -d "$SUBSET" ]; then
            mkdir -p "$SUBSET"
            # copy corpus files (with their relative paths) until big enough
            (cd "$CORPUS" && find pkg000 pkg001 -type f 2>/dev/null) | while read -r f; do
                mkdir -p "$SUBSET/$(dirname "$f")"
                cp "$CORPUS/$f" "$SUBSET/$f"
                [ "$(du -sb "$SUBSET" | cut -f1)" -ge $((DS_SUBSET_MB * 1000000)) ] && break
            done
        fi
        SUB_BYTES=$(du -sb "$SUBSET" | cut -f1)
        # detect-secrets only scans paths relative to the working directory
        run ds bash -c 'cd "$1" && exec detect-secrets scan --all-files .' _ "$SUBSET"
        ROWS+=("| detect-secrets scan --all-files (subset, $((SUB_BYTES / 1000000)) MB; extrapolated to corpus: $(awk -v w="$WALL" -v s="$SUB_BYTES" -v c="$CORPUS_BYTES" 'BEGIN{printf "%.0f s", w*c/s}')) | $WALL | $(mbps "$SUB_BYTES" "$WALL") | $RSS |")
    else
        ROWS+=("| detect-secrets | not installed | | |")
    fi
fi

echo
echo "| tool | wall time (s) | MB/s | peak RSS (MB) |"
echo "| --- | ---: | ---: | ---: |"
printf '%s\n' "${ROWS[@]}"
