#!/bin/sh
# Writes what 'jbits version --verbose' says of the build (run by jbits-cli's pom, phase generate-resources): the
# commit git says the checkout is at (git itself, so clones and linked worktrees alike give the right one), whether
# the tree had uncommitted changes, and the time of the build in UTC. Outside git, no commit.
# Usage: build-info.sh MODULE_DIR OUTPUT_FILE
set -eu
dir=$1 out=$2
mkdir -p "$(dirname "$out")"
commit=$(git -C "$dir" rev-parse HEAD 2>/dev/null || true)
dirty=false
if [ -n "$commit" ] && [ -n "$(git -C "$dir" status --porcelain --untracked-files=no 2>/dev/null)" ]; then
  dirty=true
fi
{
  echo "# Written by jbits-cli/src/build/build-info.sh"
  [ -n "$commit" ] && echo "git.commit.id=$commit" && echo "git.dirty=$dirty"
  echo "git.build.time=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
} >"$out"
