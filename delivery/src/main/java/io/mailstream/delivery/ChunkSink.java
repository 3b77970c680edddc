package io.mailstream.delivery;

import java.io.IOException;

/**
 * Where a {@link BodySource} pushes the message, one chunk at a time. A chunk may end anywhere,
 * even between the CR and the LF of a line end or right before a dot; sinks keep their own state
 * across chunks.
 */
@FunctionalInterface
public interface ChunkSink {

  /** Takes {@code length} octets of {@code chunk} from {@code offset}; the array is not kept. */
  void accept(byte[] chunk, int offset, int length) throws IOException;

  default void accept(byte[] chunk) throws IOException {
    accept(chunk, 0, chunk.length);
  }
}
