package io.mailstream.delivery.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mailstream.core.address.MailAddress;
import io.mailstream.core.event.BodyRef;
import io.mailstream.core.event.ClientInfo;
import io.mailstream.core.event.Destination;
import io.mailstream.core.event.EnvelopeRecipient;
import io.mailstream.core.event.MessageAccepted;
import io.mailstream.core.event.RecipientRouted;
import io.mailstream.delivery.OutboundMessage;
import io.mailstream.delivery.TransactionResult;
import io.mailstream.delivery.client.ConnectionPool;
import io.mailstream.delivery.client.NextHops;
import io.mailstream.delivery.client.SmtpConnector;
import io.mailstream.delivery.client.SmtpMailer;
import io.mailstream.delivery.client.Timeouts;
import io.mailstream.delivery.testkit.FakeSmartHost;
import io.mailstream.delivery.testkit.TestMessages;
import io.mailstream.delivery.testkit.Verb;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The mail log line of a recipient, as sendmail writes it. */
@Timeout(30)
class OutcomeLogTest {

  /**
   * mailertable {@code esmtp:[first.test]:[second.test]} with first.test refusing the session: the
   * line names second.test, the host that took the message, not the first of the list.
   */
  @Test
  void relayNamesTheBackupHostThatTookTheMessage() throws Exception {
    Destination both = Destination.ofHosts("esmtp",
        List.of(new Destination.Hop("first.test", false), new Destination.Hop("second.test", false)), 25);
    try (FakeSmartHost first = FakeSmartHost.start();
        FakeSmartHost second = FakeSmartHost.start();
        SmtpConnector connector = new SmtpConnector("relay.test", Timeouts.uniform(Duration.ofSeconds(5)), 1);
        ConnectionPool pool = new ConnectionPool(1, Duration.ofSeconds(30))) {
      first.on(Verb.GREETING, "421 4.3.2 first.test busy");
      NextHops dns = d -> {
        FakeSmartHost h = d.host().equals("first.test") ? first : second;
        return List.of(new InetSocketAddress(InetAddress.getByAddress(d.host(), new byte[] {127, 0, 0, 1}), h.port()));
      };
      OutboundMessage m = TestMessages.message("alice@dmz.example", List.of("bob@corp.example"), "Subject: t\r\n\r\nx\r\n");
      TransactionResult result = new SmtpMailer(connector, pool, dns).deliver(both, m);

      RecipientRouted routed = routed(both, m.recipients());
      String line = OutcomeLog.line(routed, result.recipients().get(0), result.relay(), 1_000, 1_000);

      assertEquals("Q1: to=<bob@corp.example>, delay=00:00:00, xdelay=00:00:00, mailer=esmtp,"
          + " relay=second.test. [127.0.0.1], dsn=2.0.0, stat=Sent (250 2.0.0 Ok: queued)", line);
    }
  }

  /**
   * RCPT TO:<postmaster>, aliased to root and delivered here: the line names the mailbox and, as
   * sendmail's does, the address the client gave (orig_to=), which the router kept as ORCPT.
   */
  @Test
  void anAliasedRecipientIsLoggedWithTheAddressTheClientGave() {
    EnvelopeRecipient root = new EnvelopeRecipient(new MailAddress("root", "mail.corp.example"), null,
        "rfc822;postmaster+40corp.example");
    RecipientRouted routed = routed(Destination.local(), List.of(root));
    String line = OutcomeLog.line(routed, new io.mailstream.delivery.RecipientResult(root,
        io.mailstream.delivery.RecipientResult.Outcome.DELIVERED,
        io.mailstream.core.event.ReplyRecord.of(io.mailstream.core.smtp.Reply.ok(250,
            io.mailstream.core.smtp.EnhancedStatus.X_2_0_0, "Delivered"))), "localhost", 1_000, 1_000);
    assertEquals("Q1: to=<root@mail.corp.example>, orig_to=<postmaster@corp.example>, delay=00:00:00,"
        + " xdelay=00:00:00, mailer=local, relay=localhost, dsn=2.0.0, stat=Sent (250 2.0.0 Delivered)", line);

    EnvelopeRecipient same = new EnvelopeRecipient(new MailAddress("bob", "corp.example"), null, "rfc822;Bob@corp.example");
    assertEquals(-1, OutcomeLog.line(routed(Destination.local(), List.of(same)), new io.mailstream.delivery.RecipientResult(
        same, io.mailstream.delivery.RecipientResult.Outcome.DELIVERED, io.mailstream.core.event.ReplyRecord.of(
            io.mailstream.core.smtp.Reply.ok(250, io.mailstream.core.smtp.EnhancedStatus.X_2_0_0, "Delivered"))),
        "localhost", 1_000, 1_000).indexOf("orig_to"), "no orig_to when only the case differs");
  }

  private static RecipientRouted routed(Destination d, List<EnvelopeRecipient> recipients) {
    MessageAccepted m = new MessageAccepted("Q1", 1_000, new MailAddress("alice", "dmz.example"), recipients,
        new ClientInfo("client.test", "127.0.0.1", null, "ESMTP", null), null, "", new BodyRef(0, List.of(), 0),
        MessageAccepted.DsnRequest.NONE);
    return new RecipientRouted(m, m.sender(), d, recipients, List.of(), 1_000);
  }
}
