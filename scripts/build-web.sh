#!/usr/bin/env bash
# Builds the console (web/) into web/dist, which `ec2m serve` serves.
#   scripts/build-web.sh
# Idempotent: `npm ci` runs only when web/node_modules is missing or package-lock.json changed
# since the last install, and the build only when a source is newer than web/dist.
# Environment: FORCE=1 rebuilds anyway.
set -euo pipefail

cd "$(dirname "$0")/../web"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "build-web: node and npm are needed (scripts/install-deps.sh installs them)" >&2
  exit 1
fi
# Vite 8 needs Node 20.19 or newer (Debian 12's own nodejs is 18).
if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)'; then
  echo "build-web: Node $(node --version) is too old; the console needs Node >= 20.19" >&2
  exit 1
fi

stamp=node_modules/.ec2m-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -d node_modules ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "build-web: npm ci (package-lock.json changed or node_modules missing)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" >"$stamp"
fi

# Up to date when dist/index.html is newer than every input of the build.
if [ "${FORCE:-0}" != 1 ] && [ -f dist/index.html ] &&
   [ -z "$(find src index.html vite.config.ts tsconfig.json package.json package-lock.json \
            -newer dist/index.html -print -quit)" ]; then
  echo "build-web: web/dist is up to date"
  exit 0
fi
npm run --silent build
echo "build-web: built web/dist"
