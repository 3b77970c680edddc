package io.mailstream.core.smtp;

import java.util.List;
import java.util.Objects;

/**
 * One SMTP reply: a three-digit code, an optional enhanced status code and one or more text lines.
 *
 * <p>Replies are built through the factories so that the code and enhanced status always agree;
 * whether the server closes the connection after sending it is a property of the reply ({@link
 * #thenClose()}), not something inferred from the code.
 */
public final class Reply {
  private final int code;
  private final EnhancedStatus status;
  private final List<String> lines;
  private final boolean close;

  private Reply(int code, EnhancedStatus status, List<String> lines, boolean close) {
    if (code < 200 || code > 599) {
      throw new IllegalArgumentException("reply code out of range: " + code);
    }
    if (status != null && status.klass() != code / 100) {
      throw new IllegalArgumentException("enhanced status " + status + " disagrees with " + code);
    }
    if (lines.isEmpty()) {
      throw new IllegalArgumentException("a reply needs at least one line of text");
    }
    this.code = code;
    this.status = status;
    this.lines = lines.stream().map(Reply::oneLine).toList();
    this.close = close;
  }

  // Callers put exception messages into replies; a CR or LF inside a line would end the reply
  // early on the wire and desynchronise the client (RFC 5321 4.2.1), so they become spaces.
  private static String oneLine(String text) {
    return text.replace("\r\n", " ").replace('\r', ' ').replace('\n', ' ');
  }

  /** A positive completion (2xx). */
  public static Reply ok(int code, EnhancedStatus status, String text) {
    return of(code, status, text);
  }

  /** A transient negative completion (4xx): the client should try again later. */
  public static Reply temp(int code, EnhancedStatus status, String text) {
    return of(code, status, text);
  }

  /** A permanent negative completion (5xx). */
  public static Reply perm(int code, EnhancedStatus status, String text) {
    return of(code, status, text);
  }

  /** Any reply; the enhanced status may be null (banner, 354 and replies before EHLO). */
  public static Reply of(int code, EnhancedStatus status, String text) {
    return new Reply(code, status, List.of(text), false);
  }

  /** A multi-line reply such as the EHLO keyword list. */
  public static Reply multiline(int code, EnhancedStatus status, List<String> lines) {
    return new Reply(code, status, lines, false);
  }

  /** The same reply, after which the server closes the connection. */
  public Reply thenClose() {
    return new Reply(code, status, lines, true);
  }

  /** The same reply without the enhanced status code, for clients that did not say EHLO. */
  public Reply withoutStatus() {
    return new Reply(code, null, lines, close);
  }

  public int code() {
    return code;
  }

  public EnhancedStatus status() {
    return status;
  }

  public List<String> lines() {
    return lines;
  }

  public boolean closesConnection() {
    return close;
  }

  public boolean isPositive() {
    return code < 400;
  }

  public boolean isTransient() {
    return code >= 400 && code < 500;
  }

  public boolean isPermanent() {
    return code >= 500;
  }

  /** The text of all lines joined by spaces, without code or status; for logs and DSNs. */
  public String text() {
    return String.join(" ", lines);
  }

  /** The reply on the wire: every line with its code and continuation mark, CRLF terminated. */
  public String toWire() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < lines.size(); i++) {
      out.append(code).append(i == lines.size() - 1 ? ' ' : '-');
      if (status != null) {
        out.append(status).append(' ');
      }
      out.append(lines.get(i)).append("\r\n");
    }
    return out.toString();
  }

  /** One line, as sendmail logs it: {@code 250 2.0.0 Ok}. */
  @Override
  public String toString() {
    return code + (status == null ? "" : " " + status) + " " + text();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Reply r
        && r.code == code
        && Objects.equals(r.status, status)
        && r.lines.equals(lines)
        && r.close == close;
  }

  @Override
  public int hashCode() {
    return Objects.hash(code, status, lines, close);
  }
}
