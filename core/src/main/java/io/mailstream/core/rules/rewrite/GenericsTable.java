package io.mailstream.core.rules.rewrite;

import io.mailstream.core.address.MailAddress;
import io.mailstream.core.rules.MapEntry;
import io.mailstream.core.rules.MapFile;
import io.mailstream.core.rules.MapFileException;
import io.mailstream.core.rules.Substitution;
import io.mailstream.core.rules.Trace;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * FEATURE(genericstable): turns an outgoing sender into another ("generic") address, user name and
 * domain alike. Only unqualified addresses and addresses whose domain is in class {@code G}
 * (GENERICS_DOMAIN, GENERICS_DOMAIN_FILE; with generics_entire_domain also their subdomains) are
 * looked up; class w is not in G unless listed. Which positions are looked up is the
 * {@link Masquerader}'s business: the same ones as for masquerading.
 *
 * <p>Keys are tried in the order of ruleset MasqHdr in proto.m4, without case (makemap folds keys)
 * and with a quoted local part unquoted (maps dequote keys): {@code user+detail@domain}, {@code
 * user+*@domain} ({@code %1} = detail), {@code user@domain}, {@code @domain} ({@code %1} = local
 * part), {@code user+detail}, {@code user+*} ({@code %1} = detail), {@code user}. An unqualified
 * address is looked up as {@code user@$j} but never as {@code @$j}. A value without a domain is
 * qualified later like any unqualified address ($j or the masquerade name). Immutable.
 */
public final class GenericsTable {
  private static final GenericsTable NONE = new GenericsTable(Map.of(), DomainClass.empty("G"), false);

  private final Map<String, MapEntry> entries;
  private final DomainClass domains;
  private final boolean entireDomain;

  private GenericsTable(Map<String, MapEntry> entries, DomainClass domains, boolean entireDomain) {
    this.entries = Map.copyOf(entries);
    this.domains = domains;
    this.entireDomain = entireDomain;
  }

  /** No FEATURE(genericstable): nothing is looked up. */
  public static GenericsTable none() {
    return NONE;
  }

  /**
   * Reads the table in makemap's text format.
   *
   * @param domains class G (GENERICS_DOMAIN plus GENERICS_DOMAIN_FILE)
   * @param entireDomain FEATURE(generics_entire_domain)
   */
  public static GenericsTable load(Path file, DomainClass domains, boolean entireDomain) throws MapFileException {
    return of(MapFile.read(file), domains, entireDomain);
  }

  /** Builds a table from entries already read; a key given twice is refused, as makemap does. */
  public static GenericsTable of(List<MapEntry> list, DomainClass domains, boolean entireDomain)
      throws MapFileException {
    Map<String, MapEntry> entries = new HashMap<>();
    for (MapEntry e : list) {
      MapEntry first = entries.putIfAbsent(e.key().toLowerCase(Locale.ROOT), e);
      if (first != null) {
        throw new MapFileException(
            e.file() + ":" + e.line() + ": duplicate key '" + e.key() + "' (first at line " + first.line() + ")");
      }
      if (e.value().isBlank()) {
        throw new MapFileException(e.file() + ":" + e.line() + ": no value for '" + e.key() + "'");
      }
    }
    return new GenericsTable(entries, domains, entireDomain);
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  public int size() {
    return entries.size();
  }

  public DomainClass domains() {
    return domains;
  }

  public boolean entireDomain() {
    return entireDomain;
  }

  /**
   * The generic form of {@code address}, or empty when it is not looked up or nothing matches.
   * {@code address} without a domain stands for sendmail's {@code *LOCAL*} (an unqualified address
   * on its way to an SMTP mailer) and is looked up under {@code hostName}. The answer may lack a
   * domain: the caller qualifies it.
   */
  public Optional<MailAddress> lookup(MailAddress address, String hostName, Trace trace) {
    if (entries.isEmpty()) {
      return Optional.empty();
    }
    boolean unqualified = address.domain() == null;
    if (!unqualified) {
      Optional<String> in = domains.match(address.domain(), entireDomain);
      if (in.isEmpty()) {
        trace.note("genericstable: " + address.domain() + " is not in class {G}"
            + (entireDomain ? " nor under it" : "") + "; not looked up");
        return Optional.empty();
      }
    }
    String domain = unqualified ? DomainClass.key(hostName) : DomainClass.key(address.domain());
    List<String> missed = new ArrayList<>();
    for (Try t : tries(address.unquotedLocalPart(), domain, unqualified)) {
      MapEntry e = entries.get(t.key.toLowerCase(Locale.ROOT));
      if (e == null) {
        missed.add(t.key);
        continue;
      }
      Optional<MailAddress> found = value(e, t, trace);
      if (found.isPresent()) {
        return found;
      }
    }
    trace.note("genericstable: no entry for " + String.join(", ", missed));
    return Optional.empty();
  }

  /** The keys in the order ruleset MasqHdr tries them; "+detail" splits at the first '+'. */
  private static List<Try> tries(String user, String domain, boolean unqualified) {
    int plus = user.indexOf('+');
    String base = plus > 0 ? user.substring(0, plus) : null;
    String detail = plus > 0 ? user.substring(plus + 1) : null;
    List<Try> tries = new ArrayList<>();
    tries.add(new Try(user + "@" + domain));
    if (base != null) {
      tries.add(new Try(base + "+*@" + domain, detail));
      tries.add(new Try(base + "@" + domain));
    }
    if (!unqualified) {
      tries.add(new Try("@" + domain, user));
    }
    tries.add(new Try(user));
    if (base != null) {
      tries.add(new Try(base + "+*", detail));
      tries.add(new Try(base));
    }
    return tries;
  }

  private static Optional<MailAddress> value(MapEntry e, Try t, Trace trace) {
    String v = Substitution.apply(e.value(), java.util.Arrays.asList(t.key, t.arg)).strip();
    if (v.isEmpty()) {
      // Ruleset MasqHdr: an empty value is "not found".
      trace.matched(e, "(empty: taken as no match)");
      return Optional.empty();
    }
    int at = MailAddress.domainSeparator(v);
    if (at < 0) {
      trace.matched(e, v + " (unqualified)");
      return Optional.of(new MailAddress(v, null));
    }
    if (at == 0 || at == v.length() - 1 || v.matches(".*\\s.*")) {
      trace.matched(e, v + " is not an address; ignored");
      return Optional.empty();
    }
    trace.matched(e, v);
    return Optional.of(new MailAddress(v.substring(0, at), v.substring(at + 1)));
  }

  /** One key to try and the argument its rule passes as {@code %1}. */
  private record Try(String key, String arg) {
    Try(String key) {
      this(key, null);
    }
  }
}
