package io.mailstream.core.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.address.MailAddress;
import io.mailstream.core.config.ConfigBuilder;
import io.mailstream.core.config.ConfigReader;
import io.mailstream.core.event.Destination;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Routing a deferred recipient again after the rules changed: only its mailer and host are decided
 * again, and the fingerprint that tells delivery the rules changed moves exactly when a next hop
 * could.
 */
class RouteAgainTest {
  @TempDir Path dir;

  private RuleSet load(String smartHost, String mailertable, String aliases) throws Exception {
    Files.writeString(dir.resolve("mailertable"), mailertable);
    Files.writeString(dir.resolve("aliases"), aliases);
    Files.writeString(dir.resolve("mailstream.yaml"), "hostname: gw.example.com\n"
        + "local-domains: [example.com]\n"
        + (smartHost == null ? "" : "smart-host: \"" + smartHost + "\"\n")
        + "routing:\n  mailertable: mailertable\n  aliases: aliases\n");
    ConfigBuilder b = new ConfigBuilder();
    ConfigReader.read(dir.resolve("mailstream.yaml"), b);
    return RuleSet.load(b.build());
  }

  private static String triple(Resolved r) {
    if (r instanceof Resolved.Fail f) {
      return "error " + f.reply().toReply();
    }
    Resolved.Deliver d = (Resolved.Deliver) r;
    Destination dest = d.destination();
    return dest.mailer() + " " + (dest.host() == null ? "-" : dest.mxLookup() ? dest.host() : "[" + dest.host() + "]")
        + " " + d.recipient();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // The address as the first routing left it: no alias or virtusertable applies again.
        "staff@example.com     | local - staff@gw.example.com",
        "bob@corp.example      | relay [mail.corp.example] bob@corp.example",
        "bob@other.example     | relay [smart.example] bob@other.example",
        // proto.m4 ruleset 0: a numeric address goes to the SMART_HOST when there is one.
        "bob@[192.0.2.7]       | relay [smart.example] bob@[192.0.2.7]",
        // A mailertable entry naming a user gives mailer and host; the address is not rewritten twice.
        "bob@users.example     | esmtp [mx.users.example] bob@users.example",
        "bob@inside.example    | local - bob@gw.example.com",
        "bob@gone.example      | error 550 5.1.2 gone",
      })
  void routesAnExpandedRecipientToMailerAndHostOnly(String recipient, String expected) throws Exception {
    RuleSet rules = load("[smart.example]",
        "corp.example relay:[mail.corp.example]\n"
            + "users.example esmtp:postmaster@[mx.users.example]\n"
            + "inside.example local:\n"
            + "gone.example error:5.1.2:550 gone\n",
        "staff: jane, bob@corp.example\n");
    assertEquals(expected, triple(rules.routeAgain(MailAddress.parse(recipient), new Trace())));
  }

  @Test
  void anAliasIsNotExpandedASecondTime() throws Exception {
    RuleSet rules = load(null, "", "staff: jane, bob@corp.example\n");
    assertEquals(2, rules.resolve(MailAddress.parse("staff@example.com"), new Trace()).size(), "the first routing expands");
    assertEquals("local - staff@gw.example.com", triple(rules.routeAgain(MailAddress.parse("staff@example.com"), new Trace())));
    assertEquals("esmtp corp.example bob@corp.example",
        triple(rules.routeAgain(MailAddress.parse("bob@corp.example"), new Trace())), "MX without a smart host");
  }

  @Test
  void fingerprintMovesWithWhatDecidesTheNextHopOnly() throws Exception {
    String base = load("[smart.example]", "corp.example relay:[a.example]\n", "staff: jane\n").fingerprint();
    assertEquals(base, load("[smart.example]", "corp.example relay:[a.example]\n", "staff: jane\n").fingerprint());
    assertEquals(base, load("[smart.example]", "\n# moved\ncorp.example relay:[a.example]\n", "staff: jane\n").fingerprint(),
        "moving an entry within the file routes nothing elsewhere");
    assertEquals(base, load("[smart.example]", "corp.example relay:[a.example]\n", "staff: joe\n").fingerprint(),
        "aliases are not applied again, so they do not count");
    assertNotEquals(base, load("[smart2.example]", "corp.example relay:[a.example]\n", "staff: jane\n").fingerprint());
    assertNotEquals(base, load("[smart.example]", "corp.example relay:[b.example]\n", "staff: jane\n").fingerprint());
    assertNotEquals(base, load(null, "corp.example relay:[a.example]\n", "staff: jane\n").fingerprint());
    assertTrue(base.matches("[0-9a-f]{12}"), base);
  }
}
