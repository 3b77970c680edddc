package io.mailstream.ingress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.event.EnvelopeRecipient;
import io.mailstream.core.event.MessageAccepted;
import io.mailstream.ingress.publish.KafkaPublisher;
import io.mailstream.ingress.server.IngressServer;
import io.mailstream.ingress.testing.TestConfig;
import io.mailstream.queue.body.BodyReader;
import io.mailstream.queue.codec.BodyChunk;
import io.mailstream.queue.codec.EventCodec;
import io.mailstream.queue.testkit.TestKafka;
import io.mailstream.queue.topic.ClientName;
import io.mailstream.queue.topic.KafkaClients;
import io.mailstream.queue.topic.Topics;
import jakarta.mail.Address;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A real Jakarta Mail client sends through a real {@link IngressServer} into the real embedded
 * Kafka broker; the test reads the accepted and bodies topics back and compares the bytes.
 */
class IngressKafkaTest {
  private static final String LOCAL = "127.0.0.1";
  private static final String OUTSIDER = "127.0.0.2";

  private static Topics topics;
  private static String bootstrap;
  private static KafkaPublisher publisher;
  private static IngressServer server;
  private static KafkaConsumer<String, byte[]> accepted;
  private static BodyReader bodies;
  private static final Map<String, MessageAccepted> seen = new HashMap<>();

  @BeforeAll
  static void start() throws Exception {
    bootstrap = TestKafka.bootstrap();
    topics = new Topics(TestKafka.freshTopics());
    publisher = KafkaPublisher.create(bootstrap, topics, Duration.ofSeconds(10));
    server = IngressServer.builder().config(TestConfig.standard()).publisher(publisher).build().start();
    accepted = new KafkaConsumer<>(KafkaClients.reader(bootstrap, ClientName.of("test")));
    List<TopicPartition> partitions =
        IntStream.range(0, topics.settings().partitions())
            .mapToObj(p -> new TopicPartition(topics.accepted(), p))
            .toList();
    accepted.assign(partitions);
    accepted.seekToBeginning(partitions);
    bodies = new BodyReader(bootstrap, ClientName.of("test"), topics, Duration.ofSeconds(10));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (publisher != null) {
      publisher.close();
    }
    if (accepted != null) {
      accepted.close();
    }
    if (bodies != null) {
      bodies.close();
    }
  }

