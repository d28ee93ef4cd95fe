# Sourced by the benches that drive `ec2m sim serve` (apply_bench.sh, deploy_bench.sh): a work
# dir removed on exit, and a fresh simulated region per case. Needs $BUILD (the build tree) and
# $BENCH (the bench's name, for messages) set before sourcing.

work=$(mktemp -d "/tmp/ec2m-$BENCH.XXXXXX")
pid=""
url=""
stop_sim() {
  if [ -n "$pid" ]; then
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  pid=""
}
cleanup() {
  stop_sim
  rm -rf "$work"
}
trap cleanup EXIT

# start_sim NAME [CONFIG_JSON]: a fresh simulated region on a free port; sets pid and url.
start_sim() {
  local dir="$work/$1" config=()
  mkdir -p "$dir"
  if [ -n "${2:-}" ]; then
    echo "$2" >"$dir/sim.json"
    config=(--config "$dir/sim.json")
  fi
  "$BUILD/ec2m" sim serve "${config[@]}" --listen 127.0.0.1:0 --data-dir "$dir/sim" >"$dir/sim.out" 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do grep -q 'serving' "$dir/sim.out" && break; sleep 0.1; done
  url=$(grep -o 'http://[0-9.:]*' "$dir/sim.out" || true)
  [ -n "$url" ] || { echo "$BENCH: ec2m sim serve did not start" >&2; cat "$dir/sim.out" >&2; exit 1; }
}

# The CPU seconds (user + system) process $pid has used so far.
sim_cpu() {
  awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$pid/stat"
}
