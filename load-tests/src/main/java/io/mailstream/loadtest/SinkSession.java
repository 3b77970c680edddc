package io.mailstream.loadtest;

import io.mailstream.core.smtp.EnhancedStatus;
import io.mailstream.core.smtp.Reply;
import java.util.List;
import java.util.Locale;

/**
 * The counting sink's SMTP state machine, free of sockets: a command line in, a reply out. It
 * accepts any sender and recipient; only {@link SinkCounters} may refuse a message.
 */
final class SinkSession {
  /** Advertised, not enforced: the sink accepts everything (RFC 1870). */
  static final long SIZE_LIMIT = 256L * 1024 * 1024;

  private static final Reply OK = Reply.ok(250, EnhancedStatus.X_2_0_0, "Ok");
  private static final Reply BAD_SEQUENCE =
      Reply.perm(503, EnhancedStatus.X_5_5_1, "Bad sequence of commands");

  private enum State { NEW, READY, MAIL, RCPT, DATA }

  private final SinkCounters counters;
  private final String hostname;
  private State state = State.NEW;
  private boolean extended;
  private int recipients;

  SinkSession(SinkCounters counters, String hostname) {
    this.counters = counters;
    this.hostname = hostname;
  }

  Reply greeting() {
    return Reply.of(220, null, hostname + " ESMTP Mailstream counting sink");
  }

  /** True between the 354 and the end-of-data mark: the caller reads message lines then. */
  boolean inData() {
    return state == State.DATA;
  }

  Reply on(String line) {
    String verb = verb(line);
    Reply reply = switch (verb) {
      case "EHLO" -> ehlo();
      case "HELO" -> helo();
      case "MAIL" -> mail(line);
      case "RCPT" -> rcpt(line);
      case "DATA" -> data();
      case "RSET" -> rset();
      case "NOOP" -> OK;
      case "QUIT" -> Reply.of(221, EnhancedStatus.X_2_0_0, "Bye").thenClose();
      default -> Reply.perm(502, EnhancedStatus.X_5_5_1, "Command not implemented");
    };
    return extended ? reply : reply.withoutStatus();
  }

  /** The end-of-data mark arrived after {@code octets} octets of message. */
  Reply endOfData(long octets) {
    state = State.READY;
    Reply reply = counters.endOfData(recipients, octets);
    recipients = 0;
    return extended ? reply : reply.withoutStatus();
  }

  private Reply ehlo() {
    extended = true;
    state = State.READY;
    recipients = 0;
    return Reply.multiline(250, null, List.of(hostname, "PIPELINING", "SIZE " + SIZE_LIMIT,
        "8BITMIME", "ENHANCEDSTATUSCODES"));
  }

  private Reply helo() {
    extended = false;
    state = State.READY;
    recipients = 0;
    return Reply.of(250, null, hostname);
  }

  private Reply mail(String line) {
    if (state != State.READY) {
      return BAD_SEQUENCE;
    }
    if (!hasPrefix(line, "MAIL FROM:")) {
      return Reply.perm(501, EnhancedStatus.X_5_5_4, "Syntax: MAIL FROM:<address>");
    }
    state = State.MAIL;
    return Reply.ok(250, EnhancedStatus.X_2_1_0, "Ok");
  }

  private Reply rcpt(String line) {
    if (state != State.MAIL && state != State.RCPT) {
      return BAD_SEQUENCE;
    }
    if (!hasPrefix(line, "RCPT TO:")) {
      return Reply.perm(501, EnhancedStatus.X_5_5_4, "Syntax: RCPT TO:<address>");
    }
    state = State.RCPT;
    recipients++;
    return Reply.ok(250, EnhancedStatus.X_2_1_5, "Ok");
  }

  private Reply data() {
    if (state != State.RCPT) {
      return BAD_SEQUENCE;
    }
    state = State.DATA;
    return Reply.of(354, null, "End data with <CR><LF>.<CR><LF>");
  }

  private Reply rset() {
    if (state != State.NEW) {
      state = State.READY;
    }
    recipients = 0;
    return OK;
  }

  private static String verb(String line) {
    int space = line.indexOf(' ');
    return (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
  }

  private static boolean hasPrefix(String line, String prefix) {
    return line.regionMatches(true, 0, prefix, 0, prefix.length());
  }
}
