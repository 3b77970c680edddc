package io.mailstream.queue.codec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Reads what {@link BinaryWriter} wrote; every read checks bounds and fails as a CodecException. */
public final class BinaryReader {
  // No list in an event is legitimately longer; a larger count is a corrupt record.
  private static final int MAX_LIST = 1_000_000;

  private final byte[] buf;
  private int pos;

  public BinaryReader(byte[] buf, int pos) {
    this.buf = buf;
    this.pos = pos;
  }

  public int readByte() {
    need(1);
    return buf[pos++] & 0xFF;
  }

  /**
   * An unsigned varint as {@link BinaryWriter#varint} writes it: at most 63 bits, so never negative.
   * A tenth octet with bits set would make the value negative or drop bits; such a value passed
   * through varintInt as a negative list length or size, and a record holding one could not be
   * written again (a fuzzer finding).
   */
  public long varint() {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = readByte();
      if (shift == 63 && (b & 0x7F) != 0) {
        throw new CodecException("varint beyond 63 bits at offset " + (pos - 1));
      }
      v |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return v;
      }
    }
    throw new CodecException("varint longer than 64 bits at offset " + pos);
  }

  public int varintInt() {
    long v = varint();
    if (v > Integer.MAX_VALUE) {
      throw new CodecException("value too large for an int: " + v);
    }
    return (int) v;
  }

  public boolean bool() {
    int b = readByte();
    if (b > 1) {
      throw new CodecException("not a boolean: " + b);
    }
    return b == 1;
  }

  public String string() {
    int n = varintInt();
    if (n == 0) {
      return null;
    }
    need(n - 1);
    String s = new String(buf, pos, n - 1, StandardCharsets.UTF_8);
    pos += n - 1;
    return s;
  }

  public byte[] bytes() {
    int n = varintInt();
    need(n);
    byte[] b = new byte[n];
    System.arraycopy(buf, pos, b, 0, n);
    pos += n;
    return b;
  }

  public <T> List<T> list(Function<BinaryReader, T> item) {
    int n = varintInt();
    if (n > MAX_LIST) {
      throw new CodecException("list of " + n + " items is not plausible");
    }
    List<T> out = new ArrayList<>(Math.min(n, 64));
    for (int i = 0; i < n; i++) {
      out.add(item.apply(this));
    }
    return out;
  }

  public void expectEnd() {
    if (pos != buf.length) {
      throw new CodecException((buf.length - pos) + " unexpected trailing bytes");
    }
  }

  // Compared as what is left rather than as pos + n, which overflows for a length prefix near
  // Integer.MAX_VALUE and let such a string through to String's constructor (a fuzzer finding).
  private void need(int n) {
    if (n < 0 || n > buf.length - pos) {
      throw new CodecException("record truncated at offset " + pos);
    }
  }
}
