package io.mailstream.delivery.client;

import io.mailstream.core.config.DurationText;
import io.mailstream.core.event.ReplyRecord;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.smtp.DefaultLastSmtpContent;
import io.netty.handler.codec.smtp.DefaultSmtpContent;
import io.netty.handler.codec.smtp.SmtpRequest;
import io.netty.handler.codec.smtp.SmtpRequests;
import io.netty.handler.codec.smtp.SmtpResponse;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open SMTP connection to a next hop, as a blocking facade over a Netty channel: each call
 * writes, then waits on the write's future or the reply queue with the RFC 5321 4.5.3.2 time-out
 * for that step. Used by one delivery thread at a time (the {@link ConnectionPool} hands it over).
 *
 * <p>Any failure (time-out, dropped connection, {@code 421}) closes the channel and throws {@link
 * SmtpSessionException}; after that {@link #usable()} is false and the pool discards it.
 */
public final class SmtpConnection {
  private static final Logger log = LoggerFactory.getLogger(SmtpConnection.class);

  private final Channel channel;
  private final ReplyQueue replies;
  private final String key;
  private final String relay;
  private final Timeouts timeouts;
  private volatile Capabilities capabilities = Capabilities.NONE;
  private volatile boolean broken;

  SmtpConnection(Channel channel, String key, String relay, Timeouts timeouts) {
    this.channel = channel;
    this.replies = channel.attr(ReplyQueue.KEY).get();
    this.key = key;
    this.relay = relay;
    this.timeouts = timeouts;
  }

  /** The pool key: the destination this connection serves. */
  public String key() {
    return key;
  }

  /** The server as sendmail logs it: {@code smtp.example. [192.0.2.1]}. */
  public String relay() {
    return relay;
  }

  /** What the server offered in its EHLO reply; {@link Capabilities#NONE} after HELO. */
  public Capabilities capabilities() {
    return capabilities;
  }

  /** True while the connection is open and no step has failed. */
  public boolean usable() {
    return !broken && channel.isActive();
  }

  Timeouts timeouts() {
    return timeouts;
  }

  /**
   * Reads the greeting and says EHLO, falling back to HELO when the server rejects EHLO with 5xx
   * (RFC 5321 3.2). Any other refusal ends the session.
   */
  void handshake(String heloName) throws SmtpSessionException {
    ReplyRecord greeting = awaitReply(timeouts.greeting(), "the greeting");
    if (greeting.code() != 220) {
      refuse(greeting);
    }
    ReplyRecord ehlo = command(SmtpRequests.ehlo(heloName), timeouts.command(), "EHLO");
    if (ehlo.code() / 100 == 2) {
      capabilities = Capabilities.fromEhlo(ehlo.lines());
      return;
    }
    if (ehlo.code() < 500) {
      refuse(ehlo);
    }
    ReplyRecord helo = command(SmtpRequests.helo(heloName), timeouts.command(), "HELO");
    if (helo.code() / 100 != 2) {
      refuse(helo);
    }
    capabilities = Capabilities.NONE;
  }

  /** Ends a session the server refused: RFC 5321 3.1 asks the client to QUIT nevertheless. */
  private void refuse(ReplyRecord reply) throws SmtpSessionException {
    quit();
    broken = true;
    throw new SmtpSessionException(relay, reply, null);
  }

  /** Sends one command and waits up to {@code timeout} for its reply. */
  ReplyRecord command(SmtpRequest request, Duration timeout, String what)
      throws SmtpSessionException {
    write(request, timeout, what);
    return awaitReply(timeout, what);
  }

  /**
   * RSET before reuse (RFC 5321 4.1.1.5), which also proves the server is still there. Returns
   * false, with the connection closed, when it is not.
   */
  boolean reset() {
    try {
      ReplyRecord r = command(SmtpRequests.rset(), timeouts.command(), "RSET");
      if (r.code() / 100 == 2) {
        return true;
      }
      log.debug("{}: RSET answered {}, discarding the connection", relay, r);
      abort();
      return false;
    } catch (SmtpSessionException e) {
      log.debug("{}: RSET failed, discarding the connection: {}", relay, e.getMessage());
      return false;
    }
  }

  /** Writes one chunk of stuffed DATA content (RFC 5321 4.5.3.2.5: data block time-out). */
  void writeContent(byte[] stuffed) throws SmtpSessionException {
    write(new DefaultSmtpContent(Unpooled.wrappedBuffer(stuffed)), timeouts.dataBlock(), "DATA");
  }

  /** Writes the last chunk; Netty's encoder follows it with the terminating {@code .CRLF}. */
  void writeLastContent(byte[] stuffed) throws SmtpSessionException {
    write(
        new DefaultLastSmtpContent(Unpooled.wrappedBuffer(stuffed)), timeouts.dataBlock(), "DATA");
  }

  private void write(Object message, Duration timeout, String what) throws SmtpSessionException {
    ChannelFuture f = channel.writeAndFlush(message);
    try {
      if (!f.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        fail("Timeout sending " + what + " to " + relay + " after " + format(timeout), null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail("Interrupted while sending " + what + " to " + relay, e);
    }
    if (!f.isSuccess()) {
      fail("Connection to " + relay + " lost while sending " + what, f.cause());
    }
  }

  /**
   * Waits up to {@code timeout} for the next reply. A {@code 421} closes the connection and is
   * thrown (RFC 5321 3.8: the server is going away, whatever the command was).
   */
  ReplyRecord awaitReply(Duration timeout, String what) throws SmtpSessionException {
    SmtpResponse response = null;
    try {
      response = replies.poll(timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail("Interrupted while waiting for " + what + " from " + relay, e);
    } catch (ReplyQueue.ClosedException e) {
      fail("Connection closed by " + relay + " while waiting for reply to " + what, e.getCause());
    }
    if (response == null) {
      fail("Timeout waiting for reply to " + what + " from " + relay + " after " + format(timeout),
          null);
    }
    ReplyRecord reply = SmtpReplies.fromServer(response);
    log.debug("{}: {} -> {}", relay, what, reply);
    if (reply.code() == 421) {
      abort();
      throw new SmtpSessionException(relay, reply, null);
    }
    return reply;
  }

  private void fail(String text, Throwable cause) throws SmtpSessionException {
    abort();
    throw new SmtpSessionException(relay, SmtpReplies.badConnection(text), cause);
  }

  /**
   * Says QUIT without waiting (RFC 5321 4.1.1.10): the channel closes when the server answers or
   * closes, or after the command time-out at the latest. Never blocks the caller, so that the pool
   * can close many idle connections at once.
   */
  void quit() {
    if (!usable()) {
      abort();
      return;
    }
    broken = true;
    replies.quitting();
    ScheduledFuture<?> deadline;
    try {
      deadline =
          channel
              .eventLoop()
              .schedule(this::abort, timeouts.command().toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // The connector is shutting down; its event loops close every channel anyway.
      abort();
      return;
    }
    channel.closeFuture().addListener(f -> deadline.cancel(false));
    channel
        .writeAndFlush(SmtpRequests.quit())
        .addListener(
            f -> {
              // The encoder refuses QUIT while it expects DATA content; then just close.
              if (!f.isSuccess()) {
                abort();
              }
            });
  }

  /** Closes at once, without QUIT: after a failure, or when the session state is unknown. */
  void abort() {
    broken = true;
    channel.close();
  }

  private static String format(Duration d) {
    return d.toMillis() % 1000 == 0 ? DurationText.format(d) : d.toMillis() + "ms";
  }

  @Override
  public String toString() {
    return "SmtpConnection[" + relay + ", " + capabilities + (usable() ? "" : ", closed") + "]";
  }
}
