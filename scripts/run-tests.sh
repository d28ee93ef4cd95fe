#!/usr/bin/env bash
# Runs every ctest test of one build tree in parallel and fails if any test fails.
#   scripts/run-tests.sh BUILD_DIR
# Environment:
#   LABELS        ctest label regex to select (-L), e.g. LABELS=unit or LABELS='unit|integration'
#   SKIP_LABELS   ctest label regex to leave out (-LE), e.g. SKIP_LABELS=conformance
#   TEST_TIMEOUT  per-test timeout in seconds (default 300)
#   JOBS          parallel tests (default: nproc)
# A whole-tree run that passes leaves BUILD_DIR/tests-passed: the source state it ran
# (scripts/source-state.sh) and what left out; check-asan reads it.
set -euo pipefail

build_dir=${1:?usage: run-tests.sh BUILD_DIR}
if [ ! -f "$build_dir/CTestTestfile.cmake" ]; then
  echo "run-tests: $build_dir is not a configured build tree (no CTestTestfile.cmake)" >&2
  exit 2
fi

# gtest discovery runs each test binary at build time, and a rebuilt binary meets .gcda files
# written by its predecessor (other checksums): start every coverage run from a clean slate.
if grep -q '^EC2M_COVERAGE:BOOL=ON' "$build_dir/CMakeCache.txt" 2>/dev/null; then
  find "$build_dir" -name '*.gcda' -delete
fi

args=(--test-dir "$build_dir" -j "${JOBS:-$(nproc)}" --output-on-failure
      --timeout "${TEST_TIMEOUT:-300}")
if [ -n "${LABELS:-}" ]; then
  args+=(-L "$LABELS")
else
  # A whole-tree run that finds nothing means the build is broken, not that all is well.
  args+=(--no-tests=error)
fi
if [ -n "${SKIP_LABELS:-}" ]; then
  args+=(-LE "$SKIP_LABELS")
fi

rm -f "$build_dir/tests-passed"
echo "run-tests: ctest ${args[*]}"
ctest "${args[@]}"
if [ -z "${LABELS:-}" ]; then
  printf '%s skipped=%s\n' "$(bash "$(dirname "$0")/source-state.sh")" "${SKIP_LABELS:-}" \
    >"$build_dir/tests-passed"
fi
