package io.mailstream.ops.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs {@code mailstream} as the launcher does, in a JVM of its own, so that a test sees what an
 * administrator sees: the exit status and what was printed on stderr and stdout. The child gets
 * the main classes only (no test classes, so logback.xml, not logback-test.xml, decides where it
 * logs) and runs in a directory the test chooses.
 */
public final class ChildStart {
  /** How the child ended. */
  public record Result(int status, String stdout, String stderr) {
    /** stderr's lines, blank ones dropped. */
    public List<String> errLines() {
      return stderr.lines().filter(l -> !l.isBlank()).toList();
    }
  }

  private final List<String> prefix = new ArrayList<>();
  private String classpath = mainClasspath();

  /** Runs the JVM under {@code command} (for example setpriv and its options). */
  public ChildStart under(String... command) {
    prefix.addAll(Arrays.asList(command));
    return this;
  }

  public ChildStart classpath(String classpath) {
    this.classpath = classpath;
    return this;
  }

  /** Runs {@code mailstream args...} in {@code dir} and waits for it to end, at most {@code timeout}. */
  public Result run(Path dir, Duration timeout, String... args) throws IOException, InterruptedException {
    List<String> command = command(args);
    Path out = Files.createTempFile("child-start", ".out");
    Path err = Files.createTempFile("child-start", ".err");
    Process p = new ProcessBuilder(command).directory(dir.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("mailstream " + String.join(" ", args) + " still running after " + timeout
            + "; stdout: " + Files.readString(out) + " stderr: " + Files.readString(err));
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      p.destroyForcibly();
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /**
   * Starts {@code mailstream args...} in {@code dir} without waiting, stdout and stderr to {@code
   * log}: a node the test stops ({@link Process#destroy}: SIGTERM) or kills ({@link
   * Process#destroyForcibly}: SIGKILL) itself.
   */
  public Process spawn(Path dir, Path log, String... args) throws IOException {
    return new ProcessBuilder(command(args)).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
  }

  private List<String> command(String... args) {
    List<String> command = new ArrayList<>(prefix);
    command.addAll(List.of(java(), "-Xmx256m", "-cp", classpath, MailstreamCommand.class.getName()));
    command.addAll(Arrays.asList(args));
    return command;
  }

  public static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** This JVM's class path without test classes (of this module or the test-jars it uses). */
  public static String mainClasspath() {
    return Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
        .map(e -> e.replaceAll("/+$", ""))
        .filter(e -> !e.endsWith("test-classes") && !e.endsWith("-tests.jar"))
        .collect(Collectors.joining(java.io.File.pathSeparator));
  }
}
