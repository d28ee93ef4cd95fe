#!/usr/bin/env bash
# What the security hardening (issue 15) costs, measured against the binary from before it in the
# same run (the peer), with nginx serving the same bytes as the ceiling:
#   1. wrk on GET /api/v1/instances?limit=100 with a token, 64 connections, each server in turn;
#   2. sign-in: wrk POSTing a correct sign-in, 8 connections (argon2id dominates both), and the
#      median of 20 single sign-ins one after another (curl).
# Usage: BEFORE=path/to/old/ec2m bench/hardening_bench.sh   (AFTER defaults to build/release/ec2m)
# Build the old one from a worktree at the commit before the hardening:
#   git worktree add --detach /tmp/before 5a134b2 && (cd /tmp/before && cmake --preset release &&
#   cmake --build --preset release --target ec2m)
# Knobs: FLEET (2000) ROUNDS (3) WRK_SECONDS (10) CONNECTIONS (64) LOGIN_CONNECTIONS (8) OUT.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BEFORE=${BEFORE:?set BEFORE to the ec2m binary built before the hardening}
AFTER=${AFTER:-$root/build/release/ec2m}
OUT=${OUT:-$root/bench/results/hardening.json}
FLEET=${FLEET:-2000}
ROUNDS=${ROUNDS:-3}
WRK_SECONDS=${WRK_SECONDS:-10}
CONNECTIONS=${CONNECTIONS:-64}
LOGIN_CONNECTIONS=${LOGIN_CONNECTIONS:-8}

for tool in "$BEFORE" "$AFTER" wrk nginx jq curl aws; do
  command -v "$tool" >/dev/null || [ -x "$tool" ] || { echo "hardening_bench: $tool not found" >&2; exit 2; }
done

# shellcheck source=bench/http_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/http_lib.sh"
bench_workdir hardening-bench

# start NAME BINARY [SETTINGS]: a server with one simulated environment and FLEET instances in
# it; SETTINGS: more ec2m.json members (",\"http\":{...}"). Sets url_NAME, token_NAME, email_NAME
# and password_NAME.
start() {
  local name=$1 bin=$2 dir=$work/$1 settings=${3:-}
  mkdir -p "$dir/config"
  echo '{"environment": "dev", "region": "us-west-2", "cloud": {"provider": "sim"}}' >"$dir/config/dev.json"
  local ec2_port
  ec2_port=$(free_port)
  cat >"$dir/ec2m.json" <<JSON
{"listen": "127.0.0.1:0", "data_dir": "data", "environments_dir": "config",
 "ec2_listen": "127.0.0.1:$ec2_port", "access_log": false, "reconcile_seconds": 3600$settings}
JSON
  "$bin" serve --config "$dir/ec2m.json" >"$dir/serve.out" 2>"$dir/serve.err" &
  pids+=($!)
  for _ in $(seq 1 300); do grep -q '^Console:' "$dir/serve.out" && break; sleep 0.1; done
  local url email password key secret token
  url=$(sed -n 's/^Console: \(.*\)\/$/\1/p' "$dir/serve.out")
  [ -n "$url" ] || { echo "hardening_bench: $name did not start" >&2; cat "$dir/serve.err" >&2; exit 1; }
  read -r email password < <(sed -n 's/^Admin: \(.*\) \(.*\)$/\1 \2/p' "$dir/serve.out")
  read -r key secret < <(sed -n 's/^EC2 endpoint: .*access key \([^,]*\), secret \([^)]*\))$/\1 \2/p' "$dir/serve.out")
  token=$(curl -sf -X POST "$url/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$email\",\"password\":\"$password\"}" | jq -r .token)
  local left=$FLEET batch=0 zones=(us-west-2a us-west-2b us-west-2c us-west-2d)
  while [ "$left" -gt 0 ]; do
    local n=$((left > 1000 ? 1000 : left))
    AWS_ACCESS_KEY_ID=$key AWS_SECRET_ACCESS_KEY=$secret AWS_DEFAULT_REGION=us-west-2 AWS_PAGER= \
      AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
      aws --endpoint-url "http://127.0.0.1:$ec2_port" ec2 run-instances \
      --image-id ami-0abcdef1234567890 --instance-type t3.micro --count "$n" \
      --placement "AvailabilityZone=${zones[batch % 4]}" \
      --tag-specifications 'ResourceType=instance,Tags=[{Key=Environment,Value=dev},{Key=Name,Value=web}]' >/dev/null
    left=$((left - n))
    batch=$((batch + 1))
  done
  curl -sf -X POST "$url/api/v1/instances/refresh" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' -d '{"env":"dev"}' >/dev/null
  printf -v "url_$name" '%s' "$url"
  printf -v "token_$name" '%s' "$token"
  printf -v "email_$name" '%s' "$email"
  printf -v "password_$name" '%s' "$password"
}

start before "$BEFORE"
# The per-user request limit (issue 16, after this bench was first run) would refuse a load of
# thousands a second from one token: it stays in the path, with room for the load.
start after "$AFTER" ',"http":{"rate_limit_per_second":1000000,"rate_limit_burst":10000000}'
path='/api/v1/instances?limit=100'
curl -sf "$url_after$path" -H "Authorization: Bearer $token_after" -o "$work/instances.json"
start_nginx "$work/instances.json"

run_wrk() { wrk_stats -t2 -d"${WRK_SECONDS}s" "$@"; }

# A correct sign-in as a wrk script.
login_script() {
  local email=$1 password=$2
  cat <<LUA
wrk.method = "POST"
wrk.body = '{"email":"$email","password":"$password"}'
wrk.headers["Content-Type"] = "application/json"
LUA
}
login_script "$email_before" "$password_before" >"$work/login_before.lua"
login_script "$email_after" "$password_after" >"$work/login_after.lua"

