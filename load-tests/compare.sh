#!/bin/bash
# One scenario against Postfix, sendmail and Mailstream one after the other, plus the raw Kafka
# producer on the embedded broker; prints one table and writes a chart and the raw results.
#
# Usage: load-tests/compare.sh [N [SIZE [CONC]]]        (default 3000 4096 20)
#
# Per relay: start it, run the scenario twice on the same running relay (cold = the first run after
# start, warm = the repeat), stop it. PHASES names the runs: "cold warm hot" adds a third, the
# relay as it runs once its JIT has settled (a relay runs for days; see BENCHMARKS.md). The scenario is the shared peers' bench-relay.sh with the same
# options for every relay (smtp-source -> relay -> smtp-sink on 127.0.0.1:2526, N messages of SIZE
# bytes over CONC sessions, a new connection per message). Beside smtp-source, in the same run,
# Mailstream's LoadGenerator sends over PROBE_CONC (2) more connections for as long as smtp-source
# runs (at most PROBE_N = N messages) and measures the accept latency (end-of-data to 250).
# Measured per run: machine-wide busy jiffies (/proc/stat) and the relay's own CPU (its process
# tree, reaped children included) per 1,000 messages (smtp-source's plus the probe's), and the
# peak of the summed VmHWM of the relay's processes (sampled every second).
# The raw producer (RawProducerBench) writes N records of SIZE with CONC senders, each waiting for
# its ack, to the accepted-mail topic of an embedded broker started as Mailstream starts it.
#
# Relays: Postfix  ../shared/peers/postfix-relay.sh (127.0.0.1:2527)
#         sendmail SM_MODE=interactive ../shared/peers/sendmail-relay.sh (127.0.0.1:2525)
#         Mailstream java $MS_JAVA_OPTS -jar ops/target/mailstream.jar start --listen 127.0.0.1:2530 ...
#
# Env: RELAYS ("postfix sendmail mailstream kafka-raw")  PEERS (../shared/peers from the repo root)
#      MS_JAVA_OPTS (-Xmx640m, as ./mailstream)  MS_CONFIG (a mailstream.yaml read before the options
#      above, e.g. with raised limits; see matrix.sh)  SOURCE_OPTS, PF_MAIN_EXTRA (bench-relay.sh's
#      and postfix-relay.sh's, passed through)  TOOLS_JAVA_OPTS (probe/report JVMs:
#      -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1)  PROBE_CONC (2)  PROBE_N (N)
#      RESULTS (load-tests/results/<UTC timestamp>)  TIMEOUT (600 s for the sink, as bench-relay.sh)
#      DRAIN_TIMEOUT (120 s; see drain())  BUILD=0 to use the jars as they are
#      PHASES ("cold warm"): one measured run per name, in order, on the same running relay
# Output: the table on stdout; RESULTS/{results.txt,table.md,chart.html,about.txt,*.csv,*.out}.
# Loopback only. The machine's other load goes into the machine-wide CPU figure: see about.txt.
set -u
N=${1:-3000} SIZE=${2:-4096} CONC=${3:-20}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
PEERS=${PEERS:-$ROOT/../shared/peers}
RELAYS=${RELAYS:-"postfix sendmail mailstream kafka-raw"}
MS_JAVA_OPTS=${MS_JAVA_OPTS:--Xmx640m}
TOOLS_JAVA_OPTS=${TOOLS_JAVA_OPTS:--Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1}
PROBE_CONC=${PROBE_CONC:-2}
PROBE_N=${PROBE_N:-$N}
OUT=${RESULTS:-$HERE/results/$(date -u +%Y%m%dT%H%M%SZ)}
HZ=$(getconf CLK_TCK)
SINK_PORT=2526
DRAIN_TIMEOUT=${DRAIN_TIMEOUT:-120}
PHASES=${PHASES:-"cold warm"}

