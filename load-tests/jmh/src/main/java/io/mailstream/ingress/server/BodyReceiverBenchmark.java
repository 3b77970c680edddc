package io.mailstream.ingress.server;

import io.mailstream.core.event.MessageAccepted;
import io.mailstream.ingress.publish.BodyWriter;
import io.mailstream.ingress.publish.Submission;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link BodyReceiver}: every octet of a received body after dot-unstuffing, copied into its chunk,
 * its lines measured and checked for bare CR, LF and NUL, its header section scanned. A message of
 * SIZE octets (a 1 KiB header section, then 76-character lines) in pieces of 1460 octets, as the
 * decoder hands them on.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class BodyReceiverBenchmark {
  private static final int PIECE = 1460;

  @Param({"4096", "102400"})
  int size;

  private ByteBuf body;
  private EmbeddedChannel channel;
  private InputGate gate;
  private final BodyWriter discard = new BodyWriter() {
    @Override
    public CompletableFuture<Void> write(byte[] chunk) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<MessageAccepted> commit(Submission submission) {
      return new CompletableFuture<>();
    }

    @Override
    public void abort() {}
  };

  @Setup(Level.Trial)
  public void setUp() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; text.length() < 1024; i++) {
      text.append("Received: from host").append(i).append(".example.test by relay.test with ESMTP; Sat, 5 Dec 2026\r\n");
    }
    text.append("Message-ID: <bench@example.test>\r\nSubject: a benchmark\r\n\r\n");
    while (text.length() < size) {
      text.append("x".repeat(74)).append("\r\n");
    }
    body = Unpooled.directBuffer(text.length());
    body.writeBytes(text.toString().getBytes(StandardCharsets.US_ASCII));
    channel = new EmbeddedChannel();
    gate = new InputGate(channel, new LineFramer());
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    body.release();
    channel.finishAndReleaseAll();
  }

  /** One body, piece by piece, to its summary; returns its longest line. */
  @Benchmark
  public long receive() {
    BodyReceiver receiver = new BodyReceiver(discard, Long.MAX_VALUE, Runnable::run, gate);
    int end = body.writerIndex();
    for (int at = 0; at < end; at += PIECE) {
      receiver.accept(body.slice(at, Math.min(PIECE, end - at)));
    }
    return receiver.finish().longestLine();
  }
}