# The median of 20 single sign-ins, in ms.
single_login() {
  local url=$1 email=$2 password=$3
  for _ in $(seq 1 20); do
    curl -s -o /dev/null -w '%{time_total}\n' -X POST "$url/api/v1/auth/login" \
      -H 'Content-Type: application/json' -d "{\"email\":\"$email\",\"password\":\"$password\"}"
  done | sort -n | awk '{ v[NR] = $1 } END { printf "%.1f\n", v[int((NR + 1) / 2)] * 1000 }'
}

echo "hardening_bench: warm-up"
for who in before after; do
  url_var=url_$who token_var=token_$who
  wrk -t2 -c"$CONNECTIONS" -d3s -H "Authorization: Bearer ${!token_var}" "${!url_var}$path" >/dev/null
done
rounds='[]'
for round in $(seq 1 "$ROUNDS"); do
  read -r b_rps b_p50 b_p99 b_bad < <(run_wrk -c"$CONNECTIONS" -H "Authorization: Bearer $token_before" "$url_before$path")
  read -r a_rps a_p50 a_p99 a_bad < <(run_wrk -c"$CONNECTIONS" -H "Authorization: Bearer $token_after" "$url_after$path")
  read -r n_rps _ n_p99 _ < <(run_wrk -c"$CONNECTIONS" "http://127.0.0.1:$nginx_port$path")
  read -r bl_rps bl_p50 bl_p99 bl_bad < <(run_wrk -c"$LOGIN_CONNECTIONS" -s "$work/login_before.lua" "$url_before/api/v1/auth/login")
  read -r al_rps al_p50 al_p99 al_bad < <(run_wrk -c"$LOGIN_CONNECTIONS" -s "$work/login_after.lua" "$url_after/api/v1/auth/login")
  bs=$(single_login "$url_before" "$email_before" "$password_before")
  as=$(single_login "$url_after" "$email_after" "$password_after")
  echo "hardening_bench: round $round: listing before $b_rps req/s p99 $b_p99 ms, after $a_rps req/s p99 $a_p99 ms, nginx $n_rps; sign-in before $bl_rps/s (single $bs ms), after $al_rps/s (single $as ms)"
  rounds=$(jq -c --argjson b "$b_rps" --argjson bp "$b_p99" --argjson bb "$b_bad" \
    --argjson a "$a_rps" --argjson ap "$a_p99" --argjson ab "$a_bad" --argjson n "$n_rps" --argjson np "$n_p99" \
    --argjson bl "$bl_rps" --argjson blp "$bl_p99" --argjson blb "$bl_bad" \
    --argjson al "$al_rps" --argjson alp "$al_p99" --argjson alb "$al_bad" \
    --argjson bsm "$bs" --argjson asm "$as" \
    '. + [{listing: {before_rps: $b, before_p99_ms: $bp, before_non_2xx: $bb, after_rps: $a,
                     after_p99_ms: $ap, after_non_2xx: $ab, nginx_rps: $n, nginx_p99_ms: $np,
                     after_over_before: ($a / $b)},
           signin: {before_rps: $bl, before_p99_ms: $blp, before_non_2xx: $blb, after_rps: $al,
                    after_p99_ms: $alp, after_non_2xx: $alb, before_single_ms: $bsm,
                    after_single_ms: $asm, after_over_before: ($al / $bl)}}]' <<<"$rounds")
done

median() { jq "[.[] | $1] | sort | .[length / 2 | floor]" <<<"$rounds"; }
mkdir -p "$(dirname "$OUT")"
jq -n --arg when "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --arg commit "$(git -C "$root" rev-parse --short HEAD)" \
  --arg machine "$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(. /etc/os-release; echo "$PRETTY_NAME")" \
  --argjson fleet "$FLEET" --argjson rounds "$rounds" \
  --argjson lb "$(median .listing.before_rps)" --argjson la "$(median .listing.after_rps)" \
  --argjson lbp "$(median .listing.before_p99_ms)" --argjson lap "$(median .listing.after_p99_ms)" \
  --argjson ln "$(median .listing.nginx_rps)" --argjson lnp "$(median .listing.nginx_p99_ms)" \
  --argjson lr "$(median .listing.after_over_before)" \
  --argjson sb "$(median .signin.before_rps)" --argjson sa "$(median .signin.after_rps)" \
  --argjson sbs "$(median .signin.before_single_ms)" --argjson sas "$(median .signin.after_single_ms)" \
  --argjson sr "$(median .signin.after_over_before)" \
  '{when: $when, commit: $commit, machine: $machine, fleet: $fleet, rounds: $rounds,
    listing: {before_rps: $lb, after_rps: $la, before_p99_ms: $lbp, after_p99_ms: $lap,
              nginx_rps: $ln, nginx_p99_ms: $lnp, after_over_before: $lr},
    signin: {before_rps: $sb, after_rps: $sa, before_single_ms: $sbs, after_single_ms: $sas,
             after_over_before: $sr}}' >"$OUT"
jq -r '"REST GET /api/v1/instances?limit=100, 64 connections (medians of \(.rounds | length) rounds):",
  "  before \(.listing.before_rps) req/s p99 \(.listing.before_p99_ms) ms; after \(.listing.after_rps) req/s p99 \(.listing.after_p99_ms) ms (after/before \(.listing.after_over_before * 100 | floor) %); nginx \(.listing.nginx_rps) req/s p99 \(.listing.nginx_p99_ms) ms",
  "sign-in, 8 connections: before \(.signin.before_rps)/s, after \(.signin.after_rps)/s (after/before \(.signin.after_over_before * 100 | floor) %); one at a time: before \(.signin.before_single_ms) ms, after \(.signin.after_single_ms) ms",
  "machine: \(.machine)"' "$OUT"
