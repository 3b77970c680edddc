package io.mailstream.core.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.mailstream.core.rules.rewrite.DomainClass;
import io.mailstream.core.rules.rewrite.GenericsTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fuzz target of the sendmail map readers: each input is written as a file and loaded as every
 * table Mailstream reads (access, mailertable, virtusertable, aliases, genericstable, authinfo,
 * domaintable, local-host-names, relay-domains).
 *
 * <p>In a normal test run, {@code @FuzzTest} replays the seed corpus in {@code
 * src/test/resources/io/mailstream/core/rules/MapFileFuzzTestInputs/anyMapFile/} (the map files of
 * the golden rule cases, good and bad, and an authinfo and a genericstable); with {@code
 * JAZZER_FUZZ=1} it fuzzes for {@code maxDuration} and writes any failing input there.
 *
 * <p>What must hold whatever the content: each reader loads the file or throws {@link
 * MapFileException}, never another exception (a reload must keep the running config and say why,
 * not crash); the message is one line {@code file:line: reason} naming a line the file has, as
 * makemap and newaliases do; and the same file with a comment line put before it loads alike, its
 * error named one line later, so that the line named is the line at fault and not a count of
 * entries.
 */
class MapFileFuzzTest {
  private static final Path DIR = tempDir();
  private static final Path FILE = DIR.resolve("map");
  private static final Path SHIFTED = DIR.resolve("map-after-comment");
  private static final Pattern WHERE = Pattern.compile("(.+?):([0-9]+): (.+)");

  @FuzzTest(maxDuration = "10s")
  void anyMapFile(byte[] input) throws IOException {
    byte[] shifted = new byte[input.length + 8];
    System.arraycopy("# moved\n".getBytes(StandardCharsets.US_ASCII), 0, shifted, 0, 8);
    System.arraycopy(input, 0, shifted, 8, input.length);
    Files.write(FILE, input);
    Files.write(SHIFTED, shifted);
    // The line count as the readers split lines: LF, CR and CRLF each end one.
    long lines = new String(input, StandardCharsets.ISO_8859_1).lines().count();
    for (Map.Entry<String, Reader> table : READERS.entrySet()) {
      String name = table.getKey();
      Integer line = load(table.getValue(), FILE, lines, name);
      Integer lineAfterComment = load(table.getValue(), SHIFTED, lines + 1, name);
      assertEquals(line == null ? null : line + 1, lineAfterComment, name + ": the same file after a comment line");
    }
  }

  /** Loads the file as one table: null when it loads, else the line its error names. */
  private static Integer load(Reader reader, Path file, long lines, String table) {
    try {
      reader.load(file);
      return null;
    } catch (MapFileException e) {
      String message = e.getMessage();
      assertTrue(message.indexOf('\n') < 0 && message.indexOf('\r') < 0, table + ": more than one line: " + message);
      Matcher m = WHERE.matcher(message);
      assertTrue(m.matches(), table + ": not 'file:line: reason': " + message);
      assertEquals(file.toString(), m.group(1), table + ": " + message);
      long line = Long.parseLong(m.group(2));
      assertTrue(line >= 1 && line <= lines, table + ": line " + line + " of " + lines + ": " + message);
      return (int) line;
    }
  }

  private interface Reader {
    void load(Path file) throws MapFileException;
  }

  private static final Map<String, Reader> READERS =
      Map.of(
          "access", AccessDb::load,
          "mailertable", MailerTable::load,
          "virtusertable", f -> VirtUserTable.load(f, d -> true),
          "aliases", f -> Aliases.load(f, Aliases.Options.defaults().allowPrograms(true).allowFiles(true)),
          "genericstable", f -> GenericsTable.load(f, DomainClass.of("G", List.of("corp.example")), true),
          "authinfo", AuthInfo::load,
          "domaintable", DomainTable::load,
          "local-host-names", f -> LocalHostNames.load(f, new ArrayList<>(List.of("gw.example"))),
          "relay-domains", f -> RelayDomains.load(f, List.of(), false));

  private static Path tempDir() {
    try {
      Path dir = Files.createTempDirectory("map-fuzz");
      // Deleted in the reverse order: the files, then the directory.
      dir.toFile().deleteOnExit();
      dir.resolve("map").toFile().deleteOnExit();
      dir.resolve("map-after-comment").toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
