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
