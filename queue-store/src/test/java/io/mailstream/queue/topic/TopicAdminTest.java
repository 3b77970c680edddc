package io.mailstream.queue.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.mailstream.core.config.KafkaSettings;
import io.mailstream.queue.testkit.TestKafka;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The topics exist with the configuration the durability promise depends on. */
class TopicAdminTest {

  @Test
  void createsTopicsWithFsyncAndRetentionAndIsIdempotent() throws Exception {
    KafkaSettings s = TestKafka.freshTopics(4, true);
    TopicAdmin.ensure(TestKafka.bootstrap(), s, Duration.ofSeconds(30)); // second call: no error
    Topics t = new Topics(s);
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap());
    try (Admin admin = Admin.create(p)) {
      for (String topic : List.of(t.bodies(), t.accepted(), t.routed(), t.retryState())) {
        assertEquals(4, admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size());
        Config c = config(admin, topic);
        assertEquals("1", c.get("flush.messages").value(), topic + " must fsync every append");
        assertEquals("1", c.get("min.insync.replicas").value());
      }
      assertFalse("1".equals(config(admin, t.outcomes()).get("flush.messages").value()), "outcomes hold no mail");
      assertEquals(Long.toString(Duration.ofDays(7).toMillis()), config(admin, t.accepted()).get("retention.ms").value());
      assertEquals(Long.toString(Duration.ofDays(7).toMillis()), config(admin, t.bodies()).get("retention.ms").value());
      assertEquals("compact", config(admin, t.retryState()).get("cleanup.policy").value());
      // Configuration versions: one partition (one order, offsets number them), compacted.
      assertEquals(1, admin.describeTopics(List.of(t.config())).allTopicNames().get().get(t.config()).partitions().size());
      assertEquals("compact", config(admin, t.config()).get("cleanup.policy").value());
    }
  }

  @Test
  void leavesFsyncToKafkaWhenReplicated() throws Exception {
    KafkaSettings s = TestKafka.freshTopics(1, false);
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap());
    try (Admin admin = Admin.create(p)) {
      Config c = config(admin, new Topics(s).accepted());
      assertFalse("1".equals(c.get("flush.messages").value()));
    }
  }

  @Test
  void turningFsyncOffAndOnAgainReachesExistingTopics() throws Exception {
    KafkaSettings on = TestKafka.freshTopics(1, true);
    KafkaSettings off = new KafkaSettings(null, on.topicPrefix(), 1, (short) 1, 1, false);
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap());
    try (Admin admin = Admin.create(p)) {
      TopicAdmin.ensure(TestKafka.bootstrap(), off, Duration.ofSeconds(30));
      assertFalse("1".equals(config(admin, new Topics(off).bodies()).get("flush.messages").value()));
      TopicAdmin.ensure(TestKafka.bootstrap(), on, Duration.ofSeconds(30));
      assertEquals("1", config(admin, new Topics(on).bodies()).get("flush.messages").value());
    }
  }

  /**
   * A queue lifetime longer than the default retention: new topics keep mail for the lifetime
   * plus two days, and topics created before with the default retention are raised to it, so a
   * deferred message never outlives its body. Outcomes and dead letters keep their retention.
   */
  @Test
  void retentionOfMailTopicsFollowsTheQueueLifetime() throws Exception {
    KafkaSettings s = TestKafka.freshTopics(1, false); // created for the default lifetime: 7 days
    Topics t = new Topics(s);
    String twelveDays = Long.toString(Duration.ofDays(12).toMillis());
    String sevenDays = Long.toString(Duration.ofDays(7).toMillis());
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap());
    try (Admin admin = Admin.create(p)) {
      assertEquals(sevenDays, config(admin, t.bodies()).get("retention.ms").value());
      TopicAdmin.ensure(TestKafka.bootstrap(), s, Duration.ofDays(10), Duration.ofSeconds(30));
      for (String topic : List.of(t.bodies(), t.accepted(), t.routed())) {
        assertEquals(twelveDays, config(admin, topic).get("retention.ms").value(), topic);
      }
      assertEquals(sevenDays, config(admin, t.outcomes()).get("retention.ms").value());
      assertEquals(sevenDays, config(admin, t.deadLetter()).get("retention.ms").value());
      // A shorter lifetime later never lowers what is there.
      TopicAdmin.ensure(TestKafka.bootstrap(), s, Duration.ofDays(1), Duration.ofSeconds(30));
      assertEquals(twelveDays, config(admin, t.bodies()).get("retention.ms").value());

      KafkaSettings fresh = new KafkaSettings(null, s.topicPrefix() + "-new", 1, (short) 1, 1, false);
      TopicAdmin.ensure(TestKafka.bootstrap(), fresh, Duration.ofDays(20), Duration.ofSeconds(30));
      assertEquals(Long.toString(Duration.ofDays(22).toMillis()),
          config(admin, new Topics(fresh).bodies()).get("retention.ms").value(), "created with it");
    }
  }

  @ParameterizedTest(name = "lifetime {0} keeps mail {1}")
  @CsvSource({"PT4H, P7D", "P5D, P7D", "P6D, P8D", "P30D, P32D"})
  void retentionIsTheLifetimePlusTwoDaysAndAtLeastSeven(Duration lifetime, Duration retention) {
    assertEquals(retention, MailRetention.forLifetime(lifetime));
  }

  private static Config config(Admin admin, String topic) throws Exception {
    ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    Map<ConfigResource, Config> m = admin.describeConfigs(List.of(r)).all().get();
    return m.get(r);
  }
}
