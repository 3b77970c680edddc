package io.mailstream.ingress.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.ingress.testing.FakeDns;
import io.mailstream.ingress.testing.MemoryPublisher;
import io.mailstream.ingress.testing.TestConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import io.mailstream.ingress.session.Peer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.ReverseMap;

/** Client names from a real (tiny) name server on 127.0.0.1: PTR, then forward confirmation. */
class ClientNamesTest {
  static FakeDns dns;
  static ClientNames names;

  static Name n(String s) throws Exception {
    return Name.fromString(s);
  }

  static void ptr(String ip, String name) throws Exception {
    dns.add(new PTRRecord(ReverseMap.fromAddress(InetAddress.getByName(ip)), DClass.IN, 60, n(name)));
  }

  static void a(String name, String ip) throws Exception {
    dns.add(new ARecord(n(name), DClass.IN, 60, InetAddress.getByName(ip)));
  }

  @BeforeAll
  static void start() throws Exception {
    dns = FakeDns.start();
    ptr("192.0.2.10", "mail.example.test.");
    a("mail.example.test.", "192.0.2.10");
    // Claims a name whose owner does not confirm it.
    ptr("192.0.2.11", "mail.bank.test.");
    a("mail.bank.test.", "192.0.2.99");
    // Two names; only the second leads back.
    ptr("192.0.2.12", "stale.example.test.");
    ptr("192.0.2.12", "Fresh.Example.Test.");
    a("fresh.example.test.", "192.0.2.12");
    ptr("2001:db8::25", "v6.example.test.");
    dns.add(new AAAARecord(n("v6.example.test."), DClass.IN, 60, InetAddress.getByName("2001:db8::25")));
    ptr("127.0.0.2", "client.example.test.");
    a("client.example.test.", "127.0.0.2");
    dns.silence(ReverseMap.fromAddress(InetAddress.getByName("127.0.0.3")).toString());
    names = ClientNames.using(dns.resolver(Duration.ofMillis(500)));
  }

  @AfterAll
  static void stop() {
    dns.close();
  }

  static String name(String ip) throws Exception {
    return names.nameOf(InetAddress.getByName(ip)).get(15, TimeUnit.SECONDS);
  }

  @Test
  void aConfirmedNameIsTheClientsName() throws Exception {
    assertEquals("mail.example.test", name("192.0.2.10"));
    assertEquals("fresh.example.test", name("192.0.2.12"));
    assertEquals("v6.example.test", name("2001:db8::25"));
  }

  @Test
  void anUnconfirmedMissingOrFailingNameIsNoName() throws Exception {
    assertNull(name("192.0.2.11"), "a PTR its forward records do not confirm may be forged");
    assertNull(name("192.0.2.200"), "NXDOMAIN");
    assertNull(name("127.0.0.3"), "a name server that never answers");
  }

  @Test
  void theSystemResolverGivesLoopbackNoNameWithoutAskingAndItIsShownAsLocalhost() throws Exception {
    int before = dns.queries();
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    // No confirmed name: a name the relay made up must not match class w or Connect: entries.
    assertNull(ClientNames.system().nameOf(loopback).get());
    assertEquals(before, dns.queries());
    assertEquals("localhost [127.0.0.1]", new Peer(loopback, null).relay());
  }

  @Test
  void theServerGreetsAfterTheLookUpAndNamesTheClientInReceived() throws Exception {
    try (MemoryPublisher publisher = new MemoryPublisher(MemoryPublisher.Mode.ACCEPT);
        IngressServer server =
            IngressServer.builder().config(TestConfig.standard()).publisher(publisher).clientNames(names).build().start()) {
      InetSocketAddress at = server.boundAddresses().get(0);
      // A client whose name server is silent does not hold up one whose name is found at once.
      try (Socket slow = connect(at, "127.0.0.3"); Socket s = connect(at, "127.0.0.2")) {
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
        OutputStream out = s.getOutputStream();
        assertTrue(in.readLine().startsWith("220 "));
        out.write(("EHLO client.example.test\r\nMAIL FROM:<a@example.test>\r\nRCPT TO:<b@local.test>\r\nDATA\r\n"
            + "Subject: named\r\n\r\nhi\r\n.\r\n").getBytes(StandardCharsets.US_ASCII));
        MemoryPublisher.Stored m = publisher.next(Duration.ofSeconds(10));
        assertTrue(m.event().receivedHeader().startsWith(
            "Received: from client.example.test (client.example.test [127.0.0.2])"), m.event().receivedHeader());
        assertEquals("client.example.test", m.event().client().hostname());
        BufferedReader slowIn = new BufferedReader(new InputStreamReader(slow.getInputStream(), StandardCharsets.US_ASCII));
        assertTrue(slowIn.readLine().startsWith("220 "), "greeted without a name once the look-up gave up");
      }
    }
  }

  @Test
  void onTheSmtpsPortTheHandshakeGoesOnWhileTheNameIsLookedUp() throws Exception {
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("smtps");
    io.mailstream.core.testkit.TestCertificates certs = io.mailstream.core.testkit.TestCertificates.create(dir);
    io.mailstream.ingress.auth.UsersFile.empty(dir.resolve("users")).write();
    io.mailstream.core.config.ConfigBuilder b = new io.mailstream.core.config.ConfigBuilder()
        .hostname("mx.test").listen(java.util.List.of("127.0.0.1:0 smtps")).smartHost("[127.0.0.1]:9");
    b.smtp().certificate(certs.certificate()).key(certs.key()).usersFile(dir.resolve("users"));
    try (MemoryPublisher publisher = new MemoryPublisher(MemoryPublisher.Mode.ACCEPT);
        IngressServer server =
            IngressServer.builder().config(b.build()).publisher(publisher)
                .clientNames(ClientNames.using(dns.resolver(Duration.ofSeconds(4)))).build().start()) {
      InetSocketAddress at = server.boundAddresses().get(0);
      // 127.0.0.3's name server never answers: the banner waits for the look-up to give up (4 s
      // here, up to 10 s in production), and the TLS handshake, whose own timer runs meanwhile,
      // must not be held up by it.
      try (Socket raw = connect(at, "127.0.0.3")) {
        javax.net.ssl.SSLSocket tls =
            (javax.net.ssl.SSLSocket) certs.clientSockets().createSocket(raw, "127.0.0.1", at.getPort(), true);
        long started = System.nanoTime();
        tls.startHandshake();
        assertTrue(System.nanoTime() - started < 3_000_000_000L, "the handshake did not wait for the look-up");
        BufferedReader in = new BufferedReader(new InputStreamReader(tls.getInputStream(), StandardCharsets.US_ASCII));
        assertTrue(in.readLine().startsWith("220 mx.test"), "greeted inside TLS");
      }
    }
  }

  private static Socket connect(InetSocketAddress at, String from) throws Exception {
    Socket s = new Socket();
    s.bind(new InetSocketAddress(from, 0));
    s.connect(at, 5000);
    s.setSoTimeout(20_000);
    return s;
  }
}
