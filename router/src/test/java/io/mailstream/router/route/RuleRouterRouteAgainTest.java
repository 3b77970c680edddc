package io.mailstream.router.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.address.MailAddress;
import io.mailstream.core.config.ConfigBuilder;
import io.mailstream.core.event.BodyRef;
import io.mailstream.core.event.ClientInfo;
import io.mailstream.core.event.Destination;
import io.mailstream.core.event.EnvelopeRecipient;
import io.mailstream.core.event.MessageAccepted;
import io.mailstream.core.event.RecipientRouted;
import io.mailstream.core.rules.RuleSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recipients handed back because the rules changed: an alias list the first routing expanded is
 * not expanded again, so each member is routed once, to the next hop the new rules give.
 */
class RuleRouterRouteAgainTest {
  @TempDir Path dir;

  @Test
  void expandedRecipientsGetTheNewSmartHostAndNoSecondExpansion() throws Exception {
    Path aliases = dir.resolve("aliases");
    Files.writeString(aliases, "staff: jane@corp.example, bob@corp.example, staff@corp.example\n");
    ConfigBuilder before = new ConfigBuilder().hostname("relay.test").localDomains(List.of("example.com"))
        .smartHost("127.0.0.1:2599");
    before.routing().map("aliases", aliases);
    RuleRouter old = new RuleRouter(RuleSet.load(before.build()), m -> new byte[0]);
    MessageAccepted message = new MessageAccepted("q1", 1_000, new MailAddress("a", "client.test"),
        List.of(EnvelopeRecipient.of(new MailAddress("staff", "example.com"))),
        new ClientInfo("c", "127.0.0.1", null, "ESMTP", null), null, "Received: x\r\n",
        new BodyRef(0, List.of(0L), 10), MessageAccepted.DsnRequest.NONE);
    RecipientRouted stale = old.plan(message, 2_000).routed().get(0);
    assertEquals(3, stale.recipients().size());

    ConfigBuilder after = new ConfigBuilder().hostname("relay.test").localDomains(List.of("example.com"))
        .smartHost("127.0.0.1:2600");
    after.routing().map("aliases", aliases);
    RuleSet now = RuleSet.load(after.build());
    assertTrue(stale.routedUnderOtherRules(now.fingerprint()));

    RoutingPlan plan = new RuleRouter(now, m -> new byte[0]).routeAgain(stale, 3_000);
    assertEquals(List.of(), plan.errors());
    assertEquals(1, plan.routed().size());
    RecipientRouted again = plan.routed().get(0);
    assertEquals(new Destination("relay", "127.0.0.1", 2600, true), again.destination());
    assertEquals(stale.recipients(), again.recipients(), "the same three, each once");
    assertEquals(now.fingerprint(), again.routingFingerprint());
    assertEquals(3_000, again.routedAtMillis());
  }
}
