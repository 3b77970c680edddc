package io.mailstream.ops.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.config.ConfigBuilder;
import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.core.event.MessageAccepted;
import io.mailstream.delivery.testkit.FakeSmartHost;
import io.mailstream.delivery.testkit.ReceivedMessage;
import io.mailstream.queue.codec.EventCodec;
import io.mailstream.queue.testkit.TestKafka;
import io.mailstream.queue.topic.ClientName;
import io.mailstream.queue.topic.KafkaClients;
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
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.angus.mail.dsn.DeliveryStatus;
import org.eclipse.angus.mail.dsn.MultipartReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recipient refused with 550 earns the sender one delivery status notification, which travels
 * through the whole pipeline like any mail: to a local sender's Maildir, or to a remote sender's
 * server. No notice goes to the null sender, so a notice that bounces itself ends there.
 */
class BounceEndToEndTest {
  @TempDir Path dir;

  private MailstreamConfig config(FakeSmartHost smartHost, String prefix) throws Exception {
    return new ConfigBuilder()
        .hostname("relay.test")
        .dataDir(dir.resolve("data").toString())
        .listen(List.of("127.0.0.1:0"))
        .localDomains(List.of("dmz.example"))
        .smartHost("127.0.0.1:" + smartHost.port())
        .kafkaBootstrap(TestKafka.bootstrap())
        .topicPrefix(prefix)
        .partitions(2)
        .deliveryThreads(1)
        .build();
  }

  @Test
  void refusedRecipientBouncesOnceToLocalSender() throws Exception {
    try (FakeSmartHost smartHost = FakeSmartHost.start()) {
      smartHost.onRcpt("bob@corp.example", "550 5.1.1 <bob@corp.example>... User unknown");
      MailstreamConfig config = config(smartHost, "dsn-" + UUID.randomUUID());
      try (MailstreamNode node = MailstreamNode.start(config, EnumSet.allOf(Stage.class))) {
        assertTrue(Smtp.send(node.listening().get(0), "alice@dmz.example", "bob@corp.example", "for bob").startsWith("250"));
        Path inbox = dir.resolve("data").resolve("mail").resolve("alice").resolve("new");
        Await.until(() -> MaildirFiles.in(inbox).size() == 1, Duration.ofSeconds(60), "the notice in alice's Maildir");
        drain(node, smartHost);

        assertEquals(1, MaildirFiles.in(inbox).size(), "exactly one notice");
        MimeMessage notice;
        try (InputStream in = Files.newInputStream(MaildirFiles.in(inbox).get(0))) {
          notice = new MimeMessage(Session.getInstance(new Properties()), in);
        }
        assertEquals("Returned mail: see transcript for details", notice.getSubject());
        assertTrue(notice.getHeader("From", null).contains("MAILER-DAEMON@relay.test"));
        MultipartReport report = (MultipartReport) notice.getContent();
        InternetHeaders bob = ((DeliveryStatus) report.getReport()).getRecipientDSN(0);
        assertEquals("rfc822; bob@corp.example", bob.getHeader("Final-Recipient", null));
        assertEquals("failed", bob.getHeader("Action", null));
        assertEquals("5.1.1", bob.getHeader("Status", null));
        assertTrue(bob.getHeader("Diagnostic-Code", null).startsWith("smtp; 550 5.1.1"));
        assertEquals("for bob", report.getReturnedMessage().getSubject());
        assertEquals(1, notices(node).size());
      }
    }
  }

  @Test
  void noticeToRemoteSenderIsDeliveredAndItsOwnBounceEndsThere() throws Exception {
    try (FakeSmartHost smartHost = FakeSmartHost.start()) {
      smartHost.onRcpt("bob@corp.example", "550 5.1.1 User unknown");
      smartHost.onRcpt("alice@web.example", "550 5.1.1 No such sender here");
      MailstreamConfig config = config(smartHost, "dsn-" + UUID.randomUUID());
      try (MailstreamNode node = MailstreamNode.start(config, EnumSet.allOf(Stage.class))) {
        assertTrue(Smtp.send(node.listening().get(0), "alice@web.example", "bob@corp.example", "for bob").startsWith("250"));
        // The notice goes to alice's server (the smart host), which refuses it too.
        smartHost.awaitCommands("RCPT TO:<alice@web.example>", 1, Duration.ofSeconds(60));
        drain(node, smartHost);
        assertEquals(1, smartHost.count("RCPT TO:<alice@web.example>"));
        assertEquals(1, notices(node).size(), "one notice, and none for the notice");
      }
    }
  }

  @Test
  void nullSenderGetsNoNotice() throws Exception {
    try (FakeSmartHost smartHost = FakeSmartHost.start()) {
      smartHost.onRcpt("bob@corp.example", "550 5.1.1 User unknown");
      MailstreamConfig config = config(smartHost, "dsn-" + UUID.randomUUID());
      try (MailstreamNode node = MailstreamNode.start(config, EnumSet.allOf(Stage.class))) {
        assertTrue(Smtp.send(node.listening().get(0), "", "bob@corp.example", "bounce for bob").startsWith("250"));
        smartHost.awaitCommands("RCPT TO:<bob@corp.example>", 1, Duration.ofSeconds(60));
        drain(node, smartHost);
        assertEquals(List.of(), notices(node));
      }
    }
  }

  /**
   * Sends a message that is delivered and waits for it: what was queued before it has had its
   * turn (one delivery thread), so counting now shows any duplicate or unwanted notice.
   */
  private static void drain(MailstreamNode node, FakeSmartHost smartHost) throws Exception {
    int before = smartHost.messages().size();
    String subject = "probe " + UUID.randomUUID();
    assertTrue(Smtp.send(node.listening().get(0), "probe@dmz.example", "carol@corp.example", subject).startsWith("250"));
    Await.until(() -> smartHost.messages().stream().skip(before).map(ReceivedMessage::text).anyMatch(t -> t.contains(subject)),
        Duration.ofSeconds(60), "the probe message");
  }

  /** The notices queued: accepted messages from MAILER-DAEMON, read from the accepted topic. */
  private static List<MessageAccepted> notices(MailstreamNode node) {
    Topics topics = new Topics(node.config().kafka());
    List<MessageAccepted> found = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(KafkaClients.reader(node.bootstrap(), ClientName.of("test")))) {
      List<TopicPartition> tps = c.partitionsFor(topics.accepted()).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      c.assign(tps);
      c.seekToBeginning(tps);
      Map<TopicPartition, Long> end = c.endOffsets(tps);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
          if (!(EventCodec.decode(r.value()) instanceof MessageAccepted m)) {
            continue;
          }
          if (m.sender().isNullSender() && "local".equals(m.client().protocol())) {
            found.add(m);
          }
        }
      }
    }
    return found;
  }
}
