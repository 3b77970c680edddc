package io.mailstream.core.address;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Mailboxes in {@code local@domain} form, as RFC 5321 4.1.2 and 4.1.3 define them. */
class MailAddressTest {

  // 63 octets: the longest DNS label (RFC 1035 2.3.4).
  private static final String LABEL63 = "a".repeat(63);
  // 4 labels of 63 and 3 dots: exactly 255 octets (RFC 5321 4.5.3.1.2).
  private static final String DOMAIN255 = String.join(".", LABEL63, LABEL63, LABEL63, LABEL63);

  static Stream<Arguments> valid() {
    return Stream.of(
        // input, local part, domain
        Arguments.of("user@example.com", "user", "example.com"),
        Arguments.of("first.last@example.com", "first.last", "example.com"),
        Arguments.of("User+Tag@Example.COM", "User+Tag", "Example.COM"),
        Arguments.of("!#$%&'*+-/=?^_`{|}~@example.com", "!#$%&'*+-/=?^_`{|}~", "example.com"),
        Arguments.of("\"john doe\"@example.com", "\"john doe\"", "example.com"),
        Arguments.of("\"a@b\"@example.com", "\"a@b\"", "example.com"),
        Arguments.of("\"x\\\"@y\"@example.com", "\"x\\\"@y\"", "example.com"),
        Arguments.of("\"\"@example.com", "\"\"", "example.com"),
        Arguments.of("\"..\"@example.com", "\"..\"", "example.com"),
        Arguments.of("user@[192.0.2.1]", "user", "[192.0.2.1]"),
        Arguments.of("user@[255.255.255.255]", "user", "[255.255.255.255]"),
        Arguments.of("user@[0.0.0.0]", "user", "[0.0.0.0]"),
        Arguments.of("user@[IPv6:::1]", "user", "[IPv6:::1]"),
        Arguments.of("user@[IPv6:2001:db8::25]", "user", "[IPv6:2001:db8::25]"),
        Arguments.of("user@[ipv6:2001:DB8:0:0:0:0:0:1]", "user", "[ipv6:2001:DB8:0:0:0:0:0:1]"),
        Arguments.of("user@[IPv6:::ffff:192.0.2.1]", "user", "[IPv6:::ffff:192.0.2.1]"),
        Arguments.of("user@[x-tag:opaque.stuff]", "user", "[x-tag:opaque.stuff]"),
        Arguments.of("user@example.com.", "user", "example.com."),
        Arguments.of("user@localhost", "user", "localhost"),
        Arguments.of("user@sub_domain.example", "user", "sub_domain.example"),
        Arguments.of("user@xn--bcher-kva.example", "user", "xn--bcher-kva.example"),
        Arguments.of("user@" + LABEL63 + ".example", "user", LABEL63 + ".example"),
        Arguments.of("a".repeat(64) + "@example.com", "a".repeat(64), "example.com"),
        Arguments.of("user@" + DOMAIN255, "user", DOMAIN255),
        // RFC 6531 (SMTPUTF8): 8-bit local parts and domains.
        Arguments.of("jösé@example.com", "jösé", "example.com"),
        Arguments.of("用户@例子.广告", "用户", "例子.广告"),
        Arguments.of("\"ü ü\"@example.com", "\"ü ü\"", "example.com"),
        // 21 three-octet characters: 63 octets, under the limit.
        Arguments.of("日".repeat(21) + "@example.com", "日".repeat(21), "example.com"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void parsesValidMailbox(String input, String local, String domain) throws AddressException {
    MailAddress a = MailAddress.parse(input);
    assertEquals(local, a.localPart());
    assertEquals(domain, a.domain());
    assertEquals(input, a.toString());
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        // input, exact message
        Arguments.of("", "no @domain in address"),
        Arguments.of("user", "no @domain in address"),
        Arguments.of("\"user@example.com", "no @domain in address"),
        Arguments.of("user@", "empty domain"),
        Arguments.of("@example.com", "empty local part"),
        Arguments.of(".user@example.com", "misplaced dot in local part"),
        Arguments.of("user.@example.com", "misplaced dot in local part"),
        Arguments.of("us..er@example.com", "misplaced dot in local part"),
        Arguments.of("us er@example.com", "invalid character ' ' in local part"),
        Arguments.of("us\ter@example.com", "invalid character '\\x09' in local part"),
        Arguments.of("us(er)@example.com", "invalid character '(' in local part"),
        Arguments.of("a@b@example.com", "invalid character '@' in local part"),
        Arguments.of("\"abc\"x@example.com", "unterminated quoted local part"),
        Arguments.of("\"a\u0001b\"@example.com", "invalid character in quoted local part"),
        Arguments.of("\"a\u007fb\"@example.com", "invalid character in quoted local part"),
        Arguments.of("a".repeat(65) + "@example.com", "local part longer than 64 octets"),
        // 33 two-octet characters: 33 UTF-16 chars but 66 octets on the wire.
        Arguments.of("ü".repeat(33) + "@example.com", "local part longer than 64 octets"),
        Arguments.of("日".repeat(22) + "@example.com", "local part longer than 64 octets"),
        Arguments.of("user@" + DOMAIN255 + "a", "domain longer than 255 octets"),
        // 132 characters, 262 octets.
        Arguments.of("user@" + "ü".repeat(60) + "." + "ü".repeat(60) + "." + "ü".repeat(10),
            "domain longer than 255 octets"),
        Arguments.of("user@" + LABEL63 + "a.example",
            "invalid domain label in " + LABEL63 + "a.example"),
        Arguments.of("user@example..com", "invalid domain label in example..com"),
        Arguments.of("user@.example.com", "invalid domain label in .example.com"),
        Arguments.of("user@example.com..", "invalid domain label in example.com.."),
        Arguments.of("user@.", "invalid domain label in ."),
        Arguments.of("user@-example.com", "domain label starts or ends with '-'"),
        Arguments.of("user@example-.com", "domain label starts or ends with '-'"),
        Arguments.of("user@exa mple.com", "invalid character ' ' in domain"),
        Arguments.of("user@exam!ple.com", "invalid character '!' in domain"),
        Arguments.of("user@example.com>", "invalid character '>' in domain"),
        Arguments.of("user@[192.0.2.1", "malformed address literal [192.0.2.1"),
        Arguments.of("user@[]", "malformed address literal []"),
        Arguments.of("user@[192.0.2]", "malformed address literal [192.0.2]"),
        Arguments.of("user@[192.0.2.1.5]", "malformed address literal [192.0.2.1.5]"),
        Arguments.of("user@[256.0.2.1]", "malformed address literal [256.0.2.1]"),
        Arguments.of("user@[192.0.2.01]", "malformed address literal [192.0.2.01]"),
        Arguments.of("user@[ 192.0.2.1]", "malformed address literal [ 192.0.2.1]"),
        Arguments.of("user@[::1]", "malformed address literal [::1]"),
        Arguments.of("user@[IPv6:]", "malformed address literal [IPv6:]"),
        Arguments.of("user@[IPv6:192.0.2.1]", "malformed address literal [IPv6:192.0.2.1]"),
        Arguments.of("user@[IPv6:::g]", "malformed address literal [IPv6:::g]"),
        Arguments.of("user@[IPv6:1:2:3:4:5:6:7:8:9]",
            "malformed address literal [IPv6:1:2:3:4:5:6:7:8:9]"),
        Arguments.of("user@[IPv6:fe80::1%eth0]", "malformed address literal [IPv6:fe80::1%eth0]"),
        Arguments.of("user@[example.com]", "malformed address literal [example.com]"),
        Arguments.of("user@[tag:]", "malformed address literal [tag:]"),
        Arguments.of("user@[-tag:x]", "malformed address literal [-tag:x]"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("invalid")
  void rejectsInvalidMailbox(String input, String message) {
    AddressException e = assertThrows(AddressException.class, () -> MailAddress.parse(input));
    assertEquals(message, e.getMessage());
  }

  @Test
  void domainKeyIgnoresCaseAndTrailingDot() throws AddressException {
    assertEquals("example.com", MailAddress.parse("User@Example.COM.").domainKey());
    assertEquals("example.com", MailAddress.parse("user@example.com").domainKey());
    assertNull(new MailAddress("Postmaster", null).domainKey());
  }

  @Test
  void localPartKeepsCase() throws AddressException {
    assertEquals("User", MailAddress.parse("User@example.com").localPart());
    MailAddress upper = MailAddress.parse("User@example.com");
    assertFalse(upper.equals(MailAddress.parse("user@example.com")));
  }

  @Test
  void unquotedLocalPartRemovesQuotesAndEscapes() throws AddressException {
    assertEquals("john doe", MailAddress.parse("\"john doe\"@example.com").unquotedLocalPart());
    assertEquals("a\"b\\c", MailAddress.parse("\"a\\\"b\\\\c\"@example.com").unquotedLocalPart());
    assertEquals("plain", MailAddress.parse("plain@example.com").unquotedLocalPart());
  }

  @Test
  void addressLiteralIsRecognised() throws AddressException {
    assertTrue(MailAddress.parse("user@[192.0.2.1]").hasAddressLiteral());
    assertTrue(MailAddress.parse("user@[IPv6:::1]").hasAddressLiteral());
    assertFalse(MailAddress.parse("user@example.com").hasAddressLiteral());
    assertFalse(new MailAddress("Postmaster", null).hasAddressLiteral());
  }

  @Test
  void nullSenderIsEmptyBetweenBrackets() {
    assertTrue(MailAddress.NULL_SENDER.isNullSender());
    assertEquals("", MailAddress.NULL_SENDER.toString());
    assertEquals("<>", MailAddress.NULL_SENDER.bracketed());
    assertFalse(new MailAddress("Postmaster", null).isNullSender());
  }

  @Test
  void printsAsSendmailLogsIt() throws AddressException {
    assertEquals("<user@example.com>", MailAddress.parse("user@example.com").bracketed());
    assertEquals("<Postmaster>", new MailAddress("Postmaster", null).bracketed());
  }

  @Test
  void constructorRejectsEmptyDomainAndNullLocalPart() {
    assertThrows(IllegalArgumentException.class, () -> new MailAddress("user", ""));
    assertThrows(NullPointerException.class, () -> new MailAddress(null, "example.com"));
  }
}
