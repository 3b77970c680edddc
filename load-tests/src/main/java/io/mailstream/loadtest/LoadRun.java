package io.mailstream.loadtest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Sends the messages of one run over {@code connections} worker threads, each holding at most one
 * SMTP connection. Workers take message numbers from a shared counter, so a slow connection simply
 * sends fewer messages.
 *
 * <p>By default every message gets its own connection (greeting, EHLO, transaction, QUIT), as
 * {@code smtp-source} does without {@code -d} and as {@code bench-relay.sh} measures, so the two
 * tools' figures compare. With reuse a worker keeps its connection for all its messages; after a
 * refused transaction it sends RSET (RFC 5321 4.1.1.5) before the next, after an accepted one the
 * server has already reset the transaction (RFC 5321 4.1.1.4), so no RSET is needed.
 */
final class LoadRun {
  private final LoadSettings settings;
  private final MessageFactory messages;
  private final AtomicInteger next = new AtomicInteger();
  private final LoadReport report;
  private final BooleanSupplier keepGoing;
  private final Outcomes outcomes;

  LoadRun(LoadSettings settings) {
    this(settings, () -> true);
  }

  /**
   * A run that also ends, before {@code settings.messages()}, once {@code keepGoing} turns false
   * (checked before each message): a probe that lasts as long as another load generator.
   */
  LoadRun(LoadSettings settings, BooleanSupplier keepGoing) {
    this(settings, keepGoing, Long.toString(System.currentTimeMillis(), 36));
  }

  /**
   * A run whose Message-IDs carry {@code runId}: two generators given different ids never send
   * the same Message-ID, so a sink can tell every message apart (see {@link #outcomes}).
   */
  LoadRun(LoadSettings settings, BooleanSupplier keepGoing, String runId) {
    this.settings = settings;
    this.keepGoing = keepGoing;
    this.messages =
        new MessageFactory(settings.from(), settings.recipientAddresses(), settings.size(), runId);
    this.report = new LoadReport(settings.messages());
    this.outcomes = new Outcomes(settings.messages(), messages);
  }

  /** What the client learned about each message, by Message-ID. */
  Outcomes outcomes() {
    return outcomes;
  }

  /** Runs to completion and returns the frozen report. */
  LoadReport run() throws InterruptedException {
    List<Thread> workers = new ArrayList<>();
    for (int i = 0; i < settings.connections(); i++) {
      Thread t = new Thread(this::work, "loadgen-" + i);
      t.start();
      workers.add(t);
    }
    for (Thread t : workers) {
      t.join();
    }
    report.freeze();
    return report;
  }

  private void work() {
    SmtpClientConnection conn = null;
    int seq;
    while (keepGoing.getAsBoolean() && (seq = next.getAndIncrement()) < settings.messages()) {
      try {
        if (conn == null) {
          conn = SmtpClientConnection.open(settings.target(), settings.timeout());
          ServerReply refused = greet(conn);
          if (refused != null) {
            report.rejected(refused);
            outcomes.record(seq, refused.code() >= 500 ? Outcomes.Kind.REFUSED_PERM : Outcomes.Kind.NOT_HANDED_OVER,
                refused.lastLine());
            conn.quit();
            conn = null;
            continue;
          }
        }
        boolean accepted = send(conn, seq);
        if (!settings.reuse()) {
          conn.quit();
          conn = null;
        } else if (!accepted) {
          conn = reset(conn);
        }
      } catch (IOException e) {
        report.failed(e);
        outcomes.record(seq, Outcomes.Kind.NOT_HANDED_OVER, e.toString());
        if (conn != null) {
          conn.close();
          conn = null;
        }
      }
    }
    if (conn != null) {
      conn.quit();
    }
  }

  /** Reads the greeting and says EHLO; returns the refusing reply, or null when all went well. */
  private ServerReply greet(SmtpClientConnection conn) throws IOException {
    ServerReply greeting = conn.readReply();
    if (greeting.code() != 220) {
      return greeting;
    }
    ServerReply ehlo = conn.command("EHLO " + settings.helo());
    return ehlo.code() == 250 ? null : ehlo;
  }

  /** One transaction; records its outcome and returns whether the message was accepted. */
  private boolean send(SmtpClientConnection conn, int seq) throws IOException {
    ServerReply mail = conn.command("MAIL FROM:<" + settings.from() + ">");
    if (mail.code() != 250) {
      return refused(seq, mail);
    }
    ServerReply lastRefusal = null;
    int recipients = 0;
    for (String rcpt : settings.recipientAddresses()) {
      ServerReply r = conn.command("RCPT TO:<" + rcpt + ">");
      if (r.code() == 250 || r.code() == 251) {
        recipients++;
      } else {
        lastRefusal = r;
      }
    }
    if (recipients == 0) {
      return refused(seq, lastRefusal);
    }
    ServerReply data = conn.command("DATA");
    if (data.code() != 354) {
      return refused(seq, data);
    }
    SmtpClientConnection.Timed<ServerReply> end;
    try {
      end = conn.data(messages.message(seq));
    } catch (IOException e) {
      // The dot may have reached the server: whether it stored the message is unknowable here.
      outcomes.record(seq, Outcomes.Kind.LOST_AFTER_DOT, e.toString());
      throw e;
    }
    ServerReply reply = end.value();
    if (reply.code() / 100 != 2) {
      outcomes.record(seq, reply.code() >= 500 ? Outcomes.Kind.REFUSED_PERM : Outcomes.Kind.TEMP_AFTER_DOT,
          reply.lastLine());
      report.rejected(reply);
      return false;
    }
    outcomes.record(seq, Outcomes.Kind.ACK, reply.lastLine());
    report.accepted(end.nanos());
    return true;
  }

  private boolean refused(int seq, ServerReply reply) {
    outcomes.record(seq, reply.code() >= 500 ? Outcomes.Kind.REFUSED_PERM : Outcomes.Kind.NOT_HANDED_OVER,
        reply.lastLine());
    report.rejected(reply);
    return false;
  }

  /**
   * RSET after a refused transaction; a connection that will not reset is dropped, and the next
   * message opens a new one. The refused message is already counted, so errors here are not.
   */
  private static SmtpClientConnection reset(SmtpClientConnection conn) {
    try {
      if (conn.command("RSET").isPositive()) {
        return conn;
      }
      conn.quit();
    } catch (IOException e) {
      conn.close();
    }
    return null;
  }
}
