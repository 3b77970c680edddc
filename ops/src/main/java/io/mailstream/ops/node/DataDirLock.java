package io.mailstream.ops.node;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The claim of one Mailstream node on its data directory: an exclusive lock on {@code
 * <data-dir>/mailstream.lock}, holding the owner's PID for the message a second start prints. It is
 * taken before anything else touches the directory (the mail log, Kafka, RocksDB, the Maildir), so
 * that a second node on the same directory stops before it can write into the first one's KRaft log
 * or state, and it is held until the node has closed everything else.
 *
 * <p>The operating system releases the lock when the process ends, however it ends, so a stale lock
 * file never blocks a start. The file itself is never deleted: a process that had opened it just
 * before the delete would lock a file nobody else can see any more.
 */
public final class DataDirLock implements AutoCloseable {
  static final String FILE = "mailstream.lock";

  // POSIX record locks belong to the process, not to the channel: closing any other descriptor of
  // the file drops them. A second claim from this JVM must therefore be refused here, before it
  // opens the file, instead of by tryLock (which would throw OverlappingFileLockException, and the
  // channel's close would then silently release the first node's lock).
  private static final Set<Path> HELD_HERE = ConcurrentHashMap.newKeySet();

  private final Path dir;
  private final FileChannel channel;

  private DataDirLock(Path dir, FileChannel channel) {
    this.dir = dir;
    this.channel = channel;
  }

  /**
   * Creates the directory if needed and locks it for this process.
   *
   * @throws DataDirInUseException when another node (in this process or another) holds it
   * @throws UncheckedIOException when the directory or lock file cannot be created or locked
   */
  public static DataDirLock acquire(Path dataDir) {
    Path dir = realDirectory(dataDir);
    long self = ProcessHandle.current().pid();
    if (!HELD_HERE.add(dir)) {
      throw new DataDirInUseException(dir, OptionalLong.of(self));
    }
    Path file = dir.resolve(FILE);
    FileChannel channel = null;
    try {
      // No TRUNCATE_EXISTING: a refused start must leave the owner's PID in place.
      channel = FileChannel.open(file, CREATE, WRITE);
      if (lockOrNull(channel) == null) {
        channel.close();
        throw new DataDirInUseException(dir, ownerOf(file));
      }
      channel.truncate(0);
      channel.write(ByteBuffer.wrap((self + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
      return new DataDirLock(dir, channel);
    } catch (IOException e) {
      closeQuietly(channel);
      HELD_HERE.remove(dir);
      throw new UncheckedIOException("cannot lock data directory " + dir + ": " + reason(e), e);
    } catch (RuntimeException e) {
      HELD_HERE.remove(dir);
      throw e;
    }
  }

  private static FileLock lockOrNull(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException e) {
      // Someone in this JVM locked the file without going through this class; still in use.
      return null;
    }
  }

  private static Path realDirectory(Path dataDir) {
    try {
      Files.createDirectories(dataDir);
      // The real path, so that two spellings of one directory (a symlink, "./data") are one claim.
      return dataDir.toRealPath();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot create data directory " + dataDir.toAbsolutePath() + ": " + reason(e), e);
    }
  }

  /** The PID the owner wrote, if it has written it yet and it reads as one. */
  private static OptionalLong ownerOf(Path file) {
    try {
      return OptionalLong.of(Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).strip()));
    } catch (IOException | NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  private static String reason(IOException e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // Nothing more to release: the lock was not taken.
      }
    }
  }

  /** The locked directory, as its real path. */
  public Path directory() {
    return dir;
  }

  /** Whether this lock is for {@code dataDir} (however it is spelled). */
  public boolean covers(Path dataDir) {
    try {
      return dir.equals(dataDir.toRealPath());
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() {
    // Closing the channel releases the lock.
    try (channel) {
      // An empty file tells whoever reads it by hand that nobody runs here.
      channel.truncate(0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot release " + dir.resolve(FILE) + ": " + reason(e), e);
    } finally {
      HELD_HERE.remove(dir);
    }
  }
}
