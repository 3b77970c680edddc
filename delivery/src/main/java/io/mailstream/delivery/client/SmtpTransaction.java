package io.mailstream.delivery.client;

import io.mailstream.core.config.DurationText;
import io.mailstream.core.event.EnvelopeRecipient;
import io.mailstream.core.event.ReplyRecord;
import io.mailstream.delivery.OutboundMessage;
import io.mailstream.delivery.RecipientResult;
import io.mailstream.delivery.RecipientResult.Outcome;
import io.mailstream.delivery.TransactionResult;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.smtp.DefaultLastSmtpContent;
import io.netty.handler.codec.smtp.DefaultSmtpContent;
import io.netty.handler.codec.smtp.SmtpRequest;
import io.netty.handler.codec.smtp.SmtpRequests;
import io.netty.handler.codec.smtp.SmtpResponse;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One mail transaction on an open connection (RFC 5321 3.3), run on the connection's event loop:
 * no thread waits for its replies. When the server offers PIPELINING (RFC 2920) MAIL, every RCPT
 * and DATA go out in one write and the replies are read in order; otherwise one command at a time.
 * Each recipient's outcome comes from the reply that concerns it:
 *
 * <ul>
 *   <li>MAIL refused: every recipient gets that reply (4xx deferred, 5xx bounced);
 *   <li>RCPT refused: only that recipient; when none is accepted no content is sent;
 *   <li>DATA or the final dot refused: every accepted recipient gets that reply;
 *   <li>{@code 421}, time-out or dropped connection: every recipient not yet decided is deferred.
 * </ul>
 *
 * A completed transaction leaves the connection ready for the next MAIL (RFC 5321 4.1.4: no RSET
 * is needed); only a transaction abandoned after MAIL was accepted ends with RSET (RFC 5321
 * 4.1.1.5). One instance per attempt.
 */
final class SmtpTransaction implements ReplyQueue.Listener {
  private static final Logger log = LoggerFactory.getLogger(SmtpTransaction.class);

  /** The result, and whether it is only the trace of a connection that was stale when reused. */
  record Attempt(TransactionResult result, boolean staleConnection) {}

  private enum Kind { MAIL, RCPT, DATA, END, RSET }

  private record Step(Kind kind, int index, Duration timeout, String what) {}

  private final SmtpConnection connection;
  private final Channel channel;
  private final OutboundMessage message;
  private final Timeouts timeouts;
  private final Executor streaming;
  private final boolean pipelining;
  private final RecipientResult[] results;
  private final List<Integer> accepted = new ArrayList<>();
  private final ArrayDeque<Step> expected = new ArrayDeque<>();
  private final CompletableFuture<Attempt> done = new CompletableFuture<>();
  private ScheduledFuture<?> timer;
  private boolean mailAccepted;
  private boolean repliesSeen;
  private boolean stale;
  // Why the content could not be written; set before the connection is closed because of it.
  private volatile ReplyRecord streamFailure;
  private boolean contentWritten;

  /**
   * @param streaming runs the content phase of a body that is not in memory (it blocks on reads of
   *     the stored body and on the connection's back-pressure)
   */
  SmtpTransaction(SmtpConnection connection, OutboundMessage message, Executor streaming) {
    this.connection = connection;
    this.channel = connection.channel();
    this.message = message;
    this.timeouts = connection.timeouts();
    this.streaming = streaming;
    this.pipelining = connection.capabilities().has("PIPELINING");
    this.results = new RecipientResult[message.recipients().size()];
  }

  /** Starts the transaction on the connection's event loop. */
  CompletableFuture<Attempt> start() {
    channel.eventLoop().execute(this::begin);
    return done;
  }

  private void begin() {
    if (!sizeFits()) {
      finish();
      return;
    }
    connection.replies().listen(this);
    if (done.isDone()) {
      return; // The connection was closed before the transaction began.
    }
    send(Kind.MAIL, -1, mail());
    if (pipelining) {
      // RFC 2920 3.1: MAIL, RCPT and DATA may be grouped; DATA is the last command of a group.
      for (int i = 0; i < results.length; i++) {
        send(Kind.RCPT, i, rcpt(i));
      }
      send(Kind.DATA, -1, SmtpRequests.data());
    }
    channel.flush();
    arm();
  }

