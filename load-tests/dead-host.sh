#!/bin/bash
# A dead next hop must not stall the queue (issue: "a dead host does not stall the queue").
#
# Usage: load-tests/dead-host.sh [N [SIZE [CONC [DEAD_N]]]]     (default 3000 4096 20 1000)
#
# Three runs of load-tests/bench.sh (N messages of SIZE over CONC connections to y.test, relayed to
# the smart host, a counting sink on 127.0.0.1:2526), each against a fresh embedded node:
#   alone        only that load;
#   live-second  the same load while a second generator sends DEAD_N messages over 10 connections
#                to dead.test, which the mailertable routes to 127.0.0.1:2540, here a working sink:
#                the cost of accepting and delivering that second load on the same cores;
#   dead-host    the same, with a tarpit on 127.0.0.1:2540 instead (accepts every connection and
#                never answers: the worst kind of down host).
# It prints the end-to-end rates for y.test, the ratio of dead-host to live-second (what the dead
# host itself costs the live destination; 1.00 is no stall) and to alone, how many connections the
# tarpit got and the node's deferrals, and writes them to RESULTS
# (load-tests/results/dead-host-<UTC time>).
# Env: MS_JAVA_OPTS (-Xmx640m)  BUILD=0 to use the jars as they are.  Loopback only.
set -u
N=${1:-3000} SIZE=${2:-4096} CONC=${3:-20} DEAD_N=${4:-1000}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
MS_JAVA_OPTS=${MS_JAVA_OPTS:--Xmx640m}
TOOLS_JAVA_OPTS="-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1"
OUT=${RESULTS:-$HERE/results/dead-host-$(date -u +%Y%m%dT%H%M%SZ)}
die() { echo "dead-host.sh: $*" >&2; exit 1; }

. "$HERE/node-lib.sh"
find_jars
mkdir -p "$OUT" || die "cannot create $OUT"
WORK=$(mktemp -d /tmp/mailstream-deadhost.XXXXXX)
NODE="" TARPIT="" DEADGEN=""
cleanup() { for p in $DEADGEN $TARPIT $NODE; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

cat > "$WORK/mailertable" <<'MT'
dead.test	smtp:[127.0.0.1]
MT
cat > "$WORK/mailstream.yaml" <<YAML
hostname: relay.bench
data-dir: $WORK/data
listen:
  - 127.0.0.1:2530
relay-from:
  - 127.0.0.0/8
smart-host: "[127.0.0.1]:2526"
routing:
  mailertable: mailertable
mailers:
  smtp: 2540
YAML

fresh_node() { # $1 label
  rm -rf "$WORK/data"
  start_node "$WORK/mailstream.yaml" "$OUT/$1-node.out"
}
stop_node() { kill $NODE; wait $NODE 2>/dev/null; NODE=""; }
rate() { sed -n 's/^e2e_time_s=.* e2e_msgs_per_s=\(.*\)/\1/p' "$OUT/$1-bench.out"; }

# beside LABEL: on a fresh node, bench.sh's load while DEAD_N messages go to dead.test over 10
# more connections; whatever listens on 127.0.0.1:2540 is started by the caller.
beside() {
  fresh_node "$1"
  java $TOOLS_JAVA_OPTS -cp "$LT_JAR" io.mailstream.loadtest.LoadGenerator --host 127.0.0.1 --port 2530 \
    --messages "$DEAD_N" --size "$SIZE" --connections 10 --to-domain dead.test > "$OUT/$1-gen.out" 2>&1 &
  DEADGEN=$!
  BUILD=0 "$HERE/bench.sh" 127.0.0.1 2530 2526 "$N" "$SIZE" "$CONC" > "$OUT/$1-bench.out" 2>&1
  wait $DEADGEN; DEADGEN=""
}

echo "== alone: $N x $SIZE B over $CONC connections to y.test"
fresh_node alone
BUILD=0 "$HERE/bench.sh" 127.0.0.1 2530 2526 "$N" "$SIZE" "$CONC" > "$OUT/alone-bench.out" 2>&1
stop_node

echo "== live-second: the same, with $DEAD_N messages to dead.test (a working sink) at the same time"
java $TOOLS_JAVA_OPTS -cp "$LT_JAR" io.mailstream.loadtest.CountingSink --port 2540 --expect "$DEAD_N" \
  > "$OUT/second-sink.out" 2>&1 &
TARPIT=$!
for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/2540) 2>/dev/null && break; sleep 0.1; done
beside live-second
stop_node
kill $TARPIT 2>/dev/null; wait $TARPIT 2>/dev/null; TARPIT=""  # the sink may have ended at its count

echo "== dead-host: the same, with $DEAD_N messages to dead.test (a tarpit) at the same time"
java $TOOLS_JAVA_OPTS -cp "$LT_JAR" io.mailstream.loadtest.Tarpit --port 2540 > "$OUT/tarpit.out" 2>&1 &
TARPIT=$!
for _ in $(seq 100); do grep -q '^LISTENING' "$OUT/tarpit.out" && break; sleep 0.1; done
beside dead-host
deferred=$(grep -c 'stat=Deferred' "$OUT/dead-host-node.out")
stop_node
kill $TARPIT; wait $TARPIT 2>/dev/null; TARPIT=""

alone=$(rate alone) second=$(rate live-second) dead=$(rate dead-host)
dead_accepted=$(sed -n 's/^RESULT.* accepted=\([0-9]*\).*/\1/p' "$OUT/dead-host-gen.out")
{
  echo "alone_e2e_msgs_per_s=$alone"
  echo "with_live_second_e2e_msgs_per_s=$second"
  echo "with_dead_host_e2e_msgs_per_s=$dead"
  awk -v a="$alone" -v s="$second" -v d="$dead" \
    'BEGIN{ if (s > 0) printf "ratio_to_live_second=%.2f\n", d / s; if (a > 0) printf "ratio_to_alone=%.2f\n", d / a }'
  echo "dead_test_accepted=${dead_accepted:-0} of $DEAD_N"
  grep '^TARPIT' "$OUT/tarpit.out"
  echo "dead_host_deferrals_logged=$deferred"
} | tee "$OUT/summary.txt"
