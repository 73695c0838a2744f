#!/usr/bin/env bash
# bench/bandwidth.sh -- background transfers on a shaped link (bench/shaped-link.sh: 20 Mbit/s, a 200 ms buffer on
# the router, nginx across it), jbits beside aria2c and curl in the same run. Root only.
#
# For each "background downloader" -- a jbits NORMAL job (scavenging), aria2c -x1 and curl without limits (neither
# has a background mode: that is the point) -- one sequence on the idle link:
#   s 0-15   the downloader alone: its rate over s 4-15, and the 95th percentile of ping across the link over
#            s 5-15 minus the idle median (the delay it adds);
#   s 15-27  a competing curl download (--max-time 12): curl's rate over its s 2-11 against curl alone, and the
#            downloader's rate meanwhile;
#   s 27-35  after curl: how long the downloader takes to be back at 90% of curl alone (1-s windows), and its
#            rate over s 5-7 after curl ended.
# Then a FOREGROUND jbits job beside a background one (its rate over its s 2-12), and a greedy curl's added delay
# for reference. Caps: bench/bandwidth-caps.sh, when present, runs on the same kind of link (its own table).
# Prints a Markdown table; keeps the raw samples in OUT.
#
# INSTALLS aria2 with apt-get when aria2c is missing. Needs nginx, curl, iproute2, iputils-ping, python3.
# Env: RATE_KBIT=20000 LATENCY=200ms OUT=/tmp/jbits-bandwidth.<date> JBITS=bin/jbits SKIP_CAPS=
# Not part of CI: about 3 minutes. Compare tools only within one run.
set -euo pipefail
ROOT=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$ROOT/bench/lib/common.sh"
JBITS=${JBITS:-$ROOT/bin/jbits}
OUT=${OUT:-/tmp/jbits-bandwidth.$(date +%Y%m%d-%H%M%S)}
NAME=jbbw$$
[ "$(id -u)" = 0 ] || { echo "bandwidth.sh: needs root (network namespaces, tc)" >&2; exit 1; }
ensure_aria2c
for tool in curl ping python3 ip tc /usr/sbin/nginx; do
  command -v "$tool" >/dev/null || { echo "bandwidth.sh: $tool missing (apt-get install -y curl iputils-ping python3 iproute2 nginx)" >&2; exit 1; }
done
mkdir -p "$OUT"
DATA=$(mktemp -d /tmp/jbits-bw-data.XXXXXX)
WORK=$(mktemp -d /tmp/jbits-bw-work.XXXXXX)
export JBITS_HOME
JBITS_HOME=$(mktemp -d /tmp/jbits-bw-home.XXXXXX)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  "$JBITS" service stop >/dev/null 2>&1 || true
  "$ROOT/bench/shaped-link.sh" down "$NAME" >/dev/null 2>&1 || true
  rm -rf "$DATA" "$WORK" "$JBITS_HOME"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
truncate -s 8G "$DATA/big.bin"   # sparse: zeros, far more than any run reads

eval "$("$ROOT/bench/shaped-link.sh" up "$NAME" "$DATA")"
URL=http://$SERVER/big.bin
inc() { ip netns exec "$CLIENT_NS" "$@"; }
"$JBITS" --version >/dev/null   # builds when stale, before anything is timed
inc env JBITS_HOME="$JBITS_HOME" "$JBITS" service start >/dev/null
SOCK=$JBITS_HOME/jbits.sock

