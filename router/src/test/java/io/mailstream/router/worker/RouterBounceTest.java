package io.mailstream.router.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.address.MailAddress;
import io.mailstream.core.event.BodyRef;
import io.mailstream.core.event.Bounced;
import io.mailstream.core.event.ClientInfo;
import io.mailstream.core.event.EnvelopeRecipient;
import io.mailstream.core.event.MailEvent;
import io.mailstream.core.event.MessageAccepted;
import io.mailstream.core.event.RecipientRouted;
import io.mailstream.core.event.ReplyRecord;
import io.mailstream.queue.codec.EventCodec;
import io.mailstream.queue.publish.BounceNotifier;
import io.mailstream.queue.publish.MessageWriter;
import io.mailstream.queue.testkit.TestKafka;
import io.mailstream.queue.topic.ClientName;
import io.mailstream.queue.topic.KafkaClients;
import io.mailstream.queue.topic.Topics;
import io.mailstream.router.route.Route;
import io.mailstream.router.route.Router;
import io.mailstream.router.route.RoutingPlan;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * Permanent routing errors reach the bounce notifier once per message, with every failed recipient,
 * and what it queues (a notice's body and accepted event) commits in the routing transaction.
 */
class RouterBounceTest {
  @Test
  void routingErrorsOfOneMessageMakeOneNoticeInTheTransaction() throws Exception {
    Topics topics = new Topics(TestKafka.freshTopics());
    String bootstrap = TestKafka.bootstrap();
    EnvelopeRecipient bob = new EnvelopeRecipient(new MailAddress("bob", "gone.example"), "FAILURE", null);
    EnvelopeRecipient carol = EnvelopeRecipient.of(new MailAddress("carol", "gone.example"));
    MessageAccepted original = new MessageAccepted("q1", System.currentTimeMillis(), new MailAddress("web", "dmz.example"),
        List.of(bob, carol), new ClientInfo("web1", "127.0.0.1", null, "ESMTP", null), null, "Received: x\r\n",
        new BodyRef(0, List.of(0L), 10), MessageAccepted.DsnRequest.NONE);
    ReplyRecord unknown = new ReplyRecord(550, "5.1.1", List.of("User unknown"));
    List<List<BounceNotifier.Failure>> calls = new CopyOnWriteArrayList<>();
    BounceNotifier notifier = (message, failures, bodies, producer) -> {
      calls.add(failures);
      new MessageWriter(producer, topics, Duration.ofSeconds(30)).write("notice1", "Subject: notice\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
          ref -> new MessageAccepted("notice1", 1L, MailAddress.NULL_SENDER, List.of(EnvelopeRecipient.of(message.sender())),
              new ClientInfo("relay.test", null, "MAILER-DAEMON", "local", null), null, "Received: y\r\n", ref,
              MessageAccepted.DsnRequest.NONE));
    };
    try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(KafkaClients.producer(bootstrap, ClientName.of("test"), Duration.ofSeconds(30)))) {
      p.send(new ProducerRecord<>(topics.accepted(), "q1", EventCodec.encode(original))).get();
    }
    RouterWorker worker = new RouterWorker(bootstrap, topics,
        headers -> new Router() {
          @Override
          public RoutingPlan plan(MessageAccepted m, long now) {
            return m.sender().isNullSender()
                ? new RoutingPlan(List.of(), List.of())
                : new RoutingPlan(List.of(), m.recipients().stream().map(r -> new Route.Error(r, unknown)).toList());
          }

          @Override
          public RoutingPlan routeAgain(RecipientRouted stale, long now) {
            throw new AssertionError("nothing is handed back in this test");
          }
        },
        "bounce-test", notifier);
    Thread t = new Thread(worker);
    t.start();
    try {
      // The original and the notice, both committed; the notice itself routes to nothing here.
      List<ConsumerRecord<String, byte[]>> accepted = TopicReader.read(bootstrap, topics.accepted(), 2, Duration.ofSeconds(60));
      assertEquals(2, accepted.size());
      MessageAccepted notice = (MessageAccepted) EventCodec.decode(accepted.get(1).value());
      assertTrue(notice.sender().isNullSender());
      // A notice this small travels inside its accepted record, like received mail.
      assertEquals(BodyRef.Store.INLINE, notice.body().store());
      assertEquals("Subject: notice\r\n\r\n", new String(notice.body().inline(), StandardCharsets.US_ASCII));
      List<ConsumerRecord<String, byte[]>> outcomes = TopicReader.read(bootstrap, topics.outcomes(), 2, Duration.ofSeconds(60));
      assertEquals(2, outcomes.size());
      for (ConsumerRecord<String, byte[]> r : outcomes) {
        MailEvent e = EventCodec.decode(r.value());
        assertTrue(e instanceof Bounced, e.toString());
      }
    } finally {
      worker.close();
      t.join();
    }
    assertEquals(1, calls.size(), "one notice per message");
    assertEquals(List.of(bob, carol), calls.get(0).stream().map(BounceNotifier.Failure::recipient).toList());
  }
}
