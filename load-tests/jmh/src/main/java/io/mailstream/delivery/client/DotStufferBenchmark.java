package io.mailstream.delivery.client;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The delivery side of DATA: {@link DotStuffer} on a stored body of SIZE octets of 76-character
 * CRLF lines, one in fifty starting with a dot, handed over in pieces of 64 KiB (a body chunk), as
 * the SMTP client sends it.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class DotStufferBenchmark {
  private static final int PIECE = 64 * 1024;

  @Param({"4096", "102400", "10485760"})
  int size;

  private byte[] body;

  @Setup
  public void body() {
    StringBuilder text = new StringBuilder(size + 80);
    for (int line = 0; text.length() < size; line++) {
      text.append(line % 50 == 0 ? "." : "x").append("y".repeat(73)).append("\r\n");
    }
    body = text.substring(0, size - size % 76).getBytes(StandardCharsets.US_ASCII);
  }

  @Benchmark
  public void stuff(Blackhole out) {
    DotStuffer stuffer = new DotStuffer();
    for (int at = 0; at < body.length; at += PIECE) {
      out.consume(stuffer.stuff(body, at, Math.min(PIECE, body.length - at)));
    }
    out.consume(stuffer.finish());
  }
}
