package io.mailstream.queue.codec;

import java.util.Objects;

/**
 * One piece of a message body on the bodies topic, at most {@link #MAX_SIZE} octets. Chunks of one
 * message share its queue id as key, so they land on one partition in order.
 *
 * @param queueId the message
 * @param seq the chunk's position, from 0
 * @param data the body octets
 */
public record BodyChunk(String queueId, int seq, byte[] data) {
  /** 512 KiB: far under the producer's default max.request.size (1 MiB) with room for headers. */
  public static final int MAX_SIZE = 512 * 1024;

  static final int TYPE = 16;
  // Chunks did not change in event schema version 2; they keep their own version 1.
  private static final int VERSION = 1;

  public BodyChunk {
    Objects.requireNonNull(queueId, "queueId");
    Objects.requireNonNull(data, "data");
    if (seq < 0) {
      throw new IllegalArgumentException("negative chunk position " + seq);
    }
    if (data.length > MAX_SIZE) {
      throw new IllegalArgumentException("chunk of " + data.length + " octets exceeds " + MAX_SIZE);
    }
  }

  public byte[] encode() {
    return new BinaryWriter(64 + queueId.length() * 3 + data.length)
        .writeByte(VERSION)
        .writeByte(TYPE)
        .string(queueId)
        .varint(seq)
        .bytes(data)
        .toByteArray();
  }

  /** @throws CodecException when the bytes are not a version-1 body chunk */
  public static BodyChunk decode(byte[] bytes) {
    if (bytes == null || bytes.length < 2 || (bytes[0] & 0xFF) != 1 || (bytes[1] & 0xFF) != TYPE) {
      throw new CodecException("not a version 1 body chunk record");
    }
    BinaryReader r = new BinaryReader(bytes, 2);
    BodyChunk chunk = CodecException.ifDamaged(() -> new BodyChunk(r.string(), r.varintInt(), r.bytes()));
    r.expectEnd();
    return chunk;
  }
}
