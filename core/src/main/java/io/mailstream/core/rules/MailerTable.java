package io.mailstream.core.rules;

import io.mailstream.core.address.MailAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * FEATURE(mailertable): routing overrides per host or domain, read from sendmail's text format.
 *
 * <p>Keys are host names ({@code vangogh.cs.example}) or domains with a leading dot ({@code
 * .cs.example}), which match subdomains only; {@code .} matches every domain no other key covers.
 * The most specific key wins: for {@code a.b.c} the look-ups are {@code a.b.c}, {@code .b.c},
 * {@code .c}, {@code .}. Keys compare without case; a trailing dot on the looked-up host is
 * ignored. Values are {@code mailer:host} (see {@link MailerRoute}); {@code %1} in a value is the
 * wildcarded part of the host ({@code b.a} for {@code b.a.dot.test} matching {@code .dot.test}),
 * {@code %2} its first label (undocumented in cf/README, present in proto.m4), {@code %0} the key.
 * With {@code .} the wildcarded part is the whole host. A key written with a trailing dot ({@code
 * other.example.}) never matches, as in sendmail 8.17, which looks the host up without its dot: it
 * loads, and {@link #ignored()} names it so that the node can warn.
 *
 * <p>The table is consulted for recipients that are not local (class w is handled first, as in
 * ruleset 0) and never for address literals: sendmail sends {@code user@[192.0.2.1]} to that
 * address even when a {@code .} entry exists.
 */
public final class MailerTable {
  /** The mailers a value may name: sendmail's SMTP family, local and error. */
  public static final Set<String> MAILERS = Set.of("smtp", "esmtp", "smtp8", "relay", "dsmtp", "local", "error");

  private static final MailerTable EMPTY = new MailerTable(Map.of());

  private final Map<String, Rule> rules;
  private final List<MapEntry> ignored;

  private MailerTable(Map<String, Rule> rules) {
    this.rules = Map.copyOf(rules);
    this.ignored = rules.values().stream().map(Rule::source).filter(MailerTable::neverMatches)
        .sorted(java.util.Comparator.comparing(MapEntry::where)).toList();
  }

  /** Entries whose key ends with a dot: they load, and sendmail never matches them. */
  public List<MapEntry> ignored() {
    return ignored;
  }

  private static boolean neverMatches(MapEntry e) {
    return e.key().length() > 1 && e.key().endsWith(".");
  }

  /** Reads a mailertable in makemap's text format. */
  public static MailerTable load(Path file) throws MapFileException {
    return of(MapFile.read(file));
  }

  /** Builds a table from entries already read; every value is checked now, not at look-up. */
  public static MailerTable of(List<MapEntry> entries) throws MapFileException {
    Map<String, Rule> rules = new HashMap<>();
    for (MapEntry e : entries) {
      Tables.putUnique(rules, key(e), new Rule(e, template(e)), e, Rule::source);
    }
    return new MailerTable(rules);
  }

  public static MailerTable empty() {
    return EMPTY;
  }

  public int size() {
    return rules.size();
  }

  /**
   * The names of the hosts the entries relay to, lower case and without brackets, leaving out
   * those made by a {@code %n} substitution: the destinations an operator configured, as opposed
   * to the MX hosts of whatever domain mail happens to go to.
   */
  public Set<String> relayHosts() {
    Set<String> out = new java.util.TreeSet<>();
    for (Rule r : rules.values()) {
      String value = r.source().value();
      int colon = value.indexOf(':');
      String mailer = value.substring(0, colon).toLowerCase(Locale.ROOT);
      String rest = value.substring(colon + 1).strip();
      if (mailer.equals("error") || mailer.equals("local") || rest.contains("%")) {
        continue;
      }
      for (String h : RelayTemplate.splitHosts(rest.substring(rest.indexOf('@') + 1))) {
        boolean bracketed = h.startsWith("[") && h.endsWith("]");
        String name = (bracketed ? h.substring(1, h.length() - 1) : h).toLowerCase(Locale.ROOT);
        // Delivery connects to an IPv6 literal without its tag (Destination.ofHosts).
        out.add(name.startsWith("ipv6:") ? name.substring(5) : name);
      }
    }
    return Set.copyOf(out);
  }

  /**
   * Every entry as {@code key value}, sorted: what the table decides, without the file and line it
   * came from, so that moving an entry within the file does not count as a change of routing.
   */
  List<String> decisions() {
    return rules.values().stream().map(r -> r.source().key() + " " + r.source().value()).sorted().toList();
  }

  /**
   * The route for a recipient, most specific key first; empty when nothing matches, when the
   * domain is an address literal, or when there is no domain. Records the decision in {@code
   * trace} either way.
   */
  public Optional<MailerRoute> route(MailAddress recipient, Trace trace) {
    if (recipient.domain() == null) {
      trace.note("mailertable: " + recipient.bracketed() + " has no domain; not consulted");
      return Optional.empty();
    }
    if (recipient.hasAddressLiteral()) {
      trace.note("mailertable: not consulted for the address literal " + recipient.domain()
          + " (ruleset 0 sends it to the SMART_HOST or to the address itself)");
      return Optional.empty();
    }
    String host = recipient.domainKey();
    Rule exact = rules.get(host);
    if (exact != null) {
      return Optional.of(exact.resolve(recipient, List.of(host), trace));
    }
    List<String> tried = new ArrayList<>(List.of(host));
    for (int dot = host.indexOf('.'); dot >= 0; dot = host.indexOf('.', dot + 1)) {
      String key = host.substring(dot);
      String left = host.substring(0, dot);
      tried.add(key);
      Rule rule = rules.get(key);
      if (rule != null && !left.isEmpty()) {
        String label = left.substring(left.lastIndexOf('.') + 1);
        return Optional.of(rule.resolve(recipient, List.of(key, left, label), trace));
      }
    }
    Rule any = rules.get(".");
    if (any != null) {
      return Optional.of(any.resolve(recipient, List.of(".", host), trace));
    }
    tried.add(".");
    trace.note("mailertable: no entry for " + String.join(", ", tried));
    return Optional.empty();
  }

  private static String key(MapEntry e) throws MapFileException {
    String raw = e.key();
    if (raw.equals(".")) {
      return raw;
    }
    if (raw.startsWith("[")) {
      throw Tables.error(e,
          "'" + raw + "': address literals never reach the mailertable (ruleset 0 sends them to the SMART_HOST or to the address itself)");
    }
    if (raw.contains("@") || raw.startsWith("..") || raw.contains("..")) {
      throw Tables.error(e, "'" + raw + "' is neither a host name, a .domain nor '.'");
    }
    // Kept with its dot, which no looked-up host has, so it never matches (see the class comment).
    return neverMatches(e) ? raw.toLowerCase(Locale.ROOT) : DomainNames.key(raw);
  }

  private static Template template(MapEntry e) throws MapFileException {
    String value = e.value();
    int colon = value.indexOf(':');
    if (colon <= 0 || value.substring(0, colon).isBlank() || value.substring(0, colon).matches(".*\\s.*")) {
      throw Tables.error(e, "expected mailer:host, got '" + value + "'");
    }
    String mailer = value.substring(0, colon).toLowerCase(Locale.ROOT);
    String rest = value.substring(colon + 1).strip();
    if (!MAILERS.contains(mailer)) {
      throw Tables.error(e, "unknown mailer '" + mailer + "' (use smtp, esmtp, smtp8, relay, dsmtp, local or error)");
    }
    try {
      return switch (mailer) {
        case "error" -> errorTemplate(rest);
        case "local" -> localTemplate(rest);
        default -> RelayTemplate.parse(mailer, rest);
      };
    } catch (IllegalArgumentException ex) {
      throw Tables.error(e, ex.getMessage());
    }
  }

  private static Template errorTemplate(String rest) {
    ErrorReply.parse(rest, ErrorReply.Syntax.MAILERTABLE);
    return (recipient, args) -> ErrorReply.parse(Substitution.apply(rest, args), ErrorReply.Syntax.MAILERTABLE);
  }

  private static Template localTemplate(String rest) {
    // CanonLocal: "local:user@host" ignores the host part.
    String user = rest.contains("@") ? rest.substring(0, rest.lastIndexOf('@')) : rest;
    if (user.matches(".*\\s.*")) {
      throw new IllegalArgumentException("local user '" + user + "' contains white space");
    }
    return (recipient, args) -> {
      String u = Substitution.apply(user, args);
      return new MailerRoute.Local(u.isEmpty() ? recipient.localPart() : u);
    };
  }

  /** A value with its {@code %n} still in place, resolved per look-up. */
  @FunctionalInterface
  interface Template {
    MailerRoute resolve(MailAddress recipient, List<String> args);
  }

  private record Rule(MapEntry source, Template template) {
    MailerRoute resolve(MailAddress recipient, List<String> args, Trace trace) {
      MailerRoute route = template.resolve(recipient, args);
      trace.matched(source, route.toString());
      return route;
    }
  }
}
