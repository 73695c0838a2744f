#!/usr/bin/env bash
# bench/lib/fixtures.sh [DIR] -- the download test data of the benchmarks, made once and reused.
#
# DIR defaults to $BENCH_DATA, else ~/.cache/jbits-bench (outside the repository: a gibibyte does not belong in git).
# It holds:
#   big-1g.bin        1 GiB (1,073,741,824 bytes) of random bytes
#   small/f0000 ...   2,000 files of 16 KiB (16,384 bytes) each, random
#   small.list        their paths relative to DIR, one a line (small/f0000 ...)
#   SHA256SUMS        the SHA-256 of every file above, relative to DIR (sha256sum -c works from DIR)
#
# The bytes come from /dev/urandom: incompressible, so neither a server nor a file system can make a run look faster
# than the wire. They differ from machine to machine, so results are checked against SHA256SUMS, never against
# fixed sums. A complete set (SHA256SUMS written last, every size right) is kept; FORCE=1 makes a new one.
set -euo pipefail
DIR=${1:-${BENCH_DATA:-$HOME/.cache/jbits-bench}}
BIG_BYTES=1073741824
SMALL_FILES=2000
SMALL_BYTES=16384

complete() {
  [ -s "$DIR/SHA256SUMS" ] && [ -s "$DIR/small.list" ] || return 1
  [ "$(stat -c %s "$DIR/big-1g.bin" 2>/dev/null)" = "$BIG_BYTES" ] || return 1
  [ "$(find "$DIR/small" -maxdepth 1 -type f -size "${SMALL_BYTES}c" 2>/dev/null | wc -l)" = "$SMALL_FILES" ]
}

if [ "${FORCE:-0}" != 1 ] && complete; then
  echo "fixtures: $DIR is complete (FORCE=1 makes a new set)"
  exit 0
fi

mkdir -p "$DIR"
# SHA256SUMS goes first and comes back last: a run that dies half-way never leaves a set that looks complete.
rm -f "$DIR/SHA256SUMS" "$DIR/small.list" "$DIR/big-1g.bin"
rm -rf "$DIR/small"
mkdir "$DIR/small"
started=$SECONDS
head -c "$BIG_BYTES" /dev/urandom > "$DIR/big-1g.bin"
# One stream cut into equal pieces: small/f0000, small/f0001, ...
head -c $((SMALL_FILES * SMALL_BYTES)) /dev/urandom | split -b "$SMALL_BYTES" -a 4 -d - "$DIR/small/f"
(cd "$DIR" && find small -maxdepth 1 -type f -name 'f[0-9][0-9][0-9][0-9]' | sort) > "$DIR/small.list"
[ "$(wc -l < "$DIR/small.list")" = "$SMALL_FILES" ] || { echo "fixtures: expected $SMALL_FILES small files" >&2; exit 1; }
chmod -R a+rX "$DIR"   # nginx workers may run as another user
(cd "$DIR" && { sha256sum big-1g.bin; xargs -a small.list sha256sum; }) > "$DIR/SHA256SUMS.new"
mv "$DIR/SHA256SUMS.new" "$DIR/SHA256SUMS"
echo "fixtures: made in $DIR in $((SECONDS - started)) s (1 GiB file, $SMALL_FILES x 16 KiB, SHA256SUMS)"
