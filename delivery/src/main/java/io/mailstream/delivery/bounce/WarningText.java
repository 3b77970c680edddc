package io.mailstream.delivery.bounce;

import io.mailstream.core.event.Deferred;
import io.mailstream.core.event.MessageAccepted;
import io.mailstream.core.event.ReplyRecord;
import io.mailstream.queue.publish.BounceNotifier.Delay;
import io.mailstream.queue.publish.BounceNotifier.Delayed;

/**
 * The human-readable first part of a delay warning, in sendmail's words (its errbody() for a
 * Timeout.queuewarn notice), so that nobody resends a message that is still on its way:
 *
 * <pre>
 *     **********************************************
 *     **      THIS IS A WARNING MESSAGE ONLY      **
 *     **  YOU DO NOT NEED TO RESEND YOUR MESSAGE  **
 *     **********************************************
 *
 * The original message was received at Sun, 22 Nov 2026 03:00:00 +0000
 * from client.example [192.0.2.1]
 * with Mailstream queue id 6LM2t1aB9xQpR01
 *
 *    ----- The following addresses had transient non-fatal errors -----
 * &lt;bob@corp.example&gt;
 *     (reason: 451 4.3.0 Try again later)
 *
 *    ----- Transcript of session follows -----
 * ... while talking to mx.corp.example. [192.0.2.25]:
 * &lt;&lt;&lt; 451 4.3.0 Try again later
 * &lt;bob@corp.example&gt;... Deferred: 451 4.3.0 Try again later
 * Warning: message still undelivered after 4 hours
 * Will keep trying until message is 5 days old
 * </pre>
 */
final class WarningText {
  static final String BANNER = "    **********************************************\r\n"
      + "    **      THIS IS A WARNING MESSAGE ONLY      **\r\n"
      + "    **  YOU DO NOT NEED TO RESEND YOUR MESSAGE  **\r\n"
      + "    **********************************************\r\n";

  private WarningText() {}

  static String of(MessageAccepted original, Delay delay) {
    StringBuilder t = new StringBuilder(BANNER).append("\r\n");
    t.append("The original message was received at ").append(Dates.rfc5322(original.acceptedAtMillis())).append("\r\n");
    t.append("from ").append(NoticeText.client(original.client())).append("\r\n");
    t.append("with Mailstream queue id ").append(original.queueId()).append("\r\n\r\n");
    t.append("   ----- The following addresses had transient non-fatal errors -----\r\n");
    for (Delayed d : delay.recipients()) {
      t.append(d.recipient().address().bracketed()).append("\r\n");
      t.append("    (reason: ").append(d.outcome().reply()).append(")\r\n");
    }
    t.append("\r\n   ----- Transcript of session follows -----\r\n");
    String lastRelay = null;
    for (Delayed d : delay.recipients()) {
      Deferred deferred = d.outcome();
      ReplyRecord r = deferred.reply();
      if (Relays.isRemote(deferred.relay())) {
        if (!deferred.relay().equals(lastRelay)) {
          t.append("... while talking to ").append(deferred.relay()).append(":\r\n");
          lastRelay = deferred.relay();
        }
        t.append("<<< ").append(r).append("\r\n");
      }
      t.append(d.recipient().address().bracketed()).append("... Deferred: ").append(r).append("\r\n");
    }
    t.append("Warning: message still undelivered after ").append(Intervals.words(delay.warnAfter())).append("\r\n");
    t.append("Will keep trying until message is ").append(Intervals.words(delay.lifetime())).append(" old\r\n");
    return t.toString();
  }
}
