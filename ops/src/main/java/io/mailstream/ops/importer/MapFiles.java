package io.mailstream.ops.importer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the files a sendmail.mc names and plans their copies. A file is looked for next to the
 * sendmail.mc first (the usual case: a copy of {@code /etc/mail} being imported), then under
 * MAIL_SETTINGS_DIR, then at the path the .mc gives. Absolute paths are taken under {@code root},
 * which is {@code /} except in tests, so that a test never picks up the machine's own
 * {@code /etc/mail}.
 */
final class MapFiles {
  /** A file to copy into the output directory; {@code secret} ones are readable by the owner only. */
  record Copy(Path source, String name, boolean secret) {}

  /** A file the import writes itself, owner-only; never replaced once it exists. */
  record Created(String name, String content) {}

  private final Path mcDir;
  private final Path root;
  private final Map<String, Copy> copies = new LinkedHashMap<>();
  private final Map<String, Created> created = new LinkedHashMap<>();

  MapFiles(Path mcDir, Path root) {
    this.mcDir = mcDir;
    this.root = root;
  }

  /** Where {@code path} (as sendmail.mc writes it) is found, looking in the three places. */
  Optional<Path> find(String path, String settingsDir) {
    String name = Path.of(path).getFileName().toString();
    List<Path> candidates = List.of(mcDir.resolve(name), onHost(settingsDir).resolve(name), onHost(path));
    return candidates.stream().filter(Files::isRegularFile).findFirst();
  }

  /** Says where a found file was, for YAML comments: no machine-specific paths. */
  String describe(Path found) {
    if (found.getParent() != null && found.getParent().equals(mcDir)) {
      return "next to sendmail.mc";
    }
    return "/" + root.relativize(found).toString().replace('\\', '/');
  }

  /** Whether only makemap's database of {@code path} is there, not the text file Mailstream reads. */
  boolean onlyDatabase(String textPath, String settingsDir) {
    String name = Path.of(textPath).getFileName().toString();
    for (String suffix : new String[] {".db", ".cdb", ".dir"}) {
      if (find(textPath + suffix, settingsDir).isPresent() || Files.isRegularFile(mcDir.resolve(name + suffix))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Plans copying {@code source} into the output directory and returns its name there: its own
   * name, or {@code prefix-name} when another file already took that name.
   */
  String copy(Path source, String prefix, boolean secret) {
    for (Copy c : copies.values()) {
      if (c.source().equals(source)) {
        return c.name();
      }
    }
    String name = source.getFileName().toString();
    if (copies.containsKey(name) || created.containsKey(name) || name.equals("mailstream.yaml")) {
      name = prefix + "-" + name;
    }
    copies.put(name, new Copy(source, name, secret));
    return name;
  }

  List<Copy> copies() {
    return new ArrayList<>(copies.values());
  }

  /** Plans writing a new file {@code name} with {@code content}; returns its name in the output. */
  String create(String name, String content) {
    Created c = created.get(name);
    if (c == null) {
      String n = copies.containsKey(name) ? "mailstream-" + name : name;
      created.put(n, new Created(n, content));
      return n;
    }
    return c.name();
  }

  List<Created> created() {
    return new ArrayList<>(created.values());
  }

  /**
   * The names in a class file (F{M}, F{G}, ...) as sendmail reads it: without a scanf pattern the
   * first word of each line ("%s"), with one such as Debian's {@code %[^#]} every word before a
   * {@code #}. Lines that start with {@code #} are comments either way.
   */
  static List<String> names(Path file, boolean allWords) throws ImportException {
    List<String> out = new ArrayList<>();
    for (String[] words : lines(file)) {
      if (words.length > 0 && !words[0].startsWith("#")) {
        out.addAll(allWords ? wordsBeforeHash(words) : List.of(words[0]));
      }
    }
    return out;
  }

  /** The words after the first on each line: names sendmail leaves out without a scanf pattern. */
  static List<String> laterWords(Path file) throws ImportException {
    List<String> out = new ArrayList<>();
    for (String[] words : lines(file)) {
      if (words.length > 0 && !words[0].startsWith("#")) {
        List<String> all = wordsBeforeHash(words);
        out.addAll(all.subList(1, all.size()));
      }
    }
    return out;
  }

  private static List<String> wordsBeforeHash(String[] words) {
    List<String> out = new ArrayList<>();
    for (String w : words) {
      if (w.startsWith("#")) {
        break;
      }
      out.add(w);
    }
    return out;
  }

  private static List<String[]> lines(Path file) throws ImportException {
    List<String[]> out = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.ISO_8859_1)) {
        String t = line.strip();
        out.add(t.isEmpty() ? new String[0] : t.split("\\s+"));
      }
    } catch (IOException e) {
      throw new ImportException(file + ": cannot read: " + e.getMessage(), e);
    }
    return out;
  }

  /** An absolute path on the old machine: under root, and whether root is this machine's own. */
  Optional<Path> onOldMachine(String absolutePath) {
    Path p = onHost(absolutePath);
    return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
  }

  /** Whether the old machine's files are this machine's (root is /), not a copy of them. */
  boolean rootIsThisMachine() {
    return root.toAbsolutePath().normalize().getParent() == null;
  }

  private Path onHost(String path) {
    String p = path.startsWith("/") ? path.substring(1) : path;
    return path.startsWith("/") ? root.resolve(p) : mcDir.resolve(p);
  }
}
