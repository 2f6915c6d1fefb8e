#!/usr/bin/env bash
# Runs one fuzz target (already built with `cargo +nightly fuzz build -O -a -s none`) under
# nice, single job, until RUNS executions or SECONDS seconds; logs to fuzz/logs/.
# Usage: fuzz/run.sh TARGET RUNS SECONDS [extra libFuzzer flags]
set -euo pipefail
cd "$(dirname "$0")"
target=$1 runs=$2 secs=$3
shift 3
bin=${CARGO_TARGET_DIR:-target}/x86_64-unknown-linux-gnu/release/$target
mkdir -p "corpus/$target" "artifacts/$target" logs
case $target in
  ingest|rule) max_len=65536 ;;
  *) max_len=4096 ;;
esac
log=logs/$target-$(date +%H%M%S).log
echo "log: $log"
RAYON_NUM_THREADS=1 exec nice -n 10 "$bin" "corpus/$target" \
  -artifact_prefix="artifacts/$target/" -max_len=$max_len -rss_limit_mb=4096 -timeout=10 \
  -runs="$runs" -max_total_time="$secs" -print_final_stats=1 "$@" >"$log" 2>&1
