#!/usr/bin/env bash
# The HTTP layer under hostile load (issue 16): `ec2m serve` and nginx (the peer) under the same
# attacks, one after the other in the same run, each against freshly started servers, by
# bench/hostile_client.py (Python 3, standard library only):
#   1. IDLE keep-alive connections held open (each sends one complete GET /health/live and reads
#      its answer first, then stays silent): 100 health checks on fresh connections, one after
#      another (p50/p99/max), and the server's RSS before and with them open;
#   2. SLOW slowloris connections (a request line and headers a byte a second, never ending):
#      100 health checks spread over the header deadline, and when and how each is closed; then
#      LATE more that stay silent for 0.9 of the deadline before their first byte;
#   3. a chunked body of BODY_GB GiB POSTed to /api/v1/auth/login (ec2m) and to a proxied
#      /api/ location (nginx; the body is read before the upstream is tried): the status and when
#      it came, and the RSS growth sampled every 10 ms; the client ignores the answer and keeps
#      sending until the server stops taking bytes.
# ec2m runs with its defaults (header_timeout_ms HEADER_TIMEOUT_MS, max_body_bytes 1 MiB,
# max_connections 10000); when IDLE + 1 passes its max_connections the idle attack runs a second
# time against an ec2m with max_connections IDLE + 1000 (room for the checks). nginx: two workers,
# client_header_timeout = the same deadline, client_max_body_size 1m (its default), worker
# connections raised to hold IDLE.
# Writes bench/results/hostile-<date>.txt (the table) and .json (the clients' raw answers).
# Runs as root (ulimit -n). Builds nothing: `make build` first.
# Knobs: IDLE (10000) SLOW (1000) LATE (100) BODY_GB (4) HEADER_TIMEOUT_MS (10000) CHECKS (100)
#        CHECK_TIMEOUT (5 s) EC2M_MAX_CONNECTIONS (unset: ec2m's default) EC2M OUT.
# A quick run: IDLE=200 SLOW=20 BODY_GB=0.05 HEADER_TIMEOUT_MS=3000 bash bench/hostile_bench.sh
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
EC2M=${EC2M:-$root/build/release/ec2m}
IDLE=${IDLE:-10000}
SLOW=${SLOW:-1000}
LATE=${LATE:-100}
BODY_GB=${BODY_GB:-4}
HEADER_TIMEOUT_MS=${HEADER_TIMEOUT_MS:-10000}
CHECKS=${CHECKS:-100}
CHECK_TIMEOUT=${CHECK_TIMEOUT:-5}
EC2M_MAX_CONNECTIONS=${EC2M_MAX_CONNECTIONS:-}
stamp=$(date -u +%Y-%m-%dT%H%M)
OUT=${OUT:-$root/bench/results/hostile-$stamp}
# Debian's python3 (the standard library is all the client needs), else whatever is on PATH.
PYTHON=${PYTHON:-/usr/bin/python3}
[ -x "$PYTHON" ] || PYTHON=$(command -v python3)
client=$root/bench/hostile_client.py

for tool in "$EC2M" nginx curl jq "$PYTHON"; do
  command -v "$tool" >/dev/null || [ -x "$tool" ] || { echo "hostile_bench: $tool not found" >&2; exit 2; }
done

# Descriptors: IDLE connections in the client and in each server, plus room (raising the hard
# limit needs CAP_SYS_RESOURCE; without it, the hard limit is what there is).
ulimit -n $((IDLE + 5000)) 2>/dev/null || ulimit -n "$(ulimit -Hn)"
if [ "$(ulimit -n)" -lt $((IDLE + 1000)) ]; then
  echo "hostile_bench: ulimit -n is $(ulimit -n), too low for IDLE=$IDLE (run as root)" >&2
  exit 2
fi

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
# shellcheck source=bench/http_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/http_lib.sh"
bench_workdir hostile-bench

