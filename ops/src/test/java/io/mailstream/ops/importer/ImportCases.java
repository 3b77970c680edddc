package io.mailstream.ops.importer;

import io.mailstream.core.address.MailAddress;
import io.mailstream.core.config.ConfigBuilder;
import io.mailstream.core.config.ConfigReader;
import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.core.rules.AccessDb;
import io.mailstream.core.rules.RuleSet;
import io.mailstream.ingress.auth.UsersFile;
import io.mailstream.ops.cli.AddressReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The golden import cases under {@code src/test/resources/import/NN-name/}: a sendmail.mc, the maps
 * beside it, {@code root/} standing for the old machine's file system where a case needs one, and
 * the expected report or error.
 */
final class ImportCases {
  static final Path DIR = Path.of("src/test/resources/import");

  private ImportCases() {}

  static Stream<String> names() throws IOException {
    try (Stream<Path> s = Files.list(DIR)) {
      return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList().stream();
    }
  }

  /** The case's fake root, or an empty directory: tests never read the machine's /etc/mail. */
  static Path root(String name, Path empty) {
    Path r = DIR.resolve(name).resolve("root");
    return Files.isDirectory(r) ? r : empty;
  }

  /** Imports case {@code name} into {@code out} and loads the result as `mailstream route` does. */
  static RuleSet load(String name, Path out) throws Exception {
    Path empty = Files.createDirectories(out.resolveSibling(out.getFileName() + "-root"));
    SendmailImporter.read(DIR.resolve(name), root(name, empty)).writeTo(out, false);
    return loadConfig(out.resolve("mailstream.yaml"));
  }

  /**
   * Loads a written config as `mailstream start` does, short of binding: the config, the rules,
   * the access file and the users file (the certificate paths are the old machine's and not read).
   */
  static RuleSet loadConfig(Path yaml) throws Exception {
    ConfigBuilder b = new ConfigBuilder();
    ConfigReader.read(yaml, b);
    MailstreamConfig config = b.build();
    RuleSet rules = RuleSet.load(config);
    if (config.routing().access() != null) {
      AccessDb.load(config.routing().access());
    }
    if (config.smtp().auth().enabled()) {
      UsersFile.read(config.smtp().auth().usersFile());
    }
    return rules;
  }

  /** {@code sendmail -bt}'s answer for {@code address}, as `mailstream route` gives it. */
  static AddressReport route(RuleSet rules, String address) throws Exception {
    MailAddress a = address.contains("@") ? MailAddress.parse(address) : new MailAddress(address, null);
    return AddressReport.of(rules, a, null);
  }

  static List<String> lines(Path file) throws IOException {
    return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
  }
}
