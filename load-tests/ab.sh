#!/bin/bash
# A/B of two node builds or JVM option sets on the single-node scenario, warm, pairs alternating.
#
# Usage: load-tests/ab.sh PAIRS "JAR_A [JAVA OPTIONS...]" "JAR_B [JAVA OPTIONS...]"
#   e.g. load-tests/ab.sh 5 "old.jar" "ops/target/mailstream.jar -Dsome.switch=true"
#
# For each pair and each arm: start an embedded node (MS_JAVA_OPTS, default -Xmx640m) relaying to
# the counting sink of load-tests/bench.sh, run bench.sh once to warm it (N messages of SIZE over
# CONC connections, default 3000 4096 20), sleep 2 s, run it again and report that warm run: the
# end-to-end and accepted rates, accept latency, the node process's own CPU seconds per 1,000
# messages (/proc/PID/stat) and its peak RSS. Arms alternate so that drift in the machine's load
# falls on both. Loopback only (ports LPORT 2731, SPORT 2727).
set -u
PAIRS=$1 A=$2 B=$3
N=${N:-3000} SIZE=${SIZE:-4096} CONC=${CONC:-20}
HERE=$(cd "$(dirname "$0")" && pwd)
LPORT=${LPORT:-2731} SPORT=${SPORT:-2727}

run() { # run LABEL JAR [OPTS...]
  local label=$1 jar=$2; shift 2
  local d; d=$(mktemp -d /tmp/ms-ab.XXXX)
  # shellcheck disable=SC2086
  java ${MS_JAVA_OPTS:--Xmx640m} "$@" -jar "$jar" start --listen 127.0.0.1:$LPORT --smart-host 127.0.0.1:$SPORT \
    --relay-from 127.0.0.0/8 --hostname relay.bench --data-dir "$d/data" > "$d/node.out" 2>&1 &
  local pid=$!
  for _ in $(seq 120); do grep -q "running stages" "$d/node.out" && break; sleep 1; done
  "$HERE/bench.sh" 127.0.0.1 $LPORT $SPORT "$N" "$SIZE" "$CONC" > /dev/null 2>&1
  sleep 2
  local c0 c1 out hwm
  c0=$(awk '{print $14+$15}' /proc/$pid/stat)
  out=$("$HERE/bench.sh" 127.0.0.1 $LPORT $SPORT "$N" "$SIZE" "$CONC" 2>&1)
  c1=$(awk '{print $14+$15}' /proc/$pid/stat)
  hwm=$(awk '/VmHWM/ {print int($2/1024)}' /proc/$pid/status)
  kill $pid; wait $pid 2>/dev/null
  echo "$label warm: $(echo "$out" | grep -o 'e2e_msgs_per_s=[0-9.]*')" \
    "$(echo "$out" | grep '^RESULT' | grep -o 'rate=[0-9.]* p50=[0-9.]* p90=[0-9.]* p99=[0-9.]*')" \
    "relay_cpu_s_per_1000=$(echo "scale=2; ($c1-$c0)/100*1000/$N" | bc) hwm_mb=$hwm"
  rm -rf "$d"
}

for i in $(seq "$PAIRS"); do
  # shellcheck disable=SC2086
  run A $A
  # shellcheck disable=SC2086
  run B $B
done
