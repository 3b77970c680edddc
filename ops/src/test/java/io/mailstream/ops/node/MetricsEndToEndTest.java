package io.mailstream.ops.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailstream.core.config.ConfigBuilder;
import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.delivery.testkit.FakeSmartHost;
import io.mailstream.queue.testkit.TestKafka;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics} of a running node after real mail: a delivered, a deferred and a bounced
 * recipient at a configured next hop (a mailertable host), a local delivery, mail to a host nobody
 * configured (an address literal, deferred: nothing listens there), a relay refusal and a
 * connection over {@code smtp.max-connections-per-ip}. The scrape is checked for Prometheus names
 * and for exactly the label sets each series should have, and the queue gauges against the
 * node's own listing of its deferred mail.
 */
class MetricsEndToEndTest {
  @TempDir Path dir;

  @Test
  void scrapeAfterRealMailHasTheNamesAndLabelSets() throws Exception {
    try (FakeSmartHost corp = FakeSmartHost.start()) {
      corp.onRcpt("later@corp.example", "451 4.2.0 mailbox busy");
      corp.onRcpt("nobody@corp.example", "550 5.1.1 no such user");
      Files.writeString(dir.resolve("mailertable"), "corp.example\tesmtp:[127.0.0.1]\n");
      MailstreamConfig config = config(corp.port());
      try (MailstreamNode node = MailstreamNode.start(config, EnumSet.allOf(Stage.class))) {
        InetSocketAddress smtp = node.listening().get(0);
        for (String to : List.of("bob@corp.example", "later@corp.example", "nobody@corp.example",
            "alice@local.test", "someone@[127.0.0.9]")) {
          idle(); // smtp.max-connections-per-ip is 1: the last connection must have been closed
          assertTrue(Smtp.send(smtp, "a@client.test", to, "to " + to).startsWith("250"), to);
        }
        idle();
        String tooLarge = tooLarge(smtp);
        assertTrue(tooLarge.startsWith("552 "), tooLarge); // after HELO: no enhanced code
        idle();
        refusedOverPerIpLimit(smtp);
        Map<String, Double> m = awaitScrape(s ->
            value(s, "mailstream_recipients_delivered_total{destination=\"local\"}") >= 1
                && value(s, "mailstream_recipients_delivered_total{destination=\"127.0.0.1\"}") >= 1
                && value(s, "mailstream_recipients_deferred_total{destination=\"127.0.0.1\"}") >= 1
                && value(s, "mailstream_recipients_bounced_total{destination=\"127.0.0.1\"}") >= 1
                && value(s, "mailstream_recipients_deferred_total{destination=\"other\"}") >= 1
                && value(s, "mailstream_consumer_lag_records{stage=\"delivery\"}") == 0);

        assertEquals(5, m.get("mailstream_messages_accepted_total"));
        assertTrue(m.get("mailstream_accepted_bytes_total") > 5 * 20, m.toString());
        assertEquals(5, m.get("mailstream_accept_latency_seconds_count"));
        assertEquals(5, m.get("mailstream_accept_latency_seconds_bucket{le=\"30.0\"}"));
        assertTrue(m.get("mailstream_smtp_connections_total{role=\"mta\"}") >= 7, m.toString());
        assertEquals(1, m.get("mailstream_smtp_connections_refused_total{reason=\"max-connections-per-ip\"}"));
        assertEquals(1, m.get("mailstream_smtp_rejections_total{code=\"552\"}"));
        assertEquals(3, m.get("mailstream_recipients_routed_total{destination=\"127.0.0.1\"}"));
        assertEquals(1, m.get("mailstream_recipients_routed_total{destination=\"local\"}"));
        // The literal's recipient, and soon the bounce notice to a@client.test (MX delivery) too.
        assertTrue(m.get("mailstream_recipients_routed_total{destination=\"other\"}") >= 1, m.toString());
        assertEquals(1, m.get("mailstream_delivery_latency_seconds_count{destination=\"127.0.0.1\"}"));
        assertTrue(m.containsKey("mailstream_delivery_attempt_seconds_bucket{destination=\"other\",le=\"300.0\"}"), m.toString());
        assertEquals(0, m.get("mailstream_consumer_lag_records{stage=\"router\"}"), 3.0 * 6, "markers only");
        assertEquals(0, m.get("mailstream_stages_down"));
        assertTrue(m.get("mailstream_retry_entries") >= 1, m.toString()); // the two deferred
        assertTrue(m.containsKey("mailstream_rocksdb_sst_files_bytes"), m.toString());
        assertTrue(m.get("jvm_memory_used_bytes{area=\"heap\",id=\"G1 Eden Space\"}") != null
            || m.keySet().stream().anyMatch(k -> k.startsWith("jvm_memory_used_bytes{")), m.toString());
        assertTrue(m.get("process_uptime_seconds") > 0);

        Map<String, Set<String>> labels = labelSets(m.keySet());
        assertEquals(Set.of("destination"), labels.get("mailstream_recipients_delivered_total"));
        assertEquals(Set.of("destination"), labels.get("mailstream_recipients_routed_total"));
        assertEquals(Set.of("destination", "le"), labels.get("mailstream_delivery_latency_seconds_bucket"));
        assertEquals(Set.of("le"), labels.get("mailstream_accept_latency_seconds_bucket"));
        assertEquals(Set.of("reason"), labels.get("mailstream_smtp_connections_refused_total"));
        assertEquals(Set.of("stage"), labels.get("mailstream_consumer_lag_records"));
        assertEquals(Set.of("client_id"), labels.get("kafka_producer_records_sent_total"));
        assertEquals(Set.of("client_id"), labels.get("kafka_consumer_records_lag_max"));
        // Bounded: only configured hosts, local, other and error (refused by the rules), never the
        // literal's address.
        Set<String> destinations = new TreeSet<>();
        m.keySet().stream().map(k -> Pattern.compile("destination=\"([^\"]*)\"").matcher(k))
            .filter(Matcher::find).forEach(x -> destinations.add(x.group(1)));
        assertEquals(Set.of("127.0.0.1", "local", "other", "error"), destinations);
        assertTrue(value(m, "kafka_producer_records_sent_total") > 0, m.toString());
        assertEquals(Set.of("state"), labels.get("mailstream_queue_messages"));
        assertEquals(Set.of("state"), labels.get("mailstream_queue_oldest_age_seconds"));

        queueGaugesAgreeWithTheListing();
      }
    }
  }

