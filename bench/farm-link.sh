#!/usr/bin/env bash
# bench/farm-link.sh -- the network of an upload farm in network namespaces: a client, a load balancer and NODES
# nodes, each in a namespace of its own, joined by a router namespace whose egresses are shaped to a slow link.
# Used by the end-to-end tests (jbits-it FarmLink); it starts no program: the caller runs nginx, the nodes and the
# client inside the namespaces with `ip netns exec`.
#
#   farm-link.sh up NAME [NODES]   builds it (NODES defaults to 3); prints KEY=VALUE lines (below)
#   farm-link.sh down NAME [NODES] deletes the namespaces (idempotent)
#
#   NAME-cli 10.231.20.1 --+                      +-- 10.231.30.1 NAME-n0
#   NAME-lb  10.231.21.1 --+-- NAME-rtr (.2 each) +-- 10.231.31.1 NAME-n1   ...
#
# Every leaf reaches the others through the router (route 10.231.0.0/16 via its .2), and each of the router's
# egresses is shaped with tbf at RATE_KBIT (default 20000 = 20 Mbit/s): the client's packets to the balancer and the
# balancer's to a node both cross a 20 Mbit/s link. This kernel has no netem, fq or cake; tbf works. The addresses
# exist only inside the namespaces this script creates (no default route anywhere), so the traffic reaches nothing
# else.
#
# Output of up:  CLIENT_NS= LB_NS= ROUTER_NS= NODE0_NS= NODE1_NS= ... CLIENT=10.231.20.1 LB=10.231.21.1
#                NODE0=10.231.30.1 NODE1=10.231.31.1 ... RATE_KBIT=
# Env: RATE_KBIT=20000 LATENCY=100ms
# Root only (ip netns, tc). Unique NAMEs let several farms exist at once; a NAME already in use is refused.
# Callers tear down with `down NAME` in a trap or finally block.
set -euo pipefail
cmd=${1:?usage: farm-link.sh up NAME [NODES] | down NAME [NODES]}
NAME=${2:?NAME}
NODES=${3:-3}
RATE_KBIT=${RATE_KBIT:-20000}
LATENCY=${LATENCY:-100ms}
RTR=$NAME-rtr; CLI=$NAME-cli; LB=$NAME-lb
[[ "$NODES" =~ ^[1-9]$ ]] || { echo "farm-link.sh: NODES must be 1..9" >&2; exit 2; }

leaves() {
  echo "$CLI 20"; echo "$LB 21"
  for i in $(seq 0 $((NODES - 1))); do echo "$NAME-n$i $((30 + i))"; done
}

down() {
  leaves | while read -r ns _; do ip netns del "$ns" 2>/dev/null || true; done
  ip netns del "$RTR" 2>/dev/null || true
}

case "$cmd" in
up)
  [ "$(id -u)" = 0 ] || { echo "farm-link.sh: needs root (ip netns, tc)" >&2; exit 1; }
  for tool in ip tc; do
    command -v "$tool" >/dev/null || { echo "farm-link.sh: $tool missing (apt-get install -y iproute2)" >&2; exit 1; }
  done
  if ip netns list | grep -qE "^$NAME-"; then
    echo "farm-link.sh: namespaces $NAME-* exist already" >&2; exit 1
  fi
  trap 'down' ERR
  ip netns add "$RTR"
  ip -n "$RTR" link set lo up
  ip netns exec "$RTR" sh -c 'echo 1 > /proc/sys/net/ipv4/ip_forward'   # this namespace's own switch
  k=0
  while read -r ns net; do
    ip netns add "$ns"
    ip -n "$ns" link set lo up
    ip link add e0 netns "$ns" type veth peer name "r$k" netns "$RTR"
    ip -n "$ns" addr add "10.231.$net.1/24" dev e0
    ip -n "$RTR" addr add "10.231.$net.2/24" dev "r$k"
    ip -n "$ns" link set e0 up
    ip -n "$RTR" link set "r$k" up
    ip -n "$ns" route add 10.231.0.0/16 via "10.231.$net.2"
    tc -n "$RTR" qdisc add dev "r$k" root tbf rate "${RATE_KBIT}kbit" burst 32kbit latency "$LATENCY"
    k=$((k + 1))
  done < <(leaves)
  trap - ERR
  echo "CLIENT_NS=$CLI"; echo "LB_NS=$LB"; echo "ROUTER_NS=$RTR"
  echo "CLIENT=10.231.20.1"; echo "LB=10.231.21.1"
  for i in $(seq 0 $((NODES - 1))); do echo "NODE${i}_NS=$NAME-n$i"; echo "NODE$i=10.231.$((30 + i)).1"; done
  echo "RATE_KBIT=$RATE_KBIT"
  ;;
down) down ;;
*) echo "usage: farm-link.sh up NAME [NODES] | down NAME [NODES]" >&2; exit 2 ;;
esac
