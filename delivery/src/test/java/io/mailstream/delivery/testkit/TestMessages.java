package io.mailstream.delivery.testkit;

import io.mailstream.core.address.MailAddress;
import io.mailstream.core.event.EnvelopeRecipient;
import io.mailstream.core.event.MessageAccepted.DsnRequest;
import io.mailstream.delivery.BodySource;
import io.mailstream.delivery.OutboundMessage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Builders for messages and chunkings in tests. */
public final class TestMessages {
  public static final String TRACE =
      "Received: from client.test ([127.0.0.1]) by mailstream.test with ESMTP id Q1\r\n";

  private TestMessages() {}

  /** {@code local@domain}, split at the last '@'; {@code ""} is the null sender. */
  public static MailAddress address(String text) {
    if (text.isEmpty()) {
      return MailAddress.NULL_SENDER;
    }
    int at = text.lastIndexOf('@');
    if (at < 0) {
      return new MailAddress(text, null);
    }
    return new MailAddress(text.substring(0, at), text.substring(at + 1));
  }

  public static List<EnvelopeRecipient> recipients(String... addresses) {
    return Arrays.stream(addresses).map(a -> EnvelopeRecipient.of(address(a))).toList();
  }

  /** A 7-bit message with the standard trace header and the body in one chunk. */
  public static OutboundMessage message(String sender, List<String> recipients, String body) {
    return message(sender, recipients, List.of(bytes(body)), false);
  }

  /** A message whose body arrives as the given chunks; 8BITMIME when {@code eightBit}. */
  public static OutboundMessage message(
      String sender, List<String> recipients, List<byte[]> chunks, boolean eightBit) {
    DsnRequest dsn = new DsnRequest(null, null, eightBit ? "8BITMIME" : "7BIT", false);
    return new OutboundMessage(
        "Q1",
        address(sender),
        recipients(recipients.toArray(String[]::new)),
        TRACE,
        BodySource.of(chunks),
        dsn);
  }

  public static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  public static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  /** {@code body} cut at the given offsets (ascending). */
  public static List<byte[]> split(byte[] body, int... offsets) {
    List<byte[]> chunks = new ArrayList<>();
    int from = 0;
    for (int o : offsets) {
      chunks.add(Arrays.copyOfRange(body, from, o));
      from = o;
    }
    chunks.add(Arrays.copyOfRange(body, from, body.length));
    return chunks;
  }

  /** {@code body} in chunks of {@code size} octets. */
  public static List<byte[]> every(byte[] body, int size) {
    List<byte[]> chunks = new ArrayList<>();
    for (int i = 0; i < body.length; i += size) {
      chunks.add(Arrays.copyOfRange(body, i, Math.min(body.length, i + size)));
    }
    return chunks;
  }

  /** {@code body} cut between every CR and LF and right before every dot. */
  public static List<byte[]> awkward(byte[] body) {
    List<Integer> cuts = new ArrayList<>();
    for (int i = 1; i < body.length; i++) {
      if ((body[i - 1] == '\r' && body[i] == '\n') || body[i] == '.') {
        cuts.add(i);
      }
    }
    return split(body, cuts.stream().mapToInt(Integer::intValue).toArray());
  }
}
