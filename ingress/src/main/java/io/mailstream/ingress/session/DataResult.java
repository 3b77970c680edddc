package io.mailstream.ingress.session;

import io.mailstream.core.smtp.Reply;
import io.mailstream.ingress.publish.Submission;

/** What the session decides at the end of DATA: refuse the message, or commit it to the queue. */
public sealed interface DataResult {

  /** The message is refused with {@code reply}; the body written so far must be abandoned. */
  record Rejected(Reply reply) implements DataResult {}

  /** The message may be committed; the session waits for {@code committed} or {@code notCommitted}. */
  record Ready(Submission submission) implements DataResult {}
}
