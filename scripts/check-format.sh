#!/usr/bin/env bash
# Fails if any tracked C++ file differs from what clang-format (.clang-format) would write.
# Fix with `make format`.
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"

clang_format=$(command -v clang-format-14 || command -v clang-format || true)
if [ -z "$clang_format" ]; then
  echo "check-format: clang-format not found (run scripts/install-deps.sh)" >&2
  exit 2
fi

mapfile -t files < <(git ls-files '*.cpp' '*.hpp')
if [ ${#files[@]} -eq 0 ]; then
  echo "check-format: no C++ files tracked"
  exit 0
fi

bad=()
for f in "${files[@]}"; do
  [ -f "$f" ] || continue  # deleted in the work tree but not yet in the index
  if ! "$clang_format" --dry-run --Werror "$f" >/dev/null 2>&1; then
    bad+=("$f")
  fi
done

if [ ${#bad[@]} -gt 0 ]; then
  echo "check-format: ${#bad[@]} of ${#files[@]} files are not clang-format clean:" >&2
  printf '  %s\n' "${bad[@]}" >&2
  echo "check-format: first differences:" >&2
  "$clang_format" --dry-run "${bad[@]:0:3}" 2>&1 | head -40 >&2 || true
  echo "check-format: run 'make format' to fix" >&2
  exit 1
fi
echo "check-format: ${#files[@]} files clean ($("$clang_format" --version | head -1))"
