#!/usr/bin/env bash
# Cost of the sensitive-file and error probes of one host: starts `launchready demo --serve`,
# audits only the broken site's canonical host (www.acme-broken.test: no other subdomain) with
# `--only http`, five times, and prints the wall time of each run plus the requests the report
# says it sent to that host for sensitive files (and the budget).
#
# Usage: bench/release.sh [--release]      (default: the dev build, as the tests use)
# Needs jq.
set -euo pipefail
cd "$(dirname "$0")/.."
PROFILE=debug
FLAGS=()
if [[ "${1:-}" == "--release" ]]; then PROFILE=release; FLAGS=(--release); fi
command -v jq >/dev/null || { echo "needs jq" >&2; exit 2; }
cargo build -q "${FLAGS[@]}" --bin launchready
BIN=target/$PROFILE/launchready
OUT=$(mktemp -d)
"$BIN" demo --serve >"$OUT/serve.txt" 2>&1 &
SERVE=$!
trap 'kill $SERVE 2>/dev/null || true; rm -rf "$OUT"' EXIT
for _ in $(seq 100); do grep -q 'https port' "$OUT/serve.txt" 2>/dev/null && break; sleep 0.1; done
DNS=$(awk '/dns server:/ {print $3}' "$OUT/serve.txt")
HTTP=$(awk '/http port:/ {print $3}' "$OUT/serve.txt")
HTTPS=$(awk '/https port:/ {print $3}' "$OUT/serve.txt")
CA=$(awk '/CA file:/ {print $3}' "$OUT/serve.txt")
cat >"$OUT/www.toml" <<TOML
[target]
domain = "acme-broken.test"
canonical = "www"
http_port = $HTTP
https_port = $HTTPS
pages = ["/"]
TOML
echo "| run | wall (s) | sensitive-file requests to www | budget | exposure.sensitive_file | debug_mode + stack_trace |"
echo "|---|---|---|---|---|---|"
for i in 1 2 3 4 5; do
  t0=$(date +%s.%N)
  "$BIN" audit --config "$OUT/www.toml" --dns-server "$DNS" --ca-file "$CA" --only http \
    --format json --no-progress --fail-on never >"$OUT/r.json" || true
  t1=$(date +%s.%N)
  jq -r --arg run "$i" --arg wall "$(echo "$t1 - $t0" | bc)" '
    (.measurements.http.exposure_probes[] | select(.origin | contains("www.")) | .sensitive_files) as $s
    | "| \($run) | \($wall) | \($s.requests) | \($s.budget) | \([.findings[] | select(.id == "exposure.sensitive_file")] | length) | \([.findings[] | select(.id == "exposure.debug_mode" or .id == "exposure.stack_trace")] | length) |"' "$OUT/r.json"
done
