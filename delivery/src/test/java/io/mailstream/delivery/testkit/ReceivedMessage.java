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
 * @param tls the TLS protocol the message came over ({@code TLSv1.3}), or null when in the clear
 * @param authenticated the user the client authenticated as, or null
 */
public record ReceivedMessage(
    int connection, String mailCommand, String sender, List<String> recipients, byte[] data, String tls,
    String authenticated) {

  public ReceivedMessage(int connection, String mailCommand, String sender, List<String> recipients, byte[] data) {
    this(connection, mailCommand, sender, recipients, data, null, null);
  }

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

  /**
   * The first {@code Subject:} field's value (unfolded fields only: the tests' own messages), the
   * tests' name for a message; empty when there is none.
   */
  public String subject() {
    String text = new String(data, StandardCharsets.ISO_8859_1);
    int at = text.startsWith("Subject: ") ? 0 : text.indexOf("\r\nSubject: ");
    if (at < 0) {
      return "";
    }
    int from = text.indexOf("Subject: ", at) + 9;
    return text.substring(from, text.indexOf("\r\n", from));
  }
}
