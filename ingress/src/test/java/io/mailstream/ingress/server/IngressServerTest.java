package io.mailstream.ingress.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.config.HostPort;
import io.mailstream.core.config.Listener;
import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.ingress.testing.MemoryPublisher;
import io.mailstream.ingress.testing.TestConfig;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class IngressServerTest {

  @Test
  void listensOnEveryAddressAndStopsOnClose() throws Exception {
    MailstreamConfig config = listening(List.of(new HostPort("127.0.0.1", 0, false), new HostPort("127.0.0.3", 0, false)));
    List<InetSocketAddress> bound;
    try (MemoryPublisher publisher = new MemoryPublisher(MemoryPublisher.Mode.ACCEPT);
        IngressServer server = IngressServer.builder().config(config).publisher(publisher).build().start()) {
      bound = server.boundAddresses();
      assertEquals(2, bound.size());
      assertEquals("127.0.0.3", bound.get(1).getAddress().getHostAddress());
      for (InetSocketAddress address : bound) {
        assertTrue(address.getPort() > 0);
        try (SocketWire wire = new SocketWire(address, InetAddress.getByName("127.0.0.1"))) {
          assertEquals("220 mx.test ESMTP Mailstream", wire.readLine(Duration.ofSeconds(5)));
        }
      }
      // An open connection without a transaction is told 421 and closed when the server closes
      // (RFC 5321 3.8), not dropped silently.
      SocketWire open = new SocketWire(bound.get(0), InetAddress.getByName("127.0.0.1"));
      open.readLine(Duration.ofSeconds(5));
      server.close();
      assertEquals("421 4.3.2 mx.test Service shutting down, closing transmission channel", open.readLine(Duration.ofSeconds(5)));
      assertEquals(null, open.readLine(Duration.ofSeconds(5)));
      open.close();
    }
    assertThrows(ConnectException.class, () -> new SocketWire(bound.get(0), InetAddress.getByName("127.0.0.1")));
  }

  @Test
  void aBusyAddressIsReportedAndNothingIsLeftListening() throws Exception {
    try (MemoryPublisher publisher = new MemoryPublisher(MemoryPublisher.Mode.ACCEPT);
        IngressServer first =
            IngressServer.builder().config(TestConfig.standard()).publisher(publisher).build().start()) {
      int port = first.boundAddresses().get(0).getPort();
      MailstreamConfig clash =
          listening(List.of(new HostPort("127.0.0.4", 0, false), new HostPort("127.0.0.1", port, false)));
      IngressServer second = IngressServer.builder().config(clash).publisher(publisher).build();
      IOException e = assertThrows(IOException.class, second::start);
      assertTrue(e.getMessage().startsWith("cannot listen on 127.0.0.1:" + port), e.getMessage());
      assertTrue(second.boundAddresses().isEmpty());
    }
  }

  private static MailstreamConfig listening(List<HostPort> listen) {
    MailstreamConfig base = TestConfig.standard();
    return new MailstreamConfig(
        base.hostname(), base.dataDir(), listen.stream().map(Listener::mta).toList(), base.relayFrom(),
        base.localDomains(), base.smartHost(), base.smartHostMailer(), base.kafka(), base.limits(),
        base.delivery(), base.routing(), base.smtp());
  }
}
