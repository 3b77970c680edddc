package io.mailstream.delivery.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.event.Destination;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** MX resolution against a real (tiny) DNS server on 127.0.0.1: no query leaves the machine. */
class MxNextHopsTest {
  static DatagramSocket socket;
  static Thread server;
  static MxNextHops hops;

  static final Map<String, List<Record>> ZONE = new java.util.HashMap<>();

  static Name n(String s) throws Exception {
    return Name.fromString(s);
  }

  static void add(Record r) {
    ZONE.computeIfAbsent(r.getName() + "/" + r.getType(), k -> new ArrayList<>()).add(r);
  }

  @BeforeAll
  static void startDns() throws Exception {
    InetAddress lo = InetAddress.getByName("127.0.0.1");
    add(new MXRecord(n("mx.test."), DClass.IN, 60, 20, n("backup.mx.test.")));
    add(new MXRecord(n("mx.test."), DClass.IN, 60, 10, n("primary.mx.test.")));
    add(new ARecord(n("primary.mx.test."), DClass.IN, 60, InetAddress.getByName("127.0.0.10")));
    add(new ARecord(n("backup.mx.test."), DClass.IN, 60, InetAddress.getByName("127.0.0.20")));
    add(new ARecord(n("plain.test."), DClass.IN, 60, InetAddress.getByName("127.0.0.30")));
    add(new MXRecord(n("nullmx.test."), DClass.IN, 60, 0, Name.root));
    // failover.test: the preferred exchange is on 127.0.0.2, where nothing listens.
    add(new MXRecord(n("failover.test."), DClass.IN, 60, 20, n("up.failover.test.")));
    add(new MXRecord(n("failover.test."), DClass.IN, 60, 10, n("down.failover.test.")));
    add(new ARecord(n("down.failover.test."), DClass.IN, 60, InetAddress.getByName("127.0.0.2")));
    add(new ARecord(n("up.failover.test."), DClass.IN, 60, InetAddress.getByName("127.0.0.1")));
    socket = new DatagramSocket(0, lo);
    server = new Thread(MxNextHopsTest::serve, "fake-dns");
    server.setDaemon(true);
    server.start();
    SimpleResolver resolver = new SimpleResolver(lo);
    resolver.setPort(socket.getLocalPort());
    resolver.setTimeout(Duration.ofSeconds(2));
    hops = new MxNextHops(resolver);
  }

  @AfterAll
  static void stopDns() {
    socket.close();
  }

  static void serve() {
    byte[] buf = new byte[4096];
    while (!socket.isClosed()) {
      try {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        socket.receive(p);
        Message query = new Message(java.util.Arrays.copyOf(p.getData(), p.getLength()));
        Record q = query.getQuestion();
        Message resp = new Message(query.getHeader().getID());
        resp.getHeader().setFlag(Flags.QR);
        resp.getHeader().setFlag(Flags.AA);
        resp.addRecord(q, Section.QUESTION);
        String name = q.getName().toString().toLowerCase();
        boolean known = ZONE.keySet().stream().anyMatch(k -> k.startsWith(name + "/"));
        if (name.startsWith("servfail.")) {
          resp.getHeader().setRcode(Rcode.SERVFAIL);
        } else if (!known) {
          resp.getHeader().setRcode(Rcode.NXDOMAIN);
        } else {
          for (Record r : ZONE.getOrDefault(name + "/" + q.getType(), List.of())) {
            resp.addRecord(r, Section.ANSWER);
          }
        }
        byte[] out = resp.toWire();
        socket.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
      } catch (Exception e) {
        if (!socket.isClosed()) {
          throw new IllegalStateException(e);
        }
      }
    }
  }

  static Destination mx(String domain) {
    return new Destination("esmtp", domain, 25, true);
  }

  @Test
  void exchangesInPreferenceOrderWithTheirAddresses() throws Exception {
    List<InetSocketAddress> a = hops.resolve(mx("mx.test"));
    assertEquals(List.of(new InetSocketAddress("127.0.0.10", 25), new InetSocketAddress("127.0.0.20", 25)), a);
  }

