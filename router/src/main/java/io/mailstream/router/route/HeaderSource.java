package io.mailstream.router.route;

import io.mailstream.core.event.MessageAccepted;
import java.io.IOException;

/** Gives the start of a stored message, where its header section is, when rewriting needs it. */
@FunctionalInterface
public interface HeaderSource {
  /** At least the header section of the message, or more; may be shorter if the message is. */
  byte[] headBytes(MessageAccepted message) throws IOException;
}