die() { echo "compare.sh: $*" >&2; exit 1; }
port_busy() { (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null; }

# --- build (offline; never install) and freeze the jars for the whole comparison
if [ "${BUILD:-1}" = 1 ]; then
  (cd "$ROOT" && ./mvnw -o -B -q package -DskipTests -pl ops,load-tests -am) >&2 || die "build failed"
fi
MS_JAR_SRC=${MS_JAR:-$ROOT/ops/target/mailstream.jar}
LT_JAR_SRC=$(ls "$HERE"/target/mailstream-load-tests-*-all.jar 2>/dev/null | head -1)
[ -f "$MS_JAR_SRC" ] && [ -n "$LT_JAR_SRC" ] || die "jars missing; build with BUILD=1"
[ -x "$PEERS/bench-relay.sh" ] || die "no $PEERS/bench-relay.sh (set PEERS)"
[ -x /opt/postfix-tools/bin/smtp-source ] || "$PEERS/tools.sh" >/dev/null || die "peers' tools.sh failed"
mkdir -p "$OUT" || die "cannot create $OUT"
WORK=$(mktemp -d /tmp/mailstream-compare.XXXXXX)
# Someone may rebuild ops/target during the run: every relay must run the same bytes.
cp "$MS_JAR_SRC" "$WORK/mailstream.jar" && cp "$LT_JAR_SRC" "$WORK/load-tests.jar" || die "cannot copy jars"
MS_JAR=$WORK/mailstream.jar LT_JAR=$WORK/load-tests.jar
MS_PID="" MS_DATA="" SAMPLER="" PROBE="" PEER_STOP=""
# On an early exit: stop what this script started (by pid), the relay, and remove its data.
cleanup() {
  [ -n "$SAMPLER" ] && kill "$SAMPLER" 2>/dev/null
  [ -n "$PROBE" ] && kill "$PROBE" 2>/dev/null
  [ -n "$PEER_STOP" ] && $PEER_STOP >/dev/null 2>&1
  [ -n "$MS_PID" ] && kill -TERM "$MS_PID" 2>/dev/null && wait "$MS_PID" 2>/dev/null
  [ -n "$MS_DATA" ] && rm -rf "$MS_DATA"
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- what was run where
{
  echo "compare.sh $N $SIZE $CONC  (probe: LoadGenerator over $PROBE_CONC connections while smtp-source runs, at most $PROBE_N messages)"
  echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')  commit: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null)$(git -C "$ROOT" diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)')"
  echo "machine: $(nproc) CPUs, $(awk '/MemTotal/{printf "%d MiB", $2/1024}' /proc/meminfo), kernel $(uname -r), load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "java: $(java -version 2>&1 | sed -n 2p)"
  echo "Mailstream JVM flags: $MS_JAVA_OPTS  -> $(java $MS_JAVA_OPTS -XX:+PrintCommandLineFlags -version 2>&1 | head -1)"
  echo "probe/producer-baseline JVM flags: $TOOLS_JAVA_OPTS (the raw producer runs with MS_JAVA_OPTS: it holds the broker)"
  echo "mailstream.jar sha256: $(sha256sum "$MS_JAR" | cut -c1-12)"
  echo "postfix: $(/opt/postfix-tools/bin/postconf -d mail_version 2>/dev/null | cut -d' ' -f3)  sendmail: $(/usr/sbin/sendmail-mta -d0.1 -bt </dev/null 2>/dev/null | sed -n 's/^Version //p' | head -1)"
} > "$OUT/about.txt"
: > "$OUT/results.txt"

# --- the relay's processes: a root pid and its descendants
tree() {
  ps -e -o pid=,ppid= | awk -v root="$1" '{ kids[$2] = kids[$2] " " $1 }
    END { q[1] = root; n = 1; for (i = 1; i <= n; i++) { print q[i]; m = split(kids[q[i]], k, " ");
          for (j = 1; j <= m; j++) q[++n] = k[j] } }'
}
# CPU jiffies of the tree: utime+stime of every live process plus cutime+cstime (children that
# exited and were reaped, like sendmail's per-connection children).
tree_cpu() {
  local files=() p
  for p in $(tree "$1"); do files+=("/proc/$p/stat"); done
  cat "${files[@]}" 2>/dev/null | awk '{ sub(/^.*\) /, ""); s += $12 + $13 + $14 + $15 } END { print s + 0 }'
}
tree_hwm_kib() {
  local files=() p
  for p in $(tree "$1"); do files+=("/proc/$p/status"); done
  cat "${files[@]}" 2>/dev/null | awk '/^VmHWM:/ { s += $2 } END { print s + 0 }'
}
busy_jiffies() { awk '/^cpu /{ print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }

# Every second: counters of smtp-source and smtp-sink (read from bench-relay.sh's own output files,
# found through its smtp-sink's standard output) and the relay's summed VmHWM.
sampler() { # BENCH_PID RELAY_ROOT T0 OUTFILE
  local bench=$1 root=$2 t0=$3 out=$4 dir="" p src snk
  echo "t_s,source_sent,sink_received,relay_hwm_kib" > "$out"
  while kill -0 "$bench" 2>/dev/null; do
    if [ -z "$dir" ]; then
      for p in $(tree "$bench"); do
        [ "$(cat /proc/"$p"/comm 2>/dev/null)" = smtp-sink ] && dir=$(dirname "$(readlink /proc/"$p"/fd/1)")
      done
    fi
    src="" snk=""
    if [ -n "$dir" ]; then
      src=$(tail -c 100 "$dir/source.out" 2>/dev/null | tr '\r' '\n' | grep -E '^[0-9]+$' | tail -1)
      snk=$(tail -c 200 "$dir/sink.out" 2>/dev/null | tr '\r' '\n' | grep -o 'mesg=[0-9]*' | tail -1 | cut -d= -f2)
    fi
    echo "$(awk -v a="$(date +%s.%N)" -v b="$t0" 'BEGIN{ printf "%.2f", a - b }'),${src:-0},${snk:-0},$(tree_hwm_kib "$root")" >> "$out"
    sleep 1
  done
}

# bench-relay.sh stops its sink once it has as many messages as smtp-source sent, so the probe's
# last messages may still be in the relay then; a relay that finds its next hop gone defers them
# (and Postfix marks the destination dead for minutes, which would stall the next run). So while
# the relay still holds mail, a sink takes over the port and stays until the queue is empty.
pending() { # NAME: what the relay has accepted and not yet delivered (queue files; Mailstream: recipients)
  case $1 in
    postfix) find /opt/postfix-peer/spool/incoming /opt/postfix-peer/spool/active /opt/postfix-peer/spool/deferred -type f | wc -l;;
    sendmail) find /opt/sendmail-peer/mqueue -name 'qf*' | wc -l;;
    # Recipients: every from= line of an accepted message (not stat=discarded) awaits one final to=
    # line per recipient (its nrcpts=: smtp-source -r 100 sends 100, the probe one); a deferral, a
    # hand-back for routing and a routing change are not final.
    mailstream) awk '/: from=</ && !/stat=discarded/ { n = 1; if (match($0, /nrcpts=[0-9]+/)) n = substr($0, RSTART + 7, RLENGTH - 7); a += n }
                     /: to=</ && !/stat=(Deferred|Requeued)|routing changed/ { d++ } END { print a - d }' "$MS_DATA/log/maillog" 2>/dev/null || echo 0;;
    *) echo 0;;
  esac
}
drain() { # NAME BASE
  local name=$1 base=$2 catcher="" deadline got
  if [ "$(pending "$name")" -gt 0 ]; then
    # bench-relay.sh's sink may take a moment to let go of the port.
    for _ in $(seq 100); do
      /opt/postfix-tools/bin/smtp-sink -c -u nobody 127.0.0.1:$SINK_PORT 1024 > "$WORK/drain.out" 2>&1 &
      catcher=$!
      sleep 0.1; kill -0 "$catcher" 2>/dev/null && break
    done
    deadline=$(( $(date +%s) + DRAIN_TIMEOUT ))
    while [ "$(pending "$name")" -gt 0 ] && [ "$(date +%s)" -lt "$deadline" ]; do
      # Postfix defers what failed while the port was closed: do what postqueue -f does (its setgid
      # wrapper cannot load the extracted libraries): revive dead destinations (F), scan the
      # deferred and incoming queues (D, I) ignoring time stamps (A).
      [ "$name" = postfix ] && LD_LIBRARY_PATH=/opt/postfix-tools/usr/lib/postfix \
        /opt/postfix-tools/usr/sbin/postkick -c /opt/postfix-peer/etc public qmgr FDIA
      sleep 1
    done
    [ "$(pending "$name")" -gt 0 ] && echo "WARNING: $name still holds $(pending "$name") messages (Mailstream: recipients) after ${DRAIN_TIMEOUT}s" >&2
    kill "$catcher" 2>/dev/null; wait "$catcher" 2>/dev/null
  fi
  got=$(tail -c 200 "$WORK/drain.out" 2>/dev/null | tr '\r' '\n' | grep -o 'mesg=[0-9]*' | tail -1 | cut -d= -f2)
  rm -f "$WORK/drain.out"
  echo "${got:-0}" > "$base-drain.txt"
}

