# Shared by the single-node benchmarks (dead-host.sh, idle-sessions.sh): source it after setting
# ROOT, HERE, MS_JAVA_OPTS and a die() function.

# Builds the jars offline unless BUILD=0, and sets MS_JAR and LT_JAR.
find_jars() {
  if [ "${BUILD:-1}" = 1 ]; then
    (cd "$ROOT" && ./mvnw -o -B -q package -DskipTests -pl ops,load-tests -am) >&2 || die "build failed"
  fi
  MS_JAR=${MS_JAR:-$ROOT/ops/target/mailstream.jar}
  LT_JAR=$(ls "$HERE"/target/mailstream-load-tests-*-all.jar 2>/dev/null | head -1)
  [ -f "$MS_JAR" ] && [ -n "$LT_JAR" ] || die "jars missing; build with BUILD=1"
}

# start_node CONFIG LOG: starts an embedded node in the background, sets NODE to its pid and waits
# until it runs its stages (at most 120 s).
start_node() {
  # shellcheck disable=SC2086
  java $MS_JAVA_OPTS -jar "$MS_JAR" start --config "$1" > "$2" 2>&1 &
  NODE=$!
  for _ in $(seq 120); do grep -q "running stages" "$2" && return 0
    kill -0 "$NODE" 2>/dev/null || die "node did not start: $2"; sleep 1; done
  die "node did not start in 120 s: $2"
}
