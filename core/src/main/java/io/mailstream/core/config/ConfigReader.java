package io.mailstream.core.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

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
    Node root;
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      root = new Yaml(new LoaderOptions()).compose(in);
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
      throw new ConfigException(file + ":" + line + ": not valid YAML: " + e.getProblem());
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
    }
    if (root == null) {
      return;
    }
    if (!(root instanceof MappingNode map)) {
      throw new ConfigException(where(root) + ": expected a mapping of keys at the top level");
    }
    for (NodeTuple t : map.getValue()) {
      String key = scalar(t.getKeyNode(), "key");
      try {
        apply(builder, "", key, t.getValueNode());
      } catch (IllegalArgumentException e) {
        throw new ConfigException(where(t.getKeyNode()) + ": " + e.getMessage());
      }
    }
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
      case "kafka", "limits", "delivery" -> section(b, k, value);
      case "kafka.bootstrap" -> b.kafkaBootstrap(text(k, value));
      case "kafka.topic-prefix" -> b.topicPrefix(text(k, value));
      case "kafka.partitions" -> b.partitions(integer(k, value));
      case "kafka.replication-factor" -> b.replicationFactor(integer(k, value));
      case "kafka.min-insync-replicas" -> b.minInsyncReplicas(integer(k, value));
      case "kafka.fsync" -> b.fsync(bool(k, value));
      case "limits.max-message-size" -> b.maxMessageSize(size(k, value));
      case "limits.max-recipients" -> b.maxRecipients(integer(k, value));
      case "limits.max-hops" -> b.maxHops(integer(k, value));
      case "limits.accept-deadline" -> b.acceptDeadline(text(k, value));
      case "delivery.threads" -> b.deliveryThreads(integer(k, value));
      case "delivery.max-idle-connections" -> b.maxIdleConnections(integer(k, value));
      case "delivery.idle-timeout" -> b.idleTimeout(text(k, value));
      case "delivery.connect-timeout" -> b.connectTimeout(text(k, value));
      case "delivery.retry-schedule" -> b.retrySchedule(list(k, value));
      case "delivery.queue-lifetime" -> b.queueLifetime(text(k, value));
      default -> throw new IllegalArgumentException("unknown key '" + k + "'");
    }
  }

  private void section(ConfigBuilder b, String name, Node value) throws ConfigException {
    if (!(value instanceof MappingNode map)) {
      throw new ConfigException(where(value) + ": " + name + ": expected a mapping");
    }
    for (NodeTuple t : map.getValue()) {
      String key = scalar(t.getKeyNode(), "key");
      try {
        apply(b, name + ".", key, t.getValueNode());
      } catch (IllegalArgumentException e) {
        throw new ConfigException(where(t.getKeyNode()) + ": " + e.getMessage());
      }
    }
  }

  private String text(String key, Node value) throws ConfigException {
    if (!(value instanceof ScalarNode s)) {
      throw new ConfigException(where(value) + ": " + key + ": expected a single value");
    }
    return s.getValue();
  }

  private List<String> list(String key, Node value) throws ConfigException {
    if (value instanceof ScalarNode s) {
      return s.getValue().isBlank() ? List.of() : List.of(s.getValue());
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
