package io.mailstream.core.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.address.MailAddress;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden rule cases, one directory each under {@code src/test/resources/rules/NN-name/}: {@code
 * config/} holds sendmail files under their usual names (mailertable, virtusertable, domaintable,
 * aliases, local-host-names, virtuser-domains, relay-domains, access); {@code input} has one query
 * per line ({@code mailertable u@example.com}, {@code virtusertable ...}, {@code aliases name},
 * {@code owner list}, {@code domaintable name}, {@code class-w name}, {@code class-r name}, {@code
 * access-connect name|- ip}, {@code access-from address}, {@code access-to domain}); {@code
 * expected} repeats each query followed by {@code => } and the answer. A broken configuration has
 * {@code expected-error} instead: the one-line load error, paths relative to the case directory.
 */
class RulesGoldenTest {

  static Path casesRoot() throws URISyntaxException {
    return Path.of(RulesGoldenTest.class.getResource("/rules").toURI());
  }

  static Stream<String> cases() throws IOException, URISyntaxException {
    try (Stream<Path> dirs = Files.list(casesRoot())) {
      return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void answersAsExpected(String name) throws Exception {
    Path dir = casesRoot().resolve(name);
    Path errorFile = dir.resolve("expected-error");
    if (Files.exists(errorFile)) {
      String expected = Files.readString(errorFile, StandardCharsets.UTF_8).strip();
      String actual;
      try {
        new Rules(dir.resolve("config"));
        actual = "(no error)";
      } catch (MapFileException e) {
        actual = e.getMessage().replace(dir + File.separator, "");
      }
      assertFalse(actual.contains("\n"), actual);
      assertTrue(expected.matches("config/[a-z-]+:\\d+: \\S.*"), "names file and line: " + expected);
      assertEquals(expected, actual);
      return;
    }
    Rules rules = new Rules(dir.resolve("config"));
    List<String> actual = new ArrayList<>();
    for (String query : Files.readAllLines(dir.resolve("input"), StandardCharsets.UTF_8)) {
      if (!query.isBlank() && !query.startsWith("#")) {
        actual.add(query + " => " + rules.answer(query).replace(dir + File.separator, ""));
      }
    }
    List<String> expected = Files.readAllLines(dir.resolve("expected"), StandardCharsets.UTF_8);
    assertEquals(String.join("\n", expected), String.join("\n", actual));
  }

  /** The tables of one case directory. */
  private static final class Rules {
    private final MailerTable mailertable;
    private final VirtUserTable virtusertable;
    private final DomainTable domaintable;
    private final Aliases aliases;
    private final LocalHostNames localHostNames;
    private final RelayDomains relayDomains;
    private final AccessDb access;

    Rules(Path config) throws MapFileException {
      localHostNames = exists(config, "local-host-names")
          ? LocalHostNames.load(config.resolve("local-host-names"), List.of()) : LocalHostNames.empty();
      relayDomains = exists(config, "relay-domains")
          ? RelayDomains.load(config.resolve("relay-domains"), List.of(), false) : RelayDomains.empty();
      access = exists(config, "access") ? AccessDb.load(config.resolve("access")) : AccessDb.empty();
      List<String> virtHosts = exists(config, "virtuser-domains")
          ? List.copyOf(LocalHostNames.load(config.resolve("virtuser-domains"), List.of()).names()) : List.of();
      Predicate<String> virtual = VirtUserTable.domains(localHostNames, virtHosts, false);
      mailertable = exists(config, "mailertable")
          ? MailerTable.load(config.resolve("mailertable")) : MailerTable.empty();
      virtusertable = exists(config, "virtusertable")
          ? VirtUserTable.load(config.resolve("virtusertable"), virtual) : VirtUserTable.of(List.of(), virtual);
      domaintable = exists(config, "domaintable")
          ? DomainTable.load(config.resolve("domaintable")) : DomainTable.empty();
      aliases = exists(config, "aliases")
          ? Aliases.load(config.resolve("aliases"), Aliases.Options.defaults().localDomain(localHostNames::contains))
          : Aliases.of(List.of(), Aliases.Options.defaults());
    }

    String answer(String query) {
      String kind = query.substring(0, query.indexOf(' '));
      String arg = query.substring(query.indexOf(' ') + 1).strip();
      Trace trace = new Trace();
      return switch (kind) {
        case "mailertable" -> mailertable.route(address(arg), trace).map(Object::toString).orElse("-");
        case "virtusertable" -> virtusertable.lookup(address(arg), trace).map(Object::toString).orElse("-");
        case "domaintable" -> domaintable.rewrite(arg, trace).orElse("-");
        case "aliases" -> AliasesTest.describe(aliases.expand(arg, trace));
        case "owner" -> aliases.owner(arg).orElse("-");
        case "class-w" -> String.valueOf(localHostNames.contains(arg));
        case "class-r" -> String.valueOf(relayDomains.contains(arg));
        case "access-connect" -> access(arg, trace);
        case "access-from" -> access.sender(address(arg), trace).map(AccessMatch::describe).orElse("-");
        case "access-to" -> access.domain(AccessDb.Tag.TO, arg, false, trace).map(AccessMatch::describe).orElse("-");
        default -> throw new IllegalArgumentException("unknown query kind: " + query);
      } + (trace.steps().isEmpty() ? "" : "   # " + String.join(" | ", trace.steps()));
    }

    private String access(String nameAndAddress, Trace trace) {
      String[] w = nameAndAddress.split(" ");
      try {
        InetAddress ip = InetAddress.getByName(w[1]);
        return access.connect(w[0].equals("-") ? null : w[0], ip, trace).map(AccessMatch::describe).orElse("-");
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException(nameAndAddress, e);
      }
    }

    private static MailAddress address(String text) {
      return TestTables.address(text);
    }

    private static boolean exists(Path config, String name) {
      return Files.exists(config.resolve(name));
    }
  }
}
