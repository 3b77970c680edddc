package io.mailstream.ops.cli;

import io.mailstream.core.config.ConfigException;
import io.mailstream.ingress.auth.PasswordHash;
import io.mailstream.ingress.auth.UsersFile;
import java.io.BufferedReader;
import java.io.Console;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mailstream passwd USER}: adds a user to the AUTH users file or changes their password,
 * like htpasswd. A running node picks the change up without a reload.
 */
@Command(
    name = "passwd",
    mixinStandardHelpOptions = true,
    description = "Add a user to the AUTH users file, or change or remove their password.")
public final class PasswdCommand implements Callable<Integer> {
  @Parameters(paramLabel = "USER", description = "the name the client gives in AUTH")
  String user;

  @Option(names = "--users", paramLabel = "FILE", required = true, description = "the users file (created if missing)")
  Path users;

  @Option(names = "--password-stdin", description = "read the password from the first line of standard input (for scripts)")
  boolean fromStdin;

  @Option(names = "--iterations", paramLabel = "N", description = "PBKDF2 iterations (default ${DEFAULT-VALUE})")
  int iterations = PasswordHash.DEFAULT_ITERATIONS;

  @Option(names = "--delete", description = "remove USER instead")
  boolean delete;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    UsersFile file;
    try {
      file = Files.exists(users) ? UsersFile.read(users) : UsersFile.empty(users);
    } catch (ConfigException e) {
      return fail(e.getMessage());
    }
    if (delete) {
      if (file.find(user).isEmpty()) {
        return fail("no user '" + user + "' in " + users);
      }
      file.without(user).write();
      spec.commandLine().getOut().println("removed " + user + " from " + users);
      return 0;
    }
    char[] password = fromStdin ? readStdin() : readConsole();
    if (password == null) {
      return 2;
    }
    try {
      if (password.length == 0) {
        return fail("empty password refused");
      }
      boolean known = file.find(user).isPresent();
      file.with(user, PasswordHash.of(password, iterations)).write();
      spec.commandLine().getOut().println((known ? "changed password of " : "added ") + user + " in " + users);
      return 0;
    } catch (IllegalArgumentException e) {
      return fail(e.getMessage());
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  private char[] readStdin() throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line = in.readLine();
    return line == null ? new char[0] : line.toCharArray();
  }

  private char[] readConsole() {
    Console console = System.console();
    if (console == null) {
      fail("no terminal to ask for the password; use --password-stdin");
      return null;
    }
    char[] first = console.readPassword("Password for %s: ", user);
    char[] second = console.readPassword("Again: ");
    if (first == null || second == null || !Arrays.equals(first, second)) {
      fail("the passwords differ");
      return null;
    }
    Arrays.fill(second, '\0');
    return first;
  }

  private int fail(String message) {
    spec.commandLine().getErr().println("mailstream: " + message);
    return 2;
  }
}
