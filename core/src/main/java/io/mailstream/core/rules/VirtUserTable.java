package io.mailstream.core.rules;

import io.mailstream.core.address.AddressException;
import io.mailstream.core.address.MailAddress;
import io.mailstream.core.smtp.EnhancedStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * FEATURE(virtusertable): "A domain-specific form of aliasing, allowing multiple virtual domains
 * to be hosted on one machine" (cf/README).
 *
 * <p>Keys are {@code user@domain}, {@code user+*@domain}, {@code user++@domain}, {@code
 * +*@domain}, {@code ++@domain} and {@code @domain}. For {@code user+detail@domain} the look-ups
 * are, first match wins (proto.m4, checked against sendmail 8.17): {@code user+detail@domain},
 * {@code user++@domain} (detail not empty), {@code user+*@domain}, {@code user@domain}, {@code
 * ++@domain} (detail not empty), {@code +*@domain}, {@code @domain}; for {@code user@domain}:
 * {@code user@domain}, {@code @domain}. "+ matches only a non-empty detail, * matches also empty
 * details". The detail starts at the first {@code +} after the first character; a quoted local
 * part has none.
 *
 * <p>In values, {@code %1} is the user (the whole local part when there is no {@code +}), {@code
 * %2} the detail and {@code %3} {@code +detail}, for every look-up but the first, which has only
 * {@code %1}, the whole local part; {@code %0} is the key looked up. Keys compare without case.
 *
 * <p>Only domains in class w or class {VirtHost} are looked up; the caller says which through a
 * predicate, usually {@link #domains}.
 */
public final class VirtUserTable {
  private final Map<String, MapEntry> rules;
  private final Predicate<String> appliesTo;

  private VirtUserTable(Map<String, MapEntry> rules, Predicate<String> appliesTo) {
    this.rules = Map.copyOf(rules);
    this.appliesTo = appliesTo;
  }

  /**
   * Reads a virtusertable in makemap's text format.
   *
   * @param appliesTo whether a domain (lower case, no trailing dot) is virtual-hosted here
   */
  public static VirtUserTable load(Path file, Predicate<String> appliesTo) throws MapFileException {
    return of(MapFile.read(file), appliesTo);
  }

  public static VirtUserTable of(List<MapEntry> entries, Predicate<String> appliesTo) throws MapFileException {
    Map<String, MapEntry> rules = new HashMap<>();
    for (MapEntry e : entries) {
      check(e);
      Tables.putUnique(rules, key(e), e, e, x -> x);
    }
    return new VirtUserTable(rules, appliesTo);
  }

  /**
   * The domains sendmail looks up: class w exactly, and class {VirtHost} (VIRTUSER_DOMAIN,
   * VIRTUSER_DOMAIN_FILE) exactly or, with FEATURE(virtuser_entire_domain), with their subdomains
   * ("addresses to be searched in the map if their domain parts are subdomains of elements in
   * class {VirtHost}"). A subdomain is looked up under its own name, never its parent's.
   */
  public static Predicate<String> domains(
      LocalHostNames localHostNames, Collection<String> virtuserDomains, boolean entireDomain) {
    Set<String> virtual = new HashSet<>();
    virtuserDomains.forEach(d -> virtual.add(DomainNames.key(d)));
    return domain -> {
      String d = DomainNames.key(domain);
      return localHostNames.contains(d)
          || virtual.contains(d)
          || (entireDomain && virtual.stream().anyMatch(v -> DomainNames.isUnder(d, v)));
    };
  }

  public int size() {
    return rules.size();
  }

  /** The target for {@code recipient}, or empty when the table does not cover it. */
  public Optional<VirtualTarget> lookup(MailAddress recipient, Trace trace) {
    if (recipient.domain() == null || recipient.hasAddressLiteral()) {
      return Optional.empty();
    }
    String domain = recipient.domainKey();
    if (!appliesTo.test(domain)) {
      trace.note("virtusertable: " + domain + " is in neither class w nor class VirtHost; not consulted");
      return Optional.empty();
    }
    String local = recipient.localPart();
    List<String> tried = new ArrayList<>();
    Optional<VirtualTarget> found = find(lower(local) + "@" + domain, List.of(local), tried, trace);
    int plus = local.startsWith("\"") ? -1 : local.indexOf('+', 1);
    if (plus < 0) {
      found = found.or(() -> find("@" + domain, List.of(local), tried, trace));
    } else {
      String user = local.substring(0, plus);
      String detail = local.substring(plus + 1);
      String u = lower(user);
      List<String> args = List.of(user, detail, "+" + detail);
      boolean hasDetail = !detail.isEmpty();
      found = found
          .or(() -> hasDetail ? find(u + "++@" + domain, args, tried, trace) : Optional.empty())
          .or(() -> find(u + "+*@" + domain, args, tried, trace))
          .or(() -> find(u + "@" + domain, args, tried, trace))
          .or(() -> hasDetail ? find("++@" + domain, args, tried, trace) : Optional.empty())
          .or(() -> find("+*@" + domain, args, tried, trace))
          .or(() -> find("@" + domain, args, tried, trace));
    }
    if (found.isEmpty()) {
      trace.note("virtusertable: no entry for " + String.join(", ", tried));
    }
    return found;
  }

  private Optional<VirtualTarget> find(String key, List<String> args, List<String> tried, Trace trace) {
    tried.add(key);
    MapEntry entry = rules.get(key);
    if (entry == null) {
      return Optional.empty();
    }
    List<String> withKey = new ArrayList<>(args.size() + 1);
    withKey.add(key);
    withKey.addAll(args);
    VirtualTarget target = resolve(entry, Substitution.apply(entry.value(), withKey));
    trace.matched(entry, target.toString());
    return Optional.of(target);
  }

  private static VirtualTarget resolve(MapEntry source, String value) {
    try {
      return parseValue(value);
    } catch (IllegalArgumentException e) {
      // Only a substituted part can get here: the value itself was checked at load time.
      return new ErrorReply(553, EnhancedStatus.X_5_1_3, source.where() + ": " + e.getMessage());
    }
  }

  private static String key(MapEntry e) throws MapFileException {
    String k = e.key();
    int at = k.lastIndexOf('@');
    if (at < 0 || at == k.length() - 1 || k.charAt(at + 1) == '.' || k.charAt(at + 1) == '[') {
      throw Tables.error(e, "'" + k + "': expected user@domain, user+*@domain, +*@domain or @domain");
    }
    return lower(k.substring(0, at)) + "@" + DomainNames.key(k.substring(at + 1));
  }

  private static void check(MapEntry e) throws MapFileException {
    String v = e.value();
    if (v.matches(".*\\s.*") && !v.regionMatches(true, 0, "error:", 0, 6)) {
      throw Tables.error(e, "'" + v + "' contains white space; expected one address or error:...");
    }
    // Check the shape once with stand-ins for %n, so that a bad entry fails the load.
    try {
      parseValue(Substitution.apply(v, List.of("key", "user", "detail", "+detail")));
    } catch (IllegalArgumentException ex) {
      throw Tables.error(e, ex.getMessage());
    }
  }

  /** error:..., a local name or an address. */
  private static VirtualTarget parseValue(String value) {
    if (value.regionMatches(true, 0, "error:", 0, 6)) {
      return ErrorReply.parse(value.substring(6), ErrorReply.Syntax.VIRTUSERTABLE);
    }
    if (!value.contains("@")) {
      if (value.isEmpty()) {
        throw new IllegalArgumentException("empty value");
      }
      return new VirtualTarget.Local(value);
    }
    try {
      return new VirtualTarget.Forward(MailAddress.parse(value));
    } catch (AddressException ex) {
      throw new IllegalArgumentException("'" + value + "' is not an address: " + ex.getMessage(), ex);
    }
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

}
