package io.mailstream.core.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mailstream.core.config.ConfigBuilder;
import io.mailstream.core.config.ConfigReader;
import io.mailstream.core.event.Destination;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Metric labels name only the next hops an operator configured (smart host, mailertable hosts);
 * the MX hosts of every other domain share {@code other}, so the label set stays bounded.
 */
class DestinationLabelsTest {
  @TempDir static Path dir;
  static RuleSet rules;

  @BeforeAll
  static void load() throws Exception {
    Files.writeString(dir.resolve("mailertable"), """
        corp.example\trelay:[Mail.Corp.example]
        backup.example\tesmtp:[mx1.backup.example]:[mx2.backup.example]
        .dyn.example\tesmtp:%1.via.example
        nobody.example\terror:5.1.1:550 no such user
        v6.example\tesmtp:[IPv6:2001:db8::25]
        """);
    Files.writeString(dir.resolve("mailstream.yaml"), """
        hostname: gw.example.com
        smart-host: "[smtp.isp.example]:587"
        routing:
          mailertable: mailertable
        """);
    ConfigBuilder b = new ConfigBuilder();
    ConfigReader.read(dir.resolve("mailstream.yaml"), b);
    rules = RuleSet.load(b.build());
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "relay | smtp.isp.example                          | smtp.isp.example",
        "relay | mail.corp.example                         | mail.corp.example",
        "esmtp | [mx1.backup.example]:[mx2.backup.example] | [mx1.backup.example]:[mx2.backup.example]",
        "esmtp | [mx1.backup.example]:[mx9.example]        | other",
        // %1 makes a host per domain: not a configured name.
        "esmtp | a.via.example                             | other",
        "esmtp | 2001:db8::25                              | 2001:db8::25",
        "esmtp | mx.gmail.example                          | other",
      })
  void labels(String mailer, String host, String expected) {
    assertEquals(expected, rules.destinationLabels().label(new Destination(mailer, host, 25, true)));
  }

  @org.junit.jupiter.api.Test
  void localAndNothingConfigured() throws Exception {
    assertEquals("local", rules.destinationLabels().label(Destination.local()));
    assertEquals("other", DestinationLabels.none().label(new Destination("relay", "smtp.isp.example", 25, false)));
    assertEquals(Set.of("mail.corp.example", "mx1.backup.example", "mx2.backup.example", "2001:db8::25"),
        MailerTable.load(dir.resolve("mailertable")).relayHosts());
  }
}