# One run of the scenario against a running relay: bench-relay.sh and the probe side by side.
measure() { # NAME PORT PHASE ROOT_PID
  local name=$1 port=$2 phase=$3 root=$4 base="$OUT/$1-$3"
  port_busy $SINK_PORT && die "127.0.0.1:$SINK_PORT is in use (another bench's sink?)"
  echo "-- $name $phase: bench-relay.sh 127.0.0.1 $port $N $SIZE $CONC + probe" >&2
  local busy0 cpu0 t0 bench probe peak
  # The probe's JVM starts first and waits; it then sends for as long as smtp-source runs (at most
  # PROBE_N messages), so that its start-up does not eat into a short run.
  rm -f "$WORK/source.pid"
  # shellcheck disable=SC2086
  java $TOOLS_JAVA_OPTS -cp "$LT_JAR" io.mailstream.loadtest.LoadGenerator --host 127.0.0.1 --port "$port" \
    --messages "$PROBE_N" --while-pid-file "$WORK/source.pid" --size "$SIZE" --connections "$PROBE_CONC" \
    --timeseries "$base-probe.csv" > "$base-probe.out" 2>&1 &
  probe=$!; PROBE=$probe
  for _ in $(seq 300); do grep -q '^READY' "$base-probe.out" && break; sleep 0.1; done
  busy0=$(busy_jiffies); cpu0=$(tree_cpu "$root"); t0=$(date +%s.%N)
  "$PEERS/bench-relay.sh" 127.0.0.1 "$port" "$N" "$SIZE" "$CONC" > "$base-bench.out" 2>&1 &
  bench=$!
  sampler "$bench" "$root" "$t0" "$base-counts.csv" & SAMPLER=$!
  local source="" p
  for _ in $(seq 500); do
    for p in $(tree "$bench"); do [ "$(cat /proc/"$p"/comm 2>/dev/null)" = smtp-source ] && source=$p; done
    [ -n "$source" ] && break; sleep 0.01
  done
  echo "${source:-$bench}" > "$WORK/source.pid.tmp" && mv "$WORK/source.pid.tmp" "$WORK/source.pid"
  wait "$probe"; PROBE=""; wait "$bench"
  local busy=$(( $(busy_jiffies) - busy0 )) cpu=$(( $(tree_cpu "$root") - cpu0 ))
  drain "$name" "$base"
  wait "$SAMPLER" 2>/dev/null; SAMPLER=""
  peak=$( (tail -n +2 "$base-counts.csv" | cut -d, -f4; tree_hwm_kib "$root") | sort -n | tail -1)
  local acc e2e sent got pacc p50 p99 msgs
  acc=$(sed -n 's/^accept_time_s=.* accepted_msgs_per_s=\([0-9.]*\).*/\1/p' "$base-bench.out")
  e2e=$(sed -n 's/^e2e_time_s=.* e2e_msgs_per_s=\([0-9.]*\).*/\1/p' "$base-bench.out")
  sent=$(sed -n 's/.*smtp-source actually sent \([0-9]*\)).*/\1/p' "$base-bench.out")
  got=$(sed -n 's/.* sink_received=\([0-9]*\).*/\1/p' "$base-bench.out")
  local prate
  read -r pacc prate p50 p99 < <(sed -n 's/^RESULT.* accepted=\([0-9]*\) .* rate=\([0-9.]*\) p50=\([0-9.]*\) .* p99=\([0-9.]*\) .*/\1 \2 \3 \4/p' "$base-probe.out")
  local drained; drained=$(cat "$base-drain.txt" 2>/dev/null)
  grep -q WARNING "$base-bench.out" && sed -n '/WARNING/,$p' "$base-bench.out" >&2
  msgs=$(( ${sent:-0} + ${pacc:-0} ))
  awk -v name="$name" -v phase="$phase" -v acc="${acc:-0}" -v e2e="${e2e:--}" -v sent="${sent:-0}" \
      -v got="${got:-0}" -v pacc="${pacc:-0}" -v prate="${prate:-0}" -v p50="${p50:--}" -v p99="${p99:--}" -v busy="$busy" \
      -v cpu="$cpu" -v drained="${drained:-0}" -v hz="$HZ" -v msgs="$msgs" -v peak="${peak:-0}" 'BEGIN {
    # The relay took smtp-source'"'"'s and the probe'"'"'s messages over the same time: accepted/s is the
    # sum of both rates, as e2e/s (arrivals at the sink) counts both.
    printf "RUN relay=%s phase=%s accepted_per_s=%.1f e2e_per_s=%s source_per_s=%s probe_per_s=%s source_sent=%d sink_received=%d probe_accepted=%d drained_after=%s", name, phase, acc + prate, e2e, acc, prate, sent, got, pacc, drained
    printf " p50_ms=%s p99_ms=%s cpu_s_per_1000=%.2f relay_cpu_s_per_1000=%.2f peak_rss_mib=%.0f busy_jiffies=%d relay_jiffies=%d hz=%d\n",
      p50, p99, (msgs ? busy / hz / msgs * 1000 : 0), (msgs ? cpu / hz / msgs * 1000 : 0), peak / 1024, busy, cpu, hz }' \
    | tee -a "$OUT/results.txt" >&2
}

