#!/usr/bin/env bash
# Installs every Debian package ec2m needs to build, test and benchmark.
# Idempotent: packages already present are skipped, and apt-get update runs
# only when something is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config git
  clang clang-format clang-tidy libclang-rt-14-dev
  libboost1.81-dev nlohmann-json3-dev libpugixml-dev libsqlite3-dev sqlite3
  libcurl4-openssl-dev libssl-dev openssl libpqxx-dev libpq-dev postgresql
  libcli11-dev libspdlog-dev libfmt-dev libargon2-dev libhowardhinnant-date-dev tzdata
  libgtest-dev libgmock-dev libbenchmark-dev gcovr jq
  awscli curl wrk hyperfine nginx-light
  nodejs npm chromium
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

# Node and npm may come from outside Debian on some machines; do not replace them.
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
  filtered=()
  for p in "${missing[@]}"; do
    case "$p" in nodejs|npm) ;; *) filtered+=("$p") ;; esac
  done
  missing=("${filtered[@]+"${filtered[@]}"}")
fi

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: missing packages (${missing[*]}); run as root or install them" >&2
    exit 1
  fi
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
echo "install-deps: all packages present"
# The console's build tools need a newer Node than some systems ship (Debian 12: 18).
bash "$(dirname "$0")/check-node.sh"
