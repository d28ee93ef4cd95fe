# shellcheck shell=bash disable=SC2153,SC2154  # run.sh sets work, root, the knobs, ... first
# Sourced by bench/run.sh when SCENARIOS selects client_page and/or cli_list: ec2m's EC2 client
# against botocore and the AWS CLI. Writes CLIENT_OUT (bench/results/client.json) and prints its
# table. Uses run.sh's helpers and knobs; BENCHMARKS.md explains the method.
#
#   client_page  One DescribeInstances page of 1,000 instances, client side only: the page is
#                captured from ec2m sim serve, then nginx serves those bytes to every request, and
#                ec2m's AwsEc2 (bench/describe_page --mode client) and botocore
#                (bench/botocore_page.py, once per python of BOTOCORE_PYTHONS) loop on it, in
#                PAGE_ROUNDS alternating rounds, each with two floors under ec2m: the bare HTTP
#                exchange (--mode bare) and the parse alone (--mode parse).
#   cli_list     `ec2m cloud instances --output json` against `aws ec2 describe-instances --output
#                json` (and with --page-size AWS_PAGE_SIZE) on ec2m sim serve, at each of
#                CLI_FLEETS instances: wall time per run by hyperfine, output discarded.

readonly page_body='Action=DescribeInstances&Version=2016-11-15&MaxResults=1000'
readonly page_instances=1000

if wants server && [ "$IDLE_WAIT_S" -gt 0 ]; then
  wait_for_idle  # the server group took a while: wait again for a quiet machine
fi
client_first_sample=$(load_samples)
client_started_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)
client_load_start=$(cut -d' ' -f1-3 /proc/loadavg)

# start_nginx DIR: serves DIR/page.xml as the answer to every request for / (POST included) on a
# free loopback port, one worker, sendfile, keep-alive without a request limit; sets nginx_pid and
# nginx_url.
start_nginx() {
  local dir=$1 port code
  port=$(free_port)
  mkdir -p "$dir/tmp"
  cat >"$dir/nginx.conf" <<EOF
worker_processes 1;
daemon off;
user root;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path $dir/tmp/body;
  proxy_temp_path $dir/tmp/proxy;
  fastcgi_temp_path $dir/tmp/fastcgi;
  uwsgi_temp_path $dir/tmp/uwsgi;
  scgi_temp_path $dir/tmp/scgi;
  sendfile on;
  tcp_nodelay on;
  keepalive_requests 10000000;
  keepalive_timeout 600s;
  server {
    listen 127.0.0.1:$port;
    root $dir;
    default_type text/xml;
    # nginx answers POST to a static file with 405: turn that into the file itself.
    location = / {
      error_page 405 =200 /page.xml;
      try_files /page.xml =404;
    }
    location = /page.xml { internal; }
  }
}
EOF
  "$NGINX" -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" >"$dir/nginx.log" 2>&1 &
  nginx_pid=$!
  pids+=("$nginx_pid")
  nginx_url="http://127.0.0.1:$port"
  for _ in $(seq 100); do  # 10 s
    code=$(curl -s -o /dev/null -w '%{http_code}' -d "$page_body" "$nginx_url/" || true)
    [ "$code" = 200 ] && return 0
    kill -0 "$nginx_pid" 2>/dev/null || break
    sleep 0.1
  done
  log "nginx did not answer on $nginx_url:"; cat "$dir/nginx.log" "$dir/error.log" >&2; exit 1
}

# capture_page URL FILE: saves the body of a DescribeInstances MaxResults=1000 on URL (signed by
# curl's SigV4) to FILE; fails unless it is HTTP 200 with 1,000 instances.
capture_page() {
  local code n
  code=$(curl -s -o "$2" -w '%{http_code}' --aws-sigv4 "aws:amz:us-west-2:ec2" -u test:test \
    -d "$page_body" "$1/")
  n=$(grep -o '<instanceId>' "$2" | wc -l)
  if [ "$code" != 200 ] || [ "$n" != "$page_instances" ]; then
    log "capturing the page from $1: HTTP $code with $n instances"; exit 1
  fi
}

# expect_instances NAME JSON: fails unless the run reported page_instances instances.
expect_instances() {
  local n
  n=$(jq .instances <<<"$2")
  if [ "$n" != "$page_instances" ]; then
    log "$1 parsed $n instances, expected $page_instances: $2"; exit 1
  fi
}

