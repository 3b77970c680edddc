package io.mailstream.ops.node;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.mailstream.core.envelope.MailLog;
import java.util.ArrayList;
import java.util.List;

/**
 * The mail log lines written while the tap is open, as an administrator would grep them from
 * {@code maillog} ({@code stat=Deferred}, {@code to=<bob@...>}). Attached to the {@code maillog}
 * logger itself, so it sees every stage's lines whatever the file appenders do.
 */
final class MailLogTap implements AutoCloseable {
  private final Logger logger = (Logger) MailLog.LOG;
  private final List<String> lines = new ArrayList<>();
  private final AppenderBase<ILoggingEvent> appender =
      new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent e) {
          synchronized (lines) {
            lines.add(e.getFormattedMessage());
          }
        }
      };

  MailLogTap() {
    appender.setName("test-tap-" + System.identityHashCode(this));
    appender.setContext(logger.getLoggerContext());
    appender.start();
    logger.addAppender(appender);
  }

  /** The lines so far that contain every one of {@code parts}. */
  List<String> grep(String... parts) {
    synchronized (lines) {
      List<String> found = new ArrayList<>();
      for (String line : lines) {
        boolean all = true;
        for (String p : parts) {
          all &= line.contains(p);
        }
        if (all) {
          found.add(line);
        }
      }
      return found;
    }
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    appender.stop();
  }
}
