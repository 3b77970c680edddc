#!/bin/bash
# Scaling per stage on a real 3-broker cluster (issue 13): the same load through one ingress with
# 1 router + 1 delivery process, then with 2 + 2, each shape on a fresh cluster. For each it prints
# the end-to-end rate, CPU seconds per 1,000 messages per role (ingress, routers, deliveries,
# brokers, from /proc/PID/stat over the load and its drain), how much of the work each router and
# delivery process did (its /metrics: recipients routed, recipients delivered), and how long after
# the load the last message reached the sink (the lag on `routed` is 0 then: every message is out).
#
# Usage: load-tests/cluster-scaling.sh [N [SIZE [CONC]]]     (default 6000 4096 20)
# Env: SHAPES ("1:1 2:2": routers:deliveries)  MS_JAVA_OPTS (-Xms64m -Xmx384m -XX:+UseSerialGC)
#      TOOLS_JAVA_OPTS  CLUSTER_PORT (19092)  KEEP=1 keeps the work directory. Loopback only.
# Writes the lines to RESULTS (load-tests/results/cluster-scaling-<UTC time>).
set -u
N=${1:-6000} SIZE=${2:-4096} CONC=${3:-20}
SHAPES=${SHAPES:-1:1 2:2}
# shellcheck source=cluster-lib.sh
. "$(dirname "$0")/cluster-lib.sh"
WORK=$(mktemp -d /tmp/mailstream-scaling.XXXXXX)
RESULTS=${RESULTS:-$HERE/results/cluster-scaling-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$(dirname "$RESULTS")"
SINK_PORT=${SINK_PORT:-2626} IN=2601
PIDS=()
log() { echo "$(date +%T) $*" >&2; }

stop_all() {
  local p
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
  PIDS=()
  "$HERE/cluster.sh" stop >/dev/null 2>&1
}
trap 'stop_all; [ "${KEEP:-0}" = 1 ] || rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM

ticks() { local t=0 p; for p in "$@"; do t=$((t + $(awk '{print $14+$15}' "/proc/$p/stat" 2>/dev/null || echo 0))); done; echo $t; }
metric() { # data-dir name: the sum of a counter over its label sets, from the process's /metrics
  local addr; addr=$(cat "$1/admin.address" 2>/dev/null) || { echo 0; return; }
  curl -s "http://$addr/metrics" | awk -v m="$2" '$1 ~ "^"m"(\\{|$)" {s+=$2} END {printf "%d", s}'
}

one_shape() { # routers deliveries
  local R=$1 D=$2 dir="$WORK/shape-$1x$2" i
  mkdir -p "$dir"
  export CLUSTER_DIR=$dir/cluster
  "$HERE/cluster.sh" start >&2 || exit 1
  BOOT=$("$HERE/cluster.sh" bootstrap)
  local brokers; brokers=$(for b in 1 2 3; do cat "$CLUSTER_DIR/broker-$b/pid"; done)
  start_sink "$dir"

  # One process creates the topics (RF 3, min ISR 2), then the others.
  start_stage "$dir" router-1 router; await_running "$dir" router-1
  local routers=(router-1) deliveries=()
  for i in $(seq 2 "$R"); do start_stage "$dir" "router-$i" router; routers+=("router-$i"); done
  for i in $(seq 1 "$D"); do start_stage "$dir" "delivery-$i" delivery; deliveries+=("delivery-$i"); done
  start_stage "$dir" ingress ingress "127.0.0.1:$IN"
  await_running "$dir" "${routers[@]}" "${deliveries[@]}" ingress
  sleep 5 # the groups settle: every member holds its partitions before the load
  local rp=() dp=() n
  for n in "${routers[@]}"; do rp+=("${PID_OF[$n]}"); done
  for n in "${deliveries[@]}"; do dp+=("${PID_OF[$n]}"); done
  local ip=${PID_OF[ingress]}
  # shellcheck disable=SC2086
  local i0=$(ticks $ip) r0=$(ticks "${rp[@]}") d0=$(ticks "${dp[@]}") b0=$(ticks $brokers)
  log "shape $R router(s) + $D delivery: sending $N messages of $SIZE octets over $CONC connections"
  local t0; t0=$(date +%s.%N)
  # shellcheck disable=SC2086
  java $TOOLS_JAVA_OPTS -cp "$LT_JAR" io.mailstream.loadtest.LoadGenerator --port "$IN" --messages "$N" \
    --connections "$CONC" --size "$SIZE" --run-id "s$R$D" --timeout 60 > "$dir/gen.out" 2>&1
  local t1; t1=$(date +%s.%N)
  local deadline=$((SECONDS + 300))
  until [ "$(wc -l < "$dir/delivered.ids")" -ge "$N" ] || [ $SECONDS -ge $deadline ]; do sleep 0.2; done
  local t2; t2=$(date +%s.%N)
  local got; got=$(wc -l < "$dir/delivered.ids")
  # shellcheck disable=SC2086
  local i1=$(ticks $ip) r1=$(ticks "${rp[@]}") d1=$(ticks "${dp[@]}") b1=$(ticks $brokers)
  per() { echo "scale=2; ($2 - $1) / 100 * 1000 / $N" | bc; }
  local work=""
  for n in "${routers[@]}"; do work="$work $n=$(metric "$dir/$n" mailstream_recipients_routed_total)"; done
  for n in "${deliveries[@]}"; do work="$work $n=$(metric "$dir/$n" mailstream_recipients_delivered_total)"; done
  local line
  line=$(printf 'SCALING routers=%s deliveries=%s messages=%s delivered=%s e2e_msgs_per_s=%s accepted: %s cpu_s_per_1000: ingress=%s routers=%s deliveries=%s brokers=%s drain_after_load_s=%s work:%s' \
    "$R" "$D" "$N" "$got" "$(echo "scale=1; $got / ($t2 - $t0)" | bc)" \
    "$(grep -o 'RESULT.*' "$dir/gen.out" | grep -o 'rate=[0-9.]* p50=[0-9.]* p90=[0-9.]* p99=[0-9.]*' | tail -1)" \
    "$(per "$i0" "$i1")" "$(per "$r0" "$r1")" "$(per "$d0" "$d1")" "$(per "$b0" "$b1")" \
    "$(echo "scale=1; ($t2 - $t1) / 1" | bc)" "$work")
  echo "$line" | tee -a "$RESULTS"
  stop_all
}

for shape in $SHAPES; do
  one_shape "${shape%%:*}" "${shape##*:}"
done
log "results in $RESULTS"
