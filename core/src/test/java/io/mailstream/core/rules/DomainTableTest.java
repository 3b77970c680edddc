package io.mailstream.core.rules;

import static io.mailstream.core.rules.TestTables.entries;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** FEATURE(domaintable); the exact-key behaviour was checked against sendmail 8.17.1 (ruleset 3). */
class DomainTableTest {

  private static final String TABLE =
      """
      oldname.com\tnewname.com
      old.example\tnew.example
      pct.example\t%0.renamed.example
      """;

  static Stream<Arguments> rewrites() {
    return Stream.of(
        // cf/README: "your company changes names from oldname.com to newname.com"
        Arguments.of("oldname.com", "newname.com"),
        Arguments.of("old.example", "new.example"),
        // "The key in this table is the domain name": whole names only, no subdomains.
        Arguments.of("sub.old.example", "-"),
        Arguments.of("other.example", "-"),
        // %0 is the domain looked up.
        Arguments.of("pct.example", "pct.example.renamed.example"),
        // Case does not matter; neither does a trailing dot (sendmail with nocanonify leaves
        // "old.example." alone -- Mailstream treats it as the same name).
        Arguments.of("OLD.Example", "new.example"),
        Arguments.of("old.example.", "new.example"),
        Arguments.of("[192.0.2.1]", "-"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("rewrites")
  void rewrites(String domain, String expected) throws Exception {
    DomainTable t = DomainTable.of(entries("domaintable", TABLE));
    assertEquals(expected, t.rewrite(domain, new Trace()).orElse("-"));
  }

  @Test
  void traceNamesTheEntry() throws Exception {
    Trace trace = new Trace();
    DomainTable.of(entries("/etc/mail/domaintable", TABLE)).rewrite("old.example", trace);
    assertEquals(List.of("domaintable:2 old.example -> new.example"), trace.steps());
  }

  static Stream<Arguments> badEntries() {
    return Stream.of(
        Arguments.of(".old.example\tnew.example",
            "'.old.example': domaintable keys are whole domain names (no .domain, @ or [literal])"),
        Arguments.of("user@old.example\tnew.example",
            "'user@old.example': domaintable keys are whole domain names (no .domain, @ or [literal])"),
        Arguments.of("old.example\tnew.example other.example",
            "expected one new domain name, got 'new.example other.example'"),
        Arguments.of("old.example\tuser@new.example", "expected one new domain name, got 'user@new.example'"),
        Arguments.of("old.example\ta.example\nOld.Example\tb.example",
            "duplicate key 'Old.Example' (first at line 1)"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("badEntries")
  void refusesBadEntries(String text, String reason) {
    MapFileException e = assertThrows(MapFileException.class, () -> DomainTable.of(entries("domaintable", text)));
    assertEquals("domaintable:" + text.lines().count() + ": " + reason, e.getMessage());
  }
}
