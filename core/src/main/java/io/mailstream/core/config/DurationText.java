package io.mailstream.core.config;

import java.time.Duration;

/**
 * Durations as sendmail writes them in its .mc files and queue times: {@code 30s 5m 4h 5d}, and
 * {@code 500ms} for the short pauses sendmail counts in milliseconds (greet_pause).
 */
public final class DurationText {
  private DurationText() {}

  public static Duration parse(String text) {
    String t = text.strip();
    if (t.length() < 2) {
      throw new IllegalArgumentException("expected a duration like 30s, 5m, 4h or 5d, got '" + text + "'");
    }
    if (t.endsWith("ms") && t.length() > 2 && Character.isDigit(t.charAt(t.length() - 3))) {
      try {
        return Duration.ofMillis(Long.parseUnsignedLong(t.substring(0, t.length() - 2)));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("expected a duration like 500ms, got '" + text + "'");
      }
    }
    char unit = t.charAt(t.length() - 1);
    if (Character.isDigit(unit)) {
      // A bare number: say what a duration looks like rather than call its last digit a unit.
      throw new IllegalArgumentException(
          "expected a duration like 30s, 5m, 4h or 5d, got '" + text + "'");
    }
    long n;
    try {
      n = Long.parseLong(t.substring(0, t.length() - 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected a duration like 30s, 5m, 4h or 5d, got '" + text + "'");
    }
    if (n < 0) {
      throw new IllegalArgumentException("negative duration '" + text + "'");
    }
    try {
      return switch (unit) {
        case 's' -> Duration.ofSeconds(n);
        case 'm' -> Duration.ofMinutes(n);
        case 'h' -> Duration.ofHours(n);
        case 'd' -> Duration.ofDays(n);
        default -> throw new IllegalArgumentException(
            "unknown duration unit '" + unit + "' in '" + text + "' (use s, m, h or d)");
      };
    } catch (ArithmeticException e) {
      // Duration.ofDays(10^15) overflows; say so in the config error instead of a stack trace.
      throw new IllegalArgumentException("duration too long: '" + text + "'");
    }
  }

  public static String format(Duration d) {
    if (d.toMillis() % 1000 != 0) {
      return d.toMillis() + "ms";
    }
    long s = d.getSeconds();
    if (s % 86400 == 0 && s > 0) {
      return s / 86400 + "d";
    }
    if (s % 3600 == 0 && s > 0) {
      return s / 3600 + "h";
    }
    if (s % 60 == 0 && s > 0) {
      return s / 60 + "m";
    }
    return s + "s";
  }
}
