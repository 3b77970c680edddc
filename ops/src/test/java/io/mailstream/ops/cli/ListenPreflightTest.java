package io.mailstream.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.config.Listener;
import io.mailstream.ops.node.DataDirLock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A listen address that cannot be bound stops {@code mailstream start} with one line and exit 1
 * before Kafka starts. The refused privileged port, which needs another user, is {@link
 * StartRefusedTest}'s.
 */
class ListenPreflightTest {
  @TempDir Path dir;

  @Test
  void anAddressInUseStopsTheStartBeforeKafka() throws Exception {
    Path data = dir.resolve("data");
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String at = "127.0.0.1:" + taken.getLocalPort();
      PrintStream before = System.err;
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int status;
      try {
        status = MailstreamCommand.commandLine().execute(
            "start", "--data-dir", data.toString(), "--listen", "127.0.0.1:0", "--listen", at, "--smart-host", "127.0.0.1:1");
      } finally {
        System.setErr(before);
      }
      assertEquals(1, status);
      assertEquals("mailstream: listen: " + at + " mta: address already in use (another process listens there)",
          err.toString(StandardCharsets.UTF_8).strip());
    }
    assertTrue(Files.notExists(data.resolve("kafka")), "Kafka was not started");
    // The refused start let its lock go.
    DataDirLock.acquire(data).close();
  }

  @Test
  void aFreeAddressAndPortZeroPass() throws Exception {
    int free;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      free = s.getLocalPort();
    }
    assertEquals(Optional.empty(),
        ListenPreflight.check(List.of(Listener.parse("127.0.0.1:0"), Listener.parse("127.0.0.1:" + free + " msa"))));
  }

  @Test
  void anAddressOfNoInterfaceHereIsNamed() {
    // 192.0.2.0/24 is TEST-NET-1 (RFC 5737): never an address of this machine.
    assertEquals(Optional.of("listen: 192.0.2.1:2525 mta: address not available (no interface of this machine has it)"),
        ListenPreflight.check(List.of(Listener.parse("192.0.2.1:2525"))));
  }

  @Test
  void theFirstBadListenerIsTheOneReported() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String at = "127.0.0.1:" + taken.getLocalPort();
      assertEquals(Optional.of("listen: " + at + " smtps: address already in use (another process listens there)"),
          ListenPreflight.check(List.of(Listener.parse("127.0.0.1:0"), Listener.parse(at + " smtps"),
              Listener.parse("192.0.2.1:25"))));
    }
  }
}
