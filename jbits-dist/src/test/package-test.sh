#!/usr/bin/env bash
# package-test.sh -- tests the built packages on this machine, as root (run by .ci/run after the packages are built):
#   1. apt-get install ./jbits_<version>_amd64.deb; 'jbits doctor' passes for a user;
#   2. a second user downloads from a private nginx on loopback with /usr/bin/jbits transfer, with no JDK on PATH
#      or in JAVA_HOME (a 'java' on PATH that records any call, JAVA_HOME pointing nowhere), checked by SHA-256,
#      and the service runs on the bundled runtime;
#   3. 'man -w jbits' and man pages of the verbs, the bash and zsh completion files; the units pass
#      'systemd-analyze verify';
#   4. one installed file changed: 'jbits doctor' names it and fails;
#   5. 'apt-get remove jbits' leaves none of the package's files (the dpkg -L list saved before), but the conffile,
#      and the users' state stays;
#   6. the tarball, unpacked in a temporary directory, runs with 'env -i PATH=/usr/bin:/bin': a version and a
#      transfer.
# Usage: package-test.sh DIST_TARGET_DIR (holds jbits_*.deb and jbits-*-linux-x64.tar.gz). Exit 0 when all pass.
set -euo pipefail
target=$(cd "${1:?usage: package-test.sh DIST_TARGET_DIR}" && pwd)
deb=$(ls "$target"/jbits_*_amd64.deb)
tarball=$(ls "$target"/jbits-*-linux-x64.tar.gz)
[ "$(id -u)" = 0 ] || { echo "package-test.sh: must run as root" >&2; exit 1; }
export DEBIAN_FRONTEND=noninteractive

work=$(mktemp -d /tmp/jbits-package-test.XXXXXX)
chmod 755 "$work"
users=(jbitspkg1 jbitspkg2)
nginx_pid=
failures=0
pass() { echo "package-test: ok   $*"; }
fail() { echo "package-test: FAIL $*" >&2; failures=$((failures + 1)); }
check() { local what=$1; shift; if "$@" >/dev/null; then pass "$what"; else fail "$what"; fi; }

# As a user, with a clean environment: no JDK on PATH (a fake java that records any call first) nor JAVA_HOME.
as_user() {
  local u=$1; shift
  runuser -u "$u" -- env -i HOME="/home/$u" USER="$u" LOGNAME="$u" PATH="$work/nojdk:/usr/bin:/bin" \
    JAVA_HOME=/nonexistent-jdk "$@"
}

cleanup() {
  for u in "${users[@]}"; do
    if id "$u" >/dev/null 2>&1; then
      for pid in $(pgrep -u "$u" 2>/dev/null); do kill -TERM "$pid" 2>/dev/null || true; done
    fi
  done
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null || true
  sleep 1
  for u in "${users[@]}"; do
    if id "$u" >/dev/null 2>&1; then
      pkill -KILL -u "$u" 2>/dev/null || true
      userdel -r "$u" >/dev/null 2>&1 || true
    fi
  done
  dpkg -s jbits >/dev/null 2>&1 && apt-get purge -y -qq jbits >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/nojdk"
cat >"$work/nojdk/java" <<'JAVA'
#!/bin/sh
echo "$0 $*" >>/tmp/jbits-package-test-java-called
exit 1
JAVA
chmod 755 "$work/nojdk/java"
ln -s java "$work/nojdk/javac"
rm -f /tmp/jbits-package-test-java-called

for u in "${users[@]}"; do
  id "$u" >/dev/null 2>&1 && userdel -r "$u" >/dev/null 2>&1 || true
  useradd --create-home --shell /bin/sh "$u"
done

# --- a private nginx on a free loopback port, serving 3 MiB of random bytes
port=
for _ in $(seq 50); do
  p=$((20000 + RANDOM % 30000))
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then port=$p; break; fi
done
[ -n "$port" ] || { echo "package-test.sh: no free loopback port" >&2; exit 1; }
mkdir -p "$work/www" "$work/nginx"
head -c 3145728 /dev/urandom >"$work/www/payload.bin"
chmod 644 "$work/www/payload.bin"
want=$(sha256sum "$work/www/payload.bin" | cut -d' ' -f1)
cat >"$work/nginx/nginx.conf" <<NGINX
daemon off;
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 64; }
http {
  access_log $work/nginx/access.log;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  server { listen 127.0.0.1:$port; root $work/www; }
}
NGINX
/usr/sbin/nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" &
nginx_pid=$!
for _ in $(seq 100); do curl -sfo /dev/null "http://127.0.0.1:$port/payload.bin" && break; sleep 0.1; done
url="http://127.0.0.1:$port/payload.bin"

# --- 1. install. A jbits package left on the machine (an earlier run stopped before its cleanup) goes first: apt-get
# keeps an installed package of the same version as it is, and the test would then check that one's files.
if dpkg -s jbits >/dev/null 2>&1; then
  echo "package-test: jbits $(dpkg-query -W -f='${Version}' jbits) was installed before the test; purging it"
  apt-get purge -y -qq jbits >/dev/null
