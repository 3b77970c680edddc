#!/bin/bash
# Cost along one axis at a time, Postfix and Mailstream side by side: compare.sh per case.
#
# Usage: load-tests/matrix.sh [CASE...]      (default: every case below, in this order)
#
#   base      3000 x 4 KiB, 20 connections, 1 recipient (compare.sh's default scenario)
#   1k        3000 x 1 KiB
#   100k      1000 x 100 KiB         Postfix: message_size_limit = 0
#   10m       60 x 10 MiB            Postfix: message_size_limit = 0; Mailstream: 64M limit
#   conn1     1000 x 4 KiB over 1 connection
#   conn200   3000 x 4 KiB over 200 connections; per-client limits raised on both (Postfix:
#             smtpd_client_connection_count_limit = 0, 400 processes; Mailstream: 1000 per IP)
#   rcpt100   1000 x 4 KiB to 100 recipients each (smtp-source -r 100); Postfix sends all 100 in
#             one transaction as Mailstream does (default_destination_recipient_limit = 100), so
#             the sink counts one message per message on both
#
# Each case writes compare.sh's results under RESULTS/<case> (default
# load-tests/results/matrix-<UTC time>) and the matrix prints one line per case and run: rates, the
# ratio to Postfix, CPU per 1,000 messages and peak RSS. Env: RELAYS ("postfix mailstream"), BUILD=0,
# and compare.sh's (PHASES="cold warm hot" adds a third run per relay).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${RESULTS:-$HERE/results/matrix-$(date -u +%Y%m%dT%H%M%SZ)}
export RELAYS=${RELAYS:-"postfix mailstream"}
CASES=${*:-"base 1k 100k 10m conn1 conn200 rcpt100"}
mkdir -p "$OUT"
if [ "${BUILD:-1}" = 1 ]; then
  (cd "$HERE/.." && ./mvnw -o -B -q package -DskipTests -pl ops,load-tests -am) >&2 || exit 1
fi
ms_config() { # $1 case, then yaml lines
  local f="$OUT/$1.yaml"; shift; printf '%s\n' "$@" > "$f"; echo "$f"; }

run_case() {
  local c=$1 args env=()
  case $c in
    base)    args="3000 4096 20" ;;
    1k)      args="3000 1024 20" ;;
    100k)    args="1000 102400 20"; env+=(PF_MAIN_EXTRA="message_size_limit = 0") ;;
    10m)     args="60 10485760 20"; env+=(PF_MAIN_EXTRA="message_size_limit = 0" TIMEOUT=900
               MS_CONFIG="$(ms_config "$c" "limits:" "  max-message-size: 64M")") ;;
    conn1)   args="1000 4096 1" ;;
    conn200) args="3000 4096 200"
             env+=(PF_MAIN_EXTRA="$(printf 'smtpd_client_connection_count_limit = 0\ndefault_process_limit = 400')"
               MS_CONFIG="$(ms_config "$c" "smtp:" "  max-connections: 2000" "  max-connections-per-ip: 1000")") ;;
    rcpt100) args="1000 4096 20"; env+=(SOURCE_OPTS="-r 100" PF_MAIN_EXTRA="default_destination_recipient_limit = 100") ;;
    *) echo "matrix.sh: unknown case $c" >&2; return 1 ;;
  esac
  echo "== $c: compare.sh $args ${env[*]}" >&2
  # shellcheck disable=SC2086
  env "${env[@]}" RESULTS="$OUT/$c" BUILD=0 "$HERE/compare.sh" $args > "$OUT/$c.table" 2> "$OUT/$c.err"
  sed -n 's/^RUN //p' "$OUT/$c/results.txt" | awk -v c="$c" '{
      for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
      if (v["relay"] == "postfix") pf[v["phase"]] = v["e2e_per_s"]
      printf "%-8s %-10s %-5s accepted/s=%-7s e2e/s=%-7s x_postfix=%-5s cpu_s_per_1000_relay=%-6s peak_rss_mib=%s\n",
        c, v["relay"], v["phase"], v["accepted_per_s"], v["e2e_per_s"],
        (pf[v["phase"]] > 0 ? sprintf("%.2f", v["e2e_per_s"] / pf[v["phase"]]) : "-"),
        v["relay_cpu_s_per_1000"], v["peak_rss_mib"] }'
}

for c in $CASES; do run_case "$c"; done | tee "$OUT/matrix.txt"
