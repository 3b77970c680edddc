#!/bin/bash
# Fault test on a real 3-broker cluster: two ingress, two router and two delivery Mailstream
# processes (--kafka, --stages), load through both ingresses to a CountingSink as smart host, and
# kill -9 of one broker and one process of each role while the load runs. Then it checks, by
# Message-ID, that every message a client got 250 for reached the sink (lost must be 0), that none
# refused (5xx) or never handed over did, and counts duplicates and the outcomes a client cannot
# know (connection lost after the final dot, 4xx after it) apart.
#
# Usage: load-tests/cluster-faults.sh [N [SIZE [CONC]]]
#   N (20000) messages in all, half to each ingress; SIZE (2048) octets; CONC (8) connections each
# Env: KILLS ("broker router delivery ingress", in this order, at 10/20/30/40% of N delivered;
#      "" for a run without faults)  DRAIN (240: seconds to wait after the load for the sink to
#      get every acknowledged message)  MS_JAVA_OPTS (-Xms64m -Xmx384m -XX:+UseSerialGC)
#      TOOLS_JAVA_OPTS (-Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1)  KEEP=1 keeps the work dir
#      CLUSTER_PORT (19092)
# Prints the FaultCheck table and its FAULTCHECK line; exit 0 when it passes. Logs of every process
# stay in the work directory it names. Also prints an UNCOMMITTED line: the delivery processes'
# mailstream_delivery_uncommitted sampled every 0.5 s (what a delivery crash would repeat then).
set -u
N=${1:-20000} SIZE=${2:-2048} CONC=${3:-8}
KILLS=${KILLS-broker router delivery ingress}
DRAIN=${DRAIN:-240}
# shellcheck source=cluster-lib.sh
. "$(dirname "$0")/cluster-lib.sh"
WORK=$(mktemp -d /tmp/mailstream-faults.XXXXXX)
export CLUSTER_DIR=$WORK/cluster
SINK_PORT=${SINK_PORT:-2626} IN1=2601 IN2=2602
PIDS=()
log() { echo "$(date +%T) $*"; }

cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
  "$HERE/cluster.sh" stop >/dev/null
  [ "${KEEP:-0}" = 1 ] || rm -rf "$WORK/cluster"
  echo "work directory: $WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$HERE/cluster.sh" start || exit 1
BOOT=$("$HERE/cluster.sh" bootstrap)

start_sink "$WORK"

# One process creates the topics (RF 3, min ISR 2 chosen from the 3 brokers), then the others.
log "starting router-1 (creates the topics)"
start_stage "$WORK" router-1 router; await_running "$WORK" router-1
log "starting router-2, delivery-1, delivery-2, ingress-1, ingress-2"
start_stage "$WORK" router-2 router; start_stage "$WORK" delivery-1 delivery; start_stage "$WORK" delivery-2 delivery
start_stage "$WORK" ingress-1 ingress "127.0.0.1:$IN1"; start_stage "$WORK" ingress-2 ingress "127.0.0.1:$IN2"
await_running "$WORK" router-2 delivery-1 delivery-2 ingress-1 ingress-2
log "all six running; sending $N messages of $SIZE octets over 2x$CONC connections"

# What a delivery crash would repeat at each moment: every 0.5 s, each delivery process's
# mailstream_delivery_uncommitted (records finished, offsets not yet committed), summed over its workers.
sample_uncommitted() {
  local d addr n
  while true; do
    for d in delivery-1 delivery-2; do
      addr=$(cat "$WORK/$d/admin.address" 2>/dev/null) || continue
      n=$(curl -s -m 1 "http://$addr/metrics" 2>/dev/null \
        | awk '/^mailstream_delivery_uncommitted/ {s += $2; seen = 1} END {if (seen) print s}')
      [ -n "$n" ] && echo "$d $n"
    done
    sleep 0.5
  done > "$WORK/uncommitted.samples"
}
sample_uncommitted & PIDS+=($!)

T0=$SECONDS
gen() { # n port runid
  # shellcheck disable=SC2086
  java $TOOLS_JAVA_OPTS -cp "$LT_JAR" io.mailstream.loadtest.LoadGenerator --port "$2" --messages "$1" \
    --connections "$CONC" --size "$SIZE" --run-id "$3" --outcomes "$WORK/$3.outcomes" --timeout 60 \
    > "$WORK/$3.out" 2>&1
}
gen $((N / 2)) $IN1 g1 & G1=$!
gen $((N - N / 2)) $IN2 g2 & G2=$!
PIDS+=($G1 $G2)

delivered() { wc -l < "$WORK/delivered.ids" 2>/dev/null || echo 0; }
kill_one() { # what
  case $1 in
    broker) "$HERE/cluster.sh" kill 2 ;;
    router) kill -9 "${PID_OF[router-1]}" && echo "router-1 (pid ${PID_OF[router-1]}) killed" ;;
    delivery) kill -9 "${PID_OF[delivery-1]}" && echo "delivery-1 (pid ${PID_OF[delivery-1]}) killed" ;;
    ingress) kill -9 "${PID_OF[ingress-1]}" && echo "ingress-1 (pid ${PID_OF[ingress-1]}) killed" ;;
  esac
}
pct=10
for what in $KILLS; do
  until [ "$(delivered)" -ge $((N * pct / 100)) ] || ! kill -0 $G2 2>/dev/null; do sleep 0.2; done
  log "$(delivered) delivered: kill -9 $what: $(kill_one "$what")"
  pct=$((pct + 10))
done
wait $G1; wait $G2
log "load done in $((SECONDS - T0)) s: $(grep -h '^RESULT' "$WORK"/g1.out "$WORK"/g2.out | tr '\n' ' ')"

check() {
  # shellcheck disable=SC2086
  java $TOOLS_JAVA_OPTS -cp "$LT_JAR" io.mailstream.loadtest.FaultCheck \
    --outcomes "$WORK/g1.outcomes" --outcomes "$WORK/g2.outcomes" --delivered "$WORK/delivered.ids"
}
deadline=$((SECONDS + DRAIN))
until check > "$WORK/check.out" 2>&1 || [ $SECONDS -ge $deadline ]; do sleep 5; done
# Late duplicates (a redelivery after a rebalance) come within a session time-out; wait one more.
sleep "${SETTLE:-50}"
check > "$WORK/check.out" 2>&1; rc=$?
log "drained $((SECONDS - T0)) s after the load started"
sort -k2,2n "$WORK/uncommitted.samples" | awk '{v[NR] = $2} END {if (NR) printf "UNCOMMITTED samples=%d p50=%d p99=%d max=%d (finished records of one delivery process whose offsets were not committed yet)\n", NR, v[int(NR * 0.5) + 1], v[int(NR * 0.99) + 1], v[NR]}'
cat "$WORK/check.out"
exit $rc
