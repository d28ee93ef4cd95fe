#!/usr/bin/env bash
# Validates the environment configs in config/. Every file there (*.md and dotfiles aside) must be
# JSON that parses (jq), and when an ec2m binary with a `validate` command is built,
# `ec2m validate ENV --config-dir DIR` must accept each DIR/ENV.json too (schema, references,
# compliance rules).
#   scripts/check-config.sh [CONFIG_DIR]      (default: config/)
# Environment: EC2M_BIN overrides which binary is asked.
set -euo pipefail

root=$(git rev-parse --show-toplevel)
cd "$root"
dir=${1:-config}

if ! command -v jq >/dev/null 2>&1; then
  echo "check-config: jq not found (run scripts/install-deps.sh)" >&2
  exit 2
fi

mapfile -t files < <(find "$dir" -type f ! -name '.*' ! -name '*.md' 2>/dev/null | sort)
if [ ${#files[@]} -eq 0 ]; then
  echo "check-config: $dir/ holds no config files; nothing to validate"
  exit 0
fi

ec2m=""
for candidate in "${EC2M_BIN:-}" build/release/ec2m build/coverage/ec2m; do
  # A binary without the command may still exit 0 on --help (printing its own help), so the
  # help text must also mention the --config-dir option.
  [ -n "$candidate" ] && [ -x "$candidate" ] || continue
  if help=$("$candidate" validate --help 2>&1) && grep -q -- '--config-dir' <<<"$help"; then
    ec2m=$candidate
    break
  fi
done
if [ -z "$ec2m" ]; then
  echo "check-config: no built ec2m with a 'validate' command; checking JSON syntax only"
fi

failed=0
for f in "${files[@]}"; do
  case "$f" in
    *.json)
      if ! err=$(jq empty "$f" 2>&1); then
        echo "check-config: $f: invalid JSON: $err" >&2
        failed=$((failed + 1))
        continue
      fi
      ;;
    *)
      echo "check-config: $f: not a .json file (configs are JSON)" >&2
      failed=$((failed + 1))
      continue
      ;;
  esac
  if [ -n "$ec2m" ]; then
    if ! "$ec2m" validate "$(basename "$f" .json)" --config-dir "$(dirname "$f")"; then
      echo "check-config: $f: rejected by $ec2m validate" >&2
      failed=$((failed + 1))
      continue
    fi
  fi
  echo "check-config: ok $f"
done

if [ "$failed" -ne 0 ]; then
  echo "check-config: FAILED: $failed of ${#files[@]} files" >&2
  exit 1
fi
echo "check-config: all ${#files[@]} files valid"
