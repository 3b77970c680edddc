package io.mailstream.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The smtp section's anti-abuse keys: what the file says, and sendmail's defaults otherwise. */
class SmtpConfigTest {
  @TempDir Path tmp;

  private SmtpSettings read(String yaml) throws Exception {
    Path file = tmp.resolve("mailstream.yaml");
    Files.writeString(file, yaml);
    ConfigBuilder b = new ConfigBuilder().hostname("mx.test");
    ConfigReader.read(file, b);
    return b.build().smtp();
  }

  @Test
  void everyAntiAbuseKey() throws Exception {
    SmtpSettings s =
        read(
            """
            smtp:
              banner: "$j ESMTP ready"
              greet-pause: 5s
              command-timeout: 10m
              bad-rcpt-throttle: 3
              connection-rate-throttle: 15
              max-connections: 200
              max-connections-per-ip: 10
              privacy: [needmailhelo, noverb, noetrn]
            """);
    assertEquals("mx.test ESMTP ready", s.banner("mx.test"));
    assertEquals(Duration.ofSeconds(5), s.greetPause());
    assertEquals(Duration.ofMinutes(10), s.commandTimeout());
    assertEquals(3, s.badRcptThrottle());
    assertEquals(15, s.connectionRateThrottle());
    assertEquals(200, s.maxConnections());
    assertEquals(10, s.maxConnectionsPerIp());
    assertEquals(EnumSet.of(PrivacyFlag.NEEDMAILHELO, PrivacyFlag.NOVERB, PrivacyFlag.NOETRN), s.privacy());
  }

  @Test
  void defaults() throws Exception {
    SmtpSettings s = read("hostname: mx.test\n");
    assertEquals("mx.test ESMTP Mailstream", s.banner("mx.test"));
    assertTrue(s.greetPause().isZero());
    // RFC 5321 4.5.3.2.7's five minutes, not sendmail's hour.
    assertEquals(Duration.ofMinutes(5), s.commandTimeout());
    assertEquals(0, s.badRcptThrottle());
    assertEquals(0, s.connectionRateThrottle());
    assertEquals(1000, s.maxConnections());
    assertEquals(50, s.maxConnectionsPerIp());
    // sendmail's generic .mc files: authwarnings,novrfy,noexpn.
    assertEquals(Set.of(PrivacyFlag.AUTHWARNINGS, PrivacyFlag.NOVRFY, PrivacyFlag.NOEXPN), s.privacy());
  }

  @Test
  void privacyAsOneCommaSeparatedValueAsInSendmailMc() throws Exception {
    SmtpSettings s = read("smtp:\n  privacy: \"novrfy, noexpn,noverb\"\n");
    assertEquals(EnumSet.of(PrivacyFlag.NOVRFY, PrivacyFlag.NOEXPN, PrivacyFlag.NOVERB), s.privacy());
  }

  @Test
  void publicIsNothing() throws Exception {
    assertTrue(read("smtp:\n  privacy: public\n").privacy().isEmpty());
  }

  @ParameterizedTest
  @CsvSource({
    "novrfy, NOVRFY",
    "NoExpn, NOEXPN",
    "needexpnhelo, NEEDEXPNHELO",
    "needvrfyhelo, NEEDVRFYHELO",
    "noreceipts, NORECEIPTS",
    "nobodyreturn, NOBODYRETN",
  })
  void flagNames(String name, PrivacyFlag flag) {
    assertEquals(Set.of(flag), PrivacyFlag.parse(List.of(name)));
  }

  @Test
  void goawayHasTheRestrictingFlags() {
    Set<PrivacyFlag> goaway = PrivacyFlag.parse(List.of("goaway"));
    assertTrue(goaway.containsAll(EnumSet.of(
        PrivacyFlag.NOVRFY, PrivacyFlag.NOEXPN, PrivacyFlag.NOVERB, PrivacyFlag.NEEDMAILHELO,
        PrivacyFlag.NEEDEXPNHELO, PrivacyFlag.NEEDVRFYHELO, PrivacyFlag.AUTHWARNINGS)));
    // sendmail.h: PRIV_GOAWAY is 0x0000ffff, and noetrn, noreceipts and nobodyreturn lie above.
    assertFalse(goaway.contains(PrivacyFlag.NOETRN));
    assertFalse(goaway.contains(PrivacyFlag.NOBODYRETN));
    assertFalse(goaway.contains(PrivacyFlag.NORECEIPTS));
  }

  @Test
  void sendmailFlagsWithNothingToRestrictAreAccepted() {
    assertEquals(
        Set.of(PrivacyFlag.AUTHWARNINGS, PrivacyFlag.NOVRFY, PrivacyFlag.NOEXPN),
        PrivacyFlag.parse(List.of("authwarnings,novrfy,noexpn,restrictqrun,restrictmailq")));
  }

  @Test
  void greetPauseZeroIsOff() throws Exception {
    assertTrue(read("smtp:\n  greet-pause: 0s\n").greetPause().isZero());
  }

  @ParameterizedTest
  @CsvSource({"1s, PT1S", "90s, PT1M30S", "2h, PT2H"})
  void commandTimeoutFromOneSecondToTwoHours(String text, Duration expected) throws Exception {
    assertEquals(expected, read("smtp:\n  command-timeout: " + text + "\n").commandTimeout());
  }

  @ParameterizedTest
  @CsvSource({"0s", "999ms", "121m", "1d"})
  void commandTimeoutOutsideItsRangeNamesLineAndRange(String text) {
    ConfigException e = assertThrows(ConfigException.class, () -> read("smtp:\n  command-timeout: " + text + "\n"));
    assertEquals(tmp.resolve("mailstream.yaml") + ":2: smtp.command-timeout: must be from 1s to 2h, got '" + text + "'",
        e.getMessage());
  }
}
