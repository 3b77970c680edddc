package io.mailstream.ops.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.config.ConfigBuilder;
import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.core.event.DeliveryAttempted;
import io.mailstream.delivery.testkit.FakeSmartHost;
import io.mailstream.delivery.testkit.ReceivedMessage;
import io.mailstream.delivery.testkit.Verb;
import io.mailstream.queue.testkit.TestKafka;
import io.mailstream.queue.topic.Topics;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeMessage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.angus.mail.dsn.DeliveryStatus;
import org.eclipse.angus.mail.dsn.MultipartReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The smart host outage of docs/reliability.md: the smart host goes away. First nothing listens on its port
 * (connections refused), then it answers every connection with {@code 421}, then it works again.
 * Each recipient is tried by {@code delivery.retry-schedule} throughout, the host itself only once
 * per {@code delivery.host-down-backoff}, and everything is delivered once afterwards. An outage
 * longer than {@code delivery.queue-lifetime} ends in one bounce per recipient and nothing more.
 */
class SmartHostOutageTest {
  private static final List<Duration> SCHEDULE = List.of(Duration.ofSeconds(1), Duration.ofSeconds(2));
  private static final Duration BACKOFF = Duration.ofSeconds(1);
  // The retry lane looks for due entries once a second; the rest is for a loaded 2-core machine.
  private static final Duration LATE = Duration.ofSeconds(15);
  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir Path dir;

  private MailstreamConfig config(int smartHostPort, String lifetime) throws Exception {
    return new ConfigBuilder()
        .hostname("relay.test")
        .dataDir(dir.resolve("data").toString())
        .listen(List.of("127.0.0.1:0"))
        .localDomains(List.of("dmz.example"))
        .smartHost("127.0.0.1:" + smartHostPort)
        .kafkaBootstrap(TestKafka.bootstrap())
        .topicPrefix("outage-" + UUID.randomUUID())
        .partitions(2)
        .deliveryThreads(1)
        .connectTimeout("5s")
        .retrySchedule(SCHEDULE.stream().map(d -> d.toSeconds() + "s").toList())
        .hostDownBackoff(BACKOFF.toSeconds() + "s")
        .hostDownMaxBackoff("2s")
        .queueLifetime(lifetime)
        .build();
  }

  /** A port on 127.0.0.1 where nothing listens: a smart host that is down. */
  private static int deadPort() throws Exception {
    try (FakeSmartHost h = FakeSmartHost.start()) {
      return h.port();
    }
  }

