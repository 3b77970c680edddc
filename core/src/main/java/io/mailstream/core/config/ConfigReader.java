package io.mailstream.core.config;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.reader.ReaderException;

/**
 * Reads {@code mailstream.yaml} into a {@link ConfigBuilder}. Works on SnakeYAML's node tree rather
 * than on plain maps so that every error can name the file and line of the offending key; unknown
 * keys are errors, because a misspelt key silently ignored is a relay misconfigured.
 */
public final class ConfigReader {
  private final Path file;

  private ConfigReader(Path file) {
    this.file = file;
  }

  /** Reads {@code file} into {@code builder}; throws one line naming file, line and key. */
  public static void read(Path file, ConfigBuilder builder) throws ConfigException {
    new ConfigReader(file).readInto(builder);
  }

  private void readInto(ConfigBuilder builder) throws ConfigException {
    String content;
    try {
      content = Files.readString(file, StandardCharsets.UTF_8);
    } catch (CharacterCodingException e) {
      throw new ConfigException(file + ": not valid UTF-8", e);
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
    }
    Node root;
    try {
      root = new Yaml(new LoaderOptions()).compose(new StringReader(content));
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
      throw new ConfigException(file + ":" + line + ": not valid YAML: " + yamlProblem(e));
    } catch (ReaderException e) {
      // Control characters: SnakeYAML gives a character position, not a mark.
      int line = lineAt(content, e.getPosition());
      throw new ConfigException(
          String.format(
              "%s:%d: not valid YAML: special character U+%04X is not allowed",
              file, line, e.getCodePoint()));
    } catch (YAMLException e) {
      throw new ConfigException(file + ": not valid YAML: " + e.getMessage());
    }
    builder.configFile(file.toString());
    if (root == null) {
      return;
    }
    if (!(root instanceof MappingNode map)) {
      throw new ConfigException(where(root) + ": expected a mapping of keys at the top level");
    }
    applyAll(builder, "", map);
  }

  private void applyAll(ConfigBuilder b, String prefix, MappingNode map) throws ConfigException {
    // SnakeYAML's node tree keeps duplicate keys; the later one would silently win.
    Map<String, Node> seen = new HashMap<>();
    for (NodeTuple t : map.getValue()) {
      String key = scalar(t.getKeyNode(), "key");
      Node first = seen.putIfAbsent(key, t.getKeyNode());
      if (first != null) {
        throw new ConfigException(
            where(t.getKeyNode()) + ": duplicate key '" + prefix + key + "', first on line "
                + (first.getStartMark().getLine() + 1));
      }
      try {
        apply(b, prefix, key, t.getValueNode());
      } catch (IllegalArgumentException e) {
        throw new ConfigException(where(t.getKeyNode()) + ": " + e.getMessage());
      }
      b.origin(prefix + key, where(t.getKeyNode()));
    }
  }

  // SnakeYAML's problem alone can be cryptic ("but found another document"); its context says what
  // it was reading and where that began, often the line that holds the actual mistake.
  private static String yamlProblem(MarkedYAMLException e) {
    if (e.getContext() == null) {
      return e.getProblem();
    }
    String from =
        e.getContextMark() == null ? "" : " from line " + (e.getContextMark().getLine() + 1);
    return e.getContext() + from + ", " + e.getProblem();
  }

  private static int lineAt(String content, int position) {
    int end = Math.min(Math.max(position, 0), content.length());
    return (int) content.substring(0, end).chars().filter(c -> c == '\n').count() + 1;
  }

