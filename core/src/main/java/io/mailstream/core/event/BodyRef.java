package io.mailstream.core.event;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Where a message body lives. A body of one chunk or less travels inside its {@link
 * MessageAccepted} record ({@link Store#INLINE}): accepting it is one durable append, and the router
 * reads its header without a second fetch. Every later event points at that record instead
 * ({@link Store#ACCEPTED}), so routing and retries move a few dozen bytes per message. A larger body
 * is stored first as chunks on the bodies topic ({@link Store#CHUNKS}), read back one chunk at a time.
 *
 * @param store where the octets are
 * @param partition the partition that holds them: of the bodies topic for chunks, of the accepted
 *     topic for a body inside an accepted record; -1 while inline
 * @param chunkOffsets the offset of each chunk in body order, or the one offset of the accepted
 *     record; empty while inline
 * @param size the body size in octets, as received (dot-unstuffed, CRLF line ends)
 * @param inline the body itself while it travels inside its accepted record, else null
 */
public record BodyRef(Store store, int partition, List<Long> chunkOffsets, long size, byte[] inline) {
  /** Where a body's octets are. */
  public enum Store {
    /** Chunks on the bodies topic. */
    CHUNKS,
    /** In this very record (an accepted event as the ingress or a bounce writes it). */
    INLINE,
    /** Inside the accepted record at {@code partition}/{@code chunkOffsets[0]} of the accepted topic. */
    ACCEPTED
  }

  public BodyRef {
    Objects.requireNonNull(store, "store");
    chunkOffsets = List.copyOf(chunkOffsets);
    if ((store == Store.INLINE) != (inline != null)) {
      throw new IllegalArgumentException("inline octets go with Store.INLINE only");
    }
    if (store == Store.ACCEPTED && chunkOffsets.size() != 1) {
      throw new IllegalArgumentException("a body in an accepted record has one offset");
    }
  }

  /** A body stored as chunks on the bodies topic. */
  public BodyRef(int partition, List<Long> chunkOffsets, long size) {
    this(Store.CHUNKS, partition, chunkOffsets, size, null);
  }

  /** A body that travels inside its accepted record. */
  public static BodyRef inline(byte[] body) {
    return new BodyRef(Store.INLINE, -1, List.of(), body.length, body);
  }

  /**
   * This reference once its accepted record is stored at {@code partition}/{@code offset} of the
   * accepted topic: an inline body is then referred to, not copied; other references stay.
   */
  public BodyRef storedAt(int partition, long offset) {
    return store == Store.INLINE ? new BodyRef(Store.ACCEPTED, partition, List.of(offset), size, null) : this;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BodyRef b
        && store == b.store
        && partition == b.partition
        && size == b.size
        && chunkOffsets.equals(b.chunkOffsets)
        && Arrays.equals(inline, b.inline);
  }

  @Override
  public int hashCode() {
    return Objects.hash(store, partition, chunkOffsets, size) * 31 + Arrays.hashCode(inline);
  }

  @Override
  public String toString() {
    return "BodyRef[" + store + ", partition=" + partition + ", offsets=" + chunkOffsets + ", size=" + size + "]";
  }
}
