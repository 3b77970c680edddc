package io.mailstream.ingress.auth;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.spec.KeySpec;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A salted, slow password hash: PBKDF2 with HMAC-SHA-256 from the JDK, written as {@code
 * $pbkdf2-sha256$<iterations>$<salt>$<hash>} (base64 without padding, as passlib spells it).
 * The iteration count is stored with each hash, so raising it later leaves old entries valid.
 */
public final class PasswordHash {
  static final String SCHEME = "pbkdf2-sha256";
  // OWASP's 2023 figure for PBKDF2-HMAC-SHA256 is 600,000; a relay verifies on every AUTH from
  // every client, so we take the lower end NIST SP 800-132 still calls adequate and let the
  // administrator raise it per user with `mailstream passwd --iterations`.
  public static final int DEFAULT_ITERATIONS = 210_000;
  private static final int SALT_OCTETS = 16;
  private static final int HASH_BITS = 256;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final int iterations;
  private final byte[] salt;
  private final byte[] hash;

  private PasswordHash(int iterations, byte[] salt, byte[] hash) {
    this.iterations = iterations;
    this.salt = salt;
    this.hash = hash;
  }

  /** Hashes {@code password} with a fresh random salt. */
  public static PasswordHash of(char[] password, int iterations) {
    if (iterations < 1000) {
      throw new IllegalArgumentException("at least 1000 iterations, got " + iterations);
    }
    byte[] salt = new byte[SALT_OCTETS];
    RANDOM.nextBytes(salt);
    return new PasswordHash(iterations, salt, derive(password, salt, iterations));
  }

  /**
   * Reads a hash as {@link #toString} writes it.
   *
   * @throws IllegalArgumentException saying what is wrong with it
   */
  public static PasswordHash parse(String text) {
    String[] parts = text.split("\\$", -1);
    if (parts.length != 5 || !parts[0].isEmpty() || !parts[1].equals(SCHEME)) {
      throw new IllegalArgumentException("expected $" + SCHEME + "$ITERATIONS$SALT$HASH");
    }
    int iterations;
    try {
      iterations = Integer.parseInt(parts[2]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("iteration count is not a number: '" + parts[2] + "'");
    }
    if (iterations < 1000) {
      throw new IllegalArgumentException("iteration count " + iterations + " is below 1000");
    }
    byte[] salt;
    byte[] hash;
    try {
      salt = Base64.getDecoder().decode(parts[3]);
      hash = Base64.getDecoder().decode(parts[4]);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("salt or hash is not valid base64: " + e.getMessage(), e);
    }
    if (salt.length < 8 || hash.length != HASH_BITS / 8) {
      throw new IllegalArgumentException("salt or hash has the wrong length");
    }
    return new PasswordHash(iterations, salt, hash);
  }

  /** Whether {@code password} is the one hashed; takes the same time whatever the answer. */
  public boolean matches(char[] password) {
    return MessageDigest.isEqual(hash, derive(password, salt, iterations));
  }

  public int iterations() {
    return iterations;
  }

  private static byte[] derive(char[] password, byte[] salt, int iterations) {
    KeySpec spec = new PBEKeySpec(password, salt, iterations, HASH_BITS);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every Java 17 runtime", e);
    }
  }

  @Override
  public String toString() {
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    return "$" + SCHEME + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PasswordHash p
        && p.iterations == iterations
        && Arrays.equals(p.salt, salt)
        && Arrays.equals(p.hash, hash);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(hash);
  }
}
