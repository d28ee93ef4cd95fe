#!/usr/bin/env bash
# Benchmarks the simulated region (`ec2m sim serve`) against moto (`moto_server`) on the same
# calls, fleets and client (bench/ec2_load), and writes bench/results/latest.json plus a table.
# Builds nothing: `make bench` builds the release tree first. BENCHMARKS.md explains the method.
#
# Scenarios, each on fresh servers:
#   run_instances        RunInstances count=1 on an empty region (ec2m: best-of-N short runs)
#   describe_instances   DescribeInstances, full listing, FLEET instances on both peers
#   big fleet            ec2m only: BIG_FLEET instances: RSS, DescribeInstances, SIGTERM and
#                        restart on the same data dir (time to the readiness line), RSS again
#
# Knobs (environment): FLEET BIG_FLEET RUN_CALLS RUN_REPEATS MOTO_RUN_CALLS DESCRIBE_CALLS
# MOTO_DESCRIBE_CALLS BIG_DESCRIBE_CALLS RUN_SECONDS DESCRIBE_SECONDS RESTARTS MAX_LOAD
# IDLE_WAIT_S (0 skips the wait for an idle machine) OUT EC2M LOAD MOTO.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
EC2M=${EC2M:-$root/build/release/ec2m}
LOAD=${LOAD:-$root/build/release/bench/ec2_load}
MOTO=${MOTO:-$( (pyenv which moto_server 2>/dev/null) || command -v moto_server || true)}
OUT=${OUT:-$root/bench/results/latest.json}

FLEET=${FLEET:-10000}
BIG_FLEET=${BIG_FLEET:-100000}
# The first zone's default subnet holds 4,091 addresses: an ec2m run stays below that.
RUN_CALLS=${RUN_CALLS:-4000}
RUN_REPEATS=${RUN_REPEATS:-3}
MOTO_RUN_CALLS=${MOTO_RUN_CALLS:-300}
RUN_SECONDS=${RUN_SECONDS:-20}
DESCRIBE_CALLS=${DESCRIBE_CALLS:-200}
MOTO_DESCRIBE_CALLS=${MOTO_DESCRIBE_CALLS:-3}
BIG_DESCRIBE_CALLS=${BIG_DESCRIBE_CALLS:-20}
DESCRIBE_SECONDS=${DESCRIBE_SECONDS:-30}
RESTARTS=${RESTARTS:-3}
MAX_LOAD=${MAX_LOAD:-1.5}
IDLE_WAIT_S=${IDLE_WAIT_S:-2400}
SETUP_SECONDS=1800  # per fleet setup
CALL_TIMEOUT_S=300  # one DescribeInstances on moto at 10,000 instances takes ~11 s

for bin in "$EC2M" "$LOAD"; do
  if [ ! -x "$bin" ]; then
    echo "bench: $bin not found: run 'make bench' (it builds the release tree)" >&2
    exit 2
  fi
done
if [ -z "$MOTO" ] || [ ! -x "$MOTO" ]; then
  echo "bench: moto_server not found (pip install 'moto[server]==5.2.1')" >&2
  exit 2
fi
command -v jq >/dev/null || { echo "bench: jq not found" >&2; exit 2; }

work=$(mktemp -d /tmp/ec2m-bench.XXXXXX)
pids=()

