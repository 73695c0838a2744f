#!/usr/bin/env bash
# bench/download.sh -- jbits against curl and aria2c, side by side in one run, same nginx, same files:
#   * a 1 GiB file to tmpfs (/dev/shm) and to disk ($DISKTMP, default /var/tmp):
#       curl -o, aria2c -x1, aria2c -x4 -s4, jbits transfer (FOREGROUND, the service already running); on disk
#       also curl -o followed by an fsync of the file (sync FILE), the cost of the durability jbits promises
#   * 2,000 files of 16 KiB to tmpfs and to disk:
#       curl --parallel --parallel-max 8, aria2c -j8, jbits transfer with the 2,000 URL/path pairs in one job (as
#       arguments, and from a file set),
#       and their floor: bench/lib/DownloadFloor.java, what any Java program must do for them with the HTTP library
#       jbits uses and the durability it promises (one warm JVM, no service, no job store, no command's start);
#       and the least a command with a service could take: the floor plus bench/lib/SocketFloor.java (a JVM that
#       starts and asks the service one thing over its socket);
#       jbits twice when its service is new: as it comes, and again once the service has made as many unrecorded
#       transfers as the floor's warm-up rounds (its JIT compilers as far along as the floor's); each row says which
#       of the service's 2,000-file transfers it records
# Medians of RUNS runs (default 3; one unrecorded warm-up run first), min-max, and the ratio to curl's median
# (curl -o for the big file in the same destination, curl --parallel-max 8 for the small files); every run's
# bytes are checked by SHA-256 (outside the timing). Prints a Markdown table; keeps runs.tsv and summary.md in OUT.
# For jbits it also gives the service's own share of each run ("service s"): from the job's creation to TRANSFERRED,
# as the service records them (GET /v1/jobs?all=true on its socket, read with python3) -- the client JVM's start,
# its wait for the last event and the final rename are outside it.
#
# Uses bench/lib/fixtures.sh (test data, default ~/.cache/jbits-bench) and bench/lib/nginx.sh (a private nginx on
# 127.0.0.1:$PORT). INSTALLS aria2 with apt-get when aria2c is missing (root only); needs nginx and curl
# (apt-get install -y nginx curl). Builds jbits with ./mvnw when bin/jbits has nothing to run yet.
# Env: RUNS=3 PORT=18091 (the next free one when busy) DATA=~/.cache/jbits-bench DISKTMP=/var/tmp
#      OUT=/tmp/jbits-bench.<date> CASE_TIMEOUT=300 CASES="big small" (which halves to run; e.g. CASES=small with
#      RUNS=1 is a quick check that everything works) FLOOR_WARMUP=15 (the floor's unrecorded rounds)
# Not part of CI: a whole run takes about 3-6 minutes on 2 cores. Compare tools only within one run.
set -euo pipefail
ROOT=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
BENCH_LIB=$ROOT/bench/lib
. "$BENCH_LIB/common.sh"
DATA=${DATA:-${BENCH_DATA:-$HOME/.cache/jbits-bench}}
PORT=${PORT:-$(free_port 18091)}
RUNS=${RUNS:-3}
DISKTMP=${DISKTMP:-/var/tmp}
SHMTMP=/dev/shm
CASE_TIMEOUT=${CASE_TIMEOUT:-300}
CASES=${CASES:-big small}
FLOOR_WARMUP=${FLOOR_WARMUP:-15}
OUT=${OUT:-/tmp/jbits-bench.$(date +%Y%m%d-%H%M%S)}
BASE="http://127.0.0.1:$PORT"
JBITS=${JBITS:-$ROOT/bin/jbits}
[ "$RUNS" -ge 1 ] || { echo "RUNS must be >= 1" >&2; exit 2; }

# ---------------------------------------------------------------- tools
ensure_aria2c
need_tool curl
nginx_binary >/dev/null
[ -x "$JBITS" ] || { echo "$JBITS missing" >&2; exit 1; }

mkdir -p "$OUT"
"$BENCH_LIB/fixtures.sh" "$DATA" >/dev/null
BIG_SHA=$(awk '$2=="big-1g.bin"{print $1}' "$DATA/SHA256SUMS")

