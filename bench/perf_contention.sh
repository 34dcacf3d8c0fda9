#!/usr/bin/env bash
# Perf sampling vs the secret scan: p95 of a 20 ms endpoint in a full audit with a ~500 MB repo,
# against `--only perf`, and against `--only perf` with a secret scan of the same repo running
# at the same time (what a full audit did before the scan waited for the sampling).
#
# Usage: bench/perf_contention.sh [path/to/launchready] [runs]   (default target/release, 3 runs)
set -euo pipefail
BIN=$(realpath "${1:-target/release/launchready}")
RUNS=${2:-3}
OUT=$(mktemp -d)
"$BIN" demo --serve >"$OUT/serve.txt" 2>&1 &
SERVE=$!
trap 'kill $SERVE 2>/dev/null || true; rm -rf "$OUT"' EXIT
for _ in $(seq 50); do grep -q "https port" "$OUT/serve.txt" 2>/dev/null && break; sleep 0.1; done
DNS=$(awk '/dns server:/ {print $3}' "$OUT/serve.txt")
HTTP=$(awk '/http port:/ {print $3}' "$OUT/serve.txt")
HTTPS=$(awk '/https port:/ {print $3}' "$OUT/serve.txt")
CA=$(awk '/CA file:/ {print $3}' "$OUT/serve.txt")

# ~500 MB of JavaScript-like text in the work tree of a git repo.
REPO="$OUT/repo"
mkdir -p "$REPO/src" && git -C "$REPO" init -q
python3 - "$REPO/src" <<'PY'
import random, sys
random.seed(1)
w = ["".join(random.choice("abcdefghijklmnopqrstuvwxyz_") for _ in range(random.randint(3, 12))) for _ in range(5000)]
pool = [f'const {random.choice(w)} = "{random.choice(w)}-{random.choice(w)}"; // {random.choice(w)}\n' for _ in range(20000)]
total, i = 0, 0
while total < 500 * 1024 * 1024:
    chunk = "".join(random.choice(pool) for _ in range(60000))
    open(f"{sys.argv[1]}/f{i:04d}.js", "w").write(chunk)
    total, i = total + len(chunk), i + 1
PY
cat >"$REPO/launchready.toml" <<TOML
[target]
domain = "acme-good.test"
http_port = $HTTP
https_port = $HTTPS

[secrets]
paths = ["."]
history = false

[[endpoints]]
name = "fast"
url = "http://api.acme-good.test:$HTTP/perf/delay/20"
samples = 150
concurrency = 2
p95_ms = 10000
timeout_ms = 10000
TOML
A=(--config "$REPO/launchready.toml" --dns-server "$DNS" --ca-file "$CA" --no-progress --format json --fail-on never)
p95() { python3 -c 'import json,sys
e = json.load(sys.stdin)["measurements"]["endpoints"][0]
print("p50=%.2f p95=%.2f p99=%.2f overlapped=%s" % (e["p50_ms"], e["p95_ms"], e["p99_ms"], e.get("overlapped_secret_scan", False)))'; }
for i in $(seq "$RUNS"); do
  echo -n "run $i  --only perf:                   "; "$BIN" audit "${A[@]}" --only perf | p95
  echo -n "run $i  full audit:                    "; "$BIN" audit "${A[@]}" | p95
  "$BIN" audit --repo "$REPO" --format json >/dev/null 2>&1 &
  SCAN=$!
  sleep 0.5
  echo -n "run $i  --only perf + concurrent scan: "; "$BIN" audit "${A[@]}" --only perf | p95
  wait $SCAN || true
done
