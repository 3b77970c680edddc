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
 *
 * <p>The same input is also read as an {@code :include:} file of a mailing list, which sendmail reads
 * as octets: whatever it holds, expanding the list never throws, and never defers for the file's
 * content (only a file that cannot be read defers); each address line it yields is a line the file
 * has, and after a comment line is put before it the same lines come one line later.
 */
class MapFileFuzzTest {
  private static final Path DIR = tempDir();
  private static final Path FILE = DIR.resolve("map");
  private static final Path SHIFTED = DIR.resolve("map-after-comment");
  private static final Path LIST = DIR.resolve("list-aliases");
  private static final Pattern WHERE = Pattern.compile("(.+?):([0-9]+): (.+)");

  @FuzzTest(maxDuration = "10s")
  void anyMapFile(byte[] input) throws Exception {
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
    includeFile(input, shifted, lines);
  }

  private static void includeFile(byte[] input, byte[] shifted, long lines) throws Exception {
    List<IncludeFile.Line> read = IncludeFile.lines(input);
    for (IncludeFile.Line l : read) {
      assertTrue(l.number() >= 1 && l.number() <= lines, "include: line " + l.number() + " of " + lines);
      assertTrue(!l.text().isBlank() && !l.text().startsWith("#"), "include: a blank or comment line: " + l);
    }
    assertEquals(
        read.stream().map(l -> new IncludeFile.Line(l.number() + 1, l.text(), l.utf8())).toList(),
        IncludeFile.lines(shifted),
        "include: the same file after a comment line");
    Files.writeString(LIST, "list: :include:" + FILE + "\n");
    Lookup<AliasExpansion> expanded =
        Aliases.load(LIST, Aliases.Options.defaults().allowPrograms(true).allowFiles(true)).expand("list", new Trace());
    if (expanded instanceof Lookup.TempFail<AliasExpansion> t) {
      // A nested :include: of a file that is not there may defer; this one was read.
      assertTrue(!t.reason().contains("file " + FILE + ":"), "include: deferred for a file that was read: " + t.reason());
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
      dir.resolve("list-aliases").toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
