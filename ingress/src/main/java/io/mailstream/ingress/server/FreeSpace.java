package io.mailstream.ingress.server;

import io.mailstream.ingress.session.StorageSpace;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Free space on the file system of the data directory against {@code smtp.min-free-space}
 * (sendmail's confMIN_FREE_BLOCKS). The space is read once a second on a thread of its own, so a
 * session only reads a number: a slow {@code statvfs} never holds up an event loop. Crossing the
 * floor is logged once each way; the ingress refuses and resumes by itself.
 *
 * <p>A file system that cannot be asked counts as having room, as in sendmail's enoughdiskspace:
 * refusing all mail because of a failed look-up would be worse than the full disk it guards against.
 */
final class FreeSpace implements StorageSpace, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FreeSpace.class);
  static final Duration REFRESH = Duration.ofSeconds(1);

  private final Path directory;
  private final long floor;
  private volatile long usable = Long.MAX_VALUE;
  // Touched by the refresh thread only (and once by the constructor before it starts).
  private boolean low;
  private boolean unreadable;
  private ScheduledExecutorService timer;

  /**
   * @param directory the data directory (or a directory inside it that will exist)
   * @param floor octets that must stay free; 0 for no check
   */
  FreeSpace(Path directory, long floor) {
    this.directory = directory.toAbsolutePath().normalize();
    this.floor = floor;
    if (floor > 0) {
      refresh();
    }
  }

  @Override
  public boolean room(long octets) {
    if (floor == 0) {
      return true;
    }
    long free = usable;
    return free == Long.MAX_VALUE || free - Math.max(0, octets) >= floor;
  }

  /** The octets free for this process when last read; {@link Long#MAX_VALUE} when unknown. */
  long usable() {
    return usable;
  }

  /** Reads the free space every second from now on; nothing to do without a floor. */
  synchronized void start() {
    if (floor == 0 || timer != null) {
      return;
    }
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "free-space");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(this::refresh, REFRESH.toMillis(), REFRESH.toMillis(), TimeUnit.MILLISECONDS);
  }

  void refresh() {
    try {
      long free = store().getUsableSpace();
      usable = free;
      unreadable = false;
      if (free < floor && !low) {
        low = true;
        LOG.warn("low on space: {} free on {}, below smtp.min-free-space {}; new mail gets 452 4.3.1 until space"
            + " returns", mib(free), directory, mib(floor));
      } else if (free >= floor && low) {
        low = false;
        LOG.info("space returned: {} free on {}, above smtp.min-free-space {}; accepting mail again",
            mib(free), directory, mib(floor));
      }
    } catch (IOException | RuntimeException e) {
      usable = Long.MAX_VALUE;
      if (!unreadable) {
        unreadable = true;
        LOG.warn("cannot read the free space of {}: {}; mail is accepted without the smtp.min-free-space check",
            directory, e.toString());
      }
    }
  }

  /** The file system of the data directory, or of its nearest existing parent before it exists. */
  private FileStore store() throws IOException {
    Path p = directory;
    while (p != null && !Files.exists(p)) {
      p = p.getParent();
    }
    return Files.getFileStore(p == null ? directory : p);
  }

  private static String mib(long octets) {
    return String.format(java.util.Locale.ROOT, "%.1f MiB", octets / 1048576.0);
  }

  @Override
  public synchronized void close() {
    if (timer != null) {
      timer.shutdownNow();
      timer = null;
    }
  }
}
