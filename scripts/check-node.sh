#!/usr/bin/env bash
# Checks that the Node.js on PATH (or $NODE) is as new as the console needs: the "node" range in
# web/package.json's "engines" (">=X.Y.Z"). Exit 0 when it is; 1, saying what to do, when Node is
# missing or older (Debian 12's nodejs is 18, and the console's build tools need 20.19 or later).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
node=${NODE:-node}
required=$(sed -n 's/.*"node": *">= *\([0-9][0-9.]*\)".*/\1/p' "$root/web/package.json" | head -1)
if [ -z "$required" ]; then
  echo "check-node: web/package.json names no \"engines\": {\"node\": \">=X.Y.Z\"}" >&2
  exit 1
fi

how_to="Install Node.js $required or later and run this again, for example:
  - NodeSource's Debian packages: https://github.com/nodesource/distributions (nodejs 20.x or 22.x),
  - or nvm (https://github.com/nvm-sh/nvm): nvm install 22,
  then check with: node --version
The console (web/) is built with Vite, which needs Node $required or later; ec2m itself does not
need Node at run time."

if ! have=$("$node" --version 2>/dev/null); then
  echo "check-node: Node.js not found (looked for '$node')." >&2
  echo "$how_to" >&2
  exit 1
fi
have=${have#v}
# sort -V -C: whether the lines are already in version order, i.e. required <= have.
if ! printf '%s\n%s\n' "$required" "$have" | sort -V -C; then
  echo "check-node: Node.js $have is too old for the console: it needs $required or later" \
    "(web/package.json engines.node)." >&2
  echo "$how_to" >&2
  exit 1
fi
echo "check-node: Node.js $have (the console needs $required or later)"
