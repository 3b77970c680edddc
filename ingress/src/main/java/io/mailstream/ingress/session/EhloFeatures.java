package io.mailstream.ingress.session;

import java.util.ArrayList;
import java.util.List;

/**
 * The keywords of the EHLO reply after its greeting line, in the order they are sent. {@code
 * ENHANCEDSTATUSCODES} stays last whatever is added, so that a client (or a transcript) that
 * reads up to it has read the whole list.
 *
 * <p>Each extension adds itself only when it is offered: {@code features.plus("STARTTLS")}.
 */
public final class EhloFeatures {
  private static final String LAST = "ENHANCEDSTATUSCODES";

  private final List<String> keywords;

  private EhloFeatures(List<String> keywords) {
    this.keywords = List.copyOf(keywords);
  }

  /**
   * The base list: RFC 2920 PIPELINING, RFC 1870 SIZE, RFC 6152 8BITMIME, then those of RFC 6531
   * SMTPUTF8, RFC 3461 DSN and RFC 3030 CHUNKING that are offered, and RFC 2034
   * ENHANCEDSTATUSCODES.
   */
  public static EhloFeatures of(long maxMessageSize, Extensions extensions) {
    List<String> k = new ArrayList<>(List.of("PIPELINING", "SIZE " + maxMessageSize, "8BITMIME"));
    if (extensions.smtputf8()) {
      k.add("SMTPUTF8");
    }
    if (extensions.dsn()) {
      k.add("DSN");
    }
    if (extensions.chunking()) {
      k.add("CHUNKING");
    }
    k.add(LAST);
    return new EhloFeatures(k);
  }

  /** This list with one more keyword (and its parameters), placed before ENHANCEDSTATUSCODES. */
  public EhloFeatures plus(String keyword) {
    List<String> k = new ArrayList<>(keywords);
    k.add(k.size() - 1, keyword);
    return new EhloFeatures(k);
  }

  /** The keyword lines, in order. */
  public List<String> keywords() {
    return keywords;
  }
}
