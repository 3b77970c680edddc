package io.mailstream.ingress.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.mailstream.core.event.MessageAccepted;
import io.mailstream.ingress.publish.BodyWriter;
import io.mailstream.ingress.publish.Submission;
import io.mailstream.ingress.session.BodySummary;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * The fuzz target of the message body path: {@link LineFramer} in data mode, {@link DataDecoder} and
 * {@link BodyReceiver}, as the pipeline runs them after 354, and the framer's BDAT chunks. Each input
 * is what a client sends after 354 (or after {@code BDAT n}), fed whole, octet by octet and cut at
 * pseudo-random places drawn from the input itself.
 *
 * <p>In a normal test run, {@code @FuzzTest} replays the seed corpus in {@code
 * src/test/resources/io/mailstream/ingress/server/DataFuzzTestInputs/anyBody/}; with {@code
 * JAZZER_FUZZ=1} it fuzzes for {@code maxDuration} and writes any failing input there.
 *
 * <p>What must hold whatever the octets: however they are cut into reads, the same body, the same
 * end-of-data decision and the same commands after it; the end is the first line that is a single
 * dot between CRLFs (RFC 5321 4.5.2), and the body is what was sent before it with one leading dot
 * taken off each line; the terminator is never part of it, and the body dot-stuffed again, as
 * delivery sends it on, reads back as the same body ended at its own dot; the receiver counts every
 * octet, stores the body exactly while it is within the size limit and nothing once it is past it;
 * and its line measure and bare CR/LF/NUL check agree with the body. A BDAT chunk is the next n
 * octets exactly, whatever they hold.
 */
class DataFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void anyBody(byte[] input) {
    Model model = Model.of(input);
    Random random = new Random(Arrays.hashCode(input));
    List<int[]> cuts = List.of(new int[0], everyOctet(input.length), cuts(random, input.length), cuts(random, input.length));
    for (int[] cut : cuts) {
      Seen seen = run(input, cut, -1);
      assertEquals(model.ended, seen.ended, "end of data, " + describe(cut, input.length));
      assertArrayEquals(model.body, seen.body.toByteArray(), "body, " + describe(cut, input.length));
      if (model.ended) {
        assertEquals(run(input, new int[0], -1).after, seen.after, "commands after the dot");
      }
    }
    if (model.ended) {
      // What delivery sends on: the body stuffed again and ended. It must read back as the same
      // body, ended at the dot the sender added and nowhere before it.
      byte[] relayed = Arrays.copyOf(stuff(model.body), stuff(model.body).length + 3);
      System.arraycopy(new byte[] {'.', '\r', '\n'}, 0, relayed, relayed.length - 3, 3);
      Seen next = run(relayed, new int[0], -1);
      assertTrue(next.ended, "the relayed body ends");
      assertArrayEquals(model.body, next.body.toByteArray(), "the relayed body");
      assertEquals(List.of(), next.after, "nothing after the relayed body's dot");
      checkReceiver(model.body);
    }
    int chunk = input.length == 0 ? 0 : 1 + Math.floorMod(Arrays.hashCode(input), input.length);
    for (int[] cut : cuts) {
      Seen seen = run(input, cut, chunk);
      assertArrayEquals(Arrays.copyOf(input, chunk), seen.body.toByteArray(), "BDAT " + chunk + ", " + describe(cut, input.length));
      assertEquals(chunk > 0, seen.ended, "BDAT " + chunk + ", " + describe(cut, input.length));
    }
  }

  /** The body as the receiver gets it, against limits under, at and over its size. */
  private static void checkReceiver(byte[] body) {
    for (long limit : new long[] {Long.MAX_VALUE, body.length, body.length / 2, 0}) {
      MemoryWriter writer = new MemoryWriter();
      EmbeddedChannel channel = new EmbeddedChannel();
      BodyReceiver receiver = new BodyReceiver(writer, limit, Runnable::run, new InputGate(channel, new LineFramer()));
      int from = 0;
      // In pieces of up to 97 octets, as the decoder hands them on.
      while (from < body.length) {
        int n = Math.min(97, body.length - from);
        ByteBuf piece = Unpooled.wrappedBuffer(body, from, n);
        receiver.accept(piece);
        piece.release();
        from += n;
      }
      BodySummary summary = receiver.finish();
      assertEquals(body.length, summary.size());
      if (body.length <= limit) {
        assertArrayEquals(body, writer.stored.toByteArray(), "stored body, limit " + limit);
        assertTrue(!writer.aborted);
      } else {
        assertTrue(writer.aborted, "a body over the limit of " + limit + " is abandoned");
        assertTrue(writer.stored.size() <= limit, writer.stored.size() + " octets stored past a limit of " + limit);
      }
      assertEquals(longestLine(body), summary.longestLine(), "longest line");
      assertEquals(hasBareLineEndOrNul(body), summary.badLineEnd() != null, "bare CR, LF or NUL: " + summary.badLineEnd());
      channel.finishAndReleaseAll();
    }
  }

  /** Feeds the input after 354 (or after {@code BDAT chunk} when chunk >= 0), read by read. */
  private static Seen run(byte[] input, int[] cuts, int chunk) {
    Seen seen = new Seen();
    LineFramer framer = new LineFramer();
    EmbeddedChannel channel = new EmbeddedChannel(framer, new DataDecoder(), seen);
    if (chunk > 0) {
      framer.chunkMode(chunk, true);
    } else if (chunk < 0) {
      framer.dataMode();
    }
    int from = 0;
    for (int to : cuts) {
      channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(input, from, to)));
      from = to;
    }
    channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(input, from, input.length)));
    channel.finishAndReleaseAll();
    return seen;
  }

  /** Plays the session's part: takes the body, and frames commands after its end. */
  private static final class Seen extends ChannelInboundHandlerAdapter {
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    final List<String> after = new ArrayList<>();
    boolean ended;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof ByteBuf b) {
        assertTrue(!ended, "body octets after the end");
        byte[] data = new byte[b.readableBytes()];
        b.readBytes(data);
        body.writeBytes(data);
        b.release();
      } else if (msg == Inbound.END_OF_DATA || msg == Inbound.END_OF_CHUNK) {
        assertTrue(!ended, "a second end");
        ended = true;
        ctx.pipeline().get(LineFramer.class).commandMode();
      } else {
        after.add(msg instanceof Inbound.Line line ? "line " + line.text() : String.valueOf(msg));
      }
    }
  }

  /** RFC 5321 4.5.2 read plainly: CRLF-ended lines, the first lone dot ends, one leading dot goes. */
  private record Model(boolean ended, byte[] body) {
    static Model of(byte[] in) {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      int start = 0;
      while (true) {
        int end = crlf(in, start);
        if (end < 0) {
          // No end: what is there so far, less a CR that may begin the CRLF still to come.
          int to = in.length > start && in[in.length - 1] == '\r' ? in.length - 1 : in.length;
          int from = start < to && in[start] == '.' ? start + 1 : start;
          body.write(in, from, Math.max(0, to - from));
          return new Model(false, body.toByteArray());
        }
        if (end - start == 1 && in[start] == '.') {
          return new Model(true, body.toByteArray());
        }
        int from = in[start] == '.' ? start + 1 : start;
        body.write(in, from, end + 2 - from);
        start = end + 2;
      }
    }

    private static int crlf(byte[] in, int from) {
      for (int i = from; i + 1 < in.length; i++) {
        if (in[i] == '\r' && in[i + 1] == '\n') {
          return i;
        }
      }
      return -1;
    }
  }

  /** Dot-stuffing as a sending client does it (RFC 5321 4.5.2), after CRLFs only. */
  private static byte[] stuff(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    boolean lineStart = true;
    for (int i = 0; i < body.length; i++) {
      if (lineStart && body[i] == '.') {
        out.write('.');
      }
      out.write(body[i]);
      lineStart = i > 0 && body[i - 1] == '\r' && body[i] == '\n';
    }
    return out.toByteArray();
  }

  private static long longestLine(byte[] body) {
    long longest = 0;
    long line = 0;
    for (byte b : body) {
      line++;
      if (b == '\n') {
        longest = Math.max(longest, line);
        line = 0;
      }
    }
    return Math.max(longest, line);
  }

  private static boolean hasBareLineEndOrNul(byte[] body) {
    for (int i = 0; i < body.length; i++) {
      boolean crlf = i + 1 < body.length && body[i] == '\r' && body[i + 1] == '\n';
      if (body[i] == 0 || (body[i] == '\r' && !crlf) || (body[i] == '\n' && (i == 0 || body[i - 1] != '\r'))) {
        return true;
      }
    }
    return false;
  }

  private static String describe(int[] cuts, int length) {
    if (cuts.length == 0) {
      return "whole";
    }
    return cuts.length == length - 1 && length > 2 ? "octet by octet" : "cut at " + Arrays.toString(cuts);
  }

  private static int[] everyOctet(int length) {
    int[] cuts = new int[Math.max(0, length - 1)];
    for (int i = 0; i < cuts.length; i++) {
      cuts[i] = i + 1;
    }
    return cuts;
  }

  private static int[] cuts(Random random, int length) {
    return random.ints(random.nextInt(8), 0, length + 1).sorted().toArray();
  }

  /** The queue as the receiver sees it: chunks stored at once, in order. */
  private static final class MemoryWriter implements BodyWriter {
    final ByteArrayOutputStream stored = new ByteArrayOutputStream();
    boolean aborted;

    @Override
    public CompletableFuture<Void> write(byte[] chunk) {
      stored.writeBytes(chunk);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<MessageAccepted> commit(Submission submission) {
      throw new AssertionError("not committed here");
    }

    @Override
    public void abort() {
      aborted = true;
    }
  }
}
