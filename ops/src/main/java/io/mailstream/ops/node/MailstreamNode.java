package io.mailstream.ops.node;

import io.mailstream.core.config.ConfigBuilder;
import io.mailstream.core.config.ConfigException;
import io.mailstream.core.config.ConfigReader;
import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.core.config.PrivacyFlag;
import io.mailstream.core.event.RecipientRouted;
import io.mailstream.core.rules.AuthInfo;
import io.mailstream.core.rules.MapFileException;
import io.mailstream.delivery.Mailer;
import io.mailstream.delivery.client.ClientSecurity;
import io.mailstream.delivery.client.ConnectionPool;
import io.mailstream.delivery.client.MxNextHops;
import io.mailstream.delivery.client.SmtpConnector;
import io.mailstream.delivery.client.SmtpMailer;
import io.mailstream.delivery.client.Timeouts;
import io.mailstream.delivery.bounce.DsnNotifier;
import io.mailstream.delivery.local.MaildirMailer;
import io.mailstream.delivery.worker.DeliveryWorker;
import io.mailstream.delivery.worker.Rerouting;
import io.mailstream.delivery.worker.RetryPolicy;
import io.mailstream.ingress.publish.KafkaPublisher;
import io.mailstream.ingress.server.IngressServer;
import io.mailstream.ops.admin.AdminServer;
import io.mailstream.ops.admin.AdminToken;
import io.mailstream.ops.admin.HealthReport;
import io.mailstream.ops.reload.ConfigFiles;
import io.mailstream.ops.reload.ConfigReloader;
import io.mailstream.ops.reload.LiveConfig;
import io.mailstream.ops.reload.NodeVersion;
import io.mailstream.queue.broker.EmbeddedKafka;
import io.mailstream.queue.topic.MailRetention;
import io.mailstream.queue.topic.RecordFailures;
import io.mailstream.queue.topic.TopicAdmin;
import io.mailstream.queue.topic.Topics;
import io.mailstream.router.route.RuleRouter;
import io.mailstream.router.worker.RouterWorker;
import io.mailstream.ingress.server.IngressMetrics;
import io.mailstream.delivery.worker.DeliveryMetrics;
import io.mailstream.ops.metrics.ConsumerLag;
import io.mailstream.ops.metrics.NodeMetrics;
import io.mailstream.ops.metrics.QueueGauges;
import io.mailstream.queue.topic.KafkaClients;
import io.mailstream.router.worker.RouterMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.ExtendedResolver;

/**
 * One Mailstream process: the lock on its data directory, the embedded broker when no cluster is
 * configured, then the stages asked for. Closing stops them in the reverse order, the ingress first
 * so that no new mail arrives while the rest drains, and the lock last.
 *
 * <p>Router and delivery workers run under a {@link StageSupervisor}: a failed worker is logged and
 * started again with back-off, and while a stage cannot run this node's ingress answers {@code 451
 * 4.3.0} at MAIL ({@code GET /health} on the admin endpoint says which).
 */
