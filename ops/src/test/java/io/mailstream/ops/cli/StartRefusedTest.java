package io.mailstream.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mailstream.ops.node.DataDirInUseException;
import io.mailstream.ops.node.DataDirLock;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an administrator sees when {@code mailstream start} (its own JVM, the main classes only) is
 * refused before Kafka: one {@code mailstream:} line on stderr, exit status 1, nothing logged, and
 * nothing written under the data directory.
 */
class StartRefusedTest {
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void aLockedDataDirectoryIsNamedWithItsOwnerAndNothingIsWritten() throws Exception {
    Path data = dir.resolve("data");
    long self = ProcessHandle.current().pid();
    try (DataDirLock lock = DataDirLock.acquire(data)) {
      // A refused claim from this JVM must not release the lock the child is about to meet.
      assertThrows(DataDirInUseException.class, () -> DataDirLock.acquire(data));
      ChildStart.Result r = new ChildStart().run(dir, DEADLINE,
          "start", "--data-dir", "data", "--listen", "127.0.0.1:0", "--smart-host", "127.0.0.1:1");
      assertEquals(1, r.status(), r.stderr());
      assertEquals(List.of("mailstream: data directory " + lock.directory() + " is in use by another Mailstream node (PID "
          + self + "); stop it first or give this one another --data-dir"), r.errLines());
      assertTrue(r.stdout().isBlank(), "nothing logged: " + r.stdout());
      // Not even the mail log: the child's working directory is dir, so data/log would be here too.
      assertEquals(List.of(data), list(dir));
      assertEquals(List.of(data.resolve("mailstream.lock")), list(data));
    }
  }

  /**
   * CI runs as root, so the refused privileged port is seen by running the JVM as nobody with
   * setpriv(1) from util-linux; without setpriv this fails rather than passing unseen.
   */
  @Test
  void aPrivilegedPortAsAnotherUserIsRefusedWithTheCapabilityHint() throws Exception {
    assumeTrue(((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0,
        "only root can run a process as nobody");
    Path setpriv = onPath("setpriv");
    // Not Files.readString: procfs reports a size of 0 and the JDK then reads a single byte.
    int unprivilegedFrom =
        Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_unprivileged_port_start")).get(0).strip());
    assumeTrue(unprivilegedFrom > 1, "net.ipv4.ip_unprivileged_port_start=" + unprivilegedFrom + ": every user may bind any port");
    int port = freePortBelow(Math.min(unprivilegedFrom, 1024));

    // nobody must be able to reach the classes and the data directory.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path data = Files.createDirectory(dir.resolve("data"));
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxrwxrwx"));
    String classpath = readableCopy(ChildStart.mainClasspath(), Files.createDirectory(dir.resolve("classpath")));

    ChildStart.Result r = new ChildStart()
        .under(setpriv.toString(), "--reuid", "nobody", "--regid", "nogroup", "--clear-groups")
        .classpath(classpath)
        .run(dir, DEADLINE, "start", "--data-dir", data.toString(), "--listen", "127.0.0.1:" + port, "--smart-host", "127.0.0.1:1");
    assertEquals(List.of("mailstream: listen: 127.0.0.1:" + port + " mta: permission denied: ports below 1024 need root or"
        + " CAP_NET_BIND_SERVICE (setcap 'cap_net_bind_service=+ep' on java, or systemd AmbientCapabilities)"), r.errLines());
    assertEquals(1, r.status());
    assertEquals(List.of(data.resolve("mailstream.lock")), list(data), "no Kafka, not even the mail log");
  }

  private static Path onPath(String command) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path p = Path.of(d, command);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return fail(command + " is not installed (util-linux provides it): the privileged-port check cannot run");
  }

  private static int freePortBelow(int limit) {
    for (int port = limit - 1; port > 0; port--) {
      try (ServerSocket s = new ServerSocket()) {
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return port;
      } catch (IOException inUse) {
        // Try the next one down.
      }
    }
    return fail("no free port below " + limit + " on loopback");
  }

  /**
   * The class path as files nobody can read: the local Maven repository is usually in root's
   * private home. Jars are hard-linked where possible (same file system), copied otherwise.
   */
  private static String readableCopy(String classpath, Path into) throws IOException {
    List<String> entries = new ArrayList<>();
    int i = 0;
    for (String entry : classpath.split(File.pathSeparator)) {
      Path from = Path.of(entry);
      Path to = into.resolve(i++ + "-" + from.getFileName());
      if (Files.isDirectory(from)) {
        copyTree(from, to);
      } else if (Files.isRegularFile(from)) {
        try {
          Files.createLink(to, from);
        } catch (IOException | UnsupportedOperationException e) {
          Files.copy(from, to);
        }
      } else {
        continue;
      }
      entries.add(to.toString());
    }
    return String.join(File.pathSeparator, entries);
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> all = Files.walk(from)) {
      all.forEach(p -> {
        try {
          Files.copy(p, to.resolve(from.relativize(p).toString()));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }

  private static List<Path> list(Path d) throws IOException {
    try (Stream<Path> files = Files.list(d)) {
      return files.sorted().toList();
    }
  }
}
