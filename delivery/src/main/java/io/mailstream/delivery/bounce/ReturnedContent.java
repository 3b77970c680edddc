package io.mailstream.delivery.bounce;

import io.mailstream.core.event.MessageAccepted;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * What a notice gives back of the original message (RFC 3461 4.3, RET): the whole message, or its
 * header section only. Built from the message as Mailstream stored it, with the Received header it
 * added on top, as sendmail returns it.
 *
 * @param octets the returned octets (CRLF line ends)
 * @param headersOnly whether {@code octets} is the header section alone
 */
record ReturnedContent(byte[] octets, boolean headersOnly) {

  /**
   * Messages larger than this come back as headers only, whatever RET asked: 1 MiB, in the spirit
   * of sendmail's MaxMessageSize for bounces (a bounce should not carry a large attachment back,
   * and the notice itself must stay far under any sane SIZE limit of the sender's server).
   */
  static final long MAX_FULL_RETURN = 1024 * 1024;

  /** Whether the full message may be returned for {@code message}: RET=HDRS and size say no. */
  static boolean wantsFull(MessageAccepted message) {
    return wantsFull(message, true);
  }

  /**
   * The same, where the administrator may have ruled out returning bodies at all (sendmail's
   * privacy flag nobodyreturn: "don't return the body of a message with DSNs").
   */
  static boolean wantsFull(MessageAccepted message, boolean bodiesReturned) {
    if (!bodiesReturned) {
      return false;
    }
    String ret = message.dsn() == null ? null : message.dsn().ret();
    boolean hdrs = ret != null && ret.toUpperCase(Locale.ROOT).equals("HDRS");
    return !hdrs && message.body().size() <= MAX_FULL_RETURN;
  }

  /**
   * The content to return from {@code stored} (the stored body or, when only headers are wanted, at
   * least its start), with the message's Received header in front.
   */
  static ReturnedContent of(MessageAccepted message, byte[] stored, boolean full) {
    byte[] received = message.receivedHeader() == null
        ? new byte[0] : message.receivedHeader().getBytes(StandardCharsets.UTF_8);
    byte[] part = full ? stored : Arrays.copyOf(stored, headerEnd(stored));
    byte[] all = new byte[received.length + part.length];
    System.arraycopy(received, 0, all, 0, received.length);
    System.arraycopy(part, 0, all, received.length, part.length);
    return new ReturnedContent(all, !full);
  }

  /**
   * Where the header section ends: just after the CRLF that ends its last field (the empty line is
   * not included), or the whole input when it holds no empty line.
   */
  static int headerEnd(byte[] m) {
    if (m.length >= 2 && m[0] == '\r' && m[1] == '\n') {
      return 0;
    }
    for (int i = 0; i + 3 < m.length; i++) {
      if (m[i] == '\r' && m[i + 1] == '\n' && m[i + 2] == '\r' && m[i + 3] == '\n') {
        return i + 2;
      }
    }
    return m.length;
  }
}
