package io.mailstream.delivery.worker;

import io.mailstream.core.event.HeaderEdit;
import io.mailstream.queue.body.BodyReader.ChunkSink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Applies the router's {@link HeaderEdit}s to a body while it streams past, chunk by chunk, so that
 * a rewritten header address costs a few bytes of work and never a copy of the body. Edits may
 * straddle chunk borders. Positions are offsets into the stored body.
 */
final class HeaderSplicer implements ChunkSink {
  private final ChunkSink out;
  private final List<HeaderEdit> edits;
  private int next;
  private long position;

  HeaderSplicer(List<HeaderEdit> edits, ChunkSink out) {
    List<HeaderEdit> sorted = new ArrayList<>(edits);
    sorted.sort(Comparator.comparingLong(HeaderEdit::offset));
    for (int i = 1; i < sorted.size(); i++) {
      HeaderEdit prev = sorted.get(i - 1);
      if (prev.offset() + prev.length() > sorted.get(i).offset()) {
        throw new IllegalArgumentException("overlapping header edits at offset " + sorted.get(i).offset());
      }
    }
    this.edits = sorted;
    this.out = out;
  }

  @Override
  public void accept(byte[] data) throws IOException {
    if (next >= edits.size()) {
      out.accept(data);
      position += data.length;
      return;
    }
    ByteArrayOutputStream spliced = new ByteArrayOutputStream(data.length + 64);
    long chunkEnd = position + data.length;
    int i = 0;
    while (i < data.length) {
      long at = position + i;
      HeaderEdit e = next < edits.size() ? edits.get(next) : null;
      if (e == null || e.offset() >= chunkEnd) {
        spliced.write(data, i, data.length - i);
        break;
      }
      if (at < e.offset()) {
        int n = (int) (e.offset() - at);
        spliced.write(data, i, n);
        i += n;
        continue;
      }
      // Inside the edited range: the replacement is written once, at its first octet.
      if (at == e.offset()) {
        spliced.writeBytes(e.replacement().getBytes(StandardCharsets.UTF_8));
      }
      long editEnd = e.offset() + e.length();
      int skip = (int) Math.min(editEnd - at, data.length - i);
      i += skip;
      if (position + i >= editEnd) {
        next++;
      }
    }
    position = chunkEnd;
    out.accept(spliced.toByteArray());
  }

  /** Flushes a pure insertion placed at the very end of the body. */
  void finish() throws IOException {
    while (next < edits.size()) {
      HeaderEdit e = edits.get(next++);
      if (e.offset() == position && e.length() == 0) {
        out.accept(e.replacement().getBytes(StandardCharsets.UTF_8));
      } else {
        throw new IOException("header edit at " + e.offset() + " lies beyond the body (" + position + " octets)");
      }
    }
  }
}
