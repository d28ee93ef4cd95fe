#!/usr/bin/env bash
# Builds every libFuzzer target (declared with ec2m_fuzz(NAME SOURCE LIBS...) in a CMakeLists.txt)
# in the `fuzz` preset (clang, ASan + UBSan) and runs each one for a bounded time. Fails on a
# crash, leak, sanitizer report, timeout or out-of-memory, and prints the reproducer's path.
# Environment:
#   FUZZ_TIME     seconds per target (default 20)
#   FUZZ_TARGETS  space-separated subset of targets to run (default: all)
# Seeds: tests/fuzz/corpus/NAME/ if it exists. It is only read; new inputs go to a scratch
# corpus in build/fuzz/corpus/NAME, crash inputs to build/fuzz/artifacts/.
set -euo pipefail

root=$(git rev-parse --show-toplevel)
cd "$root"
fuzz_time=${FUZZ_TIME:-20}
build_dir=build/fuzz

mapfile -t declared < <(git ls-files '*CMakeLists.txt' '*.cmake' | xargs -r cat |
  sed -n -E 's/^[[:space:]]*ec2m_fuzz[[:space:]]*\([[:space:]]*([A-Za-z0-9_]+).*/\1/p' | sort -u)
if [ -n "${FUZZ_TARGETS:-}" ]; then
  read -r -a declared <<<"$FUZZ_TARGETS"
fi
if [ ${#declared[@]} -eq 0 ]; then
  echo "check-fuzz: no fuzz targets declared (ec2m_fuzz(...) in tests/fuzz/CMakeLists.txt); nothing to run"
  exit 0
fi
if ! command -v clang++ >/dev/null 2>&1; then
  echo "check-fuzz: clang++ not found (run scripts/install-deps.sh)" >&2
  exit 2
fi

echo "check-fuzz: targets: ${declared[*]} (${fuzz_time} s each)"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "${JOBS:-$(nproc)}" --target "${declared[@]}"

mkdir -p "$build_dir/artifacts" "$build_dir/logs"
failed=()
for name in "${declared[@]}"; do
  bin=$(find "$build_dir" -type f -name "$name" -perm -u+x -print -quit)
  if [ -z "$bin" ]; then
    echo "check-fuzz: $name was built but its binary is not under $build_dir" >&2
    failed+=("$name")
    continue
  fi
  work="$build_dir/corpus/$name"
  mkdir -p "$work"
  corpora=("$work")
  seed="tests/fuzz/corpus/$name"
  [ -d "$seed" ] && corpora+=("$seed")
  log="$build_dir/logs/$name.log"
  echo "check-fuzz: running $name for ${fuzz_time} s (seeds: ${corpora[*]:1})"
  status=0
  "$bin" -max_total_time="$fuzz_time" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$build_dir/artifacts/$name-" "${corpora[@]}" >"$log" 2>&1 || status=$?
  if [ "$status" -ne 0 ]; then
    echo "check-fuzz: $name FAILED (exit $status); last lines of $log:" >&2
    tail -n 60 "$log" >&2
    artifact=$(sed -n -E 's/.*Test unit written to (.*)$/\1/p' "$log" | tail -1)
    [ -n "$artifact" ] && echo "check-fuzz: reproduce with: $bin $artifact" >&2
    failed+=("$name")
  else
    runs=$(sed -n -E 's/^stat::number_of_executed_units:[[:space:]]*([0-9]+).*/\1/p' "$log" | tail -1)
    cov=$(grep -o -E 'cov: [0-9]+' "$log" | tail -1 || true)
    echo "check-fuzz: $name ok (${runs:-?} runs, ${cov:-cov: ?})"
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "check-fuzz: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "check-fuzz: all ${#declared[@]} targets ran clean"
