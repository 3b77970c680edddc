package io.mailstream.loadtest;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The generator against the counting sink over real loopback sockets. */
@Timeout(60)
class LoadRunTest {

  private static LoadSettings settings(SinkServer sink, int messages, int connections) {
    InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), sink.port());
    return LoadSettings.of(target, messages, connections, 4096);
  }

  @Test
  void newConnectionPerMessageCountsEveryMessage() throws Exception {
    try (SinkServer sink = new SinkServer(0, 0)) {
      LoadReport report = new LoadRun(settings(sink, 200, 10)).run();
      assertEquals(200, report.sent());
      assertEquals(200, report.accepted());
      assertEquals(0, report.rejected() + report.failed());
      SinkCounters.Snapshot s = sink.counters().snapshot();
      assertEquals(200, s.messages());
      assertEquals(200, s.connections());
      assertEquals(200L * 4096, s.octets());
      assertTrue(report.percentileMillis(50) > 0);
      assertTrue(report.resultLine().startsWith("RESULT sent=200 accepted=200 rejected=0"));
    }
  }

  @Test
  void reuseSendsAllMessagesOverTheConnections() throws Exception {
    try (SinkServer sink = new SinkServer(0, 0)) {
      LoadReport report = new LoadRun(settings(sink, 200, 10).withReuse(true).withRecipients(3)).run();
      assertEquals(200, report.accepted());
      SinkCounters.Snapshot s = sink.counters().snapshot();
      assertEquals(200, s.messages());
      assertEquals(600, s.recipients());
      assertEquals(10, s.connections());
    }
  }

  @Test
  void rejectedMessagesAreCountedAsRejected() throws Exception {
    for (boolean reuse : new boolean[] {false, true}) {
      try (SinkServer sink = new SinkServer(0, 10)) {
        LoadReport report = new LoadRun(settings(sink, 200, 10).withReuse(reuse)).run();
        assertEquals(200, report.sent());
        assertEquals(180, report.accepted());
        assertEquals(20, report.rejected());
        assertEquals(0, report.failed());
        assertTrue(report.firstReject().startsWith("550 5.7.1 "), report.firstReject());
        assertEquals(180, sink.counters().snapshot().messages());
      }
    }
  }

  @Test
  void sinkServesManyConcurrentConnections() throws Exception {
    try (SinkServer sink = new SinkServer(0, 0)) {
      InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), sink.port());
      List<SmtpClientConnection> open = new ArrayList<>();
      try {
        // All 150 are open and greeted before any sends a message: each needs its own server thread.
        for (int i = 0; i < 150; i++) {
          SmtpClientConnection c = SmtpClientConnection.open(target, Duration.ofSeconds(10));
          open.add(c);
          assertEquals(220, c.readReply().code());
          assertEquals(250, c.command("EHLO c.test").code());
        }
        for (SmtpClientConnection c : open) {
          assertEquals(250, c.command("MAIL FROM:<a@x.test>").code());
          assertEquals(250, c.command("RCPT TO:<b@y.test>").code());
          assertEquals(354, c.command("DATA").code());
          assertEquals(250, c.data("Subject: t\r\n\r\nhi\r\n".getBytes(US_ASCII)).value().code());
        }
      } finally {
        open.forEach(SmtpClientConnection::quit);
      }
      SinkCounters.Snapshot s = sink.counters().snapshot();
      assertEquals(150, s.messages());
      assertEquals(150, s.connections());
    }
  }

  @Test
  void percentilesUseNearestRank() {
    LoadReport report = new LoadReport(100);
    for (int i = 1; i <= 100; i++) {
      report.accepted(i * 1_000_000L);
    }
    report.freeze();
    assertEquals(50.0, report.percentileMillis(50));
    assertEquals(99.0, report.percentileMillis(99));
    assertEquals(100.0, report.percentileMillis(100));
  }

  @Test
  void stopsEarlyWhenToldTo() throws Exception {
    try (SinkServer sink = new SinkServer(0, 0)) {
      java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
      LoadReport report = new LoadRun(settings(sink, 200, 1), () -> asked.incrementAndGet() <= 30).run();
      assertEquals(30, report.sent());
      assertEquals(30, report.accepted());
    }
  }
}
