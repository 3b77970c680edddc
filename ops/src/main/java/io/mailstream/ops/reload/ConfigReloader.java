package io.mailstream.ops.reload;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads when a watched file changes (or when asked: SIGHUP, {@code mailstream reload}): the new
 * version is built and validated completely, then swapped in at once. A version that fails to
 * build is logged as one line (file, line and reason, as the loader reports it) and the running
 * version stays.
 */
public final class ConfigReloader implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ConfigReloader.class);

  /** Builds a new version from the files; throws with a one-line message when they are bad. */
  @FunctionalInterface
  public interface Loader<T> {
    T load() throws Exception;
  }

  /** What a reload does: build, validate and install a new version, or say why not. */
  @FunctionalInterface
  public interface Action {
    Result reload(String why);
  }

  private final Action action;
  private final Set<Path> files;
  private final WatchService watcher;
  private final Thread thread;
  private volatile boolean running = true;

  /** Watches the directories of {@code files} and reloads with {@code action} when one changes. */
  public ConfigReloader(Action action, Collection<Path> files) throws IOException {
    this.action = action;
    this.files = new HashSet<>();
    this.watcher = FileSystems.getDefault().newWatchService();
    Set<Path> dirs = new HashSet<>();
    for (Path f : files) {
      Path abs = f.toAbsolutePath().normalize();
      this.files.add(abs);
      dirs.add(abs.getParent());
    }
    for (Path d : dirs) {
      d.register(watcher, StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_CREATE,
          StandardWatchEventKinds.ENTRY_DELETE);
    }
    thread = new Thread(this::watch, "mailstream-config-watch");
    thread.setDaemon(true);
    thread.start();
  }

  /** What a reload did: the version now running and, when refused, why. */
  public record Result(boolean applied, long version, String message) {}

  /**
   * A reloader that builds with {@code loader} and swaps the result into {@code target} in this
   * process alone (the node itself goes through {@link LiveConfig}, which also shares versions).
   */
  public static <T> ConfigReloader swapping(Loader<T> loader, Reloadable<T> target, Collection<Path> files)
      throws IOException {
    return new ConfigReloader(why -> swap(loader, target, why), files);
  }

  /** Reloads now (SIGHUP, {@code mailstream reload}); a refused version leaves the running one. */
  public Result reload(String why) {
    synchronized (this) {
      return action.reload(why);
    }
  }

  private static <T> Result swap(Loader<T> loader, Reloadable<T> target, String why) {
    T next;
    try {
      next = loader.load();
    } catch (Exception e) {
      long running = target.version().number();
      log.error("reload ({}) refused, version {} keeps running: {}", why, running, e.getMessage());
      return new Result(false, running, e.getMessage());
    }
    long version = target.swap(next);
    log.info("configuration version {} running ({})", version, why);
    return new Result(true, version, "configuration version " + version + " running");
  }

  private void watch() {
    long changedAt = 0;
    while (running) {
      WatchKey key;
      try {
        key = watcher.poll(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException | java.nio.file.ClosedWatchServiceException e) {
        return;
      }
      if (key != null) {
        Path dir = (Path) key.watchable();
        boolean relevant =
            key.pollEvents().stream()
                .map(e -> e.context())
                .filter(c -> c instanceof Path)
                .map(c -> dir.resolve((Path) c).toAbsolutePath().normalize())
                .anyMatch(files::contains);
        key.reset();
        if (relevant) {
          changedAt = System.nanoTime();
        }
      } else if (changedAt != 0 && System.nanoTime() - changedAt >= QUIET_NANOS) {
        // Editors and copies write a file in several steps: reload once it has been quiet a while,
        // not on the truncated first step, which could parse as a valid but empty map.
        changedAt = 0;
        reload("file changed");
      }
    }
  }

  private static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  @Override
  public void close() throws IOException {
    running = false;
    watcher.close();
    thread.interrupt();
  }
}