  /** RFC 1870 6.1: a message over the server's declared limit is not offered at all. */
  private boolean sizeFits() {
    long limit = connection.capabilities().maxSize();
    long size = message.size();
    if (limit > 0 && size > limit) {
      failUndecided(SmtpReplies.tooBig(size, limit));
      return false;
    }
    return true;
  }

  private SmtpRequest mail() {
    Capabilities caps = connection.capabilities();
    List<CharSequence> params = new ArrayList<>();
    long size = message.size();
    if (caps.has("SIZE") && size >= 0) {
      params.add("SIZE=" + size);
    }
    // RFC 6152: declare 8-bit content when the server understands it. When it does not, the
    // message goes as it is, like sendmail's default EightBitMode=pass8; MIME downgrading is not
    // implemented.
    if (caps.has("8BITMIME") && message.eightBit()) {
      params.add("BODY=8BITMIME");
    }
    if (caps.has("DSN")) {
      addIfSet(params, "RET=", message.dsn().ret());
      addIfSet(params, "ENVID=", message.dsn().envid());
    }
    return SmtpRequests.mail(message.sender().toString(), params.toArray(CharSequence[]::new));
  }

  private SmtpRequest rcpt(int i) {
    EnvelopeRecipient r = message.recipients().get(i);
    List<CharSequence> params = new ArrayList<>();
    if (connection.capabilities().has("DSN")) {
      addIfSet(params, "NOTIFY=", r.notifyOn());
      addIfSet(params, "ORCPT=", r.orcpt());
    }
    return SmtpRequests.rcpt(r.address().toString(), params.toArray(CharSequence[]::new));
  }

  /** Queues a command (written at the next flush) and the reply it expects. */
  private void send(Kind kind, int index, SmtpRequest request) {
    expected.add(new Step(kind, index, timeoutOf(kind), kind.name()));
    channel.write(request).addListener(f -> {
      if (!f.isSuccess()) {
        channel.close(); // onClosed() then decides what the recipients get
      }
    });
  }

  private Duration timeoutOf(Kind kind) {
    return switch (kind) {
      case MAIL -> timeouts.mail();
      case RCPT -> timeouts.rcpt();
      case DATA -> timeouts.dataInit();
      case END -> timeouts.dataTermination();
      case RSET -> timeouts.command();
    };
  }

  @Override
  public void onReply(SmtpResponse response) {
    disarm();
    ReplyRecord reply = SmtpReplies.fromServer(response);
    Step step = expected.poll();
    if (step == null || (step.kind() == Kind.END && !contentWritten)) {
      // A reply nobody asked for (before the content was complete): the server's state is unknown.
      log.debug("{}: unexpected reply {}", connection.relay(), reply);
      connection.abort();
      failUndecided(reply.code() / 100 == 2 ? SmtpReplies.badConnection("Unexpected reply " + reply) : reply);
      finish();
      return;
    }
    log.debug("{}: {} -> {}", connection.relay(), step.what(), reply);
    repliesSeen |= reply.code() != 421;
    if (reply.code() == 421) {
      stale = !repliesSeen;
      // RFC 5321 3.8: the server is going away, whatever the command was.
      connection.abort();
      failUndecided(reply);
      finish();
      return;
    }
    switch (step.kind()) {
      case MAIL -> onMail(reply);
      case RCPT -> onRcpt(step.index(), reply);
      case DATA -> onData(reply);
      case END -> onEnd(reply);
      case RSET -> onRset(reply);
    }
  }

  private void onMail(ReplyRecord reply) {
    if (reply.code() / 100 == 2) {
      mailAccepted = true;
      if (!pipelining) {
        next(0);
      } else {
        arm();
      }
      return;
    }
    failUndecided(reply);
    if (pipelining) {
      arm(); // The replies to the RCPTs and DATA still come, and the RSET after DATA's.
    } else {
      finish();
    }
  }