  @Test
  void eachAddressCarriesItsExchangeNameForTheMailLog() throws Exception {
    List<InetSocketAddress> a = hops.resolve(mx("mx.test"));
    assertEquals(List.of("primary.mx.test", "backup.mx.test"), a.stream().map(InetSocketAddress::getHostString).toList());
  }

  /**
   * RFC 5321 5.1 and sendmail's "try next MX site": the preferred exchange refuses the connection,
   * the next one takes the message, and the mail log names it.
   */
  @Test
  void deliveryMovesToTheNextExchangeInPreferenceOrder() throws Exception {
    try (io.mailstream.delivery.testkit.FakeSmartHost up = io.mailstream.delivery.testkit.FakeSmartHost.start();
        SmtpConnector connector = new SmtpConnector("mailstream.test", ClientFixture.SHORT, 1);
        ConnectionPool pool = new ConnectionPool(1, Duration.ofMinutes(1))) {
      io.mailstream.delivery.TransactionResult r = new SmtpMailer(connector, pool, hops).deliver(
          new Destination("esmtp", "failover.test", up.port(), true),
          io.mailstream.delivery.testkit.TestMessages.message("a@x.test", List.of("b@failover.test"), "Subject: t\r\n\r\nx\r\n"));

      assertTrue(r.all(io.mailstream.delivery.RecipientResult.Outcome.DELIVERED), r.toString());
      assertEquals("up.failover.test. [127.0.0.1]", r.relay());
      assertEquals(1, up.awaitMessages(1, ClientFixture.WAIT).size());
    }
  }

  @Test
  void aBackupExchangeThatRefusesWhileThePrimaryIsDownOnlyDefers() throws Exception {
    try (io.mailstream.delivery.testkit.FakeSmartHost up = io.mailstream.delivery.testkit.FakeSmartHost.start();
        SmtpConnector connector = new SmtpConnector("mailstream.test", ClientFixture.SHORT, 1);
        ConnectionPool pool = new ConnectionPool(1, Duration.ofMinutes(1))) {
      up.on(io.mailstream.delivery.testkit.Verb.GREETING, "554 5.7.1 backup takes nothing");
      io.mailstream.delivery.TransactionResult r = new SmtpMailer(connector, pool, hops).deliver(
          new Destination("esmtp", "failover.test", up.port(), true),
          io.mailstream.delivery.testkit.TestMessages.message("a@x.test", List.of("b@failover.test"), "Subject: t\r\n\r\nx\r\n"));

      // The primary may come back; a bounce now would lose what it would take.
      assertTrue(r.all(io.mailstream.delivery.RecipientResult.Outcome.DEFERRED), r.toString());
      assertEquals(1, up.connectionsAccepted());
    }
  }

  @Test
  void noMxMeansTheDomainItself() throws Exception {
    assertEquals(List.of(new InetSocketAddress("127.0.0.30", 25)), hops.resolve(mx("plain.test")));
  }

  @Test
  void nxdomainAndNullMxArePermanent() {
    assertTrue(assertThrows(NoSuchDomainException.class, () -> hops.resolve(mx("nosuch.test"))).getMessage().contains("host not found"));
    assertTrue(assertThrows(NoSuchDomainException.class, () -> hops.resolve(mx("nullmx.test"))).getMessage().contains("null MX"));
  }

  @Test
  void serverFailureIsTemporaryNeverNoMatch() {
    UnknownHostException e = assertThrows(UnknownHostException.class, () -> hops.resolve(mx("servfail.test")));
    assertTrue(!(e instanceof NoSuchDomainException), "a SERVFAIL must only defer: " + e);
  }

  @Test
  void bracketsAndAddressesSkipMx() throws Exception {
    assertEquals(List.of(new InetSocketAddress("127.0.0.1", 2525)),
        hops.resolve(new Destination("relay", "127.0.0.1", 2525, true)));
    assertEquals(List.of(new InetSocketAddress("127.0.0.1", 25)),
        hops.resolve(new Destination("relay", "127.0.0.1", 25, false)));
  }
}
