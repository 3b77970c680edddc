package io.mailstream.core.rules;

import static io.mailstream.core.rules.TestTables.address;
import static io.mailstream.core.rules.TestTables.entries;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * FEATURE(virtusertable), one case per sentence of cf/README and the seeds, plus edge cases. The
 * order of look-ups and the values of %1, %2 and %3 were checked against sendmail 8.17.1.
 */
class VirtUserTableTest {

  // The cf/README examples, the seed 002 example and entries that show %0..%3.
  private static final String TABLE =
      """
      info@foo.com\tfoo-info
      info@bar.com\tbar-info
      joe@bar.com\terror:nouser 550 No such user here
      jax@bar.com\terror:5.7.0:550 Address invalid
      @baz.org\tjane@example.net
      @foo.org\t%1@example.com
      old+*@foo.org\tnew+%2@example.com
      gen+*@foo.org\t%2@example.com
      +*@foo.org\t%1%3@example.com
      X++@foo.org\tZ%3@example.com
      @bar.org\t%1%3
      webmaster@another.example\twebmasters
      @another.example\tmarc
      sales@my.example\tsales@another.example
      paul@my.example\tpaul
      finance@my.example\tpaul
      @my.example\terror:nouser User unknown
      pp@virt.example\tp1-%1-p2-%2-p3-%3@pp.example
      pp+*@virt.example\tp1-%1-p2-%2-p3-%3@ppstar.example
      k+a@virt.example\texact-plus
      @virt.example\t%1%3@catch.example
      ++@plus.virt.example\t%1%3@pplus.example
      @plus.virt.example\tp1-%1-p2-%2-p3-%3@pdef.example
      @zero.virt.example\t"%0"@zero.example
      @sub.virt.example\t%1@sub.example
      """;

  private static final List<String> CLASS_W = List.of("foo.com", "bar.com", "my.example", "another.example");
  private static final List<String> VIRT_HOSTS =
      List.of("baz.org", "foo.org", "bar.org", "virt.example", "plus.virt.example", "zero.virt.example");

  static VirtUserTable table(boolean entireDomain) throws MapFileException {
    return VirtUserTable.of(
        entries("virtusertable", TABLE),
        VirtUserTable.domains(LocalHostNames.of(CLASS_W), VIRT_HOSTS, entireDomain));
  }

