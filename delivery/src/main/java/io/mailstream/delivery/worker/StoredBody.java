package io.mailstream.delivery.worker;

import io.mailstream.core.event.HeaderEdit;
import io.mailstream.core.event.RecipientRouted;
import io.mailstream.delivery.BodySource;
import io.mailstream.delivery.ChunkSink;
import io.mailstream.queue.body.BodyReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A routed message's body as it leaves: read back chunk by chunk from the bodies topic, with the
 * router's header edits spliced in on the way.
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
    HeaderSplicer splicer = new HeaderSplicer(routed.headerEdits(), sink::accept);
    reader.read(routed.queueId(), routed.message().body(), splicer);
    splicer.finish();
  }
}
