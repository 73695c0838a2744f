# bench/lib/common.sh -- small helpers the bench scripts source: finding tools, finding a free loopback port.
# Source it (". "$ROOT/bench/lib/common.sh"); it defines functions only and changes no shell options.

# bench_die MESSAGE...: prints "bench: MESSAGE" on stderr and exits 1.
bench_die() {
  echo "bench: $*" >&2
  exit 1
}

# need_tool NAME [PACKAGE]: fails with an apt-get hint unless NAME (a command or an absolute path) can be run.
need_tool() {
  command -v "$1" >/dev/null 2>&1 || bench_die "$1 missing: apt-get install -y ${2:-$1}"
}

# nginx_binary: prints the nginx to run: $NGINX if set, else /usr/sbin/nginx, else the first on PATH.
nginx_binary() {
  if [ -n "${NGINX:-}" ]; then
    echo "$NGINX"
  elif [ -x /usr/sbin/nginx ]; then
    echo /usr/sbin/nginx
  else
    command -v nginx 2>/dev/null || bench_die "nginx missing: apt-get install -y nginx"
  fi
}

# ensure_aria2c: makes sure aria2c can run; installs the distribution's aria2 package when root, else fails.
ensure_aria2c() {
  command -v aria2c >/dev/null 2>&1 && return 0
  [ "$(id -u)" = 0 ] || bench_die "aria2c missing: apt-get install -y aria2 (as root)"
  echo "bench: installing aria2 (apt-get install -y aria2)" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq aria2 >/dev/null || bench_die "apt-get install aria2 failed"
}

# port_in_use PORT [ADDR]: true when something accepts TCP connections on ADDR:PORT (default 127.0.0.1).
port_in_use() {
  (exec 3<>"/dev/tcp/${2:-127.0.0.1}/$1") 2>/dev/null
}

# free_port [FIRST]: prints FIRST (default 18090) if nothing listens there on 127.0.0.1, else the next free port
# above it (at most 200 tried).
free_port() {
  local port=${1:-18090} last
  last=$((port + 200))
  while [ "$port" -lt "$last" ]; do
    port_in_use "$port" || { echo "$port"; return 0; }
    port=$((port + 1))
  done
  bench_die "no free loopback port in ${1:-18090}-$last"
}
