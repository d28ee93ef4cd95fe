#!/usr/bin/env bash
# The ASan + UBSan gate: every test (the AWS CLI conformance tests aside) passes in a tree built
# with -fsanitize=address,undefined.
#
# The coverage tree is built with the sanitizers too (CMakePresets.json), so `make test` already
# ran every test under them. When that run passed for the sources as they are now (its stamp,
# build/coverage/tests-passed, holds their hash), this gate says so and runs nothing twice. Any
# other time (no `make test` yet, sources changed since, a coverage tree built without the
# sanitizers) it builds the asan-ubsan preset and runs the tests there.
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"

tree=build/coverage
stamp="$tree/tests-passed"
if grep -q '^EC2M_SANITIZE:BOOL=ON' "$tree/CMakeCache.txt" 2>/dev/null && [ -f "$stamp" ]; then
  read -r state skipped <"$stamp"
  if [ "$state" = "$(bash scripts/source-state.sh)" ]; then
    echo "check-asan: make test ran every test (${skipped:-skipped=}) under ASan + UBSan in $tree" \
      "for these sources, and they passed; not running them twice"
    exit 0
  fi
  echo "check-asan: the sources changed since make test passed in $tree; running the tests again"
fi

cmake --preset asan-ubsan >/dev/null
cmake --build --preset asan-ubsan -j "${JOBS:-$(nproc)}"
SKIP_LABELS=conformance bash scripts/run-tests.sh build/asan-ubsan
