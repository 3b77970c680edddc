package io.mailstream.ops.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A real SIGHUP, sent with kill(1) to a child JVM, reaches the handler {@link Sighup} installs,
 * and the process goes on running (without the handler, SIGHUP would stop the JVM).
 */
class SighupTest {
  @Test
  void killHupRunsTheReloadAndTheProcessLives() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), SighupChild.class.getName())
        .redirectErrorStream(true)
        .start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      assertEquals("ready", nextLine(out));
      for (int i = 0; i < 2; i++) {
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(child.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor());
        assertEquals("reload requested", nextLine(out), "hangup " + (i + 1));
      }
      assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child ends by itself after two hangups");
      assertEquals(0, child.exitValue(), "SIGHUP did not kill the JVM");
    } finally {
      child.destroyForcibly();
    }
  }

  // Skips what the JVM or logging may print before our lines.
  private static String nextLine(BufferedReader out) throws Exception {
    String line;
    while ((line = out.readLine()) != null) {
      if (line.equals("ready") || line.equals("not installed") || line.equals("reload requested")) {
        return line;
      }
    }
    return null;
  }
}
