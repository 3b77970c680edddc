package io.mailstream.ingress.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/** What the framing handlers pass up the pipeline, besides plain body {@link ByteBuf}s. */
final class Inbound {
  private Inbound() {}

  /** One command line, without its line ending. */
  record Line(String text) {}

  /** A command line longer than the limit was read and discarded up to its end. */
  static final Object LINE_TOO_LONG = new Marker("LINE_TOO_LONG");

  /** A command line ended with a bare LF (no CR before it); it was read and dropped. */
  static final Object BARE_LF = new Marker("BARE_LF");

  /** A command line that is not valid UTF-8 was read and dropped. */
  static final Object NOT_UTF8 = new Marker("NOT_UTF8");

  /** The last octet of a BDAT chunk was read (RFC 3030 2). */
  static final Object END_OF_CHUNK = new Marker("END_OF_CHUNK");

  /** The {@code <CRLF>.<CRLF>} that ends DATA was read. */
  static final Object END_OF_DATA = new Marker("END_OF_DATA");

  /** Raw octets of DATA, not yet dot-unstuffed; they never extend past a CRLF. */
  static final class Raw extends DefaultByteBufHolder {
    Raw(ByteBuf data) {
      super(data);
    }
  }

  private record Marker(String name) {}
}
