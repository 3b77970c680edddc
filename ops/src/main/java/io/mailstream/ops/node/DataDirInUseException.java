package io.mailstream.ops.node;

import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Another Mailstream node holds the data directory: its message is the one line a second {@code
 * mailstream start} prints, naming the owner's PID when it has written it.
 */
public final class DataDirInUseException extends IllegalStateException {
  private final transient OptionalLong owner;

  DataDirInUseException(Path dir, OptionalLong owner) {
    super("data directory " + dir + " is in use by another Mailstream node ("
        + (owner.isPresent() ? "PID " + owner.getAsLong() : "PID not yet written")
        + "); stop it first or give this one another --data-dir");
    this.owner = owner;
  }

  /** The PID of the node holding the directory, if known. */
  public OptionalLong owner() {
    return owner;
  }
}
