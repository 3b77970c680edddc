package io.mailstream.delivery.bounce;

import io.mailstream.core.address.MailAddress;
import io.mailstream.core.envelope.MailLog;
import io.mailstream.core.envelope.QueueId;
import io.mailstream.core.event.BodyRef;
import io.mailstream.core.event.ClientInfo;
import io.mailstream.core.event.EnvelopeRecipient;
import io.mailstream.core.event.MessageAccepted;
import io.mailstream.queue.body.BodyReader;
import io.mailstream.queue.publish.BounceNotifier;
import io.mailstream.queue.publish.BounceNotifier.Delay;
import io.mailstream.queue.publish.BounceNotifier.Delayed;
import io.mailstream.queue.publish.MessageWriter;
import io.mailstream.queue.topic.Topics;
import jakarta.mail.MessagingException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the sender a delivery status notification for recipients given up on, as sendmail does:
 * one notice per message and failed batch, from MAILER-DAEMON, queued like received mail (body
 * chunks, then MessageAccepted with the null sender and protocol {@code local}), so that it is
 * routed and delivered, with retries, like any other message. Its null sender means it can never
 * cause a notice itself. Delay warnings (sendmail's Timeout.queuewarn) travel the same way.
 *
 * <p>Stateless and thread-safe: every worker of a node may share one.
 */
public final class DsnNotifier implements BounceNotifier {
  private static final Logger log = LoggerFactory.getLogger(DsnNotifier.class);

  private final String hostname;
  private final Topics topics;
  private final Duration timeout;
  private final boolean bodiesReturned;

  /** @param hostname this MTA's name ({@code $j}): Reporting-MTA and MAILER-DAEMON's domain */
  public DsnNotifier(String hostname, Topics topics) {
    this(hostname, topics, true);
  }

  /**
   * @param hostname this MTA's name ({@code $j}): Reporting-MTA and MAILER-DAEMON's domain
   * @param bodiesReturned false for sendmail's privacy flag nobodyreturn: notices carry the
   *     original's header only, whatever RET asked for
   */
  public DsnNotifier(String hostname, Topics topics, boolean bodiesReturned) {
    this.hostname = hostname;
    this.topics = topics;
    this.timeout = Duration.ofSeconds(60);
    this.bodiesReturned = bodiesReturned;
  }

  @Override
  public void bounced(MessageAccepted message, List<Failure> failures, BodyReader bodies, Producer<String, byte[]> producer) {
    if (failures.isEmpty()) {
      return;
    }
    MailAddress sender = failures.get(0).outcome().sender();
    List<Failure> reported = failures.stream().filter(f -> NotifyRules.reportFailure(sender, f.recipient())).toList();
    if (reported.isEmpty()) {
      log.debug("{}: no notice owed (sender {}, NOTIFY)", message.queueId(), sender);
      return;
    }
    String queueId = QueueId.next();
    long now = System.currentTimeMillis();
    byte[] notice;
    try {
      notice = BounceMessage.build(hostname, queueId, sender, message, reported, returned(message, bodies), now);
    } catch (MessagingException | RuntimeException e) {
      // A notice we cannot even build would fail the same way on every retry: say so and go on.
      log.error("{}: cannot build the delivery status notification: {}", message.queueId(), e.toString());
      return;
    }
    queue(message, queueId, notice, sender, BounceMessage.SUBJECT, now, producer);
  }

  /**
   * Warns the sender, as sendmail does after Timeout.queuewarn, of the recipients in {@code delay}
   * whose NOTIFY asks for it (or who have none). The original's header section goes back, never
   * its body: the message is still queued and will be delivered.
   */
  @Override
  public void delayed(MessageAccepted message, Delay delay, BodyReader bodies, Producer<String, byte[]> producer) {
    MailAddress sender = delay.sender();
    List<Delayed> warned = delay.recipients().stream().filter(d -> NotifyRules.reportDelay(sender, d.recipient())).toList();
    if (warned.isEmpty()) {
      log.debug("{}: no delay warning owed (sender {}, NOTIFY)", message.queueId(), sender);
      return;
    }
    Delay owed = new Delay(sender, warned, delay.warnAfter(), delay.lifetime());
    String queueId = QueueId.next();
    long now = System.currentTimeMillis();
    byte[] warning;
    try {
      warning = WarningMessage.build(hostname, queueId, sender, message, owed, headers(message, bodies), now);
    } catch (MessagingException | RuntimeException e) {
      log.error("{}: cannot build the delay warning: {}", message.queueId(), e.toString());
      return;
    }
    queue(message, queueId, warning, sender, WarningMessage.subject(delay.warnAfter()), now, producer);
  }

  /** Queues a notice like received mail and logs it as sendmail does. */
  private void queue(MessageAccepted message, String queueId, byte[] notice, MailAddress sender, String subject,
      long now, Producer<String, byte[]> producer) {
    MessageAccepted accepted = new MessageWriter(producer, topics, timeout)
        .write(queueId, notice, ref -> accepted(queueId, now, sender, message, ref));
    MailLog.LOG.info("{}: {}: DSN: {}", message.queueId(), queueId, subject);
    MailLog.LOG.info("{}: from=<>, size={}, nrcpts=1, msgid={}, proto=local, relay=MAILER-DAEMON",
        queueId, notice.length, accepted.messageId());
  }

  /** The original's header section, or null (a warning without it) when it is gone. */
  private static ReturnedContent headers(MessageAccepted message, BodyReader bodies) {
    try {
      return ReturnedContent.of(message, bodies.firstChunk(message.queueId(), message.body()), false);
    } catch (IOException e) {
      log.warn("{}: the warning goes without the original's header: {}", message.queueId(), e.toString());
      return null;
    }
  }

  private MessageAccepted accepted(String queueId, long now, MailAddress to, MessageAccepted original,
      BodyRef ref) {
    MessageAccepted.DsnRequest o = original.dsn() == null ? MessageAccepted.DsnRequest.NONE : original.dsn();
    // A full return of an 8-bit message is 8-bit itself; SMTPUTF8 likewise follows the original.
    boolean eightBit = o.bodyType() != null && o.bodyType().toUpperCase(Locale.ROOT).equals("8BITMIME");
    MessageAccepted.DsnRequest dsn = new MessageAccepted.DsnRequest(null, null, eightBit ? "8BITMIME" : null, o.smtputf8());
    String received = "Received: from localhost by " + hostname + " (Mailstream) id " + queueId + "; "
        + Dates.rfc5322(now) + "\r\n";
    return new MessageAccepted(queueId, now, MailAddress.NULL_SENDER, List.of(EnvelopeRecipient.of(to)),
        new ClientInfo(hostname, null, "MAILER-DAEMON", "local", null), "<" + queueId + "@" + hostname + ">",
        received, ref, dsn);
  }

  /** The original as the notice returns it, or null (a notice without it) when it is gone. */
  private ReturnedContent returned(MessageAccepted message, BodyReader bodies) {
    boolean full = ReturnedContent.wantsFull(message, bodiesReturned);
    try {
      if (!full) {
        return ReturnedContent.of(message, bodies.firstChunk(message.queueId(), message.body()), false);
      }
      ByteArrayOutputStream all = new ByteArrayOutputStream((int) message.body().size());
      bodies.read(message.queueId(), message.body(), all::writeBytes);
      return ReturnedContent.of(message, all.toByteArray(), true);
    } catch (IOException e) {
      log.warn("{}: the notice goes without the original message: {}", message.queueId(), e.toString());
      return null;
    }
  }
}
