package io.mailstream.delivery;

import io.mailstream.core.address.MailAddress;
import io.mailstream.delivery.RecipientResult.Outcome;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The result of one delivery attempt of one message to one destination.
 *
 * @param relay the host that answered as sendmail logs it after {@code relay=}: {@code
 *     smtp.example. [192.0.2.1]}, {@code [192.0.2.1] [192.0.2.1]} for an address literal, the bare
 *     host name when no connection was made, {@code local} for the local mailer
 * @param recipients one result per recipient, in the order of the message's recipients
 */
public record TransactionResult(String relay, List<RecipientResult> recipients) {

  public TransactionResult {
    recipients = List.copyOf(recipients);
  }

  /** The result for {@code address}; the first one when the address occurs twice. */
  public RecipientResult of(MailAddress address) {
    return recipients.stream()
        .filter(r -> r.recipient().address().equals(address))
        .findFirst()
        .orElseThrow(() -> new NoSuchElementException("no result for " + address.bracketed()));
  }

  /** The results with the given outcome, in recipient order. */
  public List<RecipientResult> with(Outcome outcome) {
    return recipients.stream().filter(r -> r.outcome() == outcome).toList();
  }

  /** True when every recipient has {@code outcome}. */
  public boolean all(Outcome outcome) {
    return recipients.stream().allMatch(r -> r.outcome() == outcome);
  }
}