fi
apt-get install -y -qq "$deb" >/dev/null
check "the package is installed" dpkg-query -W jbits
dpkg -L jbits | sort >"$work/dpkg-L"
check "/usr/bin/jbits is the package's launcher" test "$(readlink -f /usr/bin/jbits)" = /usr/lib/jbits/bin/jbits
check "jbits.socket is enabled for every user" test -L /etc/systemd/user/sockets.target.wants/jbits.socket
check "the jbits-serve system user exists" getent passwd jbits-serve
check "jbits-serve.service is disabled" test ! -e /etc/systemd/system/multi-user.target.wants/jbits-serve.service

u1=${users[0]} u2=${users[1]}
if as_user "$u1" /usr/bin/jbits doctor >"$work/doctor1" 2>&1; then pass "jbits doctor passes for $u1"; else
  fail "jbits doctor passes for $u1"; fi
cat "$work/doctor1"
if ! grep -q '^ok    files:' "$work/doctor1"; then
  # What dpkg says of the installed files (its md5sums), and the package's own copy of each changed one.
  dpkg -V jbits || true
  for f in $(sed -n 's/^FAIL  files: [0-9]* changed: \([^ ,]*\).*/\1/p' "$work/doctor1"); do
    echo "package-test: $f: installed $(sha256sum "$f" | cut -d' ' -f1), in the .deb $(dpkg-deb --fsys-tarfile "$deb" |
      tar -xOf - ".$f" | sha256sum | cut -d' ' -f1), in the manifest $(grep "  $f\$" /usr/lib/jbits/manifest.sha256 | cut -d' ' -f1)"
  done
fi
check "doctor checked every installed file" grep -q '^ok    files: [0-9]* files match /usr/lib/jbits/manifest.sha256' "$work/doctor1"

# --- 2. a second user's download, checked by SHA-256, on the bundled runtime
if as_user "$u2" sh -c "cd /home/$u2 && /usr/bin/jbits transfer '$url' payload.bin" >"$work/transfer2" 2>&1; then
  pass "$u2 downloads with /usr/bin/jbits transfer"; else fail "$u2 downloads with /usr/bin/jbits transfer";
  cat "$work/transfer2"; tail -20 "/home/$u2/.local/state/jbits/service.log" 2>/dev/null || true; fi
check "the download's SHA-256 is the served file's" test "$(sha256sum "/home/$u2/payload.bin" 2>/dev/null | cut -d' ' -f1)" = "$want"
service_pid=$(pgrep -u "$u2" -f io.jbits.daemon.Main | head -n 1 || true)
check "$u2's service runs on the bundled runtime" test "$(readlink "/proc/${service_pid:-0}/exe" 2>/dev/null)" = /usr/lib/jbits/runtime/bin/java
check "no JDK's java was ever called" test ! -e /tmp/jbits-package-test-java-called
if as_user "$u2" /usr/bin/jbits version --verbose >"$work/version" 2>&1; then pass "jbits version --verbose"; else
  fail "jbits version --verbose"; fi
check "version --verbose names a commit" grep -Eq '^commit: +[0-9a-f]{40}' "$work/version"
check "version --verbose lists the CLI jar with its SHA-256" grep -q "jbits-cli-.*\.jar .* $(sha256sum /usr/lib/jbits/lib/jbits-cli-*.jar | cut -d' ' -f1)" "$work/version"

# 'jbits service run' (what jbits.service runs): the service in the foreground, until SIGTERM, which stops it
# cleanly (a checkpoint, then the JVM's status 143).
as_user "$u2" /usr/bin/jbits service stop >/dev/null 2>&1 || true
as_user "$u2" /usr/bin/jbits service run >"$work/run2" 2>&1 &
run_pid=$!
for _ in $(seq 300); do as_user "$u2" /usr/bin/jbits service status >"$work/status2" 2>&1 && break; sleep 0.2; done
check "jbits service run serves in the foreground" grep -q '^owner: *jbitspkg2' "$work/status2"
fg_pid=$(pgrep -u "$u2" -f 'io.jbits.cli.Main service run' | head -n 1 || true)
check "the foreground service runs on the bundled runtime" test "$(readlink "/proc/${fg_pid:-0}/exe" 2>/dev/null)" = /usr/lib/jbits/runtime/bin/java
kill -TERM "${fg_pid:-0}" 2>/dev/null || true
run_status=0
wait "$run_pid" || run_status=$?
check "jbits service run stops cleanly on SIGTERM (status $run_status; 143 is the JVM's, SuccessExitStatus of jbits.service)" \
  test "$run_status" = 0 -o "$run_status" = 143
check "the foreground service logged its stop" grep -q "jbits service stopped" "$work/run2"

