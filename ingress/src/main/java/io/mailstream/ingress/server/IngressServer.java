package io.mailstream.ingress.server;

import io.mailstream.core.config.ConfigException;
import io.mailstream.core.config.HostPort;
import io.mailstream.core.config.Listener;
import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.core.envelope.QueueId;
import io.mailstream.core.rules.AccessDb;
import io.mailstream.core.rules.RuleSet;
import io.mailstream.ingress.auth.Authenticator;
import io.mailstream.ingress.auth.UsersFile;
import io.mailstream.ingress.publish.MessagePublisher;
import io.mailstream.ingress.session.Policy;
import io.mailstream.ingress.session.StageHealth;
import io.mailstream.ingress.session.StorageSpace;
import io.mailstream.ingress.tls.ServerTls;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SMTP server of the ingress stage: listens on every {@code listen} address of the config,
 * checks clients, senders and recipients against sendmail's tables (access database, class w and
 * R, the routing tables) when given, and hands each accepted message to a {@link
 * MessagePublisher}.
 *
 * <pre>{@code
 * try (IngressServer server =
 *     IngressServer.builder().config(config).publisher(publisher).rules(rules).access(access).build()) {
 *   server.start();
 *   ... server.boundAddresses() ...
 * }
 * }</pre>
 *
 * The server does not own the publisher: close it after the server.
 */
