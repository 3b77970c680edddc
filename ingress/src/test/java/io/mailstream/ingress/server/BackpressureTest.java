package io.mailstream.ingress.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.envelope.QueueId;
import io.mailstream.core.event.BodyRef;
import io.mailstream.core.event.MessageAccepted;
import io.mailstream.ingress.publish.BodyWriter;
import io.mailstream.ingress.publish.MessagePublisher;
import io.mailstream.ingress.publish.Submission;
import io.mailstream.ingress.testing.TestConfig;
import io.mailstream.queue.codec.BodyChunk;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A slow queue slows the client down: while more than one chunk is unacknowledged the channel
 * stops reading, and the session never holds more than one chunk of its own.
 */
class BackpressureTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  @Test
  void readingStopsWhileTwoChunksAreUnacknowledged() throws Exception {
    HeldPublisher publisher = new HeldPublisher();
    ServerContext context =
        new ServerContext(TestConfig.standard(), publisher, Clock.systemUTC(), QueueId::next, Duration.ofMinutes(5));
    try (EmbeddedWire wire =
        new EmbeddedWire(context, new InetSocketAddress("127.0.0.1", 40000), EmbeddedWire.Split.WHOLE)) {
      wire.readLine(WAIT);
      wire.send("EHLO c.test\r\nMAIL FROM:<a@c.test>\r\nRCPT TO:<b@local.test>\r\nDATA\r\n".getBytes(StandardCharsets.US_ASCII));
      while (!wire.readLine(WAIT).startsWith("354")) {
        // the EHLO, MAIL and RCPT replies
      }
      StringBuilder body = new StringBuilder();
      while (body.length() < 5 * BodyChunk.MAX_SIZE / 2) {
        body.append("y".repeat(78)).append("\r\n");
      }
      byte[] bytes = body.toString().getBytes(StandardCharsets.US_ASCII);
      wire.send(bytes);
      wire.send(".\r\nNOOP\r\n".getBytes(StandardCharsets.US_ASCII));

      // Two full chunks are out and unacknowledged: input is paused, the rest waits unframed.
      assertEquals(2, publisher.held.size());
      assertFalse(wire.channel().config().isAutoRead());
      int acknowledged = 0;
      while (!publisher.held.isEmpty()) {
        publisher.held.poll().complete(null);
        acknowledged++;
        wire.channel().runPendingTasks();
      }
      assertEquals(3, acknowledged);
      String reply = wire.readLine(WAIT);
      assertTrue(reply.matches("250 2\\.0\\.0 \\w+ Message accepted for delivery"), reply);
      assertEquals("250 2.0.0 Ok", wire.readLine(WAIT));
      assertTrue(wire.channel().config().isAutoRead());
      assertArrayEquals(bytes, publisher.body.toByteArray());
      assertEquals(List.of(BodyChunk.MAX_SIZE, BodyChunk.MAX_SIZE, bytes.length - 2 * BodyChunk.MAX_SIZE),
          publisher.sizes);
    }
  }

  /** Keeps every chunk write pending until the test completes it. */
  private static final class HeldPublisher implements MessagePublisher, BodyWriter {
    final ArrayDeque<CompletableFuture<Void>> held = new ArrayDeque<>();
    final ArrayList<CompletableFuture<Void>> all = new ArrayList<>();
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    final List<Integer> sizes = new ArrayList<>();

    @Override
    public BodyWriter begin(String queueId) {
      return this;
    }

    @Override
    public CompletableFuture<Void> write(byte[] chunk) {
      body.writeBytes(chunk);
      sizes.add(chunk.length);
      CompletableFuture<Void> f = new CompletableFuture<>();
      held.add(f);
      all.add(f);
      return f;
    }

    @Override
    public CompletableFuture<MessageAccepted> commit(Submission submission) {
      return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
          .thenApply(v -> submission.toEvent(new BodyRef(0, List.of(0L), body.size())));
    }

    @Override
    public void abort() {}
  }
}
