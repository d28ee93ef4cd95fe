#!/usr/bin/env bash
# Benchmarks an apply that launches 1,000 instances (issue 5): bench/apply_bench against a fresh
# `ec2m sim serve` each time (delays 0), journaling into SQLite, at the apply's default 16 steps
# in flight and at 1, and without a journal (its cost isolated); then, with LATENCY_MS injected
# into every EC2 call, 16 against 1 on LAT_INSTANCES instances (what parallel steps buy when calls
# are slow, as on EC2). Peer: the AWS CLI launching instances one by one as a hand-run script
# would (run-instances with a ClientToken and tags), PEER_RUNS of them timed and extrapolated.
# Writes bench/results/apply.json and prints a summary. Builds nothing: `make build` first.
# Knobs: INSTANCES (1000) REPEAT (3) LATENCY_MS (100) LAT_INSTANCES (200) PEER_RUNS (20) OUT BUILD.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$root/build/release}
OUT=${OUT:-$root/bench/results/apply.json}
INSTANCES=${INSTANCES:-1000}
REPEAT=${REPEAT:-3}
LATENCY_MS=${LATENCY_MS:-100}
LAT_INSTANCES=${LAT_INSTANCES:-200}
PEER_RUNS=${PEER_RUNS:-20}

for tool in "$BUILD/ec2m" "$BUILD/bench/apply_bench" jq aws; do
  command -v "$tool" >/dev/null || [ -x "$tool" ] || { echo "apply_bench: $tool not found" >&2; exit 2; }
done

BENCH=apply_bench
# shellcheck source=bench/sim_lib.sh
source "$(dirname "$0")/sim_lib.sh"

# run_case NAME SIM_CONFIG KEEP ARGS...: apply_bench on a fresh sim; writes $work/NAME.json with
# the load average before and after and the sim's CPU time. KEEP=1 leaves the sim running.
run_case() {
  local name=$1 sim_config=$2 keep=$3
  shift 3
  start_sim "$name" "$sim_config"
  local load_before
  load_before=$(cut -d' ' -f1-3 /proc/loadavg)
  echo "apply_bench: $name: $*" >&2
  "$BUILD/bench/apply_bench" --endpoint "$url" "$@" >"$work/$name.stdout"
  jq --arg before "$load_before" --arg after "$(cut -d' ' -f1-3 /proc/loadavg)" \
    --argjson sim_cpu "$(sim_cpu)" \
    '. + {load_before: $before, load_after: $after, sim_cpu_s: $sim_cpu}' \
    "$work/$name.stdout" >"$work/$name.json"
  jq -r '"  create \(.create.apply.wall_s * 1000 | floor) ms, replace all \(.replace_all.apply.wall_s * 1000 | floor) ms (load \(.load_before))"' \
    "$work/$name.json" >&2
  [ "$keep" = 1 ] || stop_sim
}

# repeat_case NAME ARGS...: REPEAT runs; keeps them all, in order, in $work/NAME.all.json.
repeat_case() {
  local name=$1
  shift
  for i in $(seq 1 "$REPEAT"); do
    run_case "$name-$i" "" 0 "$@"
  done
  jq -s '.' "$work/$name"-[0-9]*.json >"$work/$name.all.json"
}

repeat_case parallel16 --instances "$INSTANCES" --parallelism 16
repeat_case sequential --instances "$INSTANCES" --parallelism 1
repeat_case no_journal --instances "$INSTANCES" --parallelism 16 --journal none
latency="{\"faults\": {\"latency_ms\": $LATENCY_MS}}"
run_case latency16 "$latency" 0 --instances "$LAT_INSTANCES" --parallelism 16
run_case latency1 "$latency" 0 --instances "$LAT_INSTANCES" --parallelism 1

# The peer, on a sim holding the environment an apply made (its subnets and groups).
run_case peer-env "" 1 --instances "$INSTANCES" --parallelism 16
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-west-2 AWS_PAGER=
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
ec2=(aws --endpoint-url "$url" --output json ec2)
subnet=$("${ec2[@]}" describe-subnets --filters Name=tag:Environment,Values=bench \
  Name=tag:ec2m:logical-id,Values=SubnetPrivateA --query 'Subnets[0].SubnetId' --output text)
group=$("${ec2[@]}" describe-security-groups --filters Name=tag:Environment,Values=bench \
  Name=tag:ec2m:logical-id,Values=SecurityGroupSg0 --query 'SecurityGroups[0].GroupId' --output text)
