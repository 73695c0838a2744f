#!/usr/bin/env bash
# bench/soak.sh -- load held over time: the service, `jbits serve`, nginx and Samba on loopback for MINUTES (30), and
# a check that nothing leaks and nothing is lost.
#   * JOBS (2,000) background jobs created through the API by bench/SoakLoad.java (a tenth at once, the rest at an
#     even pace until SOAK_CREATE_UNTIL (0.95) of the run, so the load lasts through the second half, over which
#     the slopes are fitted; then the queue drains), at most MAX_RUNNING (50)
#     transferring at once (JBITS_MAX_BACKGROUND_JOBS), under a global limit whose timetable
#     (`jbits policy set --limit`) changes every CAP_EVERY_MIN (3) minutes: 1M, 4M, off, 2M, 16M, ...; nginx downloads, SMB downloads from Samba's guest share, uploads and upload-reply jobs to
#     `jbits serve` (the reply comes from nginx as the server application), and downloads of a missing file that
#     must end in ERROR;
#   * random suspends, resumes, cancels, priority changes and set-remote (to the same files under /alt/), about one
#     a second; the service restarted every RESTART_EVERY_MIN (5) minutes (the second time by kill -9), and
#     `jbits serve` restarted twice (at a third of the run by SIGTERM, at two thirds by kill -9);
#   * a Java listener on the event stream (bench/SoakListener.java) and `jbits monitor`, attached throughout.
# Every minute it records the service's RSS, heap after a full GC (jcmd GC.run, then jstat), threads and open
# descriptors; `jbits serve`'s RSS and descriptors; the database's and the WAL's size; the event lag (receive time
# at the listener minus the event's own time, for state changes, TRANSFERRED and ERROR: median and maximum).
# At the end it checks, and exits 1 when one fails:
#   * every file of every completed job matches its SHA-256 (downloads here, uploads in `jbits serve`'s
#     directories), every upload-reply's reply is the application's, every job of the load finished (ACKNOWLEDGED,
#     CANCELLED, or ERROR for the missing file);
#   * the listener saw a TRANSFERRED for exactly the jobs the service holds as TRANSFERRED or ACKNOWLEDGED, and an
#     ERROR, with the same code, for exactly the jobs it holds in ERROR (cancelled jobs left out: a cancel can
#     overtake a TRANSFERRED);
#   * no growth: a least-squares line over the second half of the run, per series, leaving out the samples within
#     2 minutes after a restart of that process (its warm-up), must rise by less than a threshold per minute:
#     RSS 2 MiB, threads 1, descriptors 1, WAL 1 MiB (env MAX_SLOPE_RSS_MIB, _THREADS, _FDS, _WAL_MIB). The heap
#     after GC and the database's size are reported, not checked: they hold the jobs, which grow with the run.
# Plots every series with gnuplot to OUT/soak.png; writes OUT/samples.csv, OUT/summary.md (the README's rows).
# Bounded: the load acts on its jobs until MINUTES, then waits for them at most DRAIN_MIN (5) more; everything is killed
# MINUTES + DRAIN_MIN + 5 minutes after the start. Not part of CI. Needs root (smbd), nginx, samba, gnuplot
# (apt-get install -y nginx samba gnuplot-nox). Loopback only.
# Env: MINUTES=30 JOBS=2000 MAX_RUNNING=50 RESTART_EVERY_MIN=5 CAP_EVERY_MIN=3 DRAIN_MIN=5 SEED=1 SOAK_CREATE_UNTIL=0.95
#      DISKTMP=/var/tmp OUT=/tmp/jbits-soak.<date> KEEP=0 (1 keeps the work directory)
set -euo pipefail
ROOT=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$ROOT/bench/lib/common.sh"
MINUTES=${MINUTES:-30}
JOBS=${JOBS:-2000}
MAX_RUNNING=${MAX_RUNNING:-50}
RESTART_EVERY_MIN=${RESTART_EVERY_MIN:-5}
CAP_EVERY_MIN=${CAP_EVERY_MIN:-3}
DRAIN_MIN=${DRAIN_MIN:-5}
SEED=${SEED:-1}
DISKTMP=${DISKTMP:-/var/tmp}
OUT=${OUT:-/tmp/jbits-soak.$(date +%Y%m%d-%H%M%S)}
MAX_SLOPE_RSS_MIB=${MAX_SLOPE_RSS_MIB:-2}
MAX_SLOPE_THREADS=${MAX_SLOPE_THREADS:-1}
MAX_SLOPE_FDS=${MAX_SLOPE_FDS:-1}
MAX_SLOPE_WAL_MIB=${MAX_SLOPE_WAL_MIB:-1}
NGINX_BIN=$(nginx_binary)
need_tool /usr/sbin/smbd samba
need_tool gnuplot gnuplot-nox
[ "$(id -u)" = 0 ] || bench_die "smbd must start as root: run soak.sh as root"
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
JDK=$(. "$ROOT/bin/find-jdk" && find_jdk)
JAVA=$JDK/bin/java
JBITS=$ROOT/bin/jbits
[ -f "$ROOT/jbits-cli/target/jbits.jar" ] || "$ROOT/mvnw" -q -B -DskipTests -f "$ROOT/pom.xml" -pl jbits-cli -am verify
JAR=$ROOT/jbits-cli/target/jbits.jar
LIB="$ROOT/jbits-cli/target/lib/*"
RUN_S=$((MINUTES * 60))
BOUND_S=$(((MINUTES + DRAIN_MIN + 5) * 60))
NPORT=$(free_port 18290)
SPORT=$(free_port $((NPORT + 1)))
SMBPORT=$(free_port $((SPORT + 1)))

