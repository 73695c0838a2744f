#!/usr/bin/env bash
# bench/serve-load.sh -- jbits serve under load: CLIENTS concurrent BITS upload clients (bench/ServeLoad.java) over
# HTTPS with Basic authentication, on loopback only, for DURATION seconds. The server gets a certificate from a CA
# made here (openssl) and a users file from htpasswd -B. Reports throughput, fragment latency (p50/p99/max), the
# server's peak RSS, and checks every upload the server acknowledged by SHA-256 (missing and different must be 0),
# then cross-checks the server's own counters from its metrics listener.
# Needs openssl, curl and htpasswd (apt-get install -y openssl curl apache2-utils). Not part of CI.
# Bounded: the driver stops starting uploads after DURATION s and gives up 120 s later; everything runs on 127.0.0.1.
# Env: CLIENTS=200 DURATION=60 FILE_BYTES=1048576 FRAGMENT_BYTES=262144 PORT=18095 MPORT=18096 DISKTMP=/var/tmp
#      OUT=/tmp/jbits-serve-load.<date>
set -euo pipefail
ROOT=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
CLIENTS=${CLIENTS:-200}
DURATION=${DURATION:-60}
FILE_BYTES=${FILE_BYTES:-1048576}
FRAGMENT_BYTES=${FRAGMENT_BYTES:-262144}
PORT=${PORT:-18095}
MPORT=${MPORT:-18096}
DISKTMP=${DISKTMP:-/var/tmp}
OUT=${OUT:-/tmp/jbits-serve-load.$(date +%Y%m%d-%H%M%S)}
JBITS=${JBITS:-$ROOT/bin/jbits}
for tool in openssl curl htpasswd; do
  command -v "$tool" >/dev/null || { echo "$tool missing: apt-get install -y openssl curl apache2-utils" >&2; exit 1; }
done
mkdir -p "$OUT"
"$JBITS" version >/dev/null                                  # builds jbits when needed
JAVA=$(. "$ROOT/bin/find-jdk" && find_jdk)/bin/java
LIB="$ROOT/jbits-cli/target/lib/*"

WORK=$(mktemp -d "$DISKTMP/jbits-serve-load.XXXXXX")
cleanup() {
  [ -n "${SERVE_PID:-}" ] && kill "$SERVE_PID" 2>/dev/null && wait "$SERVE_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A CA and a server certificate for 127.0.0.1, as an ACME client would leave them (fullchain.pem, privkey.pem).
TLS="$WORK/tls"; mkdir -p "$TLS"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=serve-load CA" \
  -keyout "$TLS/ca.key" -out "$TLS/ca.pem" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=localhost" \
  -keyout "$TLS/privkey.pem" -out "$TLS/server.csr" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n' > "$TLS/ext.cnf"
openssl x509 -req -in "$TLS/server.csr" -CA "$TLS/ca.pem" -CAkey "$TLS/ca.key" -CAcreateserial -days 2 \
  -extfile "$TLS/ext.cnf" -out "$TLS/cert.pem" 2>/dev/null
cat "$TLS/cert.pem" "$TLS/ca.pem" > "$TLS/fullchain.pem"
htpasswd -c -b -B "$WORK/users" loadtest "load-test-password" 2>/dev/null

mkdir -p "$WORK/served" "$WORK/uploads"
"$JBITS" serve "$WORK/served" --upload-dir "$WORK/uploads" --port "$PORT" --tls-cert "$TLS/fullchain.pem" \
  --tls-key "$TLS/privkey.pem" --users "$WORK/users" --metrics "127.0.0.1:$MPORT" \
  --max-sessions-per-client $((CLIENTS + 10)) > "$OUT/serve.log" 2>&1 &
SERVE_PID=$!
for _ in $(seq 1 150); do curl -sf --cacert "$TLS/ca.pem" -o /dev/null "https://127.0.0.1:$PORT/healthz" && break; sleep 0.2; done
curl -sf --cacert "$TLS/ca.pem" -o /dev/null "https://127.0.0.1:$PORT/healthz" || { cat "$OUT/serve.log" >&2; exit 1; }
# bin/jbits runs java as a child of its shell: the JVM is the process whose RSS counts.
JVM_PID=$(pgrep -P "$SERVE_PID" java || echo "$SERVE_PID")

echo "== $CLIENTS clients, $DURATION s, $FILE_BYTES-byte files in $FRAGMENT_BYTES-byte fragments, TLS + Basic" >&2
rc=0
timeout $((DURATION + 180)) "$JAVA" -cp "$LIB" "$ROOT/bench/ServeLoad.java" "https://127.0.0.1:$PORT/load/" \
  "$TLS/ca.pem" loadtest load-test-password "$CLIENTS" "$DURATION" "$FILE_BYTES" "$FRAGMENT_BYTES" "$JVM_PID" \
  "$WORK/uploads/load" | tee "$OUT/summary.md" || rc=$?
curl -sf "http://127.0.0.1:$MPORT/metrics" > "$OUT/metrics.txt" || true
echo >&2
echo "server counters:" >&2
grep -E '^jbits_serve_(received_bytes_total|fragments_total|errors_total|open_sessions|logins_refused_total\{reason="wrong)' \
  "$OUT/metrics.txt" | sed 's/^/  /' >&2 || true
echo "results in $OUT ($(nproc) cores, loadavg $(cut -d' ' -f1-3 /proc/loadavg))" >&2
exit "$rc"
