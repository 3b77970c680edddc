#!/bin/bash
# Asks real sendmail (Debian's sendmail-bin 8.17; /work/shared/peers/tools.sh or
# `apt-get install sendmail-bin sendmail-cf m4` installs it) every query of every case under this
# directory, in address-test mode (sendmail -bt -C case.cf), and writes beside each case:
#
#   transcript  sendmail's raw -bt output, the case directory's path replaced by CASE
#   expected    one line per query, "QUERY => ANSWER", what SendmailAddressTestCasesTest compares
#               Mailstream's answers with
#
# A case NN-name/ holds sendmail.mc (the lines between the shared head and MAILER(), map paths
# relative to the case: `hash mailertable'), the map files in text form, mailstream.yaml (the same
# configuration for Mailstream) and queries, one per line:
#
#   /parse ADDRESS                  ruleset 0's mailer, host and user for an envelope recipient
#   /try FLAGS MAILER ADDRESS       the address as MAILER sends it; FLAGS as /tryflags (ES HS ER HR)
#   /local USER                     a user ruleset 0 gave the local mailer, through ruleset 5
#                                   (localaddr: MAIL_HUB, FEATURE(nullclient)) as delivery does
#
# Not run by the build; run it after changing a case and commit what it wrote:
#   core/src/test/resources/sendmail-bt/ask-sendmail.sh [case-dir...]
set -eu
export LC_ALL=C
here=$(cd "$(dirname "$0")" && pwd)
cfdir=${CFDIR:-/usr/share/sendmail/cf}
command -v sendmail >/dev/null && [ -f "$cfdir/m4/cf.m4" ] || { echo "needs sendmail-bin, sendmail-cf and m4" >&2; exit 1; }
version=$(sendmail -d0.1 -bt < /dev/null 2>/dev/null | grep -m1 -o 'Version [0-9.]*')

ask() {
  local case=$1 name work q flags mailer addr answer
  name=$(basename "$case")
  # sendmail refuses maps under world-writable directories such as /tmp: work in a private one.
  work=$(mktemp -d); chmod 755 "$work"
  cp "$case"/* "$work"/
  printf 'passwd\tfiles\nhosts\tfiles\naliases\tfiles\n' > "$work/service.switch"
  : > "$work/cw"; : > "$work/aliases"
  for m in mailertable domaintable virtusertable genericstable; do
    [ -f "$work/$m" ] && makemap hash "$work/$m" < "$work/$m" 2>/dev/null
  done
  {
    cat <<HEAD
divert(0)dnl
OSTYPE(\`linux')dnl
define(\`confDOMAIN_NAME', \`mail.corp.example')dnl
define(\`confCW_FILE', \`$work/cw')dnl
define(\`confSERVICE_SWITCH_FILE', \`$work/service.switch')dnl
define(\`ALIAS_FILE', \`$work/aliases')dnl
define(\`confDONT_PROBE_INTERFACES', \`True')dnl
define(\`confDONT_BLAME_SENDMAIL', \`MapInUnsafeDirPath,ClassFileInUnsafeDirPath')dnl
FEATURE(\`nocanonify')dnl
HEAD
    sed -E "s|hash ([A-Za-z0-9_.-]+)'|hash $work/\\1'|" "$case/sendmail.mc"
    # FEATURE(nullclient) adds the mailers itself and refuses them a second time.
    if ! grep -q nullclient "$case/sendmail.mc"; then
      echo "MAILER(\`local')dnl"
      echo "MAILER(\`smtp')dnl"
    fi
  } > "$work/case.mc"
  m4 "$cfdir/m4/cf.m4" "$work/case.mc" > "$work/case.cf"
  # One sendmail per query, so that a /tryflags never carries over to the next query.
  : > "$case/transcript"; : > "$case/expected"
  echo "# $version, asked by ask-sendmail.sh" >> "$case/transcript"
  while IFS= read -r q || [ -n "$q" ]; do
    case "$q" in ''|'#'*) continue ;; esac
    if [[ $q == /parse\ * ]]; then
      input="$q"
    elif [[ $q == /local\ * ]]; then
      input="5 ${q#/local }"
    else
      read -r _ flags mailer addr <<<"$q"
      input=$(printf '/tryflags %s\n/try %s %s' "$flags" "$mailer" "$addr")
    fi
    out=$(printf '%s\n' "$input" | sendmail -bt -C "$work/case.cf" 2>&1 | sed "s|$work|CASE|g")
    { echo "\$ sendmail -bt -C case.cf <<< '${input//$'\n'/\\n}'"; echo "$out"; } >> "$case/transcript"
    if [[ $q == /local\ * ]]; then
      # "$# relay $@ hub . example $: u < @ hub . example >", or no triple: the local mailer.
      answer=$(grep -E '^localaddr +returns: ' <<<"$out" | tail -1 | sed -E 's/^localaddr +returns: //; s/ //g')
      if [[ $answer =~ ^\$#([^$]+)\$@([^$]+)\$:(.*)$ ]]; then
        answer="mailer ${BASH_REMATCH[1]}, host ${BASH_REMATCH[2]}, user $(tr -d '<>' <<<"${BASH_REMATCH[3]}")"
      else
        answer="mailer local, user ${q#/local }"
      fi
    elif [[ $q == /parse\ * ]]; then
      answer=$(grep -E '^mailer [^ ]+, ' <<<"$out" | tail -1)
      [ -n "$answer" ] || answer=$(grep -E '^(@|[0-9]{3} )' <<<"$out" | tail -1)
    else
      answer=$(grep -E '^Rcode = ' <<<"$out" | tail -1 | sed -E 's/^Rcode = [0-9]+, addr = //')
    fi
    echo "$q => $answer" >> "$case/expected"
  done < "$case/queries"
  rm -rf "$work"
  echo "$name: $(wc -l < "$case/expected") answers from sendmail $version"
}

if [ $# -eq 0 ]; then set -- "$here"/[0-9]*/; fi
for c in "$@"; do ask "$(cd "$c" && pwd)"; done
