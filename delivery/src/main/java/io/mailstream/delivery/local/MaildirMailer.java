package io.mailstream.delivery.local;

import io.mailstream.core.address.MailAddress;
import io.mailstream.core.event.Destination;
import io.mailstream.core.event.ReplyRecord;
import io.mailstream.core.smtp.EnhancedStatus;
import io.mailstream.core.smtp.Reply;
import io.mailstream.delivery.ChunkSink;
import io.mailstream.delivery.Mailer;
import io.mailstream.delivery.OutboundMessage;
import io.mailstream.delivery.RecipientResult;
import io.mailstream.delivery.RecipientResult.Outcome;
import io.mailstream.delivery.TransactionResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local mailer: writes the message into {@code <dataDir>/mail/<user>/} as a Maildir, where
 * user is the recipient's local part in lower case. Each user gets one copy however many of the
 * message's recipients map to it; the body is read once and written to all of them.
 *
 * <p>The stored file starts with {@code Return-Path: <sender>} (sendmail's local mailer has flag
 * P for this), then the trace header and the message, with LF line ends as Maildir readers expect.
 *
 * <p>Thread-safe; it keeps no state between deliveries.
 */
public final class MaildirMailer implements Mailer {
  /** What sendmail logs as the relay of local deliveries. */
  public static final String RELAY = "local";

  private static final Logger log = LoggerFactory.getLogger(MaildirMailer.class);

  private final Path mailRoot;
  private final String hostName;

  /**
   * @param dataDir Mailstream's data directory; mailboxes live under {@code dataDir/mail}
   * @param hostName this host's name, part of every Maildir file name
   */
  public MaildirMailer(Path dataDir, String hostName) {
    this.mailRoot = dataDir.resolve("mail");
    this.hostName = Objects.requireNonNull(hostName, "hostName");
  }

  /** The Maildir of {@code user} (already lower case). */
  public Path maildirOf(String user) {
    return mailRoot.resolve(user);
  }

  @Override
  public TransactionResult deliver(Destination destination, OutboundMessage message) {
    List<RecipientResult> results = new ArrayList<>(message.recipients().size());
    Map<String, List<Integer>> byUser = new LinkedHashMap<>();
    for (int i = 0; i < message.recipients().size(); i++) {
      results.add(null);
      MailAddress a = message.recipients().get(i).address();
      String user = a.unquotedLocalPart().toLowerCase(Locale.ROOT);
      if (isSafe(user)) {
        byUser.computeIfAbsent(user, u -> new ArrayList<>()).add(i);
      } else {
        results.set(i, result(message, i, Outcome.BOUNCED, badMailbox(user)));
      }
    }
    Map<String, Maildir.Delivery> open = new LinkedHashMap<>();
    for (String user : byUser.keySet()) {
      try {
        open.put(user, new Maildir(maildirOf(user), hostName).begin());
      } catch (IOException e) {
        decide(message, results, byUser.get(user), Outcome.DEFERRED, ioFailure(user, e));
      }
    }
    write(message, open, byUser, results);
    for (Map.Entry<String, Maildir.Delivery> e : open.entrySet()) {
      String user = e.getKey();
      try {
        Path file = e.getValue().commit();
        log.debug("{}: delivered to {}", message.queueId(), file);
        decide(message, results, byUser.get(user), Outcome.DELIVERED, delivered());
      } catch (IOException ex) {
        e.getValue().abandon();
        decide(message, results, byUser.get(user), Outcome.DEFERRED, ioFailure(user, ex));
      }
    }
    return new TransactionResult(RELAY, results);
  }

  /**
   * Streams the message once into every open file. A file that fails is dropped (its users are
   * deferred) while the others go on; when the stored body cannot be read, all are dropped.
   */
  private static void write(
      OutboundMessage message,
      Map<String, Maildir.Delivery> open,
      Map<String, List<Integer>> byUser,
      List<RecipientResult> results) {
    if (open.isEmpty()) {
      return;
    }
    UnixLineEnds lineEnds = new UnixLineEnds();
    ChunkSink fanOut =
        (chunk, offset, length) -> {
          byte[] out = lineEnds.convert(chunk, offset, length);
          for (Iterator<Map.Entry<String, Maildir.Delivery>> it = open.entrySet().iterator();
              it.hasNext(); ) {
            Map.Entry<String, Maildir.Delivery> e = it.next();
            try {
              e.getValue().write(out);
            } catch (IOException ex) {
              e.getValue().abandon();
              it.remove();
              List<Integer> users = byUser.get(e.getKey());
              decide(message, results, users, Outcome.DEFERRED, ioFailure(e.getKey(), ex));
            }
          }
        };
    try {
      fanOut.accept(returnPath(message.sender()));
      fanOut.accept(message.traceHeaderBytes());
      message.body().writeTo(fanOut);
      fanOut.accept(lineEnds.finish());
    } catch (IOException | RuntimeException e) {
      ReplyRecord reply =
          ReplyRecord.of(
              Reply.temp(
                  451,
                  EnhancedStatus.X_4_3_0,
                  "Cannot read the queued message " + message.queueId() + ": " + e));
      for (Map.Entry<String, Maildir.Delivery> o : open.entrySet()) {
        o.getValue().abandon();
        decide(message, results, byUser.get(o.getKey()), Outcome.DEFERRED, reply);
      }
      open.clear();
    }
  }

  /**
   * A user name that stays inside its own directory: not empty, no '/', not starting with '.'
   * (which also rules out {@code .} and {@code ..}), no NUL.
   */
  static boolean isSafe(String user) {
    return !user.isEmpty()
        && user.indexOf('/') < 0
        && !user.startsWith(".")
        && user.indexOf('\0') < 0;
  }

  private static byte[] returnPath(MailAddress sender) {
    return ("Return-Path: " + sender.bracketed() + "\r\n").getBytes(StandardCharsets.UTF_8);
  }

  private static void decide(
      OutboundMessage message,
      List<RecipientResult> results,
      List<Integer> indexes,
      Outcome outcome,
      ReplyRecord reply) {
    for (int i : indexes) {
      results.set(i, result(message, i, outcome, reply));
    }
  }

  private static RecipientResult result(
      OutboundMessage message, int i, Outcome outcome, ReplyRecord reply) {
    return new RecipientResult(message.recipients().get(i), outcome, reply);
  }

  private static ReplyRecord delivered() {
    return ReplyRecord.of(Reply.ok(250, EnhancedStatus.X_2_0_0, "Delivered to mailbox"));
  }

  private static ReplyRecord badMailbox(String user) {
    return ReplyRecord.of(
        Reply.perm(
            550,
            EnhancedStatus.X_5_1_3,
            "Bad mailbox name \"" + user + "\" for local delivery"));
  }

  private static ReplyRecord ioFailure(String user, IOException e) {
    return ReplyRecord.of(
        Reply.temp(
            451,
            EnhancedStatus.X_4_3_0,
            "Cannot write to the mailbox of " + user + ": " + e));
  }

  @Override
  public String toString() {
    return "MaildirMailer[" + mailRoot + "]";
  }
}
