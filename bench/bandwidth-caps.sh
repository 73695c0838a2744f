#!/usr/bin/env bash
# bench/bandwidth-caps.sh -- how closely rate caps hold: jbits against aria2c and curl, side by side in one run,
# on loopback against one nginx, at caps of 256 KiB/s, 4 MiB/s and 64 MiB/s (CAPS to change them):
#   * one download under the cap:
#       jbits set JOB --max-rate CAP, aria2c --max-download-limit=CAP, curl --limit-rate CAP
#   * three downloads sharing one cap:
#       jbits policy set --limit CAP with three FOREGROUND jobs (they run at once),
#       aria2c -j3 --max-overall-download-limit=CAP,
#       curl: three processes with --limit-rate CAP/3 each (curl has no shared cap: a static split)
# Each case runs 1 + WINDOWS x WINDOW seconds (default 1 + 2 x 10): the rate is measured from the bytes on disk (the
# sum of the destination directory's file sizes, sampled at 1 s and then every WINDOW s; fewer windows when the 1 GiB
# file would end before the last one), in each window, and the
# error is (measured - cap) / cap in %; the table shows each window's error and the worst. Prints a Markdown table;
# keeps runs.tsv (one row per window) and summary.md in OUT.
#
# Uses bench/lib/fixtures.sh (a 1 GiB test file, default ~/.cache/jbits-bench) and bench/lib/nginx.sh (a private
# nginx on 127.0.0.1:$PORT). INSTALLS aria2 with apt-get when aria2c is missing (root only); needs nginx and curl.
# Builds jbits with ./mvnw when bin/jbits has nothing to run yet.
# Env: CAPS="256k 4M 64M" WINDOW=10 WINDOWS=2 RUNS=1 PORT=18093 (the next free one when busy)
#      DATA=~/.cache/jbits-bench DEST=/var/tmp OUT=/tmp/jbits-caps.<date>
# Not part of CI: about 8 minutes with the defaults. Compare tools only within one run.
set -euo pipefail
ROOT=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
BENCH_LIB=$ROOT/bench/lib
. "$BENCH_LIB/common.sh"
DATA=${DATA:-${BENCH_DATA:-$HOME/.cache/jbits-bench}}
PORT=${PORT:-$(free_port 18093)}
CAPS=${CAPS:-256k 4M 64M}
WINDOW=${WINDOW:-10}
WINDOWS=${WINDOWS:-2}
RUNS=${RUNS:-1}
DEST=${DEST:-/var/tmp}
OUT=${OUT:-/tmp/jbits-caps.$(date +%Y%m%d-%H%M%S)}
BASE="http://127.0.0.1:$PORT"
URL="$BASE/big-1g.bin"
JBITS=${JBITS:-$ROOT/bin/jbits}

ensure_aria2c
need_tool curl
nginx_binary >/dev/null
[ -x "$JBITS" ] || { echo "$JBITS missing" >&2; exit 1; }

mkdir -p "$OUT"
"$BENCH_LIB/fixtures.sh" "$DATA" >/dev/null
"$BENCH_LIB/nginx.sh" start "$DATA" "$PORT" >/dev/null
export JBITS_HOME
JBITS_HOME=$(mktemp -d /tmp/jbits-caps-home.XXXXXX)   # short: the service's socket lives here
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  "$JBITS" service stop >/dev/null 2>&1 || true
  "$BENCH_LIB/nginx.sh" stop "$DATA" "$PORT" >/dev/null 2>&1 || true
  rm -rf "$JBITS_HOME" "$DEST"/jbits-caps.* 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM
"$JBITS" service start >/dev/null

# bytes CAP -> bytes per second, as rclone reads a RATE (k, M, G are binary)
bytes() { awk -v r="$1" 'BEGIN { u = substr(r, length(r)); n = substr(r, 1, length(r) - 1)
  m = (u == "k" || u == "K") ? 1024 : (u == "M" || u == "m") ? 1048576 : (u == "G" || u == "g") ? 1073741824 : 0
  if (m == 0) { n = r; m = 1 }; printf "%d", n * m }'; }
size_of() { du -sb --apparent-size "$1" | cut -f1; }

# measure DIR N -> "rate1 rate2 ...": bytes per second in N consecutive windows of WINDOW s after the first second
measure() { # measure DIR N
  local d=$1 n=$2 s1 t1 s2 t2 out="" w
  sleep 1; s1=$(size_of "$d"); t1=$EPOCHREALTIME
  for ((w = 0; w < n; w++)); do
    sleep "$WINDOW"; s2=$(size_of "$d"); t2=$EPOCHREALTIME
    out+="$(awk -v a="$s1" -v b="$s2" -v x="$t1" -v y="$t2" 'BEGIN { printf "%.0f", (b - a) / (y - x) }') "
    s1=$s2; t1=$t2
  done
  echo "$out"
}

jobs_ids=()
jbits_start() { # jbits_start DIR N [CAP]: N foreground jobs of the big file; CAP: a job cap on each
  local d=$1 n=$2 cap=${3:-} i id
  jobs_ids=()
  for ((i = 0; i < n; i++)); do
    id=$("$JBITS" create --priority foreground "caps-$i")
    "$JBITS" add "$id" "$URL" "$d/out$i.bin" >/dev/null
    [ -n "$cap" ] && "$JBITS" set "$id" --max-rate "$cap" >/dev/null
    jobs_ids+=("$id")
  done
  for id in "${jobs_ids[@]}"; do "$JBITS" resume "$id" >/dev/null; done
}
jbits_stop() { for id in "${jobs_ids[@]}"; do "$JBITS" cancel "$id" >/dev/null 2>&1 || true; done; }

