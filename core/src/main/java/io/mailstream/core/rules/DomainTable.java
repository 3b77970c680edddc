package io.mailstream.core.rules;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * FEATURE(domaintable): renames domains, "oldname.com to newname.com" (cf/README), in ruleset 3,
 * so the new name shows in headers too.
 *
 * <p>Keys are whole domain names: sendmail looks up the domain as it is ({@code $(domaintable $2
 * $)}), so unlike the mailertable there are no {@code .domain} keys and subdomains are not
 * renamed; a key with a leading dot is refused rather than silently never matching. {@code %0} in
 * a value is the domain looked up. Keys compare without case and a trailing dot is ignored.
 */
public final class DomainTable {
  private static final DomainTable EMPTY = new DomainTable(Map.of());

  private final Map<String, MapEntry> entries;

  private DomainTable(Map<String, MapEntry> entries) {
    this.entries = Map.copyOf(entries);
  }

  public static DomainTable load(Path file) throws MapFileException {
    return of(MapFile.read(file));
  }

  public static DomainTable of(List<MapEntry> entries) throws MapFileException {
    Map<String, MapEntry> map = new HashMap<>();
    for (MapEntry e : entries) {
      String key = e.key();
      if (key.startsWith(".") || key.startsWith("[") || key.contains("@")) {
        throw Tables.error(e, "'" + key + "': domaintable keys are whole domain names (no .domain, @ or [literal])");
      }
      String value = e.value();
      if (value.matches(".*\\s.*") || value.contains("@") || value.startsWith(".")) {
        throw Tables.error(e, "expected one new domain name, got '" + value + "'");
      }
      Tables.putUnique(map, DomainNames.key(key), e, e, x -> x);
    }
    return new DomainTable(map);
  }

  public static DomainTable empty() {
    return EMPTY;
  }

  public int size() {
    return entries.size();
  }

  /** The new name for {@code domain}, or empty when the table does not rename it. */
  public Optional<String> rewrite(String domain, Trace trace) {
    if (domain == null || DomainNames.isAddressLiteral(domain)) {
      return Optional.empty();
    }
    String key = DomainNames.key(domain);
    MapEntry e = entries.get(key);
    if (e == null) {
      trace.note("domaintable: no entry for " + key);
      return Optional.empty();
    }
    String renamed = Substitution.apply(e.value(), List.of(key));
    trace.matched(e, renamed);
    return Optional.of(renamed);
  }
}