# Each attack meets freshly started servers, so that none inherits the heap another one grew.
ec2m_port='' ec2m_pid='' nginx_port='' nginx_master='' nginx_workers=''
results='{}'
record() { results=$(jq -c --arg k "$1" --argjson v "$2" '. + {($k): $v}' <<<"$results"); }

# start_ec2m NAME HTTP_JSON: ec2m serve with one simulated environment in $work/NAME; HTTP_JSON
# is ec2m.json's "http" object. Sets ec2m_port and ec2m_pid.
start_ec2m() {
  local name=$1 http=$2 dir=$work/$1
  mkdir -p "$dir/config"
  echo '{"environment": "dev", "region": "us-west-2", "cloud": {"provider": "sim"}}' >"$dir/config/dev.json"
  local ec2_port
  ec2_port=$(free_port)
  cat >"$dir/ec2m.json" <<JSON
{"listen": "127.0.0.1:0", "data_dir": "data", "environments_dir": "config",
 "ec2_listen": "127.0.0.1:$ec2_port", "access_log": false, "reconcile_seconds": 3600,
 "http": $http}
JSON
  "$EC2M" serve --config "$dir/ec2m.json" >"$dir/serve.out" 2>"$dir/serve.err" &
  ec2m_pid=$!
  pids+=("$ec2m_pid")
  for _ in $(seq 1 300); do grep -q '^Console:' "$dir/serve.out" && break; sleep 0.1; done
  local url
  url=$(sed -n 's/^Console: \(.*\)\/$/\1/p' "$dir/serve.out")
  [ -n "$url" ] || { echo "hostile_bench: ec2m $name did not start" >&2; cat "$dir/serve.err" >&2; exit 1; }
  curl -sf "$url/health/live" -o "$work/live.json"
  ec2m_port=${url##*:}
  echo "hostile_bench: ec2m $name on port $ec2m_port (pid $ec2m_pid), http $http"
}

# alive NAME PORT: after an attack, does the server still answer a health check (status, or 000)?
alive() {
  record "alive_$1" "\"$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$2/health/live" || true)\""
}

# stop_ec2m NAME: checks it still answers, stops it and keeps what it wrote on stderr besides the
# banner (warnings, errors; the access log is off), and its HTTP counters.
stop_ec2m() {
  alive "$1" "$ec2m_port"
  # The HTTP layer's own counters (GET /metrics): what it refused, and why.
  record "counters_$1" "$(curl -s --max-time 5 "http://127.0.0.1:$ec2m_port/metrics" |
    grep -E '^ec2m_http_(connections_open|refused_total|requests_quick_total)' |
    jq -Rn '[inputs | split(" ") | {(.[0]): (.[1] | tonumber)}] | add // {}')"
  kill -TERM "$ec2m_pid" 2>/dev/null || true
  wait "$ec2m_pid" 2>/dev/null || true
  local log
  log=$(grep -v -e '^Console:' -e '^Admin:' -e '^EC2 endpoint:' "$work/$1/serve.err" | tail -n 20 || true)
  record "log_$1" "$(jq -Rn --arg l "$log" '$l')"
}

# nginx: the same answer as ec2m's for /health/live (and every other GET); /api/ proxied to a
# port nobody listens on, so that a POST's body is read (and limited) before anything else.
header_s=$(awk -v ms="$HEADER_TIMEOUT_MS" 'BEGIN { printf "%g", ms / 1000 }')
# shellcheck disable=SC2034  # the three are read by start_nginx
NGINX_WORKER_CONNECTIONS=$((IDLE + 4096))
# shellcheck disable=SC2034
NGINX_MAIN="worker_rlimit_nofile $(ulimit -n);"
# shellcheck disable=SC2034
NGINX_SERVER="client_header_timeout ${header_s}s; location /api/ { proxy_pass http://127.0.0.1:$(free_port); }"
start_peer() {
  start_nginx "$work/live.json"
  nginx_master=${pids[-1]}
  nginx_workers=$(pgrep -P "$nginx_master" | paste -sd,)
  echo "hostile_bench: nginx on port $nginx_port (master $nginx_master, workers $nginx_workers)"
}
stop_peer() {
  alive "$1" "$nginx_port"
  kill -TERM "$nginx_master" 2>/dev/null || true
  wait "$nginx_master" 2>/dev/null || true
  record "log_$1" "$(jq -Rn --arg l "$(grep -v -e '\[notice\]' "$work/nginx/error.log" | tail -n 20 || true)" '$l')"
  rm -f "$work/nginx/error.log"
}