public final class MailstreamNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MailstreamNode.class);

  private final Deque<AutoCloseable> running = new ArrayDeque<>();
  private final MailstreamConfig config;
  private String bootstrap;
  private IngressServer ingress;
  // The ingress's way into Kafka, for readiness: null when this node runs no ingress.
  private KafkaPublisher queue;
  private ConfigReloader.Loader<MailstreamConfig> source;
  private List<Path> watched;
  private LiveConfig live;
  private ConfigReloader reloader;
  private AdminServer admin;
  private final StageSupervisor supervisor = new StageSupervisor(Restarts.DEFAULT);
  private final List<SupervisedWorker<DeliveryWorker>> deliveryWorkers = new ArrayList<>();
  private final NodeMetrics metrics = new NodeMetrics();
  private AdminToken adminToken;
  private QueueAdministration queueAdministration;

  private MailstreamNode(MailstreamConfig config) {
    this.config = config;
  }

  /**
   * Locks the data directory, then starts everything; on failure stops what was started and
   * rethrows.
   *
   * @throws DataDirInUseException when another node runs on the same data directory
   */
  public static MailstreamNode start(MailstreamConfig config, Set<Stage> stages) {
    return start(config, stages, () -> config, List.of());
  }

  /**
   * Starts everything, with reloading: {@code source} reads the configuration again (file and
   * command line) when one of {@code watched} or a map file changes, or on {@code mailstream
   * reload}; a version that validates completely is published to the config topic and applied
   * from there by every node ({@link LiveConfig}).
   *
   * @param watched the configuration file first (its text is what a version carries), then any
   *     other file whose change should reload
   */
  public static MailstreamNode start(
      MailstreamConfig config, Set<Stage> stages, ConfigReloader.Loader<MailstreamConfig> source, List<Path> watched) {
    return start(DataDirLock.acquire(config.dataDir()), config, stages, source, watched);
  }

  /**
   * Starts everything on a data directory already locked by the caller ({@code mailstream start}
   * locks it before its first log line). The node owns the lock from here: it releases it last when
   * it closes, or at once if the start fails.
   */
  public static MailstreamNode start(
      DataDirLock lock,
      MailstreamConfig config,
      Set<Stage> stages,
      ConfigReloader.Loader<MailstreamConfig> source,
      List<Path> watched) {
    if (!lock.covers(config.dataDir())) {
      lock.close();
      throw new IllegalArgumentException("the lock on " + lock.directory() + " is not for " + config.dataDir());
    }
    MailstreamNode node = new MailstreamNode(config);
    node.running.push(lock);
    node.running.push(node.metrics);
    node.source = source;
    node.watched = watched;
    try {
      node.startAll(stages);
      return node;
    } catch (RuntimeException e) {
      node.close();
      throw e;
    }
  }

  private void startAll(Set<Stage> stages) {
    // Bad map files stop the start before anything runs.
    Path yaml = watched.isEmpty() ? null : watched.get(0);
    String nodeId = NodeId.of(config.dataDir());
    live = new LiveConfig(config, fileOnly(yaml), source, yaml, config.hostname() + "/" + nodeId);
    if (config.kafka().embedded()) {
      EmbeddedKafka broker = EmbeddedKafka.start(config.dataDir().resolve("kafka"), 0);
      running.push(broker);
      bootstrap = broker.bootstrap();
    } else {
      bootstrap = config.kafka().bootstrap();
    }
    // Before the first client: every client of this cluster is named after this node, gets
    // kafka.client-properties (SASL, TLS) and reports to this node's registry.
    running.push(KafkaClients.use(bootstrap, config.hostname(), nodeId, config.kafka().clientProperties(), config.kafka().sessionTimeout(),
        metrics.registry()));
    // Bodies and events are kept as long as delivery.queue-lifetime needs (MailRetention).
    TopicAdmin.ensure(bootstrap, config.kafka(), config.delivery().queueLifetime(), Duration.ofSeconds(60));
    Topics topics = new Topics(config.kafka());
    // The embedded node is the only writer of its topic: its own files are the truth at start.
    running.push(live);
    live.connect(bootstrap, topics, config.kafka().embedded());
    followQueue(topics);
    startReloading();
    String nodeName = config.hostname();
    Function<RecipientRouted, Mailer> mailers = stages.contains(Stage.delivery) ? mailers(nodeName) : null;
    SharedRetryStore store = new SharedRetryStore(config.dataDir().resolve("state").resolve("delivery"));
    running.push(store);
    registerNodeMeters(stages, topics, store);
    // The workers stop before the store, connections and broker they use.
    running.push(supervisor);
    if (stages.contains(Stage.router)) {
      // One version per transaction: a message is routed under the version its transaction started
      // with. The failure counts are shared: a partition, and the message that fails on it, may move
      // between the workers.
      RecordFailures failures = new RecordFailures(RecordFailures.DEFAULT_ATTEMPTS);
      RouterMetrics routerMetrics = new RouterMetrics(metrics.registry(), () -> live.get().rules().destinationLabels());
      // Each slot has its own transactional id (node id and index), so that the worker started
      // in a slot after a failure fences the one it replaces.
      for (int i = 0; i < config.router().workers(); i++) {
        String workerId = nodeId + "-" + i;
        supervisor.supervise("router-" + i, () ->
            new RouterWorker(bootstrap, topics, headers -> new RuleRouter(live.get().rules(), headers), workerId,
                new DsnNotifier(nodeName, topics, !config.smtp().has(PrivacyFlag.NOBODYRETN)), failures,
                config.router(), routerMetrics));
      }
    }
    if (stages.contains(Stage.delivery)) {
      startDelivery(topics, nodeName, nodeId, mailers, store);
    }
    // The ingress starts last: by now the topics have leaders and the later stages are consuming.
    if (stages.contains(Stage.ingress)) {
      startIngress(topics);
    }
    log.info(StartupSummary.of(nodeId, stages, listening(), live.get(), bootstrap, admin.address()));
  }

  private void startIngress(Topics topics) {
    KafkaPublisher publisher = KafkaPublisher.create(bootstrap, topics, config.limits().acceptDeadline());
    running.push(publisher);
    queue = publisher;
    // Listeners, certificate and users come from the start config; each new session takes the
    // settings and tables of the version current when it connects.
    IngressServer server =
        IngressServer.builder().config(config).publisher(publisher).versions(() -> live.get().ingress())
            .stages(supervisor::down).localSubmission(config.submitSocket())
            .metrics(IngressMetrics.of(metrics.registry())).build();
    try {
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + config.listen() + ": " + e.getMessage(), e);
    }
    running.push(server);
    ingress = server;
    SubmitFiles.write(config);
  }

  /** This node's delivery workers running now (a restarted one replaces its predecessor), for metrics and tests. */
  public List<DeliveryWorker> deliveryWorkers() {
    return deliveryWorkers.stream().map(SupervisedWorker::current).filter(Objects::nonNull).toList();
  }

  /** Whether every router and delivery worker of this node can run, with one line per worker. */
  public HealthReport health() {
    boolean stagesUp = supervisor.down().isEmpty();
    if (queue == null) {
      return new HealthReport(stagesUp, supervisor.report());
    }
    boolean writable = queue.available();
    return new HealthReport(stagesUp && writable, supervisor.report() + "queue: " + (writable ? "writable" : "unreachable") + "\n");
  }

  /** The addresses the ingress listens on (empty when this node runs no ingress). */
  public List<InetSocketAddress> listening() {
    return ingress == null ? List.of() : ingress.boundAddresses();
  }

  /**
   * STARTTLS and AUTH towards next hops: {@code delivery.starttls}, {@code delivery.tls-trust} and
   * FEATURE(authinfo)'s {@code routing.authinfo}, read once when delivery starts (a changed
   * authinfo file takes a restart; it is node-local and never part of the distributed config).
   */
  private ClientSecurity clientSecurity() {
    Path file = config.routing().authinfo();
    try {
      AuthInfo authInfo = file == null ? AuthInfo.none() : AuthInfo.load(file);
      return ClientSecurity.of(config.delivery(), authInfo);
    } catch (MapFileException e) {
      throw new IllegalStateException(e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }

  /** The mailers of the delivery stage; their connections close after its workers stop. */
  private Function<RecipientRouted, Mailer> mailers(String nodeName) {
    Timeouts timeouts = Timeouts.rfc5321().withConnect(config.delivery().connectTimeout());
    SmtpConnector connector = new SmtpConnector(nodeName, timeouts, 2, clientSecurity());
    running.push(connector);
    ConnectionPool pool = ConnectionPool.from(config.delivery());
    running.push(pool);
    // The system's resolvers (resolv.conf); only names without brackets are looked up by MX.
    Mailer smtp = new SmtpMailer(connector, pool, new MxNextHops(new ExtendedResolver()));
    Mailer local = new MaildirMailer(config.dataDir(), nodeName);
    return r -> r.destination().isLocal() ? local : smtp;
  }

  private void startDelivery(
      Topics topics, String nodeName, String nodeId, Function<RecipientRouted, Mailer> mailers, SharedRetryStore store) {
    RetryPolicy policy = RetryPolicy.of(config.delivery());
    // Shared by the workers: a partition, and the message that fails on it, may move between them.
    RecordFailures failures = new RecordFailures(RecordFailures.DEFAULT_ATTEMPTS);
    DeliveryMetrics deliveryMetrics = new DeliveryMetrics(metrics.registry(), () -> live.get().rules().destinationLabels());
    for (int i = 0; i < config.delivery().threads(); i++) {
      // Retries compare their routing with the rules of the version running now (command-line
      // options included), the rules this node's router applies.
      Rerouting rerouting = new Rerouting(nodeId + "-" + i, () -> live.get().rules().fingerprint());
      deliveryWorkers.add(supervisor.supervise("delivery-" + i, () ->
          DeliveryWorker.builder(bootstrap, topics, mailers, policy, store.get())
              .bounces(new DsnNotifier(nodeName, topics, !config.smtp().has(PrivacyFlag.NOBODYRETN)))
              .rerouting(rerouting)
              .failures(failures)
              .maxInFlight(config.delivery().maxInFlight())
              .metrics(deliveryMetrics)
              .control(queueAdministration.control())
              .build()));
    }
  }

  /**
   * Builds this node's view of the queue from the topics and applies the administrators' orders; the
   * orders given before this start are applied before any delivery worker starts.
   */
  private void followQueue(Topics topics) {
    try {
      adminToken = AdminToken.forNode(config.dataDir(), config.admin().tokenFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write or read the admin token: " + e.getMessage(), e);
    }
    queueAdministration = new QueueAdministration(bootstrap, topics, config.dataDir().resolve("state").resolve("queue-view"),
        MailRetention.forLifetime(config.delivery().queueLifetime()), config.hostname() + "/" + NodeId.of(config.dataDir()),
        adminToken, this::delivering);
    running.push(queueAdministration);
    QueueGauges.register(metrics.registry(), queueAdministration.index());
  }

  /** Whether one of this node's delivery workers has an attempt for {@code queueId} under way. */
  private boolean delivering(String queueId) {
    return deliveryWorkers().stream().anyMatch(w -> w.delivering(queueId));
  }

  /** Watches the config and map files and serves reload, version, metrics and the queue over HTTP. */
  private void startReloading() {
    List<Path> files = new ArrayList<>(watched);
    files.addAll(ConfigFiles.mapsOf(config));
    try {
      reloader = new ConfigReloader(live::reload, files);
      running.push(reloader);
      Gauge.builder("mailstream.config.version", live, v -> v.get().number())
          .description("the cluster-wide configuration version this node runs")
          .register(metrics.registry());
      admin = AdminServer.start(
          new InetSocketAddress(config.admin().listen().host(), config.admin().listen().port()), config.dataDir(),
          () -> reloader.reload("mailstream reload"), () -> live.get().describe(), this::health, metrics.registry(),
          adminToken, queueAdministration.queueEndpoints(), queueAdministration.deadLetterEndpoints());
      running.push(admin);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the configuration watch or admin endpoint: " + e.getMessage(), e);
    }
  }

  /**
   * The node's own figures: stages down, delivery attempts, the consumer lag of the stages it
   * runs, and the retry state's RocksDB figures.
   */
  private void registerNodeMeters(Set<Stage> stages, Topics topics, SharedRetryStore store) {
    MeterRegistry registry = metrics.registry();
    Gauge.builder("mailstream.stages.down", supervisor, s -> s.down().isPresent() ? 1 : 0)
        .description("1 while a router or delivery stage of this node cannot run (new mail gets 451)")
        .register(registry);
    FunctionCounter.builder("mailstream.delivery.attempts", this,
            n -> n.deliveryWorkers().stream().mapToLong(DeliveryWorker::attempts).sum())
        .description("delivery attempts by this node's delivery workers running now")
        .register(registry);
    Map<String, Map.Entry<String, String>> groups = new java.util.TreeMap<>();
    String prefix = config.kafka().topicPrefix();
    if (stages.contains(Stage.router)) {
      groups.put("router", Map.entry(prefix + "-router", topics.accepted()));
    }
    if (stages.contains(Stage.delivery)) {
      groups.put("delivery", Map.entry(prefix + "-delivery", topics.routed()));
      rocksDbGauge(registry, store, "mailstream.retry.entries", "rocksdb.estimate-num-keys",
          "recipients waiting for a retry on this node (RocksDB's estimate)", null);
      rocksDbGauge(registry, store, "mailstream.rocksdb.sst.files", "rocksdb.total-sst-files-size",
          "size of the retry state's SST files", "bytes");
      rocksDbGauge(registry, store, "mailstream.rocksdb.memtables", "rocksdb.cur-size-all-mem-tables",
          "size of the retry state's memtables", "bytes");
      rocksDbGauge(registry, store, "mailstream.rocksdb.live.data", "rocksdb.estimate-live-data-size",
          "the retry state's live data (RocksDB's estimate)", "bytes");
    }
    if (!groups.isEmpty()) {
      running.push(ConsumerLag.start(bootstrap, groups, registry));
    }
  }

  private static void rocksDbGauge(
      MeterRegistry registry, SharedRetryStore store, String name, String property, String description, String unit) {
    Gauge.builder(name, store, s -> s.property(property)).description(description).baseUnit(unit).register(registry);
  }

  /** Reads the configuration and maps again now; what {@code mailstream reload} and SIGHUP ask for. */
  public ConfigReloader.Result reload(String why) {
    return reloader.reload(why);
  }

  /** Reads the configuration and maps again now. */
  public ConfigReloader.Result reload() {
    return reload("reload");
  }

  /** The configuration version running: cluster-wide number, content hash, settings and tables. */
  public NodeVersion version() {
    return live.get();
  }

  /** The configuration version number running. */
  public long rulesVersion() {
    return live.get().number();
  }

  /** What the configuration file alone says: the command line set whatever differs from it. */
  private MailstreamConfig fileOnly(Path yaml) {
    ConfigBuilder b = new ConfigBuilder();
    try {
      if (yaml != null) {
        ConfigReader.read(yaml, b);
      }
      return b.build();
    } catch (ConfigException | RuntimeException e) {
      // The file alone may not stand (a key the command line completes): treat all as the file's.
      return config;
    }
  }

  /** The Kafka bootstrap address this node uses (the embedded broker's when embedded). */
  public String bootstrap() {
    return bootstrap;
  }

  public MailstreamConfig config() {
    return config;
  }

  @Override
  public void close() {
    while (!running.isEmpty()) {
      try {
        running.pop().close();
      } catch (Exception e) {
        log.warn("error while stopping: {}", e.toString());
      }
    }
  }
}
