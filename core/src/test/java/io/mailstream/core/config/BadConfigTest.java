package io.mailstream.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden broken configs, one directory each under {@code src/test/resources/config/NN-name/}
 * (chasquid's {@code test/t-20-bad_configs}): {@code mailstream.yaml} and {@code expected-error},
 * the exact one-line message with the file named relative to the case directory.
 */
class BadConfigTest {

  static Path casesRoot() throws URISyntaxException {
    return Path.of(BadConfigTest.class.getResource("/config").toURI());
  }

  static Stream<String> cases() throws IOException, URISyntaxException {
    try (Stream<Path> dirs = Files.list(casesRoot())) {
      List<String> names =
          dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
      return names.stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void failsWithExpectedError(String name) throws Exception {
    Path dir = casesRoot().resolve(name);
    Path expectedFile = dir.resolve("expected-error");
    assertTrue(Files.exists(expectedFile), "missing " + expectedFile);
    List<String> lines = Files.readAllLines(expectedFile, StandardCharsets.UTF_8);
    assertEquals(1, lines.size(), "expected-error must be exactly one line");
    String expected = lines.get(0);

    String actual = load(dir.resolve("mailstream.yaml"));
    assertFalse(actual.contains("\n") || actual.contains("\r"), "not one line: " + actual);
    assertEquals(expected, actual.replace(dir + File.separator, ""));
  }

  /**
   * Every message names the file, and the line unless the problem is a key that is absent (there
   * is no line to name then); the case name says which.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void expectedErrorNamesFileAndLine(String name) throws Exception {
    String expected =
        Files.readString(casesRoot().resolve(name).resolve("expected-error")).strip();
    String pattern =
        name.contains("-missing-") ? "mailstream\\.yaml: \\S.*" : "mailstream\\.yaml:\\d+: \\S.*";
    assertTrue(expected.matches(pattern), expected);
  }

  @Test
  void hasTheRequiredCases() throws Exception {
    List<String> names = cases().toList();
    for (String required :
        List.of(
            "unknown-key", "misspelt-nested-key", "bad-port", "bad-cidr", "bad-duration",
            "non-numeric-partitions", "max-recipients-below-100",
            "min-insync-above-replication-factor", "invalid-yaml",
            "list-where-scalar-expected")) {
      assertTrue(names.stream().anyMatch(n -> n.contains(required)), "no case for " + required);
    }
  }

  @Test
  void missingFileIsOneLine() {
    Path missing = Path.of("does-not-exist", "mailstream.yaml");
    ConfigException e =
        assertThrows(ConfigException.class, () -> ConfigReader.read(missing, new ConfigBuilder()));
    assertTrue(e.getMessage().startsWith(missing + ": cannot read: "), e.getMessage());
  }

  /** Reads and builds as {@code mailstream start --config} does; returns the error message. */
  static String load(Path file) {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> {
              ConfigBuilder b = new ConfigBuilder();
              ConfigReader.read(file, b);
              b.build();
            },
            "config unexpectedly valid: " + file);
    return e.getMessage();
  }
}
