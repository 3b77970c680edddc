package io.mailstream.delivery.client;

import io.mailstream.core.config.DurationText;
import io.mailstream.core.envelope.MailLog;
import io.mailstream.core.event.ReplyRecord;
import io.mailstream.core.smtp.CipherSuites;
import io.mailstream.core.rules.AuthInfo;
import io.mailstream.core.smtp.EnhancedStatus;
import io.mailstream.core.smtp.Reply;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.smtp.DefaultLastSmtpContent;
import io.netty.handler.codec.smtp.DefaultSmtpContent;
import io.netty.handler.codec.smtp.DefaultSmtpRequest;
import io.netty.handler.codec.smtp.SmtpCommand;
import io.netty.handler.codec.smtp.SmtpRequest;
import io.netty.handler.codec.smtp.SmtpRequests;
import io.netty.handler.codec.smtp.SmtpResponse;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open SMTP connection to a next hop. Session set-up (greeting, EHLO, STARTTLS, AUTH) uses it
 * as a blocking facade over a Netty channel: each call writes, then waits on the write's future or
 * the reply queue with the RFC 5321 4.5.3.2 time-out for that step. Mail transactions run on the
 * channel's event loop instead ({@link SmtpTransaction}). Used by one transaction at a time (the
 * {@link ConnectionPool} hands it over).
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
  private volatile String tls;
  private volatile String authenticated;

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

  /** The TLS version and cipher after STARTTLS ({@code TLSv1.3 TLS_AES_256_GCM_SHA384}), or null. */
  public String tls() {
    return tls;
  }

  /** The mechanism this connection authenticated with, or null; it stays so while pooled. */
  public String authenticated() {
    return authenticated;
  }

  /** True while the connection is open and no step has failed. */
  public boolean usable() {
    return !broken && channel.isActive();
  }

  Timeouts timeouts() {
    return timeouts;
  }

  /** The channel, for a transaction that runs on its event loop. */
  Channel channel() {
    return channel;
  }

  /** Where the channel's replies arrive. */
  ReplyQueue replies() {
    return replies;
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

  private void ehlo(String heloName) throws SmtpSessionException {
    ReplyRecord ehlo = command(SmtpRequests.ehlo(heloName), timeouts.command(), "EHLO");
    if (ehlo.code() / 100 != 2) {
      refuse(ehlo);
    }
    capabilities = Capabilities.fromEhlo(ehlo.lines());
  }

  /** STARTTLS was refused or the TLS handshake failed; the reply says which. */
  static final class TlsFailure extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient ReplyRecord reply;
    private final boolean usable;

    TlsFailure(ReplyRecord reply, boolean usable, Throwable cause) {
      super(reply.toString(), cause);
      this.reply = reply;
      this.usable = usable;
    }

    /** The server's refusal of STARTTLS, or a made-up 4.7.0 for a failed handshake. */
    ReplyRecord reply() {
      return reply;
    }

    /** True when the connection is still open and plain (STARTTLS refused, not broken). */
    boolean usable() {
      return usable;
    }
  }

  /**
   * RFC 3207: STARTTLS, a client-mode TLS handshake on 220, and EHLO again, because what the
   * server offered before TLS no longer counts (RFC 3207 4.2). Logs sendmail's {@code
   * STARTTLS=client} line.
   *
   * @throws TlsFailure when the server refused STARTTLS (the connection stays usable, in the
   *     clear) or the handshake failed (the connection is closed)
   * @throws SmtpSessionException when the session fails otherwise (dropped, 421, EHLO refused)
   */
  void startTls(SslContext context, String host, InetSocketAddress address, String heloName, boolean verifying)
      throws TlsFailure, SmtpSessionException {
    ReplyRecord r = command(new DefaultSmtpRequest(SmtpCommand.valueOf("STARTTLS")), timeouts.command(), "STARTTLS");
    if (r.code() != 220) {
      MailLog.LOG.info("STARTTLS=client, relay={}, refused: {}", relay, r);
      throw new TlsFailure(r, true, null);
    }
    if (replies.pending()) {
      // Anything after the 220 came in the clear and must not be read as if from inside TLS
      // (the client side of CVE-2011-0411, "STARTTLS response injection").
      abort();
      throw handshakeFailure(verifying, "the server sent more after its 220 to STARTTLS", null);
    }
    SslHandler ssl = context.newHandler(channel.alloc(), host, address.getPort());
    ssl.setHandshakeTimeout(timeouts.command().toMillis(), TimeUnit.MILLISECONDS);
    Future<Channel> handshake;
    try {
      channel.pipeline().addFirst("tls", ssl);
      handshake = ssl.handshakeFuture();
      // A server that closed right after its 220 leaves a handler that never starts; once the
      // handler is in, a later close fails the handshake itself.
      if (!channel.isActive()) {
        abort();
        throw handshakeFailure(verifying, "connection closed by the server", null);
      }
      if (!handshake.await(timeouts.command().toMillis() + 1000, TimeUnit.MILLISECONDS)) {
        abort();
        throw handshakeFailure(verifying, "timeout", null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail("Interrupted during the TLS handshake with " + relay, e);
      return;
    }
    if (!handshake.isSuccess()) {
      abort();
      Throwable cause = handshake.cause();
      String why = cause instanceof java.nio.channels.ClosedChannelException ? "connection closed by the server"
          : cause.getMessage() != null ? cause.getMessage() : cause.toString();
      throw handshakeFailure(verifying, why, cause);
    }
    if (replies.pending()) {
      abort();
      throw handshakeFailure(verifying, "the server sent more after its 220 to STARTTLS", null);
    }
    var session = ssl.engine().getSession();
    String cipher = session.getCipherSuite();
    int bits = CipherSuites.keyBits(cipher);
    tls = session.getProtocol() + " " + cipher;
    MailLog.LOG.info("STARTTLS=client, relay={}, version={}, verify={}, cipher={}, bits={}/{}",
        relay, session.getProtocol(), verifying ? "OK" : "NO", cipher, bits, bits);
    ehlo(heloName);
  }

  private TlsFailure handshakeFailure(boolean verifying, String why, Throwable cause) {
    MailLog.LOG.info("STARTTLS=client, relay={}, verify={}, error=handshake failed: {}",
        relay, verifying ? "FAIL" : "NO", why);
    ReplyRecord reply = ReplyRecord.of(
        Reply.temp(403, EnhancedStatus.X_4_7_0, "TLS handshake with " + relay + " failed: " + why));
    return new TlsFailure(reply, false, cause);
  }

  /**
   * RFC 4954: AUTH with the first mechanism the entry allows and the server offers (PLAIN, RFC
   * 4616; LOGIN). Does nothing when the server offers no AUTH or no mechanism in common, as
   * sendmail then sends without authenticating. Credentials are never sent before TLS unless
   * {@code inTheClear}; a refusal is a temporary failure, as sendmail tempfails AUTH failures.
   */
  void authenticate(AuthInfo.Credentials credentials, boolean inTheClear) throws SmtpSessionException {
    if (!capabilities.has("AUTH")) {
      return;
    }
    List<String> offered = Arrays.asList(capabilities.parameters("AUTH").toUpperCase(Locale.ROOT).split("\\s+"));
    String mechanism = credentials.choose(offered).orElse(null);
    if (mechanism == null) {
      MailLog.LOG.info("AUTH=client, relay={}, no common mechanism (offered {}, {} allows {})",
          relay, offered, credentials.where(), credentials.mechanisms().isEmpty() ? AuthInfo.SUPPORTED : credentials.mechanisms());
      return;
    }
    if (tls == null && !inTheClear) {
      MailLog.LOG.info("AUTH=client, relay={}, mech={}, not sent: no TLS", relay, mechanism);
      quit();
      throw new SmtpSessionException(relay, ReplyRecord.of(Reply.temp(451, EnhancedStatus.X_4_7_0,
          "Not sending credentials (" + credentials.where() + ") to " + relay + " without TLS")), null);
    }
    ReplyRecord r;
    if (mechanism.equals("PLAIN")) {
      // RFC 4616 2: [authzid] NUL authcid NUL passwd; no authzid when it is the authcid.
      String authzid = credentials.user().equals(credentials.authid()) ? "" : credentials.user();
      String response = base64(authzid + "\0" + credentials.authid() + "\0" + credentials.password());
      r = command(new DefaultSmtpRequest(SmtpCommand.AUTH, "PLAIN", response), timeouts.command(), "AUTH");
    } else {
      r = command(new DefaultSmtpRequest(SmtpCommand.AUTH, "LOGIN"), timeouts.command(), "AUTH");
      if (r.code() == 334) {
        r = command(new DefaultSmtpRequest(SmtpCommand.EMPTY, base64(credentials.authid())), timeouts.command(), "AUTH");
      }
      if (r.code() == 334) {
        r = command(new DefaultSmtpRequest(SmtpCommand.EMPTY, base64(credentials.password())), timeouts.command(), "AUTH");
      }
    }
    if (r.code() == 235) {
      authenticated = mechanism;
      MailLog.LOG.info("AUTH=client, relay={}, mech={}, authid={}, bits=0", relay, mechanism, credentials.authid());
      return;
    }
    if (r.code() == 334) {
      // The server wants more than the mechanism has: cancel the exchange (RFC 4954 4).
      r = command(new DefaultSmtpRequest(SmtpCommand.EMPTY, "*"), timeouts.command(), "AUTH");
    }
    MailLog.LOG.info("AUTH=client, relay={}, mech={}, authid={}, authentication failed: {}",
        relay, mechanism, credentials.authid(), r);
    quit();
    throw new SmtpSessionException(relay, ReplyRecord.of(Reply.temp(451, EnhancedStatus.X_4_7_0,
        "AUTH=client, relay=" + relay + ", mech=" + mechanism + ", authentication failed: " + r)), null);
  }

  private static String base64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
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
