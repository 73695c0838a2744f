#!/usr/bin/env bash
# bench/upload.sh -- jbits uploads (BITS upload protocol, jbits client -> jbits serve) against curl PUT of the same
# data to nginx's WebDAV PUT, side by side in one run:
#   * a 1 GiB file:   curl -T to nginx /upload/  vs  jbits transfer --upload to jbits serve --upload-dir
#   * 500 x 64 KiB:   curl --parallel --parallel-max 8 -T  vs  one `jbits transfer --priority high --upload LOCAL URL
#                     LOCAL URL ...` (500 upload jobs, one file per job as BITS requires, created and queued in one
#                     call), 8 running at once (JBITS_MAX_BACKGROUND_JOBS=8)
#   * beside each curl case, the same curl followed by `sync -d` of the files nginx stored: what curl costs when its
#     bytes must be on disk, as jbits serve's are before each Ack
#   * beside the small case, its floor: bench/lib/UploadFloor.java, the durable steps alone that a server keeping jbits
#     serve's promises takes before its Acks (8 forces per upload, 8 at once; no HTTP, no client; its own timing, the
#     JVM's start not included)
#   * the idle service: its RSS and thread count after IDLE_SECONDS idle, fresh (before the first case) and again
#     after all the cases (ps -o rss,nlwp), and the CPU it used in the second half of that wait
#   * beside the fresh idle service, in the same seconds, its floor: bench/lib/IdleFloor.java, a JVM holding only the
#     libraries an idle service needs ready (Jetty 12 on a Unix socket, Jackson, sqlite-jdbc with a committed row),
#     with the service's JVM options and a class-data archive of its own, made by a short run first
# Medians of RUNS runs (one unrecorded warm-up first), min-max, ratio to curl, throughput; every run's bytes are
# checked by SHA-256 outside the timing. Prints a Markdown table; keeps runs.tsv and summary.md in OUT.
# Uses bench/lib/fixtures.sh (the 1 GiB file) and bench/lib/nginx.sh (PUT /upload/ on $PORT).
# Needs nginx and curl (apt-get install -y nginx curl). Not part of CI: a run takes a few minutes on 2 cores.
# Env: RUNS=3 CASES="big small" (either or both) IDLE_SECONDS=60 (0: no idle figures) PORT=18093 SPORT=18094 (each the next free one when busy) DATA=~/.cache/jbits-bench DISKTMP=/var/tmp
#      OUT=/tmp/jbits-upbench.<date>
set -euo pipefail
ROOT=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
BENCH_LIB=$ROOT/bench/lib
. "$BENCH_LIB/common.sh"
DATA=${DATA:-${BENCH_DATA:-$HOME/.cache/jbits-bench}}
PORT=${PORT:-$(free_port 18093)}
SPORT=${SPORT:-$(free_port $((PORT + 1)))}
RUNS=${RUNS:-3}
CASES=${CASES:-big small}
IDLE_SECONDS=${IDLE_SECONDS:-60}
DISKTMP=${DISKTMP:-/var/tmp}
OUT=${OUT:-/tmp/jbits-upbench.$(date +%Y%m%d-%H%M%S)}
JBITS=${JBITS:-$ROOT/bin/jbits}
JDK=$(. "$ROOT/bin/find-jdk" && find_jdk)
need_tool curl
need_tool openssl
nginx_binary >/dev/null
mkdir -p "$OUT"
"$BENCH_LIB/fixtures.sh" "$DATA" >/dev/null
BIG="$DATA/big-1g.bin"
BIG_SHA=$(awk '$2=="big-1g.bin"{print $1}' "$DATA/SHA256SUMS")
"$JBITS" version >/dev/null                                  # builds jbits when needed

