package io.mailstream.delivery.client;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The ESMTP extensions a server listed in its EHLO reply (RFC 5321 4.1.1.1), keyed by upper-case
 * keyword with the rest of the line as parameters. A server greeted with HELO has none.
 */
public final class Capabilities {
  /** What a server greeted with HELO offers. */
  public static final Capabilities NONE = new Capabilities(Map.of(), false);

  private final Map<String, String> keywords;
  private final boolean esmtp;

  private Capabilities(Map<String, String> keywords, boolean esmtp) {
    this.keywords = keywords;
    this.esmtp = esmtp;
  }

  /** Reads the lines of a 250 EHLO reply; the first line is the server's name, not a keyword. */
  public static Capabilities fromEhlo(List<String> lines) {
    Map<String, String> keywords = new TreeMap<>();
    for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
      String l = line.strip();
      if (l.isEmpty()) {
        continue;
      }
      int sp = l.indexOf(' ');
      String keyword = (sp < 0 ? l : l.substring(0, sp)).toUpperCase(Locale.ROOT);
      keywords.put(keyword, sp < 0 ? "" : l.substring(sp + 1).strip());
    }
    return new Capabilities(Map.copyOf(keywords), true);
  }

  /** True when the server accepted EHLO; the ESMTP parameters may be used at all. */
  public boolean esmtp() {
    return esmtp;
  }

  public boolean has(String keyword) {
    return keywords.containsKey(keyword.toUpperCase(Locale.ROOT));
  }

  /** The parameters of {@code keyword} ({@code PLAIN LOGIN} for AUTH); empty when absent. */
  public String parameters(String keyword) {
    return keywords.getOrDefault(keyword.toUpperCase(Locale.ROOT), "");
  }

  /**
   * The SIZE the server declared (RFC 1870 4): -1 when it did not advertise SIZE, 0 when it
   * advertised SIZE without a limit.
   */
  public long maxSize() {
    String value = keywords.get("SIZE");
    if (value == null) {
      return -1;
    }
    try {
      return value.isEmpty() ? 0 : Long.parseLong(value);
    } catch (NumberFormatException e) {
      // A malformed limit is treated as no limit: the server still decides at MAIL.
      return 0;
    }
  }

  @Override
  public String toString() {
    return esmtp ? "ESMTP " + keywords.keySet() : "SMTP";
  }
}
