package io.mailstream.core.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mailstream.core.address.MailAddress;
import io.mailstream.core.config.ConfigBuilder;
import io.mailstream.core.config.ConfigReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The whole rule set (class w, virtusertable, mailertable with a {@code .} catch-all) on the edge
 * cases of the issue: trailing dots, IP literals, quoted local parts, upper case, {@code %1} with
 * the catch-all, host lists. Every expected triple is what sendmail 8.17's {@code /parse} printed
 * for the same files (mc: nocanonify, LOCAL_DOMAIN(`example.com [192.0.2.1]'), mailertable,
 * virtusertable, VIRTUSER_DOMAIN(`virt.example')).
 */
class RuleSetEdgeCasesTest {
  @TempDir static Path dir;
  static RuleSet rules;

  @BeforeAll
  static void load() throws Exception {
    Files.writeString(dir.resolve("mailertable"), """
        .\tesmtp:%1.via.example
        corp.example\trelay:[mail.corp.example]
        .corp.example\trelay:mail.corp.example
        backup.example\tesmtp:[mx1.backup.example]:[mx2.backup.example]
        """);
    Files.writeString(dir.resolve("virtusertable"), """
        info@example.com\tjane
        @virt.example\t%1@corp.example
        """);
    Files.writeString(dir.resolve("mailstream.yaml"), """
        hostname: gw.example.com
        local-domains: [example.com, "[192.0.2.1]"]
        routing:
          mailertable: mailertable
          virtusertable: virtusertable
          virtuser-domains: [virt.example]
        """);
    ConfigBuilder b = new ConfigBuilder();
    ConfigReader.read(dir.resolve("mailstream.yaml"), b);
    rules = RuleSet.load(b.build());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // "." matches every domain no other key covers; %1 is then the whole host.
        "u@x.other.example           | esmtp x.other.example.via.example u@x.other.example",
        "u@single                    | esmtp single.via.example u@single",
        // Address literals never reach the mailertable, not even its "." entry.
        "u@[192.0.2.9]               | esmtp [192.0.2.9] u@[192.0.2.9]",
        // ... unless they name this host (class w): then the local mailer.
        "u@[192.0.2.1]               | local - u",
        // Keys compare without case; the trailing dot goes (ruleset 3), the user's case stays.
        "U@X.Corp.Example.           | relay mail.corp.example U@X.Corp.Example",
        "u@corp.example              | relay [mail.corp.example] u@corp.example",
        // A quoted local part passes through untouched.
        "'\"john smith\"@corp.example' | relay [mail.corp.example] \"john smith\"@corp.example",
        // A host list: every host, in order, each with its own brackets (sendmail's $h).
        "u@backup.example            | esmtp [mx1.backup.example]:[mx2.backup.example] u@backup.example",
        // virtusertable: keys without case, trailing dot ignored; %1 keeps the user's case and quotes.
        "info@Example.COM.           | local - jane",
        "User@virt.example           | relay [mail.corp.example] User@corp.example",
        "'\"john smith\"@virt.example' | relay [mail.corp.example] \"john smith\"@corp.example",
      })
  void answersAsSendmailsParse(String address, String expected) throws Exception {
    MailAddress a = MailAddress.parse(address);
    List<Resolved> out = rules.resolve(a, new Trace());
    String got = out.stream().map(RuleSetEdgeCasesTest::triple).collect(Collectors.joining("; "));
    assertEquals(expected, got);
  }

  static String triple(Resolved r) {
    if (r instanceof Resolved.Deliver d) {
      String host = d.destination().host() == null ? "-"
          : d.destination().mxLookup() ? d.destination().host() : "[" + d.destination().host() + "]";
      return d.destination().mailer() + " " + host + " " + d.user();
    }
    return "error " + ((Resolved.Fail) r).reply();
  }
}