# aria2c keeps up to 16 MiB in its own disk cache: off, so the bytes on disk are the bytes received
A2='aria2c -q --console-log-level=error --summary-interval=0 --allow-overwrite=true --file-allocation=none --disk-cache=0'
echo -e "case\tcap\ttool\trun\twindow\tcap_Bps\tmeasured_Bps" > "$OUT/runs.tsv"
record() { # record CASE CAP TOOL RUN CAP_BPS "RATES"
  local w=0 r
  for r in $6; do
    w=$((w + 1)); echo -e "$1\t$2\t$3\t$4\t$w\t$5\t$r" >> "$OUT/runs.tsv"
    echo "  $1 $2 $3 window $w: $(( r / 1024 )) KiB/s" >&2
  done
}

for cap in $CAPS; do
  capb=$(bytes "$cap"); third=$(( capb / 3 ))
  # windows that end before the 1 GiB file does: one download at 64M has room for one window only
  nw1=$(( (1073741824 / capb - 1) / WINDOW )); nw1=$(( nw1 < 1 ? 1 : nw1 > WINDOWS ? WINDOWS : nw1 ))
  nw3=$(( (1073741824 / third - 1) / WINDOW )); nw3=$(( nw3 < 1 ? 1 : nw3 > WINDOWS ? WINDOWS : nw3 ))
  for ((run = 1; run <= RUNS; run++)); do
    echo "== cap $cap, run $run" >&2
    # one download
    d=$(mktemp -d "$DEST/jbits-caps.XXXXXX"); jbits_start "$d" 1 "$cap"
    r=$(measure "$d" $nw1); jbits_stop; rm -rf "$d"; record "one download" "$cap" "jbits --max-rate" "$run" "$capb" "$r"

    d=$(mktemp -d "$DEST/jbits-caps.XXXXXX")
    $A2 -x1 -s1 --max-download-limit="$capb" -d "$d" -o out.bin "$URL" & PIDS=($!)
    r=$(measure "$d" $nw1); kill "${PIDS[@]}" 2>/dev/null || true; wait 2>/dev/null || true; PIDS=(); rm -rf "$d"
    record "one download" "$cap" "aria2c --max-download-limit" "$run" "$capb" "$r"

    d=$(mktemp -d "$DEST/jbits-caps.XXXXXX")
    curl -sS --limit-rate "$capb" -o "$d/out.bin" "$URL" & PIDS=($!)
    r=$(measure "$d" $nw1); kill "${PIDS[@]}" 2>/dev/null || true; wait 2>/dev/null || true; PIDS=(); rm -rf "$d"
    record "one download" "$cap" "curl --limit-rate" "$run" "$capb" "$r"

    # three downloads sharing the cap
    "$JBITS" policy set --limit "$cap" >/dev/null
    d=$(mktemp -d "$DEST/jbits-caps.XXXXXX"); jbits_start "$d" 3
    r=$(measure "$d" $nw3); jbits_stop; rm -rf "$d"; "$JBITS" policy set --limit off >/dev/null
    record "3 sharing one cap" "$cap" "jbits policy --limit" "$run" "$capb" "$r"

    d=$(mktemp -d "$DEST/jbits-caps.XXXXXX")
    printf '%s\n  out=out0.bin\n%s\n  out=out1.bin\n%s\n  out=out2.bin\n' "$URL" "$URL" "$URL" > "$OUT/aria.list"
    $A2 -j3 -x1 -s1 --max-overall-download-limit="$capb" -d "$d" -i "$OUT/aria.list" & PIDS=($!)
    r=$(measure "$d" $nw3); kill "${PIDS[@]}" 2>/dev/null || true; wait 2>/dev/null || true; PIDS=(); rm -rf "$d"
    record "3 sharing one cap" "$cap" "aria2c -j3 --max-overall-download-limit" "$run" "$capb" "$r"

    d=$(mktemp -d "$DEST/jbits-caps.XXXXXX")
    for i in 0 1 2; do curl -sS --limit-rate "$third" -o "$d/out$i.bin" "$URL" & PIDS+=($!); done
    r=$(measure "$d" $nw3); kill "${PIDS[@]}" 2>/dev/null || true; wait 2>/dev/null || true; PIDS=(); rm -rf "$d"
    record "3 sharing one cap" "$cap" "curl --limit-rate cap/3 (x3)" "$run" "$capb" "$r"
  done
done

awk -F'\t' '
  NR == 1 { next }
  { k = $1 SUBSEP $2 SUBSEP $3; if (!(k in n)) { order[++m] = k; capb[k] = $6 }
    e = ($7 - $6) * 100 / $6; n[k]++; errs[k] = errs[k] (n[k] > 1 ? ", " : "") sprintf("%+.1f%%", e)
    rates[k] = rates[k] (n[k] > 1 ? ", " : "") sprintf("%.0f", $7 / 1024)
    if (n[k] == 1 || (e < 0 ? -e : e) > worst[k]) worst[k] = (e < 0 ? -e : e) }
  END {
    print "| case | cap | tool | KiB/s per window | error per window | worst |"
    print "|---|---|---|---|---|---|"
    for (i = 1; i <= m; i++) { k = order[i]; split(k, p, SUBSEP)
      printf "| %s | %s | %s | %s | %s | %.1f%% |\n", p[1], p[2], p[3], rates[k], errs[k], worst[k] }
  }' "$OUT/runs.tsv" | tee "$OUT/summary.md"
echo "results in $OUT ($(nproc) cores, loadavg $(cut -d' ' -f1-3 /proc/loadavg)); window ${WINDOW} s after the first second" >&2
