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
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
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
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String where = file.getFileName() + ":" + (i + 1);
      try {
        for (AliasItem m : AliasItem.parseList(line, where, file.getParent())) {
          member(m, null, level + 1);
        }
      } catch (IllegalArgumentException e) {
        failures.add(new AliasExpansion.Failure(line, where,
            new ErrorReply(553, EnhancedStatus.X_5_1_3, e.getMessage())));
      }
    }
    includes.removeLast();
  }

  /** Absolute paths as they are; relative ones against the directory of the file naming them. */
  private static Path resolve(AliasItem.Include inc) {
    Path p = Path.of(inc.path());
    return (p.isAbsolute() || inc.base() == null ? p : inc.base().resolve(p)).toAbsolutePath().normalize();
  }

  private void fail(AliasItem member, int code, EnhancedStatus status, String text) {
    AliasExpansion.Failure f =
        new AliasExpansion.Failure(member.text(), member.where(), new ErrorReply(code, status, text));
    trace.note(f.toString());
    failures.add(f);
  }

  private static String describe(IOException e) {
    return e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.toString();
  }
}
