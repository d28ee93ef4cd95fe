#!/usr/bin/env bash
# Deployment status (the specification's scripts/deployment-status.sh), from the ec2m server:
# check-type all (default), infrastructure, application, monitoring or security. Exit codes for
# automation: HEALTHY or DEPLOYING 0, WARNING 1, UNHEALTHY 2. EC2M_JSON=1 prints the report as
# JSON.
set -euo pipefail
if [ $# -lt 1 ] || [ $# -gt 3 ]; then
  echo "Usage: ./scripts/deployment-status.sh <environment> [check-type] [aws-profile]" >&2
  exit 1
fi
# shellcheck source=scripts/ec2m-locate.sh
. "$(dirname "${BASH_SOURCE[0]}")/ec2m-locate.sh"
args=(status "$1" "${2:-all}")
if [ $# -eq 3 ]; then
  args+=(--profile "$3")
fi
if [ "${EC2M_JSON:-}" = 1 ]; then
  args+=(--json)
fi
exec "$EC2M_BIN" "${args[@]}"
