package io.mailstream.sendmail;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What sendmail does to the header of a locally submitted message: with {@code -t}, the
 * recipients come from To, Cc and Bcc (from the Resent- fields when there are any) and the Bcc
 * fields are removed; Date, Message-ID and From are added when missing, From from the sender
 * ({@code -f}, else the submitting user at $j) with the full name of {@code -F} or the user's
 * GECOS field. Masquerading and the genericstable are the router's, as for any message, so the
 * From added here is masqueraded like one the user wrote.
 *
 * <p>The header is handled as ISO-8859-1 text so that every octet, 8-bit ones included, comes
 * out as it went in.
 */
final class LocalMessage {
  private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  private static final String[] MONTHS =
      {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

  private final List<String> fields = new ArrayList<>();
  private final byte[] body;

  private LocalMessage(byte[] message) {
    int end = headerEnd(message);
    String header = new String(message, 0, end, StandardCharsets.ISO_8859_1);
    int bodyStart = end;
    if (message.length >= end + 2 && message[end] == '\r' && message[end + 1] == '\n') {
      bodyStart = end + 2; // the empty line
    }
    for (String line : lines(header)) {
      if (line.isEmpty()) {
        continue;
      }
      if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && !fields.isEmpty()) {
        fields.set(fields.size() - 1, fields.get(fields.size() - 1) + "\r\n" + line);
      } else {
        fields.add(line);
      }
    }
    body = java.util.Arrays.copyOfRange(message, bodyStart, message.length);
  }

  // Not String.split: a two-character separator is a regular expression, and loading the regex
  // engine costs this command start-up time.
  private static List<String> lines(String text) {
    List<String> out = new ArrayList<>();
    int from = 0;
    int crlf;
    while ((crlf = text.indexOf("\r\n", from)) >= 0) {
      out.add(text.substring(from, crlf));
      from = crlf + 2;
    }
    out.add(text.substring(from));
    return out;
  }

  /** {@code message} (CRLF line ends) split into its header fields and body. */
  static LocalMessage of(byte[] message) {
    return new LocalMessage(message);
  }

  /**
   * The recipients {@code -t} reads: To, Cc and Bcc, or Resent-To, Resent-Cc and Resent-Bcc when
   * the message has any Resent- recipient field (a resent message goes to the new recipients).
   */
  List<String> headerRecipients(String domain) {
    boolean resent = false;
    for (String f : fields) {
      resent |= isOneOf(f, "resent-to", "resent-cc", "resent-bcc");
    }
    List<String> out = new ArrayList<>();
    for (String f : fields) {
      boolean take = resent ? isOneOf(f, "resent-to", "resent-cc", "resent-bcc") : isOneOf(f, "to", "cc", "bcc");
      if (take) {
        out.addAll(AddressList.parse(value(f), domain));
      }
    }
    return out;
  }

  /** Removes Bcc and Resent-Bcc: their recipients must not see each other (sendmail's -t). */
  void removeBcc() {
    for (int i = fields.size() - 1; i >= 0; i--) {
      if (isOneOf(fields.get(i), "bcc", "resent-bcc")) {
        fields.remove(i);
      }
    }
  }

  /**
   * Adds what a message from a local program lacks, in sendmail's order: Date, From (named
   * {@code fullName} when known), Message-ID at {@code hostname}.
   */
  void complete(String from, String fullName, String hostname, ZonedDateTime now) {
    List<String> added = new ArrayList<>();
    if (!has("date")) {
      added.add("Date: " + date(now));
    }
    if (!has("from")) {
      added.add("From: " + (fullName == null || fullName.isBlank() ? from : phrase(fullName) + " <" + from + ">"));
    }
    if (!has("message-id")) {
      added.add("Message-ID: <" + stamp(now) + "." + random() + "@" + hostname + ">");
    }
    fields.addAll(0, added);
  }

