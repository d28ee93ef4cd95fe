#!/usr/bin/env bash
# Issue 6's monitor figures (BENCHMARKS.md, "Monitoring"): 1,000,000 datapoints of one minute
# ingested and alarmed on, and a dashboard's 20 queries of 7 days against the metric store and
# against SQLite. After `make build`; BUILD picks another release tree, OUT the results file, and
# further arguments go to the program (--points N --series S --rounds R).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD:-build/release}
out=${OUT:-bench/results/monitor.json}
if [ ! -x "$build/bench/monitor_bench" ]; then
  echo "monitor_bench.sh: no $build/bench/monitor_bench (make build, or BUILD=build/<release tree>)" >&2
  exit 2
fi
{
  printf '{"machine":"%s, %s cores","started":"%s","result":' "$(uname -srm)" "$(nproc)" \
    "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  "$build/bench/monitor_bench" "$@"
  printf '}\n'
} >"$out"
cat "$out"
