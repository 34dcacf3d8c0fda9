#!/usr/bin/env bash
# Wall time and peak memory of a full audit (every check) against each hostile server.
#
# Builds the binary and the `hostile_server` example (tests/it/hostile_web.rs: drip, endless
# redirects, 4 GiB body, gzip bomb, 50 MB HTML, 20 MB one-line bundle, TLS garbage, TLS stall,
# truncated DNS), starts the servers, runs `/usr/bin/time -v launchready audit ...` per case and
# prints a Markdown table: case, wall time, peak RSS, exit code, finding/error.
#
# Usage: bench/hostile.sh [--release]     (default: the dev build, as the tests use)
# Needs /usr/bin/time (Debian: apt-get install time) and jq.
set -euo pipefail
cd "$(dirname "$0")/.."
PROFILE=debug
FLAGS=()
if [[ "${1:-}" == "--release" ]]; then PROFILE=release; FLAGS=(--release); fi
[[ -x /usr/bin/time ]] || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
command -v jq >/dev/null || { echo "needs jq" >&2; exit 2; }
cargo build -q "${FLAGS[@]}" --bin launchready --example hostile_server
BIN=target/$PROFILE/launchready
OUT=$(mktemp -d)
"target/$PROFILE/examples/hostile_server" >"$OUT/servers.txt" 2>&1 &
SERVE=$!
trap 'kill $SERVE 2>/dev/null || true; rm -rf "$OUT"' EXIT
for _ in $(seq 100); do grep -q '^ready' "$OUT/servers.txt" 2>/dev/null && break; sleep 0.1; done

# Per-case --timeout: the drip server is held to a 20 s deadline, the rest get the default.
timeout_for() { case "$1" in drip) echo 20 ;; *) echo 120 ;; esac; }
# The finding that shows what the case did (id of interest), per case.
focus() {
  case "$1" in
    drip) echo 'check.error|http.unreachable' ;;
    redirects) echo 'http.redirect_loop' ;;
    hugebody|gzipbomb) echo 'headers.no_hsts' ;;
    bightml|bightml40) echo 'http.no_compression' ;;
    longline) echo 'http.static_not_cached|exposure.secret_in_bundle' ;;
    tlsgarbage|tlsstall) echo 'tls.no_https' ;;
    dnstruncated) echo 'check.error' ;;
  esac
}

# One more: the 50 MB page as 40 configured pages (bodies are kept per page, so memory scales
# with the page list, not with the body size).
line=$(grep '^case bightml ' "$OUT/servers.txt")
cfg40=$OUT/bightml40.toml
pages=$(seq 0 39 | sed 's|.*|"/p&"|' | paste -sd, -)
sed "s|^\[target\]|[target]\npages = [$pages]|" "$(echo "$line" | sed 's/.*config=\([^ ]*\).*/\1/')" >"$cfg40"
echo "case bightml40 config=$cfg40 $(echo "$line" | awk '{print $4, $5}')" >>"$OUT/servers.txt"

echo "| case | wall time | peak RSS | exit | finding / error (first of its kind; evidence cut) |"
echo "|---|---|---|---|---|"
grep '^case ' "$OUT/servers.txt" | while read -r _ name cfg dns ca; do
  cfg=${cfg#config=}; dns=${dns#dns=}; ca=${ca#ca=}
  set +e
  /usr/bin/time -v -o "$OUT/$name.time" "$BIN" audit --config "$cfg" --dns-server "$dns" \
    --ca-file "$ca" --no-progress --format json --timeout "$(timeout_for "$name")" \
    >"$OUT/$name.json" 2>"$OUT/$name.err"
  code=$?
  set -e
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$OUT/$name.time")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f MB", $2/1024}' "$OUT/$name.time")
  finding=$(jq -r --arg re "^($(focus "$name"))\$" \
    '[.findings[] | select(.id | test($re))] | first | if . == null then "none" else "`\(.id)` \(.subject): \(.evidence | gsub("\n"; " ") | .[0:90])" end' \
    "$OUT/$name.json" | sed 's/|/\\|/g')
  echo "| $name | $wall | $rss | $code | $finding |"
done
