package io.mailstream.ops.reload;

import io.mailstream.core.config.ConfigBuilder;
import io.mailstream.core.config.ConfigException;
import io.mailstream.core.config.ConfigReader;
import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.core.config.RoutingSettings;
import io.mailstream.queue.codec.ConfigBundle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Between a node's files and a {@link ConfigBundle}: the bundle of a local configuration (the yaml
 * and every map file it names), and a received bundle written out under {@code
 * <data-dir>/config/<hash>/} and read back as a configuration whose maps are those copies.
 */
public final class ConfigFiles {
  private static final String YAML = "mailstream.yaml";

  private ConfigFiles() {}

  /** The map files of {@code config} by their {@code routing.} key, in a stable order. */
  static Map<String, Path> maps(RoutingSettings r) {
    Map<String, Path> m = new LinkedHashMap<>();
    put(m, "mailertable", r.mailertable());
    put(m, "virtusertable", r.virtusertable());
    put(m, "aliases", r.aliases());
    put(m, "domaintable", r.domaintable());
    put(m, "genericstable", r.genericstable());
    put(m, "local-host-names", r.localHostNames());
    put(m, "relay-domains", r.relayDomains());
    put(m, "access", r.access());
    return m;
  }

  /** The map files {@code config} names, to watch for changes. */
  public static List<Path> mapsOf(MailstreamConfig config) {
    return List.copyOf(maps(config.routing()).values());
  }

  private static void put(Map<String, Path> m, String key, Path p) {
    if (p != null) {
      m.put(key, p);
    }
  }

  /**
   * The bundle of a validated local configuration.
   *
   * @param yaml the configuration file, or null when the node has none
   * @throws IOException naming the file that cannot be read
   */
  public static ConfigBundle bundle(Path yaml, MailstreamConfig config, String origin) throws IOException {
    String text = yaml == null ? null : Files.readString(yaml, StandardCharsets.UTF_8);
    List<ConfigBundle.MapText> files = new ArrayList<>();
    for (Map.Entry<String, Path> e : maps(config.routing()).entrySet()) {
      try {
        files.add(new ConfigBundle.MapText(e.getKey(), Files.readAllBytes(e.getValue())));
      } catch (IOException ex) {
        throw new IOException(e.getValue() + ": cannot read: " + ex.getMessage(), ex);
      }
    }
    return new ConfigBundle(text, files, origin, System.currentTimeMillis());
  }

  /**
   * Writes {@code bundle} under {@code root/<hash>/} (once; a complete directory appears at once)
   * and reads it as a configuration: the yaml as written, with every map path pointing at the
   * copy that came with it.
   *
   * @throws ConfigException naming the written file and line when the yaml is bad
   */
  public static MailstreamConfig read(ConfigBundle bundle, Path root) throws IOException, ConfigException {
    Path dir = root.resolve(bundle.shortHash());
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(root);
      Path tmp = Files.createTempDirectory(root, ".incoming-");
      Files.write(tmp.resolve(YAML), bundle.yamlBytes());
      Files.createDirectories(tmp.resolve("maps"));
      for (ConfigBundle.MapText f : bundle.files()) {
        Files.write(tmp.resolve("maps").resolve(f.name()), f.content());
      }
      try {
        Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
        deleteTree(tmp);
      } catch (IOException e) {
        deleteTree(tmp);
        if (!Files.isDirectory(dir)) {
          throw e;
        }
      }
    }
    ConfigBuilder b = new ConfigBuilder();
    if (bundle.yaml() != null) {
      ConfigReader.read(dir.resolve(YAML), b);
    }
    // The maps that came with the version, wherever the yaml says the publisher keeps them.
    for (ConfigBundle.MapText f : bundle.files()) {
      b.routing().map(f.name(), dir.resolve("maps").resolve(f.name()));
    }
    return b.build();
  }

  /** Removes the written versions other than {@code keep} (their tables are in memory by now). */
  static void prune(Path root, String keep) {
    if (!Files.isDirectory(root)) {
      return;
    }
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
      for (Path d : dirs) {
        if (!d.getFileName().toString().equals(keep)) {
          deleteTree(d);
        }
      }
    } catch (IOException e) {
      // Old copies only take space; the next prune tries again.
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
