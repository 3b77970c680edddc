package io.mailstream.ops.node;

import io.mailstream.queue.state.RetryStore;
import java.nio.file.Path;

/**
 * The delivery stage's retry state, shared by the node's delivery workers and opened by the first
 * one that starts. Opening it is part of starting the stage: when it fails (the directory is held
 * by another process, the disk is gone), the worker could not start, the supervisor says the stage
 * is down and tries again later, instead of the whole node refusing to start.
 */
final class SharedRetryStore implements AutoCloseable {
  private final Path dir;
  private RetryStore store;

  SharedRetryStore(Path dir) {
    this.dir = dir;
  }

  /** The store, opened now if no worker opened it yet. */
  synchronized RetryStore get() {
    if (store == null) {
      store = RetryStore.open(dir);
    }
    return store;
  }

  /**
   * A RocksDB figure of the store ({@link RetryStore#property}), or NaN while it is not open: under
   * this object's lock, so that it is never read while being closed.
   */
  synchronized double property(String name) {
    return store == null ? Double.NaN : store.property(name);
  }

  @Override
  public synchronized void close() {
    if (store != null) {
      store.close();
      store = null;
    }
  }
}
