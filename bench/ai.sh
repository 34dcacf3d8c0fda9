#!/usr/bin/env bash
# Wall time of the ai check against the sandbox's bots with a 300 ms reply latency:
# the full probe set plus five evals (29 chat requests), concurrency 2 and 4.
# Usage: bash bench/ai.sh [path/to/launchready]   (default target/release/launchready)
set -euo pipefail
BIN=${1:-target/release/launchready}
OUT=$(mktemp -d)
"$BIN" demo --serve > "$OUT/serve.txt" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; rm -rf "$OUT"' EXIT
for _ in $(seq 50); do grep -q "broken site" "$OUT/serve.txt" && break; sleep 0.2; done
DNS=$(awk '/dns server:/ {print $3}' "$OUT/serve.txt")
BROKEN=$(awk '/broken site:/ {print $3}' "$OUT/serve.txt")
URL=$(grep -o 'http://chat[^"]*' "$BROKEN" | head -1)
for variant in vulnerable hardened; do
  for conc in 2 4; do
    U=$(echo "$URL" | sed "s#/bot/[a-z]*/[a-z]*#/bot/$variant/json#")
    CFG="$OUT/$variant-$conc.toml"
    {
      printf '[target]\ndomain = "acme-broken.test"\n[[endpoints]]\nname = "bot"\nurl = "%s?latency_ms=300"\nmethod = "POST"\nkind = "chat"\n' "$U"
      printf '[ai]\nendpoint = "bot"\nreply = "json:/reply"\ncanary = "LR-CANARY-5b9e2d7c41"\nconcurrency = %s\n' "$conc"
      for i in 1 2 3 4 5; do
        printf '[[ai.evals]]\nname = "refund %s"\nmessage = "Can I get a refund after 30 days? (%s)"\nexpect_contains = ["14 days"]\n' "$i" "$i"
      done
    } > "$CFG"
    START=$(date +%s.%N)
    "$BIN" audit --config "$CFG" --dns-server "$DNS" --only ai --no-progress --format json > "$OUT/r.json" || true
    END=$(date +%s.%N)
    python3 - "$OUT/r.json" "$variant" "$conc" "$START" "$END" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); m = r["measurements"]["ai"]
ids = sorted({f["id"] for f in r["findings"] if f["id"].startswith("ai.")})
print(f"{sys.argv[2]:10} concurrency {sys.argv[3]}: {m['requests_spent']}/{m['max_requests']} requests, "
      f"check {m['duration_ms']/1000:.2f} s, process {float(sys.argv[5])-float(sys.argv[4]):.2f} s, {len(ids)} ai ids")
PY
  done
done
