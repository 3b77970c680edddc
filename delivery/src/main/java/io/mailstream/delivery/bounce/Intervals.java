package io.mailstream.delivery.bounce;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Durations in words, as sendmail's pintvl() writes them in notices: "4 hours", "1 day, 12 hours". */
final class Intervals {
  private Intervals() {}

  static String words(Duration d) {
    long s = d.getSeconds();
    List<String> parts = new ArrayList<>(4);
    add(parts, s / 86400, "day");
    add(parts, s / 3600 % 24, "hour");
    add(parts, s / 60 % 60, "minute");
    add(parts, s % 60, "second");
    return parts.isEmpty() ? "0 seconds" : String.join(", ", parts);
  }

  private static void add(List<String> parts, long n, String unit) {
    if (n > 0) {
      parts.add(n + " " + unit + (n == 1 ? "" : "s"));
    }
  }
}
