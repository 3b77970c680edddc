#!/bin/bash
# Relay throughput bench with Mailstream's own Java tools (the counterpart of
# shared/peers/bench-relay.sh, which uses Postfix's smtp-source/smtp-sink; run both to compare).
#
# Usage: load-tests/bench.sh HOST PORT SINK_PORT [N [SIZE [CONC]]]
#   HOST:PORT   the relay under test (loopback); it must forward to 127.0.0.1:SINK_PORT
#   N (2000) messages, SIZE (4096) octets per message incl. headers, CONC (20) connections
# Env: RECIPIENTS (1)  REUSE=1 (many messages per connection; default a new one per message)
#      GEN_OPTS / SINK_OPTS  extra LoadGenerator / CountingSink options
#      TIMEOUT (600 s for the sink to see N)  IDLE (30 s without a message ends the wait)
#      JAVA_OPTS (-Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1: C1 only and the serial
#                 collector halve the tools' CPU, which on a 2-core machine is taken from the relay)
# Prints the generator's report (accepted msgs/s, accept latency, RESULT line), the sink's report
# (first-to-last msgs/s, connections, SINK line) and end to end msgs/s: messages the sink got
# divided by the time from the generator's start to the last message at the sink, which is what
# bench-relay.sh reports as e2e_msgs_per_s.
#
# The tools by hand (after `mvn -o -q -B -pl load-tests package -DskipTests` in the repo root):
#   java -cp load-tests/target/mailstream-load-tests-0.1.0-SNAPSHOT-all.jar \
#        io.mailstream.loadtest.CountingSink --port 2526 --expect 2000
#   java -cp load-tests/target/mailstream-load-tests-0.1.0-SNAPSHOT-all.jar \
#        io.mailstream.loadtest.LoadGenerator --host 127.0.0.1 --port 2527 \
#        --messages 2000 --connections 20 --size 4096 [--recipients R] [--reuse]
set -u
[ $# -ge 3 ] && [ $# -le 6 ] || { echo "usage: $0 HOST PORT SINK_PORT [N [SIZE [CONC]]]" >&2; exit 2; }
HOST=$1 PORT=$2 SINK_PORT=$3 N=${4:-2000} SIZE=${5:-4096} CONC=${6:-20}
TIMEOUT=${TIMEOUT:-600} IDLE=${IDLE:-30} RECIPIENTS=${RECIPIENTS:-1}
JAVA_OPTS=${JAVA_OPTS:--Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1}
HERE=$(cd "$(dirname "$0")" && pwd)
JAR=$(ls "$HERE"/target/mailstream-load-tests-*-all.jar 2>/dev/null | head -1)
if [ -z "$JAR" ] || [ -n "$(find "$HERE/src/main" "$HERE/pom.xml" -newer "$JAR" -type f 2>/dev/null | head -1)" ]; then
  (cd "$HERE/.." && mvn -o -q -B -pl load-tests package -DskipTests) >&2 || { echo "build failed" >&2; exit 1; }
  JAR=$(ls "$HERE"/target/mailstream-load-tests-*-all.jar | head -1)
fi
if (exec 3<>/dev/tcp/127.0.0.1/$SINK_PORT) 2>/dev/null; then
  echo "port 127.0.0.1:$SINK_PORT already in use; stop the old sink first" >&2; exit 1; fi
work=$(mktemp -d /tmp/mailstream-bench.XXXXXX)
# shellcheck disable=SC2086
java $JAVA_OPTS -cp "$JAR" io.mailstream.loadtest.CountingSink --port "$SINK_PORT" --expect "$N" \
  --timeout "$TIMEOUT" --idle-timeout "$IDLE" ${SINK_OPTS:-} > $work/sink.out 2> $work/sink.err &
SINK=$!
trap 'kill $SINK 2>/dev/null; rm -rf $work' EXIT
# The sink announces itself; probing the port would count as a connection.
for _ in $(seq 300); do grep -q '^LISTENING' $work/sink.out && break
  kill -0 $SINK 2>/dev/null || { cat $work/sink.err >&2; exit 1; }; sleep 0.1; done
reuse=""; [ "${REUSE:-0}" = 1 ] && reuse=--reuse
echo "== generator"
# shellcheck disable=SC2086
java $JAVA_OPTS -cp "$JAR" io.mailstream.loadtest.LoadGenerator --host "$HOST" --port "$PORT" \
  --messages "$N" --size "$SIZE" --connections "$CONC" --recipients "$RECIPIENTS" $reuse ${GEN_OPTS:-} \
  | tee $work/gen.out
wait $SINK; sink_rc=$?
echo "== sink"
grep -v '^LISTENING' $work/sink.out; cat $work/sink.err >&2
[ $sink_rc -ne 0 ] && echo "WARNING: sink rc=$sink_rc (did not see all $N messages)" >&2
start=$(sed -n 's/^RESULT.* start_ms=\([0-9]*\).*/\1/p' $work/gen.out)
read -r got last < <(sed -n 's/^SINK messages=\([0-9]*\).* last_ms=\([0-9]*\).*/\1 \2/p' $work/sink.out)
echo "== end to end"
awk -v s="${start:-0}" -v l="${last:-0}" -v g="${got:-0}" 'BEGIN{
  e=(l-s)/1000; printf "e2e_time_s=%.3f e2e_msgs_per_s=%.1f\n", e, (e>0 ? g/e : 0) }'
