package io.mailstream.core.rules;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The names of a sendmail class read from a file ({@code Fw/etc/mail/local-host-names}) plus names
 * given in the configuration ({@code Cw name ...}), keyed as domains. A name given twice keeps its
 * first place, as adding a word to a class twice does nothing in sendmail.
 */
final class NameClass {
  /** The file name extra names are recorded under, for traces. */
  static final String CONFIGURED = "(configured)";

  static final NameClass EMPTY = new NameClass(Map.of());

  private final Map<String, MapEntry> names;

  private NameClass(Map<String, MapEntry> names) {
    this.names = names;
  }

  /**
   * Reads {@code file} (none when null; when {@code optional}, also none when it does not exist,
   * sendmail's {@code F{R}-o /etc/mail/relay-domains}) and adds {@code extra}.
   */
  static NameClass load(Path file, boolean optional, Collection<String> extra) throws MapFileException {
    boolean read = file != null && !(optional && Files.notExists(file));
    List<MapEntry> entries = new ArrayList<>(read ? MapFile.readNames(file) : List.of());
    for (String name : extra) {
      entries.add(new MapEntry(name, "", CONFIGURED, 0));
    }
    return of(entries);
  }

  static NameClass of(Collection<MapEntry> entries) throws MapFileException {
    Map<String, MapEntry> names = new LinkedHashMap<>();
    for (MapEntry e : entries) {
      String name = e.key().strip();
      if (name.isEmpty() || name.matches(".*[\\s@].*")) {
        throw Tables.error(e, "'" + name + "' is not a host or domain name");
      }
      names.putIfAbsent(DomainNames.key(name), e);
    }
    return new NameClass(Collections.unmodifiableMap(names));
  }

  /** The entry for exactly this name. */
  MapEntry exact(String key) {
    return names.get(key);
  }

  /** The entry for this name or the nearest parent domain listed, like sendmail's {@code $* $=R}. */
  MapEntry nearest(String key) {
    for (int dot = -1; ; dot = key.indexOf('.', dot + 1)) {
      MapEntry e = names.get(key.substring(dot + 1));
      if (e != null) {
        return e;
      }
      if (key.indexOf('.', dot + 1) < 0) {
        return null;
      }
    }
  }

  Set<String> keys() {
    return names.keySet();
  }

  Collection<MapEntry> entries() {
    return names.values();
  }
}
