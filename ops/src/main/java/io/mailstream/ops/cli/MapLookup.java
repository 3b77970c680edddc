package io.mailstream.ops.cli;

import io.mailstream.core.config.RoutingSettings;
import io.mailstream.core.rules.MapEntry;
import io.mailstream.core.rules.MapFile;
import io.mailstream.core.rules.MapFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * sendmail's {@code -bt} {@code /map NAME KEY}: one key looked up in one map as its file has it,
 * without the rules around the map (no subdomain walk, no {@code +detail}), answered in sendmail's
 * words: {@code map_lookup: mailertable (.corp.example) returns relay:mail.corp.example (0)}, with
 * the file and line of the entry after it. Keys match without regard to case, as makemap folds
 * them.
 */
final class MapLookup {
  private MapLookup() {}

  /** What a lookup found: the line to print, and whether the map exists at all. */
  record Answer(String line, boolean mapKnown) {}

  static Answer lookup(RoutingSettings routing, String name, String key) throws MapFileException {
    String map = name.toLowerCase(Locale.ROOT);
    Path file = switch (map) {
      case "mailertable" -> routing.mailertable();
      case "virtuser", "virtusertable" -> routing.virtusertable();
      case "aliases" -> routing.aliases();
      case "access" -> routing.access();
      case "generics", "genericstable" -> routing.genericstable();
      case "domaintable" -> routing.domaintable();
      case "authinfo" -> routing.authinfo();
      default -> null;
    };
    if (file == null) {
      return new Answer("map_lookup: " + name + ": no such map in this configuration (mailertable, virtuser,"
          + " aliases, access, generics, domaintable, authinfo, when their files are set)", false);
    }
    List<MapEntry> entries = map.equals("aliases") ? MapFile.readAliases(file) : MapFile.read(file);
    Optional<MapEntry> found = entries.stream().filter(e -> e.key().equalsIgnoreCase(key)).findFirst();
    return new Answer(found
        .map(e -> "map_lookup: " + name + " (" + key + ") returns " + e.value() + " (0)  " + e.where())
        .orElse("map_lookup: " + name + " (" + key + ") no match (0)"), true);
  }
}