now() { echo "$EPOCHREALTIME"; }
# sample_file FILE LOG / sample_job ID LOG: "time bytes" every 100 ms until killed
sample_file() { while :; do echo "$EPOCHREALTIME $(stat -c %s "$1" 2>/dev/null || echo 0)"; sleep 0.1; done > "$2"; }
sample_job() {
  while :; do
    echo "$EPOCHREALTIME $(curl -s --unix-socket "$SOCK" "http://jbits/v1/jobs/$1" | grep -o '"bytesTransferred":[0-9]*' | head -1 | cut -d: -f2)"
    sleep 0.1
  done > "$2"
}
spawn() { "$@" & PIDS+=($!); }   # direct commands (no functions around ip netns exec), so kill reaches them
stop_all() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; PIDS=(); }
# rate LOG T0 T1: Mbit/s between the samples nearest to the absolute times T0 and T1
rate() { python3 - "$@" <<'EOF'
import sys
s = [tuple(map(float, l.split())) for l in open(sys.argv[1]) if len(l.split()) == 2]
t0, t1 = float(sys.argv[2]), float(sys.argv[3])
a = min(s, key=lambda p: abs(p[0] - t0)); b = min(s, key=lambda p: abs(p[0] - t1))
print(f"{(b[1] - a[1]) * 8 / (b[0] - a[0]) / 1e6:.2f}" if b[0] > a[0] else "nan")
EOF
}
# back LOG T_END TARGET_MBIT: seconds after T_END until a 1-s window reaches TARGET, or "> 8"
back() { python3 - "$@" <<'EOF'
import sys
s = [tuple(map(float, l.split())) for l in open(sys.argv[1]) if len(l.split()) == 2]
te, target = float(sys.argv[2]), float(sys.argv[3])
for i, (t, b) in enumerate(s):
    if t < te: continue
    j = next((k for k in range(i, len(s)) if s[k][0] >= t + 1), None)
    if j is None: break
    if (s[j][1] - b) * 8 / (s[j][0] - t) / 1e6 >= target:
        print(f"{t + 1 - te:.1f}"); break
else:
    print("> 8")
EOF
}
# pings N: 95th percentile and median (ms) of N pings, one each 100 ms
pings() { inc ping -n -i 0.1 -W 1 -c "$1" "$SERVER" | python3 -c '
import sys, re
v = sorted(float(x) for x in re.findall(r"time=([0-9.]+) ms", sys.stdin.read()))
print(f"{v[max(0, -(-95 * len(v) // 100) - 1)]:.1f} {v[len(v) // 2]:.1f}")'; }

echo "== idle link" >&2
read -r _ IDLE < <(pings 30)
t=$(now); spawn sample_file "$WORK/solo.curl" "$WORK/solo.log"
inc curl -s -o "$WORK/solo.curl" --max-time 10 "$URL" || true; stop_all
SOLO=$(rate "$WORK/solo.log" "$(python3 -c "print($t+1)")" "$(python3 -c "print($t+9.5)")"); rm -f "$WORK/solo.curl"
TARGET=$(python3 -c "print($SOLO * 0.9)")
echo "   idle ping median $IDLE ms; curl alone $SOLO Mbit/s" >&2
t=$(now); spawn ip netns exec "$CLIENT_NS" curl -s -o /dev/null --max-time 12 "$URL"; sleep 3
read -r GREEDY_P95 _ < <(pings 80); stop_all
echo "   greedy curl: ping p95 $GREEDY_P95 ms" >&2

echo -e "downloader\talone_mbit\tadded_p95_ms\tcurl_beside_mbit\tcurl_pct_of_solo\tdownloader_during_mbit\tback_to_90pct_s\tafter_mbit" > "$OUT/runs.tsv"
# sequence LABEL START_CMD LOG_KIND(file|job) TARGET(file or job id)
sequence() {
  local label=$1 kind=$2 what=$3 log=$WORK/$RANDOM.log t0 tc te p95 alone during cur after bk
  echo "== $label" >&2
  t0=$(now)
  if [ "$kind" = job ]; then spawn sample_job "$what" "$log"; else spawn sample_file "$what" "$log"; fi
  sleep 5
  read -r p95 _ < <(pings 100)
  alone=$(rate "$log" "$(python3 -c "print($t0+4)")" "$(now)")
  tc=$(now); spawn sample_file "$WORK/competing.curl" "$WORK/competing.log"
  inc curl -s -o "$WORK/competing.curl" --max-time 12 "$URL" || true
  te=$(now); sleep 8
  cur=$(rate "$WORK/competing.log" "$(python3 -c "print($tc+2)")" "$(python3 -c "print($tc+11)")")
  during=$(rate "$log" "$(python3 -c "print($tc+3)")" "$(python3 -c "print($tc+11)")")
  bk=$(back "$log" "$te" "$TARGET")
  after=$(rate "$log" "$(python3 -c "print($te+5)")" "$(python3 -c "print($te+7)")")
  rm -f "$WORK/competing.curl"
  echo -e "$label\t$alone\t$(python3 -c "print(f'{$p95 - $IDLE:.1f}')")\t$cur\t$(python3 -c "print(f'{100 * $cur / $SOLO:.0f}')")\t$during\t$bk\t$after" | tee -a "$OUT/runs.tsv" >&2
}

job=$("$JBITS" create --priority normal scavenger)
"$JBITS" add "$job" "$URL" "$WORK/job.bin" >/dev/null; "$JBITS" resume "$job" >/dev/null
sequence "jbits NORMAL job" job "$job"; stop_all; "$JBITS" cancel "$job" >/dev/null

spawn ip netns exec "$CLIENT_NS" aria2c -q -x1 -s1 --file-allocation=none --allow-overwrite=true -d "$WORK" -o aria.bin "$URL"
sequence "aria2c -x1" file "$WORK/aria.bin"; stop_all; rm -f "$WORK/aria.bin"

spawn ip netns exec "$CLIENT_NS" curl -s -o "$WORK/curl-bg.bin" "$URL"
sequence "curl" file "$WORK/curl-bg.bin"; stop_all; rm -f "$WORK/curl-bg.bin"

echo "== FOREGROUND jbits job beside a LOW one" >&2
low=$("$JBITS" create --priority low low); "$JBITS" add "$low" "$URL" "$WORK/low.bin" >/dev/null
"$JBITS" resume "$low" >/dev/null; sleep 5
fg=$("$JBITS" create --priority foreground fg); "$JBITS" add "$fg" "$URL" "$WORK/fg.bin" >/dev/null
t=$(now); "$JBITS" resume "$fg" >/dev/null; spawn sample_job "$fg" "$WORK/fg.log"; sleep 13; stop_all
FG=$(rate "$WORK/fg.log" "$(python3 -c "print($t+2)")" "$(python3 -c "print($t+12)")")
"$JBITS" cancel "$low" >/dev/null; "$JBITS" cancel "$fg" >/dev/null

{
  echo "Shaped link: tbf ${RATE_KBIT} kbit/s, ${LATENCY:-200ms} buffer on the router; curl alone $SOLO Mbit/s;"
  echo "idle ping median $IDLE ms; a greedy curl adds $(python3 -c "print(f'{$GREEDY_P95 - $IDLE:.0f}')") ms (ping p95)."
  echo
  echo "| background downloader | alone Mbit/s | added delay p95 ms | competing curl Mbit/s (% of alone) | downloader meanwhile Mbit/s | back to 90% after curl, s | 5-7 s after curl Mbit/s |"
  echo "|---|---|---|---|---|---|---|"
  tail -n +2 "$OUT/runs.tsv" | while IFS=$'\t' read -r l a d c p m b f; do
    echo "| $l | $a | $d | $c ($p%) | $m | $b | $f |"
  done
  echo
  echo "FOREGROUND jbits job beside a LOW one: $FG Mbit/s ($(python3 -c "print(f'{100 * $FG / $SOLO:.0f}')")% of curl alone)."
} | tee "$OUT/summary.md"

if [ -z "${SKIP_CAPS:-}" ] && [ -x "$ROOT/bench/bandwidth-caps.sh" ]; then
  echo "== caps: bench/bandwidth-caps.sh" >&2
  cleanup; trap - EXIT
  "$ROOT/bench/bandwidth-caps.sh" | tee -a "$OUT/summary.md"
fi
echo "results in $OUT ($(nproc) cores, loadavg $(cut -d' ' -f1-3 /proc/loadavg))" >&2
