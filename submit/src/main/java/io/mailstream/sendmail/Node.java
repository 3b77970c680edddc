package io.mailstream.sendmail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The node this command submits to, found as the other verbs find it: {@code --data-dir}, else
 * the {@code data-dir:} of {@code --config} (or {@code -C}), else the environment's {@code
 * MAILSTREAM_DATA_DIR} or {@code MAILSTREAM_CONFIG} (for an installed {@code /usr/sbin/sendmail},
 * which programs call without options), else {@code start}'s default {@code ./data}. What it needs
 * from there is in {@code submit.info}, which {@code mailstream start} writes: the socket, the
 * hostname ($j) that bare addresses are qualified with, the offline mode, the spool and the admin
 * token's file. The admin endpoint's address is read when a verb needs it ({@link NodeQueue}): it
 * is there only while the node runs.
 *
 * @param dataDir the data directory
 * @param hostname the node's hostname, sendmail's $j
 * @param socket the local submission socket
 * @param spoolWhenDown whether a message waits in the spool while the node is down
 *     ({@code submit.offline: spool}) or the command fails with EX_TEMPFAIL
 * @param spool the spool directory, one subdirectory per submitting user
 * @param adminToken the file holding the admin token, which running the node's queue needs
 *     ({@code <data-dir>/admin.token} unless the node names another)
 */
record Node(Path dataDir, String hostname, Path socket, boolean spoolWhenDown, Path spool, Path adminToken) {

  /**
   * The node of this invocation.
   *
   * @throws CommandFailure EX_CONFIG when no node ever ran on the data directory (it has no
   *     {@code submit.info}), or the config file cannot be read
   */
  static Node find(Invocation inv, Map<String, String> env) throws CommandFailure {
    Path dataDir = dataDir(inv, env);
    Path info = dataDir.resolve("submit.info");
    Map<String, String> keys = new HashMap<>();
    try {
      for (String line : Files.readAllLines(info, StandardCharsets.UTF_8)) {
        int eq = line.indexOf('=');
        if (!line.startsWith("#") && eq > 0) {
          keys.put(line.substring(0, eq), line.substring(eq + 1));
        }
      }
    } catch (NoSuchFileException e) {
      throw new CommandFailure(Sysexits.EX_TEMPFAIL, "no Mailstream node has run on " + dataDir.toAbsolutePath()
          + " (no submit.info there); start it, or give --data-dir, --config or MAILSTREAM_DATA_DIR");
    } catch (IOException e) {
      throw new CommandFailure(Sysexits.EX_CONFIG, "cannot read " + info + ": " + e.getMessage());
    }
    for (String key : List.of("hostname", "socket", "offline", "spool")) {
      if (!keys.containsKey(key)) {
        throw new CommandFailure(Sysexits.EX_CONFIG, info + ": " + key + " missing; restart the node to write it again");
      }
    }
    return new Node(dataDir, keys.get("hostname"), Path.of(keys.get("socket")),
        !"tempfail".equals(keys.get("offline")), Path.of(keys.get("spool")),
        keys.containsKey("admin-token") ? Path.of(keys.get("admin-token")) : dataDir.resolve("admin.token"));
  }

  private static Path dataDir(Invocation inv, Map<String, String> env) throws CommandFailure {
    if (inv.dataDir != null) {
      return Path.of(inv.dataDir);
    }
    if (inv.config != null) {
      return fromConfig(Path.of(inv.config));
    }
    String dir = env.get("MAILSTREAM_DATA_DIR");
    if (dir != null && !dir.isEmpty()) {
      return Path.of(dir);
    }
    String config = env.get("MAILSTREAM_CONFIG");
    if (config != null && !config.isEmpty()) {
      return fromConfig(Path.of(config));
    }
    return Path.of("data");
  }

  /**
   * The {@code data-dir:} key at the top level of a config file; {@code ./data} without one. Only
   * this key is read (a YAML parser would cost this command its start-up time): a plain scalar,
   * quoted or not, as {@code mailstream.yaml} documents it. Relative, it is relative to the
   * working directory, as for {@code mailstream start}.
   */
  static Path fromConfig(Path config) throws CommandFailure {
    List<String> lines;
    try {
      lines = Files.readAllLines(config, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CommandFailure(Sysexits.EX_CONFIG, "cannot read " + config + ": " + e.getMessage());
    }
    for (String line : lines) {
      if (line.startsWith("data-dir:")) {
        String v = line.substring("data-dir:".length());
        int comment = v.indexOf(" #");
        v = (comment < 0 ? v : v.substring(0, comment)).strip();
        if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
          v = v.substring(1, v.length() - 1);
        }
        if (!v.isEmpty()) {
          return Path.of(v);
        }
      }
    }
    return Path.of("data");
  }
}
