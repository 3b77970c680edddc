package io.mailstream.ops.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * This node's identity among the workers of a cluster, kept in {@code <data-dir>/node-id}. It names
 * the router's transactional producers, so it must be unique per node (the SMTP host name is not:
 * the nodes of a cluster often share it) and stable across restarts (so that a restarted worker
 * fences its own predecessor at once instead of waiting for its transaction to time out).
 */
final class NodeId {
  private NodeId() {}

  static String of(Path dataDir) {
    Path file = dataDir.resolve("node-id");
    try {
      if (Files.exists(file)) {
        String id = Files.readString(file, StandardCharsets.US_ASCII).strip();
        if (!id.isEmpty()) {
          return id;
        }
      }
      Files.createDirectories(dataDir);
      String id = UUID.randomUUID().toString().substring(0, 8);
      Files.writeString(file, id + "\n", StandardCharsets.US_ASCII);
      return id;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write " + file, e);
    }
  }
}
