#!/usr/bin/env bash
# Benchmarks `ec2m diff`'s work (issue 5): a plan of an environment of 5,000 resources against the
# simulated region (target: at most 0.5 s), with the AWS CLI reading the same resources through
# the same four Describe calls as the peer (what a script comparing them would have to do first).
# Writes bench/results/plan.json and prints a summary. Builds nothing: `make build` first.
# Knobs: RESOURCES (5000) RUNS (20) PEER_RUNS (5) OUT BUILD.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$root/build/release}
OUT=${OUT:-$root/bench/results/plan.json}
RESOURCES=${RESOURCES:-5000}
RUNS=${RUNS:-20}
PEER_RUNS=${PEER_RUNS:-5}

for tool in "$BUILD/ec2m" "$BUILD/bench/plan_bench" hyperfine jq aws; do
  command -v "$tool" >/dev/null || [ -x "$tool" ] || { echo "plan_bench: $tool not found" >&2; exit 2; }
done

work=$(mktemp -d /tmp/ec2m-plan-bench.XXXXXX)
pid=""
cleanup() {
  [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

"$BUILD/ec2m" sim serve --listen 127.0.0.1:0 --data-dir "$work/sim" >"$work/sim.out" 2>&1 &
pid=$!
for _ in $(seq 1 100); do grep -q 'serving' "$work/sim.out" && break; sleep 0.1; done
url=$(grep -o 'http://[0-9.:]*' "$work/sim.out")
[ -n "$url" ] || { echo "plan_bench: ec2m sim serve did not start" >&2; cat "$work/sim.out" >&2; exit 1; }

echo "plan_bench: making $RESOURCES resources on $url and planning them $RUNS times"
"$BUILD/bench/plan_bench" --endpoint "$url" --resources "$RESOURCES" --runs "$RUNS" >"$work/ec2m.json"

export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-west-2 AWS_PAGER=
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
filters='Name=tag:Environment,Values=bench Name=tag-key,Values=ec2m:logical-id'
peer="aws --endpoint-url $url --output json ec2 describe-vpcs --filters $filters >/dev/null &&
aws --endpoint-url $url --output json ec2 describe-subnets --filters $filters >/dev/null &&
aws --endpoint-url $url --output json ec2 describe-security-groups --filters $filters >/dev/null &&
aws --endpoint-url $url --output json ec2 describe-instances --filters $filters \
  Name=instance-state-name,Values=pending,running,stopping,stopped >/dev/null"
listed=$(aws --endpoint-url "$url" --output json ec2 describe-instances --filters $filters \
  --query 'length(Reservations[].Instances[])')
echo "plan_bench: the AWS CLI reading the same resources ($listed instances), $PEER_RUNS runs"
hyperfine --runs "$PEER_RUNS" --warmup 1 --export-json "$work/peer.json" "$peer" >/dev/null

mkdir -p "$(dirname "$OUT")"
jq -n --arg when "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --arg commit "$(git -C "$root" rev-parse --short HEAD)" \
  --arg machine "$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(. /etc/os-release; echo "$PRETTY_NAME")" \
  --arg load "$(cut -d' ' -f1-3 /proc/loadavg)" \
  --slurpfile ec2m "$work/ec2m.json" --slurpfile peer "$work/peer.json" --argjson listed "$listed" \
  '{when: $when, commit: $commit, machine: $machine, load_after: $load,
    ec2m: $ec2m[0],
    aws_cli_describe: {instances: $listed, median_s: $peer[0].results[0].median,
                       runs: $peer[0].results[0].times}}' >"$OUT"
jq -r '"plan of \(.ec2m.resources) resources (\(.ec2m.describe_calls) Describe calls): p50 \(.ec2m.plan.p50_ms) ms (reading \(.ec2m.plan.read_p50_ms) ms, comparing \(.ec2m.plan.compare_p50_ms) ms), p99 \(.ec2m.plan.p99_ms) ms",
  "plan with \(.ec2m.plan_with_changes.changes) changes: p50 \(.ec2m.plan_with_changes.p50_ms) ms",
  "the AWS CLI reading the same resources: \(.aws_cli_describe.median_s * 1000 | floor) ms (median)",
  "machine: \(.machine); load after: \(.load_after)"' "$OUT"
