package io.mailstream.core.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.rules.AccessDb.Tag;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The access database against cf/README, one row per sentence about it (and proto.m4 where
 * cf/README says nothing). Queries: {@code connect NAME|- IP} (check_relay), {@code client IP} (the
 * client's address alone, Relay_ok), {@code from ADDRESS} (check_mail), {@code to DOMAIN} and
 * {@code to-exact DOMAIN} (the recipient's domain for relaying, without and with
 * relay_hosts_only). The answer is {@code file:line ACTION} or {@code -}.
 */
class AccessDbTest {

  // cf/README, ANTI-SPAM CONFIGURATION CONTROL, first example.
  private static final String SPAMMERS = """
      From:spammer@aol.com			REJECT
      From:cyberspammer.com			REJECT
      Connect:cyberspammer.com		REJECT
      Connect:TLD				REJECT
      Connect:192.168.212			REJECT
      Connect:IPv6:2002:c0a8:02c7		RELAY
      Connect:IPv6:2002:c0a8:51d2::23f4	REJECT
      """;

  // cf/README, the example after "it will be tried first with the corresponding tag in front".
  private static final String TAGS = """
      From:spammer@some.dom	REJECT
      To:friend.domain	RELAY
      Connect:friend.domain	OK
      Connect:from.domain	RELAY
      From:good@another.dom	OK
      From:another.dom	REJECT
      """;

  // cf/README, the example after "The value part of the map can contain" (QUARANTINE left out).
  private static final String VALUES = """
      From:cyberspammer.com	ERROR:"550 We don't accept mail from spammers"
      From:okay.cyberspammer.com	OK
      Connect:sendmail.org		RELAY
      To:sendmail.org			RELAY
      Connect:128.32			RELAY
      Connect:128.32.2		SKIP
      Connect:IPv6:1:2:3:4:5:6:7	RELAY
      Connect:[127.0.0.3]		OK
      Connect:[IPv6:1:2:3:4:5:6:7:8]	OK
      """;

  private static final String UNRESOLVABLE = """
      From:unresolvable.domain	OK
      From:[1.2.3.4]			OK
      From:[1.2.4]			OK
      """;

  // Seed 002, the sample access file (relaying for the host itself and the LAN); seed 004's
  // "192.168.1.1 RELAY" lines.
  private static final String SEEDS = """
      localhost.localdomain RELAY
      localhost RELAY
      127.0.0.1 RELAY
      192.168.1.16 RELAY
      192.168.2 RELAY
      my-site.example RELAY
      To:targetdomain1.com  RELAY
      """;

  static Stream<Arguments> lookups() {
    return Stream.of(
        // "would refuse mail from spammer@aol.com, any user from cyberspammer.com (or any host
        // within the cyberspammer.com domain), any host in the entire top level domain TLD,
        // 192.168.212.* network, and the IPv6 address 2002:c0a8:51d2::23f4."
        row(SPAMMERS, "from spammer@aol.com", "access:1 REJECT"),
        row(SPAMMERS, "from friend@aol.com", "-"),
        row(SPAMMERS, "from anyone@cyberspammer.com", "access:2 REJECT"),
        row(SPAMMERS, "from anyone@mail.CyberSpammer.com", "access:2 REJECT"),
        row(SPAMMERS, "connect relay.cyberspammer.com 10.9.9.9", "access:3 REJECT"),
        row(SPAMMERS, "connect a.b.tld 10.9.9.9", "access:4 REJECT"),
        row(SPAMMERS, "connect a.b.tld.example 10.9.9.9", "-"),
        row(SPAMMERS, "connect - 192.168.212.77", "access:5 REJECT"),
        row(SPAMMERS, "connect - 192.168.21.27", "-"),
        row(SPAMMERS, "connect - 192.168.2.12", "-"),
        row(SPAMMERS, "connect - 2002:c0a8:51d2::23f4", "access:7 REJECT"),
        row(SPAMMERS, "connect - 2002:c0a8:51d2:0:0:0:0:23f5", "-"),
        // "It would allow relay for the IPv6 network 2002:c0a8:02c7::/48."
        row(SPAMMERS, "client 2002:c0a8:2c7:1::5", "access:6 RELAY"),
        row(SPAMMERS, "client 2002:c0a8:2c8::5", "-"),
        // "This would deny mails from spammer@some.dom"
        row(TAGS, "from spammer@some.dom", "access:1 REJECT"),
        // "Your system will allow relaying to friend.domain, but not from it [...] Connections
        // from that domain will be allowed even if it ends up in one of the DNS based rejection
        // lists." (OK, not RELAY.)
        row(TAGS, "to friend.domain", "access:2 RELAY"),
        row(TAGS, "connect mx.friend.domain 10.0.0.1", "access:3 OK"),
        // "Relaying is enabled from from.domain but not to it"
        row(TAGS, "connect mx.from.domain 10.0.0.1", "access:4 RELAY"),
        row(TAGS, "to from.domain", "-"),
        // "The last two entries allow mails from good@another.dom but reject mail from all other
        // addresses with another.dom as domain part."
        row(TAGS, "from good@another.dom", "access:5 OK"),
        row(TAGS, "from bad@another.dom", "access:6 REJECT"),
        // "it will be tried first with the corresponding tag in front, then (as fallback to
        // enable backward compatibility) without any tag"
        row("example.com OK\nFrom:example.com REJECT\n", "from a@example.com", "access:2 REJECT"),
        row("example.com OK\nFrom:example.com REJECT\n", "connect mx.example.com 10.0.0.1", "access:1 OK"),
        row("Connect:10.1 OK\n10 REJECT\n", "client 10.2.3.4", "access:2 REJECT"),
        // proto.m4 SearchList <F:> <U:> <D:>: the most specific key first, tagged or not.
        row("From:some.dom OK\nspammer@some.dom REJECT\n", "from spammer@some.dom", "access:2 REJECT"),
        row("From:some.dom OK\nFrom:spammer@ REJECT\n", "from spammer@some.dom", "access:2 REJECT"),
        // proto.m4 LookUpFull and LookUpUser: user+detail, user+*, user.
        row("From:user+*@example.com REJECT\n", "from user+news@example.com", "access:1 REJECT"),
        row("From:user+*@example.com REJECT\n", "from user@example.com", "-"),
        row("From:user@example.com REJECT\n", "from user+news@example.com", "access:1 REJECT"),
        row("From:user@ REJECT\n", "from User+news@example.com", "access:1 REJECT"),
        // "would accept mail from okay.cyberspammer.com, but would reject mail from all other
        // hosts at cyberspammer.com with the indicated message."
        row(VALUES, "from a@okay.cyberspammer.com", "access:2 OK"),
        row(VALUES, "from a@mail.cyberspammer.com", "access:1 ERROR:550 5.0.0 We don't accept mail from spammers"),
        // "It would allow relaying mail from and to any hosts in the sendmail.org domain"
        row(VALUES, "connect a.sendmail.org 10.0.0.1", "access:3 RELAY"),
        row(VALUES, "to a.b.sendmail.org", "access:4 RELAY"),
        // "and allow relaying from the IPv6 1:2:3:4:5:6:7:* network"
        row(VALUES, "client 1:2:3:4:5:6:7:99", "access:7 RELAY"),
        // "and from the 128.32.*.* network except for the 128.32.2.* network, which shows how
        // SKIP is useful to exempt subnets/subdomains."
        row(VALUES, "client 128.32.5.1", "access:5 RELAY"),
        row(VALUES, "client 128.32.2.1", "-"),
        row(VALUES, "connect - 128.32.2.1", "-"),
        // "The last two entries are for checks against ${client_name} if the IP address doesn't
        // resolve to a hostname [...] using square brackets means these are host names, not
        // network numbers."
        row(VALUES, "connect - 127.0.0.3", "access:8 OK"),
        row(VALUES, "connect - 1:2:3:4:5:6:7:8", "access:9 OK"),
        row(VALUES, "client 127.0.0.3", "-"),
        row(VALUES, "connect localhost.example 127.0.0.3", "-"),
        // "If you also use FEATURE(`relay_hosts_only') then the above example will allow relaying
        // for sendmail.org, but not hosts within the sendmail.org domain."
        row(VALUES, "to-exact sendmail.org", "access:4 RELAY"),
        row(VALUES, "to-exact a.sendmail.org", "-"),
        // "From:FREE.STEALTH.MAILER@ ERROR:550 Spam not accepted [...] you must include the @
        // after the username to signify that this database entry is for checking only the
        // username portion of the sender address."
        row("From:FREE.STEALTH.MAILER@\tERROR:550 Spam not accepted\n", "from free.stealth.mailer@isp.example",
            "access:1 ERROR:550 5.0.0 Spam not accepted"),
        row("From:FREE.STEALTH.MAILER@\tERROR:550 Spam not accepted\n", "from user@free.stealth.mailer", "-"),
        // "Alternatively, you can allow specific addresses by adding them to the access map, e.g.,
        // From:unresolvable.domain OK, From:[1.2.3.4] OK, From:[1.2.4] OK"
        row(UNRESOLVABLE, "from a@unresolvable.domain", "access:1 OK"),
        row(UNRESOLVABLE, "from a@[1.2.3.4]", "access:2 OK"),
        row(UNRESOLVABLE, "from a@[1.2.4.5]", "access:3 OK"),
        row(UNRESOLVABLE, "from a@[1.2.5.5]", "-"),
        // "to avoid checking your own local domains against those blocklists, use the access_db
        // feature and add: Connect:10.1 OK, Connect:127.0.0.1 RELAY"
        row("Connect:10.1\t\tOK\nConnect:127.0.0.1\tRELAY\n", "connect - 10.1.200.3", "access:1 OK"),
        row("Connect:10.1\t\tOK\nConnect:127.0.0.1\tRELAY\n", "client 127.0.0.1", "access:2 RELAY"),
        // "Notice: untagged entries are deprecated." They still work, for all three checks.
        row(SEEDS, "client 127.0.0.1", "access:3 RELAY"),
        row(SEEDS, "client 192.168.1.16", "access:4 RELAY"),
        row(SEEDS, "client 192.168.1.17", "-"),
        row(SEEDS, "client 192.168.2.200", "access:5 RELAY"),
        row(SEEDS, "connect mail.my-site.example 10.0.0.1", "access:6 RELAY"),
        row(SEEDS, "to my-site.example", "access:6 RELAY"),
        row(SEEDS, "from a@my-site.example", "access:6 RELAY"),
        // Seed 004: "The mail domains your server is allowed to relay from outside [...] must be
        // listed in the /etc/mail/access: To:targetdomain1.com RELAY".
        row(SEEDS, "to targetdomain1.com", "access:7 RELAY"),
        row(SEEDS, "connect mx.targetdomain1.com 10.0.0.1", "-"),
        // Keys compare without case, as makemap folds them; so do tags and keywords.
        row("connect:MAIL.Example.COM relay\n", "connect mail.example.com. 10.0.0.1", "access:1 RELAY"),
        // "SKIP [...] will abort the current search for this entry" also for host names.
        row("Connect:example.com REJECT\nConnect:ok.example.com SKIP\n", "connect a.ok.example.com 10.0.0.1", "-"),
        row("Connect:example.com REJECT\nConnect:ok.example.com SKIP\n", "connect a.bad.example.com 10.0.0.1",
            "access:1 REJECT"),
        // SKIP on the name leaves the address look-up of check_relay to run.
        row("Connect:ok.example.com SKIP\nConnect:10.0.0 REJECT\n", "connect a.ok.example.com 10.0.0.1",
            "access:2 REJECT"));
  }

  private static Arguments row(String table, String query, String expected) {
    return Arguments.of(table, query, expected);
  }

  @ParameterizedTest(name = "{1} -> {2}")
  @MethodSource("lookups")
  void looksUpInSendmailsOrder(String table, String query, String expected) throws Exception {
    AccessDb db = AccessDb.of(TestTables.entries("access", table));
    assertEquals(expected, answer(db, query));
  }

  static Stream<Arguments> values() {
    return Stream.of(
        // "OK", "RELAY", "REJECT", "DISCARD", "SKIP"
        Arguments.of("OK", "OK"),
        Arguments.of("relay", "RELAY"),
        Arguments.of("Reject", "REJECT"),
        Arguments.of("DISCARD", "DISCARD"),
        Arguments.of("SKIP", "SKIP"),
        // "ERROR:### any text [...] If quotes need to be used to avoid modifications (see above),
        // they should be placed like this: ERROR:"### any text""
        Arguments.of("ERROR:550 Go away", "ERROR:550 5.0.0 Go away"),
        Arguments.of("ERROR:\"550 5.7.1 Go away\"", "ERROR:550 5.7.1 Go away"),
        // "ERROR:D.S.N:### any text where D.S.N is an RFC 1893 compliant error code [...]
        // ERROR:D.S.N:"### any text""
        Arguments.of("ERROR:5.7.1:550 Go away", "ERROR:550 5.7.1 Go away"),
        Arguments.of("ERROR:5.7.1:\"550 Go away\"", "ERROR:550 5.7.1 Go away"),
        // "### any text [...] This type is deprecated": still a rejection.
        Arguments.of("\"550 Go away\"", "ERROR:550 5.0.0 Go away"),
        Arguments.of("550 Go away", "ERROR:550 5.0.0 Go away"),
        // "if you use To:user@example.com ERROR:450 mailbox full the error returned would be "450
        // 5.0.0 mailbox full" which is wrong. Use "ERROR:4.2.2:450 mailbox full" instead."
        // Mailstream does not send the wrong class: 4.0.0.
        Arguments.of("ERROR:450 mailbox full", "ERROR:450 4.0.0 mailbox full"),
        Arguments.of("ERROR:4.2.2:450 mailbox full", "ERROR:450 4.2.2 mailbox full"),
        // The error mailer's rule: a text without a reply code is 553 5.3.0.
        Arguments.of("ERROR:go away", "ERROR:553 5.3.0 go away"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("values")
  void readsValues(String value, String expected) {
    assertEquals(expected, AccessAction.parse(value).toString());
  }

  static Stream<Arguments> badFiles() {
    return Stream.of(
        // "SKIP This can only be used for host/domain names and IP addresses/nets."
        Arguments.of("From:user@example.com SKIP", "access:1: SKIP can only be used for host/domain names and IP addresses/nets"),
        Arguments.of("From:user@ SKIP", "access:1: SKIP can only be used for host/domain names and IP addresses/nets"),
        // "Note that IPv6 addresses must be prefaced with "IPv6:"."
        Arguments.of("Connect:2002:c0a8:02c7 RELAY", "access:1: '2002:c0a8:02c7': IPv6 addresses must be prefaced with \"IPv6:\""),
        Arguments.of("2002:c0a8:02c7 RELAY", "access:1: '2002:c0a8:02c7': IPv6 addresses must be prefaced with \"IPv6:\""),
        // "Connect: connection information (${client_addr}, ${client_name})": no users.
        Arguments.of("Connect:user@example.com REJECT", "access:1: Connect: takes a host name, a domain or an IP address, not 'user@example.com'"),
        // "QUARANTINE:any text Quarantine the message": there is no quarantine to put it in.
        Arguments.of("Connect:suspicious.example.com QUARANTINE:Mail from suspicious host",
            "access:1: QUARANTINE is not supported: Mailstream has no quarantine"),
        Arguments.of("Conect:example.com REJECT", "access:1: unknown tag 'Conect:'; Mailstream reads Connect:, From: and To:"),
        Arguments.of("example.com RELAYY", "access:1: 'RELAYY': expected OK, RELAY, REJECT, DISCARD, SKIP, ERROR:\"### text\" or ERROR:D.S.N:\"### text\""),
        Arguments.of("example.com ERROR:5.7.1:450 mixed", "access:1: enhanced status 5.7.1 disagrees with reply code 450"),
        Arguments.of("example.com ERROR:250 fine", "access:1: reply code must be 4xx or 5xx, got 250"),
        Arguments.of("# comment\nConnect:10.1 OK\nconnect:10.1 REJECT", "access:3: duplicate key 'connect:10.1' (first at line 2)"),
        Arguments.of(".example.com REJECT", "access:1: '.example.com': .domain keys need FEATURE(lookupdotdomain), which Mailstream does not have; 'example.com' covers the domain and its subdomains"),
        Arguments.of("Connect:192.168.001 REJECT", "access:1: '192.168.001': '001' is not a number from 0 to 255 without leading zeros"),
        Arguments.of("Connect:IPv6:2002::c0a8::1 REJECT", "access:1: 'IPv6:2002::c0a8::1' is not an IPv6 address or network"),
        Arguments.of("From: REJECT", "access:1: empty key"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badFiles")
  void refusesBadEntriesWithFileAndLine(String text, String message) {
    MapFileException e = assertThrows(MapFileException.class, () -> AccessDb.of(TestTables.entries("access", text)));
    assertEquals(message, e.getMessage());
  }

  @Test
  void networkWithTrailingDotLoadsButNeverMatchesAsInSendmail() throws Exception {
    // Seed 004's access file. sendmail 8.17 -bt (LookUpAddress for 192.168.0.5) tries
    // Connect:192.168.0.5, 192.168.0.5, Connect:192.168.0, 192.168.0, ... and never "192.168.0.",
    // so the client may not relay; the other entries work and the dead one is reported.
    AccessDb db = AccessDb.of(TestTables.entries("access", """
        192.168.0.    RELAY
        192.168.1.1   RELAY
        Connect:10.9.  REJECT
        """));
    assertEquals(List.of(1, 3), db.ignored().stream().map(i -> i.entry().line()).toList());
    assertEquals("'192.168.0.' ends with a dot, which sendmail never matches; write '192.168.0' for the network",
        db.ignored().get(0).reason());
    assertEquals("'10.9.' ends with a dot, which sendmail never matches; write '10.9' for the network",
        db.ignored().get(1).reason());
    assertEquals("-", answer(db, "client 192.168.0.5"));
    assertEquals("-", answer(db, "client 10.9.0.1"));
    assertEquals("access:2 RELAY", answer(db, "client 192.168.1.1"));
  }

  @Test
  void keepsOtherFeaturesEntriesAsideAndSaysSo() throws Exception {
    AccessDb db = AccessDb.of(TestTables.entries("access", """
        TLS_Clt:10.1.2.3	VERIFY
        Spam:abuse@	FRIEND
        Connect:10.1.2.3	OK
        """));
    assertEquals(List.of(1, 2), db.unused().stream().map(MapEntry::line).toList());
    assertEquals("access:3 OK", answer(db, "client 10.1.2.3"));
  }

  @Test
  void traceSaysWhatMatchedAndWhatWasTried() throws Exception {
    AccessDb db = AccessDb.of(TestTables.entries("access", "Connect:192.168.212\tREJECT\n"));
    Trace trace = new Trace();
    db.connect(null, ip("192.168.212.7"), trace);
    assertEquals(
        List.of("access: no entry for Connect:[192.168.212.7], [192.168.212.7], Connect:[192.168.212], [192.168.212],"
                + " Connect:[192.168], [192.168], Connect:[192], [192]",
            "access:1 Connect:192.168.212 -> REJECT"),
        trace.steps());
    Optional<AccessMatch> m = db.connect(null, ip("192.168.212.7"), new Trace());
    assertEquals("access:1 Connect:192.168.212 REJECT", m.orElseThrow().describe());
  }

  @Test
  void emptyDatabaseMatchesNothing() throws Exception {
    assertTrue(AccessDb.empty().isEmpty());
    assertEquals("-", answer(AccessDb.empty(), "connect - 10.0.0.1"));
    assertEquals("-", answer(AccessDb.empty(), "from a@b.example"));
  }

  private static String answer(AccessDb db, String query) throws UnknownHostException {
    String[] w = query.split(" ");
    Trace t = new Trace();
    Optional<AccessMatch> m =
        switch (w[0]) {
          case "connect" -> db.connect(w[1].equals("-") ? null : w[1], ip(w[2]), t);
          case "client" -> db.clientAddress(ip(w[1]), t);
          case "from" -> db.sender(TestTables.address(w[1]), t);
          case "to" -> db.domain(Tag.TO, w[1], false, t);
          case "to-exact" -> db.domain(Tag.TO, w[1], true, t);
          default -> throw new IllegalArgumentException(query);
        };
    return m.map(x -> x.entry().where() + " " + x.action()).orElse("-");
  }

  private static InetAddress ip(String literal) throws UnknownHostException {
    return InetAddress.getByName(literal);
  }
  /**
   * Debian's own /etc/mail/access (core/src/test/resources/debian/access) failed with "access:105:
   * empty key". What sendmail 8.17 makes of its tag-only entries is in debian/access-defaults.bt:
   * ClientRate: and ClientConn: are every other client's limits, GreetPause: is never looked up.
   */
  @Test
  void debianAccessFileLoadsWithItsTagOnlyDefaults() throws Exception {
    java.nio.file.Path file = java.nio.file.Path.of(getClass().getResource("/debian/access").toURI());
    AccessDb db = AccessDb.load(file);
    Trace t = new Trace();
    assertEquals(10, db.clientLimit(AccessDb.Limit.RATE, ip("10.1.2.3"), t).orElseThrow().limit());
    assertTrue(t.steps().get(0).contains("access:106 "), t.toString());
    assertEquals(10, db.clientLimit(AccessDb.Limit.CONN, ip("10.1.2.3"), new Trace()).orElseThrow().limit());
    assertEquals(0, db.clientLimit(AccessDb.Limit.RATE, ip("127.0.0.1"), new Trace()).orElseThrow().limit());
    assertEquals(0, db.clientLimit(AccessDb.Limit.CONN, ip("::1"), new Trace()).orElseThrow().limit());
    assertEquals(Optional.of(java.time.Duration.ZERO), db.greetPause(null, ip("127.0.0.1"), new Trace()));
    assertEquals(Optional.empty(), db.greetPause("foo.example", ip("10.1.2.3"), new Trace()));
    assertEquals(List.of(105), db.ignored().stream().map(i -> i.entry().line()).toList());
    assertTrue(db.ignored().get(0).reason().contains("never looks up a GreetPause: entry without a key"));
    assertTrue(answer(db, "client 127.0.0.1").endsWith("access:76 RELAY"), answer(db, "client 127.0.0.1"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badLimits")
  void refusesClientLimitsThatSendmailCouldNotUse(String text, String reason) {
    MapFileException e = assertThrows(MapFileException.class, () -> AccessDb.of(TestTables.entries("access", text)));
    assertEquals("access:1: " + reason, e.getMessage());
  }

  static Stream<Arguments> badLimits() {
    return Stream.of(
        Arguments.of("ClientRate:\tmany", "ClientRate: takes a number of connections, got 'many'"),
        Arguments.of("ClientConn:host.example\t5",
            "ClientConn: takes an IP address or network (sendmail looks up the client's address only), not 'host.example'"),
        Arguments.of("GreetPause:\tsoon", "GreetPause: takes a number of milliseconds, got 'soon'"));
  }

  @Test
  void greetPauseEntriesGiveTheirClientsOwnPause() throws Exception {
    AccessDb db = AccessDb.of(TestTables.entries("access", """
        GreetPause:slow.example.com	5000
        GreetPause:example.com	1000
        GreetPause:192.0.2	0
        GreetPause:192.0.2.9	250
        Connect:192.0.2	RELAY
        """));
    InetAddress a = InetAddress.getByName("192.0.2.7");
    InetAddress b = InetAddress.getByName("192.0.2.9");
    InetAddress c = InetAddress.getByName("198.51.100.1");
    assertEquals(Optional.of(java.time.Duration.ofMillis(5000)), db.greetPause("slow.example.com", c, new Trace()));
    assertEquals(Optional.of(java.time.Duration.ofMillis(1000)), db.greetPause("mx.example.com", c, new Trace()));
    assertEquals(Optional.of(java.time.Duration.ZERO), db.greetPause(null, a, new Trace()));
    assertEquals(Optional.of(java.time.Duration.ofMillis(250)), db.greetPause(null, b, new Trace()));
    assertEquals(Optional.empty(), db.greetPause("other.test", c, new Trace()));
    assertTrue(db.unused().isEmpty(), "GreetPause: is read, not set aside");
  }

  @Test
  void greetPauseTakesMilliseconds() {
    MapFileException e = assertThrows(MapFileException.class,
        () -> AccessDb.of(TestTables.entries("access", "GreetPause:example.com\t5s\n")));
    assertTrue(e.getMessage().endsWith("GreetPause: takes a number of milliseconds, got '5s'"), e.getMessage());
  }
}
