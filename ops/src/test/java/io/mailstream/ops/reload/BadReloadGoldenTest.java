package io.mailstream.ops.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.mailstream.core.config.ConfigBuilder;
import io.mailstream.core.config.ConfigReader;
import io.mailstream.core.config.MailstreamConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden bad reloads (chasquid's t-20-bad_configs): a node runs {@code reload/base}; each case
 * replaces some of its files; the reload is refused with the one line in {@code
 * expected-error.txt} ({@code $DIR} for the config directory) and the running version stays.
 * Nothing is published, so no broker is needed.
 */
class BadReloadGoldenTest {
  private static final Path CASES = Path.of("src/test/resources/reload");

  @TempDir Path dir;

  static Stream<String> cases() throws IOException {
    try (Stream<Path> list = Files.list(CASES)) {
      return list.map(p -> p.getFileName().toString()).filter(n -> !n.equals("base")).sorted().toList().stream();
    }
  }

  @ParameterizedTest
  @MethodSource("cases")
  void refusedWithOneLineAndTheRunningVersionStays(String name) throws Exception {
    copy(CASES.resolve("base"), dir);
    Path yaml = dir.resolve("mailstream.yaml");
    Files.writeString(yaml, Files.readString(yaml) + "data-dir: " + dir.resolve("data") + "\n");
    MailstreamConfig start = load(yaml);
    try (LiveConfig live = new LiveConfig(start, start, () -> load(yaml), yaml, "test")) {
      NodeVersion before = live.get();
      copy(CASES.resolve(name), dir);
      if (Files.exists(dir.resolve("mailstream.yaml")) && !Files.readString(yaml).contains("data-dir:")) {
        Files.writeString(yaml, Files.readString(yaml) + "data-dir: " + dir.resolve("data") + "\n");
      }
      ConfigReloader.Result r = live.reload("test");
      assertFalse(r.applied());
      String expected = Files.readString(CASES.resolve(name).resolve("expected-error.txt")).strip()
          .replace("$DIR", dir.toString());
      assertEquals(expected, r.message());
      assertFalse(r.message().contains("\n"), "one line");
      assertEquals(before, live.get(), "the running version stays");
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    for (Path f : List.of(Files.list(from).toArray(Path[]::new))) {
      if (!f.getFileName().toString().equals("expected-error.txt")) {
        Files.copy(f, to.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  private static MailstreamConfig load(Path config) throws Exception {
    ConfigBuilder b = new ConfigBuilder();
    ConfigReader.read(config, b);
    return b.build();
  }
}
