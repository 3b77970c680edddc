package io.mailstream.ops.importer;

import java.util.Locale;
import java.util.Set;

/**
 * A sendmail map specification as FEATURE(mailertable) and friends take it: {@code hash -o
 * /etc/mail/virtusertable.db}, {@code dbm /etc/mail/mailertable}, {@code LDAP}. Mailstream reads
 * the text file that {@code makemap} was fed, so {@link #textFile()} drops the database suffix.
 *
 * @param type the map class (hash, btree, dbm, cdb, text, ldap, ...), lower case
 * @param optional {@code -o}: sendmail does without the map when the file is missing
 * @param path the file as written, or null for map classes that are not files
 */
record MapSpec(String type, boolean optional, String path) {
  private static final Set<String> FILE_TYPES = Set.of("hash", "btree", "dbm", "cdb", "text", "implicit");

  /** Reads {@code spec}; an empty one means {@code hash defaultPath}, as the cf files do. */
  static MapSpec parse(String spec, String defaultPath) {
    String[] words = spec.strip().split("\\s+");
    if (spec.isBlank()) {
      return new MapSpec("hash", false, defaultPath);
    }
    int i = 0;
    String type = "hash";
    if (!words[0].startsWith("/")) {
      type = words[0].toLowerCase(Locale.ROOT);
      i = 1;
    }
    boolean optional = false;
    String path = null;
    for (; i < words.length && path == null; i++) {
      if (words[i].equals("-o")) {
        optional = true;
      } else if (!words[i].startsWith("-")) {
        path = words[i];
      }
    }
    if (!FILE_TYPES.contains(type)) {
      return new MapSpec(type, optional, null);
    }
    return new MapSpec(type, optional, path == null ? defaultPath : path);
  }

  /** Whether the map is a file Mailstream can read in its text form. */
  boolean isFile() {
    return path != null;
  }

  /** The text file makemap builds the map from: the path without {@code .db} or {@code .cdb}. */
  String textFile() {
    for (String suffix : new String[] {".db", ".cdb", ".dir", ".pag"}) {
      if (!type.equals("text") && path.endsWith(suffix)) {
        return path.substring(0, path.length() - suffix.length());
      }
    }
    return path;
  }
}