  private void onRcpt(int i, ReplyRecord reply) {
    if (results[i] == null) {
      if (reply.code() / 100 == 2) {
        accepted.add(i);
      } else {
        decide(i, reply);
      }
    }
    if (pipelining) {
      arm();
    } else {
      next(i + 1);
    }
  }

  /** Without PIPELINING: the next RCPT, DATA once every recipient was offered, or RSET. */
  private void next(int rcpt) {
    if (rcpt < results.length) {
      send(Kind.RCPT, rcpt, rcpt(rcpt));
    } else if (!accepted.isEmpty()) {
      send(Kind.DATA, -1, SmtpRequests.data());
    } else {
      send(Kind.RSET, -1, SmtpRequests.rset());
    }
    channel.flush();
    arm();
  }

  private void onData(ReplyRecord reply) {
    if (reply.code() != 354) {
      if (mailAccepted) {
        failUndecided(reply);
      }
      // The transaction is abandoned (and Netty's encoder waits for content until RSET).
      send(Kind.RSET, -1, SmtpRequests.rset());
      channel.flush();
      arm();
      return;
    }
    expected.add(new Step(Kind.END, -1, timeouts.dataTermination(), "end of data"));
    if (accepted.isEmpty()) {
      // RFC 2920 3.1: DATA was accepted although no recipient was; an empty message ends it.
      contentWritten = true;
      writeLast(new byte[0]);
      return;
    }
    if (message.body().inMemory()) {
      writeContentNow();
    } else {
      streaming.execute(this::streamContent);
    }
  }

  private void onEnd(ReplyRecord reply) {
    for (int i : accepted) {
      decide(i, reply);
    }
    finish();
  }

  private void onRset(ReplyRecord reply) {
    if (reply.code() / 100 != 2) {
      connection.abort();
    }
    finish();
  }

  /** The trace header and the body, stuffed, from the event loop: the body is in memory. */
  private void writeContentNow() {
    DotStuffer stuffer = new DotStuffer();
    try {
      channel.write(new DefaultSmtpContent(
          Unpooled.wrappedBuffer(stuffer.stuff(message.traceHeaderBytes(), 0, message.traceHeaderBytes().length))));
      message.body().writeTo((chunk, offset, length) -> channel.write(new DefaultSmtpContent(
          Unpooled.wrappedBuffer(stuffer.stuff(chunk, offset, length)))));
    } catch (IOException | RuntimeException e) {
      unreadable(e);
      return;
    }
    contentWritten = true;
    writeLast(stuffer.finish());
  }

  /**
   * The content of a body read while it is sent, from a streaming thread that waits on each write
   * (RFC 5321 4.5.3.2.5: data block time-out), so that one chunk at a time is in memory.
   */
  private void streamContent() {
    DotStuffer stuffer = new DotStuffer();
    try {
      writeBlocking(stuffer.stuff(message.traceHeaderBytes(), 0, message.traceHeaderBytes().length));
      message.body().writeTo((chunk, offset, length) -> writeBlocking(stuffer.stuff(chunk, offset, length)));
    } catch (IOException | RuntimeException e) {
      if (streamFailure == null) {
        channel.eventLoop().execute(() -> unreadable(e));
      }
      return; // A broken connection: onClosed() gives the recipients the failure.
    }
    channel.eventLoop().execute(() -> {
      contentWritten = true;
      writeLast(stuffer.finish());
    });
  }

  private void writeBlocking(byte[] stuffed) throws IOException {
    if (stuffed.length == 0) {
      return;
    }
    ChannelFuture f = channel.writeAndFlush(new DefaultSmtpContent(Unpooled.wrappedBuffer(stuffed)));
    Duration timeout = timeouts.dataBlock();
    boolean written;
    try {
      written = f.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      written = false;
    }
    if (!written || !f.isSuccess()) {
      // Recorded before the close, so that onClosed() reports it rather than the close.
      streamFailure = SmtpReplies.badConnection(written
          ? "Connection to " + connection.relay() + " lost while sending DATA"
          : "Timeout sending DATA to " + connection.relay() + " after " + format(timeout));
      connection.abort();
      throw new IOException(streamFailure.toString());
    }
  }

