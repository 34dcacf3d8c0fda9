#!/usr/bin/env bash
# Short fuzzing run of every target: bash fuzz/run.sh [SECONDS_PER_TARGET]
# Needs cargo-fuzz (`cargo install cargo-fuzz`). libFuzzer needs nightly-only flags; on a stable
# toolchain RUSTC_BOOTSTRAP=1 enables them, and `--sanitizer none` avoids the ASan runtime.
# New corpus entries go to fuzz/corpus/<target> (git-ignored); committed seeds are in fuzz/seeds.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
export RUSTC_BOOTSTRAP=1
cargo fuzz build --sanitizer none -O
bin=fuzz/target/x86_64-unknown-linux-gnu/release
printf '| target | seconds | executions | exec/s | crashes |\n|---|---|---|---|---|\n'
for t in config email_records html_assets secret_engine; do
  mkdir -p "fuzz/corpus/$t" fuzz/artifacts
  log=$(mktemp)
  rc=0
  "$bin/$t" "fuzz/corpus/$t" "fuzz/seeds/$t" -max_total_time="$secs" -max_len=65536 \
    -artifact_prefix="fuzz/artifacts/$t-" -print_final_stats=1 >"$log" 2>&1 || rc=$?
  execs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo 0)
  crashes=$(find fuzz/artifacts -name "$t-*" | wc -l)
  printf '| %s | %s | %s | %s | %s |\n' "$t" "$secs" "$execs" "$((execs / secs))" "$crashes"
  [ "$rc" -eq 0 ] || { echo "target $t failed (exit $rc), see $log" >&2; tail -30 "$log" >&2; }
done
