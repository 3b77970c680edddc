package io.mailstream.ingress.session;

import io.mailstream.core.smtp.Reply;

/**
 * What check_relay's verdict on a client leaves it allowed to do. sendmail without
 * FEATURE(delay_checks) greets a refused client as usual and then answers "550 to almost
 * everything" (srvrsmtp.c): HELO, EHLO, NOOP, RSET and QUIT work, unknown commands get their usual
 * reply, and every other command gets the refusal, until MAXBADCOMMANDS (25) of them end the
 * connection. Only a 421 refusal is said instead of the banner, and closes at once.
 */
final class ConnectGate {
  private static final int MAX_BAD_COMMANDS = 25;

  private final Verdict verdict;
  private int refused;

  ConnectGate(Verdict verdict) {
    this.verdict = verdict;
  }

  /** The reply that takes the banner's place and closes, or null for the banner. */
  Reply instead() {
    return verdict.refused() && verdict.reply().code() == 421 ? verdict.reply().thenClose() : null;
  }

  /** The refusal of a command with this verb, or null when the client may send it. */
  Reply refusal(Verb verb, String hostname) {
    if (!verdict.refused()) {
      return null;
    }
    switch (verb) {
      case HELO, EHLO, NOOP, RSET, QUIT, UNKNOWN, INVALID -> {
        return null;
      }
      default -> {
        return ++refused > MAX_BAD_COMMANDS ? Replies.tooManyBadCommands(hostname) : verdict.reply();
      }
    }
  }

  /** Whether the client is refused: it gets the banner, then refusals. */
  boolean refuses() {
    return verdict.refused();
  }

  /** The access entry behind the refusal or the discard. */
  String reason() {
    return verdict.reason();
  }

  /** Why every message of this session is thrown away (Connect: DISCARD), or null. */
  String discard() {
    return verdict.discards() ? verdict.reason() : null;
  }
}
