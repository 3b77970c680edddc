package io.mailstream.ingress.auth;

import io.mailstream.core.config.ConfigException;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks AUTH credentials against the users file. The hash is slow on purpose, so checks run on a
 * small pool of their own, never on an SMTP event loop; when too many wait, the client is told to
 * try later rather than queued without bound.
 *
 * <p>The file is read again when it changes (its time or size), so {@code mailstream passwd} takes
 * effect without a reload; a broken file is logged and the last good version stays in use.
 */
public final class Authenticator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Authenticator.class);
  // Unknown users are checked against this too, so that timing does not tell who exists.
  private static final PasswordHash NOBODY = PasswordHash.of("no such user".toCharArray(), PasswordHash.DEFAULT_ITERATIONS);

  /** What a check found. */
  public enum Outcome {
    /** The password is right. */
    ACCEPTED,
    /** Unknown user, wrong password, or an authorisation identity other than the user. */
    REFUSED,
    /** The check could not be made now (too busy, no readable users file): 454. */
    UNAVAILABLE
  }

  private final Path file;
  private final ThreadPoolExecutor pool;
  private volatile Snapshot current;

  private Authenticator(Path file, UsersFile users, int threads) throws IOException {
    this.file = file;
    this.current = new Snapshot(users, stamp(file));
    this.pool =
        new ThreadPoolExecutor(
            threads, threads, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(64), new DefaultThreadFactory("smtp-auth", true));
  }

  /**
   * Reads {@code file} now, so that a bad users file stops the server from starting.
   *
   * @throws ConfigException naming the file and line of a bad entry
   */
  public static Authenticator open(Path file) throws ConfigException {
    try {
      // Two threads: the hash is CPU-bound, and checks must not starve the rest of the node.
      return new Authenticator(file, UsersFile.read(file), 2);
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read users file: " + e.getMessage(), e);
    }
  }

  /**
   * Checks a password. The returned future completes on the pool's thread; the password array is
   * wiped once checked.
   *
   * @param authzid the authorisation identity the client asked for, or empty for "the same as
   *     authcid"; Mailstream does not let one user act for another
   */
  public CompletableFuture<Outcome> check(String authzid, String authcid, char[] password) {
    try {
      return CompletableFuture.supplyAsync(() -> checkNow(authzid, authcid, password), pool);
    } catch (RejectedExecutionException e) {
      Arrays.fill(password, '\0');
      return CompletableFuture.completedFuture(Outcome.UNAVAILABLE);
    }
  }

  private Outcome checkNow(String authzid, String authcid, char[] password) {
    try {
      UsersFile users = users();
      PasswordHash hash = users.find(authcid).orElse(NOBODY);
      boolean right = hash.matches(password) && hash != NOBODY;
      boolean sameIdentity = authzid.isEmpty() || authzid.equals(authcid);
      return right && sameIdentity ? Outcome.ACCEPTED : Outcome.REFUSED;
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  private UsersFile users() {
    Snapshot s = current;
    String now;
    try {
      now = stamp(file);
    } catch (IOException e) {
      return s.users; // gone for a moment (an editor's rename): keep what we had
    }
    if (now.equals(s.stamp)) {
      return s.users;
    }
    try {
      UsersFile fresh = UsersFile.read(file);
      current = new Snapshot(fresh, now);
      LOG.info("users file {} re-read: {} users", file, fresh.size());
      return fresh;
    } catch (ConfigException e) {
      current = new Snapshot(s.users, now); // say it once per change, not once per AUTH
      LOG.error("{}; the previous users stay in effect", e.getMessage());
      return s.users;
    }
  }

  private static String stamp(Path file) throws IOException {
    BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
    return a.lastModifiedTime() + "/" + a.size() + "/" + a.fileKey();
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }

  private record Snapshot(UsersFile users, String stamp) {}
}
