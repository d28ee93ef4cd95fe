#!/usr/bin/env bash
# The benchmarks of BENCHMARKS.md, in one run, by scenario group (SCENARIOS, space-separated):
#   server       the simulated region (`ec2m sim serve`) against moto (`moto_server`): RunInstances,
#                DescribeInstances of FLEET instances, and ec2m alone with BIG_FLEET instances
#                (bench/server_scenarios.sh; writes OUT, bench/results/latest.json)
#   client_page  ec2m's EC2 client against botocore on one captured 1,000-instance
#                DescribeInstances page served by nginx (bench/client_scenarios.sh)
#   cli_list     `ec2m cloud instances` against `aws ec2 describe-instances` on ec2m sim serve, at
#                each of CLI_FLEETS instances (bench/client_scenarios.sh)
#   client       both client groups; they write CLIENT_OUT, bench/results/client.json
#   stream       ec2m alone: the server's peak RSS, answer size and time of a DescribeInstances of
#                BIG_FLEET instances, for EC2M and, when BEFORE names one, an older ec2m binary
#                (streamed answers, issue 16) (bench/stream_scenarios.sh; writes STREAM_OUT,
#                bench/results/stream.json)
# Default: "server client". Builds nothing: `make bench` builds the release tree first (or
# point BUILD at another release tree). The client groups need neither moto nor PyPI: botocore
# comes from Debian's awscli (BOTOCORE_PYTHONS, default /usr/bin/python3). Run by hand, never in
# CI: these are benchmarks, and nothing fails when a number moves.
#
# Knobs (environment): SCENARIOS BUILD EC2M LOAD PAGE MOTO OUT CLIENT_OUT MAX_LOAD
# IDLE_WAIT_S (0 skips the wait for an idle machine); server: FLEET BIG_FLEET RUN_CALLS
# RUN_REPEATS MOTO_RUN_CALLS DESCRIBE_CALLS MOTO_DESCRIBE_CALLS BIG_DESCRIBE_CALLS RUN_SECONDS
# DESCRIBE_SECONDS RESTARTS; client_page: PAGE_ROUNDS PAGE_CALLS BOTO_CALLS PAGE_SECONDS
# BOTOCORE_PYTHONS NGINX; cli_list: CLI_FLEETS CLI_RUNS AWS_CLI_RUNS AWS_CLI AWS_PAGE_SIZE;
# stream: BIG_FLEET BEFORE STREAM_CALLS STREAM_OUT.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SCENARIOS=${SCENARIOS:-server client}
BUILD=${BUILD:-$root/build/release}
EC2M=${EC2M:-$BUILD/ec2m}
LOAD=${LOAD:-$BUILD/bench/ec2_load}
PAGE=${PAGE:-$BUILD/bench/describe_page}
MOTO=${MOTO:-$( (pyenv which moto_server 2>/dev/null) || command -v moto_server || true)}
OUT=${OUT:-$root/bench/results/latest.json}
CLIENT_OUT=${CLIENT_OUT:-$root/bench/results/client.json}
STREAM_OUT=${STREAM_OUT:-$root/bench/results/stream.json}
BEFORE=${BEFORE:-}

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
PAGE_ROUNDS=${PAGE_ROUNDS:-3}
PAGE_CALLS=${PAGE_CALLS:-300}
BOTO_CALLS=${BOTO_CALLS:-30}
PAGE_SECONDS=${PAGE_SECONDS:-60}
BOTOCORE_PYTHONS=${BOTOCORE_PYTHONS:-/usr/bin/python3}
NGINX=${NGINX:-nginx}
CLI_FLEETS=${CLI_FLEETS:-1000 10000}
CLI_RUNS=${CLI_RUNS:-20}
AWS_CLI_RUNS=${AWS_CLI_RUNS:-5}
AWS_CLI=${AWS_CLI:-/usr/bin/aws}
AWS_PAGE_SIZE=${AWS_PAGE_SIZE-1000}  # empty: no `aws --page-size` variant
STREAM_CALLS=${STREAM_CALLS:-5}
MAX_LOAD=${MAX_LOAD:-1.5}
IDLE_WAIT_S=${IDLE_WAIT_S:-2400}
SETUP_SECONDS=1800  # per fleet setup
CALL_TIMEOUT_S=300  # one DescribeInstances on moto at 10,000 instances takes ~11 s

# wants GROUP: whether SCENARIOS selects it.
wants() { [[ " $SCENARIOS " == *" $1 "* ]]; }

need() {
  if ! command -v "$1" >/dev/null; then
    echo "bench: $1 not found${2:+: $2}" >&2
    exit 2
  fi
}

