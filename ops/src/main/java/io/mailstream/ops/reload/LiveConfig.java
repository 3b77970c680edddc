package io.mailstream.ops.reload;

import io.mailstream.core.config.ConfigException;
import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.core.rules.AccessDb;
import io.mailstream.core.rules.MapEntry;
import io.mailstream.core.rules.MapFileException;
import io.mailstream.core.rules.RuleSet;
import io.mailstream.queue.codec.ConfigBundle;
import io.mailstream.queue.topic.Topics;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configuration version this node runs, kept in step with the cluster's {@code config} topic.
 *
 * <p>A reload (file change, SIGHUP, {@code mailstream reload}) reads this node's files, validates
 * everything (yaml, every map, the access database) and, if the content differs from the running
 * version, publishes it; every node, this one included, applies what the topic carries: it writes
 * the version out under {@code <data-dir>/config/<hash>/}, builds the rules from that copy,
 * keeps its restart-only settings ({@link NodeSettings}), and swaps the whole {@link NodeVersion}
 * at once. The embedded single node does exactly the same on its own broker.
 *
 * <p>At start a node reads the topic first. A node of a cluster runs the current version (a node
 * that starts later joins what the others run) and only warns when its own files differ; the
 * embedded single node is the only writer, so its files are the truth and a difference is
 * published as a new version.
 */
