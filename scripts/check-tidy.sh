#!/usr/bin/env bash
# Runs clang-tidy (config: .clang-tidy, every check an error) over every tracked src/**/*.cpp
# except unit tests (*_test.cpp), in parallel, with the compile commands of BUILD_DIR.
#   scripts/check-tidy.sh BUILD_DIR
# Headers under src/ are checked through the sources that include them.
#
# A file that passed is remembered in a cache keyed by everything clang-tidy sees: its
# preprocessed text (so any included header counts), its flags, .clang-tidy and the clang-tidy
# version. Unchanged files are then skipped on the next run. TIDY_CACHE=0 turns the cache off;
# TIDY_CACHE_DIR moves it (default ~/.cache/ec2m/clang-tidy).
set -euo pipefail

root=$(git rev-parse --show-toplevel)
tidy=$(command -v clang-tidy-14 || command -v clang-tidy || true)
clangxx=$(command -v clang++-14 || command -v clang++ || true)
if [ -z "$tidy" ]; then
  echo "check-tidy: clang-tidy not found (run scripts/install-deps.sh)" >&2
  exit 2
fi

# --one FILE: check one file (called in parallel by the main part below).
if [ "${1:-}" = "--one" ]; then
  build_dir=$2 file=$3 cache_dir=$4
  db="$build_dir/compile_commands.json"
  entry=$(jq -c --arg f "$root/$file" 'map(select(.file == $f)) | first // empty' "$db")
  if [ -z "$entry" ]; then
    echo "check-tidy: skipped $file (not in $db: not part of the build?)"
    exit 0
  fi
  key=""
  if [ -n "$cache_dir" ] && [ -n "$clangxx" ]; then
    dir=$(jq -r '.directory' <<<"$entry")
    cmd=$(jq -r 'if .command then .command else (.arguments | @sh) end' <<<"$entry")
    eval "set -- $cmd"
    shift  # the compiler
    args=()
    while [ $# -gt 0 ]; do
      case "$1" in
        -o) shift 2; continue ;;
        -c) shift; continue ;;
        # Instrumentation changes the object code, not what clang-tidy reads (the preprocessed
        # text below is hashed too): the coverage tree's sanitizers must not void the cache.
        -fsanitize=* | -fno-sanitize-recover=* | -fno-omit-frame-pointer | --coverage | \
          -fprofile-arcs | -ftest-coverage) shift; continue ;;
      esac
      args+=("$1")
      shift
    done
    # clang, not the compiler of the build: GCC-only warning flags must not fail it, and the
    # clone's path (assert messages name their file) must not make every clone's key differ.
    if pre=$(cd "$dir" && "$clangxx" "${args[@]}" -Wno-unknown-warning-option -E -P -o - \
               2>/dev/null | sed "s|$root|@ROOT@|g" | sha256sum); then
      key=$({ "$tidy" --version; cat "$root/.clang-tidy"; printf '%s\n' "${args[@]}" |
              sed "s|$root|@ROOT@|g"; echo "$pre"; } | sha256sum | cut -c1-64)
      if [ -f "$cache_dir/$key" ]; then
        exit 0
      fi
    fi
  fi
  started=$SECONDS
  if out=$("$tidy" -p "$build_dir" --quiet --header-filter="^$root/src/" \
             --extra-arg=-Wno-unknown-warning-option "$root/$file" 2>&1); then
    [ -n "$key" ] && touch "$cache_dir/$key"
    echo "check-tidy: ok     $file ($((SECONDS - started)) s)"
    exit 0
  fi
  grep -v -E '^[0-9]+ warnings? (and [0-9]+ errors? )?generated\.$|^Suppressed [0-9]+ warnings|^Use -header-filter|^Error while processing|^Use -system-headers' \
    <<<"$out" || true
  echo "check-tidy: FAILED $file"
  exit 1
fi

build_dir=$(cd "${1:?usage: check-tidy.sh BUILD_DIR}" 2>/dev/null && pwd || true)
if [ -z "$build_dir" ] || [ ! -f "$build_dir/compile_commands.json" ]; then
  preset=$(basename "${1}")
  echo "check-tidy: no $1/compile_commands.json; configuring preset '$preset'"
  (cd "$root" && cmake --preset "$preset" >/dev/null)
  build_dir=$(cd "$1" && pwd)
fi

cd "$root"
mapfile -t files < <(git ls-files 'src/*.cpp' | grep -v '_test\.cpp$' || true)
if [ ${#files[@]} -eq 0 ]; then
  echo "check-tidy: no source files under src/"
  exit 0
fi

cache_dir=""
if [ "${TIDY_CACHE:-1}" != 0 ]; then
  cache_dir=${TIDY_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ec2m/clang-tidy}
  mkdir -p "$cache_dir"
fi

echo "check-tidy: ${#files[@]} files, $(nproc) in parallel ($("$tidy" --version | grep -i version | head -1 | sed 's/^ *//'))"
started=$SECONDS
status=0
printf '%s\n' "${files[@]}" |
  xargs -P "$(nproc)" -I{} bash "$0" --one "$build_dir" {} "$cache_dir" || status=$?
if [ "$status" -ne 0 ]; then
  echo "check-tidy: FAILED after $((SECONDS - started)) s (fix the code, or NOLINT(check) with a reason)" >&2
  exit 1
fi
echo "check-tidy: all ${#files[@]} files clean in $((SECONDS - started)) s (unchanged files come from the cache)"
