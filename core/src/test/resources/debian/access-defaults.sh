#!/bin/bash
# Asks Debian's sendmail (sendmail-bin 8.17, /etc/mail/sendmail.cf and access.db as the package
# installs them) how it reads the tag-only entries of /etc/mail/access, and writes the raw -bt
# transcript to access-defaults.bt beside this script. Not run by the build.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
{
  echo "# $(sendmail -d0.1 -bt < /dev/null 2>/dev/null | grep -m1 -o 'Version [0-9.]*'), /etc/mail/sendmail.cf"
  printf '%s\n' \
    '/map access GreetPause:' \
    'D <foo.example> <?> <! GreetPause> <>' \
    'A <10.1.2.3> <?> <! GreetPause> <>' \
    'A <127.0.0.1> <?> <! GreetPause> <>' \
    '.D{client_addr}10.1.2.3' \
    '.D{client_rate}50' \
    'RateControl x' \
    'ConnControl x' \
    '.D{client_addr}127.0.0.1' \
    'RateControl x' \
    'ConnControl x' \
    | sendmail -bt -C /etc/mail/sendmail.cf 2>&1
} > "$here/access-defaults.bt"
