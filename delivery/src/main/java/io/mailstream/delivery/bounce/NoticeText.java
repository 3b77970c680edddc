package io.mailstream.delivery.bounce;

import io.mailstream.core.event.Bounced;
import io.mailstream.core.event.ClientInfo;
import io.mailstream.core.event.MessageAccepted;
import io.mailstream.core.event.ReplyRecord;
import io.mailstream.queue.publish.BounceNotifier.Failure;
import java.util.List;

/**
 * The human-readable first part of a notice, in sendmail's words, so that a user (or a help desk)
 * who has seen sendmail's bounces recognises it:
 *
 * <pre>
 * The original message was received at Sun, 22 Nov 2026 03:00:00 +0000
 * from client.example [192.0.2.1]
 * with Mailstream queue id 6LM2t1aB9xQpR01
 *
 *    ----- The following addresses had permanent fatal errors -----
 * &lt;bob@corp.example&gt;
 *     (reason: 550 5.1.1 User unknown)
 *
 *    ----- Transcript of session follows -----
 * ... while talking to mx.corp.example. [192.0.2.25]:
 * &lt;&lt;&lt; 550 5.1.1 User unknown
 * 550 5.1.1 &lt;bob@corp.example&gt;... User unknown
 * </pre>
 */
final class NoticeText {
  private NoticeText() {}

  static String of(MessageAccepted original, List<Failure> failures) {
    StringBuilder t = new StringBuilder();
    t.append("The original message was received at ").append(Dates.rfc5322(original.acceptedAtMillis())).append("\r\n");
    t.append("from ").append(client(original.client())).append("\r\n");
    t.append("with Mailstream queue id ").append(original.queueId()).append("\r\n\r\n");
    t.append("   ----- The following addresses had permanent fatal errors -----\r\n");
    for (Failure f : failures) {
      t.append(f.recipient().address().bracketed()).append("\r\n");
      t.append("    (reason: ").append(f.outcome().reply()).append(")\r\n");
    }
    t.append("\r\n   ----- Transcript of session follows -----\r\n");
    String lastRelay = null;
    for (Failure f : failures) {
      Bounced b = f.outcome();
      if (Relays.isRemote(b.relay()) && !b.relay().equals(lastRelay)) {
        t.append("... while talking to ").append(b.relay()).append(":\r\n");
        lastRelay = b.relay();
      }
      ReplyRecord r = b.reply();
      if (Relays.isRemote(b.relay())) {
        t.append("<<< ").append(r).append("\r\n");
      }
      t.append(r.code()).append(' ').append(r.dsn()).append(' ')
          .append(f.recipient().address().bracketed()).append("... ").append(r.text()).append("\r\n");
    }
    return t.toString();
  }

  /** As sendmail names the client: {@code name [address]}, {@code [address]} or the HELO name. */
  static String client(ClientInfo c) {
    if (c == null) {
      return "localhost";
    }
    if (c.address() == null || c.address().isEmpty()) {
      return c.hostname() != null ? c.hostname() : c.helo() != null ? c.helo() : "localhost";
    }
    String name = c.hostname() != null ? c.hostname() : c.helo();
    return (name == null ? "" : name + " ") + "[" + c.address() + "]";
  }
}
