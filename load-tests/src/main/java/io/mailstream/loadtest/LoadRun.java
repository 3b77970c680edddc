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

  LoadRun(LoadSettings settings) {
    this(settings, () -> true);
  }

  /**
   * A run that also ends, before {@code settings.messages()}, once {@code keepGoing} turns false
   * (checked before each message): a probe that lasts as long as another load generator.
   */
  LoadRun(LoadSettings settings, BooleanSupplier keepGoing) {
    this.settings = settings;
    this.keepGoing = keepGoing;
    String runId = Long.toString(System.currentTimeMillis(), 36);
    this.messages =
        new MessageFactory(settings.from(), settings.recipientAddresses(), settings.size(), runId);
    this.report = new LoadReport(settings.messages());
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
      return refused(mail);
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
      return refused(lastRefusal);
    }
    ServerReply data = conn.command("DATA");
    if (data.code() != 354) {
      return refused(data);
    }
    SmtpClientConnection.Timed<ServerReply> end = conn.data(messages.message(seq));
    if (end.value().code() / 100 != 2) {
      return refused(end.value());
    }
    report.accepted(end.nanos());
    return true;
  }

  private boolean refused(ServerReply reply) {
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