# ---------------------------------------------------------------- nginx and the jbits service
STATE=$("$BENCH_LIB/nginx.sh" start "$DATA" "$PORT")
WORK=$(mktemp -d /tmp/jbits-bench-work.XXXXXX)
export JBITS_HOME
JBITS_HOME=$(mktemp -d /tmp/jbits-bench-home.XXXXXX)   # short: the service's socket lives here
cleanup() {
  "$JBITS" service stop >/dev/null 2>&1 || true
  "$BENCH_LIB/nginx.sh" stop "$DATA" "$PORT" >/dev/null 2>&1 || true
  rm -rf "$WORK" "$JBITS_HOME" "$SHMTMP"/jbits-bench.* "$DISKTMP"/jbits-bench.* 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM
"$JBITS" service start >/dev/null
"$JBITS" service status >/dev/null

sed "s|^|$BASE/|" "$DATA/small.list" > "$WORK/urls.txt"
sed 's|.*|url = "&"|' "$WORK/urls.txt" > "$WORK/curl.cfg"
grep ' small/' "$DATA/SHA256SUMS" | sed 's| small/| |' > "$WORK/small.sha"

# jbits_small DIR: one job with the 2,000 URL/path pairs on one command line (about 150 KB of arguments)
jbits_small() {
  local d=$1 args=()
  while read -r rel; do args+=("$BASE/$rel" "$d/${rel#small/}"); done < "$DATA/small.list"
  "$JBITS" transfer "${args[@]}"
}
# jbits_small_set DIR: the same job from a file set (transfer --file-set), written beside DIR by one sed
jbits_small_set() {
  sed "s|^small/\(.*\)|$BASE/small/\1 $1/\1|" "$DATA/small.list" > "$1.set"
  "$JBITS" transfer --file-set "$1.set"
}

# ---------------------------------------------------------------- measuring
JDK=$(. "$ROOT/bin/find-jdk" && find_jdk)
echo -e "case\tdest\ttool\trun\twall_s\trc\tok\tservice_s" > "$OUT/runs.tsv"
# service_seconds: creation to TRANSFERRED of the newest job the service knows, in seconds ("-" when unknown)
service_seconds() {
  command -v python3 >/dev/null 2>&1 || { echo -; return 0; }
  curl -sS --max-time 5 --unix-socket "$JBITS_HOME/jbits.sock" 'http://localhost/v1/jobs?all=true&files=false' \
    2>/dev/null | python3 -c '
import json, sys
from datetime import datetime
def t(s):  # RFC 3339 with up to 9 fraction digits; datetime takes 6
    s = s.rstrip("Z"); head, _, frac = s.partition(".")
    return datetime.fromisoformat(head).timestamp() + float("0." + (frac or "0"))
try:
    jobs = [j for j in json.load(sys.stdin) if j.get("transferCompleted")]
    j = max(jobs, key=lambda j: t(j["created"]))
    print("%.3f" % (t(j["transferCompleted"]) - t(j["created"])))
except Exception:
    print("-")' 2>/dev/null || echo -
}
# run_case CASE DESTROOT VERIFY(big|small) TOOL COMMAND  -- {DIR} in COMMAND is the run's fresh directory
run_case() {
  local case=$1 root=$2 verify=$3 tool=$4 tpl=$5 dest i d cmd t0 t1 rc ok svc
  dest=disk; [ "$root" = "$SHMTMP" ] && dest=tmpfs
  echo "  $case -> $dest: $tool" >&2
  for ((i = 0; i <= RUNS; i++)); do          # run 0 warms caches and the JIT up; not recorded
    d=$(mktemp -d "$root/jbits-bench.XXXXXX"); cmd=${tpl//\{DIR\}/$d}
    sync
    t0=$EPOCHREALTIME
    rc=0; timeout "$CASE_TIMEOUT" bash -c "$cmd" >"$WORK/cmd.out" 2>&1 || rc=$?
    t1=$EPOCHREALTIME
    ok=1
    case "$verify" in
      big)   [ "$(sha256sum "$d/out.bin" 2>/dev/null | cut -c1-64)" = "$BIG_SHA" ] || ok=0 ;;
      small) (cd "$d" && sha256sum --quiet -c "$WORK/small.sha" >/dev/null 2>&1) || ok=0
             [ "$(find "$d" -type f | wc -l)" = 2000 ] || ok=0 ;;
      none)  ;;                                # transfers nothing: its exit status is the check
    esac
    [ "$rc" = 0 ] || ok=0
    [ "$ok" = 1 ] || { echo "    run $i failed (rc=$rc): $cmd" >&2; tail -3 "$WORK/cmd.out" | sed 's/^/      /' >&2; }
    svc=-
    [[ "$tool" == jbits* ]] && svc=$(service_seconds)
    [ "$i" -gt 0 ] && echo -e "$case\t$dest\t$tool\t$i\t$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.3f", b-a}')\t$rc\t$ok\t$svc" >> "$OUT/runs.tsv"
    # The small files on disk stay until the end (cleanup): 2,000 inodes freed moments before the next run made
    # ext4's allocator skip them one by one, which cost any tool up to 0.5 ms of kernel CPU per new file
    [ "$verify" = small ] && [ "$dest" = disk ] || rm -rf "$d"
  done
}

