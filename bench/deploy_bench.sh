#!/usr/bin/env bash
# Benchmarks a blue-green deployment of a 100-instance group (issue 7): bench/deploy_bench against
# a fresh `ec2m sim serve` each time (every delay 0: an instance runs, passes its checks and is
# terminated on the next read), REPEAT times; then once more with LATENCY_MS injected into every
# EC2 call (what the deployment costs when calls take as long as on EC2). In each run the peer is
# measured beside it: the same image change made by `provision` (stack::Apply replacing every
# instance) on a second environment of the same size. Writes bench/results/deploy.json and prints
# a summary, with the hash of src/release/deployer.cpp as it is now and when the bench was built
# (the work tree's engine is what is measured). Builds nothing: `make build` first (or
# BUILD=build/rel-me).
# Knobs: INSTANCES (100) REPEAT (3) LATENCY_MS (100; 0 skips that run) OUT BUILD.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$root/build/release}
case "$BUILD" in /*) ;; *) BUILD=$root/$BUILD ;; esac
OUT=${OUT:-$root/bench/results/deploy.json}
INSTANCES=${INSTANCES:-100}
REPEAT=${REPEAT:-3}
LATENCY_MS=${LATENCY_MS:-100}

for tool in "$BUILD/ec2m" "$BUILD/bench/deploy_bench" jq; do
  command -v "$tool" >/dev/null || [ -x "$tool" ] || { echo "deploy_bench: $tool not found" >&2; exit 2; }
done

BENCH=deploy_bench
# shellcheck source=bench/sim_lib.sh
source "$(dirname "$0")/sim_lib.sh"

zero_delays='"delays_ms": {"pending": 0, "stopping": 0, "shutting_down": 0, "initializing": 0}'

# run_case NAME SIM_CONFIG: deploy_bench on a fresh sim; writes $work/NAME.json with the load
# average before and after and the sim's CPU time.
run_case() {
  local name=$1 sim_config=$2
  start_sim "$name" "$sim_config"
  local load_before
  load_before=$(cut -d' ' -f1-3 /proc/loadavg)
  echo "deploy_bench: $name: $INSTANCES instances" >&2
  "$BUILD/bench/deploy_bench" --endpoint "$url" --instances "$INSTANCES" >"$work/$name.stdout"
  jq --arg before "$load_before" --arg after "$(cut -d' ' -f1-3 /proc/loadavg)" \
    --argjson sim_cpu "$(sim_cpu)" \
    '. + {load_before: $before, load_after: $after, sim_cpu_s: $sim_cpu}' \
    "$work/$name.stdout" >"$work/$name.json"
  jq -r '"  blue-green \(.blue_green.wall_ms | floor) ms (\(.blue_green.ec2_calls) calls, \(.blue_green.passes) passes), in place \(.in_place.wall_ms | floor) ms (\(.in_place.ec2_calls) calls) (load \(.load_before))"' \
    "$work/$name.json" >&2
  stop_sim
}

for i in $(seq 1 "$REPEAT"); do
  run_case "zero-$i" "{$zero_delays}"
done
jq -s '.' "$work"/zero-[0-9]*.json >"$work/zero.all.json"
if [ "$LATENCY_MS" -gt 0 ]; then
  run_case latency "{$zero_delays, \"faults\": {\"latency_ms\": $LATENCY_MS}}"
else
  echo 'null' >"$work/latency.json"
fi

mkdir -p "$(dirname "$OUT")"
jq -n --arg when "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --arg commit "$(git -C "$root" rev-parse --short HEAD)" \
  --arg machine "$(nproc) cores ($(lscpu | sed -n 's/^Model name: *//p')), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(. /etc/os-release; echo "$PRETTY_NAME")" \
  --arg load "$(cut -d' ' -f1-3 /proc/loadavg)" --argjson latency_ms "$LATENCY_MS" \
  --arg engine "$(cd "$root" && sha256sum src/release/deployer.cpp | cut -c1-12)" \
  --arg built "$(date -u -r "$BUILD/bench/deploy_bench" +%Y-%m-%dT%H:%M:%SZ)" \
  --slurpfile zero "$work/zero.all.json" --slurpfile lat "$work/latency.json" \
  '# The run whose blue-green deployment took the median time, and every run'"'"'s figures.
   def median_run: sort_by(.blue_green.wall_ms) | .[(length - 1) / 2 | floor];
   def walls: map({blue_green_ms: .blue_green.wall_ms, blue_green_overhead_ms: .blue_green.overhead_ms,
                   in_place_ms: .in_place.wall_ms, load_before: .load_before});
   {when: $when, commit: $commit, machine: $machine, load_after: $load,
    deployer_cpp_sha256: $engine, bench_built: $built,
    median: ($zero[0] | median_run), runs: ($zero[0] | walls),
    latency: (if $lat[0] == null then null else ($lat[0] + {latency_ms: $latency_ms}) end)}' >"$OUT"
jq -r '"blue-green, \(.median.instances) instances: \(.median.blue_green.wall_ms | floor) ms, \(.median.blue_green.ec2_calls) EC2 calls \(.median.blue_green.ec2_calls_by_action | to_entries | map("\(.key) \(.value.calls)") | join(", ")), \(.median.blue_green.passes) passes",
  "  an EC2 call in flight \(.median.blue_green.ec2_busy_ms | floor) ms (summed \(.median.blue_green.ec2_ms_sum | floor) ms); overhead \(.median.blue_green.overhead_ms | floor) ms (\(.median.blue_green.overhead_share * 100 | floor) %): the store alone \(.median.blue_green.store_outside_ec2_ms | floor) ms, the engine alone \(.median.blue_green.own_ms | floor) ms",
  "in place (provision), \(.median.instances) instances: \(.median.in_place.wall_ms | floor) ms, \(.median.in_place.ec2_calls) EC2 calls \(.median.in_place.ec2_calls_by_action | to_entries | map("\(.key) \(.value.calls)") | join(", "))",
  "  an EC2 call in flight \(.median.in_place.ec2_busy_ms | floor) ms (summed \(.median.in_place.ec2_ms_sum | floor) ms); overhead \(.median.in_place.overhead_ms | floor) ms (\(.median.in_place.overhead_share * 100 | floor) %): the store alone \(.median.in_place.store_outside_ec2_ms | floor) ms, the engine alone \(.median.in_place.own_ms | floor) ms",
  "runs: \(.runs | map("\(.blue_green_ms | floor)/\(.in_place_ms | floor) ms") | join(", "))",
  (if .latency == null then empty else "\(.latency.latency_ms) ms per call: blue-green \(.latency.blue_green.wall_ms / 1000 * 10 | floor / 10) s (overhead \(.latency.blue_green.overhead_ms | floor) ms, \(.latency.blue_green.overhead_share * 1000 | floor / 10) %), in place \(.latency.in_place.wall_ms / 1000 * 10 | floor / 10) s" end),
  "machine: \(.machine); load after: \(.load_after)"' "$OUT"
