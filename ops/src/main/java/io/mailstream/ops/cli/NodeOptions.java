package io.mailstream.ops.cli;

import io.mailstream.core.config.ConfigBuilder;
import io.mailstream.core.config.ConfigException;
import io.mailstream.core.config.ConfigReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * How a verb finds the running node: its data directory (from {@code --data-dir}, or the {@code
 * data-dir} of {@code --config}, default {@code ./data}), whose {@code admin.address} and {@code
 * admin.token} the node wrote at start; or an admin address and token file given outright (a node
 * of the cluster on another machine, through a tunnel).
 */
public final class NodeOptions {
  @Option(names = "--data-dir", paramLabel = "DIR", description = "the node's data directory (default ./data)")
  Path dataDir;

  @Option(names = "--config", paramLabel = "FILE", description = "mailstream.yaml of the node: its data-dir is used")
  Path config;

  @Option(names = "--admin", paramLabel = "HOST:PORT", description = "the node's admin address instead of <data-dir>/admin.address")
  String admin;

  @Option(names = "--token-file", paramLabel = "FILE", description = "the admin token instead of <data-dir>/admin.token")
  Path tokenFile;

  /** A verb could not find the node: the message says where it looked. */
  static final class NodeNotFound extends Exception {
    NodeNotFound(String message) {
      super(message);
    }
  }

  /** The client for the node these options name. */
  NodeClient connect() throws NodeNotFound {
    Path dir = dataDir();
    String address = admin;
    if (address == null) {
      try {
        address = Files.readString(dir.resolve("admin.address"), StandardCharsets.US_ASCII).strip();
      } catch (NoSuchFileException e) {
        throw new NodeNotFound("no running node found (" + dir.resolve("admin.address") + " is missing)");
      } catch (IOException e) {
        throw new NodeNotFound("cannot read " + dir.resolve("admin.address") + ": " + e.getMessage());
      }
    }
    Path token = tokenFile != null ? tokenFile : dir.resolve("admin.token");
    return new NodeClient(address, token);
  }

  private Path dataDir() throws NodeNotFound {
    if (dataDir != null || config == null) {
      return dataDir != null ? dataDir : Path.of("data");
    }
    try {
      ConfigBuilder b = new ConfigBuilder();
      ConfigReader.read(config, b);
      return b.build().dataDir();
    } catch (ConfigException e) {
      throw new NodeNotFound(e.getMessage());
    }
  }
}
