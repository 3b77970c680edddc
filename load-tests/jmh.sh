#!/bin/bash
# Builds and runs Mailstream's JMH microbenchmarks (load-tests/jmh, Maven profile jmh; the CI's
# `./mvnw -B verify` neither builds nor runs them).
#
# Usage: load-tests/jmh.sh [JMH options and benchmark regexps]
#   load-tests/jmh.sh                          all benchmarks, the annotated settings (1 fork, 3x1 s
#                                              warm-up, 5x1 s measurement): about 6 minutes
#   load-tests/jmh.sh DataDecoder -p size=4096 one class, one parameter value
#   load-tests/jmh.sh -l                       list the benchmarks
#   load-tests/jmh.sh -h                       JMH's options (-f forks, -wi/-i iterations, -prof gc, -rf json)
# Env: BUILD=0 to skip the (offline) build; JMH_JAVA_OPTS (-Xmx1g) for the forked benchmark JVMs.
# On a shared machine, quote the load average with the results and compare only within one run.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
if [ "${BUILD:-1}" = 1 ]; then
  (cd "$ROOT" && ./mvnw -o -B -q -P jmh package -DskipTests -pl load-tests/jmh -am) >&2
fi
CP="$HERE/jmh/target/classes:$(cat "$HERE/jmh/target/jmh.classpath")"
exec java -cp "$CP" org.openjdk.jmh.Main -jvmArgsPrepend "${JMH_JAVA_OPTS:--Xmx1g}" "$@"
