package io.mailstream.delivery;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The stored message (headers and body as received, CRLF line ends, not dot-stuffed), streamed
 * chunk by chunk so that a large message never has to be held in memory. In production the chunks
 * come from the bodies topic; tests use {@link #of(List)}.
 *
 * <p>A mailer reads the source at most once per delivery.
 */
public interface BodySource {

  /** The size in octets, for the SIZE parameter of MAIL (RFC 1870); -1 when unknown. */
  long size();

  /** Pushes every chunk, in order, into {@code sink}. */
  void writeTo(ChunkSink sink) throws IOException;

  /**
   * True when the whole body is in memory, so that {@link #writeTo} never blocks: the SMTP client
   * then writes it from its event loop. A body that is read while it is sent (a large one from the
   * bodies topic) is streamed from a thread of its own, with back-pressure.
   */
  default boolean inMemory() {
    return false;
  }

  /** A body held in memory as the given chunks (copied). */
  static BodySource of(List<byte[]> chunks) {
    List<byte[]> copies = new ArrayList<>(chunks.size());
    long total = 0;
    for (byte[] c : chunks) {
      copies.add(c.clone());
      total += c.length;
    }
    long size = total;
    return new BodySource() {
      @Override
      public long size() {
        return size;
      }

      @Override
      public void writeTo(ChunkSink sink) throws IOException {
        for (byte[] c : copies) {
          sink.accept(c);
        }
      }

      @Override
      public boolean inMemory() {
        return true;
      }
    };
  }

  /** A body held in memory as one chunk. */
  static BodySource of(byte[] body) {
    return of(List.of(body));
  }

  /** A body held in memory as one chunk, not copied: the caller must not change it. */
  static BodySource wrap(byte[] body) {
    return new BodySource() {
      @Override
      public long size() {
        return body.length;
      }

      @Override
      public void writeTo(ChunkSink sink) throws IOException {
        sink.accept(body);
      }

      @Override
      public boolean inMemory() {
        return true;
      }
    };
  }
}
