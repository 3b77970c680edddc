package io.mailstream.delivery.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One Maildir ({@code tmp}, {@code new}, {@code cur}) and the protocol for adding a message to it
 * (https://cr.yp.to/proto/maildir.html): write under a unique name in {@code tmp}, fsync, then
 * rename into {@code new}, so that a reader never sees a partial message and a crash leaves at most
 * a stale file in {@code tmp}.
 */
final class Maildir {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final AtomicLong DELIVERIES = new AtomicLong();

  private final Path root;
  private final String hostName;

  Maildir(Path root, String hostName) {
    this.root = root;
    // The spec replaces '/' and ':' in the host part, since ':' starts the info suffix.
    this.hostName = hostName.replace("/", "\\057").replace(":", "\\072");
  }

  Path root() {
    return root;
  }

  /** Creates {@code tmp}, {@code new} and {@code cur} if needed and opens a file in tmp. */
  Delivery begin() throws IOException {
    Files.createDirectories(root.resolve("tmp"));
    Files.createDirectories(root.resolve("new"));
    Files.createDirectories(root.resolve("cur"));
    while (true) {
      String name = uniqueName();
      Path tmp = root.resolve("tmp").resolve(name);
      try {
        FileChannel ch =
            FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        return new Delivery(tmp, root.resolve("new").resolve(name), ch);
      } catch (FileAlreadyExistsException e) {
        // Another process made the same name within the same microsecond; draw again.
      }
    }
  }

  /**
   * {@code seconds.M<microseconds>P<pid>Q<count>R<random>.host}: the spec's modern form. The pid
   * and counter make names unique within this host, the random part across JVMs sharing a pid
   * namespace (containers).
   */
  private String uniqueName() {
    Instant now = Instant.now();
    return now.getEpochSecond()
        + ".M"
        + now.getNano() / 1000
        + "P"
        + ProcessHandle.current().pid()
        + "Q"
        + DELIVERIES.incrementAndGet()
        + "R"
        + Long.toHexString(RANDOM.nextLong() & Long.MAX_VALUE)
        + "."
        + hostName;
  }

  /** A message being written into {@code tmp}; either {@link #commit} or {@link #abandon} it. */
  static final class Delivery {
    private final Path tmp;
    private final Path target;
    private final FileChannel channel;

    private Delivery(Path tmp, Path target, FileChannel channel) {
      this.tmp = tmp;
      this.target = target;
      this.channel = channel;
    }

    void write(byte[] bytes) throws IOException {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      while (b.hasRemaining()) {
        channel.write(b);
      }
    }

    /** Forces the data to disk, then moves the file into {@code new}; returns its final path. */
    Path commit() throws IOException {
      channel.force(true);
      channel.close();
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      syncDirectory(target.getParent());
      return target;
    }

    /** Removes the partial file; quietly, since the delivery has already failed. */
    void abandon() {
      try {
        channel.close();
        Files.deleteIfExists(tmp);
      } catch (IOException e) {
        // A stale file in tmp is harmless: Maildir readers ignore tmp.
      }
    }

    /** Makes the rename durable; not every platform can open a directory, then it is skipped. */
    private static void syncDirectory(Path dir) {
      try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
        d.force(true);
      } catch (IOException e) {
        // Best effort: the file itself is already on disk.
      }
    }
  }
}
