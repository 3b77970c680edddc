package io.mailstream.delivery.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.address.MailAddress;
import io.mailstream.core.event.BodyRef;
import io.mailstream.core.event.Bounced;
import io.mailstream.core.event.ClientInfo;
import io.mailstream.core.event.Deferred;
import io.mailstream.core.event.Delivered;
import io.mailstream.core.event.Destination;
import io.mailstream.core.event.EnvelopeRecipient;
import io.mailstream.core.event.MailEvent;
import io.mailstream.core.event.MessageAccepted;
import io.mailstream.core.event.RecipientRouted;
import io.mailstream.core.event.ReplyRecord;
import io.mailstream.queue.codec.EventCodec;
import io.mailstream.queue.testkit.TestKafka;
import io.mailstream.queue.topic.ClientName;
import io.mailstream.queue.topic.KafkaClients;
import io.mailstream.queue.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** Which messages a partition's next owner finds delivered on the outcomes topic of a real broker. */
class StoredDeliveriesTest {
  private static final ReplyRecord OK = new ReplyRecord(250, "2.0.0", List.of("Ok"));
  private static final ReplyRecord LATER = new ReplyRecord(451, "4.3.0", List.of("Try later"));
  private static final ReplyRecord NO = new ReplyRecord(550, "5.1.1", List.of("No such user"));
  private static final Destination HOST = new Destination("relay", "127.0.0.1", 2525, false);

  private final Topics topics = new Topics(TestKafka.freshTopics(3, false));

  @Test
  void aMessageCountsOnlyWhenEveryRecipientsDeliveryIsStoredSinceTheMoment() throws Exception {
    long since = System.currentTimeMillis();
    store(since + 10, delivered("whole", "r1"), delivered("whole", "r2"));
    store(since + 10, delivered("partly", "r1"), new Deferred("partly", address("r2"), "[127.0.0.1]", LATER, 1, since + 60_000));
    store(since + 10, new Bounced("bounced", address("r1"), address("a"), "[127.0.0.1]", NO, since));
    store(since - 1, delivered("before", "r1")); // delivered before the commit's moment: in its list or offset

    StoredDeliveries stored = StoredDeliveries.read(TestKafka.bootstrap(), ClientName.of("test"), topics.outcomes(), since,
        Duration.ofSeconds(30));

    assertEquals(3, stored.size(), "three deliveries since the moment");
    assertTrue(stored.all(routed("whole", "r1", "r2")));
    assertTrue(stored.all(routed("whole", "r2")), "a routed event for one of its recipients");
    assertFalse(stored.all(routed("partly", "r1", "r2")), "r2 deferred: the message goes out again, whole");
    assertFalse(stored.all(routed("bounced", "r1")), "a bounce needs its notice: not skipped");
    assertFalse(stored.all(routed("before", "r1")));
    assertFalse(stored.all(routed("other", "r1")));
  }

  @Test
  void aDamagedOutcomeIsPassedOver() throws Exception {
    long since = System.currentTimeMillis();
    try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(
        KafkaClients.producer(TestKafka.bootstrap(), ClientName.of("test"), Duration.ofSeconds(30)))) {
      p.send(new ProducerRecord<>(topics.outcomes(), null, since + 10, "x", new byte[] {2, 99, 1})).get();
    }
    store(since + 20, delivered("after", "r1"));
    StoredDeliveries stored = StoredDeliveries.read(TestKafka.bootstrap(), ClientName.of("test"), topics.outcomes(), since,
        Duration.ofSeconds(30));
    assertEquals(1, stored.size(), "the delivery after it is read");
    assertTrue(stored.all(routed("after", "r1")));
  }

  private void store(long atMillis, MailEvent... events) throws Exception {
    try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(
        KafkaClients.producer(TestKafka.bootstrap(), ClientName.of("test"), Duration.ofSeconds(30)))) {
      for (MailEvent e : events) {
        p.send(new ProducerRecord<>(topics.outcomes(), null, atMillis, e.queueId(), EventCodec.encode(e))).get();
      }
    }
  }

  private static Delivered delivered(String queueId, String rcpt) {
    return new Delivered(queueId, address(rcpt), "[127.0.0.1] [127.0.0.1]", OK, 0, System.currentTimeMillis());
  }

  private static MailAddress address(String local) {
    return new MailAddress(local, "y.test");
  }

  private static RecipientRouted routed(String queueId, String... rcpts) {
    List<EnvelopeRecipient> recipients = new ArrayList<>();
    for (String r : rcpts) {
      recipients.add(EnvelopeRecipient.of(address(r)));
    }
    MessageAccepted m = new MessageAccepted(queueId, System.currentTimeMillis(), address("a"), recipients,
        new ClientInfo("client.test", "127.0.0.1", null, "ESMTP", null), null, "", new BodyRef(0, List.of(0L), 10),
        MessageAccepted.DsnRequest.NONE);
    return new RecipientRouted(m, m.sender(), HOST, recipients, List.of(), System.currentTimeMillis());
  }
}
