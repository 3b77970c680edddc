package io.mailstream.core.rules;

import static io.mailstream.core.rules.TestTables.aliasEntries;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The aliases file and its expansion. The expected expansions are what {@code sendmail -bv}
 * (8.17.1) printed for the same entries, except where a comment says Mailstream differs.
 */
class AliasesTest {

  private static final String ALIASES =
      """
      # Seed 002: "Basic system aliases -- these MUST be present."
      mailer-daemon: postmaster
      postmaster: root
      bin: root
      daemon: root
      root: marc,webmaster@my.example
      self: self, other
      loopa: loopb
      loopb: loopa
      loopx: loopy, r1
      loopy: loopx
      Upper: lowertarget
      list: a1,
        a2,
      \ta3
      bs: \\bs, other
      bs2: \\root
      prog: "|/usr/bin/vacation x"
      file: /var/log/mailfile
      owner-list: listowner
      x: xtarget
      x+*: xstar
      dup: a1, a1, list
      deep1: deep2
      deep2: deep3
      deep3: deep4
      deep4: deep5
      deep5: deep6
      deep6: deep7
      deep7: deep8
      deep8: deep9
      deep9: deep10
      deep10: deep11
      deep11: deep12
      deep12: final
      named: Bob Smith <bob@example.org>, carol (Carol C)
      local-addr: alice@mx.local.example
      staff: alice
      owner-staff: alice, bob
      owner-owner: postmaster-team
      """;

