#!/usr/bin/env bash
# Fails if a tracked file (or one a change adds) is larger than the limit: big blobs belong in
# release assets or LFS, not in the repository. Reports the largest files either way.
#   scripts/check-large-files.sh        Environment: MAX_FILE_KB (default 1024)
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"
max_kb=${MAX_FILE_KB:-1024}

too_big=0
listing=$(git ls-files -z | xargs -0 -r stat -c '%s %n' 2>/dev/null | sort -rn || true)
while read -r size name; do
  [ -n "$name" ] || continue
  if [ "$size" -gt $((max_kb * 1024)) ]; then
    echo "check-large-files: $name is $((size / 1024)) KB (limit ${max_kb} KB)" >&2
    too_big=$((too_big + 1))
  fi
done <<<"$listing"

echo "check-large-files: largest tracked files:"
head -5 <<<"$listing" | awk '{ printf "  %8.1f KB  %s\n", $1 / 1024, $2 }'
if [ "$too_big" -ne 0 ]; then
  echo "check-large-files: FAILED: $too_big file(s) over ${max_kb} KB" >&2
  exit 1
fi
echo "check-large-files: no tracked file over ${max_kb} KB"