run_client_page() {
  local dir="$work/page" round ec2m no_trim bare parse boto py b rounds="[]"
  # Trim only above 1 GiB; mmap only above 32 MiB (glibc's maximum), so big buffers come from the
  # heap and stay there.
  local no_trim_tunables=glibc.malloc.trim_threshold=1073741824
  no_trim_tunables+=:glibc.malloc.mmap_threshold=33554432
  log "client_page: launching $page_instances instances and capturing one page"
  mkdir -p "$dir"
  start_ec2m "$work/page-sim"
  page_setup=$(load "$ec2m_url" --setup-instances "$page_instances" --seconds "$SETUP_SECONDS")
  capture_page "$ec2m_url" "$dir/page.xml"
  stop_server "$ec2m_pid"
  start_nginx "$dir"
  for round in $(seq "$PAGE_ROUNDS"); do
    log "client_page: round $round of $PAGE_ROUNDS (ec2m $PAGE_CALLS calls, botocore $BOTO_CALLS)"
    ec2m=$("$PAGE" --mode client --endpoint "$nginx_url" --iterations "$PAGE_CALLS" \
      --seconds "$PAGE_SECONDS")
    expect_instances "ec2m" "$ec2m"
    # The same client with glibc's malloc never giving memory back to the kernel: how much of
    # the call is the allocator trimming the heap and faulting it in again (see BENCHMARKS.md).
    no_trim=$(GLIBC_TUNABLES="$no_trim_tunables" "$PAGE" --mode client --endpoint "$nginx_url" \
      --iterations "$PAGE_CALLS" --seconds "$PAGE_SECONDS")
    bare=$("$PAGE" --mode bare --endpoint "$nginx_url" --iterations "$PAGE_CALLS" \
      --seconds "$PAGE_SECONDS")
    parse=$("$PAGE" --mode parse --file "$dir/page.xml" --iterations "$PAGE_CALLS" \
      --seconds "$PAGE_SECONDS")
    boto="[]"
    for py in $BOTOCORE_PYTHONS; do
      b=$("$py" "$root/bench/botocore_page.py" --endpoint "$nginx_url" \
        --iterations "$BOTO_CALLS" --seconds "$PAGE_SECONDS")
      expect_instances "botocore ($py)" "$b"
      boto=$(jq -c --argjson b "$b" '. + [$b]' <<<"$boto")
    done
    rounds=$(jq -c --argjson e "$ec2m" --argjson nt "$no_trim" --argjson ba "$bare" \
      --argjson p "$parse" --argjson bo "$boto" --arg l "$(cut -d' ' -f1-3 /proc/loadavg)" \
      '. + [{ec2m: $e, ec2m_no_trim: $nt, bare: $ba, parse: $p, botocore: $bo,
             loadavg_after: $l}]' <<<"$rounds")
  done
  stop_server "$nginx_pid"
  # Each figure is the median over the rounds; so is each ratio (taken round by round).
  client_page=$(jq -nc --argjson rounds "$rounds" --argjson setup "$page_setup" \
    --argjson bytes "$(stat -c %s "$dir/page.xml")" --arg server "$("$NGINX" -v 2>&1)" \
    --arg tunables "$no_trim_tunables" '
    def median: sort | .[length / 2 | floor];
    def stats(f): {calls: (map(f | .calls) | add), mean_ms: (map(f | .mean_ms) | median),
      p50_ms: (map(f | .p50_ms) | median), p99_ms: (map(f | .p99_ms) | median),
      calls_per_s: (map(f | .calls_per_s) | median)};
    {instances: 1000, bytes: $bytes, server: ($server + ", one worker, sendfile, keep-alive"),
     setup: $setup, rounds: $rounds,
     ec2m: ($rounds | stats(.ec2m)), ec2m_no_trim: ($rounds | stats(.ec2m_no_trim)),
     no_trim_tunables: $tunables, bare: ($rounds | stats(.bare)),
     parse: ($rounds | stats(.parse)),
     botocore: [range($rounds[0].botocore | length) as $i | $rounds |
       (stats(.botocore[$i]) + {botocore: .[0].botocore[$i].botocore,
        python: .[0].botocore[$i].python,
        ratio_mean: (map(.botocore[$i].mean_ms / .ec2m.mean_ms) | median),
        ratio_p50: (map(.botocore[$i].p50_ms / .ec2m.p50_ms) | median),
        ratio_mean_without_bare_exchange:
          (map((.botocore[$i].mean_ms - .bare.mean_ms) / (.ec2m.mean_ms - .bare.mean_ms))
           | median)})]}')
}

