package io.mailstream.queue.codec;

import io.mailstream.core.event.MailEvent;
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

/**
 * The event codec (version 1) on the golden examples the codec's tests use: every message passes
 * through encode and decode several times (accepted, routed, delivery outcome).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class EventCodecBenchmark {
  /** Names of {@link GoldenEvents#all()}. */
  @Param({"message-accepted", "recipient-routed", "delivered", "deferred"})
  String event;

  private MailEvent value;
  private byte[] encoded;

  @Setup
  public void setUp() {
    value = GoldenEvents.all().get(event);
    if (value == null) {
      throw new IllegalArgumentException("no golden event " + event + "; have " + GoldenEvents.all().keySet());
    }
    encoded = EventCodec.encode(value);
  }

  @Benchmark
  public byte[] encode() {
    return EventCodec.encode(value);
  }

  @Benchmark
  public MailEvent decode() {
    return EventCodec.decode(encoded);
  }
}
