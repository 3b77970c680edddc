#!/usr/bin/env bash
# Exec-to-exit time of the sendmail command for one 1 KiB message, as cron or a script runs it:
# ./sendmail against a running Mailstream node, and Debian's /usr/sbin/sendmail when installed.
# Usage: load-tests/sendmail-startup.sh DATA_DIR [N]   (DATA_DIR of a running node; N runs, 30)
# Prints the median, the 90th percentile and the fastest run of each, in milliseconds.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="${1:?usage: $0 DATA_DIR [N]}"
n="${2:-30}"
msg="$(mktemp)"
subject="startup probe $$"
trap 'rm -f "$msg"' EXIT
{
  printf 'Subject: %s\n\n' "$subject"
  for _ in $(seq 1 16); do printf '%063d\n' 0; done
} > "$msg"   # 1 KiB with the header

measure() { # NAME COMMAND...
  local name="$1"; shift
  local times=()
  "$@" < "$msg" >/dev/null 2>&1 || true # a first run: builds, page cache
  for _ in $(seq 1 "$n"); do
    local t0 t1
    t0=$(date +%s%N)
    "$@" < "$msg" >/dev/null 2>&1 || { echo "$name: failed: $*" >&2; return 1; }
    t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v name="$name" -v n="$n" '
    { t[NR] = $1 }
    END { printf "%-28s median %4d ms  p90 %4d ms  min %4d ms  (%d runs)\n", name, t[int((n + 1) / 2)], t[int(n * 0.9)], t[1], n }'
}

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
# The floor: a JVM that does nothing, with the command's flags.
measure "java -version (JVM floor)" java -Xshare:auto -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -version
MAILSTREAM_DATA_DIR="$data" measure "mailstream ./sendmail" "$here/sendmail" -oi bench@elsewhere.test
if [ -x /usr/sbin/sendmail ] && ! [ /usr/sbin/sendmail -ef "$here/sendmail" ]; then
  # Debian's sendmail as programs call it: the MSP (submit.cf) hands the message to the local MTA,
  # or queues it in /var/spool/mqueue-client when there is none.
  measure "debian /usr/sbin/sendmail" /usr/sbin/sendmail -oi root
  # With no sendmail daemon running its MSP queues them: take this run's probes out again.
  if [ -w /var/spool/mqueue-client ]; then
    grep -l "^H??Subject: $subject\$" /var/spool/mqueue-client/qf* 2>/dev/null | while read -r qf; do
      rm -f "$qf" "/var/spool/mqueue-client/df${qf##*/qf}"
    done
  fi
fi