# floor_case DESTROOT: DownloadFloor's own time per round, RUNS rounds after FLOOR_WARMUP unrecorded ones, all in one
# JVM (the jbits service is a long-lived JVM too), each round's files checked like the tools' runs
floor_case() {
  local root=$1 dest i t ok lib=$ROOT/jbits-cli/target/lib d
  dest=disk; [ "$root" = "$SHMTMP" ] && dest=tmpfs
  compgen -G "$lib/httpclient5-*.jar" >/dev/null || { echo "  (no $lib: the floor is skipped)" >&2; return 0; }
  echo "  2,000 x 16 KiB -> $dest: the floor (one Java program, HttpClient 5, durable renames)" >&2
  [ -f "$WORK/floor/DownloadFloor.class" ] \
    || "$JDK/bin/javac" -d "$WORK/floor" -cp "$lib/*" "$ROOT/bench/lib/DownloadFloor.java"
  d=$(mktemp -d "$root/jbits-bench.XXXXXX")
  sync
  timeout "$CASE_TIMEOUT" "$JDK/bin/java" -XX:+UseSerialGC -cp "$WORK/floor:$lib/*" DownloadFloor "$BASE" \
    "$DATA/small.list" "$d/rounds" 8 $((FLOOR_WARMUP + RUNS)) > "$WORK/floor.out" 2>&1 || { sed 's/^/    /' \
    "$WORK/floor.out" >&2; return 0; }
  for ((i = 1; i <= RUNS; i++)); do
    t=$(sed -n "$((FLOOR_WARMUP + i))p" "$WORK/floor.out")
    ok=1
    (cd "$d/rounds/round-$((FLOOR_WARMUP + i - 1))" && sha256sum --quiet -c "$WORK/small.sha" >/dev/null 2>&1) || ok=0
    echo -e "2,000 x 16 KiB\t$dest\tthe floor: one warm JVM, HttpClient 5, durable renames\t$i\t$t\t0\t$ok\t-" \
      >> "$OUT/runs.tsv"
  done
  [ "$dest" = disk ] || rm -rf "$d"
}
A2='aria2c -q --console-log-level=error --summary-interval=0 --allow-overwrite=true'
if [[ " $CASES " == *" big "* ]]; then
  echo "== 1 GiB file" >&2
  for root in "$SHMTMP" "$DISKTMP"; do
    run_case "1 GiB" "$root" big "curl -o"        "curl -sS -o {DIR}/out.bin $BASE/big-1g.bin"
    # What jbits promises on disk (bytes durable before they count) costs curl one fsync of the file
    if [ "$root" = "$DISKTMP" ]; then
      run_case "1 GiB" "$root" big "curl -o + fsync" "curl -sS -o {DIR}/out.bin $BASE/big-1g.bin && sync {DIR}/out.bin"
    fi
    run_case "1 GiB" "$root" big "aria2c -x1"     "$A2 -x1 -s1 -d {DIR} -o out.bin $BASE/big-1g.bin"
    run_case "1 GiB" "$root" big "aria2c -x4 -s4" "$A2 -x4 -s4 -d {DIR} -o out.bin $BASE/big-1g.bin"
    run_case "1 GiB" "$root" big "jbits transfer" "'$JBITS' transfer $BASE/big-1g.bin {DIR}/out.bin"
  done
