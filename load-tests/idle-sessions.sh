#!/bin/bash
# Many idle SMTP sessions must cost bounded memory and leave active clients unaffected.
#
# Usage: load-tests/idle-sessions.sh [IDLE [N [SIZE [CONC]]]]     (default 10000 3000 4096 20)
#
# One embedded node, with its connection limits raised for the benchmark (smtp.max-connections and
# max-connections-per-ip 20000; the defaults are 1000 and 50). In order:
#   0. WARMUP (1) unmeasured load-tests/bench.sh runs (N messages of SIZE over CONC connections);
#   1. the same bench.sh run with no idle session ("alone");
#   2. IdleSessions opens IDLE sessions, each answered EHLO, and holds them;
#   3. the same bench.sh run while they are held ("idle");
#   4. the idle sessions closed, the same run again ("after").
# The JIT warms over many runs, so a later run is faster by itself: "idle" between "alone" and
# "after" is what says whether the idle sessions slowed the active clients.
# Prints the node's RSS before and after the idle sessions (and per session), the runs' accepted
# and end-to-end rates and accept latency, and how many idle sessions were still open at the end.
# Results in RESULTS (load-tests/results/idle-<UTC time>). Env: MS_JAVA_OPTS (-Xmx640m), BUILD=0.
set -u
IDLE=${1:-10000} N=${2:-3000} SIZE=${3:-4096} CONC=${4:-20}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
MS_JAVA_OPTS=${MS_JAVA_OPTS:--Xmx640m}
TOOLS_JAVA_OPTS="-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1"
OUT=${RESULTS:-$HERE/results/idle-$(date -u +%Y%m%dT%H%M%SZ)}
die() { echo "idle-sessions.sh: $*" >&2; exit 1; }

. "$HERE/node-lib.sh"
find_jars
mkdir -p "$OUT" || die "cannot create $OUT"
WORK=$(mktemp -d /tmp/mailstream-idle.XXXXXX)
NODE="" HOLDER=""
cleanup() { for p in $HOLDER $NODE; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

cat > "$WORK/mailstream.yaml" <<YAML
hostname: relay.bench
data-dir: $WORK/data
listen:
  - 127.0.0.1:2530
relay-from:
  - 127.0.0.0/8
smart-host: "[127.0.0.1]:2526"
smtp:
  max-connections: 20000
  max-connections-per-ip: 20000
YAML
rss() { awk '/VmRSS/{print int($2/1024)}' /proc/$NODE/status; }
# Live heap after a full collection (MiB): what the sessions really hold, whatever G1 has committed.
live_heap() { jcmd $NODE GC.run >/dev/null 2>&1; sleep 1
  jcmd $NODE GC.heap_info 2>/dev/null | sed -n 's/.*total [0-9]*K, used \([0-9]*\)K.*/\1/p' | head -1 | awk '{print int($1/1024)}'; }
hwm() { awk '/VmHWM/{print int($2/1024)}' /proc/$NODE/status; }
field() { sed -n "s/^RESULT.* $2=\([0-9.]*\).*/\1/p" "$OUT/$1-bench.out"; }
e2e() { sed -n 's/^e2e_time_s=.* e2e_msgs_per_s=\(.*\)/\1/p' "$OUT/$1-bench.out"; }

start_node "$WORK/mailstream.yaml" "$OUT/node.out"

for w in $(seq "${WARMUP:-1}"); do
  echo "== warm-up $w"
  BUILD=0 "$HERE/bench.sh" 127.0.0.1 2530 2526 "$N" "$SIZE" "$CONC" > "$OUT/warmup-$w-bench.out" 2>&1
done
echo "== without idle sessions"
BUILD=0 "$HERE/bench.sh" 127.0.0.1 2530 2526 "$N" "$SIZE" "$CONC" > "$OUT/alone-bench.out" 2>&1
sleep 5
rss_before=$(rss) heap_before=$(live_heap)
echo "== opening $IDLE idle sessions"
java $TOOLS_JAVA_OPTS -cp "$LT_JAR" io.mailstream.loadtest.IdleSessions --port 2530 --sessions "$IDLE" \
  > "$OUT/idle.out" 2> "$OUT/idle.err" &
HOLDER=$!
for _ in $(seq 300); do grep -q '^HELD' "$OUT/idle.out" && break; sleep 1; done
sleep 5
rss_idle=$(rss) heap_idle=$(live_heap)
echo "== with $IDLE idle sessions"
BUILD=0 "$HERE/bench.sh" 127.0.0.1 2530 2526 "$N" "$SIZE" "$CONC" > "$OUT/idle-bench.out" 2>&1
rss_after=$(rss) peak=$(hwm)
kill $HOLDER; wait $HOLDER 2>/dev/null; HOLDER=""
sleep 5
echo "== after the idle sessions closed"
BUILD=0 "$HERE/bench.sh" 127.0.0.1 2530 2526 "$N" "$SIZE" "$CONC" > "$OUT/after-bench.out" 2>&1

{
  echo "opened $(grep '^HELD' "$OUT/idle.out")"
  grep '^IDLE' "$OUT/idle.out"
  echo "rss_mib_before=$rss_before rss_mib_with_idle=$rss_idle rss_mib_after_load=$rss_after peak_rss_mib=$peak"
  echo "live_heap_mib_before=$heap_before live_heap_mib_with_idle=$heap_idle"
  awk -v b="$heap_before" -v i="$heap_idle" -v n="$IDLE" 'BEGIN{ printf "live_heap_kib_per_idle_session=%.1f\n", (i-b)*1024/n }'
  for run in alone idle after; do
    echo "$run accepted_per_s=$(field $run rate) e2e_per_s=$(e2e $run) accept_p50_ms=$(field $run p50) accept_p99_ms=$(field $run p99)"
  done
} | tee "$OUT/summary.txt"
