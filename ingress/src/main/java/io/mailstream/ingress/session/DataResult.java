package io.mailstream.ingress.session;

import io.mailstream.core.address.MailAddress;
import io.mailstream.core.smtp.Reply;
import io.mailstream.ingress.publish.Submission;

/**
 * What the session decides at the end of DATA: refuse the message, commit it to the queue, or
 * accept it and drop it.
 */
public sealed interface DataResult {

  /** The message is refused with {@code reply}; the body written so far must be abandoned. */
  record Rejected(Reply reply) implements DataResult {}

  /** The message may be committed; the session waits for {@code committed} or {@code notCommitted}. */
  record Ready(Submission submission) implements DataResult {}

  /**
   * The client is told {@code reply} (250) but the message goes nowhere: sendmail's {@code
   * $#discard} from the access database.
   *
   * @param reason the entry that said DISCARD, for the mail log
   */
  record Discarded(Reply reply, String queueId, MailAddress sender, int recipients, String reason)
      implements DataResult {}
}
