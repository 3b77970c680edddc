package io.mailstream.core.rules;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The aliases file ({@code /etc/mail/aliases}): {@code name: member, member, ...}, continued on
 * lines that start with white space or after a line that ends with a backslash, {@code #} comment
 * lines. Names compare without case.
 *
 * <p>{@link #expand} follows sendmail (alias.c, recipient.c, checked against sendmail 8.17): members
 * that are aliases are expanded again, duplicates are dropped; <code>&#92;user</code> is delivered to the
 * mailbox without aliasing; an alias that lists itself is delivered to the mailbox of that name;
 * a longer loop is cut where it closes, and if nothing is left the expansion fails with "aliasing/
 * forwarding loop broken"; more than {@link Options#maxDepth} levels fail the same way with the
 * depth. {@code user+detail} is looked up as {@code user+detail}, then {@code user+*}, then {@code
 * user} ("Plussed users" in cf/README). {@code :include:} files hold more members, one list per
 * line; a relative path is read from the directory of the file that names it.
 *
 * <p>{@code |program} and {@code /file} members fail with a clear reply unless the {@link Options}
 * allow them.
 */
public final class Aliases {
  private final Map<String, Alias> aliases;
  private final Options options;
  private final List<String> warnings;

  /** One alias: its entry and its members, parsed when the file is read. */
  record Alias(MapEntry source, List<AliasItem> members) {}

  private Aliases(Map<String, Alias> aliases, Options options, List<String> warnings) {
    this.aliases = Map.copyOf(aliases);
    this.options = options;
    this.warnings = List.copyOf(warnings);
  }

  /**
   * What expansion may produce.
   *
   * @param allowPrograms whether {@code |program} members are delivered (routing.allow-program-aliases)
   * @param allowFiles whether {@code /file} members are delivered (routing.allow-file-aliases)
   * @param maxDepth sendmail's MaxAliasRecursion, 10 by default
   * @param localDomain which domains are this host's (class w), so that {@code user@local.host} is
   *     aliased again like {@code user}; by default none is
   */
  public record Options(boolean allowPrograms, boolean allowFiles, int maxDepth, Predicate<String> localDomain) {
    public static Options defaults() {
      return new Options(false, false, 10, d -> false);
    }

    public Options allowPrograms(boolean allow) {
      return new Options(allow, allowFiles, maxDepth, localDomain);
    }

    public Options allowFiles(boolean allow) {
      return new Options(allowPrograms, allow, maxDepth, localDomain);
    }

    public Options maxDepth(int depth) {
      return new Options(allowPrograms, allowFiles, depth, localDomain);
    }

    public Options localDomain(Predicate<String> local) {
      return new Options(allowPrograms, allowFiles, maxDepth, local);
    }
  }

  public static Aliases load(Path file) throws MapFileException {
    return load(file, Options.defaults());
  }

  public static Aliases load(Path file, Options options) throws MapFileException {
    List<String> lines = MapFile.lines(file);
    return of(MapFile.parse(file.toString(), joinBackslashContinuations(file.toString(), lines), true), options);
  }

  /** Builds the aliases from entries already read ({@code name: value}). */
  public static Aliases of(List<MapEntry> entries, Options options) throws MapFileException {
    Map<String, Alias> map = new HashMap<>();
    List<String> warnings = new ArrayList<>();
    for (MapEntry e : entries) {
      String name = e.key().strip();
      if (name.isEmpty() || name.matches(".*\\s.*")) {
        throw Tables.error(e, "illegal alias name '" + name + "'");
      }
      if (name.contains("@")) {
        throw Tables.error(e, name + ": cannot alias non-local names");
      }
      if (e.value().isBlank()) {
        throw Tables.error(e, name + ": missing value for alias");
      }
      List<AliasItem> members;
      try {
        members = AliasItem.parseList(e.value(), e.where(), directoryOf(e.file()));
      } catch (IllegalArgumentException ex) {
        throw Tables.error(e, name + ": " + ex.getMessage());
      }
      Alias previous = map.put(AliasItem.lower(name), new Alias(e, List.copyOf(members)));
      if (previous != null) {
        // newaliases says "Warning: duplicate alias name" and keeps the later entry.
        warnings.add(e.file() + ":" + e.line() + ": duplicate alias name " + name + " (also at line "
            + previous.source().line() + "); this entry wins");
      }
    }
    return new Aliases(map, options, warnings);
  }

  public int size() {
    return aliases.size();
  }

  /** Messages about entries that load but are probably mistakes, each with file and line. */
  public List<String> warnings() {
    return warnings;
  }

  /** True when {@code name} (or its {@code user+*} or {@code user} form) is an alias. */
  public boolean contains(String name) {
    return find(name) != null;
  }

  /**
   * Expands {@code name}, a local part such as {@code staff} or {@code root+cron}.
   *
   * @return not found when {@code name} is no alias (deliver to the mailbox of that name); a
   *     temporary failure when an {@code :include:} file cannot be read (retry later, as a partial
   *     expansion would deliver twice); else the expansion, which may hold failures
   */
  public Lookup<AliasExpansion> expand(String name, Trace trace) {
    Alias alias = find(name);
    if (alias == null) {
      trace.note("aliases: no entry for " + name);
      return Lookup.notFound();
    }
    return new AliasExpander(this, options, trace).run(name, alias);
  }

  /**
   * Where errors about the list {@code list} go, sendmail's {@code owner-} convention: empty
   * without an {@code owner-list} alias; else that alias's value when it is a single plain address,
   * or the name {@code owner-list} itself (sendmail's rule: when the value holds any of {@code
   * ,:/|"}), which the caller expands like any alias. The owner of an {@code owner-} list is {@code
   * owner-owner}.
   */
  public Optional<String> owner(String list) {
    String l = AliasItem.lower(list);
    String ownerName = l.startsWith("owner-") ? "owner-owner" : "owner-" + l;
    Alias owner = aliases.get(ownerName);
    if (owner == null) {
      return Optional.empty();
    }
    String value = owner.source().value().strip();
    return Optional.of(value.matches(".*[,:/|\"].*") ? ownerName : value);
  }

  private static Path directoryOf(String file) {
    Path dir = Path.of(file).toAbsolutePath().getParent();
    return dir == null ? Path.of("").toAbsolutePath() : dir;
  }

  /** The alias for a name, trying {@code user+detail}, {@code user+*}, {@code user}. */
  Alias find(String name) {
    String n = AliasItem.lower(name);
    Alias a = aliases.get(n);
    int plus = n.indexOf('+', 1);
    if (a == null && plus > 0) {
      a = aliases.get(n.substring(0, plus) + "+*");
      if (a == null) {
        a = aliases.get(n.substring(0, plus));
      }
    }
    return a;
  }

  /**
   * Turns a line that ends with a backslash into a line plus a continuation line, keeping the line
   * count so that errors still name the right line; and refuses an indented line that continues
   * nothing, as newaliases does ("Non-continuation line starts with space").
   */
  private static List<String> joinBackslashContinuations(String file, List<String> lines) throws MapFileException {
    List<String> out = new ArrayList<>(lines);
    boolean inEntry = false;
    for (int i = 0; i < out.size(); i++) {
      String line = out.get(i);
      boolean indented = !line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t');
      if (line.isBlank() || line.startsWith("#")) {
        inEntry = false;
        continue;
      }
      if (indented && !inEntry) {
        throw new MapFileException(file + ":" + (i + 1) + ": non-continuation line starts with space");
      }
      inEntry = true;
      if (line.endsWith("\\") && i + 1 < out.size()) {
        out.set(i, line.substring(0, line.length() - 1));
        out.set(i + 1, " " + out.get(i + 1));
      }
    }
    return out;
  }
}