http_a="{\"header_timeout_ms\": $HEADER_TIMEOUT_MS}"
max_a=10000
if [ -n "$EC2M_MAX_CONNECTIONS" ]; then
  http_a="{\"header_timeout_ms\": $HEADER_TIMEOUT_MS, \"max_connections\": $EC2M_MAX_CONNECTIONS}"
  max_a=$EC2M_MAX_CONNECTIONS
fi
show() { jq -c '{opened, failed, open_when_checked, checks, patient_check}' <<<"$(jq ".$1" <<<"$results")"; }

# idle_attack PORT PIDS: IDLE idle keep-alive connections to PORT, the checks beside them, the RSS
# of PIDS; the client's JSON.
idle_attack() {
  "$PYTHON" "$client" idle --port "$1" --n "$IDLE" --pids "$2" --checks "$CHECKS" \
    --timeout "$CHECK_TIMEOUT"
}

# --- 1. idle keep-alive connections (and, on the same fresh servers first, the quiet checks)
start_ec2m ec2m_idle "$http_a"
echo "hostile_bench: health checks on a quiet server"
record quiet_ec2m "$("$PYTHON" "$client" checks --port "$ec2m_port" --n "$CHECKS" --timeout "$CHECK_TIMEOUT")"
echo "hostile_bench: $IDLE idle keep-alive connections: ec2m"
record idle_ec2m "$(idle_attack "$ec2m_port" "$ec2m_pid")"
show idle_ec2m
stop_ec2m ec2m_idle
if [ $((IDLE + 1)) -gt "$max_a" ]; then
  max_b=$((IDLE + 1000))
  start_ec2m ec2m_idle_room "{\"header_timeout_ms\": $HEADER_TIMEOUT_MS, \"max_connections\": $max_b}"
  echo "hostile_bench: $IDLE idle keep-alive connections: ec2m with max_connections $max_b"
  record idle_ec2m_room "$(idle_attack "$ec2m_port" "$ec2m_pid")"
  record idle_ec2m_room_max_connections "$max_b"
  show idle_ec2m_room
  stop_ec2m ec2m_idle_room
fi
start_peer
record quiet_nginx "$("$PYTHON" "$client" checks --port "$nginx_port" --n "$CHECKS" --timeout "$CHECK_TIMEOUT")"
echo "hostile_bench: $IDLE idle keep-alive connections: nginx"
record idle_nginx "$(idle_attack "$nginx_port" "$nginx_workers")"
show idle_nginx
stop_peer nginx_idle

# --- 2. slowloris
start_ec2m ec2m_slow "$http_a"
echo "hostile_bench: $SLOW slowloris connections, deadline ${header_s} s: ec2m"
record slow_ec2m "$("$PYTHON" "$client" slowloris --port "$ec2m_port" --n "$SLOW" --pids "$ec2m_pid" \
  --deadline "$header_s" --checks "$CHECKS" --timeout "$CHECK_TIMEOUT")"
stop_ec2m ec2m_slow
start_peer
echo "hostile_bench: $SLOW slowloris connections, deadline ${header_s} s: nginx"
record slow_nginx "$("$PYTHON" "$client" slowloris --port "$nginx_port" --n "$SLOW" --pids "$nginx_workers" \
  --deadline "$header_s" --checks "$CHECKS" --timeout "$CHECK_TIMEOUT")"
