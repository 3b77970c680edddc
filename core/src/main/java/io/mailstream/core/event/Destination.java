package io.mailstream.core.event;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where the router sends a group of recipients: sendmail's mailer and host of the delivery
 * triple. For the local mailer the host is null.
 *
 * <p>A mailertable entry may name several hosts, {@code esmtp:[a.example]:b.example}: try {@code
 * a.example}, and {@code b.example} when it cannot be reached or refuses the session. Such a
 * destination keeps the list in {@code host} exactly as sendmail keeps it in {@code $h}, each host
 * with its own brackets, and has {@code mxLookup} true (the brackets inside the list decide, per
 * host); {@link #hops()} splits it. Keeping the list in the one host field, rather than in a new
 * field, leaves the event encoding (docs/events.md, version 1) unchanged.
 *
 * @param mailer the mailer name as in sendmail's mailertable: {@code relay}, {@code esmtp}, {@code
 *     smtp}, {@code smtp8}, {@code dsmtp} or {@code local}
 * @param host the next hop host or IP address, without brackets; or, for several hosts, sendmail's
 *     host list ({@code a.example:[b.example]}, see {@link #ofHosts})
 * @param port the TCP port to connect to, the same for every host of a list (sendmail's mailer
 *     arguments {@code TCP $h 587})
 * @param mxLookup whether delivery looks up MX records for host (false for {@code [host]}); true
 *     for a host list, whose hosts carry their own brackets
 */
public record Destination(String mailer, String host, int port, boolean mxLookup) {

  public static final String LOCAL = "local";

  /**
   * A bare IPv6 address (it has "::" or eight groups), which is one host even when a caller left
   * mxLookup on; a host list never has an empty element, so never "::".
   */
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*::[0-9A-Fa-f:.]*|[0-9A-Fa-f]{1,4}(:[0-9A-Fa-f]{1,4}){7}");

  /**
   * Not a mailer: the router could not decide yet (a map it could not read, an :include: file
   * missing). Delivery keeps such recipients in its retry state and, when they are due, hands the
   * message back to the router, so a temporary routing failure is retried like a temporary
   * delivery failure and never loses a recipient.
   */
  public static final String REROUTE = "reroute";

  /**
   * One host of a destination's list.
   *
   * @param name a host name or an address literal's inside ({@code 192.0.2.1}, {@code
   *     IPv6:2001:db8::1}), without brackets
   * @param mxLookup false when the host was written in brackets
   */
  public record Hop(String name, boolean mxLookup) {
    public Hop {
      Objects.requireNonNull(name, "name");
      if (name.isEmpty() || name.contains("[") || name.contains("]")) {
        throw new IllegalArgumentException("bad host '" + name + "'");
      }
      if (mxLookup && name.contains(":")) {
        throw new IllegalArgumentException("an address literal needs brackets: '[" + name + "]'");
      }
    }

    @Override
    public String toString() {
      return mxLookup ? name : "[" + name + "]";
    }
  }

  public static Destination local() {
    return new Destination(LOCAL, null, 0, false);
  }

  public static Destination reroute() {
    return new Destination(REROUTE, null, 0, false);
  }

  /**
   * A destination for the hosts of a mailertable entry, tried in order. One host gives the plain
   * form ({@code IPv6:} dropped from an IPv6 literal, so that the name can be connected to); several
   * give sendmail's list.
   */
  public static Destination ofHosts(String mailer, List<Hop> hosts, int port) {
    if (hosts.isEmpty()) {
      throw new IllegalArgumentException("a destination needs a host");
    }
    if (hosts.size() == 1) {
      Hop h = hosts.get(0);
      return new Destination(mailer, connectable(h), port, h.mxLookup());
    }
    List<String> parts = new ArrayList<>(hosts.size());
    for (Hop h : hosts) {
      parts.add(h.toString());
    }
    return new Destination(mailer, String.join(":", parts), port, true);
  }

  public boolean isLocal() {
    return LOCAL.equals(mailer);
  }

  public boolean isReroute() {
    return REROUTE.equals(mailer);
  }

  /** True when the host is a list of hosts to try in turn. */
  public boolean hasBackups() {
    return host != null && mxLookup && host.indexOf(':') >= 0 && !IPV6.matcher(host).matches();
  }

  /**
   * The single-host destinations to try, in order: this one alone, or one per host of the list
   * (same mailer and port). A host that cannot be reached, or that refuses the session, makes
   * delivery try the next (sendmail's deliver(): "try next MX site").
   */
  public List<Destination> hops() {
    if (!hasBackups()) {
      return List.of(this);
    }
    List<Destination> out = new ArrayList<>();
    for (String part : split(host)) {
      boolean bracketed = part.startsWith("[") && part.endsWith("]");
      Hop h = new Hop(bracketed ? part.substring(1, part.length() - 1) : part, !bracketed);
      out.add(new Destination(mailer, connectable(h), port, h.mxLookup()));
    }
    return List.copyOf(out);
  }

  /** A stable text for keys, logs and connection pools: {@code relay:[smtp.example]:25}. */
  public String key() {
    if (host == null) {
      return mailer;
    }
    String h = host.toLowerCase(Locale.ROOT);
    return mailer + ":" + (mxLookup ? h : "[" + h + "]") + ":" + port;
  }

  private static String connectable(Hop h) {
    return h.mxLookup() ? h.name() : h.name().replaceFirst("(?i)^IPv6:", "");
  }

  /** Splits {@code a:[b]:[IPv6:2001:db8::1]} at the colons outside brackets. */
  private static List<String> split(String list) {
    List<String> out = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < list.length(); i++) {
      char c = list.charAt(i);
      if (c == '[') {
        depth++;
      } else if (c == ']') {
        depth--;
      } else if (c == ':' && depth == 0) {
        out.add(list.substring(start, i));
        start = i + 1;
      }
    }
    out.add(list.substring(start));
    return out;
  }
}
