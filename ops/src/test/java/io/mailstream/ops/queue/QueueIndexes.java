package io.mailstream.ops.queue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Queue views for a test, each keeping its finished mail in a directory of its own, all closed
 * (their RocksDB released) after each test. Register with {@code @RegisterExtension}.
 */
public final class QueueIndexes implements AfterEachCallback {
  private final List<QueueIndex> opened = new ArrayList<>();
  private final List<Path> dirs = new ArrayList<>();

  /** A new, empty view under a fresh temporary directory. */
  public QueueIndex open() {
    try {
      Path dir = Files.createTempDirectory("queue-view");
      dirs.add(dir);
      QueueIndex index = QueueIndex.open(dir);
      opened.add(index);
      return index;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void afterEach(ExtensionContext context) throws IOException {
    opened.forEach(QueueIndex::close);
    opened.clear();
    for (Path dir : dirs) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    dirs.clear();
  }
}
