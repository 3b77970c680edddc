package io.mailstream.delivery.client;

import io.mailstream.core.envelope.MailLog;
import io.mailstream.core.event.ReplyRecord;
import io.mailstream.core.rules.AuthInfo;
import io.mailstream.core.smtp.EnhancedStatus;
import io.mailstream.core.smtp.Reply;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.smtp.SmtpRequestEncoder;
import io.netty.handler.codec.smtp.SmtpResponseDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Opens SMTP client connections: TCP connect, greeting, EHLO or HELO. Owns the Netty event loops
 * shared by all its connections; close it when the delivery stage stops.
 *
 * <p><b>Why Netty's codec-smtp, not a plain socket.</b> Mail transactions run on the event loops,
 * many per thread ({@link SmtpTransaction}); session set-up and large bodies use the connection as
 * a blocking facade from a thread of {@link #blocking()}. For those, Netty gives what {@code java.net.Socket} cannot: a time-out on <em>writes</em>. RFC 5321
 * 4.5.3.2.5 bounds every data block by 3 minutes, and a blocking socket write to a server that
 * stops reading hangs until the kernel gives up; here each write returns a future the worker waits
 * on with that deadline, and the back-pressure of waiting keeps at most one chunk per connection
 * in memory. {@code codec-smtp} brings the reply parser (multi-line replies, line limit) and the
 * command encoder (which refuses CR and LF in parameters). It does no dot-stuffing, so the content
 * passes through {@link DotStuffer} first.
 */
public final class SmtpConnector implements AutoCloseable {
  /**
   * RFC 5321 4.5.3.1.5 limits a reply line to 512 octets; allow four times that, because some
   * servers exceed it with long texts, and a reply is still never read without bound.
   */
  private static final int MAX_REPLY_LINE = 2048;

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private final String heloName;
  private final Timeouts timeouts;
  private final ClientSecurity security;
  private final EventLoopGroup group;
  private final Bootstrap bootstrap;
  // Session set-up (connect, greeting, EHLO, STARTTLS, AUTH) and the content of bodies streamed
  // from the bodies topic block; they run here, never on the event loops. Threads are made as
  // needed: the pool's per-destination limits bound how many sessions are set up at once.
  private final ExecutorService blocking =
      Executors.newCachedThreadPool(new DefaultThreadFactory("smtp-connect", true));

  /** A connector with two I/O threads; enough for hundreds of mostly idle SMTP connections. */
  public SmtpConnector(String heloName, Timeouts timeouts) {
    this(heloName, timeouts, 2);
  }

  /**
   * @param heloName the name this host gives in EHLO and HELO (RFC 5321 4.1.1.1: its FQDN)
   * @param timeouts the time-outs of every connection opened here
   * @param ioThreads Netty event loop threads
   */
  public SmtpConnector(String heloName, Timeouts timeouts, int ioThreads) {
    this(heloName, timeouts, ioThreads, ClientSecurity.plain());
  }

  /**
   * @param heloName the name this host gives in EHLO and HELO (RFC 5321 4.1.1.1: its FQDN)
   * @param timeouts the time-outs of every connection opened here
   * @param ioThreads Netty event loop threads
   * @param security STARTTLS and AUTH towards next hops
   */
  public SmtpConnector(String heloName, Timeouts timeouts, int ioThreads, ClientSecurity security) {
    this.heloName = Objects.requireNonNull(heloName, "heloName");
    this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
    this.security = Objects.requireNonNull(security, "security");
    this.group =
        new MultiThreadIoEventLoopGroup(
            ioThreads, new DefaultThreadFactory("smtp-client", true), NioIoHandler.newFactory());
    this.bootstrap =
        new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeouts.connect().toMillis())
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.SO_KEEPALIVE, true)
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ReplyQueue replies = new ReplyQueue();
                    // Kept as an attribute too: a channel the server closes at once (421
                    // greeting) loses its handlers before the connection object is made.
                    ch.attr(ReplyQueue.KEY).set(replies);
                    ch.pipeline()
                        .addLast(new SmtpResponseDecoder(MAX_REPLY_LINE))
                        .addLast(new SmtpRequestEncoder())
                        .addLast(replies);
                  }
                });
  }

  public Timeouts timeouts() {
    return timeouts;
  }

  /** Where blocking work of the SMTP client runs: opening sessions and streaming large bodies. */
  Executor blocking() {
    return blocking;
  }

  /**
   * Connects to {@code address}, reads the greeting, says EHLO (or HELO), then STARTTLS when the
   * server offers it and AUTH when the authinfo file has credentials for the host.
   *
   * <p>When STARTTLS is refused or its handshake fails, the session goes on in the clear (on a new
   * connection after a failed handshake), as sendmail does; but not when credentials are to be
   * sent to the host or certificates are verified: then the host fails with a temporary reply and
   * the mail is deferred rather than sent in the clear.
   *
   * @param key the pool key of the destination; never anything secret, the connection keeps its
   *     authenticated state while pooled under it
   * @param host the name of the next hop, for the relay description and the authinfo lookup
   * @throws SmtpSessionException when the connection cannot be made or the server refuses it
   */
  public SmtpConnection open(String key, String host, InetSocketAddress address)
      throws SmtpSessionException {
    AuthInfo.Credentials credentials = security.credentials(host, address).orElse(null);
    SmtpConnection c = connect(key, host, address);
    if (security.starttls() && c.capabilities().has("STARTTLS")) {
      try {
        c.startTls(security.context(), host, address, heloName, security.verifying());
      } catch (SmtpConnection.TlsFailure e) {
        // A refusal with verification on is like a server without STARTTLS: plain. A handshake
        // that failed (perhaps on the certificate) is not, or tls-trust would be pointless.
        if (credentials != null || (security.verifying() && !e.usable())) {
          String why = credentials != null ? "credentials (" + credentials.where() + ") are not sent without TLS"
              : "delivery.tls-trust is set";
          c.quit();
          ReplyRecord r = e.reply();
          throw new SmtpSessionException(c.relay(), ReplyRecord.of(Reply.temp(r.code() / 100 == 4 ? r.code() : 403,
              EnhancedStatus.X_4_7_0, "STARTTLS failed (" + r + "); " + why)), e);
        }
        MailLog.LOG.info("STARTTLS=client, relay={}, continuing without TLS", c.relay());
        if (!e.usable()) {
          c = connect(key, host, address);
        }
      }
    }
    if (credentials != null) {
      c.authenticate(credentials, security.authWithoutTls());
    }
    return c;
  }

  private SmtpConnection connect(String key, String host, InetSocketAddress address)
      throws SmtpSessionException {
    String relay = describe(host, address);
    ChannelFuture connect = bootstrap.connect(address);
    try {
      // Netty enforces the connect time-out itself; the extra second only guards against a hang.
      if (!connect.await(timeouts.connect().toMillis() + 1000, TimeUnit.MILLISECONDS)) {
        connect.cancel(false);
        throw connectFailure(relay, "Timeout connecting to " + relay, null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      connect.cancel(false);
      connect.channel().close();
      throw connectFailure(relay, "Interrupted while connecting to " + relay, e);
    }
    if (!connect.isSuccess()) {
      Throwable cause = connect.cause();
      throw connectFailure(relay, "Cannot connect to " + relay + ": " + cause.getMessage(), cause);
    }
    Channel channel = connect.channel();
    SmtpConnection connection = new SmtpConnection(channel, key, relay, timeouts);
    connection.handshake(heloName);
    return connection;
  }

  private static SmtpSessionException connectFailure(String relay, String text, Throwable cause) {
    return new SmtpSessionException(relay, SmtpReplies.noAnswer(text), cause);
  }

  /**
   * The relay as sendmail logs it: {@code smtp.example. [192.0.2.1]}, or {@code [192.0.2.1]
   * [192.0.2.1]} when the next hop was given as an address.
   */
  static String describe(String host, InetSocketAddress address) {
    String ip =
        address.getAddress() == null
            ? address.getHostString()
            : address.getAddress().getHostAddress();
    String name;
    if (IPV4.matcher(host).matches() || host.contains(":")) {
      name = "[" + host + "]";
    } else {
      name = host.endsWith(".") ? host : host + ".";
    }
    return name + " [" + ip + "]";
  }

  /** Stops the event loops; open connections are closed without QUIT. */
  @Override
  public void close() {
    blocking.shutdownNow();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
