#!/usr/bin/env bash
# Prints one hash for the source tree as it is now: the commit, the uncommitted changes and the
# untracked files that are not ignored. Two runs print the same hash only when nothing a build
# reads has changed, so a stamp holding it says which sources a result belongs to.
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"
{
  git rev-parse HEAD
  git diff HEAD --binary
  git ls-files --others --exclude-standard -z | sort -z | xargs -0 -r sha256sum
} | sha256sum | cut -c1-64
