package io.mailstream.core.envelope;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * Queue ids in sendmail's spirit (a time-ordered prefix an admin can read, e.g. {@code
 * 6LM2aBc4Xy9QpR}), made unique across a cluster by random bits instead of a process id: ingress
 * nodes share no counter.
 */
public final class QueueId {
  private static final String ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwx";
  private static final SecureRandom RANDOM = new SecureRandom();

  private QueueId() {}

  /**
   * A new id of 16 characters: UTC year (modulo 60), month, day, hour, minute and second, one
   * base-60 digit each, then ten base-60 digits (about 59 bits) of a random number.
   */
  public static String next() {
    ZonedDateTime t = Instant.now().atZone(ZoneOffset.UTC);
    StringBuilder id = new StringBuilder(20);
    id.append(ALPHABET.charAt(t.getYear() % 60))
        .append(ALPHABET.charAt(t.getMonthValue() - 1))
        .append(ALPHABET.charAt(t.getDayOfMonth()))
        .append(ALPHABET.charAt(t.getHour()))
        .append(ALPHABET.charAt(t.getMinute()))
        .append(ALPHABET.charAt(t.getSecond()));
    long r = RANDOM.nextLong() & Long.MAX_VALUE;
    for (int i = 0; i < 10; i++) {
      id.append(ALPHABET.charAt((int) (r % 60)));
      r /= 60;
    }
    return id.toString();
  }
}
