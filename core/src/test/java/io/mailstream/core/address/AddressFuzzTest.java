package io.mailstream.core.address;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The fuzz target of address parsing: each input, read as UTF-8, is given to {@link MailAddress#parse}
 * as a mailbox and to {@link SmtpPath#parse} as the argument of MAIL FROM and of RCPT TO, with and
 * without the null path and unqualified recipients.
 *
 * <p>In a normal test run, {@code @FuzzTest} replays the seed corpus in {@code
 * src/test/resources/io/mailstream/core/address/AddressFuzzTestInputs/anyAddress/}; with {@code
 * JAZZER_FUZZ=1} it fuzzes for {@code maxDuration} and writes any failing input there.
 *
 * <p>What must hold whatever the text: parsing succeeds or throws {@link AddressException}, never
 * another exception; what parses prints ({@code toString}, {@code bracketed}) as text that parses
 * again to an equal address with the same parameters, so an address relayed, logged or written to a
 * map means what the client sent; a mailbox parses to exactly its own text; and a parsed address
 * keeps RFC 5321's limits (64 octets of local part, 255 of domain) and holds no control character
 * (a CR or LF in an address would end an SMTP command or a header line at the next hop).
 */
class AddressFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void anyAddress(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    checkMailbox(text);
    for (boolean allowNull : new boolean[] {false, true}) {
      for (boolean allowUnqualified : new boolean[] {false, true}) {
        checkPath(text, allowNull, allowUnqualified);
      }
    }
  }

  private static void checkMailbox(String text) {
    MailAddress a;
    try {
      a = MailAddress.parse(text);
    } catch (AddressException refused) {
      assertNotNull(refused.getMessage());
      return;
    }
    assertEquals(text, a.toString());
    assertNotNull(a.domain());
    assertEquals(a.localPart().length(), MailAddress.domainSeparator(text));
    checkAddress(a);
  }

  private static void checkPath(String text, boolean allowNull, boolean allowUnqualified) {
    SmtpPath.Parsed p;
    try {
      p = SmtpPath.parse(text, allowNull, allowUnqualified);
    } catch (AddressException refused) {
      assertNotNull(refused.getMessage());
      return;
    }
    MailAddress a = p.address();
    assertEquals(p.parameters().strip(), p.parameters());
    if (a.isNullSender()) {
      assertTrue(allowNull, text);
      assertEquals(MailAddress.NULL_SENDER, a);
    } else if (a.domain() == null) {
      assertTrue(allowUnqualified || a.localPart().equalsIgnoreCase("postmaster"), text);
    } else {
      assertEquals(a, reparse(a.toString()));
    }
    checkAddress(a);
    String again = a.bracketed() + (p.parameters().isEmpty() ? "" : " " + p.parameters());
    SmtpPath.Parsed q;
    try {
      q = SmtpPath.parse(again, allowNull, allowUnqualified);
    } catch (AddressException e) {
      throw new AssertionError("'" + text + "' parsed as '" + again + "', which does not parse: " + e.getMessage());
    }
    assertEquals(a, q.address(), text);
    assertEquals(p.parameters(), q.parameters(), text);
  }

  private static void checkAddress(MailAddress a) {
    String all = a.toString();
    for (int i = 0; i < all.length(); i++) {
      char c = all.charAt(i);
      assertFalse(c < 0x20 || c == 0x7f, "control character " + (int) c + " in address '" + all + "'");
    }
    assertTrue(a.localPart().getBytes(StandardCharsets.UTF_8).length <= 64, all);
    if (a.domain() != null) {
      assertTrue(a.domain().getBytes(StandardCharsets.UTF_8).length <= 255, all);
      String key = a.domainKey();
      assertEquals(key.toLowerCase(Locale.ROOT), key);
      assertFalse(key.endsWith("."), all);
    }
  }

  private static MailAddress reparse(String mailbox) {
    try {
      return MailAddress.parse(mailbox);
    } catch (AddressException e) {
      throw new AssertionError("'" + mailbox + "' was parsed from a path but does not parse: " + e.getMessage());
    }
  }
}