# with_cli_env CMD...: runs CMD with no AWS_* settings but the sim's keys and region, no pager and
# no config or credentials files, as both CLIs are measured.
with_cli_env() {
  local unset_args=() name
  for name in $(compgen -e | grep '^AWS_' || true); do
    unset_args+=(-u "$name")
  done
  env "${unset_args[@]}" AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-west-2 \
    AWS_DEFAULT_REGION=us-west-2 AWS_PAGER= AWS_CONFIG_FILE=/dev/null \
    AWS_SHARED_CREDENTIALS_FILE=/dev/null "$@"
}

# expect_listing NAME N JQ CMD...: fails unless CMD prints JSON in which JQ counts N instances.
expect_listing() {
  local name=$1 n=$2 filter=$3 got
  shift 3
  got=$(with_cli_env "$@" | jq "$filter")
  if [ "$got" != "$n" ]; then
    log "$name listed $got instances, expected $n"; exit 1
  fi
}

# time_cli RUNS CMD...: hyperfine, one warm-up run, output discarded; prints the figures in
# seconds: wall time (mean, median, ...) and the command's own mean CPU time (user_s, system_s;
# the server's is not in it).
time_cli() {
  local runs=$1
  shift
  if ! with_cli_env hyperfine -N --runs "$runs" --warmup 1 --export-json "$work/hyperfine.json" \
    "$*" >"$work/hyperfine.out" 2>&1; then
    log "hyperfine $* failed:"; cat "$work/hyperfine.out" >&2; exit 1
  fi
  jq -c '.results[0] | {mean_s: .mean, median_s: .median, stddev_s: .stddev, min_s: .min,
    max_s: .max, user_s: .user, system_s: .system, runs: (.times | length)}' "$work/hyperfine.json"
}

run_cli_list() {
  local n ec2m_cmd aws_cmd paged_cmd setup ec2m aws paged
  cli_list="[]"
  for n in $CLI_FLEETS; do
    log "cli_list: $n instances"
    start_ec2m "$work/cli-$n"
    setup=$(load "$ec2m_url" --setup-instances "$n" --seconds "$SETUP_SECONDS")
    check_fleet ec2m "$ec2m_url" "$n"
    ec2m_cmd=("$EC2M" cloud instances --provider aws --endpoint "$ec2m_url" --output json)
    aws_cmd=("$AWS_CLI" ec2 describe-instances --endpoint-url "$ec2m_url" --output json)
    expect_listing "ec2m cloud instances" "$n" length "${ec2m_cmd[@]}"
    expect_listing "aws ec2 describe-instances" "$n" '[.Reservations[].Instances[]] | length' \
      "${aws_cmd[@]}"
    ec2m=$(time_cli "$CLI_RUNS" "${ec2m_cmd[@]}")
    aws=$(time_cli "$AWS_CLI_RUNS" "${aws_cmd[@]}")
    paged=null
    if [ -n "$AWS_PAGE_SIZE" ]; then
      paged_cmd=("${aws_cmd[@]}" --page-size "$AWS_PAGE_SIZE")
      expect_listing "aws ec2 describe-instances --page-size" "$n" \
        '[.Reservations[].Instances[]] | length' "${paged_cmd[@]}"
      paged=$(time_cli "$AWS_CLI_RUNS" "${paged_cmd[@]}")
    fi
    stop_server "$ec2m_pid"
    cli_list=$(jq -c --argjson n "$n" --argjson setup "$setup" --argjson e "$ec2m" \
      --argjson a "$aws" --argjson p "$paged" --arg l "$(cut -d' ' -f1-3 /proc/loadavg)" \
      --arg ec2m_cmd "${ec2m_cmd[*]}" --arg aws_cmd "${aws_cmd[*]}" \
      '. + [{instances: $n, setup: $setup, ec2m: $e, aws: $a, aws_page_size: $p,
             ratio_mean: ($a.mean_s / $e.mean_s), ratio_median: ($a.median_s / $e.median_s),
             ratio_mean_page_size: (if $p == null then null else $p.mean_s / $e.mean_s end),
             ratio_cpu: (($a.user_s + $a.system_s) / ($e.user_s + $e.system_s)),
             ec2m_command: $ec2m_cmd, aws_command: $aws_cmd, loadavg_after: $l}]' <<<"$cli_list")
  done
}

