package io.mailstream.ops.queue;

import io.mailstream.core.event.BodyRef;
import io.mailstream.core.event.MessageAccepted;
import io.mailstream.queue.body.BodyReader;
import io.mailstream.queue.topic.ClientName;
import io.mailstream.queue.topic.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A queued message's header section for {@code mailstream show} ({@code postcat -q -h}): the
 * Received header Mailstream prepends, then the stored header up to the empty line, read back from
 * the accepted record or the first body chunk. Never the body: a listing is no way to read mail.
 */
public final class HeaderSection implements AutoCloseable {
  private final BodyReader reader;

  public HeaderSection(String bootstrap, Topics topics) {
    this.reader = new BodyReader(bootstrap, ClientName.of("queue-headers"), topics, Duration.ofSeconds(10));
  }

  /** The header section, or a one-line note when it cannot be read (retention, broker down). */
  public synchronized String of(MessageAccepted accepted, BodyRef body) {
    if (accepted == null || body == null) {
      return null;
    }
    try {
      String text = new String(reader.firstChunk(accepted.queueId(), body), StandardCharsets.UTF_8);
      int end = text.indexOf("\r\n\r\n");
      String head = end < 0 ? text : text.substring(0, end + 2);
      return (accepted.receivedHeader() == null ? "" : accepted.receivedHeader()) + head;
    } catch (IOException | RuntimeException e) {
      return "(header section unavailable: " + e.getMessage() + ")";
    }
  }

  @Override
  public synchronized void close() {
    reader.close();
  }
}
