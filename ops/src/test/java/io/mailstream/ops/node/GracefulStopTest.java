package io.mailstream.ops.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node asked to stop while a real client is in the middle of DATA: an idle session and a new
 * connection are told {@code 421 4.3.2}, the client in DATA finishes, gets its {@code 250} and
 * then the 421, and the stop completes. The message is delivered exactly once: by this node before
 * it stopped, or by the next start, from where the stopped workers handed it back.
 */
class GracefulStopTest {
  private static final String SHUTTING_DOWN = "421 4.3.2 relay.test Service shutting down, closing transmission channel";

  @TempDir Path dir;

  @Test
  void aStopLetsTheTransactionInProgressFinishAndTurnsEveryoneElseAway() throws Exception {
    try (FakeSmartHost smartHost = FakeSmartHost.start()) {
      MailstreamConfig config = new ConfigBuilder()
          .hostname("relay.test")
          .dataDir(dir.resolve("data").toString())
          .listen(List.of("127.0.0.1:0"))
          .smartHost("127.0.0.1:" + smartHost.port())
          .kafkaBootstrap(TestKafka.bootstrap())
          .topicPrefix("stop-" + UUID.randomUUID())
          .partitions(2)
          .deliveryThreads(1)
          .build();
      MailstreamNode node = MailstreamNode.start(config, EnumSet.allOf(Stage.class));
      InetSocketAddress smtp = node.listening().get(0);
      CompletableFuture<Void> stopped;
      try (Client inData = new Client(smtp); Client idle = new Client(smtp)) {
        inData.expect("220").say("EHLO client.test").expect("250").say("MAIL FROM:<a@client.test>").expect("250")
            .say("RCPT TO:<b@corp.example>").expect("250").say("DATA").expect("354")
            .say("Subject: in flight when the stop came").say("");
        idle.expect("220").say("EHLO client.test").expect("250");

        stopped = CompletableFuture.runAsync(node::close);
        assertEquals(SHUTTING_DOWN, idle.line(), "an idle session is told at once");
        assertEquals(null, idle.line(), "and closed");
        try (Client late = new Client(smtp)) {
          assertEquals(SHUTTING_DOWN, late.line(), "a new connection, instead of the banner");
        }
        assertFalse(stopped.isDone(), "the stop waits for the transaction in progress");

        inData.say("the body, finished after the stop began").say(".");
        assertTrue(inData.line().startsWith("250 2.0.0 "), "the message is accepted");
        assertEquals(SHUTTING_DOWN, inData.line(), "then the session ends");
      }
      stopped.get(60, TimeUnit.SECONDS);

      // Whatever the stopped node had not delivered, the next one does; nothing twice.
      try (MailstreamNode again = MailstreamNode.start(config, EnumSet.allOf(Stage.class))) {
        List<ReceivedMessage> got = smartHost.awaitMessages(1, Duration.ofSeconds(60));
        Thread.sleep(3000); // a duplicate would come within the same few seconds
        assertEquals(1, smartHost.messages().size(), smartHost.messages().toString());
        assertTrue(got.get(0).text().contains("the body, finished after the stop began"));
      }
    }
  }

  /** A line-at-a-time SMTP client over a real socket. */
  private static final class Client implements AutoCloseable {
    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;

    Client(InetSocketAddress server) throws Exception {
      socket = new Socket(server.getAddress(), server.getPort());
      socket.setSoTimeout(60_000);
      in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      out = socket.getOutputStream();
    }

    Client say(String line) throws Exception {
      out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return this;
    }

    /** The last line of the next reply. */
    Client expect(String code) throws Exception {
      String line = line();
      assertTrue(line != null && line.startsWith(code), "expected " + code + " but got " + line);
      return this;
    }

    String line() throws Exception {
      String line = in.readLine();
      while (line != null && line.length() > 3 && line.charAt(3) == '-') {
        line = in.readLine();
      }
      return line;
    }

    @Override
    public void close() throws Exception {
      socket.close();
    }
  }
}
