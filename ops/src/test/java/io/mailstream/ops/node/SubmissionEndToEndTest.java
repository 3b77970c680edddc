package io.mailstream.ops.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.delivery.testkit.FakeSmartHost;
import io.mailstream.delivery.testkit.ReceivedMessage;
import io.mailstream.core.testkit.TestCertificates;
import io.mailstream.ops.cli.ConfigOptions;
import io.mailstream.ops.cli.MailstreamCommand;
import io.mailstream.queue.testkit.TestKafka;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Submission as a mail client does it: a user added with {@code mailstream passwd}, a node started
 * with the same options as {@code mailstream start --tls-cert --tls-key --users --submission}, and
 * real clients (Jakarta Mail, swaks) doing AUTH over STARTTLS on the submission port, relaying
 * from an address that relay-from does not allow.
 */
class SubmissionEndToEndTest {
  @TempDir static Path dir;
  static TestCertificates certs;
  static FakeSmartHost smartHost;
  static MailstreamNode node;
  static InetSocketAddress mta;
  static InetSocketAddress submission;

  @BeforeAll
  static void start() throws Exception {
    certs = TestCertificates.create(dir);
    Path users = dir.resolve("users");
    assertEquals(0, passwd("alice", users, "correct horse\n"));
    smartHost = FakeSmartHost.start();
    Path yaml = dir.resolve("mailstream.yaml");
    Files.writeString(yaml, "kafka:\n  topic-prefix: submission-" + UUID.randomUUID() + "\n  partitions: 2\n");
    ConfigOptions options =
        CommandLine.populateCommand(
            new ConfigOptions(),
            "--config", yaml.toString(),
            "--hostname", "relay.test",
            "--data-dir", dir.resolve("data").toString(),
            "--listen", "127.0.0.1:0",
            "--submission", "127.0.0.1:0",
            "--relay-from", "192.0.2.0/24",
            "--smart-host", "127.0.0.1:" + smartHost.port(),
            "--kafka", TestKafka.bootstrap(),
            "--tls-cert", certs.certificate().toString(),
            "--tls-key", certs.key().toString(),
            "--users", users.toString());
    MailstreamConfig config = options.load();
    node = MailstreamNode.start(config, EnumSet.allOf(Stage.class));
    mta = node.listening().get(0);
    submission = node.listening().get(1);
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    smartHost.close();
  }

  static int passwd(String user, Path users, String stdin) {
    InputStream before = System.in;
    System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    try {
      CommandLine cli = MailstreamCommand.commandLine();
      cli.setOut(new PrintWriter(new StringWriter()));
      return cli.execute("passwd", user, "--users", users.toString(), "--password-stdin", "--iterations", "1000");
    } finally {
      System.setIn(before);
    }
  }

  private Session session(InetSocketAddress where, String user, String password) throws Exception {
    Properties p = new Properties();
    p.put("mail.smtp.host", where.getHostString());
    p.put("mail.smtp.port", String.valueOf(where.getPort()));
    p.put("mail.smtp.auth", "true");
    p.put("mail.smtp.starttls.enable", "true");
    p.put("mail.smtp.starttls.required", "true");
    p.put("mail.smtp.ssl.socketFactory", certs.clientSockets());
    p.put("mail.smtp.ssl.checkserveridentity", "true");
    p.put("mail.smtp.localhost", "laptop.client.test");
    return Session.getInstance(p, new jakarta.mail.Authenticator() {
      @Override
      protected jakarta.mail.PasswordAuthentication getPasswordAuthentication() {
        return new jakarta.mail.PasswordAuthentication(user, password);
      }
    });
  }

  private static MimeMessage message(Session s, String subject) throws Exception {
    MimeMessage m = new MimeMessage(s);
    m.setFrom(new InternetAddress("alice@client.test"));
    m.setRecipient(Message.RecipientType.TO, new InternetAddress("friend@elsewhere.test"));
    m.setSubject(subject);
    m.setText("sent over STARTTLS with AUTH\n");
    return m;
  }

  @Test
  void jakartaMailSubmitsWithAuthOverStartTlsAndTheSmartHostGetsIt() throws Exception {
    int before = smartHost.messages().size();
    Transport.send(message(session(submission, "alice", "correct horse"), "jakarta submission"));
    List<ReceivedMessage> got = smartHost.awaitMessages(before + 1, Duration.ofSeconds(60));
    ReceivedMessage m = got.stream().filter(r -> text(r).contains("Subject: jakarta submission")).findFirst().orElseThrow();
    assertEquals(List.of("friend@elsewhere.test"), m.recipients());
    String text = text(m);
    assertTrue(text.contains("with ESMTPSA id"), text);
    assertTrue(text.contains("(authenticated bits=0)"), text);
  }

  @Test
  void aWrongPasswordIsRefusedAndNothingIsQueued() throws Exception {
    Session s = session(submission, "alice", "wrong");
    assertThrows(AuthenticationFailedException.class, () -> Transport.send(message(s, "never sent")));
  }

  @Test
  void swaksDoesAuthPlainOverStartTlsOnTheSubmissionPort() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/swaks")), "swaks is not installed");
    int before = smartHost.messages().size();
    String subject = "swaks " + UUID.randomUUID();
    Process p =
        new ProcessBuilder(
                "swaks", "--server", "127.0.0.1", "--port", String.valueOf(submission.getPort()),
                "--tls", "--auth", "PLAIN", "--auth-user", "alice", "--auth-password", "correct horse",
                "--from", "alice@client.test", "--to", "friend@elsewhere.test",
                "--header", "Subject: " + subject, "--helo", "laptop.client.test")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    assertTrue(out.contains("<~  235 2.7.0 Authentication successful"), out);
    List<ReceivedMessage> got = smartHost.awaitMessages(before + 1, Duration.ofSeconds(60));
    assertTrue(got.stream().anyMatch(r -> text(r).contains(subject)));
  }

  @Test
  void withoutAuthTheSameClientMayNotRelay() throws Exception {
    AssertionError refused =
        assertThrows(AssertionError.class, () -> Smtp.send(mta, "alice@client.test", "friend@elsewhere.test", "no auth"));
    assertTrue(refused.getMessage().endsWith("550 5.7.1 Relaying denied"), refused.getMessage());
  }

  private static String text(ReceivedMessage m) {
    return new String(m.data(), StandardCharsets.UTF_8);
  }
}
