package io.mailstream.core.envelope;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mail log: one line per accepted message and one per recipient outcome, in sendmail's
 * {@code key=value, } format so that the greps a sendmail administrator knows keep working
 * ({@code grep 'stat=Deferred'}, {@code grep 'to=<bob@'}). All stages log through the logger
 * named {@code maillog}, which the default logging setup writes to its own file.
 */
public final class MailLog {
  /** The logger every stage writes mail log lines to. */
  public static final Logger LOG = LoggerFactory.getLogger("maillog");

  private MailLog() {}

  /** sendmail's delay format: {@code HH:MM:SS}, with a {@code D+} day prefix when over a day. */
  public static String delay(Duration d) {
    long s = Math.max(0, d.getSeconds());
    long days = s / 86400;
    String hms = String.format("%02d:%02d:%02d", (s / 3600) % 24, (s / 60) % 60, s % 60);
    return days > 0 ? days + "+" + hms : hms;
  }
}
