#!/usr/bin/env bash
# bench/farm.sh -- an upload farm on this machine: 1, 2 and 3 `jbits serve` nodes sharing one upload directory on
# local disk, behind a private nginx (round robin, no affinity, request bodies streamed), loaded by CLIENTS
# concurrent BITS upload clients (bench/FarmLoad.java) for DURATION seconds each. Reports aggregate throughput,
# the nodes' CPU seconds per GiB received (a 2-core machine cannot scale linearly: this is the figure that does),
# and, from `strace -c -f` attached to one node of a 2-node farm, the system calls per fragment that touch the
# shared file system -- on NFS each of those is a round trip to the server. Every acknowledged upload is checked by
# SHA-256 (bad must be 0). Not part of CI; loopback only; bounded (each run gives up DURATION + 120 s later).
# Needs nginx and strace (apt-get install -y nginx strace).
# Env: NODES="1 2 3" CLIENTS=12 DURATION=20 FILE_BYTES=8388608 FRAGMENT_BYTES=1048576 STRACE_SECONDS=10
#      DISKTMP=/var/tmp PORT=18190 OUT=/tmp/jbits-farm.<date>
set -euo pipefail
ROOT=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$ROOT/bench/lib/common.sh"
NODES=${NODES:-1 2 3}
CLIENTS=${CLIENTS:-12}
DURATION=${DURATION:-20}
FILE_BYTES=${FILE_BYTES:-8388608}
FRAGMENT_BYTES=${FRAGMENT_BYTES:-1048576}
STRACE_SECONDS=${STRACE_SECONDS:-10}
DISKTMP=${DISKTMP:-/var/tmp}
OUT=${OUT:-/tmp/jbits-farm.$(date +%Y%m%d-%H%M%S)}
NGINX_BIN=$(nginx_binary)
need_tool strace
mkdir -p "$OUT"
JAVA=$(. "$ROOT/bin/find-jdk" && find_jdk)/bin/java
# The nodes run the jars of this checkout; build them (verify, not install) when they are missing.
[ -f "$ROOT/jbits-cli/target/jbits.jar" ] || "$ROOT/mvnw" -q -B -DskipTests -f "$ROOT/pom.xml" -pl jbits-cli -am verify
LIB="$ROOT/jbits-cli/target/lib/*"
LB_PORT=$(free_port "${PORT:-18190}")
TICKS=$(getconf CLK_TCK)

