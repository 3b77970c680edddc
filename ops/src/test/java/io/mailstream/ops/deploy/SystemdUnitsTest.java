package io.mailstream.ops.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mailstream.ops.cli.MailstreamCommand;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The systemd units in deploy/systemd: {@code systemd-analyze verify} finds nothing to say about
 * them (CI installs systemd; elsewhere the check is skipped when it is missing), and each one's
 * {@code ExecStart} is a {@code mailstream start} command line that the command accepts.
 */
class SystemdUnitsTest {
  private static final Path UNITS = Path.of("..", "deploy", "systemd");

  private static List<Path> units() throws Exception {
    try (Stream<Path> files = Files.list(UNITS)) {
      return files.filter(p -> p.toString().endsWith(".service")).sorted().toList();
    }
  }

  @Test
  void oneUnitPerRole() throws Exception {
    assertEquals(List.of("mailstream-delivery.service", "mailstream-ingress.service", "mailstream-router.service",
        "mailstream.service"), units().stream().map(p -> p.getFileName().toString()).toList());
  }

  @Test
  void systemdAnalyzeVerifyHasNothingToSay() throws Exception {
    boolean here = Files.isExecutable(Path.of("/usr/bin/systemd-analyze"));
    if (!here && System.getenv("MAILSTREAM_CI") != null) {
      throw new AssertionError("systemd-analyze is missing; CI (MAILSTREAM_CI) must verify the units");
    }
    assumeTrue(here, "systemd-analyze is not installed (apt-get install systemd; CI installs it)");
    List<String> command = new ArrayList<>(List.of("systemd-analyze", "verify"));
    units().forEach(p -> command.add(p.toAbsolutePath().normalize().toString()));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "systemd-analyze verify did not finish");
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), out);
    assertEquals("", out.strip(), "systemd-analyze verify has remarks");
  }

  @Test
  void everyExecStartIsACommandLineMailstreamAccepts() throws Exception {
    for (Path unit : units()) {
      String exec = Files.readAllLines(unit).stream().filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow();
      List<String> words = Arrays.asList(exec.substring("ExecStart=".length()).split("\\s+"));
      int jar = words.indexOf("-jar");
      assertTrue(jar > 0 && words.get(jar + 1).equals("/opt/mailstream/mailstream.jar"), exec);
      List<String> args = words.subList(jar + 2, words.size());
      assertEquals("start", args.get(0), exec);
      CommandLine.ParseResult parsed = MailstreamCommand.commandLine().parseArgs(args.toArray(String[]::new));
      assertTrue(parsed.hasSubcommand(), exec);
      String role = unit.getFileName().toString().replaceAll("^mailstream-?|\\.service$", "");
      assertTrue(role.isEmpty() ? !args.contains("--stages") : args.containsAll(List.of("--stages", role)), exec);
      assertTrue(args.contains("/etc/mailstream/mailstream.yaml"), exec);
    }
  }
}
