package io.mailstream.ingress.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mailstream.core.address.MailAddress;
import io.mailstream.core.event.EnvelopeRecipient;
import java.net.InetAddress;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReceivedHeaderTest {
  private static final ZonedDateTime WHEN = ZonedDateTime.of(2026, 12, 5, 2, 20, 0, 0, ZoneOffset.UTC);
  private static final List<EnvelopeRecipient> ONE = List.of(EnvelopeRecipient.of(new MailAddress("bob", "example.com")));

  @Test
  void aNetworkClientIsNamedByItsGreetingNameAndAddress() throws Exception {
    Peer peer = new Peer(InetAddress.getByName("192.0.2.1"), "host.example");
    assertEquals("Received: from client.example (host.example [192.0.2.1])\r\n"
            + "\tby mx.example (Mailstream) with ESMTP id Q1\r\n\tfor <bob@example.com>; Sat, 5 Dec 2026 02:20:00 +0000\r\n",
        ReceivedHeader.build("client.example", peer, "mx.example", "ESMTP", "Q1", ONE, WHEN));
  }

  @Test
  void aLocalUserIsNamedAsSendmailNamesLocalSubmissions() {
    // sendmail: "Received: (from root@localhost) by host (8.17.1/8.17.1/Submit) id ..."
    assertEquals("Received: (from cron@localhost)\r\n"
            + "\tby mx.example (Mailstream) with ESMTP id Q1\r\n\tfor <bob@example.com>; Sat, 5 Dec 2026 02:20:00 +0000\r\n",
        ReceivedHeader.build("localhost", Peer.localUser("cron"), "mx.example", "ESMTP", "Q1", ONE, WHEN));
  }
}
