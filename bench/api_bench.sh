#!/usr/bin/env bash
# Benchmarks the control plane's REST API and CLI (issue 4), each against its peer in the same run:
#   1. wrk on GET /api/v1/instances?limit=100 with a valid token, 64 connections, against nginx
#      serving the very same response bytes from a file (the practical ceiling on this machine);
#   2. `ec2m instances list` (every page, JSON) against `aws ec2 describe-instances` on the
#      embedded region's EC2 endpoint, same fleet, wall time by hyperfine.
# Writes bench/results/api.json and prints a table. Builds nothing: `make build` first.
# Knobs: FLEET (10000) WRK_SECONDS (15) ROUNDS (5) CONNECTIONS (64) THREADS (2) RUNS (5) OUT EC2M.
# The two servers take turns, ROUNDS times: each figure is the median over the rounds, and the
# ratio is the median of the rounds' ratios (one run each was too noisy on 2 shared cores).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
EC2M=${EC2M:-$root/build/release/ec2m}
OUT=${OUT:-$root/bench/results/api.json}
FLEET=${FLEET:-10000}
WRK_SECONDS=${WRK_SECONDS:-15}
ROUNDS=${ROUNDS:-5}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
RUNS=${RUNS:-5}

for tool in "$EC2M" wrk nginx hyperfine jq curl aws; do
  command -v "$tool" >/dev/null || [ -x "$tool" ] || { echo "api_bench: $tool not found" >&2; exit 2; }
done

# shellcheck source=bench/http_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/http_lib.sh"
bench_workdir api-bench

# --- ec2m serve with one simulated environment
mkdir -p "$work/config"
cat >"$work/config/dev.json" <<'JSON'
{"environment": "dev", "region": "us-west-2", "cloud": {"provider": "sim"}}
JSON
ec2_port=$(free_port)
cat >"$work/ec2m.json" <<JSON
{"listen": "127.0.0.1:0", "data_dir": "data", "environments_dir": "config",
 "ec2_listen": "127.0.0.1:$ec2_port", "access_log": false, "reconcile_seconds": 3600,
 "http": {"rate_limit_per_second": 1000000, "rate_limit_burst": 10000000}}
JSON
"$EC2M" serve --config "$work/ec2m.json" >"$work/serve.out" 2>"$work/serve.err" &
pids+=($!)
for _ in $(seq 1 300); do grep -q '^Console:' "$work/serve.out" && break; sleep 0.1; done
url=$(sed -n 's/^Console: \(.*\)\/$/\1/p' "$work/serve.out")
read -r email password < <(sed -n 's/^Admin: \(.*\) \(.*\)$/\1 \2/p' "$work/serve.out")
[ -n "$url" ] || { echo "api_bench: ec2m serve did not start" >&2; cat "$work/serve.err" >&2; exit 1; }
token=$(curl -sf -X POST "$url/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d "{\"email\":\"$email\",\"password\":\"$password\"}" | jq -r .token)

# --- the fleet, launched through the EC2 endpoint with the AWS CLI, tagged into dev
# The endpoint's keys are generated on first start; its line carries them.
read -r AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY < <(sed -n \
  's/^EC2 endpoint: .*access key \([^,]*\), secret \([^)]*\))$/\1 \2/p' "$work/serve.out")
export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_DEFAULT_REGION=us-west-2 AWS_PAGER=
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
ec2_url="http://127.0.0.1:$ec2_port"
# A default subnet (/20) holds 4,091 instances: the batches go round the four zones.
zones=(us-west-2a us-west-2b us-west-2c us-west-2d)
left=$FLEET
batch=0
while [ "$left" -gt 0 ]; do
  n=$((left > 1000 ? 1000 : left))
  aws --endpoint-url "$ec2_url" ec2 run-instances --image-id ami-0abcdef1234567890 \
    --instance-type t3.micro --count "$n" --placement "AvailabilityZone=${zones[batch % 4]}" \
    --tag-specifications 'ResourceType=instance,Tags=[{Key=Environment,Value=dev},{Key=Name,Value=web}]' \
    >/dev/null
  left=$((left - n))
  batch=$((batch + 1))
done
curl -sf -X POST "$url/api/v1/instances/refresh" -H "Authorization: Bearer $token" \
  -H 'Content-Type: application/json' -d '{}' >/dev/null
path='/api/v1/instances?limit=100'
curl -sf "$url$path" -H "Authorization: Bearer $token" -o "$work/instances.json"
bytes=$(stat -c %s "$work/instances.json")
listed=$(jq '.items | length' "$work/instances.json")
[ "$listed" = 100 ] || { echo "api_bench: expected 100 items, got $listed" >&2; exit 1; }

# --- nginx serving the same bytes
start_nginx "$work/instances.json"
cmp -s <(curl -sf "http://127.0.0.1:$nginx_port$path") "$work/instances.json" \
  || { echo "api_bench: nginx does not serve the same bytes" >&2; exit 1; }

# wrk's requests/s, p99 in ms and non-2xx answers.
run_wrk() {
  local rps p99 errors
  read -r rps _ p99 errors < <(wrk_stats -t"$THREADS" -c"$CONNECTIONS" -d"${WRK_SECONDS}s" "$@")
  echo "$rps $p99 $errors"
}
echo "api_bench: warm-up"
wrk -t"$THREADS" -c"$CONNECTIONS" -d3s -H "Authorization: Bearer $token" "$url$path" >/dev/null
wrk -t"$THREADS" -c"$CONNECTIONS" -d3s "http://127.0.0.1:$nginx_port$path" >/dev/null
rounds_json='[]'
for round in $(seq 1 "$ROUNDS"); do
  read -r e_rps e_p99 e_errors < <(run_wrk -H "Authorization: Bearer $token" "$url$path")
  read -r n_rps n_p99 _ < <(run_wrk "http://127.0.0.1:$nginx_port$path")
  echo "api_bench: round $round: ec2m $e_rps req/s p99 $e_p99 ms; nginx $n_rps req/s p99 $n_p99 ms"
  rounds_json=$(jq -c --argjson e "$e_rps" --argjson ep "$e_p99" --argjson ee "$e_errors" \
    --argjson n "$n_rps" --argjson np "$n_p99" \
    '. + [{ec2m_rps: $e, ec2m_p99_ms: $ep, ec2m_non_2xx: $ee, nginx_rps: $n, nginx_p99_ms: $np,
           ratio: ($e / $n)}]' <<<"$rounds_json")
