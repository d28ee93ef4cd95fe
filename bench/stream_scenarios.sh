# shellcheck shell=bash disable=SC2153,SC2154  # run.sh sets work, root, the knobs, ... first
# Sourced by bench/run.sh when SCENARIOS selects stream: what a DescribeInstances of everything
# costs the server once answers are streamed (issue 16), on `ec2m sim serve` with BIG_FLEET
# instances. For EC2M and, when BEFORE names one, an ec2m binary built without streaming, each on
# a fresh region:
#   1. BIG_FLEET instances launched (ec2_load --setup-instances); RSS at rest;
#   2. the peak RSS reset (`echo 5 > /proc/PID/clear_refs`), then one SigV4-signed POST
#      DescribeInstances by curl (--aws-sigv4): answer bytes, how it was framed (chunked or
#      Content-Length), time to the first byte and to the last, the instances it lists, and VmHWM:
#      the peak while answering;
#   3. STREAM_CALLS more calls through ec2_load for the time per call; VmHWM again.
# Memory figures do not depend on other load on the machine; times do (the load is recorded).
# Writes STREAM_OUT (bench/results/stream.json) and prints a line per binary.

stream_first_sample=$(load_samples)
stream_started_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)
stream_load_start=$(cut -d' ' -f1-3 /proc/loadavg)

# reset_peak PID: VmHWM back to the current RSS, so the next reading is the peak from now on.
reset_peak() {
  echo 5 >"/proc/$1/clear_refs"
}

# signed_describe URL OUT_FILE: one DescribeInstances of everything; prints
# {"status","bytes","ttfb_s","total_s","framing"}.
signed_describe() {
  local url=$1 out=$2 written framing status bytes ttfb total
  written=$(curl -sS -o "$out" -D "$out.headers" --max-time "$CALL_TIMEOUT_S" \
    --aws-sigv4 "aws:amz:us-west-2:ec2" --user test:test \
    -H 'Content-Type: application/x-www-form-urlencoded; charset=utf-8' \
    --data 'Action=DescribeInstances&Version=2016-11-15' \
    -w '%{http_code} %{size_download} %{time_starttransfer} %{time_total}' "$url/")
  framing=length
  grep -qi '^transfer-encoding: *chunked' "$out.headers" && framing=chunked
  read -r status bytes ttfb total <<<"$written"
  jq -nc --argjson status "$status" --argjson bytes "$bytes" --argjson ttfb "$ttfb" \
    --argjson total "$total" --arg framing "$framing" \
    '{status: $status, bytes: $bytes, ttfb_s: $ttfb, total_s: $total, framing: $framing}'
}

# stream_case LABEL BINARY: the three steps above; appends the case's JSON to stream_cases. Not in
# a subshell: it starts and stops servers (pids).
stream_case() {
  local label=$1 bin=$2 dir=$work/stream-$1 setup rest one listed peak timed after
  log "stream: $label ($bin): launching $BIG_FLEET instances"
  start_ec2m "$dir" "$bin"
  setup=$(load "$ec2m_url" --setup-instances "$BIG_FLEET" --seconds "$SETUP_SECONDS")
  rest=$(memory "$ec2m_pid")
  reset_peak "$ec2m_pid"
  log "stream: $label: one DescribeInstances of everything"
  one=$(signed_describe "$ec2m_url" "$dir.xml")
  peak=$(memory "$ec2m_pid")
  listed=$( (grep -o '<instanceId>' "$dir.xml" || true) | wc -l)
  rm -f "$dir.xml" "$dir.xml.headers"
  if [ "$(jq .status <<<"$one")" != 200 ] || [ "$listed" != "$BIG_FLEET" ]; then
    log "stream: $label answered $one listing $listed instances, expected $BIG_FLEET"; exit 1
  fi
  log "stream: $label: $STREAM_CALLS more calls for the time"
  timed=$(load "$ec2m_url" --call describe-instances --iterations "$STREAM_CALLS" \
    --seconds "$CALL_TIMEOUT_S")
  after=$(memory "$ec2m_pid")
  stop_server "$ec2m_pid"
  stream_cases=$(jq -c --arg which "$label" --arg binary "$bin" --argjson setup "$setup" \
    --argjson rest "$rest" --argjson one "$one" --argjson listed "$listed" --argjson peak "$peak" \
    --argjson timed "$timed" --argjson after "$after" \
    '. + [{which: $which, binary: $binary, setup: $setup, memory_at_rest: $rest, one_call: $one,
           instances_listed: $listed, memory_after_one_call: $peak, calls: $timed,
           memory_after_calls: $after}]' <<<"$stream_cases")
}

stream_cases="[]"
if [ -n "$BEFORE" ]; then
  stream_case before "$BEFORE"
fi
stream_case after "$EC2M"

mkdir -p "$(dirname "$STREAM_OUT")"
jq -n --arg started_at "$stream_started_at" --arg load_start "$stream_load_start" \
  --arg load_end "$(cut -d' ' -f1-3 /proc/loadavg)" \
  --argjson load_during "$(load_summary "$stream_first_sample")" \
  --argjson machine "$machine" --argjson instances "$BIG_FLEET" --argjson cases "$stream_cases" \
  '{started_at: $started_at, loadavg_start: $load_start, loadavg_end: $load_end,
    loadavg_1min_during: $load_during, machine: $machine, instances: $instances,
    cases: $cases}' >"$STREAM_OUT"

jq -r '
  def mib(kb): (kb / 1024 | round);
  "DescribeInstances of \(.instances) instances on ec2m sim serve (1-minute load average: start \(.loadavg_start | split(" ")[0]), mean \(.loadavg_1min_during.mean), max \(.loadavg_1min_during.max)):",
  (.cases[] |
   "  \(.which): \(.one_call.bytes) bytes, \(.one_call.framing); first byte \(.one_call.ttfb_s) s, last \(.one_call.total_s) s; peak RSS while answering \(mib(.memory_after_one_call.hwm_kb)) MiB (at rest before it \(mib(.memory_at_rest.rss_kb)) MiB, after it \(mib(.memory_after_one_call.rss_kb)) MiB); \(.calls.calls) more calls p50 \(.calls.p50_ms) ms, peak since \(mib(.memory_after_calls.hwm_kb)) MiB")
' "$STREAM_OUT"
log "wrote $STREAM_OUT"
