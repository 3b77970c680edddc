#!/bin/bash
# Runs every case of masquerade.cases through sendmail's own rules (sendmail -bt, /tryflags, /try)
# and reports the cases where sendmail's answer differs from the expected column. Needs sendmail
# and its cf files (Debian: sendmail-bin, sendmail-cf, m4). Not run by the build.
#
#   core/src/test/resources/rewrite/check-with-sendmail.sh [cases-file]
set -u
export LC_ALL=C
here=$(cd "$(dirname "$0")" && pwd)
cases=${1:-$here/masquerade.cases}
cfdir=${CFDIR:-/usr/share/sendmail/cf}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# sendmail refuses maps and class files under world-writable directories such as /tmp.
chmod 755 "$work"
cp "$here"/genericstable "$here"/masquerade-domains "$here"/masquerade-exceptions "$here"/generics-domains "$work"/
makemap hash "$work/genericstable" < "$work/genericstable" 2> >(grep -v "World writable directory" >&2)

failures=0
total=0
name=""
mc=()
queries=()

header() {
  cat <<H
divert(0)dnl
OSTYPE(\`linux')dnl
define(\`confDOMAIN_NAME', \`mail.corp.example')dnl
define(\`confCW_FILE', \`$work/cw')dnl
define(\`confDONT_PROBE_INTERFACES', \`True')dnl
define(\`confDONT_BLAME_SENDMAIL', \`MapInUnsafeDirPath,ClassFileInUnsafeDirPath,WorldWritableDirPathSafe,GroupWritableDirPathSafe')dnl
FEATURE(\`nocanonify')dnl
LOCAL_DOMAIN(\`other.example [192.0.2.1]')dnl
H
}

flush() {
  local line q flags mailer addr arrow expected got
  [ -z "$name" ] && return
  {
    header
    for line in "${mc[@]}"; do
      # File arguments name files next to the cases; sendmail needs them absolute.
      line=$(sed -E "s|hash ([A-Za-z0-9_.-]+)|hash $work/\\1|; s|_FILE\\(\`([A-Za-z0-9_.-]+)'|_FILE(\`$work/\\1'|" <<<"$line")
      echo "$line"
    done
    echo "MAILER(\`local')dnl"
    echo "MAILER(\`smtp')dnl"
  } > "$work/$name.mc"
  : > "$work/cw"
  if ! m4 "$cfdir/m4/cf.m4" "$work/$name.mc" > "$work/$name.cf" 2> "$work/m4.err"; then
    echo "config $name: m4 failed: $(cat "$work/m4.err")"
    failures=$((failures + 1))
  fi
  for q in "${queries[@]}"; do
    read -r flags mailer addr arrow expected <<<"$q"
    got=$(printf '/tryflags %s\n/try %s %s\n' "$flags" "$mailer" "$addr" | sendmail -bt -C "$work/$name.cf" 2>/dev/null \
      | grep -E '^final +returns:' | tail -1 | sed -E 's/^final +returns: //; s/ //g')
    total=$((total + 1))
    if [ "$got" != "$expected" ]; then
      echo "config $name: $flags $mailer $addr: expected $expected, sendmail says $got"
      failures=$((failures + 1))
    fi
  done
  mc=()
  queries=()
}

while IFS= read -r line || [ -n "$line" ]; do
  case "$line" in
    config\ *) flush; name=${line#config }; name=${name// /_} ;;
    [A-Z]*\(*) mc+=("$line") ;;
    ES\ *|HS\ *|ER\ *|HR\ *) queries+=("$line") ;;
  esac
done < "$cases"
flush
echo "$total cases, $failures differ from sendmail $(sendmail -d0.1 -bt < /dev/null 2>/dev/null | grep -m1 -o 'Version [0-9.]*')"
[ "$failures" -eq 0 ]