fi
# warm_service N: N unrecorded 2,000-file transfers into tmpfs (removed at once), counted in SERVED
SERVED=0   # the 2,000-file transfers the service has made so far
warm_service() {
  local i d
  echo "  2,000 x 16 KiB: $1 unrecorded jbits transfers (the service's JIT as warm as the floor's)" >&2
  for ((i = 0; i < $1; i++)); do
    d=$(mktemp -d "$SHMTMP/jbits-bench.XXXXXX"); jbits_small "$d" >/dev/null 2>&1 || true; rm -rf "$d"
  done
}
if [[ " $CASES " == *" small "* ]]; then
  echo "== 2,000 x 16 KiB" >&2
  export -f jbits_small jbits_small_set; export BASE DATA JBITS
  # tmpfs shows each tool's own work; on disk, ext4's allocation of 2,000 new inodes can cost any tool more than
  # its own work right after many files were removed there (curl's 0.17 s became 1.7 s of kernel time), so no run
  # of this case removes its files before the script ends
  for root in "$SHMTMP" "$DISKTMP"; do
    run_case "2,000 x 16 KiB" "$root" small "curl --parallel --parallel-max 8" \
      "curl -sS --parallel --parallel-max 8 --remote-name-all --output-dir {DIR} -K $WORK/curl.cfg"
    run_case "2,000 x 16 KiB" "$root" small "aria2c -j8" "$A2 -j8 -d {DIR} -i $WORK/urls.txt"
    run_case "2,000 x 16 KiB" "$root" small "jbits transfer (one job; the service's transfers $((SERVED + 2))-$((SERVED + RUNS + 1)))" "jbits_small {DIR}"
    SERVED=$((SERVED + RUNS + 1))
    # The same after as many unrecorded transfers as the floor's warm-up rounds: its JIT as warm as the floor's
    if [ "$SERVED" -lt "$FLOOR_WARMUP" ]; then
      warm_service $((FLOOR_WARMUP - SERVED)); SERVED=$FLOOR_WARMUP
      run_case "2,000 x 16 KiB" "$root" small "jbits transfer (one job; the service's transfers $((SERVED + 2))-$((SERVED + RUNS + 1)))" "jbits_small {DIR}"
      SERVED=$((SERVED + RUNS + 1))
    fi
    run_case "2,000 x 16 KiB" "$root" small "jbits transfer --file-set (one job; the service's transfers $((SERVED + 2))-$((SERVED + RUNS + 1)))" "jbits_small_set {DIR}"
    SERVED=$((SERVED + RUNS + 1))
    floor_case "$root"
  done
  # What a command adds to the floor at the least: a JVM that starts and asks the service one thing over its socket
  # (bench/lib/SocketFloor.java, an AOT cache of its own); the table adds its median to the floor's
  SF=$WORK/socketfloor
  mkdir -p "$SF"
  "$JDK/bin/javac" -d "$SF" "$ROOT/bench/lib/SocketFloor.java" && "$JDK/bin/jar" cf "$SF/s.jar" -C "$SF" SocketFloor.class
  SF_FLAGS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData"
  "$JDK/bin/java" $SF_FLAGS -XX:AOTCacheOutput="$SF/s.aot" -cp "$SF/s.jar" SocketFloor "$JBITS_HOME/jbits.sock" \
    /v1/service >/dev/null 2>&1 || true
  [ -f "$SF/s.aot" ] && SF_FLAGS="$SF_FLAGS -XX:AOTCache=$SF/s.aot"
  run_case "2,000 x 16 KiB" "$SHMTMP" none "a JVM's start and one GET to the service (SocketFloor)" \
    "'$JDK/bin/java' $SF_FLAGS -cp '$SF/s.jar' SocketFloor '$JBITS_HOME/jbits.sock' /v1/service"
fi

# ---------------------------------------------------------------- table
awk -F'\t' '
  NR == 1 { next }
  { k = $1 SUBSEP $2 SUBSEP $3; if (!(k in n)) order[++m] = k; v[k, ++n[k]] = $5; okc[k] += $7
    if ($8 ~ /^[0-9.]+$/) sv[k, ++ns[k]] = $8 }
  function med_of(arr, k, c,   i, j, t, a) {
    for (i = 1; i <= c; i++) a[i] = arr[k, i]
    for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    lo[k] = a[1]; hi[k] = a[c]
    return c % 2 ? a[(c + 1) / 2] : (a[c / 2] + a[c / 2 + 1]) / 2
  }
  END {
    for (i = 1; i <= m; i++) { k = order[i]; split(k, p, SUBSEP)
      svc[k] = ns[k] > 0 ? med_of(sv, k, ns[k]) : -1
      med[k] = med_of(v, k, n[k])
      if (p[3] == "curl -o" || p[3] ~ /^curl --parallel/) ref[p[1] SUBSEP p[2]] = med[k] }
    print "| files | destination | tool | median s | min-max s | ratio to curl | service s (ratio) | sha256 ok |"
    print "|---|---|---|---|---|---|---|---|"
    for (i = 1; i <= m; i++) { k = order[i]; split(k, p, SUBSEP); r = ref[p[1] SUBSEP p[2]]
      printf "| %s | %s | %s | %.2f | %.2f-%.2f | %s | %s | %d/%d |\n", p[1], p[2], p[3], med[k], lo[k], hi[k],
        (r > 0 ? sprintf("%.2f", med[k] / r) : "-"),
        (svc[k] >= 0 ? sprintf("%.2f (%s)", svc[k], r > 0 ? sprintf("%.2f", svc[k] / r) : "-") : "-"), okc[k], n[k]
      if (p[3] ~ /SocketFloor/) sock = med[k] }
    # the least a command that drives a service could take: the floor plus a JVM that asks the service one thing
    for (i = 1; i <= m; i++) { k = order[i]; split(k, p, SUBSEP); r = ref[p[1] SUBSEP p[2]]
      if (p[3] ~ /^the floor:/ && sock > 0)
        printf "| %s | %s | the floor + SocketFloor: the least a command with a service takes | %.2f | - | %s | - | - |\n",
          p[1], p[2], med[k] + sock, (r > 0 ? sprintf("%.2f", (med[k] + sock) / r) : "-") }
  }' "$OUT/runs.tsv" | tee "$OUT/summary.md"
echo "results in $OUT ($(nproc) cores, loadavg $(cut -d' ' -f1-3 /proc/loadavg))" >&2
