#!/usr/bin/env bash
# bench/cli-latency.sh -- how long a short jbits command takes, beside curl --unix-socket making the same REST call
# to the same running service, in one run:
#   version, info JOB, info of a job that does not exist (refused: jbits exits 1, curl --fail 22), list (10 jobs),
#   create NAME, add JOB URL PATH, resume JOB, set JOB --priority high, and transfer of one 16 KiB file from nginx on
#   loopback (beside curl -o of the same URL);
#   each warm (the CLI's AOT caches made, as after the first commands of a build) and cold (no cache: as the first
#   command after a build, measured with no writable cache directory, so that no run makes one for the next);
#   and the floors under version and info: a JVM that only prints one line (bench/lib/StartFloor.java), and one that
#   sends info's GET over the socket and prints the answer unparsed (bench/lib/SocketFloor.java), each with an AOT
#   cache of its own.
# Medians of RUNS runs (default 7; one unrecorded warm-up round first) of the wall time, min-max, the median CPU time
# (user + system, of the command and the processes it waits for), and the ratio of jbits's warm median to curl's.
# A verb's tools take turns, one run each per round, so that a machine whose speed drifts moves them all alike.
# The CPU time says more than the wall time on a machine busy with other work. Prints a Markdown table; keeps
# runs.tsv and summary.md in OUT. Every run's exit status is checked, and the transferred file's SHA-256 (outside
# the timing).
#
# Uses bench/lib/nginx.sh (a private nginx on 127.0.0.1:$PORT) and a service of its own (JBITS_HOME in /tmp), with
# caches of its own (XDG_CACHE_HOME in the work directory, so the user's are never touched). Needs nginx and curl
# (apt-get install -y nginx curl). Builds jbits with ./mvnw when bin/jbits has nothing to run yet.
# With PKG (the package's tarball, jbits-dist/target/jbits-*.tar.gz from './mvnw -Pdist -DskipTests package', or an
# installation's directory), the packaged command takes its turn too, warm, for version, info and transfer: what an
# installed jbits takes, whose launcher has no clone's staleness check.
# Env: RUNS=7 PORT=18095 (the next free one when busy) OUT=/tmp/jbits-cli-latency.<date> JBITS=bin/jbits PKG=
# Not part of CI: a run takes about a minute on 2 cores. Compare tools only within one run.
set -euo pipefail
ROOT=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
BENCH_LIB=$ROOT/bench/lib
. "$BENCH_LIB/common.sh"
RUNS=${RUNS:-7}
PORT=${PORT:-$(free_port 18095)}
OUT=${OUT:-/tmp/jbits-cli-latency.$(date +%Y%m%d-%H%M%S)}
JBITS=${JBITS:-$ROOT/bin/jbits}
[ "$RUNS" -ge 1 ] || { echo "RUNS must be >= 1" >&2; exit 2; }
need_tool curl
need_tool /usr/bin/time time
nginx_binary >/dev/null
[ -x "$JBITS" ] || bench_die "$JBITS missing"

mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/jbits-cli-latency.XXXXXX)
DATA=$WORK/data
mkdir -p "$DATA" "$WORK/out"
head -c 16384 /dev/urandom > "$DATA/f16k.bin"
SHA=$(sha256sum "$DATA/f16k.bin" | cut -c1-64)
BASE="http://127.0.0.1:$PORT"
export JBITS_HOME
JBITS_HOME=$(mktemp -d /tmp/jbits-cli-home.XXXXXX)   # short: the service's socket lives here
SOCK=$JBITS_HOME/jbits.sock
WARM_CACHE=$WORK/cache-warm
COLD_CACHE=$WORK/cache-cold
cleanup() {
  XDG_CACHE_HOME=$WARM_CACHE "$JBITS" service stop >/dev/null 2>&1 || true
  "$BENCH_LIB/nginx.sh" stop "$DATA" "$PORT" >/dev/null 2>&1 || true
  rm -rf "$WORK" "$JBITS_HOME" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM
"$BENCH_LIB/nginx.sh" start "$DATA" "$PORT" >/dev/null

# jw ARGS...: jbits warm; jc ARGS...: jbits cold (no cache, none made); c METHOD PATH [JSON]: curl on the socket
jw() { XDG_CACHE_HOME=$WARM_CACHE "$JBITS" "$@"; }
jp() { XDG_CACHE_HOME=$WARM_CACHE "$PKG_JBITS" "$@"; }
jc() { XDG_CACHE_HOME=$COLD_CACHE JBITS_NO_AOT_TRAINING=1 "$JBITS" "$@"; }
c() {
  local body=()
  [ $# -ge 3 ] && body=(-H 'Content-Type: application/json' --data "$3")
  curl -sS --fail --unix-socket "$SOCK" -X "$1" -H 'Accept: application/json' "${body[@]}" "http://localhost$2"
}
PKG_JBITS=
if [ -n "${PKG:-}" ]; then
  if [ -f "$PKG" ]; then
    mkdir -p "$WORK/pkg" && tar xzf "$PKG" -C "$WORK/pkg"
    PKG_JBITS=$(echo "$WORK"/pkg/*/bin/jbits)
  else
    PKG_JBITS=$PKG/bin/jbits
  fi
  [ -x "$PKG_JBITS" ] || bench_die "PKG=$PKG: no bin/jbits in it"
fi
export -f jw jp jc c
export JBITS PKG_JBITS WARM_CACHE COLD_CACHE SOCK

# The service (started by the first command), and the warm caches: made in the background after the first command
# that finds none (version has one of its own, docs/startup.md).
jw service start >/dev/null
jw list >/dev/null
jw version >/dev/null
if [ -n "$PKG_JBITS" ]; then jp list >/dev/null; jp version >/dev/null; fi
for _ in $(seq 1 600); do
  compgen -G "$WARM_CACHE/jbits/*.making" >/dev/null || break
  sleep 0.1
done
compgen -G "$WARM_CACHE/jbits/cli-*[0-9].aot" >/dev/null || echo "bench: no AOT cache was made; warm = cold" >&2
compgen -G "$WARM_CACHE/jbits/cli-*-version.aot" >/dev/null || echo "bench: version's AOT cache was not made" >&2
: > "$COLD_CACHE"   # a file: no cache directory, so no cache is used or made (the cold case of docs/startup.md)

# Ten jobs for list and info; one fresh SUSPENDED job with a file per resume run (made outside the timing).
for i in $(seq 1 9); do jw create "bench $i" >/dev/null; done   # and info-target: 10
JOB=$(jw create info-target | tail -n 1)
jw add "$JOB" "$BASE/f16k.bin" "$WORK/out/never" >/dev/null
fresh_job() {
  local id
  id=$(jw create resume-target | tail -n 1)
  jw add "$id" "$BASE/f16k.bin" "$WORK/out/resumed.$id" >/dev/null
  echo "$id"
}

echo -e "verb\ttool\trun\twall_s\trc\tcpu_s" > "$OUT/runs.tsv"
# run_case VERB TOOL COMMAND [TOOL COMMAND...] -- the tools take turns, one run each per round, so that a machine
# whose speed drifts from minute to minute moves them all alike; {JOB} in a COMMAND is the info-target job,
# {FRESH} a fresh job for resume, {DIR} a fresh directory
run_case() {
  local verb=$1 i j tool tpl cmd t0 t1 rc d
  shift
  echo "  $verb: $(for ((j = 1; j < $#; j += 2)); do printf '%s; ' "${!j}"; done)" >&2
  for ((i = 0; i <= RUNS; i++)); do          # round 0 warms the page cache up; not recorded
    for ((j = 1; j < $#; j += 2)); do
      tool=${!j}; tpl=${@:j+1:1}
      cmd=${tpl//\{JOB\}/$JOB}
      if [[ $tpl == *"{FRESH}"* ]]; then cmd=${cmd//\{FRESH\}/$(fresh_job)}; fi
      d=$(mktemp -d "$WORK/out/run.XXXXXX"); cmd=${cmd//\{DIR\}/$d}
      t0=$EPOCHREALTIME
      rc=0; /usr/bin/time -f '%U %S' -o "$WORK/cpu" timeout 120 bash -c "$cmd" >"$WORK/cmd.out" 2>&1 || rc=$?
      t1=$EPOCHREALTIME
      if [[ $tpl == *"{DIR}/f"* ]] && [ "$rc" = 0 ] && [ "$(sha256sum "$d/f" | cut -c1-64)" != "$SHA" ]; then rc=99; fi
      [ "$rc" = 0 ] || { echo "    $tool, round $i failed (rc=$rc): $cmd" >&2; tail -3 "$WORK/cmd.out" | sed 's/^/      /' >&2; }
      [ "$i" -gt 0 ] && echo -e "$verb\t$tool\t$i\t$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.4f", b-a}')\t$rc\t$(awk 'END{printf "%.2f", $1 + $2}' "$WORK/cpu")" >> "$OUT/runs.tsv"
      rm -rf "$d"
    done
  done
}

# The floor under version: a JVM that prints one line (bench/lib/StartFloor.java), from a jar with an AOT cache of
# its own and a short-lived client's flags, in the same harness as the commands
JDK=$(. "$ROOT/bin/find-jdk" && find_jdk)
START_FLAGS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -XX:AOTCache=$WORK/start/start.aot"
mkdir -p "$WORK/start"
"$JDK/bin/javac" -d "$WORK/start" "$ROOT/bench/lib/StartFloor.java"
"$JDK/bin/jar" cf "$WORK/start/start.jar" -C "$WORK/start" StartFloor.class
"$JDK/bin/java" ${START_FLAGS/AOTCache/AOTCacheOutput} -cp "$WORK/start/start.jar" StartFloor >/dev/null 2>&1 || true
[ -f "$WORK/start/start.aot" ] || { echo "bench: no AOT cache for StartFloor: it runs without one" >&2; START_FLAGS=${START_FLAGS% *}; }
# The floor under info: a JVM that sends the same GET over the service's socket and prints the answer unparsed
# (bench/lib/SocketFloor.java), with an AOT cache of its own made by one run against the service
SOCKET_FLAGS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -XX:AOTCache=$WORK/start/socket.aot"
"$JDK/bin/javac" -d "$WORK/start" "$ROOT/bench/lib/SocketFloor.java"
"$JDK/bin/jar" cf "$WORK/start/socket.jar" -C "$WORK/start" SocketFloor.class
"$JDK/bin/java" ${SOCKET_FLAGS/AOTCache/AOTCacheOutput} -cp "$WORK/start/socket.jar" SocketFloor "$SOCK" \
  "/v1/jobs/$JOB" >/dev/null 2>&1 || true
[ -f "$WORK/start/socket.aot" ] || { echo "bench: no AOT cache for SocketFloor: it runs without one" >&2; SOCKET_FLAGS=${SOCKET_FLAGS% *}; }

# The packaged command, when PKG is given, takes its turn beside the others in these three cases
packaged() { [ -n "$PKG_JBITS" ] && printf '%s\n' "packaged" "$1"; }
echo "== command latency" >&2
mapfile -t P < <(packaged "jp version")
run_case version "jbits warm" "jw version" "jbits cold" "jc version" "curl" "c GET /v1/service" \
  "java" "'$JDK/bin/java' $START_FLAGS -cp '$WORK/start/start.jar' StartFloor" "${P[@]}"
mapfile -t P < <(packaged "jp info {JOB}")
run_case info "jbits warm" "jw info {JOB}" "jbits cold" "jc info {JOB}" "curl" "c GET /v1/jobs/{JOB}" \
  "java" "'$JDK/bin/java' $SOCKET_FLAGS -cp '$WORK/start/socket.jar' SocketFloor '$SOCK' /v1/jobs/{JOB}" "${P[@]}"
# A refusal is timed as a run that ends with the refusal's own status (any other counts as a failed run)
run_case "info, no such job" "jbits warm" 'jw info no-such-job; [ $? = 1 ]' "jbits cold" 'jc info no-such-job; [ $? = 1 ]' \
  "curl" 'c GET /v1/jobs/no-such-job; [ $? = 22 ]'
run_case "list (10 jobs)" "jbits warm" "jw list" "jbits cold" "jc list" \
  "curl" "c GET '/v1/jobs?all=false&files=false'"
run_case create "jbits warm" "jw create n" "jbits cold" "jc create n" \
  "curl" "c POST /v1/jobs '{\"name\":\"n\",\"type\":\"download\",\"priority\":\"normal\",\"description\":\"\"}'"
run_case add "jbits warm" "jw add {JOB} $BASE/f16k.bin {DIR}/a" "jbits cold" "jc add {JOB} $BASE/f16k.bin {DIR}/a" \
  "curl" "c POST /v1/jobs/{JOB}/files '{\"remoteUrl\":\"$BASE/f16k.bin\",\"localPath\":\"{DIR}/a\"}'"
run_case resume "jbits warm" "jw resume {FRESH}" "jbits cold" "jc resume {FRESH}" "curl" "c POST /v1/jobs/{FRESH}/resume"
run_case set "jbits warm" "jw set {JOB} --priority high" "jbits cold" "jc set {JOB} --priority high" \
  "curl" "c PATCH /v1/jobs/{JOB} '{\"priority\":\"high\"}'"
mapfile -t P < <(packaged "jp transfer $BASE/f16k.bin {DIR}/f 2>/dev/null")
run_case "transfer 16 KiB" "jbits warm" "jw transfer $BASE/f16k.bin {DIR}/f 2>/dev/null" \
  "jbits cold" "jc transfer $BASE/f16k.bin {DIR}/f 2>/dev/null" "curl" "curl -sS --fail -o {DIR}/f $BASE/f16k.bin" \
  "${P[@]}"

awk -F'\t' '
  NR == 1 { next }
  $2 == "java" { k = $1 SUBSEP $2; n[k]++; v[k, n[k]] = $4; u[k, n[k]] = $6; bad[k] += ($5 != 0); floor[$1] = k; next }
  $2 == "packaged" { k = $1 SUBSEP $2; n[k]++; v[k, n[k]] = $4; u[k, n[k]] = $6; bad[k] += ($5 != 0)
                     if (!($1 in pkg)) pkgverbs[++pm] = $1; pkg[$1] = k; next }
  { k = $1 SUBSEP $2; if (!($1 in seen)) { seen[$1] = 1; verbs[++m] = $1 }
    n[k]++; v[k, n[k]] = $4; u[k, n[k]] = $6; bad[k] += ($5 != 0) }
  function median(k, arr,   i, j, t, c, a) {
    c = n[k]; if (c == 0) return -1
    for (i = 1; i <= c; i++) a[i] = (arr == "cpu" ? u[k, i] : v[k, i])
    for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    lo[k] = a[1]; hi[k] = a[c]
    return c % 2 ? a[(c + 1) / 2] : (a[c / 2] + a[c / 2 + 1]) / 2
  }
  function cell(k,   x, y) {
    y = median(k, "cpu"); x = median(k, "wall"); if (x < 0) return "-"
    return sprintf("%.3f (%.3f-%.3f), CPU %.2f%s", x, lo[k], hi[k], y, bad[k] ? " FAILED " bad[k] : "")
  }
  END {
    print "| command | jbits warm: median s (min-max), CPU s | jbits cold | curl --unix-socket (transfer: curl -o) | warm ratio to curl |"
    print "|---|---|---|---|---|"
    for (i = 1; i <= m; i++) { b = verbs[i]
      w = median(b SUBSEP "jbits warm", "wall"); r = median(b SUBSEP "curl", "wall")
      printf "| %s | %s | %s | %s | %s |\n", b, cell(b SUBSEP "jbits warm"), cell(b SUBSEP "jbits cold"),
        cell(b SUBSEP "curl"), (r > 0 ? sprintf("%.0fx", w / r) : "-") }
    if ("version" in floor)
      printf "\nThe floor under version, in the same harness: a JVM that prints one line, with its own AOT cache (bench/lib/StartFloor.java): %s.\n", cell(floor["version"])
    if ("info" in floor)
      printf "\nThe floor under info, in the same harness: a JVM that sends the same GET over the socket and prints the answer unparsed, with its own AOT cache (bench/lib/SocketFloor.java): %s.\n", cell(floor["info"])
    if (pm > 0) {
      printf "\nThe packaged command (PKG), warm, taking its turn in the same rounds:"
      for (i = 1; i <= pm; i++) printf "%s %s %s", (i > 1 ? ";" : ""), pkgverbs[i], cell(pkg[pkgverbs[i]])
      printf ".\n"
    }
  }' "$OUT/runs.tsv" | tee "$OUT/summary.md"
echo "results in $OUT ($(nproc) cores, loadavg $(cut -d' ' -f1-3 /proc/loadavg))" >&2
