package io.mailstream.ops.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.delivery.testkit.FakeSmartHost;
import io.mailstream.delivery.testkit.ReceivedMessage;
import io.mailstream.core.testkit.TestCertificates;
import io.mailstream.ops.cli.ConfigOptions;
import io.mailstream.queue.testkit.TestKafka;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Seed 001, Mailstream to Mailstream: node A relays everything to a smart host on its submission
 * port, as sendmail with {@code RELAY_MAILER_ARGS `TCP $h 587'} and FEATURE(authinfo) does. The
 * smart host is node B, whose submission listener wants AUTH over STARTTLS; B hands the mail to a
 * fake smart host. A message sent to A arriving there proves A did STARTTLS and AUTH.
 */
class SmartHostAuthEndToEndTest {
  @TempDir static Path dir;
  static FakeSmartHost last;
  static MailstreamNode nodeB;
  static MailstreamNode nodeA;
  static InetSocketAddress mtaA;

  @BeforeAll
  static void start() throws Exception {
    Path b = Files.createDirectories(dir.resolve("b"));
    TestCertificates certs = TestCertificates.create(b);
    Path users = b.resolve("users");
    assertEquals(0, SubmissionEndToEndTest.passwd("relay-a", users, "s3cret pass\n"));
    last = FakeSmartHost.start();
    Path yamlB = Files.writeString(b.resolve("mailstream.yaml"),
        "kafka:\n  topic-prefix: smarthost-b-" + UUID.randomUUID() + "\n  partitions: 2\n");
    nodeB = MailstreamNode.start(load(
        "--config", yamlB.toString(),
        "--hostname", "b.test",
        "--data-dir", b.resolve("data").toString(),
        "--listen", "127.0.0.1:0",
        "--submission", "127.0.0.1:0",
        "--relay-from", "192.0.2.0/24",
        "--smart-host", "127.0.0.1:" + last.port(),
        "--kafka", TestKafka.bootstrap(),
        "--tls-cert", certs.certificate().toString(),
        "--tls-key", certs.key().toString(),
        "--users", users.toString()), EnumSet.allOf(Stage.class));
    InetSocketAddress submissionB = nodeB.listening().get(1);

    Path a = Files.createDirectories(dir.resolve("a"));
    Files.writeString(a.resolve("client-info"),
        "# FEATURE(`authinfo',`hash /etc/mail/auth/client-info')\n"
            + "AuthInfo:127.0.0.1 \"U:relay-a\" \"P:s3cret pass\" \"M:PLAIN LOGIN\"\n",
        StandardCharsets.UTF_8);
    Path yamlA = Files.writeString(a.resolve("mailstream.yaml"),
        "kafka:\n  topic-prefix: smarthost-a-" + UUID.randomUUID() + "\n  partitions: 2\n"
            + "delivery:\n  starttls: true\n"
            + "routing:\n  authinfo: client-info\n");
    nodeA = MailstreamNode.start(load(
        "--config", yamlA.toString(),
        "--hostname", "a.test",
        "--data-dir", a.resolve("data").toString(),
        "--listen", "127.0.0.1:0",
        "--relay-from", "127.0.0.1/32",
        "--smart-host", "127.0.0.1:" + submissionB.getPort(),
        "--kafka", TestKafka.bootstrap()), EnumSet.allOf(Stage.class));
    mtaA = nodeA.listening().get(0);
  }

  private static MailstreamConfig load(String... args) throws Exception {
    return CommandLine.populateCommand(new ConfigOptions(), args).load();
  }

  @AfterAll
  static void stop() throws Exception {
    if (nodeA != null) {
      nodeA.close();
    }
    if (nodeB != null) {
      nodeB.close();
    }
    last.close();
  }

  @Test
  void mailToATravelsThroughBsSubmissionPortWithStartTlsAndAuth() throws Exception {
    String subject = "via submission " + UUID.randomUUID();
    Smtp.send(mtaA, "app@a.test", "friend@elsewhere.test", subject);

    List<ReceivedMessage> got = last.awaitMessages(1, Duration.ofSeconds(60));
    ReceivedMessage m = got.stream().filter(r -> r.text().contains(subject)).findFirst().orElseThrow();
    assertEquals(List.of("friend@elsewhere.test"), m.recipients());
    String text = m.text();
    // B's trace field: A came in authenticated, over TLS (RFC 3848: ESMTPSA).
    assertTrue(text.contains("with ESMTPSA id"), text);
    assertTrue(text.contains("(authenticated bits=0)"), text);
    assertTrue(text.contains("a.test"), text);
  }
}
