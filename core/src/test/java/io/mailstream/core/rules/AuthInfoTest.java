package io.mailstream.core.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.rules.AuthInfo.Credentials;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** FEATURE(authinfo)'s text format and sendmail's lookup order: name, address, default. */
class AuthInfoTest {
  @TempDir Path dir;

  private AuthInfo load(String... lines) throws MapFileException {
    try {
      Path file = Files.writeString(dir.resolve("client-info"), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
      return AuthInfo.load(file);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void readsTheSeedsLine() throws Exception {
    AuthInfo a = load("# client-info", "AuthInfo:mailserver.somedom.com \"U:root\" \"I:user_name\" \"P:password\"");

    Credentials c = a.lookup("mailserver.somedom.com", "192.0.2.1").orElseThrow();

    assertEquals("root", c.user());
    assertEquals("user_name", c.authid());
    assertEquals("password", c.password());
    assertEquals(List.of(), c.mechanisms());
    assertEquals("client-info:2", c.where());
    assertFalse(c.toString().contains("password"), c.toString());
  }

  @Test
  void base64PasswordRealmMechanismsAndOneIdForBoth() throws Exception {
    AuthInfo a = load("AuthInfo:smtp.isp.example \"I:relay\" \"P=cGFzcyB3b3Jk\" \"R:isp.example\" \"M:LOGIN PLAIN\"");

    Credentials c = a.lookup("SMTP.ISP.EXAMPLE.", null).orElseThrow();

    assertEquals("relay", c.user());
    assertEquals("relay", c.authid());
    assertEquals("pass word", c.password());
    assertEquals("isp.example", c.realm());
    assertEquals(List.of("LOGIN", "PLAIN"), c.mechanisms());
    assertEquals(Optional.of("LOGIN"), c.choose(List.of("PLAIN", "LOGIN")));
    assertEquals(Optional.of("PLAIN"), c.choose(List.of("PLAIN", "CRAM-MD5")));
    assertEquals(Optional.empty(), c.choose(List.of("CRAM-MD5")));
  }

  @ParameterizedTest(name = "{0} [{1}] -> {2}")
  @CsvSource({
    "smtp.isp.example, 192.0.2.25, by-name",
    "[smtp.isp.example], , by-name",
    "other.example, 192.0.2.25, by-address",
    "192.0.2.25, 192.0.2.25, by-address",
    "other.example, 2001:db8::1, by-v6",
    "other.example, 192.0.2.99, default",
    ", , default",
  })
  void lookupOrderIsNameThenAddressThenDefault(String host, String ip, String expected) throws Exception {
    AuthInfo a = load(
        "AuthInfo:smtp.isp.example \"U:by-name\" \"P:x\"",
        "AuthInfo:192.0.2.25 \"U:by-address\" \"P:x\"",
        "AuthInfo:IPv6:2001:db8::1 \"U:by-v6\" \"P:x\"",
        "AuthInfo: \"U:default\" \"P:x\"");

    assertEquals(expected, a.lookup(host, ip).orElseThrow().user());
  }

  @Test
  void noDefaultEntryMeansNoCredentials() throws Exception {
    AuthInfo a = load("AuthInfo:smtp.isp.example \"U:relay\" \"P:x\"");

    assertTrue(a.lookup("other.example", "192.0.2.1").isEmpty());
    assertTrue(AuthInfo.none().lookup("smtp.isp.example", null).isEmpty());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "relayhost.example \"U:a\" \"P:b\"| client-info:2: expected 'AuthInfo:host', got 'relayhost.example'",
        "AuthInfo:h U:a| client-info:2: expected a quoted item like \"U:user\", got 'U:a'",
        "AuthInfo:h \"U:a\" \"P:b| client-info:2: unterminated quote (item P)",
        "AuthInfo:h \"X:a\" \"P:b\"| client-info:2: unknown item 'X' (use U, I, P, R or M)",
        "AuthInfo:h \"U:a\"| client-info:2: needs a password (\"P:password\" or \"P=base64\")",
        "AuthInfo:h \"P:b\"| client-info:2: needs \"U:user\" or \"I:authid\"",
        "AuthInfo:h \"U:a\" \"P=%%%\"| client-info:2: item P= is not valid base64",
        "AuthInfo:h \"U:a\" \"U:b\" \"P:c\"| client-info:2: item U given twice",
        "AuthInfo:h \"U:a\" \"P:b\" \"M:CRAM-MD5\"| client-info:2: M: lists no mechanism Mailstream supports (PLAIN, LOGIN): CRAM-MD5",
        "AuthInfo:ok.example \"U:a\" \"P:b\"| client-info:2: duplicate entry for 'AuthInfo:ok.example' (first at line 1)",
      })
  void badLinesNameFileAndLine(String line, String message) {
    MapFileException e = assertThrows(MapFileException.class, () -> load("AuthInfo:ok.example \"U:a\" \"P:b\"", line));

    assertTrue(e.getMessage().endsWith(message.strip()), e.getMessage());
    assertTrue(e.getMessage().contains("client-info:2"), e.getMessage());
  }

  @Test
  void errorsNeverShowThePassword() {
    MapFileException e = assertThrows(MapFileException.class, () -> load("AuthInfo:h \"U:a\" \"P:hunter2 \"Q:x\""));

    assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
  }
}
