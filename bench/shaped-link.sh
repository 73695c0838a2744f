#!/usr/bin/env bash
# bench/shaped-link.sh -- a slow, bufferbloated link between a web server and a client, in network namespaces.
# Shared by the end-to-end tests (jbits-it ShapedLink) and bench/bandwidth.sh, so that both measure the same thing.
#
#   shaped-link.sh up NAME DATA    builds it and starts nginx over DATA; prints KEY=VALUE lines (below)
#   shaped-link.sh down NAME       stops nginx and deletes the namespaces (idempotent)
#
#   NAME-srv 10.231.1.1/24 (veth s0) <-> (r0) 10.231.1.2 NAME-rtr 10.231.2.2 (r1) <-> (c0) 10.231.2.1/24 NAME-cli
#
# The router shapes both of its egresses with tbf at RATE_KBIT (default 20000 = 20 Mbit/s) and a deep buffer
# (LATENCY, default 200ms: a bufferbloated home router), so a greedy download through it shows up as added delay in
# ping. The shaper sits on a router between the ends, not on the sender's own veth: a local sender whose qdisc
# is full is throttled by TCP small queues and never fills the buffer. This kernel has no netem, fq, fq_codel, sfq
# or cake; tbf works. The addresses exist only inside the three namespaces (no default route anywhere), so the
# traffic can reach nothing else. The server's route to the client uses SERVER_CC (default cubic, what most web
# servers run): this machine's default, bbr, keeps the queue short by itself, so a greedy download would add little
# delay and prove nothing about ours (setting the namespace's sysctl is refused here; the route attribute works). nginx (the distribution's /usr/sbin/nginx) listens on 10.231.1.1:80 inside
# NAME-srv: static files with Range, keep-alive, sendfile; access log in STATE/access.log.
#
# Output of up:  SERVER_NS= ROUTER_NS= CLIENT_NS= SERVER=10.231.1.1 PORT=80 CLIENT=10.231.2.1 STATE= RATE_KBIT=
# Env: RATE_KBIT=20000 LATENCY=200ms SERVER_CC=cubic NGINX=/usr/sbin/nginx
# Root only (ip netns, tc). Unique NAMEs let several links exist at once; a NAME already in use is refused.
# Callers tear down with `down NAME` in a trap: the namespaces vanish with their veths and addresses.
set -euo pipefail
cmd=${1:?usage: shaped-link.sh up NAME DATA | down NAME}
NAME=${2:?NAME}
RATE_KBIT=${RATE_KBIT:-20000}
LATENCY=${LATENCY:-200ms}
SERVER_CC=${SERVER_CC:-cubic}
NGINX=${NGINX:-/usr/sbin/nginx}
SRV=$NAME-srv; RTR=$NAME-rtr; CLI=$NAME-cli
STATE=${TMPDIR:-/tmp}/$NAME-nginx
SERVER=10.231.1.1; CLIENT=10.231.2.1

down() {
  if [ -f "$STATE/nginx.pid" ]; then
    pid=$(cat "$STATE/nginx.pid")
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  for ns in "$CLI" "$RTR" "$SRV"; do ip netns del "$ns" 2>/dev/null || true; done
  rm -rf "$STATE"
}

case "$cmd" in
up)
  DATA=$(cd "${3:?DATA}" && pwd)
  [ "$(id -u)" = 0 ] || { echo "shaped-link.sh: needs root (ip netns, tc)" >&2; exit 1; }
  for tool in ip tc "$NGINX"; do
    command -v "$tool" >/dev/null || { echo "shaped-link.sh: $tool missing (apt-get install -y iproute2 nginx)" >&2; exit 1; }
  done
  if ip netns list | grep -qE "^($SRV|$RTR|$CLI)( |$)"; then
    echo "shaped-link.sh: namespaces $NAME-* exist already" >&2; exit 1
  fi
  trap 'down' ERR
  ip netns add "$SRV"; ip netns add "$RTR"; ip netns add "$CLI"
  ip link add s0 netns "$SRV" type veth peer name r0 netns "$RTR"
  ip link add c0 netns "$CLI" type veth peer name r1 netns "$RTR"
  ip -n "$SRV" addr add $SERVER/24 dev s0
  ip -n "$RTR" addr add 10.231.1.2/24 dev r0
  ip -n "$RTR" addr add 10.231.2.2/24 dev r1
  ip -n "$CLI" addr add $CLIENT/24 dev c0
  for ns in "$SRV" "$RTR" "$CLI"; do ip -n "$ns" link set lo up; done
  ip -n "$SRV" link set s0 up; ip -n "$RTR" link set r0 up; ip -n "$RTR" link set r1 up; ip -n "$CLI" link set c0 up
  ip -n "$SRV" route add 10.231.2.0/24 via 10.231.1.2 congctl "$SERVER_CC"
  ip -n "$CLI" route add 10.231.1.0/24 via 10.231.2.2
  ip netns exec "$RTR" sh -c 'echo 1 > /proc/sys/net/ipv4/ip_forward'   # this namespace's own switch
  for dev in r0 r1; do
    tc -n "$RTR" qdisc add dev $dev root tbf rate "${RATE_KBIT}kbit" burst 32kbit latency "$LATENCY"
  done
  mkdir -p "$STATE/tmp"
  cat > "$STATE/nginx.conf" <<EOF
user root;
worker_processes 1;
pid $STATE/nginx.pid;
error_log $STATE/error.log warn;
events { worker_connections 1024; }
http {
  default_type application/octet-stream;
  sendfile on; tcp_nopush on; tcp_nodelay on;
  keepalive_timeout 65; keepalive_requests 100000;
  client_body_temp_path $STATE/tmp/body; proxy_temp_path $STATE/tmp/proxy; fastcgi_temp_path $STATE/tmp/fcgi;
  uwsgi_temp_path $STATE/tmp/uwsgi; scgi_temp_path $STATE/tmp/scgi;
  log_format link '\$request_uri\t\$status\t\$body_bytes_sent\t\$http_range';
  access_log $STATE/access.log link;
  server { listen $SERVER:80; root $DATA; location / { } }
}
EOF
  ip netns exec "$SRV" "$NGINX" -c "$STATE/nginx.conf" -e "$STATE/error.log"
  for _ in $(seq 50); do
    ip netns exec "$CLI" bash -c "exec 3<>/dev/tcp/$SERVER/80" 2>/dev/null && break
    sleep 0.1
  done
  ip netns exec "$CLI" bash -c "exec 3<>/dev/tcp/$SERVER/80" 2>/dev/null \
    || { echo "shaped-link.sh: nginx does not answer on $SERVER:80 from $CLI; see $STATE/error.log" >&2; down; exit 1; }
  trap - ERR
  echo "SERVER_NS=$SRV"; echo "ROUTER_NS=$RTR"; echo "CLIENT_NS=$CLI"
  echo "SERVER=$SERVER"; echo "PORT=80"; echo "CLIENT=$CLIENT"; echo "STATE=$STATE"; echo "RATE_KBIT=$RATE_KBIT"
  ;;
down) down ;;
*) echo "usage: shaped-link.sh up NAME DATA | down NAME" >&2; exit 2 ;;
esac
