package io.mailstream.delivery.bounce;

import io.mailstream.core.event.Bounced;
import io.mailstream.core.event.ClientInfo;
import io.mailstream.core.event.EnvelopeRecipient;
import io.mailstream.core.event.MessageAccepted;
import io.mailstream.queue.publish.BounceNotifier.Delayed;
import io.mailstream.queue.publish.BounceNotifier.Failure;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.eclipse.angus.mail.dsn.DeliveryStatus;

/**
 * The machine-readable part of a notice: RFC 3464's message/delivery-status, one group of
 * per-message fields and one group per failed (or, in a warning, delayed) recipient.
 */
final class StatusReport {
  private StatusReport() {}

  static DeliveryStatus of(String hostname, MessageAccepted original, List<Failure> failures) throws MessagingException {
    DeliveryStatus status = new DeliveryStatus();
    status.setMessageDSN(perMessage(hostname, original));
    for (Failure f : failures) {
      status.addRecipientDSN(recipient(f.recipient(), f.outcome()));
    }
    return status;
  }

  /**
   * A warning's report: per recipient {@code Action: delayed} (RFC 3464 2.3.3), the last reply's
   * transient status, and Will-Retry-Until (2.3.9) at the end of the queue lifetime.
   *
   * @param lastAttemptMillis when the attempt that deferred them was recorded
   */
  static DeliveryStatus delayed(String hostname, MessageAccepted original, List<Delayed> recipients,
      Duration lifetime, long lastAttemptMillis) throws MessagingException {
    DeliveryStatus status = new DeliveryStatus();
    status.setMessageDSN(perMessage(hostname, original));
    String retryUntil = Dates.rfc5322(original.acceptedAtMillis() + lifetime.toMillis());
    for (Delayed d : recipients) {
      InternetHeaders h = recipientNames(d.recipient());
      h.addHeader("Action", "delayed");
      // RFC 3464 2.3.4: a delay is a transient status, 4.X.X, whatever the reply said.
      String dsn = d.outcome().reply().dsn();
      h.addHeader("Status", dsn.startsWith("4.") ? dsn : "4.0.0");
      if (Relays.isRemote(d.outcome().relay())) {
        h.addHeader("Remote-MTA", "dns; " + Relays.host(d.outcome().relay()));
      }
      h.addHeader("Diagnostic-Code", "smtp; " + d.outcome().reply());
      h.addHeader("Last-Attempt-Date", Dates.rfc5322(lastAttemptMillis));
      h.addHeader("Will-Retry-Until", retryUntil);
      status.addRecipientDSN(h);
    }
    return status;
  }

  private static InternetHeaders perMessage(String hostname, MessageAccepted original) {
    InternetHeaders message = new InternetHeaders();
    // RFC 3464 2.2: per-message fields. The queue id is an extension field (2.4) for the admin.
    if (original.dsn() != null && original.dsn().envid() != null) {
      message.addHeader("Original-Envelope-Id", xtextDecode(original.dsn().envid()));
    }
    message.addHeader("Reporting-MTA", "dns; " + hostname);
    ClientInfo client = original.client();
    if (client != null && client.helo() != null && !client.helo().isEmpty()) {
      message.addHeader("Received-From-MTA", "dns; " + client.helo());
    }
    message.addHeader("X-Mailstream-Queue-Id", original.queueId());
    message.addHeader("Arrival-Date", Dates.rfc5322(original.acceptedAtMillis()));
    return message;
  }

  /** RFC 3464 2.3: per-recipient fields. */
  private static InternetHeaders recipient(EnvelopeRecipient r, Bounced b) {
    InternetHeaders h = recipientNames(r);
    h.addHeader("Action", "failed");
    h.addHeader("Status", b.reply().dsn());
    if (Relays.isRemote(b.relay())) {
      h.addHeader("Remote-MTA", "dns; " + Relays.host(b.relay()));
    }
    h.addHeader("Diagnostic-Code", "smtp; " + b.reply());
    h.addHeader("Last-Attempt-Date", Dates.rfc5322(b.bouncedAtMillis()));
    return h;
  }

  /** RFC 3464 2.3.1 and 2.3.2: Original-Recipient (from ORCPT) and Final-Recipient. */
  private static InternetHeaders recipientNames(EnvelopeRecipient r) {
    InternetHeaders h = new InternetHeaders();
    if (r.orcpt() != null && r.orcpt().indexOf(';') > 0) {
      int semi = r.orcpt().indexOf(';');
      h.addHeader("Original-Recipient", r.orcpt().substring(0, semi) + ";" + xtextDecode(r.orcpt().substring(semi + 1)));
    }
    String address = r.address().toString();
    // RFC 6533 3: an address that is not ASCII is of type utf-8.
    boolean ascii = StandardCharsets.US_ASCII.newEncoder().canEncode(address);
    h.addHeader("Final-Recipient", (ascii ? "rfc822; " : "utf-8; ") + address);
    return h;
  }

  /** RFC 3461 4: ENVID and ORCPT travel as xtext, where {@code +XX} stands for one octet. */
  static String xtextDecode(String xtext) {
    StringBuilder out = new StringBuilder(xtext.length());
    for (int i = 0; i < xtext.length(); i++) {
      char c = xtext.charAt(i);
      if (c == '+' && i + 2 < xtext.length() && isHex(xtext.charAt(i + 1)) && isHex(xtext.charAt(i + 2))) {
        out.append((char) Integer.parseInt(xtext.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static boolean isHex(char c) {
    return Character.digit(c, 16) >= 0;
  }
}
