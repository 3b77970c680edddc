package io.mailstream.core.address;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The path arguments of MAIL FROM and RCPT TO (RFC 5321 4.1.2). */
class SmtpPathTest {

  static Stream<Arguments> valid() {
    return Stream.of(
        // argument, allowNull, address as printed, parameters
        Arguments.of("<user@example.com>", false, "user@example.com", ""),
        Arguments.of("<user@example.com>", true, "user@example.com", ""),
        Arguments.of("<user@example.com> SIZE=1000 BODY=8BITMIME", false, "user@example.com",
            "SIZE=1000 BODY=8BITMIME"),
        Arguments.of("<user@example.com>   NOTIFY=NEVER  ", false, "user@example.com",
            "NOTIFY=NEVER"),
        Arguments.of("<user@example.com> ", false, "user@example.com", ""),
        Arguments.of("<>", true, "", ""),
        Arguments.of("<> SIZE=2048", true, "", "SIZE=2048"),
        Arguments.of("<\"a@b\"@example.com>", false, "\"a@b\"@example.com", ""),
        Arguments.of("<\"a>b\"@example.com> SIZE=1", false, "\"a>b\"@example.com", "SIZE=1"),
        Arguments.of("<\"a\\\"> b\"@example.com>", false, "\"a\\\"> b\"@example.com", ""),
        Arguments.of("<user@[192.0.2.1]>", false, "user@[192.0.2.1]", ""),
        Arguments.of("<user@[IPv6:::1]>", false, "user@[IPv6:::1]", ""),
        Arguments.of("<user@example.com.>", false, "user@example.com.", ""),
        Arguments.of("<jösé@例子.广告> SMTPUTF8", true, "jösé@例子.广告", "SMTPUTF8"),
        // RFC 5321 4.1.1.3: source routes are accepted and ignored.
        Arguments.of("<@a.example:user@c.example>", false, "user@c.example", ""),
        Arguments.of("<@a.example,@b.example:user@c.example>", false, "user@c.example", ""),
        Arguments.of("<@[192.0.2.1]:user@c.example>", false, "user@c.example", ""),
        Arguments.of("<@[IPv6:::1],@b.example:user@c.example>", false, "user@c.example", ""),
        Arguments.of("<@a.example:\"x:y\"@c.example>", false, "\"x:y\"@c.example", ""),
        // RFC 5321 4.5.1: Postmaster without a domain, in any case.
        Arguments.of("<Postmaster>", false, "Postmaster", ""),
        Arguments.of("<postmaster> NOTIFY=NEVER", false, "postmaster", "NOTIFY=NEVER"),
        Arguments.of("<POSTMASTER>", false, "POSTMASTER", ""));
  }