groups=""
for group in $SCENARIOS; do
  case $group in
    server | client_page | cli_list | stream) groups+=" $group" ;;
    client) groups+=" client_page cli_list" ;;
    *) echo "bench: SCENARIOS: unknown group '$group' (server, client_page, cli_list, client," \
         "stream)" >&2
       exit 2 ;;
  esac
done
SCENARIOS=${groups# }
for bin in "$EC2M" "$LOAD" "$PAGE" ${BEFORE:+"$BEFORE"}; do
  if [ ! -x "$bin" ]; then
    echo "bench: $bin not found: run 'make bench' (it builds the release tree)" >&2
    exit 2
  fi
done
if wants server && { [ -z "$MOTO" ] || [ ! -x "$MOTO" ]; }; then
  echo "bench: moto_server not found (pip install 'moto[server]==5.2.1'), or run" \
    "SCENARIOS=client without it" >&2
  exit 2
fi
need jq
need curl
if wants client_page; then
  need "$NGINX" "apt-get install nginx-light"
  for py in $BOTOCORE_PYTHONS; do
    if ! "$py" "$root/bench/botocore_page.py" --check >/dev/null; then
      echo "bench: $py has no botocore (Debian's awscli bundles one: use /usr/bin/python3)" >&2
      exit 2
    fi
  done
fi
if wants cli_list; then
  need hyperfine
  need "$AWS_CLI" "apt-get install awscli"
fi

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

# start_ec2m DATA_DIR [BINARY]: starts the simulated region (BINARY sim serve, default $EC2M); sets
# ec2m_pid, ec2m_url and ec2m_ready_s (seconds from the fork to the readiness line, polled every
# 5 ms).
start_ec2m() {
  local dir=$1 bin=${2:-$EC2M} log_file t0 line
  mkdir -p "$dir"
  log_file="$dir.log"
  : >"$log_file"
  t0=$(now)
  "$bin" sim serve --listen 127.0.0.1:0 --data-dir "$dir" >"$log_file" 2>&1 &
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
  local cpu cores ram_kb kernel moto_version modified
  cpu=$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
  cores=$(nproc)
  ram_kb=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)
  kernel=$(uname -r)
  moto_version="not used"
  if wants server; then
    moto_version=$("$(head -1 "$MOTO" | sed 's/^#!//')" -c 'import moto; print(moto.__version__)' \
      2>/dev/null || echo unknown)
  fi
  # The binaries are built from the work tree, which may hold uncommitted changes: say so.
  modified=$(git -C "$root" status --porcelain --untracked-files=no | wc -l)
  jq -n --arg cpu "$cpu" --argjson cores "$cores" --argjson ram_kb "$ram_kb" --arg kernel "$kernel" \
    --arg moto "$moto_version" --arg commit "$(git -C "$root" rev-parse --short HEAD)" \
    --argjson modified "$modified" \
    '{cpu: $cpu, cores: $cores, ram_kb: $ram_kb, kernel: $kernel, moto_version: $moto,
      ec2m_commit: $commit, work_tree_modified_files: $modified}'
}

# How many load-average samples the sampler has written so far.
load_samples() { wc -l <"$work/loadavg"; }

# load_summary FIRST: {"samples","min","mean","max"} of the 1-minute load average samples after
# the first FIRST ones (the current value when there are none yet).
load_summary() {
  { tail -n +"$(($1 + 1))" "$work/loadavg"; [ "$(load_samples)" -gt "$1" ] ||
    cut -d' ' -f1 /proc/loadavg; } |
    awk 'NR == 1 { min = max = $1 } { sum += $1; if ($1 < min) min = $1; if ($1 > max) max = $1 }
      END { printf "{\"samples\":%d,\"min\":%.2f,\"mean\":%.2f,\"max\":%.2f}", NR, min,
            sum / NR, max }'
}

if [ "$IDLE_WAIT_S" -gt 0 ]; then
  wait_for_idle
fi
# Samples the 1-minute load average every 5 s while the benchmarks run (at most ~2.8 h).
(for _ in $(seq 2000); do cut -d' ' -f1 /proc/loadavg; sleep 5; done) >"$work/loadavg" &
sampler_pid=$!
pids+=("$sampler_pid")
machine=$(machine_json)

if wants server; then
  # shellcheck source=bench/server_scenarios.sh
  source "$root/bench/server_scenarios.sh"
fi
if wants client_page || wants cli_list; then
  # shellcheck source=bench/client_scenarios.sh
  source "$root/bench/client_scenarios.sh"
fi
if wants stream; then
  # shellcheck source=bench/stream_scenarios.sh
  source "$root/bench/stream_scenarios.sh"
fi
