package io.mailstream.core.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Collects settings from the config file and then the command line (later calls win), and
 * validates them together in {@link #build()}. Setters take text and say which key was wrong.
 */
public final class ConfigBuilder {
  // A list, not Set.of: the error message prints it, and Set.of's order changes from run to run.
  static final List<String> MAILERS = List.of("relay", "esmtp", "smtp", "smtp8", "dsmtp");

  private String hostname;
  private Path dataDir = Path.of("data");
  private List<Listener> listen = List.of(Listener.mta(new HostPort("127.0.0.1", 2525, false)));
  private List<Cidr> relayFrom = List.of(Cidr.parse("127.0.0.0/8"), Cidr.parse("::1/128"));
  private final Set<String> localDomains = new LinkedHashSet<>();
  private HostPort smartHost;
  private HostPort adminListen = AdminSettings.DEFAULT.listen();
  private Path adminTokenFile;
  private String smartHostMailer = "relay";
  private String kafkaBootstrap;
  private final Map<String, String> kafkaClientProperties = new java.util.TreeMap<>();
  private String topicPrefix = "mailstream";
  private int partitions = 6;
  // Unset (0) until given: the embedded broker then gets 1, a cluster min(3, brokers) at start.
  private short replicationFactor;
  private int minInsyncReplicas;
  private Boolean fsync;
  private long maxMessageSize = 25L * 1024 * 1024;
  private int maxRecipients = 100;
  private int maxHops = 25;
  private Duration acceptDeadline = Duration.ofSeconds(30);
  private int deliveryThreads = 4;
  private int maxIdleConnections = DeliverySettings.DEFAULT_MAX_CONNECTIONS_PER_DESTINATION;
  private Duration idleTimeout = Duration.ofSeconds(30);
  private Duration connectTimeout = Duration.ofSeconds(30);
  private List<Duration> retrySchedule =
      List.of(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofMinutes(30));
  private Duration queueLifetime = Duration.ofDays(5);
  private Duration sessionTimeout = KafkaSettings.DEFAULT_SESSION_TIMEOUT;
  private Duration queueWarn = Duration.ofHours(4);
  private boolean queueWarnSet;
  private boolean starttls = true;
  private Path tlsTrust;
  private boolean authWithoutTls;
  private int routerWorkers = RouterSettings.DEFAULT.workers();
  private Duration commitInterval = RouterSettings.DEFAULT.commitInterval();
  private int commitRecords = RouterSettings.DEFAULT.commitRecords();
  private int maxConnectionsPerDestination = DeliverySettings.DEFAULT_MAX_CONNECTIONS_PER_DESTINATION;
  private int maxInFlight = DeliverySettings.DEFAULT_MAX_IN_FLIGHT;
  private Duration hostDownBackoff = DeliverySettings.DEFAULT_HOST_DOWN_BACKOFF;
  private Duration hostDownMaxBackoff = DeliverySettings.DEFAULT_HOST_DOWN_MAX_BACKOFF;
  private Path submitSocket;
  private SubmitSettings.Offline submitOffline = SubmitSettings.Offline.SPOOL;

  // Where settings came from ("mailstream.yaml:12"), so that errors found only when settings are
  // checked together in build() still name the file and line. ConfigReader fills these in.
  private String configFile;
  private final Map<String, String> origins = new HashMap<>();

  public ConfigBuilder hostname(String v) {
    if (v.isBlank()) {
      throw new IllegalArgumentException("hostname: must not be empty");
    }
    hostname = v.strip();
    return this;
  }

  public ConfigBuilder dataDir(String v) {
    dataDir = Path.of(v);
    return this;
  }

  public ConfigBuilder listen(List<String> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("listen: at least one address is needed");
    }
    listen = mapAll("listen", values, Listener::parse);
    return this;
  }

  /** Adds one listener to those set so far (or to the default), like another DAEMON_OPTIONS. */
  public ConfigBuilder addListener(String value) {
    List<Listener> more = new ArrayList<>(listen);
    more.add(parse("listen", value, Listener::parse));
    listen = more;
    return this;
  }

  /** {@code submit.socket}: where the {@code sendmail} command finds the node. */
  public ConfigBuilder submitSocket(Path v) {
    if (v.toString().isBlank()) {
      throw new IllegalArgumentException("submit.socket: must not be empty");
    }
    submitSocket = v;
    return this;
  }

  /** {@code submit.offline}: spool or tempfail while the node is unreachable. */
  public ConfigBuilder submitOffline(String v) {
    submitOffline = parse("submit.offline", v, SubmitSettings.Offline::parse);
    return this;
  }

  public ConfigBuilder relayFrom(List<String> values) {
    relayFrom = mapAll("relay-from", values, Cidr::parse);
    return this;
  }

  public ConfigBuilder localDomains(List<String> values) {
    localDomains.clear();
    for (String v : values) {
      String d = v.strip().toLowerCase(Locale.ROOT);
      localDomains.add(d.endsWith(".") ? d.substring(0, d.length() - 1) : d);
    }
    return this;
  }

  /** {@code admin.listen}: where the admin endpoint listens ({@link AdminSettings#listen}). */
  public ConfigBuilder adminListen(String v) {
    adminListen = parse("admin.listen", v, AdminSettings::listen);
    return this;
  }

  /** {@code admin.token-file}: the admin token is read from here instead of made at each start. */
  public ConfigBuilder adminTokenFile(Path file) {
    adminTokenFile = file;
    return this;
  }

  public ConfigBuilder smartHost(String v) {
    smartHost = parse("smart-host", v, t -> HostPort.nextHop(t, 25));
    return this;
  }

  public ConfigBuilder smartHostMailer(String v) {
    String m = v.strip().toLowerCase(Locale.ROOT);
    if (!MAILERS.contains(m)) {
      throw new IllegalArgumentException(
          "smart-host-mailer: expected one of " + String.join(", ", MAILERS) + ", got '" + v + "'");
    }
    smartHostMailer = m;
    return this;
  }

  /**
   * {@code kafka.client-properties}: one Kafka client setting for a secured cluster.
   *
   * @throws IllegalArgumentException for a key Mailstream sets itself ({@link
   *     KafkaSettings#passedThrough})
   */
  public ConfigBuilder kafkaClientProperty(String key, String value) {
    if (!KafkaSettings.passedThrough(key)) {
      throw new IllegalArgumentException("kafka.client-properties: '" + key + "' is Mailstream's to set; only "
          + "security.protocol, sasl.*, ssl.* and config.providers* are passed to Kafka's clients");
    }
    kafkaClientProperties.put(key, value);
    return this;
  }

  /**
   * {@code kafka.session-timeout}: how long a router or delivery process may go unheard before its
   * partitions go to the others; within what the brokers allow by default (6 s to 30 min).
   */
  public ConfigBuilder sessionTimeout(String v) {
    Duration d = parse("kafka.session-timeout", v, DurationText::parse);
    if (d.compareTo(KafkaSettings.MIN_SESSION_TIMEOUT) < 0 || d.compareTo(KafkaSettings.MAX_SESSION_TIMEOUT) > 0) {
      throw new IllegalArgumentException("kafka.session-timeout: must be from 6s to 30m (what Kafka's brokers allow), got " + v);
    }
    sessionTimeout = d;
    return this;
  }

  public ConfigBuilder kafkaBootstrap(String v) {
    kafkaBootstrap = v == null || v.isBlank() ? null : v.strip();
    return this;
  }

  public ConfigBuilder topicPrefix(String v) {
    topicPrefix = v.strip();
    return this;
  }

  public ConfigBuilder partitions(int v) {
    partitions = positive("kafka.partitions", v);
    return this;
  }

  public ConfigBuilder replicationFactor(int v) {
    // Kafka keeps the replication factor in a short.
    if (v > Short.MAX_VALUE) {
      throw new IllegalArgumentException(
          "kafka.replication-factor: must be at most " + Short.MAX_VALUE + ", got " + v);
    }
    replicationFactor = (short) positive("kafka.replication-factor", v);
    origins.remove("kafka.replication-factor");
    return this;
  }

  public ConfigBuilder minInsyncReplicas(int v) {
    minInsyncReplicas = positive("kafka.min-insync-replicas", v);
    origins.remove("kafka.min-insync-replicas");
    return this;
  }

  public ConfigBuilder fsync(boolean v) {
    fsync = v;
    return this;
  }

  public ConfigBuilder maxMessageSize(long v) {
    if (v < 1024) {
      throw new IllegalArgumentException("limits.max-message-size: must be at least 1024 octets, got " + v);
    }
    maxMessageSize = v;
    return this;
  }

  public ConfigBuilder maxRecipients(int v) {
    // RFC 5321 4.5.3.1.8: a server must accept at least 100 recipients.
    if (v < 100) {
      throw new IllegalArgumentException("limits.max-recipients: RFC 5321 requires at least 100, got " + v);
    }
    maxRecipients = v;
    return this;
  }

  public ConfigBuilder maxHops(int v) {
    maxHops = positive("limits.max-hops", v);
    return this;
  }

  public ConfigBuilder acceptDeadline(String v) {
    acceptDeadline = parse("limits.accept-deadline", v, DurationText::parse);
    return this;
  }

  public ConfigBuilder deliveryThreads(int v) {
    deliveryThreads = positive("delivery.threads", v);
    return this;
  }

  public ConfigBuilder maxIdleConnections(int v) {
    if (v < 0) {
      throw new IllegalArgumentException(
          "delivery.max-idle-connections: must be at least 0, got " + v);
    }
    maxIdleConnections = v;
    return this;
  }

  public ConfigBuilder maxConnectionsPerDestination(int v) {
    maxConnectionsPerDestination = positive("delivery.max-connections-per-destination", v);
    return this;
  }

  public ConfigBuilder maxInFlight(int v) {
    maxInFlight = positive("delivery.max-in-flight", v);
    return this;
  }

  public ConfigBuilder hostDownBackoff(String v) {
    hostDownBackoff = parse("delivery.host-down-backoff", v, DurationText::parse);
    return this;
  }

  public ConfigBuilder hostDownMaxBackoff(String v) {
    hostDownMaxBackoff = parse("delivery.host-down-max-backoff", v, DurationText::parse);
    return this;
  }

  public ConfigBuilder idleTimeout(String v) {
    idleTimeout = parse("delivery.idle-timeout", v, DurationText::parse);
    return this;
  }

  public ConfigBuilder connectTimeout(String v) {
    connectTimeout = parse("delivery.connect-timeout", v, DurationText::parse);
    return this;
  }

  public ConfigBuilder retrySchedule(List<String> values) {
    List<Duration> parsed = mapAll("delivery.retry-schedule", values, DurationText::parse);
    if (parsed.isEmpty()) {
      throw new IllegalArgumentException("delivery.retry-schedule: needs at least one duration");
    }
    retrySchedule = parsed;
    return this;
  }

  public ConfigBuilder queueLifetime(String v) {
    queueLifetime = parse("delivery.queue-lifetime", v, DurationText::parse);
    origins.remove("delivery.queue-lifetime");
    return this;
  }

  /** sendmail's Timeout.queuewarn; {@code 0s} sends no warnings. */
  public ConfigBuilder queueWarn(String v) {
    queueWarn = parse("delivery.queue-warn", v, DurationText::parse);
    queueWarnSet = true;
    origins.remove("delivery.queue-warn");
    return this;
  }

  /** Opportunistic STARTTLS to next hops (sendmail's default); false never tries it. */
  public ConfigBuilder starttls(boolean v) {
    starttls = v;
    return this;
  }

  /** A PEM CA bundle next hops' certificates must chain to; null encrypts without verifying. */
  public ConfigBuilder tlsTrust(Path v) {
    tlsTrust = v;
    return this;
  }

  /** Whether authinfo credentials may go over a connection without TLS. */
  public ConfigBuilder authWithoutTls(boolean v) {
    authWithoutTls = v;
    return this;
  }

  /** Router workers in this process. */
  public ConfigBuilder routerWorkers(int v) {
    routerWorkers = positive("router.workers", v);
    return this;
  }

  /** How long one routing transaction stays open: 1ms to {@link RouterSettings#MAX_COMMIT_INTERVAL}. */
  public ConfigBuilder commitInterval(String v) {
    Duration d = parse("router.commit-interval", v, DurationText::parse);
    new RouterSettings(routerWorkers, d, commitRecords); // says what is wrong with d
    commitInterval = d;
    return this;
  }

  /** The most accepted records one routing transaction takes. */
  public ConfigBuilder commitRecords(int v) {
    commitRecords = positive("router.commit-records", v);
    return this;
  }

  private final RoutingBuilder routing = new RoutingBuilder();
  private final SmtpBuilder smtp = new SmtpBuilder();

  /** The routing, masquerade and mailers sections. */
  public RoutingBuilder routing() {
    return routing;
  }

  /** The smtp, tls and auth sections. */
  public SmtpBuilder smtp() {
    return smtp;
  }

  /**
   * Validates the settings together. Without a smart host, mail goes to each domain's MX hosts.
   *
   * @throws ConfigException naming the key that is inconsistent, and where it was set
   */
  public MailstreamConfig build() throws ConfigException {
    boolean embedded = kafkaBootstrap == null;
    // One broker has one copy; on a cluster, what is not configured is chosen from its size when
    // the node starts (KafkaSettings.forCluster), so that --kafka alone never means RF 1.
    short rf = replicationFactor > 0 ? replicationFactor : embedded ? 1 : KafkaSettings.FROM_CLUSTER;
    int minIsr = minInsyncReplicas > 0 ? minInsyncReplicas : rf > 0 ? KafkaSettings.defaultMinInsync(rf) : 0;
    if (rf > 0 && minIsr > rf) {
      String where =
          origins.getOrDefault("kafka.min-insync-replicas", origins.get("kafka.replication-factor"));
      throw new ConfigException(
          (where == null ? "" : where + ": ")
              + "kafka.min-insync-replicas: "
              + minIsr
              + " exceeds kafka.replication-factor "
              + rf);
    }
    // A warning at or after the lifetime would never be sent: the recipient bounces first. Said
    // when queue-warn is set; a short queue-lifetime alone just goes without the default warning.
    boolean warnTooLate = !queueWarn.isZero() && queueWarn.compareTo(queueLifetime) >= 0;
    if (warnTooLate && queueWarnSet) {
      String where = origins.getOrDefault("delivery.queue-warn", origins.get("delivery.queue-lifetime"));
      throw new ConfigException(
          (where == null ? "" : where + ": ")
              + "delivery.queue-warn: "
              + DurationText.format(queueWarn)
              + " is not below delivery.queue-lifetime "
              + DurationText.format(queueLifetime)
              + " (0s turns warnings off)");
    }
    if (listen.isEmpty()) {
      throw new ConfigException("listen: at least one address is needed");
    }
    if (embedded && !kafkaClientProperties.isEmpty()) {
      String where = origins.get("kafka.client-properties");
      throw new ConfigException((where == null ? "" : where + ": ") + "kafka.client-properties: only for a Kafka "
          + "cluster (kafka.bootstrap or --kafka); the embedded broker takes plain connections on loopback");
    }
    RouterSettings router = new RouterSettings(routerWorkers, commitInterval, commitRecords);
    SubmitSettings submit = submitSettings();
    String name = hostname != null ? hostname : machineName();
    KafkaSettings kafka =
        new KafkaSettings(
            kafkaBootstrap,
            topicPrefix,
            partitions,
            rf,
            minIsr,
            fsync != null ? fsync : embedded,
            kafkaClientProperties,
            sessionTimeout);
    return new MailstreamConfig(
        name,
        dataDir,
        listen,
        relayFrom,
        localDomains,
        smartHost,
        smartHostMailer,
        kafka,
        new Limits(maxMessageSize, maxRecipients, maxHops, acceptDeadline),
        new DeliverySettings(
            deliveryThreads, maxIdleConnections, idleTimeout, connectTimeout, retrySchedule, queueLifetime,
            warnTooLate ? Duration.ZERO : queueWarn, starttls, tlsTrust, authWithoutTls,
            maxConnectionsPerDestination, maxInFlight, hostDownBackoff, hostDownMaxBackoff),
        routing.build(),
        smtpSettings(),
        router,
        submit,
        new AdminSettings(adminListen, adminTokenFile));
  }

  // The socket's path is checked with the data directory it defaults into: a deep data directory
  // makes the default too long for the kernel, and bind would only say "invalid argument".
  private SubmitSettings submitSettings() throws ConfigException {
    SubmitSettings submit = new SubmitSettings(submitSocket, submitOffline);
    Path path = submit.socketIn(dataDir);
    if (!SubmitSettings.bindable(path)) {
      String key = submitSocket != null ? "submit.socket" : "data-dir";
      String where = origins.get(key);
      throw new ConfigException(
          (where == null ? "" : where + ": ")
              + "submit.socket: "
              + path
              + " is longer than the "
              + SubmitSettings.MAX_SOCKET_PATH
              + " octets a Unix socket path may have"
              + (submitSocket == null ? " (it is <data-dir>/submit.sock; set submit.socket to a shorter path)" : ""));
    }
    return submit;
  }

  // The listeners decide what the smtp settings must hold: blame the listener line when one came
  // from the file.
  private SmtpSettings smtpSettings() throws ConfigException {
    try {
      return smtp.build(listen);
    } catch (ConfigException e) {
      String where = origins.get("listen");
      throw where == null || !e.getMessage().startsWith("listen: ") ? e : new ConfigException(where + ": " + e.getMessage());
    }
  }

  /** Records the config file read into this builder, for errors about settings it lacks. */
  void configFile(String file) {
    configFile = file;
  }

  /**
   * Records where {@code key} was set. Setters whose values build() checks together forget it, so
   * that a later value from the command line is not blamed on the file.
   */
  void origin(String key, String where) {
    origins.put(key, where);
  }

  /** The machine's fully qualified name, as sendmail finds $j; {@code localhost} if unknown. */
  static String machineName() {
    try {
      return InetAddress.getLocalHost().getCanonicalHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }

  private static int positive(String key, int v) {
    if (v < 1) {
      throw new IllegalArgumentException(key + ": must be at least 1, got " + v);
    }
    return v;
  }

  private static <T> T parse(String key, String v, java.util.function.Function<String, T> parser) {
    try {
      return parser.apply(v);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
    }
  }

  private static <T> List<T> mapAll(
      String key, List<String> values, java.util.function.Function<String, T> parser) {
    List<T> out = new ArrayList<>();
    for (String v : values) {
      out.add(parse(key, v, parser));
    }
    return out;
  }
}
