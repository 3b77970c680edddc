package io.mailstream.ops.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.config.ConfigBuilder;
import io.mailstream.core.config.ConfigReader;
import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.delivery.testkit.FakeSmartHost;
import io.mailstream.ops.cli.MailstreamCommand;
import io.mailstream.queue.testkit.TestKafka;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code mailstream reload} against a running node: a changed mailertable takes effect for the next
 * message, a broken one is refused with file and line and the running version stays.
 */
class ReloadEndToEndTest {
  @TempDir Path dir;

  @Test
  void reloadSwapsTheRulesAndRefusesABrokenMap() throws Exception {
    try (FakeSmartHost smartHost = FakeSmartHost.start()) {
      Path config = dir.resolve("mailstream.yaml");
      Path mailertable = dir.resolve("mailertable");
      Files.writeString(mailertable, ".corp.example error:5.7.1:550 not yet\n");
      Files.writeString(config,
          "hostname: relay.test\n"
              + "data-dir: " + dir.resolve("data") + "\n"
              + "listen: [127.0.0.1:0]\n"
              + "kafka:\n  bootstrap: " + TestKafka.bootstrap() + "\n  topic-prefix: reload-" + UUID.randomUUID() + "\n  partitions: 2\n"
              + "routing:\n  mailertable: mailertable\n"
              + "mailers:\n  relay: " + smartHost.port() + "\n");
      MailstreamConfig first = load(config);
      try (MailstreamNode node = MailstreamNode.start(first, EnumSet.allOf(Stage.class), () -> load(config), List.of(config))) {
        // Version 1 refuses the domain at RCPT (the ingress asks the same rules).
        AssertionError refused = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
            () -> Smtp.send(node.listening().get(0), "a@client.test", "b@x.corp.example", "before"));
        assertTrue(refused.getMessage().contains("550 5.7.1 not yet"), refused.getMessage());

        Path tmp = dir.resolve("mailertable.new");
        Files.writeString(tmp, ".corp.example relay:[127.0.0.1]\n");
        Files.move(tmp, mailertable, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        String[] out = reload(dir.resolve("data"));
        assertEquals("0", out[0], out[2]);
        assertTrue(out[1].startsWith("configuration version"), out[1]);
        long version = node.rulesVersion();
        assertTrue(Smtp.send(node.listening().get(0), "a@client.test", "b@x.corp.example", "after").startsWith("250"));
        smartHost.awaitMessages(1, Duration.ofSeconds(60));

        Files.writeString(tmp, ".corp.example nosuchmailer:x\n");
        Files.move(tmp, mailertable, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        String[] bad = reload(dir.resolve("data"));
        assertEquals("1", bad[0]);
        assertTrue(bad[2].contains(mailertable + ":1: "), bad[2]);
        assertTrue(node.rulesVersion() >= version);
        assertTrue(Smtp.send(node.listening().get(0), "a@client.test", "c@x.corp.example", "still").startsWith("250"),
            "the running version keeps routing");
      }
    }
  }

  private static MailstreamConfig load(Path config) throws Exception {
    ConfigBuilder b = new ConfigBuilder();
    ConfigReader.read(config, b);
    return b.build();
  }

  private static String[] reload(Path dataDir) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = MailstreamCommand.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int status = cli.execute("reload", "--data-dir", dataDir.toString());
    return new String[] {Integer.toString(status), out.toString(), err.toString()};
  }
}