done
median() { jq "[.[].$1] | sort | .[length / 2 | floor]" <<<"$rounds_json"; }
ec2m_rps=$(median ec2m_rps)
ec2m_p99=$(median ec2m_p99_ms)
ec2m_p99_max=$(jq '[.[].ec2m_p99_ms] | max' <<<"$rounds_json")
ec2m_errors=$(jq '[.[].ec2m_non_2xx] | add' <<<"$rounds_json")
nginx_rps=$(median nginx_rps)
nginx_p99=$(median nginx_p99_ms)
ratio=$(median ratio)

# --- the CLI against the AWS CLI, same fleet
export EC2M_SERVER=$url EC2M_TOKEN=$token EC2M_CONFIG_DIR=$work/cli
"$EC2M" instances list --env dev -o json >"$work/cli.json"
cli_count=$(jq length "$work/cli.json")
aws_count=$(aws --endpoint-url "$ec2_url" ec2 describe-instances --output json \
  --query 'length(Reservations[].Instances[])')
hyperfine --runs "$RUNS" --warmup 1 --export-json "$work/hyperfine.json" \
  "$EC2M instances list --env dev -o json" \
  "aws --endpoint-url $ec2_url ec2 describe-instances --output json" >/dev/null
cli_s=$(jq '.results[0].median' "$work/hyperfine.json")
aws_s=$(jq '.results[1].median' "$work/hyperfine.json")

mkdir -p "$(dirname "$OUT")"
jq -n --arg when "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --arg commit "$(git -C "$root" rev-parse --short HEAD)" \
  --arg machine "$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(. /etc/os-release; echo "$PRETTY_NAME")" \
  --arg load "$(cut -d' ' -f1-3 /proc/loadavg)" \
  --argjson fleet "$FLEET" --argjson bytes "$bytes" --argjson connections "$CONNECTIONS" \
  --argjson seconds "$WRK_SECONDS" --argjson rounds "$rounds_json" --argjson ratio "$ratio" \
  --argjson ec2m_p99_max "$ec2m_p99_max" \
  --argjson ec2m_rps "$ec2m_rps" --argjson ec2m_p99 "$ec2m_p99" --argjson ec2m_errors "$ec2m_errors" \
  --argjson nginx_rps "$nginx_rps" --argjson nginx_p99 "$nginx_p99" \
  --argjson cli_s "$cli_s" --argjson aws_s "$aws_s" \
  --argjson cli_count "$cli_count" --argjson aws_count "$aws_count" \
  '{when: $when, commit: $commit, machine: $machine, load_after: $load, fleet: $fleet,
    rest: {path: "/api/v1/instances?limit=100", response_bytes: $bytes, connections: $connections,
           seconds: $seconds, rounds: $rounds,
           ec2m: {rps: $ec2m_rps, p99_ms: $ec2m_p99, p99_max_ms: $ec2m_p99_max,
                  non_2xx: $ec2m_errors},
           nginx: {rps: $nginx_rps, p99_ms: $nginx_p99},
           ratio: $ratio},
    cli: {instances: $cli_count, aws_instances: $aws_count, ec2m_median_s: $cli_s,
          aws_median_s: $aws_s, ratio: ($aws_s / $cli_s)}}' >"$OUT"

jq -r '"REST GET \(.rest.path) (\(.rest.response_bytes) bytes), \(.rest.connections) connections, \(.rest.rounds | length) rounds of \(.rest.seconds) s each (medians):",
  "  ec2m  \(.rest.ec2m.rps) req/s, p99 \(.rest.ec2m.p99_ms) ms (worst round \(.rest.ec2m.p99_max_ms) ms), non-2xx \(.rest.ec2m.non_2xx)",
  "  nginx \(.rest.nginx.rps) req/s, p99 \(.rest.nginx.p99_ms) ms",
  "  ec2m / nginx = \(.rest.ratio * 100 | floor) % (median of the rounds ratios)",
  "CLI listing \(.cli.instances) instances: ec2m \(.cli.ec2m_median_s) s, aws \(.cli.aws_median_s) s (median of runs): \(.cli.ratio | floor)x",
  "machine: \(.machine); load after: \(.load_after)"' "$OUT"
