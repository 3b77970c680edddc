package io.mailstream.delivery.bounce;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** RFC 5322 3.3 dates, as notices and their delivery-status fields write them. */
final class Dates {
  private static final DateTimeFormatter RFC5322 = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.US);

  private Dates() {}

  static String rfc5322(long millis) {
    return RFC5322.format(Instant.ofEpochMilli(millis).atZone(ZoneId.systemDefault()));
  }
}
