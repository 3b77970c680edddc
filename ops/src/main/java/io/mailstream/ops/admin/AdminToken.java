package io.mailstream.ops.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The secret the admin endpoint asks of requests that change the queue, sent by the verbs as
 * {@code Authorization: Bearer <token>}. Read-only endpoints (metrics, health, mailq, show) stay
 * open; whoever can read the token file (mode 0600, the node's user) can change the queue.
 */
public final class AdminToken {
  /** The file a node writes its token to when {@code admin.token-file} names none. */
  public static final String FILE = "admin.token";

  private final String token;

  private AdminToken(String token) {
    this.token = token;
  }

  /**
   * The token of a starting node: read from {@code tokenFile} when one is configured, otherwise a
   * new random one written to {@code <data-dir>/admin.token}, readable by the node's user only.
   */
  public static AdminToken forNode(Path dataDir, Path tokenFile) throws IOException {
    if (tokenFile != null) {
      return read(tokenFile);
    }
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    String token = HexFormat.of().formatHex(random);
    Files.createDirectories(dataDir);
    Path tmp = dataDir.resolve(FILE + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(tmp, token + "\n", StandardCharsets.US_ASCII);
    Files.move(tmp, dataDir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return new AdminToken(token);
  }

  /** The token in {@code file} (its first line). */
  public static AdminToken read(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
    if (text.isEmpty()) {
      throw new IOException(file + " is empty: an admin token needs at least one character");
    }
    return new AdminToken(text.lines().findFirst().orElseThrow().strip());
  }

  public String value() {
    return token;
  }

  /** Whether an {@code Authorization} header carries this token; compared in constant time. */
  public boolean admits(String authorization) {
    if (authorization == null || !authorization.startsWith("Bearer ")) {
      return false;
    }
    byte[] given = authorization.substring(7).strip().getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(given, token.getBytes(StandardCharsets.US_ASCII));
  }
}
