# Sourced by the benches that load an HTTP server with wrk against nginx serving the same bytes
# (api_bench.sh, hardening_bench.sh, hostile_bench.sh). Each calls bench_workdir first: the
# functions below put their files in $work and their processes in pids.

# bench_workdir NAME: a scratch folder ($work) and the pids of what the bench starts ($pids), both
# gone when the script exits: each pid is sent SIGTERM and waited for, the folder removed.
bench_workdir() {
  work=$(mktemp -d "/tmp/ec2m-$1.XXXXXX")
  pids=()
  trap bench_cleanup EXIT
}
bench_cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start_nginx FILE: nginx (two workers, one per core, no access log) answering every path with
# FILE's bytes as JSON; sets nginx_port once it answers. Optional (hostile_bench.sh):
# NGINX_WORKER_CONNECTIONS (1024), NGINX_MAIN (directives at the top, e.g. worker_rlimit_nofile)
# and NGINX_SERVER (directives and locations in the server block).
start_nginx() {
  local dir=$work/nginx
  mkdir -p "$dir"
  cp "$1" "$dir/answer.json"
  # nginx workers run as nobody: they must be able to read the file.
  chmod 755 "$work" "$dir"
  chmod 644 "$dir/answer.json"
  nginx_port=$(free_port)
  cat >"$dir/nginx.conf" <<NGINX
worker_processes 2;
${NGINX_MAIN:-}
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log;
events { worker_connections ${NGINX_WORKER_CONNECTIONS:-1024}; }
http {
  access_log off;
  client_body_temp_path $dir; proxy_temp_path $dir; fastcgi_temp_path $dir;
  uwsgi_temp_path $dir; scgi_temp_path $dir;
  server {
    listen 127.0.0.1:$nginx_port;
    ${NGINX_SERVER:-}
    location / { root $dir; default_type application/json; try_files /answer.json =404; }
  }
}
NGINX
  nginx -c "$dir/nginx.conf" &
  pids+=($!)
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$nginx_port/" -o /dev/null && break; sleep 0.1; done
}

# wrk_stats WRK_ARGS...: one wrk run with --latency; prints "requests/s p50_ms p99_ms non_2xx".
wrk_stats() {
  local out
  out=$(wrk --latency "$@")
  awk '
    function ms(v) { if (v ~ /us$/) { sub(/us/, "", v); return v / 1000 }
                     if (v ~ /ms$/) { sub(/ms/, "", v); return v + 0 }
                     if (v ~ /s$/) { sub(/s/, "", v); return v * 1000 } return v }
    /^Requests\/sec:/ { rps = $2 } $1 == "50%" { p50 = ms($2) } $1 == "99%" { p99 = ms($2) }
    /Non-2xx/ { bad = $5 }
    END { printf "%s %s %s %s\n", rps, p50 + 0, p99 + 0, bad + 0 }' <<<"$out"
}