case "$subnet$group" in *None*|"") echo "apply_bench: no subnet or group for the peer" >&2; exit 1 ;; esac
echo "apply_bench: the AWS CLI launching $PEER_RUNS instances one by one" >&2
printf '#!/bin/sh\necho apply-bench v1\n' >"$work/user-data.sh"
: >"$work/peer-times"
: >"$work/peer-ids"
for i in $(seq 1 "$PEER_RUNS"); do
  tags="ResourceType=instance,Tags=[{Key=ManagedBy,Value=ec2m},{Key=Environment,Value=bench-peer},"
  tags+="{Key=Service,Value=bench},{Key=Name,Value=bench-peer-$i},{Key=ec2m:logical-id,Value=Peer$i},"
  tags+="{Key=ec2m:spec,Value=peer},{Key=ec2m:settings,Value=peer}]"
  start=$(date +%s%N)
  "${ec2[@]}" run-instances --image-id ami-0abcdef1234567890 --instance-type t3.micro \
    --count 1 --subnet-id "$subnet" --security-group-ids "$group" \
    --user-data "file://$work/user-data.sh" --client-token "bench-peer-$$-$i" \
    --tag-specifications "$tags" --query 'Instances[0].InstanceId' --output text >>"$work/peer-ids"
  echo $(( ($(date +%s%N) - start) / 1000 )) >>"$work/peer-times"
done
start=$(date +%s%N)
# shellcheck disable=SC2046  # one argument per id
"${ec2[@]}" wait instance-running --instance-ids $(cat "$work/peer-ids")
wait_us=$(( ($(date +%s%N) - start) / 1000 ))
launched=$(grep -c '^i-' "$work/peer-ids")
stop_sim

mkdir -p "$(dirname "$OUT")"
jq -n --arg when "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --arg commit "$(git -C "$root" rev-parse --short HEAD)" \
  --arg machine "$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(. /etc/os-release; echo "$PRETTY_NAME")" \
  --arg aws "$(aws --version 2>&1)" --arg load "$(cut -d' ' -f1-3 /proc/loadavg)" \
  --argjson latency_ms "$LATENCY_MS" --argjson instances "$INSTANCES" \
  --slurpfile p16 "$work/parallel16.all.json" --slurpfile p1 "$work/sequential.all.json" \
  --slurpfile nj "$work/no_journal.all.json" \
  --slurpfile l16 "$work/latency16.json" --slurpfile l1 "$work/latency1.json" \
  --rawfile times "$work/peer-times" --argjson launched "$launched" --argjson wait_us "$wait_us" \
  '# The run whose create took the median time, and every run'"'"'s two wall times.
   def median_run: sort_by(.create.apply.wall_s) | .[(length - 1) / 2 | floor];
   def walls: map({create_s: .create.apply.wall_s, replace_all_s: .replace_all.apply.wall_s,
                   load_before: .load_before});
   ($times | split("\n") | map(select(length > 0) | tonumber / 1e6)) as $t |
   {when: $when, commit: $commit, machine: $machine, aws_cli: $aws, load_after: $load,
    parallel16: ($p16[0] | median_run), parallel16_runs: ($p16[0] | walls),
    sequential: ($p1[0] | median_run), sequential_runs: ($p1[0] | walls),
    no_journal: ($nj[0] | median_run), no_journal_runs: ($nj[0] | walls),
    latency: {latency_ms: $latency_ms, parallel16: $l16[0], sequential: $l1[0]},
    aws_cli_run_instances: {
      invocations: ($t | length), launched: $launched, seconds: $t,
      mean_s: (($t | add) / ($t | length)), median_s: ($t | sort | .[(length - 1) / 2 | floor]),
      extrapolated_s_for_instances: ((($t | add) / ($t | length)) * $instances),
      extrapolated_for: $instances, wait_instance_running_s: ($wait_us / 1e6)}}' >"$OUT"
jq -r '"create \(.parallel16.resources) resources (\(.parallel16.instances) instances), 16 in flight: \(.parallel16.create.apply.wall_s * 1000 | floor) ms, \(.parallel16.create.apply.calls) EC2 calls, \(.parallel16.create.apply.journal.writes) journal writes (\(.parallel16.create.apply.journal.total_ms | floor) ms in them)",
  "replace all \(.parallel16.instances) instances, 16 in flight: \(.parallel16.replace_all.apply.wall_s * 1000 | floor) ms, \(.parallel16.replace_all.apply.calls) EC2 calls",
  "1 in flight: create \(.sequential.create.apply.wall_s * 1000 | floor) ms, replace all \(.sequential.replace_all.apply.wall_s * 1000 | floor) ms",
  "no journal, 16 in flight: create \(.no_journal.create.apply.wall_s * 1000 | floor) ms, replace all \(.no_journal.replace_all.apply.wall_s * 1000 | floor) ms",
  "\(.latency.latency_ms) ms per EC2 call, \(.latency.parallel16.instances) instances: create \(.latency.parallel16.create.apply.wall_s * 10 | floor / 10) s at 16, \(.latency.sequential.create.apply.wall_s * 10 | floor / 10) s at 1",
  "the AWS CLI, one run-instances per instance: \(.aws_cli_run_instances.mean_s * 1000 | floor) ms each (mean of \(.aws_cli_run_instances.invocations)); extrapolated to \(.aws_cli_run_instances.extrapolated_for): \(.aws_cli_run_instances.extrapolated_s_for_instances | floor) s",
  "machine: \(.machine); load after: \(.load_after)"' "$OUT"
