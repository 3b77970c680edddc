package io.mailstream.core.event;

import java.util.List;

/**
 * Where a message body lives: the bodies-topic partition and the offset of each chunk, in order.
 * Events carry this reference, never the body itself, so routing and retries move a few dozen
 * bytes per message whatever its size.
 *
 * @param partition the partition of the bodies topic that holds every chunk of this message
 * @param chunkOffsets the offset of each chunk, in body order
 * @param size the body size in octets, as received (dot-unstuffed, CRLF line ends)
 */
public record BodyRef(int partition, List<Long> chunkOffsets, long size) {
  public BodyRef {
    chunkOffsets = List.copyOf(chunkOffsets);
  }
}
