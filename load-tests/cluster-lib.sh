# Shared by the cluster scripts (cluster-faults.sh, cluster-scaling.sh): sourcing it sets HERE
# (load-tests), ROOT, the JVM options of the stage processes and of the tools (unless given),
# MS_JAR and LT_JAR (or exits 2 naming the build to run). Needs bash 4 (an associative array).
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
MS_JAVA_OPTS=${MS_JAVA_OPTS:--Xms64m -Xmx384m -XX:+UseSerialGC}
TOOLS_JAVA_OPTS=${TOOLS_JAVA_OPTS:--Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1}

# Sets MS_JAR and LT_JAR, or exits 2 naming the build to run.
cluster_jars() {
  MS_JAR=${MAILSTREAM_JAR:-$ROOT/ops/target/mailstream.jar}
  LT_JAR=$(ls "$HERE"/target/mailstream-load-tests-*-all.jar 2>/dev/null | head -1)
  [ -f "$MS_JAR" ] && [ -n "$LT_JAR" ] || { echo "build first: ./mvnw -o -B -q package -pl ops,load-tests -am -DskipTests" >&2; exit 2; }
  export MAILSTREAM_JAR=$MS_JAR
}

# start_stage DIR NAME STAGE [LISTEN]: one Mailstream process running STAGE against $BOOT, with its
# data directory DIR/NAME and its console in DIR/NAME.log, relaying to the sink on $SINK_PORT.
# Its pid goes to PID_OF[NAME] and PIDS.
declare -A PID_OF
start_stage() {
  local dir=$1 name=$2 stage=$3 extra=()
  [ $# -ge 4 ] && extra=(--listen "$4")
  mkdir -p "$dir/$name"
  # shellcheck disable=SC2086
  java $MS_JAVA_OPTS -jar "$MS_JAR" start --kafka "$BOOT" --stages "$stage" --data-dir "$dir/$name" \
    --hostname relay.test --smart-host "127.0.0.1:$SINK_PORT" "${extra[@]}" > "$dir/$name.log" 2>&1 &
  PID_OF[$name]=$!
  PIDS+=($!)
}

# await_running DIR NAME...: until each says "running stages"; exits 1 when one dies or 180 s pass.
await_running() {
  local dir=$1 n deadline=$((SECONDS + 180)); shift
  for n in "$@"; do
    until grep -q "running stages" "$dir/$n.log"; do
      kill -0 "${PID_OF[$n]}" 2>/dev/null || { echo "$n exited:" >&2; tail -5 "$dir/$n.log" >&2; exit 1; }
      [ $SECONDS -lt $deadline ] || { echo "$n not running after 180 s" >&2; exit 1; }
      sleep 0.5
    done
  done
}

# start_sink DIR: the counting sink on $SINK_PORT, writing each Message-ID to DIR/delivered.ids.
start_sink() {
  # shellcheck disable=SC2086
  java $TOOLS_JAVA_OPTS -cp "$LT_JAR" io.mailstream.loadtest.CountingSink --port "$SINK_PORT" \
    --ids "$1/delivered.ids" > "$1/sink.out" 2> "$1/sink.err" &
  PIDS+=($!)
  until grep -q '^LISTENING' "$1/sink.out" 2>/dev/null; do sleep 0.1; done
}

cluster_jars