  static Stream<Arguments> lookups() {
    return Stream.of(
        // "mail addressed to info@foo.com will be sent to the address foo-info, mail addressed to
        // info@bar.com will be delivered to bar-info"
        Arguments.of("info@foo.com", "foo-info"),
        Arguments.of("info@bar.com", "bar-info"),
        // "and mail addressed to anyone at baz.org will be sent to jane@example.net"
        Arguments.of("anyone@baz.org", "jane@example.net"),
        // "mail to joe@bar.com will be rejected with the specified error message"
        Arguments.of("joe@bar.com", "error:550 5.0.0 No such user here"),
        // "and mail to jax@bar.com will also have a RFC 1893 compliant error code 5.7.0."
        Arguments.of("jax@bar.com", "error:550 5.7.0 Address invalid"),
        // "The username from the original address is passed as %1 allowing: @foo.org
        // %1@example.com meaning someone@foo.org will be sent to someone@example.com."
        Arguments.of("someone@foo.org", "someone@example.com"),
        // "if the local part consists of "user+detail" then "detail" is passed as %2 and "+detail"
        // is passed as %3 when a match against user+* is attempted"
        Arguments.of("old+news@foo.org", "new+news@example.com"),
        Arguments.of("gen+bar@foo.org", "bar@example.com"),
        Arguments.of("any+d@foo.org", "any+d@example.com"),
        Arguments.of("X+y@foo.org", "Z+y@example.com"),
        Arguments.of("x+y@foo.org", "Z+y@example.com"),
        // "There are two wildcards after "+": "+" matches only a non-empty detail, "*" matches also
        // empty details, e.g., user+@foo.org matches +*@foo.org but not ++@foo.org."
        Arguments.of("X+@foo.org", "X+@example.com"),
        Arguments.of("user+@foo.org", "user+@example.com"),
        Arguments.of("u+@plus.virt.example", "p1-u-p2--p3-+@pdef.example"),
        Arguments.of("u+d@plus.virt.example", "u+d@pplus.example"),
        // "Note: to preserve "+detail" for a default case (@domain) %1%3 must be used as RHS."
        Arguments.of("u+d@bar.org", "u+d"),
        Arguments.of("u@bar.org", "u"),
        // The first look-up has only %1, the whole local part; the others %1 %2 %3.
        Arguments.of("pp@virt.example", "p1-pp-p2--p3-@pp.example"),
        Arguments.of("pp+d@virt.example", "p1-pp-p2-d-p3-+d@ppstar.example"),
        Arguments.of("pp+@virt.example", "p1-pp-p2--p3-+@ppstar.example"),
        // The full local part is tried first.
        Arguments.of("k+a@virt.example", "exact-plus"),
        Arguments.of("k+b@virt.example", "k+b@catch.example"),
        // The detail starts at the first "+" after the first character.
        Arguments.of("a+b+c@virt.example", "a+b+c@catch.example"),
        Arguments.of("+d@virt.example", "+d@catch.example"),
        Arguments.of("\"q u\"@virt.example", "\"q u\"@catch.example"),
        // %0 is the key looked up.
        Arguments.of("u@zero.virt.example", "\"@zero.virt.example\"@zero.example"),
        // Seed 002: "webmaster@another-site will go to local user (or mailing list) webmasters,
        // all other mail to another-site will go to local user marc."
        Arguments.of("webmaster@another.example", "webmasters"),
        Arguments.of("someone@another.example", "marc"),
        // "sales at my-site will go to the sales department at another-site."
        Arguments.of("sales@my.example", "sales@another.example"),
        // "paul and finance at my-site goes to local user (or mailing list) paul"
        Arguments.of("finance@my.example", "paul"),
        // "all other users at my-site receive a bounce back message stating "User unknown"."
        Arguments.of("other@my.example", "error:553 5.3.0 User unknown"),
        // Case and a trailing dot do not matter.
        Arguments.of("INFO@FOO.COM", "foo-info"),
        Arguments.of("info@foo.com.", "foo-info"),
        // Domains in neither class w nor class {VirtHost} are not looked up.
        Arguments.of("info@elsewhere.example", "-"),
        Arguments.of("u@sub.virt.example", "-"),
        Arguments.of("u@[192.0.2.1]", "-"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("lookups")
  void looksUp(String recipient, String expected) throws Exception {
    assertEquals(expected, lookup(table(false), recipient));
  }

  static Stream<Arguments> entireDomain() {
    return Stream.of(
        // virtuser_entire_domain: "addresses to be searched in the map if their domain parts are
        // subdomains of elements in class {VirtHost}" -- under their own name, not the parent's.
        Arguments.of("u@sub.virt.example", "u@sub.example"),
        Arguments.of("u@deep.sub.virt.example", "-"),
        Arguments.of("u@other.virt.example", "-"),
        // Class w stays exact.
        Arguments.of("info@mail.foo.com", "-"),
        Arguments.of("info@foo.com", "foo-info"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("entireDomain")
  void entireDomainCoversSubdomainsOfVirtHostsOnly(String recipient, String expected) throws Exception {
    assertEquals(expected, lookup(table(true), recipient));
  }

  @Test
  void traceNamesTheEntryAndTheKeysTried() throws Exception {
    Trace trace = new Trace();
    table(false).lookup(address("old+news@foo.org"), trace);
    assertEquals(List.of("virtusertable:7 old+*@foo.org -> new+news@example.com"), trace.steps());

    Trace miss = new Trace();
    VirtUserTable.of(entries("virtusertable", "a@x.example\tb\n"), d -> true)
        .lookup(address("u+d@x.example"), miss);
    assertEquals(
        List.of("virtusertable: no entry for u+d@x.example, u++@x.example, u+*@x.example, u@x.example,"
            + " ++@x.example, +*@x.example, @x.example"),
        miss.steps());
  }

  @Test
  void traceSaysWhenADomainIsNotVirtual() throws Exception {
    Trace trace = new Trace();
    assertTrue(table(false).lookup(address("u@elsewhere.example"), trace).isEmpty());
    assertEquals(
        List.of("virtusertable: elsewhere.example is in neither class w nor class VirtHost; not consulted"),
        trace.steps());
  }

  static Stream<Arguments> badEntries() {
    return Stream.of(
        Arguments.of("foo-info\tx", "'foo-info': expected user@domain, user+*@domain, +*@domain or @domain"),
        Arguments.of("@\tx", "'@': expected user@domain, user+*@domain, +*@domain or @domain"),
        Arguments.of("a@.foo.org\tx", "'a@.foo.org': expected user@domain, user+*@domain, +*@domain or @domain"),
        Arguments.of("a@foo.org\tfoo bar", "'foo bar' contains white space; expected one address or error:..."),
        Arguments.of("a@foo.org\terror:5.7.1:450 x", "enhanced status 5.7.1 disagrees with reply code 450"),
        Arguments.of("a@foo.org\tb\nA@Foo.Org\tc", "duplicate key 'A@Foo.Org' (first at line 1)"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("badEntries")
  void refusesBadEntriesWithFileAndLine(String text, String reason) {
    MapFileException e = assertThrows(MapFileException.class,
        () -> VirtUserTable.of(entries("/etc/mail/virtusertable", text), d -> true));
    assertEquals("/etc/mail/virtusertable:" + text.lines().count() + ": " + reason, e.getMessage());
  }

  @Test
  void refusesAValueThatIsNoAddress() {
    MapFileException e = assertThrows(MapFileException.class,
        () -> VirtUserTable.of(entries("virtusertable", "a@foo.org\tuser@\n"), d -> true));
    assertTrue(e.getMessage().startsWith("virtusertable:1: 'user@' is not an address"), e.getMessage());
  }

  private static String lookup(VirtUserTable t, String recipient) {
    return t.lookup(address(recipient), new Trace()).map(Object::toString).orElse("-");
  }
}