  /**
   * Ends the content; Netty's encoder follows it with the terminating {@code .CRLF}. The data block
   * time-out runs until it is written, then the wait for the reply's.
   */
  private void writeLast(byte[] tail) {
    disarm();
    Duration block = timeouts.dataBlock();
    timer = channel.eventLoop().schedule(() -> {
      streamFailure = SmtpReplies.badConnection("Timeout sending DATA to " + connection.relay() + " after " + format(block));
      connection.abort();
    }, block.toNanos(), TimeUnit.NANOSECONDS);
    channel.writeAndFlush(new DefaultLastSmtpContent(Unpooled.wrappedBuffer(tail))).addListener(f -> {
      if (!f.isSuccess()) {
        channel.close();
      } else if (!done.isDone()) {
        arm();
      }
    });
  }

  /**
   * The stored body could not be read. The final dot must not be sent, or the server would deliver
   * a truncated message; closing the connection makes it discard the transaction.
   */
  private void unreadable(Exception e) {
    connection.abort();
    failUndecided(SmtpReplies.localError("Cannot read the queued message " + message.queueId() + ": " + e));
    finish();
  }

  @Override
  public void onClosed(Throwable cause) {
    stale = !repliesSeen;
    Step step = expected.peek();
    String what = step == null ? "the next command" : step.what();
    ReplyRecord failure = streamFailure;
    failUndecided(failure != null ? failure : SmtpReplies.badConnection(
        "Connection closed by " + connection.relay() + " while waiting for reply to " + what));
    finish();
  }

  /** The time-out of the reply expected next; the replies of a pipelined group each get their own. */
  private void arm() {
    disarm();
    Step step = expected.peek();
    if (step == null || done.isDone()) {
      return;
    }
    timer = channel.eventLoop().schedule(() -> {
      connection.abort();
      failUndecided(SmtpReplies.badConnection("Timeout waiting for reply to " + step.what() + " from "
          + connection.relay() + " after " + format(step.timeout())));
      finish();
    }, step.timeout().toNanos(), TimeUnit.NANOSECONDS);
  }

  private void disarm() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  private void finish() {
    if (done.isDone()) {
      return;
    }
    disarm();
    if (channel.eventLoop().inEventLoop()) {
      connection.replies().unlisten();
    }
    if (!connection.usable() || !expected.isEmpty()) {
      connection.abort();
    }
    done.complete(new Attempt(new TransactionResult(connection.relay(), Arrays.asList(results)), stale));
  }

  /** 2xx delivers, 5xx bounces, anything else (4xx, a stray 3xx) defers. */
  private void decide(int i, ReplyRecord reply) {
    Outcome outcome;
    if (reply.code() / 100 == 2) {
      outcome = Outcome.DELIVERED;
    } else {
      outcome = reply.code() >= 500 ? Outcome.BOUNCED : Outcome.DEFERRED;
    }
    results[i] = new RecipientResult(message.recipients().get(i), outcome, reply);
  }

  /**
   * Gives {@code reply}, which ended the transaction early, to every recipient without a result
   * yet. Only the final reply to the content can deliver, so an odd 2xx here defers.
   */
  private void failUndecided(ReplyRecord reply) {
    for (int i = 0; i < results.length; i++) {
      if (results[i] == null) {
        Outcome outcome = reply.code() >= 500 ? Outcome.BOUNCED : Outcome.DEFERRED;
        results[i] = new RecipientResult(message.recipients().get(i), outcome, reply);
      }
    }
  }

  private static void addIfSet(List<CharSequence> params, String name, String value) {
    if (value != null && !value.isEmpty()) {
      params.add(name + value);
    }
  }

  private static String format(Duration d) {
    return d.toMillis() % 1000 == 0 ? DurationText.format(d) : d.toMillis() + "ms";
  }
}
