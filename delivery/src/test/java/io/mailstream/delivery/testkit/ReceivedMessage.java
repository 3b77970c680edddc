package io.mailstream.delivery.testkit;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A message the {@link FakeSmartHost} accepted (answered 2xx after the final dot).
 *
 * @param connection which connection carried it, 1 for the first one accepted
 * @param mailCommand the MAIL command line as received, with its parameters
 * @param sender the reverse-path without angle brackets; empty for the null sender
 * @param recipients the recipients whose RCPT was accepted, without angle brackets, in order
 * @param data the content after dot-unstuffing, up to and including the CRLF before the final dot
 */
public record ReceivedMessage(
    int connection, String mailCommand, String sender, List<String> recipients, byte[] data) {

  public ReceivedMessage {
    recipients = List.copyOf(recipients);
    data = data.clone();
  }

  @Override
  public byte[] data() {
    return data.clone();
  }

  /** The content as UTF-8 text, for assertions on headers. */
  public String text() {
    return new String(data, StandardCharsets.UTF_8);
  }
}
