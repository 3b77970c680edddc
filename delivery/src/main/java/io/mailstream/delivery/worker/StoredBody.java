package io.mailstream.delivery.worker;

import io.mailstream.core.event.HeaderEdit;
import io.mailstream.core.event.RecipientRouted;
import io.mailstream.delivery.BodySource;
import io.mailstream.delivery.ChunkSink;
import io.mailstream.queue.body.BodyReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A routed message's body as it leaves: read back chunk by chunk from the bodies topic, with the
 * router's header edits spliced in on the way. A small body (one that fits in one record) is read
 * whole before the attempt starts ({@link #inMemory}), a large one while it is sent, from the SMTP
 * client's streaming thread: the reader is then shared by the worker's large bodies, one at a time.
 */
final class StoredBody implements BodySource {
  private final BodyReader reader;
  private final RecipientRouted routed;

  StoredBody(BodyReader reader, RecipientRouted routed) {
    this.reader = reader;
    this.routed = routed;
  }

  @Override
  public long size() {
    long size = routed.message().body().size();
    for (HeaderEdit e : routed.headerEdits()) {
      size += e.replacement().getBytes(StandardCharsets.UTF_8).length - e.length();
    }
    return size;
  }

  @Override
  public void writeTo(ChunkSink sink) throws IOException {
    synchronized (reader) {
      HeaderSplicer splicer = new HeaderSplicer(routed.headerEdits(), sink::accept);
      reader.read(routed.queueId(), routed.message().body(), splicer);
      splicer.finish();
    }
  }

  /**
   * A body that is not in chunks, read now with {@code reader} and the edits spliced in; it is then
   * written from the SMTP client's event loop without blocking.
   */
  static BodySource inMemory(BodyReader reader, RecipientRouted routed) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.max(64, routed.message().body().size()));
    HeaderSplicer splicer = new HeaderSplicer(routed.headerEdits(), out::writeBytes);
    reader.read(routed.queueId(), routed.message().body(), splicer);
    splicer.finish();
    return BodySource.wrap(out.toByteArray());
  }
}