WORK=$(mktemp -d "$DISKTMP/jbits-soak.XXXXXX")
chmod 755 "$WORK"   # smbd's guest (nobody) reads the share below it
export JBITS_HOME=$WORK/home
mkdir -p "$JBITS_HOME" "$WORK/www/alt" "$WORK/smb" "$WORK/up" "$WORK/served" "$WORK/upl" "$WORK/rep" \
  "$WORK/nginx/tmp" "$WORK/samba"/{private,lock,state,cache,pid,ncalrpc,log}
SERVE_PID=""; SMBD_PID=""; MON_PID=""; LISTEN_PID=""; LOAD_PID=""
cleanup() {
  touch "$WORK/stop"
  for pid in $LOAD_PID $MON_PID $LISTEN_PID $SERVE_PID; do kill "$pid" 2>/dev/null || true; done
  "$JBITS" service stop >/dev/null 2>&1 || true
  [ -n "$SMBD_PID" ] && { pkill -KILL -P "$SMBD_PID" 2>/dev/null || true; kill -KILL "$SMBD_PID" 2>/dev/null || true; }
  [ -f "$WORK/nginx/nginx.pid" ] && kill "$(cat "$WORK/nginx/nginx.pid")" 2>/dev/null || true
  if [ "${KEEP:-0}" = 1 ]; then echo "work directory kept: $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }

# ---- data: files of 16 KiB to 4 MiB (log-uniform), their sums, and a manifest for the load
log "making the data in $WORK"
size_of() { awk -v r="$1" -v lo="$2" -v hi="$3" 'BEGIN { srand(r); printf "%d\n", exp(log(lo) + rand() * (log(hi) - log(lo))) }'; }
{
  for i in $(seq -w 0 59); do
    head -c "$(size_of "1$i$SEED" 16384 4194304)" /dev/urandom > "$WORK/www/d$i"
    ln "$WORK/www/d$i" "$WORK/www/alt/d$i"   # the same inode: nginx gives both names the same ETag
    echo "www d$i $(sha256sum < "$WORK/www/d$i" | cut -c1-64)"
  done
  for i in $(seq -w 0 9); do
    head -c "$(size_of "2$i$SEED" 65536 2097152)" /dev/urandom > "$WORK/smb/s$i"
    echo "smb s$i $(sha256sum < "$WORK/smb/s$i" | cut -c1-64)"
  done
  for i in $(seq -w 0 19); do
    head -c "$(size_of "3$i$SEED" 16384 2097152)" /dev/urandom > "$WORK/up/u$i"
    echo "up $WORK/up/u$i $(sha256sum < "$WORK/up/u$i" | cut -c1-64)"
  done
} > "$WORK/manifest"
chmod 644 "$WORK/smb"/*; chmod 755 "$WORK/smb"

# ---- nginx: the files, and /app/ as the upload-reply server application
user=""; [ "$(id -u)" = 0 ] && user="user root;"
cat > "$WORK/nginx/nginx.conf" <<CONF
$user
worker_processes 1;
events { worker_connections 1024; }
http {
  client_body_temp_path $WORK/nginx/tmp/body; proxy_temp_path $WORK/nginx/tmp/proxy;
  fastcgi_temp_path $WORK/nginx/tmp/fcgi; uwsgi_temp_path $WORK/nginx/tmp/uwsgi; scgi_temp_path $WORK/nginx/tmp/scgi;
  access_log off;
  sendfile on;
  server {
    listen 127.0.0.1:$NPORT;
    root $WORK/www;
    location /app/ {
      client_max_body_size 0;
      add_header BITS-Copy-File-To-Destination true;
      return 200 "soak-reply-ok\n";
    }
  }
}
CONF
"$NGINX_BIN" -p "$WORK/nginx/" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log" -g "pid $WORK/nginx/nginx.pid;"

# ---- Samba: a private smbd with one guest share
cat > "$WORK/samba/smb.conf" <<CONF
[global]
  netbios name = JBITSSOAK
  workgroup = JBITS
  server role = standalone server
  interfaces = 127.0.0.1
  bind interfaces only = yes
  smb ports = $SMBPORT
  disable netbios = yes
  private dir = $WORK/samba/private
  lock directory = $WORK/samba/lock
  state directory = $WORK/samba/state
  cache directory = $WORK/samba/cache
  pid directory = $WORK/samba/pid
  ncalrpc dir = $WORK/samba/ncalrpc
  log file = $WORK/samba/log/smbd.log
  max log size = 1000
  passdb backend = tdbsam:$WORK/samba/private/passdb.tdb
  map to guest = Bad User
  load printers = no
  printcap name = /dev/null
  disable spoolss = yes
  rpc start on demand helpers = no
[public]
  path = $WORK/smb
  read only = yes
  guest ok = yes
CONF
/usr/sbin/smbd --foreground --no-process-group --configfile="$WORK/samba/smb.conf" --debug-stdout -d 0 \
  > "$WORK/samba/log/console.log" 2>&1 &
SMBD_PID=$!
disown "$SMBD_PID"   # no "Killed" notice when the cleanup ends it

# ---- jbits serve: /up/ plain uploads, /reply/ upload-reply with nginx as the application
cat > "$WORK/serve.yaml" <<YAML
directories:
  - url: /up
    path: $WORK/upl
    allow-overwrite: true
    max-sessions-per-client: 1000
  - url: /reply
    path: $WORK/rep
    allow-overwrite: true
    max-sessions-per-client: 1000
    notify-url: http://127.0.0.1:$NPORT/app/
    notify-type: by-value
YAML
start_serve() {
  "$JAVA" -Xmx256m -cp "$JAR" io.jbits.cli.Main serve "$WORK/served" --config "$WORK/serve.yaml" --port "$SPORT" \
    >> "$OUT/serve.log" 2>&1 &
  SERVE_PID=$!
  for _ in $(seq 1 150); do port_in_use "$SPORT" && return 0; sleep 0.2; done
  bench_die "jbits serve did not start; see $OUT/serve.log"
}
start_serve
for port in "$NPORT" "$SMBPORT"; do
  for _ in $(seq 1 100); do port_in_use "$port" && break; sleep 0.2; done
  port_in_use "$port" || bench_die "nothing answers on $port (nginx $WORK/nginx/error.log, smbd $WORK/samba/log)"
done

# ---- the service, its timetable, the listener, the monitor, the load
start_service() { JBITS_MAX_BACKGROUND_JOBS=$MAX_RUNNING "$JBITS" service start >/dev/null; }
service_pid() { cat "$JBITS_HOME/service.pid" 2>/dev/null; }
start_service
# The global limit by time of day: a new rate every CAP_EVERY_MIN minutes through the run, then off (the drain).
timetable=$(awk -v now="$(date +%s)" -v every="$CAP_EVERY_MIN" -v mins="$MINUTES" 'BEGIN {
  split("1M 4M off 2M 16M", rate, " ")
  for (m = 0; m * every < mins; m++) {
    t = now + m * every * 60; printf "%s,%s ", strftime("%H:%M", t), rate[m % 5 + 1]
  }
  printf "%s,off\n", strftime("%H:%M", now + mins * 60) }')
"$JBITS" policy set --limit "$timetable" > /dev/null
log "timetable of the global limit: $timetable"

"$JAVA" -cp "$LIB" "$ROOT/bench/SoakListener.java" "$OUT/events.tsv" "$WORK/stop" "$BOUND_S" \
  > "$OUT/listener.out" 2> "$OUT/listener.err" &
LISTEN_PID=$!
MON_RESTARTS=0
start_monitor() {
  "$JAVA" -cp "$JAR" io.jbits.cli.Main monitor > >(tail -n 200 > "$OUT/monitor.tail") 2>> "$OUT/monitor.err" &
  MON_PID=$!
}
start_monitor
sleep 3   # the listener subscribes before the first job
"$JAVA" -cp "$LIB" "$ROOT/bench/SoakLoad.java" "$OUT" "$WORK/dl" "$WORK/manifest" "http://127.0.0.1:$NPORT/" \
  "http://127.0.0.1:$SPORT/" "smb://127.0.0.1:$SMBPORT/public/" "$WORK/upl" "$WORK/rep" "$JOBS" "$RUN_S" \
  "$((DRAIN_MIN * 60))" "$SEED" > "$OUT/load.out" 2> "$OUT/load.err" &
LOAD_PID=$!

# ---- the run: a sample every minute, restarts on their schedule
mib() { awk -v k="$1" '$1 == k":" { printf "%.1f", $2 / 1024 }' "/proc/$2/status" 2>/dev/null || echo ""; }
heap_after_gc() { # MiB used in every generation after a full collection
  "$JDK/bin/jcmd" "$1" GC.run > /dev/null 2>&1 || return 0
  "$JDK/bin/jstat" -gc "$1" 2>/dev/null | awk 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i }
    NR == 2 { printf "%.1f", ($c["S0U"] + $c["S1U"] + $c["EU"] + $c["OU"]) / 1024 }'
}
fsize_mib() { [ -f "$1" ] && awk -v b="$(stat -c %s "$1")" 'BEGIN { printf "%.2f", b / 1048576 }' || echo 0; }
lag() { # median and maximum lag (ms) of the state events received in the last minute
  awk -F'\t' -v from="$1" -v to="$2" '$1 > from && $1 <= to && ($2 != "MODIFIED" || $5 == "STATE") && !seen[$3 FS $4]++ {
    print $1 - $7 }' "$OUT/events.tsv" 2>/dev/null | sort -n | awk '{ a[NR] = $1 } END {
    if (NR == 0) print "NaN,NaN"; else printf "%d,%d\n", a[int((NR + 1) / 2)], a[NR] }'
}
echo "minute,service_rss_mib,heap_after_gc_mib,threads,fds,serve_rss_mib,serve_fds,db_mib,wal_mib,lag_p50_ms,lag_max_ms,service_restarted_min,serve_restarted_min,queue,transferred,limit_mib_s" > "$OUT/samples.csv"
queue_now() { "$JBITS" list --json 2>/dev/null | grep -c '^{' || true; }
limit_now() { # the global limit in force, MiB/s (0: off)
  "$JBITS" policy show --json 2>/dev/null | awk -F'"' '{ for (i = 1; i < NF; i++) if ($i == "limitNow") v = $(i + 2) }
    END { n = v + 0; u = substr(v, length(v)); if (v == "" || v == "off") n = 0
      else if (u == "k" || u == "K") n /= 1024; else if (u == "G") n *= 1024; printf "%g", n }'
}
SVC_RESTARTS=0; SVC_KILLS=0; SERVE_RESTARTS=0; SERVE_KILLS=0; SVC_SINCE=0; SERVE_SINCE=0
sample() {
  local m=$1 pid spid now
  pid=$(service_pid || true); spid=$SERVE_PID; now=$(date +%s%3N)
  local rss="" heap="" thr="" fds=""
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    rss=$(mib VmRSS "$pid"); thr=$(awk '$1 == "Threads:" { print $2 }' "/proc/$pid/status")
    fds=$(ls "/proc/$pid/fd" | wc -l); heap=$(heap_after_gc "$pid")
  fi
  echo "$m,$rss,$heap,$thr,$fds,$(mib VmRSS "$spid"),$(ls "/proc/$spid/fd" 2>/dev/null | wc -l),$(fsize_mib "$JBITS_HOME/jobs.db"),$(fsize_mib "$JBITS_HOME/jobs.db-wal"),$(lag $((now - 60000)) "$now"),$SVC_SINCE,$SERVE_SINCE,$(queue_now),$(grep -c $'\tTRANSFERRED\t' "$OUT/events.tsv" 2>/dev/null || true),$(limit_now)" >> "$OUT/samples.csv"
}
restart_service() { # restart_service kill|stop
  if [ "$1" = kill ]; then
    kill -KILL "$(service_pid)" 2>/dev/null || true; SVC_KILLS=$((SVC_KILLS + 1))
    while kill -0 "$(service_pid)" 2>/dev/null; do sleep 0.1; done
  else
    "$JBITS" service stop > /dev/null || true
  fi
  start_service; SVC_RESTARTS=$((SVC_RESTARTS + 1))
}
restart_serve() { # restart_serve KILL|TERM
  kill -"$1" "$SERVE_PID" 2>/dev/null || true
  wait "$SERVE_PID" 2>/dev/null || true
  [ "$1" = KILL ] && SERVE_KILLS=$((SERVE_KILLS + 1))
  start_serve; SERVE_RESTARTS=$((SERVE_RESTARTS + 1))
}
T0=$(date +%s)
sample 0
next_sample=60; next_restart=$((RESTART_EVERY_MIN * 60 + 30))
serve_at1=$((RUN_S / 3 + 15)); serve_at2=$((2 * RUN_S / 3 + 15))
while kill -0 "$LOAD_PID" 2>/dev/null; do
  t=$(($(date +%s) - T0))
  [ "$t" -ge "$BOUND_S" ] && { log "the run passed its bound of $BOUND_S s: stopping the load"; kill "$LOAD_PID"; break; }
  if [ "$t" -ge "$next_sample" ]; then
    sample $((next_sample / 60)); next_sample=$((next_sample + 60))
    log "minute $((t / 60)): $(tail -1 "$OUT/samples.csv")"
  fi
  if [ "$t" -ge "$next_restart" ] && [ "$t" -lt "$RUN_S" ]; then
    if [ "$SVC_RESTARTS" = 1 ]; then log "service: kill -9 and start"; restart_service kill
    else log "service: stop and start"; restart_service stop; fi
    SVC_SINCE=$(awk -v t="$(($(date +%s) - T0))" 'BEGIN { printf "%.1f", t / 60 }')
    next_restart=$((next_restart + RESTART_EVERY_MIN * 60))
  fi
  if { [ "$t" -ge "$serve_at1" ] && [ "$SERVE_RESTARTS" = 0 ]; } || { [ "$t" -ge "$serve_at2" ] && [ "$SERVE_RESTARTS" = 1 ]; }; then
    if [ "$SERVE_RESTARTS" = 0 ]; then log "jbits serve: SIGTERM and start"; restart_serve TERM
    else log "jbits serve: kill -9 and start"; restart_serve KILL; fi
    SERVE_SINCE=$(awk -v t="$(($(date +%s) - T0))" 'BEGIN { printf "%.1f", t / 60 }')
  fi
  if ! kill -0 "$MON_PID" 2>/dev/null; then
    log "jbits monitor ended ($(tail -1 "$OUT/monitor.err" 2>/dev/null)); starting it again"
    MON_RESTARTS=$((MON_RESTARTS + 1)); start_monitor
  fi
  sleep 1
done
wait "$LOAD_PID" 2>/dev/null || log "the load failed: $(tail -3 "$OUT/load.err")"
ELAPSED=$(($(date +%s) - T0))
sample "$(awk -v t="$ELAPSED" 'BEGIN { printf "%.1f", t / 60 }')"
log "load: $(cat "$OUT/load.out")"
sleep 5   # the last events reach the listener
touch "$WORK/stop"
kill "$MON_PID" 2>/dev/null || true
wait "$LISTEN_PID" 2>/dev/null || true
"$JBITS" list --all --json > "$OUT/final.json"

# ---- the plot, then the checks
gnuplot <<PLOT 2> "$OUT/gnuplot.err" || log "gnuplot failed: $(cat "$OUT/gnuplot.err")"
set terminal pngcairo size 1400,900 font ",10"
set output "$OUT/soak.png"
set datafile separator ","
set datafile missing "NaN"
set key top left
set grid
set xlabel "minute"
set multiplot layout 2,3 title "jbits soak: $MINUTES min, $JOBS jobs, $MAX_RUNNING at once; service restarted every $RESTART_EVERY_MIN min, $(date -u +%F)"
set title "service memory (MiB)"
plot "$OUT/samples.csv" using 1:2 with linespoints title "RSS", "" using 1:3 with linespoints title "heap after GC"
set title "service threads and descriptors"
plot "$OUT/samples.csv" using 1:4 with linespoints title "threads", "" using 1:5 with linespoints title "open fds"
set title "jbits serve"
plot "$OUT/samples.csv" using 1:6 with linespoints title "RSS (MiB)", "" using 1:7 with linespoints title "open fds"
set title "state database (MiB)"
plot "$OUT/samples.csv" using 1:8 with linespoints title "jobs.db", "" using 1:9 with linespoints title "WAL"
set title "event lag (ms)"
set logscale y
plot "$OUT/samples.csv" using 1:10 with linespoints title "median", "" using 1:11 with linespoints title "max"
unset logscale y
set title "load"
set y2tics
set ytics nomirror
plot "$OUT/samples.csv" using 1:14 with linespoints title "jobs in the queue", "" using 1:15 with linespoints title "TRANSFERRED events so far", "" using 1:16 axes x1y2 with steps title "global limit, MiB/s (right; 0: off)"
unset multiplot
PLOT
rc=0
python3 "$ROOT/bench/lib/soak_check.py" "$OUT" "$MINUTES" "drain_min=$DRAIN_MIN service_restarts=$SVC_RESTARTS \
service_kills=$SVC_KILLS serve_restarts=$SERVE_RESTARTS serve_kills=$SERVE_KILLS monitor_restarts=$MON_RESTARTS" || rc=$?
cat "$OUT/summary.md"
log "results in $OUT ($(nproc) cores, loadavg $(cut -d' ' -f1-3 /proc/loadavg); ran $ELAPSED s)"
exit "$rc"
