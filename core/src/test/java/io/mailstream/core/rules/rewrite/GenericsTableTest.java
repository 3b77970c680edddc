package io.mailstream.core.rules.rewrite;

import static io.mailstream.core.rules.rewrite.MasqueraderCasesTest.address;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mailstream.core.address.MailAddress;
import io.mailstream.core.rules.MapEntry;
import io.mailstream.core.rules.MapFileException;
import io.mailstream.core.rules.Trace;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The look-up order of ruleset MasqHdr and the table's own checks. */
class GenericsTableTest {
  private static final DomainClass G = DomainClass.of("G", List.of("corp.example"));

  private static GenericsTable table(String... keyValues) throws MapFileException {
    List<MapEntry> entries = new ArrayList<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      entries.add(new MapEntry(keyValues[i], keyValues[i + 1], "genericstable", i / 2 + 1));
    }
    return GenericsTable.of(entries, G, false);
  }

  static Stream<Arguments> lookups() {
    return Stream.of(
        // table, address, result ("-" for no match)
        Arguments.of(List.of("a+b@corp.example", "full", "a+*@corp.example", "plus", "a", "bare"), "a+b@corp.example", "full"),
        Arguments.of(List.of("a+*@corp.example", "x+%1", "a@corp.example", "base"), "a+b@corp.example", "x+b"),
        Arguments.of(List.of("a@corp.example", "base", "@corp.example", "dom"), "a+b@corp.example", "base"),
        Arguments.of(List.of("@corp.example", "%1@new.example", "a", "bare"), "a+b@corp.example", "a+b@new.example"),
        Arguments.of(List.of("a+b", "bare+detail", "a+*", "p"), "a+b@corp.example", "bare+detail"),
        Arguments.of(List.of("a+*", "%1.%0", "a", "bare"), "a+b@corp.example", "b.a+*"),
        Arguments.of(List.of("a", "bare"), "a+b@corp.example", "bare"),
        // Unqualified: looked up as user@$j, never as @$j.
        Arguments.of(List.of("a@host.example", "full"), "a", "full"),
        Arguments.of(List.of("@host.example", "dom"), "a", "-"),
        // Map keys are case-insensitive and dequoted; the value keeps its case.
        Arguments.of(List.of("Bob@Corp.Example", "Robert@Corp.Example"), "BOB@corp.EXAMPLE", "Robert@Corp.Example"),
        Arguments.of(List.of("bob", "robert"), "\"bob\"@corp.example", "robert"),
        // An empty value is "not found", and so is a value that is not an address.
        Arguments.of(List.of("a", "%1"), "a@corp.example", "-"),
        Arguments.of(List.of("a", "@x.example"), "a@corp.example", "-"),
        Arguments.of(List.of("a", "bare"), "a@other.example", "-"));
  }

  @ParameterizedTest(name = "{1} with {0} -> {2}")
  @MethodSource("lookups")
  void looksUpInSendmailsOrder(List<String> entries, String input, String expected) throws MapFileException {
    Trace trace = new Trace();
    Optional<MailAddress> got = table(entries.toArray(String[]::new)).lookup(address(input), "host.example", trace);
    assertEquals(expected, got.map(MailAddress::toString).orElse("-"), () -> "trace:\n" + trace);
  }

  @Test
  void tracesTheKeysTried() throws MapFileException {
    Trace trace = new Trace();
    table("x", "y").lookup(address("a+b@corp.example"), "host.example", trace);
    assertEquals(List.of("genericstable: no entry for a+b@corp.example, a+*@corp.example, a@corp.example,"
        + " @corp.example, a+b, a+*, a"), trace.steps());
  }

  @Test
  void refusesDuplicateKeysLikeMakemap() {
    MapFileException e = assertThrows(MapFileException.class, () -> table("bob", "a", "BOB", "b"));
    assertEquals("genericstable:2: duplicate key 'BOB' (first at line 1)", e.getMessage());
  }

  @Test
  void noneLooksUpNothing() {
    assertEquals(Optional.empty(), GenericsTable.none().lookup(address("a"), "h.example", new Trace()));
  }
}
