package io.mailstream.ops.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.mailstream.core.config.ConfigBuilder;
import io.mailstream.core.envelope.MailLog;
import io.mailstream.queue.testkit.TestKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code RCPT TO:<root>}, a bare local user as cron and mailx hand it to sendmail: accepted,
 * qualified with the relay's name, aliased (root: jane) and delivered to jane's Maildir; the mail
 * log names jane and, as sendmail's does, the address the client gave ({@code orig_to=}).
 */
class LocalUserEndToEndTest {
  @TempDir Path dir;

  @Test
  void aBareLocalUserIsAcceptedAliasedAndLoggedWithOrigTo() throws Exception {
    Path aliases = Files.writeString(dir.resolve("aliases"), "postmaster: root\nroot: jane\n");
    ConfigBuilder b =
        new ConfigBuilder()
            .hostname("relay.test")
            .dataDir(dir.resolve("data").toString())
            .listen(List.of("127.0.0.1:0"))
            .kafkaBootstrap(TestKafka.bootstrap())
            .topicPrefix("localuser-" + UUID.randomUUID())
            .partitions(2)
            .deliveryThreads(1);
    b.routing().map("aliases", aliases);
    Logger maillog = (Logger) org.slf4j.LoggerFactory.getLogger(MailLog.LOG.getName());
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    maillog.addAppender(lines);
    try (MailstreamNode node = MailstreamNode.start(b.build(), EnumSet.allOf(Stage.class))) {
      String reply = Smtp.send(node.listening().get(0), "cron@client.test", "root", "cron output");
      assertTrue(reply.startsWith("250"), reply);
      Path janeNew = dir.resolve("data").resolve("mail").resolve("jane").resolve("new");
      Await.until(() -> hasFiles(janeNew), Duration.ofSeconds(60), "delivery to jane");
      Await.until(() -> sent(lines).size() == 1, Duration.ofSeconds(30), "the stat=Sent line");
      String line = sent(lines).get(0);
      assertTrue(line.contains(": to=<jane@relay.test>, orig_to=<root@relay.test>, "), line);
      assertTrue(line.contains("mailer=local"), line);
      assertEquals(1, Files.list(janeNew).count());
    } finally {
      maillog.detachAppender(lines);
    }
  }

  private static List<String> sent(ListAppender<ILoggingEvent> lines) {
    synchronized (lines.list) {
      return lines.list.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains("stat=Sent")).toList();
    }
  }

  private static boolean hasFiles(Path d) throws Exception {
    if (!Files.isDirectory(d)) {
      return false;
    }
    try (Stream<Path> s = Files.list(d)) {
      return s.findAny().isPresent();
    }
  }
}
