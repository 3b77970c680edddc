package io.mailstream.delivery.client;

import java.time.Duration;
import java.util.Objects;

/**
 * How long the SMTP client waits at each step. {@link #rfc5321()} gives the minimums of RFC 5321
 * 4.5.3.2; tests use {@link #uniform} with short values. Change single values with the {@code
 * with...} methods rather than the canonical constructor.
 *
 * @param connect TCP connect; RFC 5321 names none, sendmail's Timeout.connect
 * @param greeting the 220 banner (RFC 5321 4.5.3.2.1: 5 minutes)
 * @param mail the reply to MAIL (RFC 5321 4.5.3.2.2: 5 minutes)
 * @param rcpt the reply to each RCPT (RFC 5321 4.5.3.2.3: 5 minutes)
 * @param dataInit the 354 reply to DATA (RFC 5321 4.5.3.2.4: 2 minutes)
 * @param dataBlock each write of a body chunk (RFC 5321 4.5.3.2.5: 3 minutes)
 * @param dataTermination the reply to the final dot (RFC 5321 4.5.3.2.6: 10 minutes)
 * @param command EHLO, HELO, RSET and QUIT, which RFC 5321 gives no value; 5 minutes like
 *     sendmail's Timeout.helo and Timeout.rset
 */
public record Timeouts(
    Duration connect,
    Duration greeting,
    Duration mail,
    Duration rcpt,
    Duration dataInit,
    Duration dataBlock,
    Duration dataTermination,
    Duration command) {

  public Timeouts {
    Objects.requireNonNull(connect, "connect");
    Objects.requireNonNull(greeting, "greeting");
    Objects.requireNonNull(mail, "mail");
    Objects.requireNonNull(rcpt, "rcpt");
    Objects.requireNonNull(dataInit, "dataInit");
    Objects.requireNonNull(dataBlock, "dataBlock");
    Objects.requireNonNull(dataTermination, "dataTermination");
    Objects.requireNonNull(command, "command");
  }

  /** The RFC 5321 4.5.3.2 values, and one minute to connect. */
  public static Timeouts rfc5321() {
    return new Timeouts(
        Duration.ofMinutes(1),
        Duration.ofMinutes(5),
        Duration.ofMinutes(5),
        Duration.ofMinutes(5),
        Duration.ofMinutes(2),
        Duration.ofMinutes(3),
        Duration.ofMinutes(10),
        Duration.ofMinutes(5));
  }

  /** The same value everywhere; for tests. */
  public static Timeouts uniform(Duration d) {
    return new Timeouts(d, d, d, d, d, d, d, d);
  }

  public Timeouts withConnect(Duration d) {
    return new Timeouts(d, greeting, mail, rcpt, dataInit, dataBlock, dataTermination, command);
  }

  public Timeouts withGreeting(Duration d) {
    return new Timeouts(connect, d, mail, rcpt, dataInit, dataBlock, dataTermination, command);
  }

  public Timeouts withMail(Duration d) {
    return new Timeouts(connect, greeting, d, rcpt, dataInit, dataBlock, dataTermination, command);
  }

  public Timeouts withRcpt(Duration d) {
    return new Timeouts(connect, greeting, mail, d, dataInit, dataBlock, dataTermination, command);
  }

  public Timeouts withDataInit(Duration d) {
    return new Timeouts(connect, greeting, mail, rcpt, d, dataBlock, dataTermination, command);
  }

  public Timeouts withDataBlock(Duration d) {
    return new Timeouts(connect, greeting, mail, rcpt, dataInit, d, dataTermination, command);
  }

  public Timeouts withDataTermination(Duration d) {
    return new Timeouts(connect, greeting, mail, rcpt, dataInit, dataBlock, d, command);
  }

  public Timeouts withCommand(Duration d) {
    return new Timeouts(connect, greeting, mail, rcpt, dataInit, dataBlock, dataTermination, d);
  }
}
