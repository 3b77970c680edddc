package io.mailstream.queue.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Writes the primitives of Mailstream's record encoding: unsigned varints, zig-zag free longs,
 * length-prefixed UTF-8 strings with a null marker, and lists.
 *
 * <p>Into a plain growing array, not a {@code ByteArrayOutputStream}, whose every octet is a
 * synchronized call; a record that carries a body is sized for it from the start ({@link
 * #BinaryWriter(int)}), so the body is copied once, not once per doubling.
 */
public final class BinaryWriter {
  private byte[] buffer;
  private int size;

  public BinaryWriter() {
    this(256);
  }

  /** A writer with room for {@code expected} octets before it grows. */
  public BinaryWriter(int expected) {
    buffer = new byte[Math.max(16, expected)];
  }

  public BinaryWriter writeByte(int b) {
    ensure(1);
    buffer[size++] = (byte) b;
    return this;
  }

  public BinaryWriter varint(long v) {
    if (v < 0) {
      throw new IllegalArgumentException("varints are unsigned: " + v);
    }
    ensure(10);
    while ((v & ~0x7FL) != 0) {
      buffer[size++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buffer[size++] = (byte) v;
    return this;
  }

  public BinaryWriter bool(boolean b) {
    return writeByte(b ? 1 : 0);
  }

  /** A string, or null: length + 1 as a varint (0 means null), then UTF-8 bytes. */
  public BinaryWriter string(String s) {
    if (s == null) {
      return varint(0);
    }
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    varint(b.length + 1L);
    return raw(b);
  }

  public BinaryWriter bytes(byte[] b) {
    varint(b.length);
    return raw(b);
  }

  public <T> BinaryWriter list(List<T> items, BiConsumer<BinaryWriter, T> item) {
    varint(items.size());
    for (T t : items) {
      item.accept(this, t);
    }
    return this;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buffer, size);
  }

  private BinaryWriter raw(byte[] b) {
    ensure(b.length);
    System.arraycopy(b, 0, buffer, size, b.length);
    size += b.length;
    return this;
  }

  private void ensure(int more) {
    if (buffer.length - size < more) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
    }
  }
}
