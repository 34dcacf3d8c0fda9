#!/usr/bin/env bash
# Accuracy benchmark of the perf check against wrk, on loopback, over plain HTTP/1.1.
#
# Serves the sandbox's known delay schedules (`launchready demo --serve`), measures them with
# `launchready audit --only perf` and with wrk (Debian package `wrk`; oha is the issue's reference
# but `cargo install oha` is too slow to build here), and prints true vs measured p50/p95/p99.
#
#   /perf/delay/50   every request 50 ms               -> true p50 = p95 = p99 = 50 ms
#   /perf/schedule   90% at 20 ms, 10% at 400 ms        -> true p50 = 20 ms, p95 = p99 = 400 ms
#
# Usage: bench/perf.sh [path/to/launchready]   (default target/debug/launchready)
set -euo pipefail
BIN=${1:-target/debug/launchready}
command -v wrk >/dev/null || { echo "wrk not installed (apt-get install wrk)" >&2; exit 2; }
OUT=$(mktemp -d)
"$BIN" demo --serve >"$OUT/serve.txt" 2>&1 &
SERVE=$!
trap 'kill $SERVE 2>/dev/null || true; rm -rf "$OUT"' EXIT
for _ in $(seq 50); do grep -q "https port" "$OUT/serve.txt" 2>/dev/null && break; sleep 0.1; done
DNS=$(awk '/dns server:/ {print $3}' "$OUT/serve.txt")
HTTP=$(awk '/http port:/ {print $3}' "$OUT/serve.txt")
CA=$(awk '/CA file:/ {print $3}' "$OUT/serve.txt")

cat >"$OUT/bench.toml" <<TOML
[target]
domain = "acme-good.test"
http_port = $HTTP

[[endpoints]]
name = "delay50"
url = "http://api.acme-good.test:$HTTP/perf/delay/50"
samples = 200
concurrency = 2
p95_ms = 10000
timeout_ms = 10000

[[endpoints]]
name = "schedule"
url = "http://api.acme-good.test:$HTTP/perf/schedule"
samples = 200
concurrency = 2
p95_ms = 10000
timeout_ms = 10000
TOML

cat >"$OUT/pct.lua" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("wrk n=%d p50=%.2f p95=%.2f p99=%.2f\n", summary.requests,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
LUA

echo "launchready ($BIN), 200 samples, concurrency 2:"
"$BIN" audit --config "$OUT/bench.toml" --dns-server "$DNS" --ca-file "$CA" --only perf \
  --no-progress --format json --fail-on never |
  python3 -c 'import json,sys
for e in json.load(sys.stdin)["measurements"]["endpoints"]:
    print("  %-9s n=%d p50=%.2f p95=%.2f p99=%.2f" % (e["name"], e["samples"], e["p50_ms"], e["p95_ms"], e["p99_ms"]))'
echo "wrk 4.1 (-t1 -c2 -d8s):"
for p in delay/50 schedule; do
  printf "  %-9s " "${p##*/}"
  wrk -t1 -c2 -d8s -H "Host: api.acme-good.test" -s "$OUT/pct.lua" "http://127.0.0.1:$HTTP/perf/$p" | grep '^wrk' | sed 's/^wrk //'
done
