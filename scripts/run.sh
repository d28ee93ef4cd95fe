#!/usr/bin/env bash
# `make run`: starts the simulated EC2 region in the foreground on LISTEN, keeping its state in
# DATA_DIR, after printing how to reach it.
#   scripts/run.sh LISTEN DATA_DIR        e.g. scripts/run.sh 127.0.0.1:4566 var/sim
# EC2M_BIN overrides the binary (default build/release/ec2m).
set -euo pipefail

listen=${1:?usage: run.sh LISTEN DATA_DIR}
data_dir=${2:?usage: run.sh LISTEN DATA_DIR}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${EC2M_BIN:-$root/build/release/ec2m}

if [ ! -x "$bin" ]; then
  echo "run: $bin not found; build it with 'make build'" >&2
  exit 1
fi
mkdir -p "$data_dir"

endpoint="http://$listen"
env_prefix="AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-west-2 AWS_PAGER=\"\""
cat <<INFO
ec2m simulated EC2 region
  endpoint:    $endpoint
  credentials: access key 'test', secret key 'test', region us-west-2
  state:       $data_dir

Try it with the AWS CLI:
  $env_prefix aws --endpoint-url $endpoint ec2 run-instances --image-id ami-0abcdef1234567890 --count 3 --instance-type t3.micro
  $env_prefix aws --endpoint-url $endpoint ec2 describe-instances

Ctrl-C stops it.
INFO

exec "$bin" sim serve --listen "$listen" --data-dir "$data_dir"
