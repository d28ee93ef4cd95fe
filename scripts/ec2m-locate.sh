# Sourced by the environment scripts: sets EC2M_BIN to the ec2m to run (EC2M_BIN if set, else
# the one on PATH, else this checkout's release or debug build) and CONFIG_DIR (default: this
# checkout's config/).
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
if [ -z "${EC2M_BIN:-}" ]; then
  if command -v ec2m >/dev/null 2>&1; then
    EC2M_BIN=$(command -v ec2m)
  else
    for candidate in "$root/build/release/ec2m" "$root/build/debug/ec2m"; do
      if [ -x "$candidate" ]; then
        EC2M_BIN=$candidate
        break
      fi
    done
  fi
fi
if [ -z "${EC2M_BIN:-}" ]; then
  echo "ec2m not found: build it (make) or put it on PATH" >&2
  exit 1
fi
CONFIG_DIR=${CONFIG_DIR:-$root/config}