  @Test
  void refusedThen421ThenRecoveredDeliversEveryMessageOnceOnSchedule() throws Exception {
    int port = deadPort();
    int n = 10;
    try (MailLogTap maillog = new MailLogTap();
        MailstreamNode node = MailstreamNode.start(config(port, "1h"), EnumSet.allOf(Stage.class))) {
      Topics topics = new Topics(node.config().kafka());
      List<String> recipients = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        recipients.add("rcpt" + i + "@corp.example");
        assertTrue(Smtp.send(node.listening().get(0), "alice@dmz.example", recipients.get(i), "outage " + i).startsWith("250"));
      }

      // Refused: every recipient deferred three times (1 s, then 2 s apart).
      Await.until(() -> everyone(node, topics, recipients, h -> h.attempts().size() >= 3), WAIT, "three attempts each, refused");

      // 421 at the greeting, until the host has been probed twice and every recipient tried twice more.
      long since421 = System.currentTimeMillis();
      try (FakeSmartHost host = FakeSmartHost.start(port)) {
        host.on(Verb.GREETING, "421 4.3.2 fake.test Service not available, closing transmission channel");
        Await.until(() -> host.connectionsAccepted() >= 2
                && everyone(node, topics, recipients, h -> h.attemptsSince(since421) >= 2),
            WAIT, "two probes answered 421 and two attempts each meanwhile");
        host.resetScript();
        List<Long> probes = host.connectionTimes();

        host.awaitMessages(n, WAIT);
        Await.until(() -> everyone(node, topics, recipients, h -> h.deliveries().size() == 1), WAIT, "a delivery each");
        // Long enough for any stray retry to come due and go out twice.
        LockSupport.parkNanos(Duration.ofSeconds(6).toNanos());

        Map<String, Integer> copies = new HashMap<>();
        for (ReceivedMessage m : host.messages()) {
          for (int i = 0; i < n; i++) {
            if (m.text().contains("Subject: outage " + i + "\r\n")) {
              copies.merge(recipients.get(i), 1, Integer::sum);
            }
          }
        }
        assertEquals(n, host.messages().size(), "every message delivered, none twice: " + copies);
        recipients.forEach(r -> assertEquals(1, copies.get(r), r + " delivered once"));

        // The host is probed once per back-off, not once per message: 421s do not come in a burst.
        for (int i = 1; i < probes.size(); i++) {
          long gap = probes.get(i) - probes.get(i - 1);
          assertTrue(gap >= BACKOFF.toMillis() - 50, "probes " + gap + " ms apart, back-off " + BACKOFF + ": " + probes);
        }

        Map<String, AttemptHistory> histories = AttemptHistory.of(TopicEvents.read(node.bootstrap(), topics.outcomes()));
        List<DeliveryAttempted> all = new ArrayList<>();
        for (String r : recipients) {
          AttemptHistory h = histories.get(r);
          h.assertFollows(r, SCHEDULE, LATE);
          assertEquals(1, h.deliveries().size(), r + ": " + h);
          assertEquals(List.of(), h.bounces(), r + " never bounced");
          all.addAll(h.attempts());
          // The mail log says the same: a Deferred line per failed attempt, one Sent line.
          assertEquals(h.deferrals().size(), maillog.grep("to=<" + r + ">", "stat=Deferred").size(), r);
          assertEquals(1, maillog.grep("to=<" + r + ">", "stat=Sent").size(), r);
        }
        // Both kinds of outage were seen, and attempts while the host was down did not connect.
        assertTrue(all.stream().anyMatch(a -> a.reply().code() == 421), "an attempt met the 421 greeting");
        assertTrue(all.stream().anyMatch(a -> a.reply().text().contains("is down since") && "4.4.1".equals(a.reply().dsn())),
            "attempts deferred without connecting while the host was down");
        long during421 = all.stream().filter(a -> a.attemptedAtMillis() >= since421 && a.reply().code() / 100 == 4).count();
        assertTrue(probes.size() < during421, probes.size() + " connections for " + during421 + " deferred attempts");
        assertFalse(maillog.grep("stat=Deferred", "is down since").isEmpty(), "the mail log names the host down");
      }
    }
  }

  @Test
  void outageLongerThanTheQueueLifetimeBouncesEachRecipientOnce() throws Exception {
    int port = deadPort();
    int n = 3;
    try (MailLogTap maillog = new MailLogTap();
        MailstreamNode node = MailstreamNode.start(config(port, "5s"), EnumSet.allOf(Stage.class))) {
      Topics topics = new Topics(node.config().kafka());
      List<String> recipients = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        List<String> to = List.of("bob" + i + "@corp.example", "carol" + i + "@corp.example");
        recipients.addAll(to);
        assertTrue(Smtp.send(node.listening().get(0), "alice@dmz.example", to, "doomed " + i).startsWith("250"));
      }
      Path inbox = dir.resolve("data").resolve("mail").resolve("alice").resolve("new");
      Await.until(() -> everyone(node, topics, recipients, h -> h.bounces().size() == 1), WAIT, "a bounce each");
      Await.until(() -> reported(inbox).size() == recipients.size(), WAIT, "a notice for each recipient in alice's Maildir");
      int notices = MaildirFiles.in(inbox).size();

      // A while later, with the smart host back: nothing more is tried, sent or returned.
      LockSupport.parkNanos(Duration.ofSeconds(5).toNanos());
      try (FakeSmartHost host = FakeSmartHost.start(port)) {
        LockSupport.parkNanos(Duration.ofSeconds(5).toNanos());
        assertEquals(List.of(), host.messages(), "expired mail is not sent when the host returns");
      }
      assertEquals(notices, MaildirFiles.in(inbox).size(), "no second notice");
      Map<String, List<String>> failures = reported(inbox);
      Map<String, AttemptHistory> histories = AttemptHistory.of(TopicEvents.read(node.bootstrap(), topics.outcomes()));
      for (String r : recipients) {
        assertEquals(List.of("failed 4.4.7"), failures.get(r), r + " reported once, as expired");
        AttemptHistory h = histories.get(r);
        assertEquals(1, h.bounces().size(), r + ": " + h);
        assertEquals(List.of(), h.deliveries(), r);
        // Retried on schedule until the lifetime ran out; the attempt after it bounced, and was the last.
        h.assertFollows(r, SCHEDULE, LATE);
        DeliveryAttempted last = h.attempts().get(h.attempts().size() - 1);
        assertTrue(last.attemptedAtMillis() <= h.bounces().get(0).bouncedAtMillis(), r + ": " + h);
        assertEquals("4.4.7", h.bounces().get(0).reply().dsn(), r);
        assertTrue(h.bounces().get(0).reply().text().contains("Cannot send message for 5 seconds"), h.bounces().get(0).toString());
        assertEquals(1, maillog.grep("to=<" + r + ">", "dsn=4.4.7").size(), r + ": one mail log line for the bounce");
      }
    }
  }

  private static boolean everyone(MailstreamNode node, Topics topics, List<String> recipients,
      java.util.function.Predicate<AttemptHistory> condition) {
    Map<String, AttemptHistory> histories = AttemptHistory.of(TopicEvents.read(node.bootstrap(), topics.outcomes()));
    return recipients.stream().allMatch(r -> histories.containsKey(r) && condition.test(histories.get(r)));
  }

  /** For each recipient named in a delivery status notice in {@code inbox}: "action status", per notice. */
  private static Map<String, List<String>> reported(Path inbox) throws Exception {
    Map<String, List<String>> found = new HashMap<>();
    for (Path f : MaildirFiles.in(inbox)) {
      MimeMessage notice;
      try (InputStream in = Files.newInputStream(f)) {
        notice = new MimeMessage(Session.getInstance(new Properties()), in);
      }
      DeliveryStatus status = (DeliveryStatus) ((MultipartReport) notice.getContent()).getReport();
      for (int i = 0; i < status.getRecipientDSNCount(); i++) {
        InternetHeaders r = status.getRecipientDSN(i);
        String recipient = r.getHeader("Final-Recipient", null).replaceFirst("(?i)^rfc822;\\s*", "");
        found.computeIfAbsent(recipient, k -> new ArrayList<>()).add(r.getHeader("Action", null) + " " + r.getHeader("Status", null));
      }
    }
    return found;
  }
}
