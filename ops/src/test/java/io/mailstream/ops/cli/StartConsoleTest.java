package io.mailstream.ops.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a new user sees on the console of a first start, as the launcher runs it: a few lines that
 * say what runs (listener, smart host, data directory, admin endpoint, Kafka, configuration
 * version), Kafka's own logging in a file under the data directory instead, and no {@code listen
 * changed; restart to apply} although the command line sets {@code --listen} over the file.
 */
class StartConsoleTest {
  @TempDir Path dir;

  @Test
  void aFirstStartSaysWhatRunsInAFewPlainLines() throws Exception {
    Path config = Files.writeString(dir.resolve("mailstream.yaml"), "local-domains: [example.com]\nlisten: [127.0.0.1:0]\n");
    int port = freePort();
    Path data = dir.resolve("data");
    Path out = dir.resolve("console");
    Process node = new ProcessBuilder(ChildStart.java(), "-Xmx384m", "-cp", ChildStart.mainClasspath(),
            MailstreamCommand.class.getName(), "start", "--config", config.toString(),
            "--listen", "127.0.0.1:" + port, "--smart-host", "[smtp.corp.example]:25", "--data-dir", data.toString())
        .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (!console(out).contains("configuration version 1 (") && node.isAlive() && System.nanoTime() < deadline) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
      }
      String console = console(out);
      assertTrue(node.isAlive(), console);
      assertTrue(console.contains("running stages ingress, router, delivery\n"), console);
      assertTrue(console.contains("\n  listening on 127.0.0.1:" + port + " (mta)\n"), console);
      assertTrue(console.contains("\n  mail goes to the smart host [smtp.corp.example]:25 (mailer relay); local domains example.com\n"), console);
      assertTrue(console.contains("\n  data directory " + data + " (mail log " + data.resolve("log/maillog")), console);
      String admin = Files.readString(data.resolve("admin.address"), StandardCharsets.US_ASCII).strip();
      assertTrue(console.contains("\n  admin endpoint http://" + admin + " (/metrics, /health/ready, /health/live)\n"), console);
      assertTrue(console.contains("\n  Kafka embedded broker at 127.0.0.1:"), console);
      assertTrue(console.contains("\n  configuration version 1 ("), console);
      // Kafka talks to its own file, and its formatter's dump is gone.
      for (String noise : List.of("restart to apply", "Bootstrap metadata", "Formatting metadata", "QuorumController",
          "CONCURRENT_TRANSACTIONS", "created topic mailstream.")) {
        assertFalse(console.contains(noise), noise + " on the console:\n" + console);
      }
      assertTrue(Files.exists(data.resolve("log/kafka.log")), "Kafka's log file");
      long lines = console.lines().count();
      assertTrue(lines <= 12, lines + " lines:\n" + console);
    } finally {
      node.destroy();
      if (!node.waitFor(60, TimeUnit.SECONDS)) {
        node.destroyForcibly();
      }
    }
  }

  private static String console(Path out) throws Exception {
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
