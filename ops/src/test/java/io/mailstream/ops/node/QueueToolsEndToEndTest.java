package io.mailstream.ops.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.delivery.testkit.FakeSmartHost;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The queue verbs against a running node holding delivered, bounced, deferred, held and deleted
 * mail: mailq (listing and JSON, filters), show, hold, release, delete, flush and requeue, and the
 * token that orders need. Retries are an hour apart, so every attempt after the first is one a verb
 * asked for.
 */
class QueueToolsEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir Path dir;

  private MailstreamConfig config(FakeSmartHost smartHost) throws Exception {
    return QueueTestNodes.config(dir.resolve("data"), smartHost, "queue-" + UUID.randomUUID(), 2, "1h").build();
  }

  @Test
  void everyVerbAgainstARunningNode() throws Exception {
    try (FakeSmartHost smartHost = FakeSmartHost.start()) {
      smartHost.onRcpt("nobody@corp.example", "550 5.1.1 <nobody@corp.example>... User unknown");
      for (String r : List.of("later@slow.example", "hold@slow.example", "gone@slow.example", "again@other.example")) {
        smartHost.onRcpt(r, "451 4.7.1 Try again later");
      }
      try (MailstreamNode node = MailstreamNode.start(config(smartHost), EnumSet.allOf(Stage.class))) {
        String data = dir.resolve("data").toString();
        String delivered = send(node, "ok@corp.example", "delivered one");
        String bounced = send(node, "nobody@corp.example", "bounced one");
        String later = send(node, "later@slow.example", "deferred one");
        String held = send(node, "hold@slow.example", "held one");
        String gone = send(node, "gone@slow.example", "deleted one");
        String again = send(node, "again@other.example", "requeued one");
        Await.until(() -> state(data, delivered).equals("delivered") && state(data, bounced).equals("bounced")
            && List.of(later, held, gone, again).stream().allMatch(id -> state(data, id).equals("deferred")),
            WAIT, "every message in its first state");

        // mailq lists what is still queued, in sendmail's layout, with each recipient's last reply.
        String listing = Cli.ok("mailq", "--data-dir", data);
        assertTrue(listing.contains("Mail queue (4 requests)"), listing);
        assertTrue(listing.contains("<later@slow.example> deferred: 451 4.7.1 Try again later"), listing);
        assertFalse(listing.contains(delivered), "delivered mail has left the queue:\n" + listing);
        JsonNode all = JSON.readTree(Cli.ok("mailq", "--data-dir", data, "--json", "--all"));
        assertEquals(6, ids(all).stream().filter(List.of(delivered, bounced, later, held, gone, again)::contains).count());
        JsonNode bouncedOnly = JSON.readTree(Cli.ok("mailq", "--data-dir", data, "--json", "--state", "bounced"));
        assertEquals(List.of(bounced), ids(bouncedOnly));
        assertEquals("550 5.1.1 <nobody@corp.example>... User unknown",
            bouncedOnly.get("messages").get(0).get("recipients").get(0).get("lastReply").asText());
        JsonNode slow = JSON.readTree(Cli.ok("mailq", "--data-dir", data, "--json", "--domain", "slow.example"));
        assertEquals(List.of(later, held, gone), ids(slow));
        assertEquals(List.of(), ids(JSON.readTree(Cli.ok("mailq", "--data-dir", data, "--json", "--older-than", "1h"))));

        // show: envelope, header section and history.
        String shown = Cli.ok("show", "--data-dir", data, later);
        assertTrue(shown.contains("Sender:      <a@client.test>"), shown);
        assertTrue(shown.contains("Subject: deferred one"), shown);
        assertTrue(shown.contains("Received: from client.test"), shown);
        for (String event : List.of("accepted", "routed", "attempted", "deferred")) {
          assertTrue(shown.contains(" " + event + " "), event + " in\n" + shown);
        }
        assertEquals(1, Cli.run("show", "--data-dir", data, "no-such-id").exit());

        // Orders need the token.
        HttpResponse<String> anonymous = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create("http://" + address(data) + "/queue/hold?id=" + held))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, anonymous.statusCode());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("data/admin.token"))));
        Path wrong = dir.resolve("wrong.token");
        Files.writeString(wrong, "not-the-token\n");
        assertEquals(1, Cli.run("hold", "--data-dir", data, "--token-file", wrong.toString(), held).exit());
        assertEquals(2, Cli.run("hold", "--data-dir", data).exit(), "an order without a selection is refused");

        // hold, delete: then flush the domain with the smart host accepting everything. Only the
        // message neither held nor deleted is attempted.
        assertTrue(Cli.ok("hold", "--data-dir", data, held).startsWith("1 message held: " + held), "hold");
        assertTrue(Cli.ok("delete", "--data-dir", data, gone).startsWith("1 message deleted: " + gone), "delete");
        assertEquals("held", state(data, held));
        assertTrue(Cli.ok("mailq", "--data-dir", data).contains(held + "!"), "a held message is marked !");
        smartHost.resetScript();
        String flushed = Cli.ok("flush", "--data-dir", data, "--domain", "slow.example");
        assertTrue(flushed.startsWith("1 message flushed: " + later), flushed);
        Await.until(() -> state(data, later).equals("delivered"), WAIT, "the flushed message delivered");
        assertEquals(1, smartHost.count("RCPT TO:<hold@slow.example>"), "the held message is not attempted");
        assertEquals(1, smartHost.count("RCPT TO:<gone@slow.example>"), "the deleted message is not attempted");
        assertEquals("deleted", state(data, gone));
        assertFalse(Cli.ok("mailq", "--data-dir", data).contains(gone));

        // requeue: routed again under the rules in force, then attempted.
        String requeued = Cli.ok("requeue", "--data-dir", data, "--sender", "client.test", "--state", "deferred");
        assertTrue(requeued.startsWith("1 message requeued: " + again), requeued);
        Await.until(() -> state(data, again).equals("delivered"), WAIT, "the requeued message delivered");
        assertTrue(Cli.ok("show", "--data-dir", data, again).contains(" requeued "), "the history says it was requeued");

        // release: attempted at once.
        assertTrue(Cli.ok("release", "--data-dir", data, "--state", "held").startsWith("1 message released: " + held));
        Await.until(() -> state(data, held).equals("delivered"), WAIT, "the released message delivered");
        assertEquals(2, smartHost.count("RCPT TO:<hold@slow.example>"));
        assertEquals(1, smartHost.count("RCPT TO:<gone@slow.example>"), "a deleted message stays deleted");
        assertTrue(Cli.ok("mailq", "--data-dir", data).startsWith("Mail queue is empty"));
      }
    }
  }

  /**
   * admin.listen and admin.token-file: the endpoint listens where it is told and takes the token
   * from the file; the verbs reach it by --admin and --token-file, or by the data-dir of --config.
   */
  @Test
  void adminAddressAndTokenFileFromTheConfiguration() throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path token = dir.resolve("admin.token");
    Files.writeString(token, "s3cret-token\n");
    try (FakeSmartHost smartHost = FakeSmartHost.start()) {
      smartHost.onRcpt("later@slow.example", "451 4.7.1 Try again later");
      MailstreamConfig config = QueueTestNodes.config(dir.resolve("data"), smartHost, "queue-" + UUID.randomUUID(), 1, "1h")
          .adminListen("127.0.0.1:" + port)
          .adminTokenFile(token)
          .build();
      try (MailstreamNode node = MailstreamNode.start(config, EnumSet.allOf(Stage.class))) {
        assertEquals("127.0.0.1:" + port, address(dir.resolve("data").toString()));
        assertFalse(Files.exists(dir.resolve("data/admin.token")), "the configured token is used, none made");
        String id = send(node, "later@slow.example", "deferred one");
        String admin = "127.0.0.1:" + port;
        Await.until(() -> JSON.readTree(Cli.ok("mailq", "--admin", admin, "--json", "--state", "deferred")).get("count").asInt() == 1, WAIT,
            "the message deferred");
        assertEquals(2, Cli.run("hold", "--admin", admin, "--token-file", dir.resolve("nothing").toString(), id).exit(),
            "no token file");
        Path wrong = dir.resolve("wrong.token");
        Files.writeString(wrong, "guessed\n");
        assertEquals(1, Cli.run("hold", "--admin", admin, "--token-file", wrong.toString(), id).exit(), "a wrong token");
        assertTrue(Cli.ok("hold", "--admin", admin, "--token-file", token.toString(), id).startsWith("1 message held"));
        Path yaml = dir.resolve("mailstream.yaml");
        Files.writeString(yaml, "data-dir: " + dir.resolve("data") + "\nsmart-host: 127.0.0.1:25\n");
        assertTrue(Cli.ok("show", "--config", yaml.toString(), id).contains("State:       held"));
        assertEquals(2, Cli.run("mailq", "--data-dir", dir.resolve("elsewhere").toString()).exit(), "no node there");
      }
    }
  }

  static String send(MailstreamNode node, String to, String subject) throws Exception {
    String reply = Smtp.send(node.listening().get(0), "a@client.test", to, subject);
    assertTrue(reply.startsWith("250"), reply);
    return reply.split(" ")[2];
  }

  /** The summary state of a message as the node's GET /queue/message/ID says, or "unknown". */
  static String state(String data, String id) {
    Cli c = Cli.run("show", "--data-dir", data, "--json", id);
    if (c.exit() != 0) {
      return "unknown";
    }
    JsonNode m;
    try {
      m = JSON.readTree(c.out()).get("message");
    } catch (java.io.IOException e) {
      throw new AssertionError(c.out(), e);
    }
    assertNotNull(m);
    return m.get("state").asText();
  }

  static List<String> ids(JsonNode listing) {
    List<String> out = new ArrayList<>();
    listing.get("messages").forEach(m -> out.add(m.get("queueId").asText()));
    return out;
  }

  static String address(String data) throws Exception {
    return Files.readString(Path.of(data, "admin.address"), StandardCharsets.US_ASCII).strip();
  }
}
