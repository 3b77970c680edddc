package io.mailstream.ingress.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** The ingress pipeline in an {@link EmbeddedChannel}, with input split across reads as asked. */
final class EmbeddedWire implements Wire {
  /** How sent bytes are cut into reads. */
  enum Split {
    WHOLE,
    BYTES,
    RANDOM
  }

  private final ClientChannel channel;
  private final Split split;
  private final Random random = new Random(5321);
  private final StringBuilder received = new StringBuilder();

  EmbeddedWire(ServerContext context, InetSocketAddress client, Split split) throws Exception {
    this.channel = new ClientChannel(client);
    this.split = split;
    SmtpChannelInitializer.configure(channel.pipeline(), context);
    channel.register();
  }

  EmbeddedChannel channel() {
    return channel;
  }

  @Override
  public void send(byte[] bytes) {
    int i = 0;
    while (i < bytes.length) {
      int n =
          switch (split) {
            case WHOLE -> bytes.length;
            case BYTES -> 1;
            case RANDOM -> 1 + random.nextInt(7);
          };
      n = Math.min(n, bytes.length - i);
      channel.writeInbound(Unpooled.copiedBuffer(bytes, i, n));
      i += n;
    }
    channel.runPendingTasks();
  }

  @Override
  public String readLine(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      drainOutbound();
      int eol = received.indexOf("\r\n");
      if (eol >= 0) {
        String line = received.substring(0, eol);
        received.delete(0, eol + 2);
        return line;
      }
      if (!channel.isOpen()) {
        return null;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no reply within " + timeout + "; have '" + received + "'");
      }
      // Completions arrive from other threads as event loop tasks: run them as they come.
      channel.runPendingTasks();
      channel.runScheduledPendingTasks();
      if (channel.outboundMessages().isEmpty()) {
        LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
      }
    }
  }

  private void drainOutbound() {
    ByteBuf b;
    while ((b = channel.readOutbound()) != null) {
      received.append(b.toString(StandardCharsets.UTF_8));
      b.release();
    }
  }

  @Override
  public void close() {
    channel.finishAndReleaseAll();
  }

  /** An embedded channel that says it is connected from a given IP address. */
  private static final class ClientChannel extends EmbeddedChannel {
    private final InetSocketAddress remote;

    ClientChannel(InetSocketAddress remote) {
      super(EmbeddedChannel.builder().register(false));
      this.remote = remote;
    }

    @Override
    protected SocketAddress remoteAddress0() {
      return remote;
    }
  }
}
