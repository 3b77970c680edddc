package io.mailstream.core.rules;

import io.mailstream.core.address.MailAddress;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * FEATURE(access_db), read from the text file that {@code makemap hash /etc/mail/access} would
 * take. cf/README: "The table itself uses e-mail addresses, domain names, and network numbers as
 * keys", tagged {@code Connect:} (the client's name and address), {@code From:} (the envelope
 * sender) or {@code To:} (the envelope recipient), or untagged.
 *
 * <p>Every look-up goes from the most specific key to the least, and for each key tries it "first
 * with the corresponding tag in front, then (as fallback to enable backward compatibility) without
 * any tag" (cf/README), so an untagged {@code spammer@some.dom} comes before {@code From:some.dom}.
 * The orders are those of sendmail's rulesets in proto.m4:
 *
 * <ul>
 *   <li>a host or domain (LookUpDomain): {@code a.b.example}, {@code b.example}, {@code example};
 *       an address literal {@code [192.0.2.7]}, {@code [192.0.2]}, {@code [192.0]}, {@code [192]};
 *   <li>an IP address (LookUpAddress): {@code 192.0.2.7}, {@code 192.0.2}, {@code 192.0}, {@code
 *       192}; IPv6 likewise by groups ({@code IPv6:2001:db8:...});
 *   <li>a sender: {@code user+detail@domain}, {@code user+*@domain}, {@code user@domain}, then
 *       {@code user+detail@}, {@code user+*@}, {@code user@}, then the domain as above.
 * </ul>
 *
 * <p>In the host, domain and address look-ups, SKIP "will abort the current search for this entry
 * without accepting or rejecting it". Keys compare without case, as makemap folds them.
 *
 * <p>{@code GreetPause:} (FEATURE(greet_pause)), {@code ClientRate:} (FEATURE(ratecontrol)) and
 * {@code ClientConn:} (FEATURE(conncontrol)) entries are read too. A tag with no key ({@code
 * ClientRate:<TAB>10}, as Debian's access file has) is the value for every client no other entry
 * names: proto.m4's RateControl and ConnControl look up {@code E:} last, the tag alone. sendmail
 * 8.17 never looks up a tag-only {@code GreetPause:} (that needs {@code _FFR_LOOKUPTAG_}, which
 * no stock cf sets; the pause for other clients is FEATURE(greet_pause)'s argument), so that one
 * loads but goes to {@link #ignored()}.
 *
 * <p>Entries with sendmail's other tags (Spam:, TLS_Clt:, ...) are kept aside in {@link #unused()}
 * so that the node can say they have no effect; an unknown tag is an error, since it is most likely
 * a misspelt one of the three.
 */
public final class AccessDb {
  /** The tags Mailstream reads. */
  public enum Tag {
    /** Connection information: the client's host name or address. */
    CONNECT("Connect"),
    /** The envelope sender. */
    FROM("From"),
    /** The envelope recipient. */
    TO("To");

    private final String name;

    Tag(String name) {
      this.name = name;
    }

    /** {@code Connect:}, as written in the file. */
    public String prefix() {
      return name + ":";
    }

    private String key() {
      return name.toLowerCase(Locale.ROOT) + ":";
    }
  }

  private static final Set<String> UNUSED_TAGS =
      Set.of("spam", "tls_srv", "tls_clt", "tls_rcpt", "try_tls",
          "srv_features", "tls_srv_features", "tls_clt_features", "authinfo", "certissuer", "certsubject",
          "qgrp", "compat");
  private static final AccessDb EMPTY = new AccessDb(Map.of(), Map.of(), Map.of(), List.of(), List.of());
  // FEATURE(greet_pause)'s own tag: a number of milliseconds, not an action.
  private static final String GREET_PAUSE = "greetpause";
  // The key of a tag-only entry in the limit maps: proto.m4's "E:" look-up of the tag alone.
  private static final String EVERY_CLIENT = "";

  // An IPv4 network written with a trailing dot ("192.168.0."), as seed 004 and many how-tos do.
  private static final Pattern DOTTED_NETWORK =
      Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){0,3}\\.");

  private final Map<String, AccessMatch> rules;
  private final Map<String, GreetPause> pauses;
  private final Map<String, ClientLimit> limits;
  private final List<MapEntry> unused;
  private final List<Ignored> ignored;

  private AccessDb(Map<String, AccessMatch> rules, Map<String, GreetPause> pauses, Map<String, ClientLimit> limits,
      List<MapEntry> unused, List<Ignored> ignored) {
    this.rules = Map.copyOf(rules);
    this.pauses = Map.copyOf(pauses);
    this.limits = Map.copyOf(limits);
    this.unused = List.copyOf(unused);
    this.ignored = List.copyOf(ignored);
  }

  /** A {@code GreetPause:} entry: how long to hold the banner for the clients its key names. */
  public record GreetPause(MapEntry entry, Duration pause) {}

  /**
   * A {@code ClientRate:} or {@code ClientConn:} entry: connections per minute, or open at once,
   * from the clients its key names; 0 is no limit, as in proto.m4 ({@code R<0> $@ OK}).
   */
  public record ClientLimit(MapEntry entry, int limit) {}

  /** The two per-client connection limits of FEATURE(ratecontrol) and FEATURE(conncontrol). */
  public enum Limit {
    /** {@code ClientRate:}: connections per minute (confCONNECTION_RATE_WINDOW_SIZE's 60 s). */
    RATE("clientrate"),
    /** {@code ClientConn:}: connections open at once. */
    CONN("clientconn");

    private final String tag;

    Limit(String tag) {
      this.tag = tag;
    }

    static Limit named(String lowerTag) {
      for (Limit l : values()) {
        if (l.tag.equals(lowerTag)) {
          return l;
        }
      }
      return null;
    }
  }

  /** An entry that loads but can never match, and why; the node warns about each. */
  public record Ignored(MapEntry entry, String reason) {}

  /**
   * Reads an access file. Unlike sendmail's optional map, a missing file is an error: the
   * configuration names it.
   *
   * @throws MapFileException {@code file:line: reason} for the first bad entry
   */
  public static AccessDb load(Path file) throws MapFileException {
    return of(MapFile.read(file));
  }

  public static AccessDb of(List<MapEntry> entries) throws MapFileException {
    Map<String, AccessMatch> rules = new HashMap<>();
    Map<String, GreetPause> pauses = new HashMap<>();
    Map<String, ClientLimit> limits = new HashMap<>();
    List<MapEntry> unused = new ArrayList<>();
    List<Ignored> ignored = new ArrayList<>();
    for (MapEntry e : entries) {
      String key = e.key();
      int colon = key.indexOf(':');
      String bare = key.substring(colon + 1).strip();
      if (DOTTED_NETWORK.matcher(bare).matches()) {
        // sendmail 8.17 (-bt, LookUpAddress) looks up 192.168.0.5, 192.168.0, 192.168, 192 and
        // never "192.168.0.": makemap stores the key and nothing ever finds it. The file still
        // loads there, so it loads here, and the entry is reported instead of silently dead.
        ignored.add(new Ignored(e, "'" + bare + "' ends with a dot, which sendmail never matches; write '"
            + bare.substring(0, bare.length() - 1) + "' for the network"));
        continue;
      }
      String tagName = colon > 0 ? key.substring(0, colon).toLowerCase(Locale.ROOT) : "";
      Tag tag = null;
      // IPv6:... and [IPv6:...] are untagged keys with colons in them.
      if (colon > 0 && !tagName.equals("ipv6") && !key.startsWith("[")) {
        tag = tagNamed(tagName);
        if (tagName.equals(GREET_PAUSE) && bare.isEmpty()) {
          greetPause(e); // checked like any other, though sendmail never reads it
          ignored.add(new Ignored(e, "sendmail 8.17 never looks up a GreetPause: entry without a key"
              + " (proto.m4 does only with _FFR_LOOKUPTAG_); clients no entry names get FEATURE(greet_pause)'s"
              + " pause, smtp.greet-pause"));
          continue;
        }
        if (tagName.equals(GREET_PAUSE)) {
          Tables.putUnique(pauses, greetPauseKey(e, key.substring(colon + 1)), greetPause(e), e, GreetPause::entry);
          continue;
        }
        Limit limit = Limit.named(tagName);
        if (limit != null) {
          String k = bare.isEmpty() ? EVERY_CLIENT : addressKey(e, bare);
          Tables.putUnique(limits, limit.tag + ":" + k, clientLimit(e), e, ClientLimit::entry);
          continue;
        }
        if (tag == null && UNUSED_TAGS.contains(tagName)) {
          unused.add(e);
          continue;
        }
        if (tag == null && tagName.matches("[0-9a-f]{1,4}")) {
          // cf/README: "Note that IPv6 addresses must be prefaced with "IPv6:"."
          throw Tables.error(e, "'" + key + "': IPv6 addresses must be prefaced with \"IPv6:\"");
        }
        if (tag == null) {
          throw Tables.error(e, "unknown tag '" + key.substring(0, colon + 1) + "'; Mailstream reads Connect:, From: and To:");
        }
      }
      AccessMatch rule;
      String k;
      try {
        k = AccessKeys.normalize(tag == null ? key : key.substring(colon + 1));
        rule = new AccessMatch(e, AccessAction.parse(e.value()));
        check(tag, k, rule.action());
      } catch (IllegalArgumentException ex) {
        throw Tables.error(e, ex.getMessage());
      }
      Tables.putUnique(rules, (tag == null ? "" : tag.key()) + k, rule, e, AccessMatch::entry);
    }
    return new AccessDb(rules, pauses, limits, unused, ignored);
  }

  // RateControl and ConnControl look up ${client_addr} only, never the client's name.
  private static String addressKey(MapEntry e, String key) throws MapFileException {
    try {
      String k = AccessKeys.normalize(key);
      if (AccessKeys.kind(k) != AccessKeys.Kind.ADDRESS) {
        throw new IllegalArgumentException(e.key().substring(0, e.key().indexOf(':') + 1)
            + " takes an IP address or network (sendmail looks up the client's address only), not '" + k + "'");
      }
      return k;
    } catch (IllegalArgumentException ex) {
      throw Tables.error(e, ex.getMessage());
    }
  }

  private static ClientLimit clientLimit(MapEntry e) throws MapFileException {
    String v = e.value().strip();
    if (!v.matches("[0-9]{1,9}")) {
      throw Tables.error(e, e.key().substring(0, e.key().indexOf(':') + 1) + " takes a number of connections, got '" + v + "'");
    }
    return new ClientLimit(e, Integer.parseInt(v));
  }

  /**
   * FEATURE(ratecontrol) and FEATURE(conncontrol): the entry for the client's address or its
   * networks, else the tag-only entry for every client.
   *
   * @return the limit for this client (0: none), when an entry gives one
   */
  public Optional<ClientLimit> clientLimit(Limit limit, InetAddress address, Trace trace) {
    if (limits.isEmpty()) {
      return Optional.empty();
    }
    List<String> keys = new ArrayList<>(AccessKeys.addressPrefixes(address));
    keys.add(EVERY_CLIENT);
    for (String k : keys) {
      ClientLimit l = limits.get(limit.tag + ":" + k);
      if (l != null) {
        trace.matched(l.entry(), limit.name() + " " + l.limit());
        return Optional.of(l);
      }
    }
    return Optional.empty();
  }

  private static String greetPauseKey(MapEntry e, String key) throws MapFileException {
    try {
      String k = AccessKeys.normalize(key);
      if (AccessKeys.kind(k) == AccessKeys.Kind.USER) {
        throw new IllegalArgumentException("GreetPause: takes a host name, a domain or an IP address, not '" + k + "'");
      }
      return k;
    } catch (IllegalArgumentException ex) {
      throw Tables.error(e, ex.getMessage());
    }
  }

  // greet_pause.m4: the value is the pause in milliseconds; 0 for none.
  private static GreetPause greetPause(MapEntry e) throws MapFileException {
    String v = e.value().strip();
    if (!v.matches("[0-9]{1,9}")) {
      throw Tables.error(e, "GreetPause: takes a number of milliseconds, got '" + v + "'");
    }
    return new GreetPause(e, Duration.ofMillis(Long.parseLong(v)));
  }

  /**
   * FEATURE(greet_pause)'s look-up: {@code GreetPause:} with the client's host name and its parent
   * domains (or its address literal when it has no name), then its address and networks.
   *
   * @return the pause for this client, when an entry names it
   */
  public Optional<Duration> greetPause(String hostname, InetAddress address, Trace trace) {
    if (pauses.isEmpty()) {
      return Optional.empty();
    }
    String name = DomainNames.key(hostname != null ? hostname : AccessKeys.literal(address));
    List<String> keys = new ArrayList<>(name.startsWith("[") ? AccessKeys.literalPrefixes(name) : parents(name));
    keys.addAll(AccessKeys.addressPrefixes(address));
    for (String k : keys) {
      GreetPause p = pauses.get(k);
      if (p != null) {
        trace.matched(p.entry(), "GreetPause " + p.pause().toMillis() + "ms");
        return Optional.of(p.pause());
      }
    }
    return Optional.empty();
  }

  public static AccessDb empty() {
    return EMPTY;
  }

  public boolean isEmpty() {
    return rules.isEmpty() && pauses.isEmpty() && limits.isEmpty();
  }

  /** Entries with tags that only other sendmail features read; they have no effect here. */
  public List<MapEntry> unused() {
    return unused;
  }

  /** Entries that load but never match, as in sendmail (a network key with a trailing dot). */
  public List<Ignored> ignored() {
    return ignored;
  }

  /**
   * check_relay: the client's host name (or, without one, its address literal {@code [192.0.2.7]}
   * as sendmail's {@code ${client_name}}), then its address, each with {@code Connect:}.
   *
   * @param hostname the client's verified host name, or null when it has none
   */
  public Optional<AccessMatch> connect(String hostname, InetAddress address, Trace trace) {
    Optional<AccessMatch> byName = domain(Tag.CONNECT, hostname != null ? hostname : AccessKeys.literal(address), false, trace);
    return byName.isPresent() ? byName : clientAddress(address, trace);
  }

  /** LookUpAddress with {@code Connect:}: the client's address and its networks. */
  public Optional<AccessMatch> clientAddress(InetAddress address, Trace trace) {
    return walk(Tag.CONNECT, AccessKeys.addressPrefixes(address), true, trace);
  }

  /**
   * check_mail: the sender's address, its user part with {@code @}, then its domain, each with
   * {@code From:}. The null sender is never looked up: "we MUST accept &lt;&gt; (RFC 1123)"
   * (proto.m4).
   */
  public Optional<AccessMatch> sender(MailAddress sender, Trace trace) {
    if (rules.isEmpty() || sender.isNullSender()) {
      return Optional.empty();
    }
    String local = sender.unquotedLocalPart().toLowerCase(Locale.ROOT);
    List<String> keys = new ArrayList<>();
    if (sender.domain() != null) {
      keys.addAll(detailed(local, "@" + DomainNames.key(sender.domain())));
    }
    keys.addAll(detailed(local, "@"));
    Optional<AccessMatch> found = walk(Tag.FROM, keys, false, trace);
    return found.isPresent() || sender.domain() == null ? found : domain(Tag.FROM, sender.domain(), false, trace);
  }

  /**
   * LookUpDomain: {@code domain} and its parents (an address literal and its leading parts), each
   * tagged then untagged; or, for FEATURE(relay_hosts_only), the name alone.
   *
   * @param exact look up the name only, not its parents, and give SKIP back like any value
   */
  public Optional<AccessMatch> domain(Tag tag, String domain, boolean exact, Trace trace) {
    if (rules.isEmpty() || domain == null) {
      return Optional.empty();
    }
    String d = DomainNames.key(domain);
    List<String> keys = exact ? List.of(d) : d.startsWith("[") ? AccessKeys.literalPrefixes(d) : parents(d);
    return walk(tag, keys, !exact, trace);
  }

  private Optional<AccessMatch> walk(Tag tag, List<String> keys, boolean skip, Trace trace) {
    if (rules.isEmpty()) {
      return Optional.empty();
    }
    List<String> tried = new ArrayList<>();
    for (String k : keys) {
      tried.add(tag.prefix() + k);
      AccessMatch m = rules.get(tag.key() + k);
      if (m == null) {
        tried.add(k);
        m = rules.get(k);
      }
      if (m != null && skip && m.action().kind() == AccessAction.Kind.SKIP) {
        trace.matched(m.entry(), "SKIP: stop looking, as if not listed");
        return Optional.empty();
      }
      if (m != null) {
        trace.matched(m.entry(), m.action().toString());
        return Optional.of(m);
      }
    }
    trace.note("access: no entry for " + String.join(", ", tried));
    return Optional.empty();
  }

  // LookUpFull and LookUpUser: user+detail, user+*, user ("+detail" from the first + after the
  // first character, as sendmail's "$+ + $*" splits it).
  private static List<String> detailed(String local, String suffix) {
    int plus = local.indexOf('+', 1);
    if (plus < 0) {
      return List.of(local + suffix);
    }
    String user = local.substring(0, plus);
    return List.of(local + suffix, user + "+*" + suffix, user + suffix);
  }

  private static List<String> parents(String domain) {
    List<String> out = new ArrayList<>();
    String d = domain;
    out.add(d);
    for (int dot = d.indexOf('.'); dot >= 0 && dot < d.length() - 1; dot = d.indexOf('.')) {
      d = d.substring(dot + 1);
      out.add(d);
    }
    return out;
  }

  private static Tag tagNamed(String lower) {
    for (Tag t : Tag.values()) {
      if (t.key().equals(lower + ":")) {
        return t;
      }
    }
    return null;
  }

  private static void check(Tag tag, String key, AccessAction action) {
    AccessKeys.Kind kind = AccessKeys.kind(key);
    if (tag == Tag.CONNECT && kind == AccessKeys.Kind.USER) {
      throw new IllegalArgumentException("Connect: takes a host name, a domain or an IP address, not '" + key + "'");
    }
    if (action.kind() == AccessAction.Kind.SKIP && kind == AccessKeys.Kind.USER) {
      // cf/README: "SKIP This can only be used for host/domain names and IP addresses/nets."
      throw new IllegalArgumentException("SKIP can only be used for host/domain names and IP addresses/nets");
    }
  }
}