  static Stream<Arguments> messages() {
    String headers =
        "From: Sender <sender@client.test>\r\n"
            + "To: rcpt@local.test\r\n"
            + "Date: Sun, 22 Nov 2026 02:48:24 +0000\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=UTF-8\r\n"
            + "Content-Transfer-Encoding: 8bit\r\n";
    StringBuilder large = new StringBuilder();
    for (int i = 0; large.length() < 3 * BodyChunk.MAX_SIZE + 1000; i++) {
      large.append(String.format("%08d ", i)).append("x".repeat(66)).append("\r\n");
    }
    return Stream.of(
        Arguments.of("8-bit body", List.of("rcpt@local.test"),
            headers + "Message-ID: <8bit@client.test>\r\nSubject: 8bit\r\n\r\n"
                + "Gr\u00fc\u00dfe, \u00e7a va? \u2014 \u65e5\u672c\u8a9e\r\nline two\r\n"),
        Arguments.of("dot-leading lines", List.of("rcpt@local.test"),
            headers + "Message-ID: <dots@client.test>\r\nSubject: dots\r\n\r\n"
                + ".leading\r\n..double\r\n.\r\n .\r\nend.\r\n...\r\n"),
        Arguments.of("998-octet lines", List.of("rcpt@local.test"),
            headers + "Message-ID: <long@client.test>\r\nSubject: long\r\n\r\n"
                + "a".repeat(998) + "\r\n." + "b".repeat(997) + "\r\n"),
        Arguments.of("several recipients", List.of("one@local.test", "two@elsewhere.test", "Postmaster"),
            headers + "Message-ID: <many@client.test>\r\nSubject: many\r\n\r\nHello all.\r\n"),
        Arguments.of("several chunks", List.of("rcpt@local.test"),
            headers + "Message-ID: <big@client.test>\r\nSubject: big\r\n\r\n" + large));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("messages")
  void storesExactlyWhatWasSent(String name, List<String> rcpts, String raw) throws Exception {
    byte[] sent = raw.getBytes(StandardCharsets.UTF_8);
    String queueId = send(LOCAL, "sender@client.test", rcpts, sent);

    MessageAccepted event = awaitAccepted(queueId);
    byte[] stored = readBody(event);
    assertEquals(sha256(sent), sha256(stored), name + ": body differs");
    assertEquals(sent.length, event.body().size());
    assertEquals(rcpts, event.recipients().stream().map(r -> r.address().toString()).toList());
    assertEquals("sender@client.test", event.sender().toString());
    assertTrue(event.messageId().startsWith("<") && event.messageId().endsWith("@client.test>"));
    assertEquals("client.test", event.client().helo());
    assertEquals("ESMTP", event.client().protocol());
    assertTrue(event.receivedHeader().startsWith(
        "Received: from client.test (localhost [127.0.0.1])\r\n\tby mx.test (Mailstream) with ESMTP id " + queueId));
    if (name.equals("several chunks")) {
      assertEquals(4, event.body().chunkOffsets().size());
    }
  }

  @Test
  void relayingIsDeniedToOutsidersButLocalMailIsAccepted() throws Exception {
    byte[] raw = "Subject: outsider\r\nMessage-ID: <out@client.test>\r\n\r\nhi\r\n"
        .getBytes(StandardCharsets.US_ASCII);
    SendFailedException denied = assertThrows(
        SendFailedException.class,
        () -> send(OUTSIDER, "a@outside.test", List.of("victim@elsewhere.test"), raw));
    SMTPAddressFailedException failed =
        assertInstanceOf(SMTPAddressFailedException.class, denied.getNextException());
    assertEquals(550, failed.getReturnCode());
    assertTrue(failed.getMessage().contains("5.7.1 Relaying denied"), failed.getMessage());

    String queueId = send(OUTSIDER, "a@outside.test", List.of("user@local.test"), raw);
    MessageAccepted event = awaitAccepted(queueId);
    assertEquals("127.0.0.2", event.client().address());
    assertEquals(List.of("user@local.test"),
        event.recipients().stream().map(EnvelopeRecipient::address).map(Object::toString).toList());
    assertArrayEquals(raw, readBody(event));
  }

  /** Sends with Jakarta Mail from {@code localAddress}; returns the queue id from the 250 reply. */
  private static String send(String localAddress, String from, List<String> rcpts, byte[] raw)
      throws Exception {
    InetSocketAddress at = server.boundAddresses().get(0);
    Properties p = new Properties();
    p.put("mail.smtp.host", at.getHostString());
    p.put("mail.smtp.port", String.valueOf(at.getPort()));
    p.put("mail.smtp.localhost", "client.test");
    p.put("mail.smtp.localaddress", localAddress);
    p.put("mail.smtp.from", from);
    p.put("mail.smtp.connectiontimeout", "5000");
    p.put("mail.smtp.timeout", "15000");
    Session session = Session.getInstance(p);
    MimeMessage message = new MimeMessage(session, new ByteArrayInputStream(raw));
    // What Jakarta Mail writes (with the headers it never sends left out) must be the input itself.
    ByteArrayOutputStream written = new ByteArrayOutputStream();
    message.writeTo(written, new String[] {"Bcc", "Content-Length"});
    assertArrayEquals(raw, written.toByteArray(), "test message is not in canonical form");
    Address[] to = new Address[rcpts.size()];
    for (int i = 0; i < to.length; i++) {
      to[i] = new InternetAddress(rcpts.get(i), false);
    }
    try (Transport transport = session.getTransport("smtp")) {
      transport.connect();
      transport.sendMessage(message, to);
      String reply = ((SMTPTransport) transport).getLastServerResponse().strip();
      assertTrue(reply.matches("250 2\\.0\\.0 \\w{16} Message accepted for delivery"), reply);
      return reply.split(" ")[2];
    }
  }

  private static MessageAccepted awaitAccepted(String queueId) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!seen.containsKey(queueId)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(queueId + " never reached " + topics.accepted());
      }
      for (ConsumerRecord<String, byte[]> r : accepted.poll(Duration.ofMillis(200))) {
        MessageAccepted m = (MessageAccepted) EventCodec.decode(r.value());
        assertEquals(m.queueId(), r.key());
        seen.put(m.queueId(), m);
      }
    }
    return seen.get(queueId);
  }

  private static byte[] readBody(MessageAccepted event) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    bodies.read(event.queueId(), event.body(), out::writeBytes);
    byte[] body = out.toByteArray();
    assertNotNull(body);
    return body;
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
