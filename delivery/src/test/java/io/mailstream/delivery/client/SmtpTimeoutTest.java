package io.mailstream.delivery.client;

import static io.mailstream.delivery.client.ClientFixture.WAIT;
import static io.mailstream.delivery.testkit.TestMessages.TRACE;
import static io.mailstream.delivery.testkit.TestMessages.address;
import static io.mailstream.delivery.testkit.TestMessages.message;
import static io.mailstream.delivery.testkit.TestMessages.recipients;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.event.ReplyRecord;
import io.mailstream.delivery.BodySource;
import io.mailstream.delivery.ChunkSink;
import io.mailstream.delivery.OutboundMessage;
import io.mailstream.delivery.RecipientResult.Outcome;
import io.mailstream.delivery.TransactionResult;
import io.mailstream.delivery.testkit.Verb;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each RFC 5321 4.5.3.2 time-out, shortened to 300 ms while every other one stays at 5 s, against
 * a host that does not answer that step: the attempt must end by that time-out, not another one.
 */
@Timeout(30)
class SmtpTimeoutTest {
  private static final Duration SHORT = Duration.ofMillis(300);

  static Stream<Arguments> steps() {
    return Stream.of(
        step(Verb.GREETING, t -> t.withGreeting(SHORT), "the greeting"),
        step(Verb.EHLO, t -> t.withCommand(SHORT), "EHLO"),
        step(Verb.MAIL, t -> t.withMail(SHORT), "MAIL"),
        step(Verb.RCPT, t -> t.withRcpt(SHORT), "RCPT"),
        step(Verb.DATA, t -> t.withDataInit(SHORT), "DATA"),
        step(Verb.DATA_END, t -> t.withDataTermination(SHORT), "end of data"));
  }

  @Test
  void aServerThatStopsReadingDefersAfterTheDataBlockTimeout() throws Exception {
    try (ClientFixture f = ClientFixture.start(ClientFixture.SHORT.withDataBlock(SHORT))) {
      f.host.stallMidData(0);
      OutboundMessage m =
          new OutboundMessage(
              "Q1", address("s@x.test"), recipients("a@y.test"), TRACE, endless(), null);
      long start = System.nanoTime();

      TransactionResult r = f.send(m);

      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertEquals(
          "451 4.4.2 Timeout sending DATA to [127.0.0.1] [127.0.0.1] after 300ms",
          r.recipients().get(0).reply().toString());
      assertEquals(Outcome.DEFERRED, r.recipients().get(0).outcome());
      assertTrue(took.compareTo(Duration.ofSeconds(4)) < 0, "took " + took);
      assertEquals(0, f.pool.idleCount(f.host.destination().key()));
    }
  }

  /**
   * 16 MiB of unknown size (so no SIZE check stops it), made on the fly in 64 KiB chunks: more
   * than the socket buffers hold, so the writes block once the host stops reading.
   */
  private static BodySource endless() {
    byte[] chunk = new byte[64 * 1024];
    Arrays.fill(chunk, (byte) 'x');
    for (int i = 62; i < chunk.length; i += 64) {
      chunk[i] = '\r';
      chunk[i + 1] = '\n';
    }
    return new BodySource() {
      @Override
      public long size() {
        return -1;
      }

      @Override
      public void writeTo(ChunkSink sink) throws IOException {
        for (int i = 0; i < 256; i++) {
          sink.accept(chunk);
        }
      }
    };
  }

  private static Arguments step(Verb verb, UnaryOperator<Timeouts> shorten, String what) {
    return Arguments.of(verb, shorten.apply(ClientFixture.SHORT), what);
  }

  @ParameterizedTest(name = "[{index}] silent on {0}")
  @MethodSource("steps")
  void aSilentServerDefersAfterTheTimeoutOfThatStep(Verb verb, Timeouts timeouts, String what)
      throws Exception {
    try (ClientFixture f = ClientFixture.start(timeouts)) {
      f.host.silentOn(verb);
      long start = System.nanoTime();

      TransactionResult r = f.send(message("s@x.test", List.of("a@y.test", "b@y.test"), "x\r\n"));

      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertTrue(r.all(Outcome.DEFERRED), r::toString);
      ReplyRecord reply = r.recipients().get(1).reply();
      assertEquals(
          "451 4.4.2 Timeout waiting for reply to "
              + what
              + " from [127.0.0.1] [127.0.0.1] after 300ms",
          reply.toString());
      assertTrue(took.compareTo(Duration.ofSeconds(4)) < 0, "took " + took);
      // The client closed the connection it gave up on, and did not pool it.
      f.host.awaitConnectionsOpen(0, WAIT);
      assertEquals(0, f.pool.idleCount(f.host.destination().key()));
    }
  }
}
