package io.mailstream.ops.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mailstream.core.config.ConfigBuilder;
import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.delivery.testkit.FakeSmartHost;
import io.mailstream.delivery.testkit.ReceivedMessage;
import io.mailstream.queue.testkit.TestKafka;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Masquerading end to end: the smart host sees the envelope sender and the From header rewritten
 * (MASQUERADE_AS, MASQUERADE_DOMAIN, masquerade_entire_domain, masquerade_envelope) and every other
 * byte of the message as the client sent it.
 */
class MasqueradeEndToEndTest {
  @TempDir Path dataDir;

  @Test
  void smartHostSeesMasqueradedEnvelopeAndHeadersAndNothingElseChanged() throws Exception {
    try (FakeSmartHost smartHost = FakeSmartHost.start()) {
      ConfigBuilder b =
          new ConfigBuilder()
              .hostname("relay.test")
              .dataDir(dataDir.toString())
              .listen(List.of("127.0.0.1:0"))
              .smartHost("127.0.0.1:" + smartHost.port())
              .kafkaBootstrap(TestKafka.bootstrap())
              .topicPrefix("masq-" + UUID.randomUUID())
              .partitions(2)
              .deliveryThreads(1);
      b.routing()
          .masqueradeAs("example.com")
          .masqueradeDomains(List.of("dept.example.com"))
          .flag("masquerade.entire-domain", true)
          .flag("masquerade.envelope", true);
      MailstreamConfig config = b.build();
      String headers =
          "From: \"Alice, Dept\" <alice@web1.dept.example.com>\r\n"
              + "To: bob@corp.example\r\n"
              + "Subject: masquerade\r\n";
      String body = "\r\nalice@web1.dept.example.com in the body stays as it is\r\n";
      try (MailstreamNode node = MailstreamNode.start(config, EnumSet.allOf(Stage.class))) {
        send(node.listening().get(0), "alice@web1.dept.example.com", "bob@corp.example", headers + body);
        ReceivedMessage got = smartHost.awaitMessages(1, Duration.ofSeconds(60)).get(0);
        assertEquals("alice@example.com", got.sender());
        String data = new String(got.data(), StandardCharsets.UTF_8);
        String afterTrace = data.substring(data.indexOf("From: "));
        assertEquals(headers.replace("alice@web1.dept.example.com", "alice@example.com") + body, afterTrace);
      }
    }
  }

  private static void send(InetSocketAddress server, String from, String to, String message) throws Exception {
    try (Socket s = new Socket(server.getAddress(), server.getPort())) {
      s.setSoTimeout(60_000);
      BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      OutputStream out = s.getOutputStream();
      in.readLine();
      out.write(("EHLO client.test\r\n").getBytes(StandardCharsets.US_ASCII));
      String line;
      do {
        line = in.readLine();
      } while (line.charAt(3) == '-');
      for (String c : List.of("MAIL FROM:<" + from + ">", "RCPT TO:<" + to + ">", "DATA")) {
        out.write((c + "\r\n").getBytes(StandardCharsets.US_ASCII));
        in.readLine();
      }
      out.write((message + ".\r\n").getBytes(StandardCharsets.UTF_8));
      String reply = in.readLine();
      if (!reply.startsWith("250")) {
        throw new AssertionError(reply);
      }
    }
  }
}
