package io.mailstream.ingress.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
 * The DATA path of the Netty pipeline: {@link LineFramer} in data mode and {@link DataDecoder}
 * (dot-unstuffing, end of data) on a message of SIZE octets of 76-character lines, some of them
 * dot-stuffed, arriving in reads of 1460 octets (one loopback segment's worth) or 64 KiB.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class DataDecoderBenchmark {
  @Param({"4096", "102400"})
  int size;

  @Param({"1460", "65536"})
  int readSize;

  private List<byte[]> reads;
  private EmbeddedChannel channel;
  private Consumer consumer;

  @Setup(Level.Trial)
  public void setUp() {
    StringBuilder body = new StringBuilder();
    int line = 0;
    while (body.length() < size) {
      // Every tenth line starts with a period, which the client stuffed.
      String text = (line++ % 10 == 0 ? ".." : "") + "x".repeat(74);
      body.append(text).append("\r\n");
    }
    body.append(".\r\n");
    byte[] bytes = body.toString().getBytes(StandardCharsets.US_ASCII);
    reads = new ArrayList<>();
    for (int from = 0; from < bytes.length; from += readSize) {
      reads.add(Arrays.copyOfRange(bytes, from, Math.min(bytes.length, from + readSize)));
    }
    consumer = new Consumer();
    channel = new EmbeddedChannel(new LineFramer(), new DataDecoder(), consumer);
    channel.pipeline().get(LineFramer.class).dataMode();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    channel.finishAndReleaseAll();
  }

  /** One message body from the first read to the end-of-data mark; returns the octets kept. */
  @Benchmark
  public long decodeMessage() {
    consumer.octets = 0;
    for (byte[] read : reads) {
      channel.writeInbound(Unpooled.wrappedBuffer(read));
    }
    return consumer.octets;
  }

  /** Plays the session: counts the body and puts the framer back into data mode at the end. */
  private static final class Consumer extends ChannelInboundHandlerAdapter {
    long octets;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg == Inbound.END_OF_DATA) {
        ctx.pipeline().get(LineFramer.class).dataMode();
      } else if (msg instanceof ByteBuf buf) {
        octets += buf.readableBytes();
      }
      ReferenceCountUtil.release(msg);
    }
  }
}