STATE=$("$BENCH_LIB/nginx.sh" start "$DATA" "$PORT")
WORK=$(mktemp -d "$DISKTMP/jbits-upbench-work.XXXXXX")
export JBITS_HOME
JBITS_HOME=$(mktemp -d /tmp/jbits-upbench-home.XXXXXX)
UPLOADS="$WORK/uploads"; SERVED="$WORK/served"; SMALL="$WORK/small"
mkdir -p "$UPLOADS" "$SERVED" "$SMALL"
cleanup() {
  "$JBITS" service stop >/dev/null 2>&1 || true
  [ -n "${SERVE_PID:-}" ] && kill "$SERVE_PID" 2>/dev/null || true
  [ -n "${FLOOR_PID:-}" ] && kill "$FLOOR_PID" 2>/dev/null || true
  "$BENCH_LIB/nginx.sh" stop "$DATA" "$PORT" >/dev/null 2>&1 || true
  rm -rf "$WORK" "$JBITS_HOME" "$STATE/upload"/* 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# 500 deterministic 64 KiB files
for i in $(seq -w 1 500); do head -c 65536 <(openssl enc -aes-128-ctr -nosalt -pass "pass:$i" </dev/zero 2>/dev/null) > "$SMALL/u$i"; done
(cd "$SMALL" && sha256sum u* > "$WORK/small.sha")

"$JBITS" serve "$SERVED" --upload-dir "$UPLOADS" --port "$SPORT" --allow-overwrite > "$WORK/serve.log" 2>&1 &
SERVE_PID=$!
for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$SPORT/" && break; sleep 0.1; done
JBITS_MAX_BACKGROUND_JOBS=8 "$JBITS" service start >/dev/null

for i in $(seq -w 1 500); do printf 'upload-file = "%s/u%s"\nurl = "http://127.0.0.1:%s/upload/small/u%s"\n' "$SMALL" "$i" "$PORT" "$i"; done > "$WORK/curl.cfg"
for i in $(seq -w 1 500); do printf "'%s/u%s' 'http://127.0.0.1:%s/small/u%s' " "$SMALL" "$i" "$SPORT" "$i"; done > "$WORK/jbits.args"

# idle_sample WHEN [PID LABEL]: waits IDLE_SECONDS, then records the service's RSS (MiB) and thread count in
# idle.tsv, with the CPU it used in the second half of the wait (after its memory give-back), as a share of one core;
# and the same for PID (the floor, idle for as long) under LABEL
echo -e "when\tidle_s\trss_mib\tthreads\tcpu_pct" > "$OUT/idle.tsv"
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
idle_sample() {
  [ "$IDLE_SECONDS" -gt 0 ] || return 0
  local pids=("$(cat "$JBITS_HOME/service.pid")") whens=("$1") half c0=() k
  [ -n "${2:-}" ] && { pids+=("$2"); whens+=("$3"); }
  half=$((IDLE_SECONDS / 2))
  echo "== idle service ($1): ${IDLE_SECONDS} s" >&2
  sleep $((IDLE_SECONDS - half))
  for k in "${!pids[@]}"; do c0[k]=$(cpu_ticks "${pids[k]}"); done
  sleep "$half"
  for k in "${!pids[@]}"; do
    ps -o rss=,nlwp= -p "${pids[k]}" | awk -v w="${whens[k]}" -v s="$IDLE_SECONDS" -v c=$(($(cpu_ticks "${pids[k]}") - c0[k])) \
      -v h="$half" -v hz="$(getconf CLK_TCK)" \
      '{printf "%s\t%s\t%.0f\t%s\t%.1f\n", w, s, $1 / 1024, $2, (h > 0 ? 100 * c / hz / h : 0)}' >> "$OUT/idle.tsv"
  done
}

# idle_floor: starts bench/lib/IdleFloor.java (after a short run that makes its class-data archive) and sets
# FLOOR_PID; nothing when the jars are missing (a clone not built) or IDLE_SECONDS is 0
FLOOR_PID=
idle_floor() {
  [ "$IDLE_SECONDS" -gt 0 ] || return 0
  local lib=$ROOT/jbits-cli/target/lib f=$WORK/idle-floor cp opts pid i
  compgen -G "$lib/jetty-server-*.jar" >/dev/null || { echo "  (no $lib: the idle floor is skipped)" >&2; return 0; }
  mkdir -p "$f"
  "$JDK/bin/javac" -d "$f/classes" -cp "$lib/*" "$BENCH_LIB/IdleFloor.java" && "$JDK/bin/jar" cf "$f/floor.jar" -C "$f/classes" . \
    || { echo "  (the idle floor did not build: skipped)" >&2; return 0; }
  cp=$f/floor.jar:$(ls "$lib"/jetty-*.jar "$lib"/jackson-*.jar "$lib"/sqlite-jdbc-*.jar "$lib"/slf4j-api-*.jar | paste -sd:)
  # the running service's own JVM options (from its command line, up to -cp; its archive's left out for the floor's
  # own), and the JVM's trim of the C heap where the service has IdleMemory
  opts=()
  while IFS= read -r -d '' a; do
    [ "$a" = -cp ] && break
    case $a in -XX:SharedArchiveFile=*|-XX:ArchiveClassesAtExit=*|*/bin/java) ;; *) opts+=("$a") ;; esac
  done < "/proc/$(cat "$JBITS_HOME/service.pid")/cmdline"
  opts+=(-XX:TrimNativeHeapInterval=1000)
  floor_answers() {
    for i in $(seq 1 100); do
      curl -s -o /dev/null --unix-socket "$f/run/floor.sock" http://localhost/v1/status && return 0; sleep 0.1
    done
    return 1
  }
  "$JDK/bin/java" "${opts[@]}" -XX:ArchiveClassesAtExit="$f/floor.jsa" -cp "$cp" IdleFloor "$f/run" >"$f/train.log" 2>&1 &
  pid=$!
  floor_answers; kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true
  "$JDK/bin/java" "${opts[@]}" -XX:SharedArchiveFile="$f/floor.jsa" -cp "$cp" IdleFloor "$f/run" >"$f/run.log" 2>&1 &
  FLOOR_PID=$!
  floor_answers || { echo "  (the idle floor did not answer: skipped)" >&2; kill "$FLOOR_PID" 2>/dev/null; FLOOR_PID=; }
}
idle_floor
idle_sample "at start" "$FLOOR_PID" "the floor: Jetty 12, Jackson, sqlite-jdbc ready, no jbits (same seconds)"
[ -n "$FLOOR_PID" ] && { kill "$FLOOR_PID" 2>/dev/null; wait "$FLOOR_PID" 2>/dev/null || true; FLOOR_PID=; }

