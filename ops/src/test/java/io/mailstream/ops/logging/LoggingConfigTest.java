package io.mailstream.ops.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.net.SyslogAppender;
import ch.qos.logback.core.status.Status;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The logging configurations a node runs with: the mail log has syslog's date and sendmail's
 * layout, Kafka's loggers write to kafka.log and not to the console, and deploy/logback-syslog.xml
 * configures without a complaint, its mail log going to syslog's mail facility.
 */
class LoggingConfigTest {
  @TempDir Path dir;

  private LoggerContext configure(URL file) throws Exception {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
    context.putProperty("mailstream.logdir", dir.toString());
    System.setProperty("mailstream.logdir", dir.toString());
    try {
      JoranConfigurator joran = new JoranConfigurator();
      joran.setContext(context);
      joran.doConfigure(file);
      context.start();
    } finally {
      System.clearProperty("mailstream.logdir");
    }
    List<Status> problems = context.getStatusManager().getCopyOfStatusList().stream()
        .filter(s -> s.getLevel() >= Status.WARN).toList();
    assertEquals(List.of(), problems);
    return context;
  }

  @Test
  void theMailLogHasSyslogDatesAndKafkaItsOwnFile() throws Exception {
    LoggerContext context = configure(getClass().getResource("/logback.xml"));
    // Straight to the file appenders behind the asynchronous ones: what they write is the point.
    write(context, "maillog", "ASYNC_MAILLOG", "MAILLOG", Level.INFO, "Q1: from=<a@b.example>, size=1");
    write(context, "org.apache.kafka", "ASYNC_KAFKA", "KAFKA_FILE", Level.WARN, "a Kafka warning");
    assertEquals(Level.WARN, context.getLogger("org.apache.kafka.clients.producer.internals.Sender").getEffectiveLevel());
    assertEquals(false, context.getLogger("org.apache.kafka").isAdditive(), "Kafka stays off the console");
    context.stop();
    String maillog = Files.readString(dir.resolve("maillog"), StandardCharsets.UTF_8);
    // "Dec  4 09:05:01 host mailstream: ..." (the day padded with a space, never a zero).
    assertTrue(maillog.matches("[A-Z][a-z]{2} [ 123][0-9] [0-2][0-9]:[0-5][0-9]:[0-5][0-9] \\S+ mailstream: "
        + "Q1: from=<a@b.example>, size=1\n"), maillog);
    String kafka = Files.readString(dir.resolve("kafka.log"), StandardCharsets.UTF_8);
    assertTrue(kafka.contains("WARN") && kafka.contains("a Kafka warning"), kafka);
  }

  private static void write(LoggerContext context, String logger, String async, String file, Level level, String text) {
    ch.qos.logback.classic.Logger l = context.getLogger(logger);
    var wrapper = (ch.qos.logback.classic.AsyncAppender) l.getAppender(async);
    wrapper.getAppender(file).doAppend(new LoggingEvent(LoggingConfigTest.class.getName(), l, level, text, null, null));
  }

  @Test
  void theSyslogVariantSendsTheMailLogToTheMailFacility() throws Exception {
    LoggerContext context = configure(Path.of("..", "deploy", "logback-syslog.xml").toUri().toURL());
    try {
      var appenders = context.getLogger("maillog").iteratorForAppenders();
      var async = (ch.qos.logback.classic.AsyncAppender) appenders.next();
      SyslogAppender syslog = (SyslogAppender) async.getAppender("MAILLOG");
      assertEquals("MAIL", syslog.getFacility());
      assertEquals("127.0.0.1", syslog.getSyslogHost());
    } finally {
      context.stop();
    }
  }
}
