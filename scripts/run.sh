#!/usr/bin/env bash
# `make run`: starts the control plane (`ec2m serve`) in the foreground with the environments in
# config/ on the embedded simulated region, a demo fleet on first start, the REST API and console
# on LISTEN, and the region's EC2 Query endpoint on EC2_LISTEN for the AWS CLI.
#   scripts/run.sh LISTEN DATA_DIR [EC2_LISTEN]    e.g. scripts/run.sh 127.0.0.1:8080 var/ec2m
# EC2M_BIN overrides the binary (default build/release/ec2m). ec2m prints "Admin: EMAIL PASSWORD"
# on the first start (keep it: the password is not shown again) and "Console: URL".
set -euo pipefail

listen=${1:?usage: run.sh LISTEN DATA_DIR [EC2_LISTEN]}
data_dir=${2:?usage: run.sh LISTEN DATA_DIR [EC2_LISTEN]}
ec2_listen=${3:-127.0.0.1:4566}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${EC2M_BIN:-$root/build/release/ec2m}

if [ ! -x "$bin" ]; then
  echo "run: $bin not found; build it with 'make build'" >&2
  exit 1
fi
mkdir -p "$data_dir"
data_dir=$(cd "$data_dir" && pwd)
cat >"$data_dir/ec2m.json" <<JSON
{
  "listen": "$listen",
  "data_dir": "$data_dir",
  "environments_dir": "$root/config",
  "ec2_listen": "$ec2_listen",
  "log_format": "text",
  "demo": true
}
JSON

endpoint="http://$ec2_listen"
cat <<INFO
ec2m control plane: environments from config/, state in $data_dir
  Sign in with the Admin line below (first start only), in the console or with:
    $bin login --server http://$listen --email EMAIL
  The embedded region also speaks the EC2 Query API, with the keys the "EC2 endpoint" line below
  prints (generated on first start, kept in $data_dir/ec2-credentials.json):
    AWS_ACCESS_KEY_ID=KEY AWS_SECRET_ACCESS_KEY=SECRET AWS_DEFAULT_REGION=us-west-2 \\
      aws --endpoint-url $endpoint ec2 describe-instances
  Ctrl-C stops it.

INFO

exec "$bin" serve --config "$data_dir/ec2m.json"