# Stops every server this script started: SIGTERM, then SIGKILL after 10 s.
cleanup() {
  local pid
  for pid in "${pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "bench: $*" >&2; }
now() { echo "$EPOCHREALTIME"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

# Forgets a server that has exited.
forget() {
  local keep=() pid
  for pid in "${pids[@]}"; do
    [ "$pid" = "$1" ] || keep+=("$pid")
  done
  pids=("${keep[@]}")
}

# Stops server $1 with SIGTERM and waits (at most 60 s) for it to exit; sets stopped_s to the
# seconds that took. Not in a subshell: it updates pids.
stop_server() {
  local pid=$1 t0
  t0=$(now)
  kill -TERM "$pid"
  for _ in $(seq 6000); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.01
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "pid $pid ignored SIGTERM for 60 s; killing it"
    kill -KILL "$pid"
  fi
  wait "$pid" 2>/dev/null || true
  forget "$pid"
  stopped_s=$(elapsed "$t0" "$(now)")
}

# memory PID -> {"rss_kb":..,"hwm_kb":..} from /proc/PID/status.
memory() {
  awk '/^VmRSS:/ { rss = $2 } /^VmHWM:/ { hwm = $2 }
       END { printf "{\"rss_kb\":%d,\"hwm_kb\":%d}", rss, hwm }' "/proc/$1/status"
}

# start_ec2m DATA_DIR: starts the simulated region; sets ec2m_pid, ec2m_url and ec2m_ready_s
# (seconds from the fork to the readiness line, polled every 5 ms).
start_ec2m() {
  local dir=$1 log_file t0 line
  mkdir -p "$dir"
  log_file="$dir.log"
  : >"$log_file"
  t0=$(now)
  "$EC2M" sim serve --listen 127.0.0.1:0 --data-dir "$dir" >"$log_file" 2>&1 &
  ec2m_pid=$!
  pids+=("$ec2m_pid")
  for _ in $(seq 12000); do  # 60 s
    line=$(grep -m1 '^ec2m sim: serving' "$log_file" || true)
    [ -n "$line" ] && break
    if ! kill -0 "$ec2m_pid" 2>/dev/null; then
      log "ec2m sim serve exited:"; cat "$log_file" >&2; exit 1
    fi
    sleep 0.005
  done
  ec2m_ready_s=$(elapsed "$t0" "$(now)")
  if [ -z "$line" ]; then
    log "ec2m sim serve printed no readiness line in 60 s"; cat "$log_file" >&2; exit 1
  fi
  ec2m_url=$(sed -E 's|.* at (http://[0-9.]+:[0-9]+).*|\1|' <<<"$line")
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_moto: starts moto_server on a free port; sets moto_pid and moto_url.
start_moto() {
  local port code
  port=$(free_port)
  "$MOTO" -H 127.0.0.1 -p "$port" >"$work/moto-$port.log" 2>&1 &
  moto_pid=$!
  pids+=("$moto_pid")
  moto_url="http://127.0.0.1:$port"
  for _ in $(seq 600); do  # 60 s
    code=$(curl -s -o /dev/null -w '%{http_code}' "$moto_url/moto-api/" || true)
    [ "$code" != "000" ] && return 0
    kill -0 "$moto_pid" 2>/dev/null || break
    sleep 0.1
  done
  log "moto_server did not answer on $moto_url:"; cat "$work/moto-$port.log" >&2; exit 1
}

# load URL ARGS...: one ec2_load run; prints its JSON. A failed call is fatal, with the client's
# message.
load() {
  local url=$1 out rc=0
  shift
  out=$("$LOAD" --endpoint "$url" --timeout "$CALL_TIMEOUT_S" "$@" 2>"$work/load.err") || rc=$?
  if [ "$rc" -ne 0 ]; then
    log "ec2_load $* against $url failed (exit $rc): $out"; cat "$work/load.err" >&2; exit 1
  fi
  echo "$out"
}

# check_fleet NAME URL N: fails unless a full DescribeInstances lists exactly N instances.
check_fleet() {
  local items
  items=$(load "$2" --call describe-instances --iterations 1 --count instanceId | jq .items)
  if [ "$items" != "$3" ]; then
    log "$1 lists $items instances, expected $3"; exit 1
  fi
}

wait_for_idle() {
  local waited=0 load1
  while :; do
    load1=$(cut -d' ' -f1 /proc/loadavg)
    if awk -v l="$load1" -v m="$MAX_LOAD" 'BEGIN { exit !(l < m) }'; then
      log "1-minute load average $load1 < $MAX_LOAD: starting"
      return 0
    fi
    if [ "$waited" -ge "$IDLE_WAIT_S" ]; then
      log "load average still $load1 after ${IDLE_WAIT_S} s: measuring anyway (recorded)"
      return 0
    fi
    log "1-minute load average $load1 >= $MAX_LOAD: waiting (${waited}/${IDLE_WAIT_S} s)"
    sleep 30
    waited=$((waited + 30))
  done
}

machine_json() {
  local cpu cores ram_kb kernel moto_version
  cpu=$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
  cores=$(nproc)
  ram_kb=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)
  kernel=$(uname -r)
  moto_version=$("$(head -1 "$MOTO" | sed 's/^#!//')" -c 'import moto; print(moto.__version__)' \
    2>/dev/null || echo unknown)
  jq -n --arg cpu "$cpu" --argjson cores "$cores" --argjson ram_kb "$ram_kb" --arg kernel "$kernel" \
    --arg moto "$moto_version" --arg commit "$(git -C "$root" rev-parse --short HEAD)" \
    '{cpu: $cpu, cores: $cores, ram_kb: $ram_kb, kernel: $kernel, moto_version: $moto,
      ec2m_commit: $commit}'
}

if [ "$IDLE_WAIT_S" -gt 0 ]; then
  wait_for_idle
fi
started_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
# Samples the 1-minute load average every 5 s while the benchmarks run (at most ~2.8 h).
(for _ in $(seq 2000); do cut -d' ' -f1 /proc/loadavg; sleep 5; done) >"$work/loadavg" &
sampler_pid=$!
pids+=("$sampler_pid")
machine=$(machine_json)

# --- RunInstances count=1 on an empty region -------------------------------------------------
log "RunInstances: ec2m, $RUN_REPEATS runs of at most $RUN_CALLS calls, each on a fresh region"
ec2m_runs="[]"
for rep in $(seq "$RUN_REPEATS"); do
  start_ec2m "$work/run-$rep"
  r=$(load "$ec2m_url" --call run-instances --iterations "$RUN_CALLS" --seconds "$RUN_SECONDS" \
    --warmup 1)
  ec2m_runs=$(jq -c --argjson r "$r" '. + [$r]' <<<"$ec2m_runs")
  stop_server "$ec2m_pid"
done
# The median run by calls/s stands for ec2m.
ec2m_run=$(jq -c 'sort_by(.calls_per_s) | .[length / 2 | floor]' <<<"$ec2m_runs")
log "RunInstances: moto, at most $MOTO_RUN_CALLS calls"
start_moto
moto_run=$(load "$moto_url" --call run-instances --iterations "$MOTO_RUN_CALLS" \
  --seconds "$RUN_SECONDS" --warmup 1)
stop_server "$moto_pid"

# --- DescribeInstances, full listing of FLEET instances --------------------------------------
log "DescribeInstances: launching $FLEET instances on each peer"
start_ec2m "$work/fleet"
ec2m_fleet_pid=$ec2m_pid ec2m_fleet_url=$ec2m_url
start_moto
ec2m_setup=$(load "$ec2m_fleet_url" --setup-instances "$FLEET" --seconds "$SETUP_SECONDS")
moto_setup=$(load "$moto_url" --setup-instances "$FLEET" --seconds "$SETUP_SECONDS")
check_fleet ec2m "$ec2m_fleet_url" "$FLEET"
check_fleet moto "$moto_url" "$FLEET"
ec2m_mem_fleet=$(memory "$ec2m_fleet_pid")
moto_mem_fleet=$(memory "$moto_pid")
log "DescribeInstances: ec2m, at most $DESCRIBE_CALLS calls; moto, $MOTO_DESCRIBE_CALLS calls"
ec2m_describe=$(load "$ec2m_fleet_url" --call describe-instances --iterations "$DESCRIBE_CALLS" \
  --seconds "$DESCRIBE_SECONDS" --warmup 1)
# No warm-up call for moto (it would cost as much as a measured one); check_fleet just made one.
moto_describe=$(load "$moto_url" --call describe-instances --iterations "$MOTO_DESCRIBE_CALLS" \
  --seconds "$CALL_TIMEOUT_S")
ec2m_mem_fleet_after=$(memory "$ec2m_fleet_pid")
moto_mem_fleet_after=$(memory "$moto_pid")
stop_server "$moto_pid"
stop_server "$ec2m_fleet_pid"

# --- ec2m with BIG_FLEET instances: memory, DescribeInstances, restart ------------------------
log "Big fleet: launching $BIG_FLEET instances on ec2m"
big_dir="$work/big"
start_ec2m "$big_dir"
big_setup=$(load "$ec2m_url" --setup-instances "$BIG_FLEET" --seconds "$SETUP_SECONDS")
big_mem=$(memory "$ec2m_pid")
check_fleet ec2m "$ec2m_url" "$BIG_FLEET"
big_describe=$(load "$ec2m_url" --call describe-instances --iterations "$BIG_DESCRIBE_CALLS" \
  --seconds "$DESCRIBE_SECONDS" --warmup 1)
big_mem_after=$(memory "$ec2m_pid")
stop_server "$ec2m_pid"
big_stop_s=$stopped_s
db_bytes=$(du -cb "$big_dir" | tail -1 | cut -f1)
restarts="[]"
for rep in $(seq "$RESTARTS"); do
  log "Big fleet: restart $rep of $RESTARTS"
  start_ec2m "$big_dir"
  restarts=$(jq -c --argjson s "$ec2m_ready_s" '. + [$s]' <<<"$restarts")
  if [ "$rep" -lt "$RESTARTS" ]; then
    stop_server "$ec2m_pid"
  fi
done
big_mem_restart=$(memory "$ec2m_pid")
check_fleet "ec2m after restart" "$ec2m_url" "$BIG_FLEET"
stop_server "$ec2m_pid"
load_end=$(cut -d' ' -f1-3 /proc/loadavg)
kill -TERM "$sampler_pid" 2>/dev/null || true
wait "$sampler_pid" 2>/dev/null || true
forget "$sampler_pid"
load_during=$(awk 'NR == 1 { min = max = $1 } { sum += $1; if ($1 < min) min = $1; if ($1 > max) max = $1 }
  END { printf "{\"samples\":%d,\"min\":%.2f,\"mean\":%.2f,\"max\":%.2f}", NR, min, sum / NR, max }' \
  "$work/loadavg")

# --- Results ------------------------------------------------------------------------------------
mkdir -p "$(dirname "$OUT")"
jq -n \
  --arg started_at "$started_at" --arg load_start "$load_start" --arg load_end "$load_end" \
  --argjson machine "$machine" --argjson load_during "$load_during" \
  --argjson fleet "$FLEET" --argjson big_fleet "$BIG_FLEET" \
  --argjson ec2m_runs "$ec2m_runs" --argjson ec2m_run "$ec2m_run" --argjson moto_run "$moto_run" \
  --argjson ec2m_setup "$ec2m_setup" --argjson moto_setup "$moto_setup" \
  --argjson ec2m_describe "$ec2m_describe" --argjson moto_describe "$moto_describe" \
  --argjson ec2m_mem_fleet "$ec2m_mem_fleet" --argjson moto_mem_fleet "$moto_mem_fleet" \
  --argjson ec2m_mem_fleet_after "$ec2m_mem_fleet_after" \
  --argjson moto_mem_fleet_after "$moto_mem_fleet_after" \
  --argjson big_setup "$big_setup" --argjson big_describe "$big_describe" \
  --argjson big_mem "$big_mem" --argjson big_mem_after "$big_mem_after" \
  --argjson big_mem_restart "$big_mem_restart" --argjson big_stop_s "$big_stop_s" \
  --argjson db_bytes "$db_bytes" --argjson restarts "$restarts" \
  'def rate(r): (r.calls - r.errors) / r.seconds;
  {
    started_at: $started_at, loadavg_start: $load_start, loadavg_end: $load_end,
    loadavg_1min_during: $load_during,
    machine: $machine,
    run_instances: {
      ec2m: $ec2m_run, ec2m_runs: $ec2m_runs, moto: $moto_run,
      ratio: (rate($ec2m_run) / rate($moto_run))},
    describe_instances: {
      instances: $fleet, ec2m: $ec2m_describe, moto: $moto_describe,
      ratio: (rate($ec2m_describe) / rate($moto_describe))},
    setup: {ec2m: $ec2m_setup, moto: $moto_setup, ec2m_big: $big_setup},
    memory: {
      instances: $fleet,
      ec2m: $ec2m_mem_fleet, moto: $moto_mem_fleet,
      ec2m_after_describe: $ec2m_mem_fleet_after, moto_after_describe: $moto_mem_fleet_after},
    big_fleet: {
      instances: $big_fleet, describe_instances: $big_describe,
      memory: $big_mem, memory_after_describe: $big_mem_after,
      memory_after_restart: $big_mem_restart,
      data_dir_bytes: $db_bytes, stop_s: $big_stop_s,
      restart_ready_s: $restarts,
      restart_ready_median_s: ($restarts | sort | .[length / 2 | floor])}
  }' >"$OUT"

jq -r '
  def f(x): if x < 1 then (x * 10000 | round) / 10000 else (x * 100 | round) / 100 end;
  def mb(kb): (kb / 1024 | round);
  "Machine: \(.machine.cpu), \(.machine.cores) cores, \(mb(.machine.ram_kb)) MiB RAM, kernel \(.machine.kernel)",
  "1-minute load average during the run: min \(.loadavg_1min_during.min), mean \(.loadavg_1min_during.mean), max \(.loadavg_1min_during.max) (start \(.loadavg_start), end \(.loadavg_end))",
  "",
  "| scenario | ec2m calls/s | moto calls/s | ratio | ec2m p50 / p99 ms | moto p50 / p99 ms |",
  "|---|---|---|---|---|---|",
  (.run_instances as $r |
   "| RunInstances count=1, empty region | \(f($r.ec2m.calls_per_s)) | \(f($r.moto.calls_per_s)) | \(f($r.ratio))x | \(f($r.ec2m.p50_ms)) / \(f($r.ec2m.p99_ms)) | \(f($r.moto.p50_ms)) / \(f($r.moto.p99_ms)) |"),
  (.describe_instances as $d |
   "| DescribeInstances, \($d.instances) instances | \(f($d.ec2m.calls_per_s)) | \(f($d.moto.calls_per_s)) | \(f($d.ratio))x | \(f($d.ec2m.p50_ms)) / \(f($d.ec2m.p99_ms)) | \(f($d.moto.p50_ms)) / \(f($d.moto.p99_ms)) |"),
  (.big_fleet as $b |
   "| DescribeInstances, \($b.instances) instances (ec2m only) | \(f($b.describe_instances.calls_per_s)) | - | - | \(f($b.describe_instances.p50_ms)) / \(f($b.describe_instances.p99_ms)) | - |"),
  "",
  "RSS at \(.memory.instances) instances: ec2m \(mb(.memory.ec2m.rss_kb)) MiB, moto \(mb(.memory.moto.rss_kb)) MiB (after DescribeInstances: \(mb(.memory.ec2m_after_describe.rss_kb)) / \(mb(.memory.moto_after_describe.rss_kb)) MiB)",
  "RSS of ec2m at \(.big_fleet.instances) instances: \(mb(.big_fleet.memory.rss_kb)) MiB (after DescribeInstances \(mb(.big_fleet.memory_after_describe.rss_kb)) MiB, peak \(mb(.big_fleet.memory_after_describe.hwm_kb)) MiB; after restart \(mb(.big_fleet.memory_after_restart.rss_kb)) MiB)",
  "Restart with \(.big_fleet.instances) instances, start to readiness line: \(.big_fleet.restart_ready_s | map(tostring + " s") | join(", ")) (median \(.big_fleet.restart_ready_median_s) s)",
  "Fleet setup: ec2m \(.setup.ec2m.seconds) s, moto \(.setup.moto.seconds) s for \(.describe_instances.instances); ec2m \(.setup.ec2m_big.seconds) s for \(.big_fleet.instances)"
' "$OUT"
log "wrote $OUT"
