package io.mailstream.core.rules;

import io.mailstream.core.smtp.EnhancedStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** One expansion of one alias; holds the state of the walk, so {@link Aliases} stays immutable. */
final class AliasExpander {
  private final Aliases aliases;
  private final Aliases.Options options;
  private final Trace trace;
  private final Set<AliasTarget> targets = new LinkedHashSet<>();
  private final Set<AliasExpansion.Failure> failures = new LinkedHashSet<>();
  private final List<String> loops = new ArrayList<>();
  // The names being expanded, outermost first, and the include files being read.
  private final Deque<String> path = new ArrayDeque<>();
  private final Deque<Path> includes = new ArrayDeque<>();
  private String tempFail;
  // What IncludeFile puts where an octet sequence was not UTF-8.
  private static final char NOT_UTF8 = '\uFFFD';

  AliasExpander(Aliases aliases, Aliases.Options options, Trace trace) {
    this.aliases = aliases;
    this.options = options;
    this.trace = trace;
  }

  Lookup<AliasExpansion> run(String name, Aliases.Alias alias) {
    path.addLast(AliasItem.lower(name));
    expandAlias(name, alias, 0);
    if (tempFail != null) {
      return Lookup.tempFail(tempFail);
    }
    if (targets.isEmpty() && failures.isEmpty() && !loops.isEmpty()) {
      failures.add(new AliasExpansion.Failure(name, alias.source().where(),
          new ErrorReply(554, EnhancedStatus.X_5_4_6, "aliasing/forwarding loop broken (" + loops.get(0) + ")")));
    }
    return Lookup.found(new AliasExpansion(name, List.copyOf(targets), List.copyOf(failures)));
  }

  private void expandAlias(String name, Aliases.Alias alias, int level) {
    trace.matched(alias.source(), alias.source().value());
    for (AliasItem member : alias.members()) {
      member(member, name, level + 1);
    }
  }

  /**
   * One member at {@code level} (the alias's own members are level 1).
   *
   * @param parent the alias whose value names this member; null inside an include file, where
   *     sendmail's self-reference rule does not apply
   */
  private void member(AliasItem member, String parent, int level) {
    if (tempFail != null) {
      return;
    }
    if (level > options.maxDepth()) {
      fail(member, 554, EnhancedStatus.X_5_4_6,
          "aliasing/forwarding loop broken (" + level + " aliases deep; " + options.maxDepth() + " max)");
      return;
    }
    if (member instanceof AliasItem.NoAlias n) {
      targets.add(new AliasTarget.LocalUser(n.user()));
    } else if (member instanceof AliasItem.Program p) {
      program(p);
    } else if (member instanceof AliasItem.File f) {
      file(f);
    } else if (member instanceof AliasItem.Include i) {
      include(i, level);
    } else if (member instanceof AliasItem.Remote r) {
      if (options.localDomain().test(r.address().domainKey())) {
        name(r.address().localPart(), r, parent, level);
      } else {
        targets.add(new AliasTarget.Address(r.address()));
      }
    } else if (member instanceof AliasItem.Name n) {
      name(n.name(), n, parent, level);
    }
  }

  private void name(String name, AliasItem member, String parent, int level) {
    String key = AliasItem.lower(name);
    if (parent != null && key.equals(AliasItem.lower(parent))) {
      trace.note(member.where() + " " + parent + " lists itself: delivered to the mailbox " + name);
      targets.add(new AliasTarget.LocalUser(name));
      return;
    }
    if (path.contains(key)) {
      String loop = String.join(" -> ", path) + " -> " + key;
      trace.note(member.where() + " alias loop " + loop + " cut here");
      loops.add(loop);
      return;
    }
    Aliases.Alias alias = aliases.find(name);
    if (alias == null) {
      targets.add(new AliasTarget.LocalUser(name));
      return;
    }
    path.addLast(key);
    expandAlias(name, alias, level);
    path.removeLast();
  }