stop_peer nginx_slow
# The same, silent until 0.9 of the deadline before the first byte: is the deadline counted from
# the connection's start, or again from the first byte?
late_s=$(awk -v s="$header_s" 'BEGIN { printf "%g", s * 0.9 }')
start_ec2m ec2m_late "$http_a"
echo "hostile_bench: $LATE slowloris connections, first byte after $late_s s: ec2m"
record late_ec2m "$("$PYTHON" "$client" slowloris --port "$ec2m_port" --n "$LATE" --pids "$ec2m_pid" \
  --deadline "$header_s" --first-byte-after "$late_s" --checks "$CHECKS" --timeout "$CHECK_TIMEOUT")"
stop_ec2m ec2m_late
start_peer
echo "hostile_bench: $LATE slowloris connections, first byte after $late_s s: nginx"
record late_nginx "$("$PYTHON" "$client" slowloris --port "$nginx_port" --n "$LATE" --pids "$nginx_workers" \
  --deadline "$header_s" --first-byte-after "$late_s" --checks "$CHECKS" --timeout "$CHECK_TIMEOUT")"
stop_peer nginx_late

# --- 3. a chunked body
body_bytes=$(awk -v g="$BODY_GB" 'BEGIN { printf "%.0f", g * 1073741824 }')
start_ec2m ec2m_body "$http_a"
echo "hostile_bench: a chunked body of $BODY_GB GiB: ec2m"
record body_ec2m "$("$PYTHON" "$client" body --port "$ec2m_port" --path /api/v1/auth/login \
  --bytes "$body_bytes" --pids "$ec2m_pid")"
stop_ec2m ec2m_body
start_peer
echo "hostile_bench: a chunked body of $BODY_GB GiB: nginx"
record body_nginx "$("$PYTHON" "$client" body --port "$nginx_port" --path /api/v1/auth/login \
  --bytes "$body_bytes" --pids "$nginx_workers")"
stop_peer nginx_body

machine="$(nproc) cores ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(. /etc/os-release; echo "$PRETTY_NAME")"
results=$(jq -c --arg when "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --arg commit "$(git -C "$root" rev-parse --short HEAD)" \
  --arg machine "$machine" --arg load "$(cut -d' ' -f1-3 /proc/loadavg)" --arg load_before "$load_before" \
  --arg nginx "$(nginx -v 2>&1 | sed 's/^nginx version: //')" --arg ec2m "$EC2M" \
  --argjson idle "$IDLE" --argjson slow "$SLOW" --arg body_gb "$BODY_GB" --argjson nofile "$(ulimit -n)" \
  --argjson header_ms "$HEADER_TIMEOUT_MS" --argjson max_a "$max_a" \
  '{when: $when, commit: $commit, machine: $machine, load_before: $load_before, load_after: $load, nginx: $nginx,
    ec2m: $ec2m, ulimit_n: $nofile, idle: $idle, slow: $slow, body_gb: $body_gb, header_timeout_ms: $header_ms,
    ec2m_max_connections: $max_a} + .' <<<"$results")

mkdir -p "$(dirname "$OUT")"
printf '%s\n' "$results" | jq . >"$OUT.json"

