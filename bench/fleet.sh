#!/usr/bin/env bash
# Fleet wall time: 20 sandbox targets (healthy and broken in turn, every check) with --jobs 4
# and --jobs 20, against each single audit alone. Every config is a copy of the sandbox's own,
# so each audit does the same work as `demo`.
# Usage: bash bench/fleet.sh [path/to/launchready]   (default target/release/launchready)
set -euo pipefail
BIN=${1:-target/release/launchready}
OUT=$(mktemp -d)
"$BIN" demo --serve > "$OUT/serve.txt" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; rm -rf "$OUT"' EXIT
for _ in $(seq 50); do grep -q "broken site" "$OUT/serve.txt" && break; sleep 0.2; done
DNS=$(awk '/dns server:/ {print $3}' "$OUT/serve.txt")
CA=$(awk '/CA file:/ {print $3}' "$OUT/serve.txt")
BROKEN=$(awk '/broken site:/ {print $3}' "$OUT/serve.txt")
HEALTHY=$(awk '/healthy site:/ {print $3}' "$OUT/serve.txt")
ARGS=()
for i in $(seq -w 0 19); do
  if [ $((10#$i % 2)) -eq 0 ]; then SRC=$HEALTHY; else SRC=$BROKEN; fi
  DST="$(dirname "$SRC")/fleet-$i.toml"
  cp "$SRC" "$DST"
  ARGS+=(--config "$DST")
done
t() { local s e; s=$(date +%s.%N); "$@" > /dev/null 2>&1 || true; e=$(date +%s.%N); echo "$e - $s" | bc; }
SLOW=0
for CFG in "$HEALTHY" "$BROKEN"; do
  T=$(t "$BIN" audit --config "$CFG" --dns-server "$DNS" --ca-file "$CA" --no-progress --format json)
  echo "single audit $(basename "$(dirname "$CFG")"): ${T} s"
  SLOW=$(echo "if ($T > $SLOW) $T else $SLOW" | bc)
done
for J in 4 20; do
  T=$(t "$BIN" audit "${ARGS[@]}" --jobs "$J" --dns-server "$DNS" --ca-file "$CA" --out-dir "$OUT/reports-$J" --format json)
  echo "fleet of 20, --jobs $J: ${T} s = $(echo "scale=2; $T / $SLOW" | bc) x the slowest single audit"
done