  private void program(AliasItem.Program p) {
    if (options.allowPrograms()) {
      targets.add(new AliasTarget.Program(p.command()));
    } else {
      fail(p, 550, EnhancedStatus.X_5_7_1, "mailing to programs is not allowed (routing.allow-program-aliases)");
    }
  }

  private void file(AliasItem.File f) {
    if (options.allowFiles()) {
      targets.add(new AliasTarget.File(f.path()));
    } else {
      fail(f, 550, EnhancedStatus.X_5_7_1, "mailing to files is not allowed (routing.allow-file-aliases)");
    }
  }

  private void include(AliasItem.Include inc, int level) {
    Path file = resolve(inc);
    if (includes.contains(file)) {
      loops.add(":include:" + file + " includes itself");
      trace.note(inc.where() + " :include:" + file + " includes itself; cut here");
      return;
    }
    List<IncludeFile.Line> lines;
    try {
      lines = IncludeFile.read(file);
    } catch (IOException e) {
      // sendmail bounces a missing file (550 5.2.4) and queues on other errors; Mailstream queues
      // on both, so that an unmounted or half-deployed list directory never bounces a list's mail.
      tempFail = inc.where() + ": cannot read :include: file " + file + ": " + describe(e);
      trace.note(tempFail);
      return;
    }
    trace.note(inc.where() + " reading :include:" + file);
    includes.addLast(file);
    for (int i = 0; i < lines.size() && tempFail == null; i++) {
      IncludeFile.Line line = lines.get(i);
      String where = file.getFileName() + ":" + line.number();
      if (line.utf8()) {
        members(line.text(), where, file.getParent(), level);
        continue;
      }
      // Member by member, so that octets in one name, or in a (comment), spoil nothing else.
      for (String m : AliasItem.split(line.text())) {
        if (m.indexOf(NOT_UTF8) >= 0) {
          notUtf8(m, where);
        } else {
          members(m, where, file.getParent(), level);
        }
      }
    }
    includes.removeLast();
  }

  /** The members of one line (or one member) of an include file; a line that is no list fails whole. */
  private void members(String list, String where, Path base, int level) {
    try {
      for (AliasItem m : AliasItem.parseList(list, where, base)) {
        member(m, null, level + 1);
      }
    } catch (IllegalArgumentException e) {
      fail(list, where, 553, EnhancedStatus.X_5_1_3, e.getMessage());
    }
  }

  /**
   * A member spoilt by octets that are not UTF-8: sendmail would hand those octets on as a name no
   * mailbox has; Mailstream refuses just this member and names the line, and the rest of the list
   * gets the mail.
   */
  private void notUtf8(String text, String where) {
    // The file and line go into the reply, so that the mail log's bounce line and the DSN say
    // which line to mend. The reply stays ASCII (it may be an SMTP reply line); the member's own
    // text, with U+FFFD for each bad sequence, is in the trace.
    String line = where.chars().allMatch(c -> c > 0x20 && c < 0x7f) ? where + ": " : "";
    fail(text, where, 553, EnhancedStatus.X_5_1_3, line + "not UTF-8, so not an address");
  }

  /** Absolute paths as they are; relative ones against the directory of the file naming them. */
  private static Path resolve(AliasItem.Include inc) {
    Path p = Path.of(inc.path());
    return (p.isAbsolute() || inc.base() == null ? p : inc.base().resolve(p)).toAbsolutePath().normalize();
  }

  private void fail(AliasItem member, int code, EnhancedStatus status, String text) {
    fail(member.text(), member.where(), code, status, text);
  }

  private void fail(String target, String where, int code, EnhancedStatus status, String text) {
    AliasExpansion.Failure f = new AliasExpansion.Failure(target, where, new ErrorReply(code, status, text));
    trace.note(f.toString());
    failures.add(f);
  }

  private static String describe(IOException e) {
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    // The operating system's words ("Is a directory"); the path is said already.
    return e.getMessage() != null && !e.getMessage().equals(e.getClass().getName()) ? e.getMessage() : e.toString();
  }
}