run_postfix() {
  port_busy 2527 && die "127.0.0.1:2527 is in use: is a Postfix peer already running? (postfix-relay.sh stop)"
  "$PEERS/postfix-relay.sh" start >&2 || die "postfix did not start"
  PEER_STOP="$PEERS/postfix-relay.sh stop"
  local root; root=$(head -1 /opt/postfix-peer/spool/pid/master.pid | tr -d ' ')
  for phase in $PHASES; do measure postfix 2527 "$phase" "$root"; done
  "$PEERS/postfix-relay.sh" stop >&2; PEER_STOP=""
}

run_sendmail() {
  port_busy 2525 && die "127.0.0.1:2525 is in use: is a sendmail peer already running? (sendmail-relay.sh stop)"
  SM_MODE=interactive "$PEERS/sendmail-relay.sh" start >&2 || die "sendmail did not start"
  PEER_STOP="$PEERS/sendmail-relay.sh stop"
  local root; root=$(head -1 /opt/sendmail-peer/sendmail.pid)
  for phase in $PHASES; do measure sendmail 2525 "$phase" "$root"; done
  "$PEERS/sendmail-relay.sh" stop >&2; PEER_STOP=""
}

run_mailstream() {
  port_busy 2530 && die "127.0.0.1:2530 is in use"
  local data; data=$(mktemp -d /tmp/mailstream-compare-data.XXXXXX); MS_DATA=$data
  # shellcheck disable=SC2086
  java $MS_JAVA_OPTS -jar "$MS_JAR" start ${MS_CONFIG:+--config "$MS_CONFIG"} --listen 127.0.0.1:2530 --smart-host 127.0.0.1:$SINK_PORT \
    --relay-from 127.0.0.0/8 --hostname relay.bench --data-dir "$data" > "$OUT/mailstream.log" 2>&1 &
  MS_PID=$!
  for _ in $(seq 600); do grep -q 'running stages' "$OUT/mailstream.log" && break
    kill -0 $MS_PID 2>/dev/null || die "Mailstream exited; see $OUT/mailstream.log"; sleep 0.1; done
  grep -q 'running stages' "$OUT/mailstream.log" || die "Mailstream did not start in 60 s"
  for phase in $PHASES; do measure mailstream 2530 "$phase" "$MS_PID"; done
  kill -TERM $MS_PID; wait $MS_PID 2>/dev/null; MS_PID=""
  echo "mailstream log: $(grep -c 'stat=Sent' "$data/log/maillog" 2>/dev/null) stat=Sent, $(grep -c 'stat=Deferred' "$data/log/maillog" 2>/dev/null) stat=Deferred" >> "$OUT/about.txt"
  rm -rf "$data"; MS_DATA=""
}

