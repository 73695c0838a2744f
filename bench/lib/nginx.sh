#!/usr/bin/env bash
# bench/lib/nginx.sh start|stop|status DIR PORT -- a private nginx serving DIR on 127.0.0.1:PORT, for the benchmarks.
#
#   start   writes a configuration into a state directory of its own, starts nginx on it, waits (at most 5 s) until
#           the port answers, and prints the state directory. Refuses a port something already answers on.
#   stop    asks that nginx to finish (QUIT), waits at most 5 s, then kills it; the state directory (with its logs)
#           stays. Idempotent.
#   status  exit 0 and a line when it runs, exit 1 otherwise.
#
# State directory: ${TMPDIR:-/tmp}/jbits-bench-nginx.PORT, holding nginx.conf, nginx.pid, error.log, access.log,
# nginx's temporary directories and upload/. Nothing is installed, enabled or written outside it.
# What it serves:
#   GET/HEAD /PATH      the files under DIR: Range, If-Range, ETag and Last-Modified as nginx serves static files
#   PUT /upload/NAME    stores the body as STATE/upload/NAME (WebDAV PUT; intermediate directories made; 4 GiB max)
# Tuned as a fast static server: sendfile, tcp_nopush, tcp_nodelay, long keep-alive, two workers.
# access.log has one tab-separated line per request: time, URI, status, bytes sent, body bytes sent, Range,
# request length, request time, connection number, requests on that connection.
# Env: NGINX (the binary; default /usr/sbin/nginx, else the first nginx on PATH).
set -euo pipefail
HERE=$(dirname "$(readlink -f "$0")")
. "$HERE/common.sh"
usage="usage: nginx.sh start|stop|status DIR PORT"
action=${1:?$usage}
DIR=${2:?$usage}
PORT=${3:?$usage}
STATE=${TMPDIR:-/tmp}/jbits-bench-nginx.$PORT
PIDFILE=$STATE/nginx.pid

running_pid() { # prints the master's pid when it runs
  [ -s "$PIDFILE" ] || return 1
  local pid
  pid=$(cat "$PIDFILE")
  kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

write_config() {
  local root=$1 user_line=""
  # As root, workers would run as nobody and could not read a DIR under /root.
  [ "$(id -u)" = 0 ] && user_line="user root;"
  cat > "$STATE/nginx.conf" <<CONF
$user_line
daemon on;
worker_processes 2;
pid $PIDFILE;
error_log $STATE/error.log warn;
events { worker_connections 4096; }
http {
  default_type application/octet-stream;
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  keepalive_timeout 65s;
  keepalive_requests 100000;
  client_body_temp_path $STATE/tmp/client;
  proxy_temp_path $STATE/tmp/proxy;
  fastcgi_temp_path $STATE/tmp/fastcgi;
  uwsgi_temp_path $STATE/tmp/uwsgi;
  scgi_temp_path $STATE/tmp/scgi;
  log_format jbits_bench '\$time_iso8601\t\$request_uri\t\$status\t\$bytes_sent\t\$body_bytes_sent\t\$http_range\t\$request_length\t\$request_time\t\$connection\t\$connection_requests';
  access_log $STATE/access.log jbits_bench;
  server {
    listen 127.0.0.1:$PORT backlog=4096;
    root $root;
    location / {
      limit_except GET { deny all; }
    }
    location /upload/ {
      alias $STATE/upload/;
      dav_methods PUT;
      create_full_put_path on;
      client_max_body_size 4g;
      client_body_buffer_size 1m;
    }
  }
}
CONF
}

case "$action" in
start)
  nginx=$(nginx_binary)
  root=$(cd "$DIR" && pwd)
  port_in_use "$PORT" && bench_die "nginx.sh: 127.0.0.1:$PORT already answers; pick another PORT"
  mkdir -p "$STATE/tmp" "$STATE/upload"
  write_config "$root"
  "$nginx" -q -t -c "$STATE/nginx.conf" -e "$STATE/error.log" || bench_die "nginx.sh: bad configuration ($STATE)"
  "$nginx" -c "$STATE/nginx.conf" -e "$STATE/error.log"
  for _ in $(seq 50); do
    port_in_use "$PORT" && { echo "$STATE"; exit 0; }
    sleep 0.1
  done
  bench_die "nginx.sh: nothing answers on 127.0.0.1:$PORT after 5 s; see $STATE/error.log"
  ;;
stop)
  pid=$(running_pid) || exit 0
  kill -QUIT "$pid" 2>/dev/null || true
  for _ in $(seq 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  rm -f "$PIDFILE"
  ;;
status)
  if pid=$(running_pid); then
    echo "nginx $pid serves 127.0.0.1:$PORT (state $STATE)"
  else
    echo "not running"
    exit 1
  fi
  ;;
*)
  echo "$usage" >&2
  exit 2
  ;;
esac
