package io.mailstream.ingress.auth;

import io.mailstream.core.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The users who may authenticate, one {@code name:hash} per line like an htpasswd file, with
 * {@code #} comments and blank lines. Names are compared exactly (an authentication identity is
 * not a mail address: {@code Alice} and {@code alice} are two users).
 */
public final class UsersFile {
  private final Path file;
  private final Map<String, PasswordHash> users;

  private UsersFile(Path file, Map<String, PasswordHash> users) {
    this.file = file;
    this.users = users;
  }

  /**
   * Reads {@code file}.
   *
   * @throws ConfigException naming the file and line of the first bad entry, or why the file
   *     cannot be read
   */
  public static UsersFile read(Path file) throws ConfigException {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read users file: " + e.getMessage(), e);
    }
    Map<String, PasswordHash> users = new LinkedHashMap<>();
    Map<String, Integer> firstSeen = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      int number = i + 1;
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new ConfigException(file + ":" + number + ": expected NAME:HASH (see mailstream passwd)");
      }
      String name = line.substring(0, colon);
      try {
        checkName(name);
        Integer earlier = firstSeen.putIfAbsent(name, number);
        if (earlier != null) {
          throw new IllegalArgumentException("user '" + name + "' is already on line " + earlier);
        }
        users.put(name, PasswordHash.parse(line.substring(colon + 1)));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(file + ":" + number + ": " + e.getMessage(), e);
      }
    }
    return new UsersFile(file, users);
  }

  /** An empty users file at {@code file}, not yet written. */
  public static UsersFile empty(Path file) {
    return new UsersFile(file, new LinkedHashMap<>());
  }

  /** The hash stored for {@code name}. */
  public Optional<PasswordHash> find(String name) {
    return Optional.ofNullable(users.get(name));
  }

  public int size() {
    return users.size();
  }

  /** Adds {@code name} or replaces its password. */
  public UsersFile with(String name, PasswordHash hash) {
    checkName(name);
    Map<String, PasswordHash> copy = new LinkedHashMap<>(users);
    copy.put(name, hash);
    return new UsersFile(file, copy);
  }

  /** Removes {@code name}; the same file if there was no such user. */
  public UsersFile without(String name) {
    Map<String, PasswordHash> copy = new LinkedHashMap<>(users);
    copy.remove(name);
    return new UsersFile(file, copy);
  }

  /**
   * Writes the file readable by its owner only, through a temporary file and a rename, so that a
   * server re-reading it never sees half of it.
   */
  public void write() throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add("# Mailstream users: NAME:HASH, written by mailstream passwd");
    users.forEach((name, hash) -> lines.add(name + ":" + hash));
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, ".users", ".tmp");
    try {
      try {
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // Not a POSIX file system: the directory's permissions must protect it.
      }
      Files.write(temp, lines, StandardCharsets.UTF_8);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  public Path file() {
    return file;
  }

  // RFC 4422 authentication identities may hold almost anything; the file format needs no ':'
  // and no line ends, and leading or trailing white space would be invisible to the admin.
  private static void checkName(String name) {
    if (name.isEmpty()
        || name.indexOf(':') >= 0
        || !name.equals(name.strip())
        || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw new IllegalArgumentException(
          "user name '" + name + "' must be non-empty, without ':', control characters or surrounding spaces");
    }
  }
}