  /** The message again: the fields, the empty line, the body. */
  byte[] bytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 1024);
    for (String f : fields) {
      out.writeBytes(f.getBytes(StandardCharsets.ISO_8859_1));
      out.writeBytes(new byte[] {'\r', '\n'});
    }
    out.writeBytes(new byte[] {'\r', '\n'});
    out.writeBytes(body);
    return out.toByteArray();
  }

  private boolean has(String name) {
    for (String f : fields) {
      if (isOneOf(f, name)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isOneOf(String field, String... names) {
    int colon = field.indexOf(':');
    if (colon <= 0) {
      return false;
    }
    String name = field.substring(0, colon).strip().toLowerCase(Locale.ROOT);
    for (String n : names) {
      if (n.equals(name)) {
        return true;
      }
    }
    return false;
  }

  private static String value(String field) {
    return field.substring(field.indexOf(':') + 1).replace("\r\n", "");
  }

  /**
   * Where the header ends: at the empty line, or at the first line that is not a field (a message
   * that starts with its text has an empty header; the fields added go before it).
   */
  private static int headerEnd(byte[] m) {
    int lineStart = 0;
    while (lineStart < m.length) {
      int eol = indexOfCrlf(m, lineStart);
      if (eol == lineStart) {
        return lineStart; // the empty line
      }
      int lineEnd = eol < 0 ? m.length : eol;
      boolean continuation = (m[lineStart] == ' ' || m[lineStart] == '\t') && lineStart > 0;
      if (!continuation && !isFieldStart(m, lineStart, lineEnd)) {
        return lineStart;
      }
      if (eol < 0) {
        return m.length;
      }
      lineStart = eol + 2;
    }
    return m.length;
  }

  // RFC 5322 2.2: a field name is printable US-ASCII but colon, then a colon.
  private static boolean isFieldStart(byte[] m, int from, int to) {
    for (int i = from; i < to; i++) {
      byte b = m[i];
      if (b == ':') {
        return i > from;
      }
      if (b <= 32 || b >= 127) {
        return false;
      }
    }
    return false;
  }

  private static int indexOfCrlf(byte[] m, int from) {
    for (int i = from; i + 1 < m.length; i++) {
      if (m[i] == '\r' && m[i + 1] == '\n') {
        return i;
      }
    }
    return -1;
  }

  /**
   * RFC 5322 3.3 date-time, in English, numeric zone. Built by hand: DateTimeFormatter and
   * String.format would load more classes than the rest of this command together.
   */
  static String date(ZonedDateTime t) {
    int offset = t.getOffset().getTotalSeconds() / 60;
    char sign = offset < 0 ? '-' : '+';
    offset = Math.abs(offset);
    return DAYS[t.getDayOfWeek().getValue() - 1] + ", " + t.getDayOfMonth() + " " + MONTHS[t.getMonthValue() - 1]
        + " " + t.getYear() + " " + two(t.getHour()) + ":" + two(t.getMinute()) + ":" + two(t.getSecond())
        + " " + sign + two(offset / 60) + two(offset % 60);
  }

  private static String stamp(ZonedDateTime t) {
    return t.getYear() + two(t.getMonthValue()) + two(t.getDayOfMonth()) + two(t.getHour()) + two(t.getMinute())
        + two(t.getSecond());
  }

  private static String two(int n) {
    return n < 10 ? "0" + n : Integer.toString(n);
  }

  // Unique with the time stamp beside it: the process id, then random digits against pid reuse.
  private static String random() {
    long r = ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;
    return Long.toString(SystemFacts.pid(), 36).toUpperCase(Locale.ROOT)
        + Long.toString(r, 36).toUpperCase(Locale.ROOT);
  }

  // A full name as a display name: quoted when it holds specials (RFC 5322 3.2.3).
  private static String phrase(String name) {
    for (char c : name.toCharArray()) {
      if ("()<>[]:;@\\,.\"".indexOf(c) >= 0) {
        return "\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
      }
    }
    return name;
  }
}
