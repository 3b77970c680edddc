package io.mailstream.ops.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.config.ConfigBuilder;
import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.delivery.testkit.FakeSmartHost;
import io.mailstream.delivery.testkit.ReceivedMessage;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The whole relay: a real SMTP client (Jakarta Mail) to the ingress, a real Kafka broker, the
 * router, the delivery stage and a real SMTP server as smart host. Subclasses choose the broker.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RelayEndToEndTest {
  Path dataDir;
  FakeSmartHost smartHost;
  MailstreamNode node;
  InetSocketAddress smtp;

  /** The bootstrap address of the Kafka cluster the node uses. */
  abstract String bootstrap();

  @BeforeAll
  void start() throws Exception {
    dataDir = Files.createTempDirectory("mailstream-e2e");
    smartHost = FakeSmartHost.start();
    MailstreamConfig config =
        new ConfigBuilder()
            .hostname("relay.test")
            .dataDir(dataDir.toString())
            .listen(List.of("127.0.0.1:0"))
            .relayFrom(List.of("127.0.0.1/32"))
            .localDomains(List.of("example.com"))
            .smartHost("127.0.0.1:" + smartHost.port())
            .kafkaBootstrap(bootstrap())
            .topicPrefix("e2e-" + UUID.randomUUID())
            .partitions(4)
            .deliveryThreads(2)
            .build();
    node = MailstreamNode.start(config, EnumSet.allOf(Stage.class));
    smtp = node.listening().get(0);
  }

  @AfterAll
  void stop() throws Exception {
    node.close();
    smartHost.close();
  }

  Session session(String localAddress) {
    Properties p = new Properties();
    p.put("mail.smtp.host", "127.0.0.1");
    p.put("mail.smtp.port", Integer.toString(smtp.getPort()));
    p.put("mail.smtp.localhost", "client.test");
    p.put("mail.smtp.allow8bitmime", "true");
    p.put("mail.smtp.timeout", "30000");
    if (localAddress != null) {
      p.put("mail.smtp.localaddress", localAddress);
    }
    return Session.getInstance(p);
  }

  /** Sends raw RFC 5322 bytes unchanged (no saveChanges, which would add headers). */
  void send(Session session, byte[] raw, String from, String... to) throws MessagingException {
    MimeMessage m = new MimeMessage(session, new ByteArrayInputStream(raw));
    Address[] rcpts = Arrays.stream(to).map(this::address).toArray(Address[]::new);
    // The envelope sender comes from the session, so the message itself stays untouched.
    session.getProperties().put("mail.smtp.from", from);
    try (Transport t = session.getTransport("smtp")) {
      t.connect();
      t.sendMessage(m, rcpts);
    }
  }

  private InternetAddress address(String a) {
    try {
      return new InternetAddress(a);
    } catch (MessagingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  static byte[] trickyMessage(String id) {
    String longLine = "x".repeat(998);
    String text =
        "From: Alice <alice@example.com>\r\n"
            + "To: bob@corp.example, carol@corp.example\r\n"
            + "Subject: tricky " + id + "\r\n"
            + "Message-ID: <" + id + "@client.test>\r\n"
            + "\r\n"
            + "8-bit: d\u00e9j\u00e0 vu, \u65e5\u672c\u8a9e\r\n"
            + ".a line starting with a dot\r\n"
            + "..two dots\r\n"
            + ".\tdot tab\r\n"
            + longLine + "\r\n"
            + "last line\r\n";
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** The received data without the first header field, Mailstream's Received trace (folded lines). */
  static byte[] withoutTrace(byte[] data) {
    String s = new String(data, StandardCharsets.ISO_8859_1);
    assertTrue(s.startsWith("Received: from client.test"), "trace header first: " + s.substring(0, 60));
    int i = s.indexOf("\r\n");
    while (s.charAt(i + 2) == ' ' || s.charAt(i + 2) == '\t') {
      i = s.indexOf("\r\n", i + 2);
    }
    return Arrays.copyOfRange(data, i + 2, data.length);
  }

  static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  @Test
  void relaysTrickyBodiesByteForByteToSeveralRecipients() throws Exception {
    byte[] raw = trickyMessage("tricky-1");
    send(session(null), raw, "alice@example.com", "bob@corp.example", "carol@corp.example");
    ReceivedMessage got =
        smartHost.awaitMessages(1, Duration.ofSeconds(60)).stream()
            .filter(m -> new String(m.data(), StandardCharsets.ISO_8859_1).contains("tricky-1"))
            .findFirst().orElseThrow();
    assertEquals(sha256(raw), sha256(withoutTrace(got.data())));
    assertEquals(List.of("bob@corp.example", "carol@corp.example"), got.recipients());
    assertEquals("alice@example.com", got.sender());
  }

  @Test
  void clientOutsideRelayFromIsDeniedRelayingButMayMailLocalDomains() throws Exception {
    Session outsider = session("127.0.0.2");
    SendFailedException denied =
        assertThrows(SendFailedException.class,
            () -> send(outsider, trickyMessage("denied"), "eve@elsewhere.test", "bob@corp.example"));
    assertTrue(String.valueOf(denied.getNextException()).contains("550 5.7.1"), String.valueOf(denied.getNextException()));

    send(outsider, trickyMessage("local-1"), "eve@elsewhere.test", "Postmaster@example.com");
    Path newDir = dataDir.resolve("mail").resolve("postmaster").resolve("new");
    Await.until(() -> hasFiles(newDir), Duration.ofSeconds(60), "local delivery into " + newDir);
  }

  private static boolean hasFiles(Path dir) throws Exception {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isPresent();
    }
  }

  @Test
  void reusesConnectionsAndBothDeliveryWorkersTakePart() throws Exception {
    Await.until(() -> node.deliveryWorkers().stream().allMatch(w -> w.partitions() > 0),
        Duration.ofSeconds(60), "both delivery workers own partitions");
    int before = smartHost.messages().size();
    int n = 40;
    Session s = session(null);
    for (int i = 0; i < n; i++) {
      send(s, trickyMessage("bulk-" + i), "alice@example.com", "bob@corp.example");
    }
    List<ReceivedMessage> all = smartHost.awaitMessages(before + n, Duration.ofSeconds(120));
    long bulk = all.stream().filter(m -> new String(m.data(), StandardCharsets.ISO_8859_1).contains("Subject: tricky bulk-")).count();
    assertEquals(n, bulk, "every message exactly once");
    assertTrue(smartHost.connectionsAccepted() < all.size(),
        "connections " + smartHost.connectionsAccepted() + " must be fewer than messages " + all.size());
    List<Long> attempts = node.deliveryWorkers().stream().map(w -> w.attempts()).toList();
    assertEquals(2, attempts.size());
    assertTrue(attempts.stream().allMatch(a -> a > 0), "both delivery workers delivered: " + attempts);
  }
}