public final class IngressServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IngressServer.class);

  /**
   * How long a stop waits for transactions in progress: longer than the 30 s accept deadline, so
   * a commit under way gets its answer, and well within systemd's 90 s stop time-out.
   */
  public static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(45);

  private final ServerContext context;
  private final FreeSpace space;
  private final ChannelGroup channels = new DefaultChannelGroup("ingress", GlobalEventExecutor.INSTANCE);
  private final List<InetSocketAddress> bound = new ArrayList<>();
  private final ConnectionLimits limits = new ConnectionLimits();
  private EventLoopGroup acceptors;
  private EventLoopGroup workers;
  private final Path localSocket;
  private LocalSubmission local;

  private IngressServer(ServerContext context, FreeSpace space, Path localSocket) {
    this.context = context;
    this.space = space;
    this.localSocket = localSocket;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads the certificate, key and users file {@code config} names, so that a bad one stops
   * {@code mailstream start} before anything else runs.
   *
   * @throws ConfigException naming the file and what is wrong with it
   */
  public static void checkFiles(MailstreamConfig config) throws ConfigException {
    if (config.smtp().tls().enabled()) {
      ServerTls.load(config.smtp().tls());
    }
    if (config.smtp().auth().enabled()) {
      UsersFile.read(config.smtp().auth().usersFile());
    }
  }

  /**
   * Binds every listen address; port 0 picks a free port (see {@link #boundAddresses}).
   *
   * @throws IOException naming the address that could not be bound; nothing is left listening
   */
  public synchronized IngressServer start() throws IOException {
    if (workers != null) {
      throw new IllegalStateException("already started");
    }
    space.start();
    Transport transport = Transport.auto();
    acceptors = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("smtp-accept"), transport.ioHandlers());
    workers = new MultiThreadIoEventLoopGroup(0, new DefaultThreadFactory("smtp-io"), transport.ioHandlers());
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(acceptors, workers)
            .channel(transport.serverChannel())
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childOption(ChannelOption.TCP_NODELAY, true);
    for (Listener listener : context.config().listen()) {
      HostPort listen = listener.address();
      ChannelFuture f =
          bootstrap.clone().childHandler(new TrackingInitializer(listener)).bind(listen.host(), listen.port())
              .awaitUninterruptibly();
      if (!f.isSuccess()) {
        close();
        throw new IOException("cannot listen on " + listen + ": " + f.cause().getMessage(), f.cause());
      }
      channels.add(f.channel());
      InetSocketAddress address = (InetSocketAddress) f.channel().localAddress();
      bound.add(address);
      // The node's start-up lines list every listener; this one is for a server run on its own.
      LOG.debug("listening on {} ({}) as {}", address, listener, context.config().hostname());
    }
    if (localSocket != null) {
      try {
        local = LocalSubmission.bind(localSocket, ch -> {
          channels.add(ch);
          SmtpChannelInitializer.configure(ch.pipeline(), context, LocalSubmission.LISTENER);
        });
      } catch (IOException e) {
        close();
        throw e;
      }
    }
    return this;
  }

  /** The addresses actually bound, in {@code listen} order; empty before {@link #start}. */
  public synchronized List<InetSocketAddress> boundAddresses() {
    return List.copyOf(bound);
  }

  /**
   * Stops taking mail, gracefully: new connections get {@code 421 4.3.2} (the listeners stay
   * bound meanwhile, so clients are told rather than refused by the kernel), sessions without a
   * transaction in progress end with it now, and those in a transaction finish it (the body, the
   * commit to Kafka and its reply) and then end with it. Returns once every session has ended, or
   * after {@code timeout}; {@link #close} then drops what is left.
   *
   * @return the number of sessions still open when it returned
   */
  public int drain(Duration timeout) {
    context.drain().start();
    List<Channel> sessions = channels.stream().filter(c -> c.parent() != null).toList();
    for (Channel ch : sessions) {
      SessionHandler handler = ch.pipeline().get(SessionHandler.class);
      if (handler != null) {
        ChannelHandlerContext ctx = ch.pipeline().context(handler);
        ch.eventLoop().execute(() -> handler.drain(ctx));
      }
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    long busy = open();
    if (busy > 0) {
      LOG.info("stopping: {} SMTP session(s) open; transactions in progress may finish for up to {} s",
          busy, timeout.toSeconds());
    }
    while ((busy = open()) > 0 && System.nanoTime() < deadline) {
      LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
    }
    if (busy > 0) {
      LOG.warn("stopping: {} SMTP session(s) still open after {} s are cut off", busy, timeout.toSeconds());
    }
    return (int) busy;
  }

  private long open() {
    return channels.stream().filter(c -> c.parent() != null && c.isOpen()).count();
  }

  /**
   * Drains ({@link #drain}, up to {@link #DRAIN_TIMEOUT}), then stops listening and drops the
   * connections left; a message whose commit is under way may still be stored.
   */
  @Override
  public void close() {
    // Local submissions stop first: the sendmail command spools while the node is away.
    closeLocal();
    if (workers != null) {
      drain(DRAIN_TIMEOUT);
    }
    closeNow();
  }

  private synchronized void closeLocal() {
    if (local != null) {
      local.close();
      local = null;
    }
  }

  private synchronized void closeNow() {
    channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    for (EventLoopGroup group : new EventLoopGroup[] {acceptors, workers}) {
      if (group != null) {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
      }
    }
    acceptors = null;
    workers = null;
    bound.clear();
    space.close();
    if (context.authenticator() != null) {
      context.authenticator().close();
    }
  }

  /** Keeps every connection in the group so that {@link #close} can close them. */
  private final class TrackingInitializer extends SmtpChannelInitializer {
    TrackingInitializer(Listener listener) {
      super(context, listener, limits);
    }

    @Override
    protected void initChannel(Channel ch) {
      channels.add(ch);
      super.initChannel(ch);
    }
  }

  /**
   * One version of what sessions run under, swapped as a whole by a reload (see {@link
   * Builder#versions}).
   *
   * @param config the settings a session uses: banner, limits, relay networks, anti-abuse controls
   * @param rules sendmail's tables for the checks at RCPT, or null for none
   * @param access the access database, or null for none
   */
  public record Version(MailstreamConfig config, RuleSet rules, AccessDb access) {
    SessionSetup setup() {
      return new SessionSetup(config, Policy.of(config, rules, access));
    }
  }

  /** Settings of an {@link IngressServer}; config and publisher are required. */
  public static final class Builder {
    private MailstreamConfig config;
    private MessagePublisher publisher;
    private Supplier<RuleSet> rules = () -> null;
    private AccessDb access;
    private ClientNames names;
    // Null: each session takes smtp.command-timeout from its version.
    private Duration idleTimeout;
    private Clock clock = Clock.systemDefaultZone();
    private Supplier<String> queueIds = QueueId::next;
    private Supplier<Version> versions;
    private StageHealth stages = StageHealth.NO_STAGES;
    private Path localSubmission;
    private IngressMetrics metrics = IngressMetrics.NONE;

    private Builder() {}

    /** Where the server counts connections, refusals and accepted mail ({@link IngressMetrics}). */
    public Builder metrics(IngressMetrics metrics) {
      this.metrics = Objects.requireNonNull(metrics, "metrics");
      return this;
    }

    /**
     * Also serves the {@code sendmail} command's local submission socket at {@code socket}
     * (normally {@link MailstreamConfig#submitSocket}); none without it.
     */
    public Builder localSubmission(Path socket) {
      this.localSubmission = socket;
      return this;
    }

    /**
     * The router and delivery stages running in the same process: while one cannot run, MAIL gets
     * {@code 451 4.3.0}. Without it the ingress never refuses for a stage (a node of ingress only).
     */
    public Builder stages(StageHealth stages) {
      this.stages = Objects.requireNonNull(stages, "stages");
      return this;
    }

    public Builder config(MailstreamConfig config) {
      this.config = config;
      return this;
    }

    public Builder publisher(MessagePublisher publisher) {
      this.publisher = publisher;
      return this;
    }

    /**
     * sendmail's tables for the checks at RCPT: class w and class R, and the routing tables whose
     * refusals (a virtusertable {@code error:} entry) are given at RCPT. Without them, only {@code
     * local-domains} are local.
     */
    public Builder rules(RuleSet rules) {
      this.rules = () -> rules;
      return this;
    }

    /** Rules that may be reloaded: each new session takes the version current when it starts. */
    public Builder rules(Supplier<RuleSet> rules) {
      this.rules = rules;
      return this;
    }

    /** The access database: {@code Connect:}, {@code From:} and {@code To:} entries. */
    public Builder access(AccessDb access) {
      this.access = access;
      return this;
    }

    /**
     * Configuration, tables and access database that a reload replaces together: each new session
     * takes the version current when it starts and keeps it, so that one message never sees two
     * versions; replaces {@link #rules} and {@link #access}. The listeners, certificate and users
     * file stay those of {@link #config}, read when the server is built.
     */
    public Builder versions(Supplier<Version> versions) {
      this.versions = versions;
      return this;
    }

    /** Where client host names come from; by default the system's resolvers (smtp.reverse-dns). */
    public Builder clientNames(ClientNames names) {
      this.names = names;
      return this;
    }

    /**
     * How long a client may stay silent before 421, for every session, instead of {@code
     * smtp.command-timeout}; for tests that need less than the key's one second.
     */
    public Builder idleTimeout(Duration idleTimeout) {
      this.idleTimeout = idleTimeout;
      return this;
    }

    /** The clock for Received headers and acceptance times (its zone is the header's zone). */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    Builder queueIds(Supplier<String> queueIds) {
      this.queueIds = queueIds;
      return this;
    }

    private ServerContext context(StorageSpace storage) {
      Objects.requireNonNull(config, "config");
      ServerTls tls = null;
      Authenticator authenticator = null;
      try {
        if (config.smtp().tls().enabled()) {
          tls = ServerTls.load(config.smtp().tls());
        }
        if (config.smtp().auth().enabled()) {
          authenticator = Authenticator.open(config.smtp().auth().usersFile());
        }
      } catch (ConfigException e) {
        throw new IllegalStateException(e.getMessage(), e);
      }
      return new ServerContext(
          config,
          Objects.requireNonNull(publisher, "publisher"),
          clock,
          queueIds,
          idleTimeout,
          versions != null
              ? () -> versions.get().setup()
              : () -> new SessionSetup(config, Policy.of(config, rules.get(), access)),
          tls,
          authenticator,
          names != null ? names : config.smtp().reverseDns() ? ClientNames.system() : ClientNames.none(),
          stages,
          storage,
          metrics,
          new Drain());
    }

    /**
     * The server, with its certificate and users file read.
     *
     * @throws IllegalStateException when the certificate, key or users file cannot be used,
     *     naming the file and why
     */
    public IngressServer build() {
      Objects.requireNonNull(config, "config");
      // With the embedded broker the queue is under the data directory; on a cluster the floor
      // still keeps room for the retry state and local mailboxes kept there.
      FreeSpace space = new FreeSpace(config.dataDir(), config.smtp().minFreeSpace());
      return new IngressServer(context(space), space, localSubmission);
    }
  }
}