  static Stream<Arguments> expansions() {
    return Stream.of(
        // Seed 002: "root is actually an alias for a mailing list consisting of user marc and
        // webmaster@my-site"; "mail sent to users bin, daemon, ... will all be sent to ... root".
        Arguments.of("root", "local:marc, webmaster@my.example"),
        Arguments.of("bin", "local:marc, webmaster@my.example"),
        Arguments.of("mailer-daemon", "local:marc, webmaster@my.example"),
        // "If there is no match, then sendmail assumes the recipient is a regular user".
        Arguments.of("marc", "-"),
        // Names compare without case (newaliases folds the left-hand side).
        Arguments.of("upper", "local:lowertarget"),
        Arguments.of("UPPER", "local:lowertarget"),
        Arguments.of("PostMaster", "local:marc, webmaster@my.example"),
        // Continuation lines start with white space.
        Arguments.of("list", "local:a1, local:a2, local:a3"),
        // Duplicates are suppressed.
        Arguments.of("dup", "local:a1, local:a2, local:a3"),
        // An alias that lists itself delivers to the mailbox of that name.
        Arguments.of("self", "local:self, local:other"),
        // A backslash stops aliasing: \root is the mailbox root, not the alias.
        Arguments.of("bs", "local:bs, local:other"),
        Arguments.of("bs2", "local:root"),
        // A longer loop is cut; with nothing left, the expansion fails.
        Arguments.of("loopx", "local:r1"),
        Arguments.of("loopa", "! 554 5.4.6 aliasing/forwarding loop broken (loopa -> loopb -> loopa)"),
        // MaxAliasRecursion 10: "aliasing/forwarding loop broken (11 aliases deep; 10 max)".
        Arguments.of("deep1", "! 554 5.4.6 aliasing/forwarding loop broken (11 aliases deep; 10 max)"),
        Arguments.of("deep3", "local:final"),
        // cf/README "Plussed users": "this will match an alias for "root+client1". If that is not
        // found, the alias "root+*" will be tried, then "root"."
        Arguments.of("x+y", "local:xstar"),
        Arguments.of("x", "local:xtarget"),
        Arguments.of("root+cron", "local:marc, webmaster@my.example"),
        // Programs and files are refused unless allowed.
        Arguments.of("prog", "! 550 5.7.1 mailing to programs is not allowed (routing.allow-program-aliases)"),
        Arguments.of("file", "! 550 5.7.1 mailing to files is not allowed (routing.allow-file-aliases)"),
        // Phrases and comments around addresses.
        Arguments.of("named", "bob@example.org, local:carol"),
        Arguments.of("local-addr", "alice@mx.local.example"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("expansions")
  void expands(String name, String expected) throws Exception {
    Aliases a = Aliases.of(aliasEntries("/etc/mail/aliases", ALIASES), Aliases.Options.defaults());
    assertEquals(expected, describe(a.expand(name, new Trace())));
  }

  @Test
  void programsAndFilesWhenAllowed() throws Exception {
    Aliases a = Aliases.of(aliasEntries("aliases", ALIASES),
        Aliases.Options.defaults().allowPrograms(true).allowFiles(true));
    assertEquals("|/usr/bin/vacation x", describe(a.expand("prog", new Trace())));
    assertEquals("/var/log/mailfile", describe(a.expand("file", new Trace())));
  }

  @Test
  void addressesInALocalDomainAreAliasedAgain() throws Exception {
    Aliases a = Aliases.of(aliasEntries("aliases", ALIASES),
        Aliases.Options.defaults().localDomain(d -> d.equals("mx.local.example")));
    assertEquals("local:alice", describe(a.expand("local-addr", new Trace())));
  }

  static Stream<Arguments> owners() {
    return Stream.of(
        // alias.c: the owner- alias becomes the envelope sender of the list's mail; its value if
        // that is one plain address, else the name owner-list itself.
        Arguments.of("list", Optional.of("listowner")),
        Arguments.of("LIST", Optional.of("listowner")),
        Arguments.of("staff", Optional.of("owner-staff")),
        Arguments.of("root", Optional.empty()),
        Arguments.of("owner-list", Optional.of("postmaster-team")));
  }

  @ParameterizedTest(name = "owner({0}) = {1}")
  @MethodSource("owners")
  void owner(String list, Optional<String> owner) throws Exception {
    assertEquals(owner, Aliases.of(aliasEntries("aliases", ALIASES), Aliases.Options.defaults()).owner(list));
  }

  @Test
  void traceShowsEachEntryUsed() throws Exception {
    Aliases a = Aliases.of(aliasEntries("/etc/mail/aliases", ALIASES), Aliases.Options.defaults());
    Trace trace = new Trace();
    a.expand("bin", trace);
    assertEquals(List.of("aliases:4 bin -> root", "aliases:6 root -> marc,webmaster@my.example"), trace.steps());
  }

  @Test
  void includeFilesRelativeToTheAliasesFile(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("lists"));
    Files.writeString(dir.resolve("lists/inc1"), "incuser1\n# comment\n\nincuser2, remote@inc.example\n");
    Files.writeString(dir.resolve("lists/inc2"), "nested1\n:include:inc1\n\"|/bin/prog\"\n");
    Files.writeString(dir.resolve("lists/self"), "selfmember\n:include:self\n");
    Files.writeString(dir.resolve("lists/onlyself"), ":include:onlyself\n");
    Path aliases = dir.resolve("aliases");
    Files.writeString(aliases, """
        inc: :include:lists/inc1
        # seed 002: admin-list: ":include:/home/mailings/admin-list"
        qinc: ":include:lists/inc1"
        nested: :include:lists/inc2
        abs: :include:%s
        missing: alice, :include:lists/nope
        self: :include:lists/self
        onlyself: :include:lists/onlyself
        """.formatted(dir.resolve("lists/inc1")));
    Aliases a = Aliases.load(aliases);

    String inc1 = "local:incuser1, local:incuser2, remote@inc.example";
    assertEquals(inc1, describe(a.expand("inc", new Trace())));
    assertEquals(inc1, describe(a.expand("qinc", new Trace())));
    assertEquals(inc1, describe(a.expand("abs", new Trace())));
    assertEquals("local:nested1, " + inc1
            + " ! 550 5.7.1 mailing to programs is not allowed (routing.allow-program-aliases)",
        describe(a.expand("nested", new Trace())));
    assertEquals("local:selfmember", describe(a.expand("self", new Trace())));
    assertTrue(describe(a.expand("onlyself", new Trace())).startsWith("! 554 5.4.6 aliasing/forwarding loop broken"));

    // A file that cannot be read is a temporary failure, never a partial list.
    assertEquals("tempfail: aliases:6: cannot read :include: file " + dir.resolve("lists/nope") + ": no such file",
        describe(a.expand("missing", new Trace())));
  }

  @Test
  void includeTraceNamesTheFile(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("members"), "alice\n");
    Path aliases = dir.resolve("aliases");
    Files.writeString(aliases, "team: :include:members\n");
    Trace trace = new Trace();
    Aliases.load(aliases).expand("team", trace);
    assertEquals(List.of("aliases:1 team -> :include:members", "aliases:1 reading :include:" + dir.resolve("members")),
        trace.steps());
  }

  @Test
  void includeFileNotUtf8LosesOnlyTheMembersItSpoils(@TempDir Path dir) throws Exception {
    // Latin-1 (0xFC u-umlaut, 0xE9 e-acute) in a comment line, in a (comment) of an address and in
    // a name; an overlong encoding of '/' (0xC0 0xAF) in an address; CRLF line ends.
    Files.write(dir.resolve("members"), bytes(
        "# list kept by J\u00fcrgen\r\n"
            + "alice\r\n"
            + "m\u00fcller, bob\r\n"
            + "carol (Caf\u00e9 team)\r\n"
            + "\r\n"
            + "dave@remote.example, eve\u00c0\u00af@remote.example\r\n"));
    Path aliases = dir.resolve("aliases");
    Files.writeString(aliases, "team: :include:members\n");
    Trace trace = new Trace();
    Lookup<AliasExpansion> result = Aliases.load(aliases).expand("team", trace);

    // The rest of the list gets the mail, and it never defers for the file's octets.
    assertEquals("local:alice, local:bob, local:carol, dave@remote.example"
            + " ! 553 5.1.3 members:3: not UTF-8, so not an address; 553 5.1.3 members:6: not UTF-8, so not an address",
        describe(result));
    assertEquals(List.of("members:3", "members:6"),
        result.found().orElseThrow().failures().stream().map(AliasExpansion.Failure::where).toList());
    assertTrue(trace.steps().contains("members:3: m\uFFFDller: 553 5.1.3 members:3: not UTF-8, so not an address"), trace.steps().toString());
    assertTrue(trace.steps().contains("members:6: eve\uFFFD\uFFFD@remote.example: 553 5.1.3 members:6: not UTF-8, so not an address"),
        trace.steps().toString());
  }

  @Test
  void includeFileThatCannotBeReadDefersNamingIt(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("lists"));
    Path aliases = dir.resolve("aliases");
    Files.writeString(aliases, "team: alice, :include:lists\n");
    Lookup<AliasExpansion> result = Aliases.load(aliases).expand("team", new Trace());
    // A directory where the list should be: no partial list, a retry with the file and why.
    assertEquals("tempfail: aliases:1: cannot read :include: file " + dir.resolve("lists") + ": Is a directory",
        describe(result));
  }

