package io.mailstream.ingress.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.config.ConfigBuilder;
import io.mailstream.core.config.KafkaSettings;
import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.ingress.server.IngressServer;
import io.mailstream.queue.broker.EmbeddedKafka;
import io.mailstream.queue.codec.BodyChunk;
import io.mailstream.queue.topic.ClientName;
import io.mailstream.queue.topic.KafkaClients;
import io.mailstream.queue.topic.TopicAdmin;
import io.mailstream.queue.topic.Topics;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker really stops in the middle of a 3 MiB DATA: the client gets 451, new sessions get 421
 * while it is away, nothing half-written becomes visible, and service resumes when it returns.
 */
class BrokerOutageTest {
  @TempDir Path dir;

  @Test
  void brokerLossMidDataGives451Then421AndServiceResumes() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    EmbeddedKafka broker = EmbeddedKafka.start(dir.resolve("kafka"), port);
    String bootstrap = broker.bootstrap();
    KafkaSettings settings = new KafkaSettings(null, "outage", 2, (short) 1, 1, true);
    TopicAdmin.ensure(bootstrap, settings, Duration.ofSeconds(60));
    Topics topics = new Topics(settings);
    MailstreamConfig config =
        new ConfigBuilder().hostname("mx.test").listen(List.of("127.0.0.1:0")).smartHost("[127.0.0.1]:9")
            .acceptDeadline("3s").build();
    KafkaPublisher publisher = KafkaPublisher.create(bootstrap, topics, Duration.ofSeconds(3));
    IngressServer server = IngressServer.builder().config(config).publisher(publisher).build().start();
    InetSocketAddress smtp = server.boundAddresses().get(0);
    try {
      // A 3 MiB message: the first half goes in while the broker is up.
      try (Client c = new Client(smtp)) {
        assertTrue(c.read().startsWith("220"));
        c.command("EHLO client.test");
        assertTrue(c.command("MAIL FROM:<a@client.test>").startsWith("250"));
        assertTrue(c.command("RCPT TO:<b@remote.test>").startsWith("250"));
        assertTrue(c.command("DATA").startsWith("354"));
        c.write("Subject: big\r\n\r\n");
        String line = "y".repeat(1022) + "\r\n";
        for (int i = 0; i < 1536; i++) {
          c.write(line);
        }
        broker.close(); // the broker really stops, mid-DATA
        for (int i = 0; i < 1536; i++) {
          c.write(line);
        }
        long sent = System.nanoTime();
        String reply = c.command(".");
        assertTrue(reply.startsWith("451 4.3.0"), reply);
        assertTrue(System.nanoTime() - sent < Duration.ofSeconds(15).toNanos(), "451 within the accept deadline");
      }

      // While the broker is away new sessions are refused at once.
      awaitBanner(smtp, "421 4.3.0");

      broker = EmbeddedKafka.start(dir.resolve("kafka"), port);
      awaitBanner(smtp, "220");
      try (Client c = new Client(smtp)) {
        c.read();
        c.command("EHLO client.test");
        c.command("MAIL FROM:<a@client.test>");
        c.command("RCPT TO:<b@remote.test>");
        c.command("DATA");
        c.write("Subject: after\r\n\r\nback again\r\n");
        String reply = c.command(".");
        assertTrue(reply.startsWith("250 2.0.0"), reply);
      }

      // Only the message that got 250 is committed; no body record exceeds a chunk.
      List<ConsumerRecord<String, byte[]>> accepted = readAll(bootstrap, topics.accepted());
      assertEquals(1, accepted.size(), "the 451 message must not be visible to the router");
      for (ConsumerRecord<String, byte[]> r : readAll(bootstrap, topics.bodies())) {
        assertTrue(r.value().length <= BodyChunk.MAX_SIZE + 64, "record of " + r.value().length + " octets");
      }
    } finally {
      server.close();
      publisher.close();
      broker.close();
    }
  }

  private static void awaitBanner(InetSocketAddress smtp, String prefix) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      try (Client c = new Client(smtp)) {
        last = c.read();
        if (last.startsWith(prefix)) {
          return;
        }
      }
      LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
    }
    throw new AssertionError("banner never started with " + prefix + "; last: " + last);
  }

  /** Every committed record of {@code topic}, read up to its current end. */
  private static List<ConsumerRecord<String, byte[]>> readAll(String bootstrap, String topic) {
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(KafkaClients.reader(bootstrap, ClientName.of("test")))) {
      List<TopicPartition> parts =
          c.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        assertTrue(System.nanoTime() < deadline, "reading " + topic + " timed out");
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }

  /** A line-at-a-time SMTP client on a real socket. */
  static final class Client implements AutoCloseable {
    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;

    Client(InetSocketAddress address) throws Exception {
      socket = new Socket(address.getAddress(), address.getPort());
      socket.setSoTimeout(60_000);
      in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
      out = socket.getOutputStream();
    }

    String read() throws Exception {
      String line = in.readLine();
      String last = line;
      while (last != null && last.length() > 3 && last.charAt(3) == '-') {
        last = in.readLine();
      }
      return last == null ? "" : last;
    }

    void write(String text) throws Exception {
      out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    String command(String line) throws Exception {
      write(line + "\r\n");
      out.flush();
      return read();
    }

    @Override
    public void close() throws Exception {
      socket.close();
    }
  }
}
