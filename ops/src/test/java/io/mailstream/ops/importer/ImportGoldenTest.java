package io.mailstream.ops.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case under {@code src/test/resources/import/}: the report must match {@code
 * expected-report.txt} line for line, or the import must fail with {@code expected-error.txt}
 * (chasquid's golden {@code .expected-error} files); the written config must load as `mailstream
 * route --config` loads it, unless {@code expected-load-error.txt} says how it fails; and where
 * there is an {@code expected-mailstream.yaml}, the config must be exactly that.
 */
class ImportGoldenTest {
  static Stream<String> cases() throws Exception {
    return ImportCases.names();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void importMatchesGoldenFiles(String name, @TempDir Path tmp) throws Exception {
    Path dir = ImportCases.DIR.resolve(name);
    Path root = ImportCases.root(name, Files.createDirectories(tmp.resolve("empty-root")));
    Path expectedError = dir.resolve("expected-error.txt");
    if (Files.exists(expectedError)) {
      ImportException e = assertThrows(ImportException.class, () -> SendmailImporter.read(dir, root));
      assertEquals(Files.readString(expectedError).strip(), e.getMessage().replace(dir.toString(), "DIR"));
      return;
    }
    ImportResult result = SendmailImporter.read(dir, root);
    List<String> report = result.report().stream().map(ReportLine::toString).toList();
    assertEquals(ImportCases.lines(dir.resolve("expected-report.txt")), report, String.join("\n", report));
    Path out = tmp.resolve("out");
    result.writeTo(out, false);
    Path yaml = dir.resolve("expected-mailstream.yaml");
    if (Files.exists(yaml)) {
      assertEquals(Files.readString(yaml), Files.readString(out.resolve("mailstream.yaml")));
    }
    Path loadError = dir.resolve("expected-load-error.txt");
    if (Files.exists(loadError)) {
      Exception e = assertThrows(Exception.class, () -> ImportCases.loadConfig(out.resolve("mailstream.yaml")));
      assertEquals(Files.readString(loadError).strip(), e.getMessage().replace(out.toString(), "OUTDIR"));
      return;
    }
    ImportCases.loadConfig(out.resolve("mailstream.yaml"));
  }
}
