#!/usr/bin/env bash
# Line coverage of src/ from the tests that `make test` ran in the coverage tree; fails under 80 %.
#   scripts/check-coverage.sh BUILD_DIR
# Unit tests (*_test.cpp), tests/ and src/app/main.cpp are not counted. Writes
# BUILD_DIR/coverage.xml (Cobertura, for CI upload) and BUILD_DIR/coverage.txt.
# Environment: COVERAGE_MIN (default 80).
set -euo pipefail

root=$(git rev-parse --show-toplevel)
build_dir=$(cd "${1:?usage: check-coverage.sh BUILD_DIR}" && pwd)
min=${COVERAGE_MIN:-80}

if ! grep -q '^EC2M_COVERAGE:BOOL=ON' "$build_dir/CMakeCache.txt" 2>/dev/null; then
  echo "check-coverage: $build_dir is not a coverage tree (configure with --preset coverage)" >&2
  exit 2
fi
if [ -z "$(find "$build_dir" -name '*.gcda' -print -quit)" ]; then
  echo "check-coverage: no .gcda files in $build_dir: run 'make test' first" >&2
  exit 2
fi

cd "$root"
status=0
# Relative filters are taken from the current directory, which is the repository root.
gcovr --root "$root" "$build_dir" \
  --filter 'src/' \
  --exclude '.*_test\.cpp$' \
  --exclude 'tests/' \
  --exclude 'src/app/main\.cpp$' \
  --gcov-ignore-parse-errors \
  -j "$(nproc)" \
  --txt "$build_dir/coverage.txt" \
  --xml "$build_dir/coverage.xml" \
  --print-summary \
  --fail-under-line "$min" >"$build_dir/coverage.summary" || status=$?

cat "$build_dir/coverage.txt"
cat "$build_dir/coverage.summary"
if [ "$status" -ne 0 ]; then
  echo "check-coverage: FAILED: line coverage of src/ is under $min % (gcovr exit $status)" >&2
  exit 1
fi
echo "check-coverage: line coverage of src/ is at least $min %"