  private void apply(ConfigBuilder b, String prefix, String key, Node value) throws ConfigException {
    String k = prefix + key;
    switch (k) {
      case "hostname" -> b.hostname(text(k, value));
      case "data-dir" -> b.dataDir(text(k, value));
      case "listen" -> b.listen(list(k, value));
      case "relay-from" -> b.relayFrom(list(k, value));
      case "local-domains" -> b.localDomains(list(k, value));
      case "smart-host" -> b.smartHost(text(k, value));
      case "smart-host-mailer" -> b.smartHostMailer(text(k, value));
      case "kafka", "limits", "delivery", "router", "routing", "masquerade", "mailers", "smtp", "tls", "auth", "submit", "admin" ->
          section(b, k, value);
      case "submit.socket" -> b.submitSocket(text(k, value).isBlank() ? Path.of("") : relative(text(k, value)));
      case "submit.offline" -> b.submitOffline(text(k, value));
      case "smtp.banner" -> b.smtp().banner(text(k, value));
      case "smtp.greet-pause" -> b.smtp().greetPause(text(k, value));
      case "smtp.command-timeout" -> b.smtp().commandTimeout(text(k, value));
      case "smtp.bad-rcpt-throttle" -> b.smtp().badRcptThrottle(integer(k, value));
      case "smtp.connection-rate-throttle" -> b.smtp().connectionRateThrottle(integer(k, value));
      case "smtp.max-connections" -> b.smtp().maxConnections(integer(k, value));
      case "smtp.max-connections-per-ip" -> b.smtp().maxConnectionsPerIp(integer(k, value));
      case "smtp.privacy" -> b.smtp().privacy(list(k, value));
      case "smtp.max-line-length" -> b.smtp().maxLineLength(integer(k, value));
      case "smtp.smtputf8" -> b.smtp().smtputf8(bool(k, value));
      case "smtp.dsn" -> b.smtp().dsn(bool(k, value));
      case "smtp.chunking" -> b.smtp().chunking(bool(k, value));
      case "smtp.reverse-dns" -> b.smtp().reverseDns(bool(k, value));
      case "smtp.trusted-proxies" -> b.smtp().trustedProxies(list(k, value));
      case "smtp.min-free-space" -> b.smtp().minFreeSpace(size(k, value));
      case "tls.cert" -> b.smtp().certificate(relative(text(k, value)));
      case "tls.key" -> b.smtp().key(relative(text(k, value)));
      case "auth.users" -> b.smtp().usersFile(relative(text(k, value)));
      case "auth.allow-plaintext" -> b.smtp().allowPlaintextAuth(bool(k, value));
      case "routing.virtuser-domains" -> b.routing().virtuserDomains(list(k, value));
      case "routing.generics-domains" -> b.routing().genericsDomains(list(k, value));
      case "routing.mail-hub" -> b.routing().mailHub(text(k, value));
      case "masquerade.as" -> b.routing().masqueradeAs(text(k, value));
      case "masquerade.domains" -> b.routing().masqueradeDomains(list(k, value));
      case "masquerade.exceptions" -> b.routing().masqueradeExceptions(list(k, value));
      case "masquerade.exposed-users" -> b.routing().exposedUsers(list(k, value));
      case "admin.listen" -> b.adminListen(text(k, value));
      case "admin.token-file" -> b.adminTokenFile(relative(text(k, value)));
      case "kafka.bootstrap" -> b.kafkaBootstrap(text(k, value));
      case "kafka.client-properties" -> clientProperties(b, k, value);
      case "kafka.topic-prefix" -> b.topicPrefix(text(k, value));
      case "kafka.partitions" -> b.partitions(integer(k, value));
      case "kafka.session-timeout" -> b.sessionTimeout(text(k, value));
      case "kafka.replication-factor" -> b.replicationFactor(integer(k, value));
      case "kafka.min-insync-replicas" -> b.minInsyncReplicas(integer(k, value));
      case "kafka.fsync" -> b.fsync(bool(k, value));
      case "limits.max-message-size" -> b.maxMessageSize(size(k, value));
      case "limits.max-recipients" -> b.maxRecipients(integer(k, value));
      case "limits.max-hops" -> b.maxHops(integer(k, value));
      case "limits.accept-deadline" -> b.acceptDeadline(text(k, value));
      case "delivery.threads" -> b.deliveryThreads(integer(k, value));
      case "router.workers" -> b.routerWorkers(integer(k, value));
      case "router.commit-interval" -> b.commitInterval(text(k, value));
      case "router.commit-records" -> b.commitRecords(integer(k, value));
      case "delivery.max-idle-connections" -> b.maxIdleConnections(integer(k, value));
      case "delivery.idle-timeout" -> b.idleTimeout(text(k, value));
      case "delivery.max-connections-per-destination" -> b.maxConnectionsPerDestination(integer(k, value));
      case "delivery.max-in-flight" -> b.maxInFlight(integer(k, value));
      case "delivery.host-down-backoff" -> b.hostDownBackoff(text(k, value));
      case "delivery.host-down-max-backoff" -> b.hostDownMaxBackoff(text(k, value));
      case "delivery.connect-timeout" -> b.connectTimeout(text(k, value));
      case "delivery.retry-schedule" -> b.retrySchedule(list(k, value));
      case "delivery.queue-lifetime" -> b.queueLifetime(text(k, value));
      case "delivery.queue-warn" -> b.queueWarn(text(k, value));
      case "delivery.starttls" -> b.starttls(bool(k, value));
      case "delivery.tls-trust" -> b.tlsTrust(relative(text(k, value)));
      case "delivery.auth-without-tls" -> b.authWithoutTls(bool(k, value));
      default -> applyRouting(b, k, value);
    }
  }