client_page=null
cli_list=null
if wants client_page; then
  run_client_page
fi
if wants cli_list; then
  run_cli_list
fi
client_load_end=$(cut -d' ' -f1-3 /proc/loadavg)
client_load_during=$(load_summary "$client_first_sample")

mkdir -p "$(dirname "$CLIENT_OUT")"
jq -n --arg started_at "$client_started_at" --arg load_start "$client_load_start" \
  --arg load_end "$client_load_end" --argjson load_during "$client_load_during" \
  --argjson machine "$machine" --arg aws_version "$("$AWS_CLI" --version 2>&1 || true)" \
  --argjson client_page "$client_page" --argjson cli_list "$cli_list" \
  '{started_at: $started_at, loadavg_start: $load_start, loadavg_end: $load_end,
    loadavg_1min_during: $load_during, machine: $machine, aws_cli: $aws_version,
    client_page: $client_page, cli_list: $cli_list}' >"$CLIENT_OUT"

jq -r '
  def f(x): if x < 1 then (x * 10000 | round) / 10000 else (x * 100 | round) / 100 end;
  def ms(s): f(s * 1000);
  "1-minute load average during the client scenarios: min \(.loadavg_1min_during.min), mean \(.loadavg_1min_during.mean), max \(.loadavg_1min_during.max) (start \(.loadavg_start), end \(.loadavg_end))",
  "",
  (.client_page | select(. != null) |
   "One DescribeInstances page of \(.instances) instances (\(.bytes) bytes), client side; median of \(.rounds | length) rounds:",
   "| client | mean ms | p50 ms | p99 ms | calls/s | ratio (mean) | ratio (p50) |",
   "|---|---|---|---|---|---|---|",
   "| ec2m AwsEc2 (sign + send + parse) | \(f(.ec2m.mean_ms)) | \(f(.ec2m.p50_ms)) | \(f(.ec2m.p99_ms)) | \(f(.ec2m.calls_per_s)) | - | - |",
   (.botocore[] |
    "| \(.botocore) | \(f(.mean_ms)) | \(f(.p50_ms)) | \(f(.p99_ms)) | \(f(.calls_per_s)) | \(f(.ratio_mean))x (\(f(.ratio_mean_without_bare_exchange))x without the bare exchange) | \(f(.ratio_p50))x |"),
   "| ec2m AwsEc2, malloc without trimming (\(.no_trim_tunables)) | \(f(.ec2m_no_trim.mean_ms)) | \(f(.ec2m_no_trim.p50_ms)) | \(f(.ec2m_no_trim.p99_ms)) | \(f(.ec2m_no_trim.calls_per_s)) | - | - |",
   "| floor: bare HTTP exchange (libcurl, unsigned, unparsed) | \(f(.bare.mean_ms)) | \(f(.bare.p50_ms)) | \(f(.bare.p99_ms)) | \(f(.bare.calls_per_s)) | - | - |",
   "| floor: parse only (in memory) | \(f(.parse.mean_ms)) | \(f(.parse.p50_ms)) | \(f(.parse.p99_ms)) | \(f(.parse.calls_per_s)) | - | - |",
   ""),
  (.cli_list | select(. != null) |
   "Full listing, JSON to /dev/null (wall time per run, hyperfine):",
   "| instances | ec2m cloud instances mean / median ms | aws ec2 describe-instances mean / median ms | ratio (mean) | ratio (median) | aws --page-size mean ms | ratio | client CPU ms ec2m / aws | ratio |",
   "|---|---|---|---|---|---|---|---|---|",
   (.[] |
    "| \(.instances) | \(ms(.ec2m.mean_s)) / \(ms(.ec2m.median_s)) (\(.ec2m.runs) runs) | \(ms(.aws.mean_s)) / \(ms(.aws.median_s)) (\(.aws.runs) runs) | \(f(.ratio_mean))x | \(f(.ratio_median))x | \(if .aws_page_size == null then "-" else ms(.aws_page_size.mean_s) end) | \(if .ratio_mean_page_size == null then "-" else "\(f(.ratio_mean_page_size))x" end) | \(ms(.ec2m.user_s + .ec2m.system_s)) / \(ms(.aws.user_s + .aws.system_s)) | \(f(.ratio_cpu))x |"))
' "$CLIENT_OUT"
log "wrote $CLIENT_OUT"
