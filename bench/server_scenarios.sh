# shellcheck shell=bash disable=SC2153,SC2154  # run.sh sets work, root, the knobs, ... first
# Sourced by bench/run.sh (SCENARIOS contains "server"): the simulated region against moto on
# the same calls, fleets and client (bench/ec2_load), and ec2m alone with a big fleet. Writes OUT
# (bench/results/latest.json) and prints its table. Uses run.sh's helpers and knobs.
#
# Scenarios, each on fresh servers:
#   run_instances        RunInstances count=1 on an empty region (ec2m: best-of-N short runs)
#   describe_instances   DescribeInstances, full listing, FLEET instances on both peers
#   big fleet            ec2m only: BIG_FLEET instances: RSS, DescribeInstances, SIGTERM and
#                        restart on the same data dir (time to the readiness line), RSS again

server_first_sample=$(load_samples)
server_started_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)
server_load_start=$(cut -d' ' -f1-3 /proc/loadavg)

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
server_load_end=$(cut -d' ' -f1-3 /proc/loadavg)
server_load_during=$(load_summary "$server_first_sample")

# --- Results ------------------------------------------------------------------------------------
mkdir -p "$(dirname "$OUT")"
jq -n \
  --arg started_at "$server_started_at" --arg load_start "$server_load_start" \
  --arg load_end "$server_load_end" \
  --argjson machine "$machine" --argjson load_during "$server_load_during" \
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
