package io.mailstream.ingress.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.config.ConfigBuilder;
import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.ingress.testing.MemoryPublisher;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A {@code proxy} listener behind a load balancer, over real sockets: the client a trusted
 * balancer names in its PROXY header (v1 text, v2 binary) is the client the relay rule, the
 * Received header and the log see; a header from an untrusted address, or none, gets the connection
 * closed without a banner.
 */
class ProxyProtocolTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  @Test
  void aTrustedBalancersV1HeaderNamesTheClientThatTheRelayRuleAndReceivedSee() throws Exception {
    try (MemoryPublisher publisher = new MemoryPublisher(MemoryPublisher.Mode.ACCEPT);
        IngressServer server = server(publisher, "127.0.0.1/32")) {
      InetSocketAddress at = server.boundAddresses().get(0);
      // 198.51.100.7 may relay (relay-from); the balancer's own loopback address may not.
      try (SocketWire wire = new SocketWire(at, LOOPBACK)) {
        wire.send(ascii("PROXY TCP4 198.51.100.7 192.0.2.25 40000 25\r\n"));
        assertEquals("220 mx.test ESMTP Mailstream", wire.readLine(WAIT));
        assertEquals("250 2.1.5 Ok", relayAttempt(wire));
        wire.send(ascii("DATA\r\n"));
        assertTrue(wire.readLine(WAIT).startsWith("354"));
        wire.send(ascii("Subject: through the balancer\r\n\r\nhi\r\n.\r\n"));
        assertTrue(wire.readLine(WAIT).startsWith("250 2.0.0"));
      }
      MemoryPublisher.Stored stored = publisher.next(WAIT);
      assertTrue(stored.event().receivedHeader().contains("[198.51.100.7]"), stored.event().receivedHeader());
      assertEquals("198.51.100.7", stored.event().client().address());
      try (SocketWire wire = new SocketWire(at, LOOPBACK)) {
        wire.send(ascii("PROXY TCP4 203.0.113.9 192.0.2.25 40001 25\r\n"));
        assertEquals("220 mx.test ESMTP Mailstream", wire.readLine(WAIT));
        assertEquals("550 5.7.1 Relaying denied", relayAttempt(wire));
      }
    }
  }

  @Test
  void aV2BinaryHeaderNamesAnIpv6Client() throws Exception {
    try (MemoryPublisher publisher = new MemoryPublisher(MemoryPublisher.Mode.ACCEPT);
        IngressServer server = server(publisher, "127.0.0.1/32")) {
      try (SocketWire wire = new SocketWire(server.boundAddresses().get(0), LOOPBACK)) {
        wire.send(v2Tcp6("2001:db8::7", "2001:db8::25", 40002, 25));
        assertEquals("220 mx.test ESMTP Mailstream", wire.readLine(WAIT));
        assertEquals("250 2.1.5 Ok", relayAttempt(wire));
      }
    }
  }

  @Test
  void aHeaderFromAnUntrustedAddressIsNotBelievedAndGetsNoBanner() throws Exception {
    try (MemoryPublisher publisher = new MemoryPublisher(MemoryPublisher.Mode.ACCEPT);
        IngressServer server = server(publisher, "10.0.0.0/8")) {
      try (SocketWire wire = new SocketWire(server.boundAddresses().get(0), LOOPBACK)) {
        assertClosedWithoutBanner(wire, "PROXY TCP4 198.51.100.7 192.0.2.25 40000 25\r\n");
      }
    }
  }

  @Test
  void aConnectionWithoutAHeaderIsClosed() throws Exception {
    try (MemoryPublisher publisher = new MemoryPublisher(MemoryPublisher.Mode.ACCEPT);
        IngressServer server = server(publisher, "127.0.0.1/32")) {
      try (SocketWire wire = new SocketWire(server.boundAddresses().get(0), LOOPBACK)) {
        assertClosedWithoutBanner(wire, "EHLO sneaky.test\r\n");
      }
    }
  }

  private static IngressServer server(MemoryPublisher publisher, String trusted) throws Exception {
    ConfigBuilder b =
        new ConfigBuilder()
            .hostname("mx.test")
            .listen(List.of("127.0.0.1:0 mta proxy"))
            .relayFrom(List.of("198.51.100.0/24", "2001:db8::/32"));
    b.smtp().trustedProxies(List.of(trusted)).reverseDns(false);
    MailstreamConfig config = b.build();
    return IngressServer.builder().config(config).publisher(publisher).clientNames(ClientNames.none()).build().start();
  }

  /** Sends {@code what}; the server closes without a line (a reset if it closed first). */
  private static void assertClosedWithoutBanner(SocketWire wire, String what) throws Exception {
    String line;
    try {
      wire.send(ascii(what));
      line = wire.readLine(WAIT);
    } catch (java.net.SocketException reset) {
      line = null;
    }
    assertNull(line, "the connection is closed without a banner");
  }

  private static String relayAttempt(SocketWire wire) throws Exception {
    wire.send(ascii("EHLO client.test\r\n"));
    String line;
    do {
      line = wire.readLine(WAIT);
    } while (line != null && line.startsWith("250-"));
    wire.send(ascii("MAIL FROM:<a@client.test>\r\n"));
    assertEquals("250 2.1.0 Ok", wire.readLine(WAIT));
    wire.send(ascii("RCPT TO:<friend@elsewhere.test>\r\n"));
    return wire.readLine(WAIT);
  }

  /** The PROXY v2 header (haproxy's proxy-protocol.txt 2.2): PROXY command, TCP over IPv6. */
  private static byte[] v2Tcp6(String source, String destination, int sourcePort, int destinationPort) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A});
    out.write(0x21); // version 2, PROXY
    out.write(0x21); // AF_INET6, STREAM
    ByteBuffer addresses = ByteBuffer.allocate(36);
    addresses.put(InetAddress.getByName(source).getAddress()).put(InetAddress.getByName(destination).getAddress());
    addresses.putShort((short) sourcePort).putShort((short) destinationPort);
    out.write(0);
    out.write(36);
    out.write(addresses.array());
    return out.toByteArray();
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
