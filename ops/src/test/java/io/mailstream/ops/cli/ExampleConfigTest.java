package io.mailstream.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.config.ConfigBuilder;
import io.mailstream.core.config.ConfigReader;
import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.core.rules.RuleSet;
import io.mailstream.ingress.server.IngressServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example configurations a new user copies load as they are, with every check a start makes
 * before Kafka (settings, map files, certificate and users files): mailstream.yaml in the
 * repository, the example in README.md, and the Docker image's.
 */
class ExampleConfigTest {
  private static final Path ROOT = Path.of("..");

  @TempDir Path dir;

  private static MailstreamConfig load(Path yaml) throws Exception {
    ConfigBuilder b = new ConfigBuilder();
    ConfigReader.read(yaml, b);
    MailstreamConfig config = b.build();
    RuleSet.load(config);
    IngressServer.checkFiles(config);
    return config;
  }

  @Test
  void theRepositorysMailstreamYamlLoadsAsItIs() throws Exception {
    MailstreamConfig c = load(ROOT.resolve("mailstream.yaml"));
    assertEquals("relay.example.com", c.hostname());
    assertTrue(c.kafka().embedded());
    assertEquals("127.0.0.1", c.listen().get(0).address().host());
  }

  @Test
  void theReadmesExampleLoadsAsItIs() throws Exception {
    String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
    int marker = readme.indexOf("<!-- example-config");
    assertTrue(marker > 0, "README.md lost its example-config block");
    int start = readme.indexOf("```yaml\n", marker) + "```yaml\n".length();
    String yaml = readme.substring(start, readme.indexOf("```", start));
    MailstreamConfig c = load(Files.writeString(dir.resolve("mailstream.yaml"), yaml));
    assertEquals("smtp.isp.example", c.smartHost().host());
    assertEquals(587, c.routing().mailerPorts().get("relay"));
    assertEquals(java.util.Set.of("example.com"), java.util.Set.copyOf(c.localDomains()));
  }

  @Test
  void theDockerImagesConfigLoadsAsItIs() throws Exception {
    MailstreamConfig c = load(ROOT.resolve("deploy/docker/mailstream.yaml"));
    assertEquals("0.0.0.0", c.listen().get(0).address().host());
    assertNotNull(c.relayFrom());
  }
}
