#!/bin/bash
# A real 3-broker Kafka cluster (KRaft, combined broker+controller) on this machine, for running
# Mailstream's stages apart (--kafka, --stages) and for the fault tests. Each broker is its own JVM
# (kafka.Kafka with its server.properties) and directory; loopback ports only; replication factor
# 3, min.insync.replicas 2; topics are created by Mailstream, not automatically.
#
# Usage: load-tests/cluster.sh start|stop|status|bootstrap|kill N|restart N
#   start      format (first time) and start the three brokers, wait until all three serve
#   stop       SIGTERM all brokers at once (combined nodes stopped one by one can hang once the
#              quorum is lost; one still running after 30 s is killed), wait for them; the data
#              stays for the next start
#   status     one line per broker: running or not, pid, port
#   bootstrap  print the bootstrap list for --kafka
#   kill N     kill -9 broker N (1-3), for fault tests; restart N starts it again
# Env: CLUSTER_DIR (load-tests/target/cluster)  CLUSTER_PORT (19092: brokers 19092-19094,
#      controllers 19192-19194)  KAFKA_JAVA_OPTS (-Xms256m -Xmx768m)
#      MAILSTREAM_JAR (ops/target/mailstream.jar, which carries kafka_2.13 and its siblings;
#      built with `./mvnw -o -B -q package -pl ops -am -DskipTests` when missing)
# `rm -rf $CLUSTER_DIR` after stop forgets the cluster (a new cluster id at the next start).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
DIR=${CLUSTER_DIR:-$HERE/target/cluster}
BASE=${CLUSTER_PORT:-19092}
JAR=${MAILSTREAM_JAR:-$ROOT/ops/target/mailstream.jar}
JOPTS=${KAFKA_JAVA_OPTS:--Xms256m -Xmx768m}
NODES="1 2 3"

bport() { echo $((BASE + $1 - 1)); }
cport() { echo $((BASE + 100 + $1 - 1)); }
pidof_node() { local f="$DIR/broker-$1/pid"; [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null && cat "$f"; }
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
bootstrap() { local out="" n; for n in $NODES; do out="$out${out:+,}127.0.0.1:$(bport "$n")"; done; echo "$out"; }

need_jar() {
  if [ ! -f "$JAR" ]; then
    echo "cluster: building $JAR" >&2
    (cd "$ROOT" && ./mvnw -o -B -q package -pl ops -am -DskipTests) >&2 || { echo "cluster: build failed" >&2; exit 1; }
  fi
}

properties() { # node
  local n=$1 voters="" m
  for m in $NODES; do voters="$voters${voters:+,}$m@127.0.0.1:$(cport "$m")"; done
  cat <<PROPS
process.roles=broker,controller
node.id=$n
controller.quorum.voters=$voters
listeners=PLAINTEXT://127.0.0.1:$(bport "$n"),CONTROLLER://127.0.0.1:$(cport "$n")
advertised.listeners=PLAINTEXT://127.0.0.1:$(bport "$n")
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$DIR/broker-$n/data
# Mailstream creates its topics with its own settings; a typo'd topic name must not appear.
auto.create.topics.enable=false
num.partitions=6
default.replication.factor=3
min.insync.replicas=2
unclean.leader.election.enable=false
offsets.topic.replication.factor=3
transaction.state.log.replication.factor=3
transaction.state.log.min.isr=2
share.coordinator.state.topic.replication.factor=3
share.coordinator.state.topic.min.isr=2
group.initial.rebalance.delay.ms=0
PROPS
}

start_node() { # node
  local n=$1 d="$DIR/broker-$1"
  if [ -n "$(pidof_node "$n")" ]; then echo "broker $n already running (pid $(pidof_node "$n"))"; return 0; fi
  if listening "$(bport "$n")" || listening "$(cport "$n")"; then
    echo "cluster: port $(bport "$n") or $(cport "$n") is taken by something else" >&2; return 1; fi
  mkdir -p "$d/log"
  properties "$n" > "$d/server.properties"
  if [ ! -f "$d/data/meta.properties" ]; then
    # shellcheck disable=SC2086
    java $JOPTS -Dmailstream.logdir="$d/log" -cp "$JAR" kafka.tools.StorageTool format \
      -t "$(cat "$DIR/cluster.id")" -c "$d/server.properties" > "$d/log/format.out" 2>&1 \
      || { echo "cluster: formatting broker $n failed:" >&2; cat "$d/log/format.out" >&2; return 1; }
  fi
  # shellcheck disable=SC2086
  nohup java $JOPTS -Dmailstream.logdir="$d/log" -cp "$JAR" kafka.Kafka "$d/server.properties" \
    > "$d/log/broker.out" 2>&1 < /dev/null &
  echo $! > "$d/pid"
}

await_serving() { # nodes...; every broker's port answers and the cluster reports them all
  local n deadline=$((SECONDS + 120))
  for n in "$@"; do
    until listening "$(bport "$n")"; do
      [ -n "$(pidof_node "$n")" ] || { echo "cluster: broker $n exited:" >&2; tail -20 "$DIR/broker-$n/log/broker.out" >&2; return 1; }
      [ $SECONDS -lt $deadline ] || { echo "cluster: broker $n not listening after 120 s" >&2; return 1; }
      sleep 0.2
    done
  done
}

cmd_start() {
  need_jar
  mkdir -p "$DIR"
  [ -f "$DIR/cluster.id" ] || java -cp "$JAR" kafka.tools.StorageTool random-uuid > "$DIR/cluster.id" 2>/dev/null \
    || { echo "cluster: cannot make a cluster id" >&2; exit 1; }
  local n
  for n in $NODES; do start_node "$n" || exit 1; done
  await_serving $NODES || exit 1
  echo "cluster: 3 brokers serving at $(bootstrap) (data in $DIR)"
}

cmd_stop() {
  local n pids=""
  for n in $NODES; do p=$(pidof_node "$n"); [ -n "$p" ] && { kill -TERM "$p"; pids="$pids $p"; }; done
  # A combined broker+controller whose peers stop at the same time (or are dead already) may wait
  # for a quorum that is gone; after 30 s it is killed, its data is safe on disk either way.
  local deadline=$((SECONDS + 30))
  for p in $pids; do
    while kill -0 "$p" 2>/dev/null; do
      if [ $SECONDS -ge $deadline ]; then
        echo "cluster: pid $p did not stop within 30 s (its quorum went with its peers); kill -9" >&2
        kill -9 "$p"; deadline=$((SECONDS + 3600))
      fi
      sleep 0.2
    done
  done
  for n in $NODES; do rm -f "$DIR/broker-$n/pid"; done
  echo "cluster: stopped"
}

cmd_status() {
  local n p rc=0
  for n in $NODES; do
    p=$(pidof_node "$n")
    if [ -n "$p" ] && listening "$(bport "$n")"; then echo "broker $n running pid $p 127.0.0.1:$(bport "$n")"
    elif [ -n "$p" ]; then echo "broker $n starting pid $p 127.0.0.1:$(bport "$n")"; rc=1
    else echo "broker $n stopped 127.0.0.1:$(bport "$n")"; rc=1; fi
  done
  return $rc
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  bootstrap) bootstrap ;;
  kill) p=$(pidof_node "${2:?broker number}"); [ -n "$p" ] && kill -9 "$p" && rm -f "$DIR/broker-$2/pid" && echo "cluster: broker $2 (pid $p) killed" ;;
  restart) need_jar; start_node "${2:?broker number}" && await_serving "$2" && echo "cluster: broker $2 serving" ;;
  *) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