  @ParameterizedTest(name = "{0} allowNull={1}")
  @MethodSource("valid")
  void parsesPath(String arg, boolean allowNull, String address, String parameters)
      throws AddressException {
    SmtpPath.Parsed p = SmtpPath.parse(arg, allowNull);
    assertEquals(address, p.address().toString());
    assertEquals(parameters, p.parameters());
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        // argument, allowNull, exact message
        Arguments.of("<>", false, "null path not allowed here"),
        Arguments.of("<> SIZE=1", false, "null path not allowed here"),
        Arguments.of("user@example.com", false, "path must be enclosed in angle brackets"),
        Arguments.of("", true, "path must be enclosed in angle brackets"),
        Arguments.of(" <user@example.com>", false, "path must be enclosed in angle brackets"),
        Arguments.of("user@example.com>", false, "path must be enclosed in angle brackets"),
        Arguments.of("<user@example.com", false, "missing '>' at end of path"),
        Arguments.of("<", true, "missing '>' at end of path"),
        Arguments.of("<\"a>b@example.com", false, "missing '>' at end of path"),
        Arguments.of("<user@example.com>x", false, "unexpected text after path"),
        Arguments.of("<user@example.com>SIZE=1", false, "unexpected text after path"),
        Arguments.of("<user@example.com>>", false, "unexpected text after path"),
        Arguments.of("<>x", true, "unexpected text after path"),
        Arguments.of("<user@example.com>\tSIZE=1", false, "unexpected text after path"),
        Arguments.of("<user>", false, "no @domain in address"),
        Arguments.of("<user@>", false, "empty domain"),
        Arguments.of("<Postmaster@>", false, "empty domain"),
        Arguments.of("< user@example.com>", false, "invalid character ' ' in local part"),
        Arguments.of("<user@example.com >", false, "invalid character ' ' in domain"),
        Arguments.of("<<user@example.com>>", false, "invalid character '<' in local part"),
        Arguments.of("<@a.example user@c.example>", false, "source route without ':'"),
        Arguments.of("<@a.example:>", false, "no @domain in address"),
        Arguments.of("<@a.example,b.example:user@c.example>", false, "malformed source route"),
        Arguments.of("<@a.example,:user@c.example>", false, "malformed source route"),
        Arguments.of("<@:user@c.example>", false, "empty domain"),
        Arguments.of("<@a..example:user@c.example>", false, "invalid domain label in a..example"),
        Arguments.of("<@[300.0.0.1]:user@c.example>", false,
            "malformed address literal [300.0.0.1]"),
        Arguments.of("<@[IPv6:::1:user@c.example>", false, "source route without ':'"));
  }

  /**
   * A fuzzer finding (AddressFuzzTest, seed quoted-pair-control-character): a backslash let a
   * control character into a quoted local part, which RFC 5321's quoted-pairSMTP (%d92 %d32-126)
   * does not allow; a CR or LF there would split the next hop's RCPT command or a header line.
   */
  static Stream<Arguments> controlCharacterAfterBackslash() {
    return Stream.of(
        Arguments.of("<\"a\\\u001b\"@example.com>", "invalid character '\\x1b' after backslash in quoted local part"),
        Arguments.of("<\"a\\\r\\\n\"@example.com>", "invalid character '\\x0d' after backslash in quoted local part"),
        Arguments.of("<\"a\\\u0000\"@example.com>", "invalid character '\\x00' after backslash in quoted local part"),
        Arguments.of("<\"a\\\u00e9\"@example.com>", "invalid character '\u00e9' after backslash in quoted local part"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("controlCharacterAfterBackslash")
  void quotedPairIsABackslashAndAPrintableAsciiCharacter(String arg, String message) {
    AddressException e = assertThrows(AddressException.class, () -> SmtpPath.parse(arg, false, true));
    assertEquals(message, e.getMessage());
    assertThrows(AddressException.class, () -> MailAddress.parse(arg.substring(1, arg.length() - 1)));
  }

  @Test
  void quotedPairOfPrintableAsciiStaysAllowed() throws AddressException {
    assertEquals("\"a\\\"b\\ \"@example.com", SmtpPath.parse("<\"a\\\"b\\ \"@example.com>", false).address().toString());
  }

  @ParameterizedTest(name = "{0} allowNull={1} -> {2}")
  @MethodSource("invalid")
  void rejectsPath(String arg, boolean allowNull, String message) {
    AddressException e = assertThrows(AddressException.class, () -> SmtpPath.parse(arg, allowNull));
    assertEquals(message, e.getMessage());
  }

  @Test
  void nullPathIsTheNullSender() throws AddressException {
    assertSame(MailAddress.NULL_SENDER, SmtpPath.parse("<>", true).address());
  }

  @Test
  void postmasterHasNoDomain() throws AddressException {
    MailAddress a = SmtpPath.parse("<Postmaster>", false).address();
    assertEquals("Postmaster", a.localPart());
    assertNull(a.domain());
  }

  @Test
  void sourceRouteIsDropped() throws AddressException {
    MailAddress a = SmtpPath.parse("<@a.example,@b.example:user@c.example>", false).address();
    assertEquals(new MailAddress("user", "c.example"), a);
  }
}
