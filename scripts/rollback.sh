#!/usr/bin/env bash
# Rollback (the specification's scripts/rollback.sh), through the ec2m server: the target is
# "previous" (default: the last known good state), a change set id (cs-prod-41) or an RFC 3339
# UTC time (2026-11-27T10:00:00Z). The current state is backed up first, the target config is
# validated, applied with progress lines and health-checked, and the result recorded as a change
# set. Production asks to type ROLLBACK (EC2M_CONFIRM=ROLLBACK for automation); other
# environments ask y/N (EC2M_ASSUME_YES=1). Exit 0 rolled back, 1 failed or not confirmed, 11 held
# for approval (an environment whose config requires a second person: `ec2m approve d-N`).
set -euo pipefail
if [ $# -lt 1 ] || [ $# -gt 3 ]; then
  echo "Usage: ./scripts/rollback.sh <environment> [rollback-target] [aws-profile]" >&2
  exit 1
fi
# shellcheck source=scripts/ec2m-locate.sh
. "$(dirname "${BASH_SOURCE[0]}")/ec2m-locate.sh"
args=(rollback "$1" "${2:-previous}" --outputs-dir "${OUTPUTS_DIR:-outputs}")
if [ $# -eq 3 ]; then
  args+=(--profile "$3")
fi
if [ -n "${EC2M_CONFIRM:-}" ]; then
  args+=(--confirm "$EC2M_CONFIRM")
fi
if [ "${EC2M_ASSUME_YES:-}" = 1 ]; then
  args+=(--yes)
fi
exec "$EC2M_BIN" "${args[@]}"