  @Test
  void backslashAtTheEndOfALineContinuesIt(@TempDir Path dir) throws Exception {
    Path aliases = dir.resolve("aliases");
    Files.writeString(aliases, "team: alice, \\\nbob\nother: carol\n");
    Aliases a = Aliases.load(aliases);
    assertEquals("local:alice, local:bob", describe(a.expand("team", new Trace())));
    Trace trace = new Trace();
    a.expand("other", trace);
    assertEquals(List.of("aliases:3 other -> carol"), trace.steps());
  }

  @Test
  void duplicateNamesWarnAndTheLaterWins() throws Exception {
    Aliases a = Aliases.of(aliasEntries("aliases", "dupkey: first\ndupkey: second\nDupKey: third\n"),
        Aliases.Options.defaults());
    assertEquals("local:third", describe(a.expand("dupkey", new Trace())));
    assertEquals(List.of(
        "aliases:2: duplicate alias name dupkey (also at line 1); this entry wins",
        "aliases:3: duplicate alias name DupKey (also at line 2); this entry wins"), a.warnings());
  }

  @Test
  void emptyFile(@TempDir Path dir) throws Exception {
    Path aliases = dir.resolve("aliases");
    Files.writeString(aliases, "# none\n");
    Aliases a = Aliases.load(aliases);
    assertEquals(0, a.size());
    assertEquals("-", describe(a.expand("root", new Trace())));
  }

  static Stream<Arguments> badFiles() {
    return Stream.of(
        Arguments.of("name value\n", 1, "expected 'name: value', got 'name value'"),
        Arguments.of("ok: a\n\n  indented\n", 3, "non-continuation line starts with space"),
        Arguments.of("# c\n  indented\n", 2, "non-continuation line starts with space"),
        Arguments.of("empty:\n", 1, "empty: missing value for alias"),
        Arguments.of("user@host.example: x\n", 1, "user@host.example: cannot alias non-local names"),
        Arguments.of("two words: x\n", 1, "illegal alias name 'two words'"),
        Arguments.of("x: :include:\n", 1, "x: ':include:' without a file name"));
  }

  @ParameterizedTest(name = "{2}")
  @MethodSource("badFiles")
  void refusesBadFiles(String text, int line, String reason, @TempDir Path dir) throws Exception {
    Path aliases = dir.resolve("aliases");
    Files.writeString(aliases, text);
    MapFileException e = assertThrows(MapFileException.class, () -> Aliases.load(aliases));
    assertEquals(aliases + ":" + line + ": " + reason, e.getMessage());
  }

  @Test
  void refusesAMemberThatIsNoAddress() {
    MapFileException e = assertThrows(MapFileException.class,
        () -> Aliases.of(aliasEntries("aliases", "x: bad@\n"), Aliases.Options.defaults()));
    assertTrue(e.getMessage().startsWith("aliases:1: x: 'bad@' is not an address"), e.getMessage());
  }

  /** Targets, then failures after "!", or "-" for no alias, or "tempfail: reason". */
  static String describe(Lookup<AliasExpansion> result) {
    if (result instanceof Lookup.NotFound<AliasExpansion>) {
      return "-";
    }
    if (result instanceof Lookup.TempFail<AliasExpansion> t) {
      return "tempfail: " + t.reason();
    }
    AliasExpansion x = result.found().orElseThrow();
    String targets = x.targets().stream().map(Object::toString).collect(Collectors.joining(", "));
    String failures = x.failures().stream()
        .map(f -> f.reply().code() + " " + f.reply().status() + " " + f.reply().text())
        .collect(Collectors.joining("; "));
    return failures.isEmpty() ? targets : (targets + " ! " + failures).strip();
  }

  /** Octets from a string whose chars are all below 0x100, as {@code \xNN} escapes write them. */
  private static byte[] bytes(String latin1) {
    return latin1.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
  }
}
