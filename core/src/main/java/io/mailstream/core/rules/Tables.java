package io.mailstream.core.rules;

import java.util.Map;
import java.util.function.Function;

/** What the table loaders share: error messages and makemap's duplicate-key rule. */
final class Tables {
  private Tables() {}

  /** {@code /etc/mail/mailertable:12: reason}, the one line a bad entry produces. */
  static MapFileException error(MapEntry entry, String reason) {
    return new MapFileException(entry.file() + ":" + entry.line() + ": " + reason);
  }

  /**
   * Adds {@code value} under {@code key} unless the key is taken. makemap refuses a second entry
   * for a key ("duplicate key"), and since Mailstream reads the text instead of a makemap database,
   * it refuses the file.
   */
  static <V> void putUnique(Map<String, V> map, String key, V value, MapEntry entry, Function<V, MapEntry> source)
      throws MapFileException {
    V first = map.putIfAbsent(key, value);
    if (first != null) {
      throw error(entry, "duplicate key '" + entry.key() + "' (first at line " + source.apply(first).line() + ")");
    }
  }
}