run_kafka_raw() {
  local data; data=$(mktemp -d /tmp/mailstream-compare-raw.XXXXXX)
  echo "-- kafka-raw: RawProducerBench $N records of $SIZE, $CONC senders, cold then warm" >&2
  # shellcheck disable=SC2086
  java $MS_JAVA_OPTS -cp "$MS_JAR:$LT_JAR" io.mailstream.loadtest.RawProducerBench --records "$N" --size "$SIZE" \
    --senders "$CONC" --data-dir "$data" --timeseries-prefix "$OUT/kafka-raw" > "$OUT/kafka-raw.out" 2>&1
  grep '^STARTED' "$OUT/kafka-raw.out" >> "$OUT/about.txt"
  sed -n 's/^RESULT //p' "$OUT/kafka-raw.out" | while read -r line; do
    eval "$(echo "$line" | tr ' ' '\n' | grep -E '^[a-z_0-9]+=[0-9a-z.]+$')"
    # shellcheck disable=SC2154
    awk -v phase="$phase" -v rate="$rate" -v p50="$p50" -v p99="$p99" -v busy="$busy_jiffies" \
        -v self="$self_cpu_jiffies" -v rss="$peak_rss_kib" -v n="$acked" -v hz="$HZ" 'BEGIN {
      printf "RUN relay=kafka-raw phase=%s accepted_per_s=%s e2e_per_s=- source_sent=%d sink_received=0 probe_accepted=0", phase, rate, n
      printf " p50_ms=%s p99_ms=%s cpu_s_per_1000=%.2f relay_cpu_s_per_1000=%.2f peak_rss_mib=%.0f busy_jiffies=%d relay_jiffies=%d hz=%d\n",
        p50, p99, busy / hz / n * 1000, self / hz / n * 1000, rss / 1024, busy, self, hz }'
  done | tee -a "$OUT/results.txt" >&2
  for phase in cold warm; do [ -f "$OUT/kafka-raw-$phase.csv" ] && mv "$OUT/kafka-raw-$phase.csv" "$OUT/kafka-raw-$phase-probe.csv"; done
  grep -q '^RESULT' "$OUT/kafka-raw.out" || { tail -20 "$OUT/kafka-raw.out" >&2; echo "kafka-raw failed" >&2; }
  rm -rf "$data"
}

for r in $RELAYS; do
  case $r in
    postfix) run_postfix;; sendmail) run_sendmail;; mailstream) run_mailstream;; kafka-raw) run_kafka_raw;;
    *) die "unknown relay $r";;
  esac
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/about.txt"

echo
cat "$OUT/about.txt"
echo
# shellcheck disable=SC2086
java $TOOLS_JAVA_OPTS -cp "$LT_JAR" io.mailstream.loadtest.CompareReport "$OUT"