  private void applyRouting(ConfigBuilder b, String k, Node value) throws ConfigException {
    if (k.startsWith("routing.") && RoutingBuilder.MAPS.contains(k.substring(8))) {
      b.routing().map(k.substring(8), relative(text(k, value)));
    } else if (RoutingBuilder.FLAGS.contains(k)) {
      b.routing().flag(k, bool(k, value));
    } else if (k.startsWith("mailers.")) {
      b.routing().mailerPort(k.substring(8), integer(k, value));
    } else {
      throw new IllegalArgumentException("unknown key '" + k + "'");
    }
  }

  /** Paths in the config are relative to the config file, so a config directory moves as a whole. */
  private Path relative(String path) {
    return file.toAbsolutePath().getParent().resolve(path);
  }

  private void section(ConfigBuilder b, String name, Node value) throws ConfigException {
    if (!(value instanceof MappingNode map)) {
      throw new ConfigException(where(value) + ": " + name + ": expected a mapping");
    }
    applyAll(b, name + ".", map);
  }

  /** A mapping of Kafka client settings, each checked where it is written. */
  private void clientProperties(ConfigBuilder b, String key, Node value) throws ConfigException {
    if (!(value instanceof MappingNode map)) {
      throw new ConfigException(where(value) + ": " + key + ": expected a mapping of Kafka client settings "
          + "(security.protocol: SASL_SSL, sasl.mechanism: ..., ...)");
    }
    for (NodeTuple t : map.getValue()) {
      String name = scalar(t.getKeyNode(), "setting name");
      try {
        b.kafkaClientProperty(name, text(key + "." + name, t.getValueNode()));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(where(t.getKeyNode()) + ": " + e.getMessage());
      }
    }
  }

  private String text(String key, Node value) throws ConfigException {
    if (!(value instanceof ScalarNode s)) {
      throw new ConfigException(where(value) + ": " + key + ": expected a single value");
    }
    // "key:", "key: ~" and "key: null" are YAML's null, not the text "~" or "null".
    return s.getTag().equals(Tag.NULL) ? "" : s.getValue();
  }

  private List<String> list(String key, Node value) throws ConfigException {
    if (value instanceof ScalarNode) {
      String t = text(key, value);
      return t.isBlank() ? List.of() : List.of(t);
    }
    if (!(value instanceof SequenceNode seq)) {
      throw new ConfigException(where(value) + ": " + key + ": expected a list");
    }
    List<String> out = new ArrayList<>();
    for (Node n : seq.getValue()) {
      out.add(text(key, n));
    }
    return out;
  }

  private int integer(String key, Node value) throws ConfigException {
    String t = text(key, value);
    try {
      return Integer.parseInt(t.strip());
    } catch (NumberFormatException e) {
      throw new ConfigException(where(value) + ": " + key + ": expected a whole number, got '" + t + "'");
    }
  }

  private boolean bool(String key, Node value) throws ConfigException {
    String t = text(key, value).strip();
    return switch (t) {
      case "true", "yes", "on" -> true;
      case "false", "no", "off" -> false;
      default -> throw new ConfigException(where(value) + ": " + key + ": expected true or false, got '" + t + "'");
    };
  }

  /** Sizes as octets or with a k, M or G suffix (powers of 1024). */
  private long size(String key, Node value) throws ConfigException {
    String t = text(key, value).strip();
    long unit = 1;
    char last = t.isEmpty() ? ' ' : Character.toUpperCase(t.charAt(t.length() - 1));
    if (last == 'K' || last == 'M' || last == 'G') {
      unit = last == 'K' ? 1024L : last == 'M' ? 1024L * 1024 : 1024L * 1024 * 1024;
      t = t.substring(0, t.length() - 1);
    }
    try {
      return Long.parseLong(t) * unit;
    } catch (NumberFormatException e) {
      throw new ConfigException(where(value) + ": " + key + ": expected a size like 26214400 or 25M");
    }
  }

  private String scalar(Node node, String what) throws ConfigException {
    if (!(node instanceof ScalarNode s)) {
      throw new ConfigException(where(node) + ": expected a plain " + what);
    }
    return s.getValue();
  }

  private String where(Node node) {
    return file + ":" + (node.getStartMark().getLine() + 1);
  }
}
