#!/usr/bin/env bash
# Environment provisioning (the specification's scripts/provision-env.sh), through the ec2m
# server the CLI is signed in to (`ec2m login`): credential check, the diff preview, confirmation
# when the environment exists ("Are you sure? (y/N)" for prod), bootstrap of a new environment,
# the apply with progress lines, post-deployment health checks, and outputs/ENV.env plus
# outputs/ENV.outputs.json. Exit 0 applied or nothing to do, 1 failed or not confirmed, 11 held
# for approval (an environment whose config requires a second person: `ec2m approve d-N`).
# OUTPUTS_DIR (default outputs/) and CONFIG_DIR (default the checkout's config/) move them.
# Automation: EC2M_ASSUME_YES=1 answers the confirmation (it is never asked without a terminal).
set -euo pipefail
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "Usage: ./scripts/provision-env.sh <environment> [aws-profile]" >&2
  exit 1
fi
# shellcheck source=scripts/ec2m-locate.sh
. "$(dirname "${BASH_SOURCE[0]}")/ec2m-locate.sh"
args=(provision "$1" --config-dir "$CONFIG_DIR" --outputs-dir "${OUTPUTS_DIR:-outputs}")
if [ $# -eq 2 ]; then
  args+=(--profile "$2")
fi
if [ "${EC2M_ASSUME_YES:-}" = 1 ]; then
  args+=(--yes)
fi
exec "$EC2M_BIN" "${args[@]}"
