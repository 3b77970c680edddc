package io.mailstream.ingress.session;

import io.mailstream.core.event.EnvelopeRecipient;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The trace field Mailstream adds to every message it accepts (RFC 5321 4.4):
 *
 * <pre>
 * Received: from client.example (host.example [192.0.2.1])
 *         by mx.example (Mailstream) with ESMTP id 6LM2aBc4Xy9QpR
 *         for &lt;rcpt@example.org&gt;; Sun, 22 Nov 2026 02:48:24 +0000
 * </pre>
 *
 * The FOR clause names the recipient only when there is exactly one, so that a message sent to
 * several people does not reveal the others' addresses to each of them. As sendmail does, an
 * authenticated client is marked {@code (authenticated bits=N)} without its user name, and a TLS
 * session is described after the id. Mail a local user submitted with the {@code sendmail} command
 * starts {@code Received: (from user@localhost)}, as sendmail's own local submissions do.
 */
public final class ReceivedHeader {
  // RFC 5322 3.3 date-time with a numeric zone, in English whatever the JVM's locale.
  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT);

  private ReceivedHeader() {}

  /**
   * The field, folded over several lines, CRLF terminated.
   *
   * @param helo the client's EHLO or HELO argument
   * @param peer the client's address and name
   * @param byHost this relay's name
   * @param protocol the RFC 3848 WITH keyword
   * @param queueId the message's queue id
   * @param recipients the envelope recipients
   * @param when the time of receipt
   */
  public static String build(
      String helo,
      Peer peer,
      String byHost,
      String protocol,
      String queueId,
      List<EnvelopeRecipient> recipients,
      ZonedDateTime when) {
    return build(helo, peer, byHost, protocol, queueId, recipients, when, false, null);
  }

  /**
   * The field for a client that may have authenticated or be using TLS.
   *
   * @param authenticated whether the client authenticated
   * @param tls the TLS session, or null
   */
  public static String build(
      String helo,
      Peer peer,
      String byHost,
      String protocol,
      String queueId,
      List<EnvelopeRecipient> recipients,
      ZonedDateTime when,
      boolean authenticated,
      TlsInfo tls) {
    StringBuilder h = new StringBuilder(200);
    if (peer.isLocalSubmission()) {
      // sendmail's field for mail submitted by a local user: "Received: (from root@localhost)",
      // naming the user its peer credentials gave, with no client host to name.
      h.append("Received: (from ").append(peer.relay()).append(")\r\n");
    } else {
      String name = peer.displayName() == null ? "unknown" : peer.displayName();
      h.append("Received: from ").append(Echo.atMost(helo, 255))
          .append(" (").append(name).append(' ').append(peer.addressLiteral()).append(")\r\n");
    }
    if (authenticated) {
      // sendmail's "bits" is the SASL security layer; PLAIN and LOGIN have none.
      h.append("\t(authenticated bits=0)\r\n");
    }
    h.append("\tby ").append(byHost).append(" (Mailstream) with ").append(protocol)
        .append(" id ").append(queueId);
    if (tls != null) {
      h.append("\r\n\t").append(tls.receivedComment());
    }
    if (recipients.size() == 1) {
      h.append("\r\n\tfor ").append(recipients.get(0).address().bracketed()).append("; ");
    } else {
      h.append(";\r\n\t");
    }
    h.append(DATE.format(when)).append("\r\n");
    return h.toString();
  }

  /** {@code when} as RFC 5322 3.3 writes a date-time: {@code Sat, 5 Dec 2026 05:12:00 +0000}. */
  static String date(ZonedDateTime when) {
    return DATE.format(when);
  }
}