public final class LiveConfig implements Supplier<NodeVersion>, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LiveConfig.class);

  private final ConfigReloader.Loader<MailstreamConfig> source;
  private final Path yaml;
  private final NodeSettings node;
  private final String origin;
  private final Path versionsDir;
  private final AtomicReference<NodeVersion> current;
  private final Object progress = new Object();
  private long seen; // the highest version number read from the topic, guarded by progress
  private String lastRefusal; // why version `seen` was refused, or null, guarded by progress
  private ConfigTopic topic;

  /**
   * Validates the node's own files; they must load before anything starts.
   *
   * @param yaml the configuration file, or null for a command line only
   * @throws IllegalStateException with the one line that says what is wrong
   */
  public LiveConfig(MailstreamConfig start, MailstreamConfig fileOnly, ConfigReloader.Loader<MailstreamConfig> source,
      Path yaml, String origin) {
    this.source = source;
    this.yaml = yaml;
    this.node = new NodeSettings(start, fileOnly);
    this.origin = origin;
    this.versionsDir = start.dataDir().resolve("config");
    try {
      this.current = new AtomicReference<>(build(0, "local", start));
    } catch (MapFileException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  @Override
  public NodeVersion get() {
    return current.get();
  }

  /**
   * Joins the cluster's versions: reads the topic, runs its current version or publishes this
   * node's own (see the class comment), then follows the topic.
   *
   * @param authoritative whether this node's files win over the topic at start (the embedded node)
   */
  public void connect(String bootstrap, Topics topics, boolean authoritative) {
    topic = new ConfigTopic(bootstrap, topics);
    ConfigBundle local;
    try {
      local = ConfigFiles.bundle(yaml, node.start(), origin);
    } catch (IOException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    Optional<ConfigTopic.Entry> existing = topic.readCurrent(Duration.ofSeconds(60));
    if (existing.isEmpty()) {
      ConfigTopic.Entry first = topic.publishFirst(local, Duration.ofSeconds(60));
      if (first.bundle() == local) {
        log.debug("configuration version {} ({}) published by {} at start", first.number(), local.shortHash(), origin);
      }
      existing = Optional.of(first);
    }
    existing.ifPresent(this::apply);
    boolean same = existing.map(e -> e.bundle() != null && e.bundle().hash().equals(local.hash())).orElse(false);
    if (authoritative && !same) {
      long number = topic.publish(local);
      log.debug("configuration version {} ({}) published by {} at start", number, local.shortHash(), origin);
      apply(new ConfigTopic.Entry(number, local, null));
    } else if (!same) {
      log.warn("this node's configuration files differ from the cluster's {}, which this node runs; "
          + "'mailstream reload' on this node publishes its files", current.get().describe());
    }
    if (current.get().number() == 0) {
      throw new IllegalStateException("the cluster's configuration cannot be applied here: " + lastRefusal());
    }
    topic.follow(this::apply);
  }

  /**
   * Reads this node's files again, validates them, and publishes them as the next version unless
   * the running one has the same content; waits (up to 60 s) until this node has applied it.
   */
  public synchronized ConfigReloader.Result reload(String why) {
    NodeVersion running = current.get();
    MailstreamConfig next;
    ConfigBundle bundle;
    try {
      next = source.load();
      build(0, "validating", node.apply(next));
      bundle = ConfigFiles.bundle(yaml, next, origin);
    } catch (Exception e) {
      log.error("reload ({}) refused, {} keeps running: {}", why, running.describe(), e.getMessage());
      return new ConfigReloader.Result(false, running.number(), e.getMessage());
    }
    if (bundle.shortHash().equals(running.hash())) {
      return new ConfigReloader.Result(true, running.number(), running.describe() + " unchanged");
    }
    long number;
    try {
      number = topic.publish(bundle);
    } catch (IllegalStateException e) {
      return new ConfigReloader.Result(false, running.number(), e.getMessage());
    }
    log.info("configuration version {} ({}) published ({})", number, bundle.shortHash(), why);
    String refusal = awaitApplied(number, Duration.ofSeconds(60));
    NodeVersion now = current.get();
    if (refusal != null) {
      return new ConfigReloader.Result(false, now.number(), refusal);
    }
    List<String> restart = node.restartNeeded(next, true);
    String note = restart.isEmpty() ? "" : "; " + String.join("; ", restart);
    return new ConfigReloader.Result(true, now.number(), now.describe() + " applied" + note);
  }

  /** Waits until version {@code number} was applied or refused here; the refusal, or null. */
  private String awaitApplied(long number, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (progress) {
      while (seen < number) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return "version " + number + " published but not applied here within " + timeout;
        }
        try {
          progress.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return "interrupted";
        }
      }
      return seen == number ? lastRefusal : null;
    }
  }

  private String lastRefusal() {
    synchronized (progress) {
      return lastRefusal;
    }
  }

  /** Applies a version read from the topic; a bad one is logged and the running one stays. */
  private void apply(ConfigTopic.Entry e) {
    String refusal = null;
    NodeVersion running = current.get();
    if (e.number() <= running.number()) {
      refusal = null; // already running it (this node applied its own publication at start)
    } else if (e.bundle() == null) {
      refusal = "configuration version " + e.number() + " cannot be read: " + e.unreadable();
    } else {
      String hash = e.bundle().shortHash();
      try {
        // Without a config file everything came from the command line (or the program that
        // started the node), so there is nothing to carry but the maps, read from this node's disk.
        MailstreamConfig received =
            e.bundle().yaml() == null ? node.start() : ConfigFiles.read(e.bundle(), versionsDir);
        NodeVersion next = build(e.number(), hash, node.apply(received));
        current.set(next);
        for (MapEntry u : next.access().unused()) {
          log.warn("{} {}: a tag of a sendmail feature Mailstream does not have; the entry has no effect", u.where(), u.key());
        }
        for (AccessDb.Ignored i : next.access().ignored()) {
          log.warn("{}: {}; the entry has no effect", i.entry().where(), i.reason());
        }
        for (MapEntry m : next.rules().mailertableEntriesNeverMatched()) {
          log.warn("{} {}: the key ends with a dot, which sendmail never matches; the entry has no effect",
              m.where(), m.key());
        }
        log.info("config version {} ({}) applied, published by {}", e.number(), hash, e.bundle().origin());
        for (String note : restartNeeded(received, origin.equals(e.bundle().origin()))) {
          log.warn("config version {} ({}): {}", e.number(), hash, note);
        }
        ConfigFiles.prune(versionsDir, hash);
      } catch (ConfigException | MapFileException | IOException | RuntimeException ex) {
        refusal = "configuration version " + e.number() + " (" + hash + ") refused: " + ex.getMessage();
      }
    }
    if (refusal != null) {
      log.error("{}; {} keeps running", refusal, running.describe());
    }
    synchronized (progress) {
      seen = Math.max(seen, e.number());
      lastRefusal = refusal;
      progress.notifyAll();
    }
  }

  /**
   * What a version asks of this node that takes a restart. A version this node published is
   * compared as this node reads its own files now, command line included: the copy under the
   * data directory lacks the command-line options, and its relative paths point into the copy,
   * so comparing the copy would report {@code listen} or {@code tls} changed on the very start
   * that published it.
   */
  private List<String> restartNeeded(MailstreamConfig received, boolean own) {
    if (!own) {
      return node.restartNeeded(received, false);
    }
    try {
      return node.restartNeeded(source.load(), true);
    } catch (Exception e) {
      return List.of(); // the files are broken now: a reload says so, with file and line
    }
  }

  private static NodeVersion build(long number, String hash, MailstreamConfig config) throws MapFileException {
    RuleSet rules = RuleSet.load(config);
    AccessDb access = AccessDb.empty();
    if (config.routing().access() != null) {
      access = AccessDb.load(config.routing().access());
    }
    return new NodeVersion(number, hash, config, rules, access);
  }

  @Override
  public void close() throws InterruptedException {
    if (topic != null) {
      topic.close();
    }
  }
}
