#!/usr/bin/env bash
# bench/scale.sh -- jbits with a big queue, measured:
#   1. JOBS (100,000) suspended download jobs written straight into the state database (bench/FillQueue.java);
#   2. service start: wall time of `jbits service start` (CLI start + service start + load of every job), and the
#      service's own time from JVM start to listening (from its log);
#   3. `jbits list --json`: wall time and size of the answer (every job, with its files);
#   4. the service's memory: VmRSS and VmHWM (peak) from /proc after the start and after the lists;
#   5. FG (1,000) foreground jobs of one 64 KiB file each, created and resumed at once through the API on top of that
#      queue (bench/ManyForeground.java), from a private nginx; every file checked by SHA-256.
# Goals (issue #7): start < 2 s, list < 1 s, RSS < 256 MiB, the FG jobs without errors.
# Needs nginx (apt-get install -y nginx), served by bench/lib/nginx.sh. Not part of CI. Env: JOBS=100000 FG=1000
# RUNS=3 PORT=18095 (the next free one when busy) DISKTMP=/var/tmp OUT=/tmp/jbits-scale.<date>
set -euo pipefail
ROOT=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
BENCH_LIB=$ROOT/bench/lib
. "$BENCH_LIB/common.sh"
JOBS=${JOBS:-100000}
FG=${FG:-1000}
RUNS=${RUNS:-3}
PORT=${PORT:-$(free_port 18095)}
DISKTMP=${DISKTMP:-/var/tmp}
OUT=${OUT:-/tmp/jbits-scale.$(date +%Y%m%d-%H%M%S)}
JBITS=${JBITS:-$ROOT/bin/jbits}
nginx_binary >/dev/null
mkdir -p "$OUT"
"$JBITS" version >/dev/null                                  # builds jbits when needed
JAVA=$(. "$ROOT/bin/find-jdk" && find_jdk)/bin/java
LIB="$ROOT/jbits-cli/target/lib/*:$ROOT/jbits-cli/target/jbits.jar"
WORK=$(mktemp -d "$DISKTMP/jbits-scale-work.XXXXXX")
export JBITS_HOME
JBITS_HOME=$(mktemp -d /tmp/jbits-scale-home.XXXXXX)
NGINX_UP=0
cleanup() {
  "$JBITS" service stop >/dev/null 2>&1 || true
  [ "$NGINX_UP" = 1 ] && "$BENCH_LIB/nginx.sh" stop "$WORK/www" "$PORT" >/dev/null 2>&1 || true
  rm -rf "$WORK" "$JBITS_HOME"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f\n", b - a }'; }
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
# The service's own start: from the JVM's start time (ps) to its "listening on" log line.
service_own_start() {
  local pid=$1 started listening
  started=$(date -d "$(ps -o lstart= -p "$pid")" +%s)
  listening=$(grep 'listening on' "$JBITS_HOME/service.log" | tail -1 | cut -d' ' -f1)
  secs "$started" "$(date -d "$listening" +%s.%N)"
}

# CPU seconds (user + system) a process has used: unlike wall time, not inflated by other load on the machine.
cpu_of() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f\n", ($14 + $15) / hz }' "/proc/$1/stat"; }

load0=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== filling the queue with $JOBS jobs" >&2
fill=$("$JAVA" --enable-native-access=ALL-UNNAMED -cp "$LIB" "$ROOT/bench/FillQueue.java" "$JOBS" \
  http://127.0.0.1:9/ "$WORK/never")
db_mib=$(du -m "$JBITS_HOME/jobs.db" | cut -f1)

echo "== service start and list, $RUNS runs" >&2
: > "$OUT/start.txt"; : > "$OUT/own.txt"; : > "$OUT/list.txt"; : > "$OUT/cpu.txt"; : > "$OUT/rss-start.txt"
for ((i = 1; i <= RUNS; i++)); do
  "$JBITS" service stop >/dev/null 2>&1 || true
  t0=$(now); "$JBITS" service start >/dev/null; t1=$(now)
  secs "$t0" "$t1" >> "$OUT/start.txt"
  pid=$(cat "$JBITS_HOME/service.pid")
  # ps's start time has whole seconds only: the service's own figure is a coarse upper bound.
  service_own_start "$pid" >> "$OUT/own.txt" || true
  cpu_of "$pid" >> "$OUT/cpu.txt"
  awk '/VmRSS/ { printf "%.0f\n", $2 / 1024 }' "/proc/$pid/status" >> "$OUT/rss-start.txt"
  t0=$(now); "$JBITS" list --json > "$WORK/list.json"; t1=$(now)
  secs "$t0" "$t1" >> "$OUT/list.txt"
done
list_cpu=$( { /usr/bin/time -f '%U %S' "$JBITS" list --json > /dev/null; } 2>&1 | awk '{ printf "%.2f", $1 + $2 }')
listed=$(grep -o '"state" *: *"' "$WORK/list.json" | wc -l)
list_mib=$(du -m "$WORK/list.json" | cut -f1)
pid=$(cat "$JBITS_HOME/service.pid")
rss=$(awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$pid/status")
hwm=$(awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$pid/status")

echo "== $FG foreground jobs at once" >&2
mkdir -p "$WORK/www" "$WORK/fg"
for ((i = 1; i <= FG; i++)); do head -c 65536 /dev/urandom > "$WORK/www/$(printf 'f%04d.bin' "$i")"; done
(cd "$WORK/www" && sha256sum f*.bin > "$WORK/fg.sha")
"$BENCH_LIB/nginx.sh" start "$WORK/www" "$PORT" >/dev/null; NGINX_UP=1
read -r fg_secs fg_errors < <("$JAVA" --enable-native-access=ALL-UNNAMED -cp "$LIB" "$ROOT/bench/ManyForeground.java" \
  "$FG" "http://127.0.0.1:$PORT/" "$WORK/fg")
fg_ok=$( (cd "$WORK/fg" && sha256sum -c "$WORK/fg.sha" 2>/dev/null) | grep -c ': OK$' || true)
rss_after=$(awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$pid/status")
hwm_after=$(awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$pid/status")

{
  echo "| measure ($JOBS jobs in the queue) | result | goal |"
  echo "|---|---|---|"
  echo "| fill the queue through the store | $fill s (database $db_mib MiB) | - |"
  echo "| \`jbits service start\`, wall, median of $RUNS | $(median < "$OUT/start.txt") s (runs: $(paste -sd' ' "$OUT/start.txt")) | < 2 s |"
  echo "| service's own start to listening (1 s clock) | $(median < "$OUT/own.txt") s; CPU $(median < "$OUT/cpu.txt") s | - |"
  echo "| service memory after the start | RSS $(median < "$OUT/rss-start.txt") MiB (runs: $(paste -sd' ' "$OUT/rss-start.txt")) | < 256 MiB |"
  echo "| \`jbits list --json\`, wall, median of $RUNS | $(median < "$OUT/list.txt") s (runs: $(paste -sd' ' "$OUT/list.txt")); $listed jobs, $list_mib MiB; CPU of the command $list_cpu s | < 1 s |"
  echo "| service memory after the lists | RSS $rss MiB, peak $hwm MiB | < 256 MiB |"
  echo "| $FG foreground jobs (64 KiB each) at once | $fg_secs s, $fg_ok/$FG files right, $fg_errors transient errors | no errors |"
  echo "| service memory after them | RSS $rss_after MiB, peak $hwm_after MiB | < 256 MiB |"
} | tee "$OUT/summary.md"
echo "results in $OUT ($(nproc) cores, loadavg $(cut -d' ' -f1-3 /proc/loadavg); at the start: $load0)" >&2
