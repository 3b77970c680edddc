package io.mailstream.router.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.mailstream.core.address.MailAddress;
import io.mailstream.core.config.ConfigBuilder;
import io.mailstream.core.event.BodyRef;
import io.mailstream.core.event.ClientInfo;
import io.mailstream.core.event.EnvelopeRecipient;
import io.mailstream.core.event.MessageAccepted;
import io.mailstream.core.event.RecipientRouted;
import io.mailstream.core.rules.RuleSet;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The From a node adds to a local submission that had none ({@code sendmail -bs}) travels with the
 * trace field, not in the body; the router masquerades it for each destination as it masquerades a
 * From in the body, and touches nothing else there.
 */
class RuleRouterAddedFromTest {
  private static final String RECEIVED = "Received: (from root@localhost)\r\n"
      + "\tby relay.test (Mailstream) with ESMTP id q1\r\n"
      + "\tfor <bob@elsewhere.test>; Sat, 5 Dec 2026 05:20:00 +0000\r\n";
  private static final String ADDED = "Date: Sat, 5 Dec 2026 05:20:00 +0000\r\n"
      + "From: root@relay.test\r\n"
      + "Message-ID: <20261205052000.q1@relay.test>\r\n";

  @Test
  void theAddedFromIsMasqueradedLikeOneInTheBody() throws Exception {
    RuleRouter router = masquerading();
    RecipientRouted routed = router.plan(message(RECEIVED + ADDED), 2_000).routed().get(0);
    assertEquals(RECEIVED + ADDED.replace("From: root@relay.test", "From: root@corp.example"),
        routed.message().receivedHeader());
  }

  @Test
  void withoutAnAddedFromTheFieldsAreLeftAlone() throws Exception {
    RuleRouter router = masquerading();
    MessageAccepted plain = message(RECEIVED);
    assertSame(plain, router.plan(plain, 2_000).routed().get(0).message());
  }

  @Test
  void withoutMasqueradingTheAddedFromStaysAsAdded() throws Exception {
    ConfigBuilder b = new ConfigBuilder().hostname("relay.test").smartHost("127.0.0.1:2599");
    RuleRouter router = new RuleRouter(RuleSet.load(b.build()), m -> head());
    RecipientRouted routed = router.plan(message(RECEIVED + ADDED), 2_000).routed().get(0);
    assertEquals(RECEIVED + ADDED, routed.message().receivedHeader());
  }

  private static RuleRouter masquerading() throws Exception {
    ConfigBuilder b = new ConfigBuilder().hostname("relay.test").smartHost("127.0.0.1:2599");
    b.routing().masqueradeAs("corp.example");
    return new RuleRouter(RuleSet.load(b.build()), m -> head());
  }

  private static byte[] head() {
    return "Subject: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  }

  private static MessageAccepted message(String prepended) {
    return new MessageAccepted("q1", 1_000, new MailAddress("root", "relay.test"),
        List.of(EnvelopeRecipient.of(new MailAddress("bob", "elsewhere.test"))),
        new ClientInfo("localhost", "127.0.0.1", null, "ESMTP", null), "<20261205052000.q1@relay.test>", prepended,
        new BodyRef(0, List.of(0L), 10), MessageAccepted.DsnRequest.NONE);
  }
}