# The same under socket activation, as jbits.socket does it: systemd-socket-activate holds the socket and starts
# 'jbits service run' at the first connection, which takes the socket (LISTEN_FDS) and answers on it.
if command -v systemd-socket-activate >/dev/null; then
  sa=/home/$u2/activated
  runuser -u "$u2" -- mkdir -m 700 "$sa"
  as_user "$u2" env JBITS_HOME="$sa" systemd-socket-activate -l "$sa/jbits.sock" /usr/bin/jbits service run \
    >"$work/activate2" 2>&1 &
  activate_pid=$!
  for _ in $(seq 100); do [ -S "$sa/jbits.sock" ] && break; sleep 0.1; done
  status=0
  as_user "$u2" env JBITS_HOME="$sa" /usr/bin/jbits service status >"$work/status3" 2>&1 || status=$?
  check "a socket-activated jbits service run answers" test "$status" = 0
  check "the socket-activated service is jbits.service's command" grep -q "^pid: *$(pgrep -u "$u2" -f "io.jbits.cli.Main service run" | head -n 1)\$" "$work/status3"
  as_user "$u2" env JBITS_HOME="$sa" /usr/bin/jbits service stop >/dev/null 2>&1 || true
  kill "$activate_pid" 2>/dev/null || true
  wait "$activate_pid" 2>/dev/null || true
else
  fail "systemd-socket-activate is missing (package systemd)"
fi

# --- 3. documentation, completion, units
check "man -w jbits" man -w jbits
check "man -w jbits-transfer" man -w jbits-transfer
check "man -w jbits-doctor" man -w jbits-doctor
check "bash completion" grep -q 'complete -F' /usr/share/bash-completion/completions/jbits
check "zsh completion" grep -q '^#compdef jbits' /usr/share/zsh/vendor-completions/_jbits
check "the copyright file lists the bundled libraries' licences" grep -q 'sqlite-jdbc' /usr/share/doc/jbits/copyright
check "systemd-analyze verify jbits-serve.service" systemd-analyze verify --man=no /usr/lib/systemd/system/jbits-serve.service
check "systemd-analyze verify the user units" systemd-analyze verify --man=no /usr/lib/systemd/user/jbits.socket /usr/lib/systemd/user/jbits.service

# --- 4. a changed installed file: doctor names it and fails
victim=$(ls /usr/lib/jbits/lib/picocli-*.jar)
cp -p "$victim" "$work/victim.bak"
printf 'x' >>"$victim"
status=0
as_user "$u1" /usr/bin/jbits doctor >"$work/doctor2" 2>&1 || status=$?
cat "$work/doctor2"
check "doctor fails on a changed file" test "$status" = 1
check "doctor names the changed file" grep -q "^FAIL  files: 1 changed: $victim" "$work/doctor2"
cp -p "$work/victim.bak" "$victim"

# --- 5. remove: no file of the package stays (but its conffile); the users' state stays
as_user "$u2" /usr/bin/jbits service stop >/dev/null 2>&1 || true
apt-get remove -y -qq jbits >/dev/null
left=$(while read -r f; do [ -e "$f" ] && [ ! -d "$f" ] && [ "$f" != /etc/jbits/serve.conf ] && echo "$f"; done <"$work/dpkg-L" || true)
if [ -z "$left" ]; then pass "apt-get remove leaves none of the package's files"; else
  fail "apt-get remove left: $left"; fi
check "apt-get remove disabled jbits.socket" test ! -e /etc/systemd/user/sockets.target.wants/jbits.socket
check "$u2's state stays" test -s "/home/$u2/.local/state/jbits/jobs.db"
check "$u1's state stays" test -d "/home/$u1/.local/state/jbits"
check "no service of the package runs after remove" test -z "$(pgrep -f '/usr/lib/jbits/runtime/bin/java' || true)"

# --- 6. the tarball from a temporary directory, with env -i PATH=/usr/bin:/bin
tmp=$(mktemp -d "$work/tar.XXXXXX")
chmod 755 "$tmp"
tar -C "$tmp" -xzf "$tarball"
top=$(ls "$tmp")
chown -R "$u1" "$tmp"
version_line=$(runuser -u "$u1" -- env -i PATH=/usr/bin:/bin "$tmp/$top/bin/jbits" version 2>&1 || true)
check "the tarball's jbits version ($version_line)" test "$version_line" = "jbits ${top#jbits-}-SNAPSHOT" -o "$version_line" = "jbits ${top#jbits-}"
if runuser -u "$u1" -- env -i PATH=/usr/bin:/bin sh -c "cd '$tmp' && '$tmp/$top/bin/jbits' transfer '$url' got.bin" \
    >"$work/transfer3" 2>&1; then pass "the tarball's jbits transfer"; else fail "the tarball's jbits transfer";
  cat "$work/transfer3"; fi
check "the tarball's download's SHA-256" test "$(sha256sum "$tmp/got.bin" 2>/dev/null | cut -d' ' -f1)" = "$want"
runuser -u "$u1" -- env -i PATH=/usr/bin:/bin "$tmp/$top/bin/jbits" service stop >/dev/null 2>&1 || true

if [ "$failures" = 0 ]; then echo "package-test: PASSED"; else echo "package-test: FAILED ($failures)" >&2; fi
[ "$failures" = 0 ]
