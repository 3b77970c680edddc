package io.mailstream.delivery.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.address.MailAddress;
import io.mailstream.core.event.BodyRef;
import io.mailstream.core.event.Bounced;
import io.mailstream.core.event.ClientInfo;
import io.mailstream.core.event.Deferred;
import io.mailstream.core.event.Delivered;
import io.mailstream.core.event.EnvelopeRecipient;
import io.mailstream.core.event.MailEvent;
import io.mailstream.core.event.MessageAccepted;
import io.mailstream.core.event.RecipientRouted;
import io.mailstream.delivery.bounce.DsnNotifier;
import io.mailstream.delivery.client.ConnectionPool;
import io.mailstream.delivery.client.NextHops;
import io.mailstream.delivery.client.SmtpConnector;
import io.mailstream.delivery.client.SmtpMailer;
import io.mailstream.delivery.client.Timeouts;
import io.mailstream.delivery.testkit.FakeSmartHost;
import io.mailstream.queue.body.BodyReader;
import io.mailstream.queue.codec.EventCodec;
import io.mailstream.queue.state.RetryStore;
import io.mailstream.queue.testkit.StoredBodies;
import io.mailstream.queue.testkit.TestKafka;
import io.mailstream.queue.topic.ClientName;
import io.mailstream.queue.topic.KafkaClients;
import io.mailstream.queue.topic.Topics;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.angus.mail.dsn.DeliveryStatus;
import org.eclipse.angus.mail.dsn.MultipartReport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delay warnings against a real broker and SMTP server: a smart host that answers 451 for longer
 * than queue-warn earns the sender exactly one warning, queued like any notice; when it accepts
 * the message later, the message goes out and no failure notice follows.
 */
class DelayWarningTest {
  static final String RECEIVED = "Received: from client.test by relay.test; Sun, 22 Nov 2026 03:00:00 +0000\r\n";
  static final byte[] BODY = "From: alice@dmz.example\r\nSubject: slow one\r\n\r\nthe body\r\n".getBytes(StandardCharsets.UTF_8);

  @TempDir Path dir;
  FakeSmartHost host;
  SmtpConnector connector;
  ConnectionPool pool;
  Topics topics;
  DeliveryWorker worker;
  Thread thread;

  @BeforeEach
  void setUp() throws Exception {
    host = FakeSmartHost.start();
    connector = new SmtpConnector("relay.test", Timeouts.uniform(Duration.ofSeconds(5)));
    pool = new ConnectionPool(2, Duration.ofSeconds(30));
    topics = new Topics(TestKafka.freshTopics(2, false));
  }

  @AfterEach
  void tearDown() throws Exception {
    if (worker != null) {
      worker.close();
      thread.join();
    }
    pool.close();
    connector.close();
    host.close();
  }

  void startWorker(RetryPolicy policy) throws Exception {
    SmtpMailer mailer = new SmtpMailer(connector, pool, NextHops.direct());
    worker = DeliveryWorker.builder(TestKafka.bootstrap(), topics, r -> mailer, policy, RetryStore.open(dir))
        .bounces(new DsnNotifier("relay.test", topics))
        .build();
    thread = new Thread(worker, "delivery-warning-test");
    thread.start();
  }

