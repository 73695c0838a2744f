#!/usr/bin/env bash
# bench/small-files-cpu.sh -- the 2,000 x 16 KiB case of bench/download.sh as CPU seconds, two jbits builds and
# curl --parallel --parallel-max 8 taking turns in the same minutes (the order of the two builds alternates each
# round). On a shared machine the wall time of small files swings with the disk and the load; the CPU each tool
# spends (curl's and the jbits client's user+sys from /usr/bin/time, the service's from /proc/PID/stat) is what a
# change to jbits moves. Each build runs its own service; both share one nginx. Every run's file count is checked.
# Usage: OLD=/path/to/old/bin/jbits bench/small-files-cpu.sh [DEST_ROOT (default /dev/shm)] [ROUNDS (default 6)]
#   NEW defaults to this clone's bin/jbits. Env: DATA=~/.cache/jbits-bench PORT (the next free one from 18398)
#   REPEAT=1: each run fetches the 2,000 files REPEAT times (1-10), into REPEAT subdirectories, in one job (one curl):
#   what a job of many thousands of files costs.
# Prints one line per run; not part of CI.
set -euo pipefail
ROOT=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$ROOT/bench/lib/common.sh"
DEST=${1:-/dev/shm}
ROUNDS=${2:-6}
DATA=${DATA:-$HOME/.cache/jbits-bench}
PORT=${PORT:-$(free_port 18398)}
[ -n "${OLD:-}" ] || bench_die "set OLD to the bin/jbits of the build to compare with"
J=("$OLD" "${NEW:-$ROOT/bin/jbits}")
NAME=(old new)
[ "$ROUNDS" -ge 1 ] && [ "$ROUNDS" -le 50 ] || bench_die "ROUNDS must be 1-50"
REPEAT=${REPEAT:-1}
[ "$REPEAT" -ge 1 ] && [ "$REPEAT" -le 10 ] || bench_die "REPEAT must be 1-10"
need_tool curl
"$ROOT/bench/lib/fixtures.sh" "$DATA" >/dev/null
"$ROOT/bench/lib/nginx.sh" start "$DATA" "$PORT" >/dev/null
HOMES=("$(mktemp -d /tmp/jbits-sfc.XXXXXX)" "$(mktemp -d /tmp/jbits-sfc.XXXXXX)")
WORK=$(mktemp -d /tmp/jbits-sfc-work.XXXXXX)
cleanup() {
  for k in 0 1; do JBITS_HOME=${HOMES[$k]} "${J[$k]}" service stop >/dev/null 2>&1 || true; done
  "$ROOT/bench/lib/nginx.sh" stop "$DATA" "$PORT" >/dev/null 2>&1 || true
  rm -rf "${HOMES[@]}" "$WORK" "$DEST"/jbits-sfc.* 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM
PIDS=()
for k in 0 1; do
  JBITS_HOME=${HOMES[$k]} "${J[$k]}" service start >/dev/null
  PIDS[k]=$(cat "${HOMES[$k]}/service.pid")
done
BASE="http://127.0.0.1:$PORT"
for ((k = 1; k <= REPEAT; k++)); do
  sed "s|^small/\(.*\)|url = \"$BASE/small/\1\"\noutput = \"$k/\1\"|" "$DATA/small.list"
done > "$WORK/curl.cfg"
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
sum() { awk -v a="$1" -v b="$2" 'BEGIN{print a + b}'; }
# one TOOL (curl, 0 or 1): one run into a fresh directory, timed by /usr/bin/time (bounded by timeout)
one() {
  local t=$1 d e u s s0 s1 args=()
  d=$(mktemp -d "$DEST/jbits-sfc.XXXXXX")
  sync
  if [ "$t" = curl ]; then
    timeout 300 /usr/bin/time -f '%e %U %S' -o "$WORK/time" curl -sS --parallel --parallel-max 8 --create-dirs \
      --output-dir "$d" -K "$WORK/curl.cfg" 2>/dev/null
    read -r e u s < "$WORK/time"
    echo "curl  wall $e cpu $(sum "$u" "$s") files $(find "$d" -type f | wc -l)"
  else
    for ((k = 1; k <= REPEAT; k++)); do
      mkdir "$d/$k"
      while read -r rel; do args+=("$BASE/$rel" "$d/$k/${rel#small/}"); done < "$DATA/small.list"
    done
    s0=$(ticks "${PIDS[$t]}")
    JBITS_HOME=${HOMES[$t]} timeout 300 /usr/bin/time -f '%e %U %S' -o "$WORK/time" "${J[$t]}" transfer "${args[@]}" \
      >/dev/null 2>&1
    s1=$(ticks "${PIDS[$t]}")
    read -r e u s < "$WORK/time"
    echo "${NAME[$t]}   wall $e client_cpu $(sum "$u" "$s") service_cpu $(awk -v a="$s0" -v b="$s1" \
      'BEGIN{print (b - a) / 100}') files $(find "$d" -type f | wc -l)"
  fi
  rm -rf "$d"
}
one 0 >/dev/null; one 1 >/dev/null   # warm-up, not shown
for ((r = 1; r <= ROUNDS; r++)); do
  if ((r % 2)); then one curl; one 0; one 1; else one curl; one 1; one 0; fi
done
echo "($(nproc) cores, loadavg $(cut -d' ' -f1-3 /proc/loadavg))"