# The table.
jq -r '
  .ec2m_max_connections as $max | .idle_ec2m_room_max_connections as $max_b |
  def ms: if . == null then "timeout" else (. * 10 | round / 10 | tostring) + " ms" end;
  def mib: (. / 1024 * 10 | round / 10 | tostring) + " MiB";
  def checks: "\(.ok)/\(.run) ok\(if .run < .planned then " (gave up after \(.run) of \(.planned))" else "" end), p50 \(.p50_ms | ms), p99 \(.p99_ms | ms), max \(.max_ms | ms)\(if (.failures | length) > 0 then ", failures \(.failures)" else "" end)";
  def idle(name): "| \(name) | \(.opened)/\(.connections) (\(.open_seconds) s)\(if (.failed | length) > 0 then ", failed \(.failed)" else "" end) | \(.open_when_checked)\(if .closed_by_server > 0 then " (the server closed \(.closed_by_server), the first after \(.first_closed_by_server_s) s)" else "" end) | \(.checks | checks)\(if .patient_check then "; one more check, waiting up to \(.patient_check.timeout_s) s: \(.patient_check | if .ok == 1 then "answered after \(.max_ms | ms)" else "\(.failures)" end)" else "" end) | \(.rss_before_kib | mib) → \(.rss_open_kib | mib) (+\((.rss_open_kib - .rss_before_kib) / .opened * 1024 | round) B a connection) |";
  def slow(name): "| \(name) | \(.opened)/\(.connections) | \(.checks | checks) | \(.closed_at_deadline) at the deadline (early \(.closed_early), late \(.closed_late), never \(.never_closed)); close after \(.close_min_s)–\(.close_max_s) s (p50 \(.close_p50_s)) | \(.answers | to_entries | map("\(.value)× \(.key)") | join(", ")) | \(.rss_before_kib | mib) → max \(.rss_max_kib | mib) |";
  def body(name): "| \(name) | \(.status // "none") after \(.status_s) s, \(.sent_at_status) bytes sent by then | \(.sender_end) after \(.sender_end_s) s, \(.sent) bytes taken in all | \(.rss_before_kib | mib) → max \(.rss_max_kib | mib): **+\(.rss_growth_kib | mib)** |";
  "hostile_bench \(.when), commit \(.commit), \(.machine); nginx \(.nginx); load (1, 5, 15 min) before \(.load_before), after \(.load_after)",
  "header deadline \(.header_timeout_ms) ms (ec2m http.header_timeout_ms, nginx client_header_timeout)",
  "",
  "| quiet server | health checks |", "|---|---|",
  "| ec2m | \(.quiet_ec2m | checks) |", "| nginx | \(.quiet_nginx | checks) |",
  "",
  "| \(.idle) idle keep-alive connections | opened | open at the checks | health checks (fresh connections) | RSS before → with them open |",
  "|---|---|---|---|---|",
  (.idle_ec2m | idle("ec2m (max_connections \($max))")),
  (if .idle_ec2m_room then (.idle_ec2m_room | idle("ec2m (max_connections \($max_b))")) else empty end),
  (.idle_nginx | idle("nginx (workers)")),
  "",
  "| slowloris: a byte a second | opened | health checks during | closed (the deadline counted from connect) | answers | RSS |",
  "|---|---|---|---|---|---|",
  (.slow_ec2m | slow("ec2m, \(.connections) connections, the first byte at once")),
  (.slow_nginx | slow("nginx (workers), \(.connections) connections, the first byte at once")),
  (.late_ec2m | slow("ec2m, \(.connections) connections silent for \(.first_byte_after_s) s first")),
  (.late_nginx | slow("nginx (workers), \(.connections) connections silent for \(.first_byte_after_s) s first")),
  "",
  "| a chunked body of \(.body_gb) GiB | status | connection | RSS before → max (growth) |",
  "|---|---|---|---|",
  (.body_ec2m | body("ec2m POST /api/v1/auth/login (max_body_bytes 1 MiB)")),
  (.body_nginx | body("nginx POST /api/ proxied (client_max_body_size 1m)")),
  "",
  "each server after its attack, GET /health/live: \(to_entries | map(select(.key | startswith("alive_"))) | map("\(.key | ltrimstr("alive_")) \(.value)") | join(", "))",
  (to_entries[] | select((.key | startswith("counters_")) and (.value | length) > 0) | "\(.key | ltrimstr("counters_")) /metrics after the attack: \(.value | to_entries | map(select(.value != 0)) | map("\(.key | sub("^ec2m_http_"; "")) \(.value)") | join(", "))"),
  (to_entries[] | select((.key | startswith("log_")) and .value != "") | "\(.key | ltrimstr("log_")) log (last lines):\n\(.value)")
' "$OUT.json" | tee "$OUT.txt"
echo "hostile_bench: wrote $OUT.txt and $OUT.json"