  /**
   * The queue gauges against GET /queue, which read the same view: a scrape between two listings
   * of the deferred mail that name the same messages counts exactly them, and the oldest's age is
   * its arrival's distance from the scrape.
   */
  private void queueGaugesAgreeWithTheListing() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (true) {
      JsonNode before = listing("deferred");
      // The gauges count at most once a second: a scrape over a second after the first listing
      // counts after it.
      Thread.sleep(1_100);
      long scrapeStart = System.currentTimeMillis();
      Map<String, Double> m = scrape();
      long scrapeEnd = System.currentTimeMillis();
      JsonNode after = listing("deferred");
      if (QueueToolsEndToEndTest.ids(before).equals(QueueToolsEndToEndTest.ids(after))) {
        int count = before.get("count").asInt();
        // later@corp.example and the address literal's recipient wait for their next attempt.
        assertTrue(count >= 2, before.toString());
        assertEquals((double) count, m.get("mailstream_queue_messages{state=\"deferred\"}").doubleValue(), m.toString());
        assertEquals(0, m.get("mailstream_queue_messages{state=\"held\"}"));
        assertEquals(0, m.get("mailstream_queue_oldest_age_seconds{state=\"held\"}"));
        assertTrue(m.containsKey("mailstream_queue_messages{state=\"queued\"}"), m.toString());
        long oldest = Long.MAX_VALUE;
        for (JsonNode message : before.get("messages")) {
          oldest = Math.min(oldest, message.get("arrivalMillis").asLong());
        }
        double age = m.get("mailstream_queue_oldest_age_seconds{state=\"deferred\"}");
        assertTrue(age >= (scrapeStart - oldest) / 1000.0 - 0.001 && age <= (scrapeEnd - oldest) / 1000.0 + 0.001,
            age + " s is not the age of the oldest deferred message at the scrape, arrived at " + oldest
                + " (scraped from " + scrapeStart + " to " + scrapeEnd + ")");
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the deferred mail never held still for a scrape: " + after);
      }
    }
  }

  private JsonNode listing(String state) throws Exception {
    String address = Files.readString(dir.resolve("data").resolve("admin.address"), StandardCharsets.US_ASCII).strip();
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://" + address + "/queue?state=" + state)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return new ObjectMapper().readTree(r.body());
  }

  private MailstreamConfig config(int corpPort) throws Exception {
    ConfigBuilder b = new ConfigBuilder()
        .hostname("relay.test")
        .dataDir(dir.resolve("data").toString())
        .listen(List.of("127.0.0.1:0"))
        .localDomains(List.of("local.test"))
        .kafkaBootstrap(TestKafka.bootstrap())
        .topicPrefix("metrics-" + UUID.randomUUID())
        .partitions(2)
        .deliveryThreads(1)
        .routerWorkers(1)
        .connectTimeout("2s");
    b.routing().map("mailertable", dir.resolve("mailertable"));
    b.routing().mailerPort("esmtp", corpPort);
    b.smtp().maxConnectionsPerIp(1);
    return b.build();
  }

  /** Waits until the server has seen every connection so far closed. */
  private void idle() throws Exception {
    awaitScrape(s -> value(s, "mailstream_smtp_connections_open") == 0);
  }

  /** A MAIL whose SIZE is over the limit: a 552 reply counted by its code. */
  private static String tooLarge(InetSocketAddress smtp) throws Exception {
    try (Socket s = new Socket(smtp.getAddress(), smtp.getPort())) {
      s.setSoTimeout(30_000);
      BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
      var out = s.getOutputStream();
      assertTrue(in.readLine().startsWith("220"));
      out.write("HELO client.test\r\nMAIL FROM:<a@client.test> SIZE=999999999999\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertTrue(in.readLine().startsWith("250"));
      return in.readLine();
    }
  }

  /** A second connection from 127.0.0.1 while one is open: 421 4.3.2 and a refusal counted. */
  private static void refusedOverPerIpLimit(InetSocketAddress smtp) throws Exception {
    try (Socket first = new Socket(smtp.getAddress(), smtp.getPort())) {
      first.setSoTimeout(30_000);
      BufferedReader in1 = new BufferedReader(new InputStreamReader(first.getInputStream(), StandardCharsets.US_ASCII));
      assertTrue(in1.readLine().startsWith("220"));
      try (Socket second = new Socket(smtp.getAddress(), smtp.getPort())) {
        second.setSoTimeout(30_000);
        String reply = new BufferedReader(new InputStreamReader(second.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        assertTrue(reply.startsWith("421 4.3.2"), reply);
      }
    }
  }

  private Map<String, Double> awaitScrape(java.util.function.Predicate<Map<String, Double>> ready) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    Map<String, Double> m = scrape();
    while (!ready.test(m)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("metrics never showed the mail:\n" + m);
      }
      Thread.sleep(200);
      m = scrape();
    }
    return m;
  }

  /** Every sample of the scrape, keyed by name and labels as Prometheus prints them. */
  private Map<String, Double> scrape() throws Exception {
    String address = Files.readString(dir.resolve("data").resolve("admin.address"), StandardCharsets.US_ASCII).strip();
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://" + address + "/metrics")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    Map<String, Double> out = new TreeMap<>();
    for (String line : r.body().split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      String value = line.substring(space + 1);
      out.put(line.substring(0, space), value.equals("NaN") ? Double.NaN : Double.parseDouble(value));
    }
    return out;
  }

  private static double value(Map<String, Double> m, String key) {
    if (m.containsKey(key)) {
      return m.get(key);
    }
    // A name without labels: the sum over its series.
    return m.entrySet().stream().filter(e -> e.getKey().startsWith(key + "{")).mapToDouble(Map.Entry::getValue).sum();
  }

  private static Map<String, Set<String>> labelSets(Set<String> samples) {
    Map<String, Set<String>> out = new TreeMap<>();
    Pattern name = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?");
    for (String s : samples) {
      Matcher x = name.matcher(s);
      if (!x.matches()) {
        continue;
      }
      Set<String> keys = new TreeSet<>();
      if (x.group(2) != null) {
        for (Matcher kv = Pattern.compile("([a-zA-Z_]+)=\"").matcher(x.group(2)); kv.find(); ) {
          keys.add(kv.group(1));
        }
      }
      out.merge(x.group(1), keys, (a, b) -> {
        if (!a.equals(b)) {
          throw new AssertionError(x.group(1) + " has label sets " + a + " and " + b);
        }
        return a;
      });
    }
    return out;
  }
}
