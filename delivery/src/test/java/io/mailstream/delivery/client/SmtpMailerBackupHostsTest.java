package io.mailstream.delivery.client;

import static io.mailstream.delivery.client.ClientFixture.WAIT;
import static io.mailstream.delivery.testkit.TestMessages.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.event.Destination;
import io.mailstream.delivery.OutboundMessage;
import io.mailstream.delivery.RecipientResult.Outcome;
import io.mailstream.delivery.TransactionResult;
import io.mailstream.delivery.testkit.FakeSmartHost;
import io.mailstream.delivery.testkit.Verb;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A mailertable entry with backup hosts, {@code esmtp:[first.test]:[second.test]}: delivery tries
 * them in order, moves on when a host cannot be reached or refuses the session (sendmail's "try
 * next MX site"), and fails only when every host did. Two fake smart hosts on 127.0.0.1 stand for
 * the two hosts; a resolver maps each name to its fake, as DNS would.
 */
@Timeout(30)
class SmtpMailerBackupHostsTest {
  private static final Destination BOTH = Destination.ofHosts("esmtp",
      List.of(new Destination.Hop("first.test", false), new Destination.Hop("second.test", false)), 25);
  private static final String SECOND = "second.test. [127.0.0.1]";

  private FakeSmartHost first;
  private FakeSmartHost second;
  private SmtpConnector connector;
  private ConnectionPool pool;
  private SmtpMailer mailer;
  /** Where first.test points: the first fake, or a port nobody listens on. */
  private InetSocketAddress firstAddress;
  private boolean firstUnknown;

  @BeforeEach
  void start() throws IOException {
    first = FakeSmartHost.start();
    second = FakeSmartHost.start();
    firstAddress = first.address();
    connector = new SmtpConnector("mailstream.test", ClientFixture.SHORT, 1);
    pool = new ConnectionPool(2, Duration.ofMinutes(1));
    mailer = new SmtpMailer(connector, pool, this::resolve);
  }

  @AfterEach
  void stop() throws IOException {
    pool.close();
    connector.close();
    first.close();
    second.close();
  }

  /** The test's DNS: each name to its fake host's address, port included. */
  private List<InetSocketAddress> resolve(Destination d) throws UnknownHostException {
    Map<String, InetSocketAddress> zone = Map.of("second.test", second.address());
    if (d.host().equals("first.test")) {
      if (firstUnknown) {
        throw new NoSuchDomainException("first.test: host not found");
      }
      return List.of(firstAddress);
    }
    InetSocketAddress a = zone.get(d.host());
    if (a == null) {
      throw new NoSuchDomainException(d.host() + ": host not found");
    }
    // Carry the name, as a real look-up does, so that the relay is logged by name.
    return List.of(new InetSocketAddress(
        java.net.InetAddress.getByAddress(d.host(), a.getAddress().getAddress()), a.getPort()));
  }

  private TransactionResult send() {
    OutboundMessage m = message("s@x.test", List.of("a@y.test", "b@y.test"), "Subject: t\r\n\r\nbody\r\n");
    return mailer.deliver(BOTH, m);
  }

  static Stream<Arguments> firstHostFailures() {
    return Stream.of(
        Arguments.of("is down (connection refused)", (Consumer<SmtpMailerBackupHostsTest>) t -> t.firstDown()),
        Arguments.of("has no such name", (Consumer<SmtpMailerBackupHostsTest>) t -> t.firstUnknown = true),
        Arguments.of("greets with 421", (Consumer<SmtpMailerBackupHostsTest>) t ->
            t.first.on(Verb.GREETING, "421 4.3.2 first.test closing, too busy")),
        Arguments.of("greets with 450", (Consumer<SmtpMailerBackupHostsTest>) t ->
            t.first.on(Verb.GREETING, "450 4.3.2 try later")),
        Arguments.of("greets with 554", (Consumer<SmtpMailerBackupHostsTest>) t ->
            t.first.on(Verb.GREETING, "554 5.7.1 no service for you")),
        Arguments.of("drops the connection at the greeting", (Consumer<SmtpMailerBackupHostsTest>) t ->
            t.first.dropOn(Verb.GREETING)),
        Arguments.of("refuses EHLO and HELO with 4xx", (Consumer<SmtpMailerBackupHostsTest>) t ->
            t.first.on(Verb.EHLO, "451 4.3.0 not now")));
  }

  @ParameterizedTest(name = "first host {0}: the second takes the mail")
  @MethodSource("firstHostFailures")
  void theNextHostTakesTheMailWhenTheFirst(String how, Consumer<SmtpMailerBackupHostsTest> breakFirst) {
    breakFirst.accept(this);

    TransactionResult r = send();

    assertTrue(r.all(Outcome.DELIVERED), r.toString());
    assertEquals(SECOND, r.relay(), "relay= names the host that took the message");
    assertEquals(List.of("a@y.test", "b@y.test"), second.awaitMessages(1, WAIT).get(0).recipients());
    assertEquals(List.of(), first.messages());
  }

  @Test
  void theFirstHostIsPreferredAndTheBackupNeverContacted() {
    TransactionResult r = send();

    assertTrue(r.all(Outcome.DELIVERED), r.toString());
    assertEquals("first.test. [127.0.0.1]", r.relay());
    assertEquals(1, first.awaitMessages(1, WAIT).size());
    assertEquals(0, second.connectionsAccepted());
  }

  @Test
  void aRefusalInsideTheTransactionIsAnAnswerNotAReasonToMoveOn() {
    first.on(Verb.RCPT, "550 5.1.1 No such user");

    TransactionResult r = send();

    assertTrue(r.all(Outcome.BOUNCED), r.toString());
    assertEquals("550 5.1.1 No such user", r.recipients().get(0).reply().toString());
    assertEquals(0, second.connectionsAccepted());
  }

  @Test
  void deferredOnlyWhenEveryHostFailedAndATemporaryFailureWins() throws IOException {
    firstDown();
    second.on(Verb.GREETING, "554 5.7.1 no service for you");

    TransactionResult r = send();

    // The unreachable first host may come back; a bounce now would lose what it would take.
    assertTrue(r.all(Outcome.DEFERRED), r.toString());
    assertEquals("4.4.1", r.recipients().get(0).reply().dsn());
    assertEquals(1, second.connectionsAccepted());
  }

  @Test
  void bouncedWhenEveryHostRefusedPermanently() {
    first.on(Verb.GREETING, "554 5.7.1 first says no");
    second.on(Verb.GREETING, "554 5.7.1 second says no");

    TransactionResult r = send();

    assertTrue(r.all(Outcome.BOUNCED), r.toString());
    assertEquals("554 5.7.1 second says no", r.recipients().get(0).reply().toString());
    assertEquals(SECOND, r.relay());
  }

  @Test
  void eachHostHasItsOwnPooledConnections() {
    first.on(Verb.GREETING, "421 4.3.2 busy");
    send();
    first.resetScript();

    TransactionResult again = send();

    // The first host is back: the second message goes to it, not over the idle backup connection.
    assertEquals(1, first.awaitMessages(1, WAIT).size());
    assertTrue(again.all(Outcome.DELIVERED), again.toString());
    assertEquals(1, pool.idleCount("esmtp:[second.test]:25"));
  }

  /** Points first.test at a port on which nothing listens: the connection is refused. */
  private void firstDown() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName(FakeSmartHost.HOST))) {
      firstAddress = new InetSocketAddress(s.getInetAddress(), s.getLocalPort());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
