package io.mailstream.delivery.client;

import static io.mailstream.delivery.client.ClientFixture.WAIT;
import static io.mailstream.delivery.testkit.TestMessages.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.delivery.RecipientResult.Outcome;
import io.mailstream.delivery.TransactionResult;
import io.mailstream.delivery.testkit.Verb;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** RFC 2920 command pipelining, and what each reply in a pipelined group decides. */
@Timeout(30)
class PipeliningTest {
  private static final List<String> THREE = List.of("a@y.test", "b@y.test", "c@y.test");

  private ClientFixture f;

  @BeforeEach
  void start() throws Exception {
    f = ClientFixture.start();
    f.host.advertise("SIZE 10485760", "8BITMIME", "ENHANCEDSTATUSCODES", "PIPELINING");
  }

  @AfterEach
  void stop() throws Exception {
    f.close();
  }

  private TransactionResult sendToThree() {
    return f.send(message("s@x.test", THREE, "Subject: t\r\n\r\nbody\r\n"));
  }

  private String key() {
    return f.host.destination().key();
  }

  @Test
  void mailEveryRcptAndDataGoInOneGroup() {
    TransactionResult r = sendToThree();

    assertTrue(r.all(Outcome.DELIVERED));
    assertEquals(THREE, f.host.awaitMessages(1, WAIT).get(0).recipients());
    // Each command but DATA, the last of the group, had the rest of the group behind it.
    List<String> ahead = f.host.commandsReadAhead();
    assertEquals(4, ahead.size(), ahead.toString());
    assertTrue(ahead.get(0).startsWith("MAIL FROM:<s@x.test>"), ahead.toString());
  }

  @Test
  void withoutPipeliningEachCommandWaitsForItsReply() {
    f.host.advertise("SIZE 10485760", "8BITMIME", "ENHANCEDSTATUSCODES");

    assertTrue(sendToThree().all(Outcome.DELIVERED));

    assertEquals(List.of(), f.host.commandsReadAhead());
  }

  @Test
  void aRcptRefusedMidPipelineFailsOnlyThatRecipient() {
    f.host.onRcpt("b@y.test", "550 5.1.1 No such user");

    TransactionResult r = sendToThree();

    assertEquals(Outcome.DELIVERED, r.recipients().get(0).outcome());
    assertEquals("550 5.1.1 No such user", r.recipients().get(1).reply().toString());
    assertEquals(Outcome.BOUNCED, r.recipients().get(1).outcome());
    assertEquals(Outcome.DELIVERED, r.recipients().get(2).outcome());
    assertEquals(List.of("a@y.test", "c@y.test"), f.host.awaitMessages(1, WAIT).get(0).recipients());
  }

  @Test
  void everyRcptRefusedThenDataRefusedEndsWithRsetAndTheConnectionIsReused() {
    f.host.on(Verb.RCPT, "550 5.7.1 Relaying denied");

    TransactionResult r = sendToThree();

    assertTrue(r.all(Outcome.BOUNCED));
    assertEquals("550 5.7.1 Relaying denied", r.recipients().get(2).reply().toString());
    f.host.awaitCommands("RSET", 1, WAIT);
    f.host.resetScript();
    f.host.advertise("PIPELINING");
    assertTrue(sendToThree().all(Outcome.DELIVERED));
    assertEquals(1, f.host.connectionsAccepted());
  }

  @Test
  void aRefusedMailFailsEveryRecipientWithItsReply() {
    f.host.on(Verb.MAIL, "550 5.7.1 Sender denied");
    f.host.on(Verb.DATA, "503 5.5.1 No valid sender");

    TransactionResult r = sendToThree();

    assertTrue(r.all(Outcome.BOUNCED));
    assertEquals("550 5.7.1 Sender denied", r.recipients().get(1).reply().toString());
    assertEquals(0, f.host.messages().size());
    assertEquals(1, f.pool.idleCount(key()), "still reusable after RSET");
  }

  @Test
  void dataAcceptedWithoutRecipientsIsEndedWithAnEmptyMessage() {
    // RFC 2920 3.1: a server that says 354 although it refused every RCPT gets a lone dot.
    f.host.on(Verb.RCPT, "550 5.1.1 No such user");
    f.host.on(Verb.DATA, "354 Go ahead");

    TransactionResult r = sendToThree();

    assertTrue(r.all(Outcome.BOUNCED));
    assertEquals("550 5.1.1 No such user", r.recipients().get(0).reply().toString());
    assertEquals(1, f.pool.idleCount(key()));
  }

  @Test
  void a421MidPipelineDefersEveryoneAndClosesTheConnection() {
    f.host.onRcpt("b@y.test", "421 4.4.2 Closing, too busy");

    TransactionResult r = sendToThree();

    assertTrue(r.all(Outcome.DEFERRED));
    assertEquals("421 4.4.2 Closing, too busy", r.recipients().get(0).reply().toString());
    f.host.awaitConnectionsOpen(0, WAIT);
    assertEquals(0, f.pool.idleCount(key()));
    assertEquals(0, f.host.messages().size());
  }

  @Test
  void aConnectionDroppedMidPipelineDefersEveryone() {
    f.host.dropOn(Verb.RCPT);

    TransactionResult r = sendToThree();

    assertTrue(r.all(Outcome.DEFERRED));
    assertTrue(r.recipients().get(0).reply().toString().startsWith("451 4.4.2 Connection closed by"),
        r.recipients().get(0).reply().toString());
    assertEquals(0, f.pool.idleCount(key()));
  }

  @Test
  void dataRefusedDefersTheAcceptedAndResets() {
    f.host.on(Verb.DATA, "451 4.3.0 Queue full");

    TransactionResult r = sendToThree();

    assertTrue(r.all(Outcome.DEFERRED));
    assertEquals("451 4.3.0 Queue full", r.recipients().get(0).reply().toString());
    f.host.awaitCommands("RSET", 1, WAIT);
    assertEquals(1, f.pool.idleCount(key()));
  }

  @Test
  void consecutiveMessagesShareTheConnectionWithoutRset() {
    for (int i = 0; i < 5; i++) {
      assertTrue(sendToThree().all(Outcome.DELIVERED));
    }

    assertEquals(5, f.host.awaitMessages(5, WAIT).size());
    assertEquals(1, f.host.connectionsAccepted());
    assertEquals(0, f.host.count("RSET"));
  }
}
