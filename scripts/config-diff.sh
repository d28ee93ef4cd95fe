#!/usr/bin/env bash
# What a change does to the environment configs: for every config/*.json that differs from BASE
# (the merge base with it), the JSON paths added, removed and changed. Removed files and paths,
# and changed keys that force resources to be replaced (region, account, CIDRs, AZ count,
# removal policy), are marked DESTRUCTIVE. Informational: exits 0 unless BASE is unusable with
# STRICT=1. `ec2m diff ENV` gives the resource-level plan once stacks exist.
#   scripts/config-diff.sh [BASE]         (default origin/main)
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"
base_ref=${1:-origin/main}

if ! base=$(git merge-base "$base_ref" HEAD 2>/dev/null); then
  echo "config-diff: cannot find a merge base with '$base_ref'; nothing to compare"
  [ "${STRICT:-0}" = 1 ] && exit 1
  exit 0
fi

annotate() {  # level file message
  if [ "${GITHUB_ACTIONS:-}" = true ]; then
    echo "::$1 file=$2::$3"
  fi
}

mapfile -t changes < <(git diff --name-status --no-renames "$base" -- config/ src/stacks/)
if [ ${#changes[@]} -eq 0 ]; then
  echo "config-diff: no changes to config/ or src/stacks/ since $(git rev-parse --short "$base")"
  exit 0
fi

echo "config-diff: changes since $(git rev-parse --short "$base") ($base_ref):"
printf '  %s\n' "${changes[@]}"

# Flattens a JSON document to {"$.a.b[0].c": scalar}.
flatten='[paths(scalars) as $p
          | {key: ("$" + ($p | map(if type == "number" then "[\(.)]" else ".\(.)" end) | join(""))),
             value: getpath($p)}] | from_entries'
replacing='(^|\.)(region|account[A-Za-z]*|[A-Za-z]*[cC]idr[A-Za-z]*|maxAzs|removalPolicy)($|\.|\[)'

destructive=0
for line in "${changes[@]}"; do
  status=${line%%$'\t'*}
  file=${line#*$'\t'}
  case "$file" in config/*.json) ;; *) continue ;; esac
  echo
  case "$status" in
    A) echo "$file: new environment config" ;;
    D)
      echo "$file: DESTRUCTIVE: environment config removed"
      annotate warning "$file" "environment config removed (destructive)"
      destructive=$((destructive + 1))
      ;;
    *)
      old=$(git show "$base:$file" | jq -c "$flatten" 2>/dev/null || echo '{}')
      new=$(jq -c "$flatten" "$file" 2>/dev/null || echo '{}')
      echo "$file:"
      report=$(jq -n -r --argjson a "$old" --argjson b "$new" --arg re "$replacing" '
        ([$a | keys[] | select(. as $k | $b | has($k) | not)] | map(
          "  - \(.) (was \($a[.] | tojson))" + "\tDESTRUCTIVE: removed")),
        ([$b | keys[] | select(. as $k | $a | has($k) | not)] | map(
          "  + \(.) = \($b[.] | tojson)")),
        ([$a | keys[] | select(. as $k | ($b | has($k)) and $a[$k] != $b[$k])] | map(
          "  ~ \(.): \($a[.] | tojson) -> \($b[.] | tojson)"
          + (if test($re) then "\tDESTRUCTIVE: replaces resources" else "" end)))
        | .[]')
      while IFS= read -r r; do
        [ -n "$r" ] || continue
        if [[ "$r" == *$'\t'* ]]; then
          echo "${r%%$'\t'*}    <-- ${r#*$'\t'}"
          annotate warning "$file" "${r#*$'\t'}: $(sed 's/^ *//' <<<"${r%%$'\t'*}")"
          destructive=$((destructive + 1))
        else
          echo "$r"
        fi
      done <<<"$report"
      ;;
  esac
done

echo
if [ "$destructive" -gt 0 ]; then
  echo "config-diff: $destructive destructive change(s): review before merging"
else
  echo "config-diff: no destructive changes"
fi