WORK=$(mktemp -d "$DISKTMP/jbits-farm.XXXXXX")
PIDS=()
stop_farm() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  PIDS=()
  [ -f "$WORK/nginx/nginx.pid" ] && kill "$(cat "$WORK/nginx/nginx.pid")" 2>/dev/null || true
  sleep 0.5
}
cleanup() { stop_farm; rm -rf "$WORK"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# start_farm N: N nodes on the shared directory, nginx in front; fills PIDS and MPORTS.
start_farm() {
  local n=$1 i port upstreams=""
  rm -rf "$WORK/shared" "$WORK/nginx"; mkdir -p "$WORK/shared" "$WORK/served" "$WORK/nginx/tmp"
  MPORTS=()
  port=$((LB_PORT + 1))
  for i in $(seq 1 "$n"); do
    port=$(free_port "$port"); local mport; mport=$(free_port $((port + 1)))
    "$JAVA" --enable-native-access=ALL-UNNAMED -cp "$ROOT/jbits-cli/target/jbits.jar:$LIB" io.jbits.cli.Main serve "$WORK/served" \
      --upload-dir "$WORK/shared" --port "$port" --metrics "127.0.0.1:$mport" \
      --max-sessions-per-client 1000 > "$OUT/node-$n-$i.log" 2>&1 &
    PIDS+=($!); MPORTS+=("$mport")
    upstreams="$upstreams server 127.0.0.1:$port;"
    for _ in $(seq 1 150); do port_in_use "$port" && break; sleep 0.2; done
    port_in_use "$port" || { cat "$OUT/node-$n-$i.log" >&2; bench_die "node $i did not start"; }
    port=$((mport + 1))
  done
  local user=""; [ "$(id -u)" = 0 ] && user="user root;"
  cat > "$WORK/nginx/nginx.conf" <<CONF
$user
worker_processes 1;
events { worker_connections 1024; }
http {
  client_body_temp_path $WORK/nginx/tmp/body; proxy_temp_path $WORK/nginx/tmp/proxy;
  fastcgi_temp_path $WORK/nginx/tmp/fcgi; uwsgi_temp_path $WORK/nginx/tmp/uwsgi; scgi_temp_path $WORK/nginx/tmp/scgi;
  access_log off;
  upstream farm { $upstreams keepalive 32; }
  server {
    listen 127.0.0.1:$LB_PORT;
    client_max_body_size 0;
    location / {
      proxy_pass http://farm; proxy_http_version 1.1; proxy_set_header Connection "";
      proxy_request_buffering off; proxy_buffering off; proxy_next_upstream error timeout;
    }
  }
}
CONF
  "$NGINX_BIN" -p "$WORK/nginx/" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log" \
    -g "pid $WORK/nginx/nginx.pid;"
  for _ in $(seq 1 50); do port_in_use "$LB_PORT" && break; sleep 0.1; done
}

# cpu_ticks PID...: user + system clock ticks of the processes so far.
cpu_ticks() {
  local total=0 pid
  for pid in "$@"; do total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat"))); done
  echo "$total"
}

load() { # load SECONDS CLIENTS -> "uploads bytes seconds fragments bad"
  timeout $(($1 + 120)) "$JAVA" -cp "$LIB" "$ROOT/bench/FarmLoad.java" "http://127.0.0.1:$LB_PORT/farm/" "$2" "$1" \
    "$FILE_BYTES" "$FRAGMENT_BYTES" "$WORK/shared/farm"
}

{
  echo "| nodes | uploads | GiB | MiB/s | node CPU s per GiB | bad |"
  echo "|---:|---:|---:|---:|---:|---:|"
} > "$OUT/summary.md"
echo "== $CLIENTS clients, $DURATION s per farm size, $FILE_BYTES-byte files in $FRAGMENT_BYTES-byte fragments" >&2
for n in $NODES; do
  start_farm "$n"
  before=$(cpu_ticks "${PIDS[@]}")
  read -r uploads bytes seconds fragments bad < <(load "$DURATION" "$CLIENTS")
  after=$(cpu_ticks "${PIDS[@]}")
  stop_farm
  awk -v n="$n" -v u="$uploads" -v b="$bytes" -v s="$seconds" -v t=$((after - before)) -v hz="$TICKS" -v bad="$bad" \
    'BEGIN { g = b / 2^30; printf "| %d | %d | %.2f | %.0f | %.1f | %d |\n", n, u, g, b / 2^20 / s, (g > 0 ? t / hz / g : 0), bad }' \
    | tee -a "$OUT/summary.md" >&2
done

# Metadata operations per fragment: one node of a 2-node farm, traced while the farm is loaded.
start_farm 2
sleep 1
strace -f -c -o "$OUT/strace.txt" -p "${PIDS[0]}" 2>/dev/null &
STRACE_PID=$!
sleep 1
load "$STRACE_SECONDS" "$CLIENTS" > "$OUT/strace-load.txt"
kill -INT "$STRACE_PID" 2>/dev/null || true
wait "$STRACE_PID" 2>/dev/null || true
node_fragments=$(curl -sf "http://127.0.0.1:${MPORTS[0]}/metrics" | awk '/^jbits_serve_fragments_total/ { s += $2 } END { print s + 0 }')
stop_farm
{
  echo
  echo "System calls per fragment on one node of a 2-node farm ($node_fragments fragments traced):"
  echo
  echo "| call | per fragment |"
  echo "|---|---:|"
  awk -v f="$node_fragments" '
    $NF ~ /^(openat|close|fsync|fdatasync|rename|renameat|renameat2|fcntl|flock|ftruncate|newfstatat|fstat|statx|lstat|stat|unlink|unlinkat|mkdir|mkdirat|rmdir|getdents64|link|linkat)$/ && f > 0 {
      calls = ($4 ~ /^[0-9]+$/) ? $4 : $3; printf "| %s | %.1f |\n", $NF, calls / f }' "$OUT/strace.txt"
} | tee -a "$OUT/summary.md" >&2
echo "results in $OUT ($(nproc) cores, loadavg $(cut -d' ' -f1-3 /proc/loadavg))" >&2
