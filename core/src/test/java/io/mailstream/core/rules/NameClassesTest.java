package io.mailstream.core.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Class w (local-host-names) and class R (relay-domains). */
class NameClassesTest {

  private static final String LOCAL_HOST_NAMES =
      """
      # seed 002: "the domains my-site and another-site"
      my-site.example another-site.example
      mx.local.example   # this host
      [192.0.2.25]
      """;

  private static final String RELAY_DOMAINS =
      """
      # cf/README: the file "consists (like any other file based class) of entries listed on
      # separate lines"
      sendmail.org
      128.32
      IPv6:2002:c0a8:02c7
      host.mydomain.com
      """;

  static Stream<Arguments> localNames() {
    return Stream.of(
        Arguments.of("my-site.example", true),
        Arguments.of("another-site.example", true),
        Arguments.of("mx.local.example", true),
        Arguments.of("extra.example", true),
        // Exact: "anything sent to an address using a host name in this list will be treated as
        // local mail" -- and nothing else.
        Arguments.of("sub.my-site.example", false),
        Arguments.of("site.example", false),
        Arguments.of("MY-SITE.Example", true),
        Arguments.of("my-site.example.", true),
        Arguments.of("[192.0.2.25]", true),
        Arguments.of("#", false),
        Arguments.of("this", false));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("localNames")
  void classW(String domain, boolean local, @TempDir Path dir) throws Exception {
    Path file = dir.resolve("local-host-names");
    Files.writeString(file, LOCAL_HOST_NAMES);
    LocalHostNames w = LocalHostNames.load(file, List.of("Extra.Example."));
    assertEquals(local, w.contains(domain));
  }

  @Test
  void classWKeepsFileThenConfigurationOrder(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("local-host-names");
    Files.writeString(file, LOCAL_HOST_NAMES);
    assertEquals(
        List.of("my-site.example", "another-site.example", "mx.local.example", "[192.0.2.25]", "extra.example"),
        List.copyOf(LocalHostNames.load(file, List.of("extra.example", "my-site.example")).names()));
  }

  @Test
  void classWTraceNamesTheLine(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("local-host-names");
    Files.writeString(file, LOCAL_HOST_NAMES);
    Trace trace = new Trace();
    assertTrue(LocalHostNames.load(file, List.of()).contains("another-site.example", trace));
    assertEquals(List.of("local-host-names:2 another-site.example -> class w (local host name)"), trace.steps());
  }

  @Test
  void emptyFileAndEmptyClass(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("local-host-names");
    Files.writeString(file, "\n# nothing yet\n");
    assertEquals(Set.of(), LocalHostNames.load(file, List.of()).names());
    assertFalse(LocalHostNames.empty().contains("example.com"));
    assertFalse(RelayDomains.empty().contains("example.com"));
  }

  @Test
  void missingFileIsAnError(@TempDir Path dir) {
    Path file = dir.resolve("local-host-names");
    MapFileException e = assertThrows(MapFileException.class, () -> LocalHostNames.load(file, List.of()));
    assertTrue(e.getMessage().startsWith(file + ": cannot read"), e.getMessage());
  }

  @Test
  void relayDomainsMayBeMissing(@TempDir Path dir) throws Exception {
    RelayDomains r = RelayDomains.load(dir.resolve("relay-domains"), List.of("extra.example"), false);
    assertEquals(Set.of("extra.example"), r.names());
  }

  @Test
  void refusesAnAddressInTheFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("relay-domains");
    Files.writeString(file, "ok.example\nuser@bad.example\n");
    MapFileException e = assertThrows(MapFileException.class, () -> RelayDomains.load(file, List.of(), false));
    assertEquals(file + ":2: 'user@bad.example' is not a host or domain name", e.getMessage());
  }

  static Stream<Arguments> relay() {
    return Stream.of(
        // relay_hosts_only: "By default, names that are listed as RELAY in the access db and class
        // {R} are treated as domain names, not host names. For example, if you specify
        // ``foo.com'', then mail to or from foo.com, abc.foo.com, or a.very.deep.domain.foo.com
        // will all be accepted for relaying."
        Arguments.of("sendmail.org", false, true),
        Arguments.of("abc.sendmail.org", false, true),
        Arguments.of("a.very.deep.domain.sendmail.org", false, true),
        // "This feature changes the behaviour to look up individual host names only."
        Arguments.of("sendmail.org", true, true),
        Arguments.of("abc.sendmail.org", true, false),
        // Label boundaries, case, trailing dot.
        Arguments.of("badsendmail.org", false, false),
        Arguments.of("ABC.Sendmail.ORG.", false, true),
        Arguments.of("host.mydomain.com", true, true),
        Arguments.of("mydomain.com", false, false),
        Arguments.of("extra.example", false, true),
        Arguments.of("sub.extra.example", false, true),
        Arguments.of("other.example", false, false));
  }

  @ParameterizedTest(name = "{0} hostsOnly={1} -> {2}")
  @MethodSource("relay")
  void classR(String domain, boolean hostsOnly, boolean relays, @TempDir Path dir) throws Exception {
    Path file = dir.resolve("relay-domains");
    Files.writeString(file, RELAY_DOMAINS);
    assertEquals(relays, RelayDomains.load(file, List.of("extra.example"), hostsOnly).contains(domain));
  }

  static Stream<Arguments> clients() {
    return Stream.of(
        Arguments.of("128.32.1.2", true),
        Arguments.of("128.32", true),
        Arguments.of("128.3.1.2", false),
        Arguments.of("128.320.1.2", false),
        Arguments.of("IPv6:2002:c0a8:02c7:0:0:0:0:1", true),
        Arguments.of("IPv6:2002:c0a8:02c8:0:0:0:0:1", false));
  }

  // cf/README: "You can allow certain domains to relay through your server by adding their domain
  // name or IP address to class {R}"; "Note that IPv6 addresses must be prefaced with "IPv6:"."
  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("clients")
  void classRClientNetworks(String address, boolean relays) throws Exception {
    RelayDomains r = RelayDomains.of(List.of("128.32", "IPv6:2002:c0a8:02c7"), false);
    assertEquals(relays, r.containsClientAddress(address));
  }

  @Test
  void classRTraceSaysWhichParentMatched() throws Exception {
    Trace trace = new Trace();
    RelayDomains.of(List.of("sendmail.org"), false).contains("abc.sendmail.org", trace);
    assertEquals(List.of("(configured):0 sendmail.org -> class R (relaying allowed) for abc.sendmail.org"),
        trace.steps());
  }
}
