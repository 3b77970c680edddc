package io.mailstream.ops.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the repository's {@code ./sendmail} script as a subprocess, as root (the test's user) or as
 * {@code nobody} through setpriv(1), with a message on standard input.
 */
final class SendmailCommand {
  /** The repository root: the tests run in {@code ops/}. */
  static final Path REPO = Path.of("").toAbsolutePath().getParent();
  static final Path SCRIPT = REPO.resolve("sendmail");
  /** As nobody: no capabilities, no supplementary groups. */
  static final List<String> NOBODY = List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups");

  /** What one run printed and its exit status. */
  record Result(int status, String out, String err) {
    @Override
    public String toString() {
      return "status " + status + "\nstdout:\n" + out + "\nstderr:\n" + err;
    }
  }

  private SendmailCommand() {}

  static Result run(List<String> asUser, Map<String, String> env, String stdin, String... args)
      throws IOException, InterruptedException {
    return runProgram(asUser, env, stdin, SCRIPT.toString(), args);
  }

  static Result runProgram(List<String> asUser, Map<String, String> env, String stdin, String program, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(asUser);
    cmd.add(program);
    cmd.addAll(List.of(args));
    return exec(cmd, env, stdin);
  }

  /** Runs {@code cmd} in the repository with {@code env} added and {@code stdin} as its input. */
  static Result exec(List<String> cmd, Map<String, String> env, String stdin) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(REPO.toFile());
    pb.environment().putAll(env);
    Path out = Files.createTempFile("sendmail-out", ".txt");
    Path err = Files.createTempFile("sendmail-err", ".txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    // Generous: a JVM start on a loaded 2-core machine, and the queue's fsync before 250.
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(cmd + " did not finish in 120 s");
    }
    try {
      return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      Files.delete(out);
      Files.delete(err);
    }
  }

  /** Whether this test runs as root (only root can run the command as another user). */
  static boolean root() throws IOException {
    return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
  }
}