echo -e "case\ttool\trun\twall_s\trc\tok" > "$OUT/runs.tsv"
# run_case CASE TOOL VERIFY COMMAND
run_case() {
  local case=$1 tool=$2 verify=$3 cmd=$4 i t0 t1 rc ok
  echo "  $case: $tool" >&2
  for ((i = 0; i <= RUNS; i++)); do
    rm -rf "$UPLOADS"/* "$STATE/upload"/*; sync
    t0=$EPOCHREALTIME
    rc=0; timeout 600 bash -c "$cmd" >"$WORK/cmd.out" 2>&1 || rc=$?
    t1=$EPOCHREALTIME
    ok=1
    case "$verify" in
      big-nginx) [ "$(sha256sum "$STATE/upload/big.bin" 2>/dev/null | cut -c1-64)" = "$BIG_SHA" ] || ok=0 ;;
      big-jbits) [ "$(sha256sum "$UPLOADS/big.bin" 2>/dev/null | cut -c1-64)" = "$BIG_SHA" ] || ok=0 ;;
      small-nginx) (cd "$STATE/upload/small" && sha256sum --quiet -c "$WORK/small.sha" >/dev/null 2>&1) || ok=0 ;;
      small-jbits) (cd "$UPLOADS/small" && sha256sum --quiet -c "$WORK/small.sha" >/dev/null 2>&1) || ok=0 ;;
    esac
    [ "$rc" = 0 ] || ok=0
    [ "$ok" = 1 ] || { echo "    run $i failed (rc=$rc)" >&2; tail -3 "$WORK/cmd.out" | sed 's/^/      /' >&2; }
    [ "$i" -gt 0 ] && echo -e "$case\t$tool\t$i\t$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.3f", b-a}')\t$rc\t$ok" >> "$OUT/runs.tsv"
  done
}

# floor_case CASE FILES BYTES: UploadFloor's own time for the durable steps alone, RUNS times after a warm-up
floor_case() {
  local i t
  echo "  $1: the durable steps alone" >&2
  [ -f "$WORK/floor/UploadFloor.class" ] || "$JDK/bin/javac" -d "$WORK/floor" "$ROOT/bench/lib/UploadFloor.java"
  for ((i = 0; i <= RUNS; i++)); do
    rm -rf "$WORK/floor-dir"; mkdir "$WORK/floor-dir"; sync
    t=$("$JDK/bin/java" -XX:+UseSerialGC -cp "$WORK/floor" UploadFloor "$WORK/floor-dir" "$2" 8 "$3")
    [ "$i" -gt 0 ] && echo -e "$1\tthe durable steps alone: 8 forces per upload, 8 at once (no HTTP)\t$i\t$t\t0\t1" >> "$OUT/runs.tsv"
  done
  rm -rf "$WORK/floor-dir"
}

if [[ " $CASES " == *" big "* ]]; then
  echo "== 1 GiB upload" >&2
  run_case "1 GiB" "curl -T (nginx PUT)" big-nginx "curl -sS -f -T '$BIG' http://127.0.0.1:$PORT/upload/big.bin -o /dev/null"
  run_case "1 GiB" "curl -T, then sync -d of the stored file" big-nginx "curl -sS -f -T '$BIG' http://127.0.0.1:$PORT/upload/big.bin -o /dev/null && sync -d '$STATE/upload/big.bin'"
  run_case "1 GiB" "jbits transfer --upload (jbits serve)" big-jbits "'$JBITS' transfer --upload '$BIG' http://127.0.0.1:$SPORT/big.bin"
fi
if [[ " $CASES " == *" small "* ]]; then
  echo "== 500 x 64 KiB" >&2
  run_case "500 x 64 KiB" "curl --parallel-max 8 -T (nginx PUT)" small-nginx "curl -sS -f --parallel --parallel-max 8 -K '$WORK/curl.cfg' -o /dev/null"
  run_case "500 x 64 KiB" "curl --parallel-max 8 -T, then sync -d of the stored files" small-nginx "curl -sS -f --parallel --parallel-max 8 -K '$WORK/curl.cfg' -o /dev/null && sync -d '$STATE/upload/small'/*"
  run_case "500 x 64 KiB" "jbits transfer --upload: 500 jobs, 8 at once" small-jbits "'$JBITS' transfer --priority high --upload $(cat "$WORK/jbits.args")"
  floor_case "500 x 64 KiB" 500 65536
fi
idle_sample "after the cases"

awk -F'\t' '
  NR == 1 { next }
  { k = $1 SUBSEP $2; if (!(k in n)) order[++m] = k; v[k, ++n[k]] = $4; okc[k] += $6 }
  function median(k,   i, j, t, c, a) {
    c = n[k]; for (i = 1; i <= c; i++) a[i] = v[k, i]
    for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    lo[k] = a[1]; hi[k] = a[c]
    return c % 2 ? a[(c + 1) / 2] : (a[c / 2] + a[c / 2 + 1]) / 2
  }
  END {
    for (i = 1; i <= m; i++) { k = order[i]; med[k] = median(k); split(k, p, SUBSEP)
      if (p[2] ~ /^curl/ && p[2] ~ /sync -d/) synced[p[1]] = med[k]; else if (p[2] ~ /^curl/) ref[p[1]] = med[k] }
    print "| data | tool | median s | min-max s | MiB/s | throughput vs curl | vs curl + sync -d | sha256 ok |"
    print "|---|---|---|---|---|---|---|---|"
    for (i = 1; i <= m; i++) { k = order[i]; split(k, p, SUBSEP); r = ref[p[1]]; r2 = synced[p[1]]; mib = (p[1] == "1 GiB" ? 1024 : 500 * 64 / 1024)
      printf "| %s | %s | %.2f | %.2f-%.2f | %.0f | %s | %s | %d/%d |\n", p[1], p[2], med[k], lo[k], hi[k], mib / med[k],
        (r > 0 ? sprintf("%.0f%%", 100 * r / med[k]) : "-"), (r2 > 0 ? sprintf("%.0f%%", 100 * r2 / med[k]) : "-"),
        okc[k], n[k] }
  }' "$OUT/runs.tsv" | tee "$OUT/summary.md"
if [ "$IDLE_SECONDS" -gt 0 ]; then
  echo
  echo "| idle service | idle s | RSS MiB | threads | CPU, second half (% of a core) |"
  echo "|---|---|---|---|---|"
  awk -F'\t' 'NR > 1 { printf "| %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5 }' "$OUT/idle.tsv"
fi | tee -a "$OUT/summary.md"
echo "results in $OUT ($(nproc) cores, loadavg $(cut -d' ' -f1-3 /proc/loadavg))" >&2
