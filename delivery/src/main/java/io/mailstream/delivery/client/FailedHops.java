package io.mailstream.delivery.client;

import io.mailstream.core.event.ReplyRecord;
import io.mailstream.delivery.OutboundMessage;
import io.mailstream.delivery.RecipientResult;
import io.mailstream.delivery.RecipientResult.Outcome;
import io.mailstream.delivery.TransactionResult;
import java.util.ArrayList;
import java.util.List;

/**
 * The hosts of a destination that could not take a session (no address, no connection, a refused
 * greeting or EHLO), and what every recipient gets when none could.
 *
 * <p>When the failures disagree, a temporary one wins: the message is deferred, not bounced.
 * sendmail takes the last host's status, so a backup that answers {@code 554} at greeting while the
 * primary is merely unreachable would bounce mail the primary takes once it is back; Postfix skips
 * 5xx greetings for the same reason ({@code smtp_skip_5xx_greeting}). Only when every host failed
 * permanently (all names unknown, all refusing) do the recipients bounce.
 */
final class FailedHops {
  private record Failure(String relay, ReplyRecord reply) {}

  private final List<Failure> failures = new ArrayList<>();

  void add(String relay, ReplyRecord reply) {
    failures.add(new Failure(relay, reply));
  }

  boolean isEmpty() {
    return failures.isEmpty();
  }

  /** Every recipient failed with the deciding reply; the relay is the host that gave it. */
  TransactionResult result(OutboundMessage message) {
    if (failures.isEmpty()) {
      throw new IllegalStateException("no host was tried");
    }
    Failure deciding = failures.get(failures.size() - 1);
    for (Failure f : failures) {
      if (f.reply().code() < 500) {
        deciding = f;
      }
    }
    Outcome outcome = deciding.reply().code() >= 500 ? Outcome.BOUNCED : Outcome.DEFERRED;
    ReplyRecord reply = deciding.reply();
    return new TransactionResult(
        deciding.relay(),
        message.recipients().stream().map(r -> new RecipientResult(r, outcome, reply)).toList());
  }
}
