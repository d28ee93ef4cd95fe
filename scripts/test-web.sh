#!/usr/bin/env bash
# The console's tests: unit tests (vitest, jsdom) always; the end-to-end scenario in Debian's
# chromium against a real `ec2m serve` when EC2M_BIN names the binary.
#   scripts/test-web.sh                                  # unit tests only
#   EC2M_BIN=build/release/ec2m scripts/test-web.sh      # and the e2e scenario
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# Installs what package-lock.json names (when needed) and builds web/dist, which the e2e serves.
bash "$root/scripts/build-web.sh"
cd "$root/web"

echo "test-web: unit tests (vitest)"
npm test --silent

if [ -n "${EC2M_BIN:-}" ]; then
  case "$EC2M_BIN" in /*) ;; *) EC2M_BIN="$root/$EC2M_BIN" ;; esac
  export EC2M_BIN
  echo "test-web: e2e against $EC2M_BIN serve (chromium: $(command -v chromium || echo none))"
  npm run --silent e2e
else
  echo "test-web: e2e skipped (set EC2M_BIN to the ec2m binary to run it)"
fi
