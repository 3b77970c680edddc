package io.mailstream.ops.node;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A tmpfs of a fixed size mounted for one test: a real file system that really fills up. Mounting
 * needs root (CI runs as root); where it is impossible the test is skipped, except in CI
 * ({@code MAILSTREAM_CI} set), where it fails so that the disk-full check never silently stops running.
 */
final class Tmpfs implements AutoCloseable {
  private final Path mountPoint;

  private Tmpfs(Path mountPoint) {
    this.mountPoint = mountPoint;
  }

  /** Mounts a tmpfs of {@code mebibytes} MiB on {@code mountPoint} (created if needed). */
  static Tmpfs mount(Path mountPoint, int mebibytes) throws Exception {
    Files.createDirectories(mountPoint);
    String failure = run(List.of("mount", "-t", "tmpfs", "-o", "size=" + mebibytes + "m,mode=0700", "tmpfs",
        mountPoint.toString()));
    if (failure != null) {
      String why = "cannot mount a tmpfs on " + mountPoint + " (needs root): " + failure;
      if (System.getenv("MAILSTREAM_CI") != null) {
        throw new AssertionError(why + "; CI (MAILSTREAM_CI) must run the disk-full test");
      }
      assumeTrue(false, why);
    }
    return new Tmpfs(mountPoint);
  }

  Path path() {
    return mountPoint;
  }

  /** Octets this process may still write there. */
  long usable() throws IOException {
    return Files.getFileStore(mountPoint).getUsableSpace();
  }

  @Override
  public void close() throws Exception {
    if (run(List.of("umount", mountPoint.toString())) != null) {
      // Something still holds a file open (a broker thread finishing): detach it now, freed later.
      run(List.of("umount", "-l", mountPoint.toString()));
    }
  }

  /** Runs a command; null when it succeeded, else what it said. */
  private static String run(List<String> command) throws Exception {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      return e.getMessage();
    }
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return String.join(" ", command) + " did not finish within 30 s";
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    return p.exitValue() == 0 ? null : "exit " + p.exitValue() + ": " + out;
  }
}
