package io.mailstream.ops.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mailstream.core.config.ConfigBuilder;
import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.queue.testkit.TestKafka;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A relay whose own name is {@code localhost}, with {@code localhost} in class w, refuses to relay
 * for a loopback client outside {@code --relay-from}: no name Mailstream gave the client itself
 * grants anything. Both ways a relay ends up called localhost: {@code --hostname localhost}, and a
 * hosts file that lists the machine's name after localhost on 127.0.0.1 (the machine name then
 * resolves to {@code localhost}).
 */
class LoopbackRelayTest {
  private static final String OUTSIDE_NET = "10.99.0.0/16";

  @Test
  void hostnameLocalhostWithLocalhostInClassWRefusesEveryRelayAttempt() throws Exception {
    try (MailstreamNode node = MailstreamNode.start(localhostRelay(List.of(OUTSIDE_NET)), EnumSet.of(Stage.ingress))) {
      assertRefusesRelaying(node.listening().get(0));
    }
  }

  @Test
  void withoutRelayFromLoopbackClientsStillRelay() throws Exception {
    try (MailstreamNode node = MailstreamNode.start(localhostRelay(null), EnumSet.of(Stage.ingress))) {
      InetSocketAddress smtp = node.listening().get(0);
      assertEquals("250 2.1.5 Ok", RelayAttempts.rcptReply(smtp, "a@outside.test", "friend@elsewhere.test"));
    }
  }

  /** The relay of the report: named localhost, and localhost in class w (sendmail's Cwlocalhost). */
  private static MailstreamConfig localhostRelay(List<String> relayFrom) throws Exception {
    ConfigBuilder b =
        new ConfigBuilder()
            .hostname("localhost")
            .dataDir(Files.createTempDirectory("mailstream-loopback").toString())
            .listen(List.of("127.0.0.1:0"))
            .localDomains(List.of("local.test", "localhost"))
            .smartHost("127.0.0.1:" + freePort())
            .kafkaBootstrap(TestKafka.bootstrap())
            .topicPrefix("loopback-" + UUID.randomUUID())
            .partitions(1);
    return (relayFrom == null ? b : b.relayFrom(relayFrom)).build();
  }

  @Test
  void aMachineNamedLocalhostByItsHostsFileWarnsAndRefusesEveryRelayAttempt() throws Exception {
    Path dir = Files.createTempDirectory("mailstream-hostsfile");
    Path hosts = dir.resolve("hosts");
    // The boot-time hosts file of many images: the machine's name after localhost, on 127.0.0.1.
    String machine = InetAddress.getLocalHost().getHostName();
    Files.writeString(hosts, "127.0.0.1 localhost\n127.0.0.1 " + machine + "\n::1 localhost\n");
    int port = freePort();
    Path out = dir.resolve("console");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process node =
        new ProcessBuilder(
                java, "-Xmx512m", "-Djdk.net.hosts.file=" + hosts, "-cp", System.getProperty("java.class.path"),
                "io.mailstream.ops.cli.MailstreamCommand", "start",
                "--listen", "127.0.0.1:" + port, "--smart-host", "127.0.0.1:" + freePort(),
                "--relay-from", OUTSIDE_NET, "--local-domain", "local.test", "--data-dir", dir.resolve("data").toString())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    try {
      Await.until(
          () -> console(out).contains("listening on") || !node.isAlive(), Duration.ofSeconds(120), "the node to listen");
      assertTrue(node.isAlive(), console(out));
      String console = console(out);
      assertTrue(console.contains("this relay's name is 'localhost'"), console);
      assertTrue(console.contains("set --hostname"), console);
      assertRefusesRelaying(new InetSocketAddress("127.0.0.1", port));
    } finally {
      node.destroy();
      if (!node.waitFor(60, TimeUnit.SECONDS)) {
        node.destroyForcibly();
      }
    }
  }

  private static void assertRefusesRelaying(InetSocketAddress smtp) throws Exception {
    // The listener works: mail for a local domain is taken from the same client.
    assertEquals("250 2.1.5 Ok", RelayAttempts.rcptReply(smtp, "a@outside.test", "user@local.test"));
    List<String> relayed = new ArrayList<>();
    for (String[] attempt : RelayAttempts.OUTSIDE) {
      String reply = RelayAttempts.rcptReply(smtp, attempt[0], attempt[1]);
      if (!reply.startsWith("5")) {
        relayed.add("MAIL FROM:<" + attempt[0] + "> RCPT TO:<" + attempt[1] + ">: " + reply);
      }
    }
    assertEquals(List.of(), relayed, "relay attempts that were not refused");
    assumeTrue(RelayAttempts.nmapInstalled(), "nmap is not installed (CI installs it)");
    String nmap = RelayAttempts.nmapVerdict(smtp.getPort());
    assertTrue(nmap.contains("Server doesn't seem to be an open relay, all tests failed"), nmap);
  }

  private static String console(Path out) throws Exception {
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