  void route(String queueId, EnvelopeRecipient... recipients) throws Exception {
    BodyRef ref = StoredBodies.store(topics, queueId, BODY);
    MessageAccepted m = new MessageAccepted(queueId, System.currentTimeMillis(), new MailAddress("alice", "dmz.example"),
        List.of(recipients), new ClientInfo("client.test", "127.0.0.1", null, "ESMTP", null), null, RECEIVED, ref,
        MessageAccepted.DsnRequest.NONE);
    RecipientRouted routed = new RecipientRouted(m, m.sender(), host.destination(), List.of(recipients), List.of(),
        System.currentTimeMillis());
    try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(KafkaClients.producer(TestKafka.bootstrap(), ClientName.of("test"), Duration.ofSeconds(30)))) {
      p.send(new ProducerRecord<>(topics.routed(), queueId + "|x", EventCodec.encode(routed))).get();
    }
  }

  @Test
  void oneWarningWhileDeferredThenDeliveredWithoutFailureNotice() throws Exception {
    host.onRcpt("bob@corp.example", "451 4.3.0 Try again later");
    // Retries every second, warn after 3 s: attempts at about 0, 1, 2, 3, 4 ... s; one of them is
    // the first past 3 s. A lifetime of 5 minutes keeps the bounce out of reach.
    startWorker(new RetryPolicy(List.of(Duration.ofSeconds(1)), Duration.ofMinutes(5), Duration.ofSeconds(3)));
    route("qw1", EnvelopeRecipient.of(MailAddress.parse("bob@corp.example")));

    List<MessageAccepted> warnings = awaitNotices(1);
    long rcptsAtWarning = host.count("RCPT TO:<bob@corp.example>");
    // Let three more attempts pass the threshold: none of them may warn again.
    host.awaitCommands("RCPT TO:<bob@corp.example>", (int) rcptsAtWarning + 3, Duration.ofSeconds(30));
    host.resetScript();
    host.awaitMessages(1, Duration.ofSeconds(30));

    List<MailEvent> events = outcomes();
    assertEquals(1, events.stream().filter(e -> e instanceof Delivered).count());
    assertEquals(0, events.stream().filter(e -> e instanceof Bounced).count());
    assertTrue(events.stream().filter(e -> e instanceof Deferred).count() >= 4);
    warnings = notices();
    assertEquals(1, warnings.size(), "exactly one warning and no failure notice");

    MessageAccepted warning = warnings.get(0);
    assertEquals(List.of(EnvelopeRecipient.of(new MailAddress("alice", "dmz.example"))), warning.recipients());
    MimeMessage parsed = read(warning);
    assertEquals("Warning: could not send message for past 3 seconds", parsed.getSubject());
    MultipartReport report = assertInstanceOf(MultipartReport.class, parsed.getContent());
    InternetHeaders bob = ((DeliveryStatus) report.getReport()).getRecipientDSN(0);
    assertEquals("delayed", bob.getHeader("Action", null));
    assertEquals("4.3.0", bob.getHeader("Status", null));
    assertTrue(report.getText().contains("Will keep trying until message is 5 minutes old"), report.getText());
    assertEquals("slow one", report.getReturnedMessage().getSubject());
  }

  @Test
  void noWarningWhenNotifyLeavesOutDelay() throws Exception {
    host.onRcpt("bob@corp.example", "451 4.3.0 Try again later");
    startWorker(new RetryPolicy(List.of(Duration.ofSeconds(1)), Duration.ofMinutes(5), Duration.ofSeconds(2)));
    route("qw2", new EnvelopeRecipient(MailAddress.parse("bob@corp.example"), "FAILURE", null));
    // Attempts at about 0..5 s: well past the warning time.
    host.awaitCommands("RCPT TO:<bob@corp.example>", 6, Duration.ofSeconds(30));
    host.resetScript();
    host.awaitMessages(1, Duration.ofSeconds(30));
    outcomes();
    assertEquals(List.of(), notices());
  }

  private List<MessageAccepted> awaitNotices(int n) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    List<MessageAccepted> found = notices();
    while (found.size() < n && System.nanoTime() < deadline) {
      found = notices();
    }
    assertEquals(n, found.size(), "notices queued");
    return found;
  }

  /** The notices queued so far: accepted messages from MAILER-DAEMON, read up to the end offsets. */
  private List<MessageAccepted> notices() {
    List<MessageAccepted> found = new ArrayList<>();
    for (MailEvent e : readAll(topics.accepted())) {
      if (e instanceof MessageAccepted m && m.sender().isNullSender() && "local".equals(m.client().protocol())) {
        found.add(m);
      }
    }
    return found;
  }

  /** The outcomes once the delivered one is there. */
  private List<MailEvent> outcomes() {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    List<MailEvent> all = readAll(topics.outcomes());
    while (all.stream().noneMatch(e -> e instanceof Delivered) && System.nanoTime() < deadline) {
      all = readAll(topics.outcomes());
    }
    return all;
  }

  private static List<MailEvent> readAll(String topic) {
    List<MailEvent> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(KafkaClients.reader(TestKafka.bootstrap(), ClientName.of("test")))) {
      List<TopicPartition> tps = c.partitionsFor(topic).stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      c.assign(tps);
      c.seekToBeginning(tps);
      Map<TopicPartition, Long> end = c.endOffsets(tps);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
          out.add(EventCodec.decode(r.value()));
        }
      }
    }
    return out;
  }

  private MimeMessage read(MessageAccepted m) throws Exception {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    try (BodyReader bodies = new BodyReader(TestKafka.bootstrap(), ClientName.of("test"), topics, Duration.ofSeconds(30))) {
      bodies.read(m.queueId(), m.body(), all::writeBytes);
    }
    return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(all.toByteArray()));
  }
}
