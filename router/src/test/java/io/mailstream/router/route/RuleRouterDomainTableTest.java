package io.mailstream.router.route;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mailstream.core.address.MailAddress;
import io.mailstream.core.config.ConfigBuilder;
import io.mailstream.core.event.BodyRef;
import io.mailstream.core.event.ClientInfo;
import io.mailstream.core.event.EnvelopeRecipient;
import io.mailstream.core.event.HeaderEdit;
import io.mailstream.core.event.MessageAccepted;
import io.mailstream.core.event.RecipientRouted;
import io.mailstream.core.rules.RuleSet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FEATURE(domaintable) renames in all four positions, as sendmail 8.17 does
 * (core/src/test/resources/sendmail-bt/01-domaintable-four-positions): the envelope recipient
 * through routing, the envelope sender and the header addresses through the router's rewriting,
 * even with no masquerading configured.
 */
class RuleRouterDomainTableTest {
  @TempDir Path dir;

  @Test
  void renamesEnvelopeAndHeaderAddressesWithoutMasquerading() throws Exception {
    Path table = Files.writeString(dir.resolve("domaintable"), "old.example\tnew.example\n");
    ConfigBuilder b = new ConfigBuilder().hostname("relay.test").smartHost("127.0.0.1:2599");
    b.routing().map("domaintable", table);
    String head = "From: Ann <ann@OLD.Example>\r\nTo: bob@old.example., carol@other.example\r\nSubject: x\r\n\r\n";
    RuleRouter router = new RuleRouter(RuleSet.load(b.build()), m -> head.getBytes(StandardCharsets.US_ASCII));
    MessageAccepted message = new MessageAccepted("q1", 1_000, new MailAddress("ann", "Old.Example"),
        List.of(EnvelopeRecipient.of(new MailAddress("bob", "OLD.example"))),
        new ClientInfo("c", "127.0.0.1", null, "ESMTP", null), null, "Received: x\r\n",
        new BodyRef(0, List.of(0L), 10), MessageAccepted.DsnRequest.NONE);

    RecipientRouted routed = router.plan(message, 2_000).routed().get(0);

    assertEquals("ann@new.example", routed.envelopeSender().toString());
    assertEquals("bob@new.example", routed.recipients().get(0).address().toString());
    assertEquals("From: Ann <ann@new.example>\r\nTo: bob@new.example, carol@other.example\r\nSubject: x\r\n\r\n",
        apply(head, routed.headerEdits()));
  }

  private static String apply(String head, List<HeaderEdit> edits) {
    StringBuilder out = new StringBuilder(head);
    for (int i = edits.size() - 1; i >= 0; i--) {
      HeaderEdit e = edits.get(i);
      out.replace((int) e.offset(), (int) e.offset() + e.length(), e.replacement());
    }
    return out.toString();
  }
}
