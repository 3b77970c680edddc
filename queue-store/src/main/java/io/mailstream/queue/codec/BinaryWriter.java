package io.mailstream.queue.codec;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Writes the primitives of Mailstream's record encoding: unsigned varints, zig-zag free longs,
 * length-prefixed UTF-8 strings with a null marker, and lists.
 */
public final class BinaryWriter {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

  public BinaryWriter writeByte(int b) {
    out.write(b);
    return this;
  }

  public BinaryWriter varint(long v) {
    if (v < 0) {
      throw new IllegalArgumentException("varints are unsigned: " + v);
    }
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
    return this;
  }

  public BinaryWriter bool(boolean b) {
    out.write(b ? 1 : 0);
    return this;
  }

  /** A string, or null: length + 1 as a varint (0 means null), then UTF-8 bytes. */
  public BinaryWriter string(String s) {
    if (s == null) {
      return varint(0);
    }
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    varint(b.length + 1L);
    out.write(b, 0, b.length);
    return this;
  }

  public BinaryWriter bytes(byte[] b) {
    varint(b.length);
    out.write(b, 0, b.length);
    return this;
  }

  public <T> BinaryWriter list(List<T> items, BiConsumer<BinaryWriter, T> item) {
    varint(items.size());
    for (T t : items) {
      item.accept(this, t);
    }
    return this;
  }

  public byte[] toByteArray() {
    return out.toByteArray();
  }
}
