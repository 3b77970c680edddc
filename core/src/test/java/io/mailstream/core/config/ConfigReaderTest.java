package io.mailstream.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Good configs: the full example with every key, the documented example, and the defaults. */
class ConfigReaderTest {

  @TempDir Path tmp;

  @Test
  void fullExampleSetsEveryField() throws Exception {
    Path file = Path.of(ConfigReaderTest.class.getResource("/config-good/mailstream.yaml").toURI());
    ConfigBuilder b = new ConfigBuilder();
    ConfigReader.read(file, b);
    MailstreamConfig c = b.build();

    assertEquals("mx1.example.com", c.hostname());
    assertEquals(Path.of("/var/lib/mailstream"), c.dataDir());
    assertEquals(
        List.of(
            Listener.mta(new HostPort("0.0.0.0", 25, false)),
            Listener.mta(new HostPort("::", 587, true)),
            Listener.mta(new HostPort("192.0.2.10", 2525, true))),
        c.listen());
    assertEquals(
        List.of(
            Cidr.parse("192.0.2.0/24"), Cidr.parse("10.0.16.0/20"), Cidr.parse("2001:db8::/32")),
        c.relayFrom());
    assertEquals(Set.of("example.com", "example.net"), c.localDomains());
    assertEquals(new HostPort("smarthost.example.com", 587, true), c.smartHost());
    assertEquals("esmtp", c.smartHostMailer());
    assertEquals(
        new KafkaSettings(
            "kafka1.example.com:9092,kafka2.example.com:9092", "relay", 12, (short) 3, 2, true),
        c.kafka());
    assertFalse(c.kafka().embedded());
    assertEquals("relay.accepted", c.kafka().topic("accepted"));
    assertEquals(new Limits(50L * 1024 * 1024, 500, 30, Duration.ofSeconds(45)), c.limits());
    assertEquals(
        new DeliverySettings(
            16,
            8,
            Duration.ofMinutes(2),
            Duration.ofSeconds(20),
            List.of(
                Duration.ofSeconds(30),
                Duration.ofMinutes(10),
                Duration.ofHours(1),
                Duration.ofHours(4)),
            Duration.ofDays(3),
            Duration.ofHours(2)),
        c.delivery());
    assertEquals(new AdminSettings(new HostPort("10.0.0.5", 8025, false), Path.of("/etc/mailstream/admin.token")),
        c.admin());
  }

  @Test
  void fullExampleAnswersQuestions() throws Exception {
    Path file = Path.of(ConfigReaderTest.class.getResource("/config-good/mailstream.yaml").toURI());
    ConfigBuilder b = new ConfigBuilder();
    ConfigReader.read(file, b);
    MailstreamConfig c = b.build();

    assertTrue(c.isLocalDomain("EXAMPLE.com."));
    assertTrue(c.isLocalDomain("example.net"));
    assertTrue(c.isLocalDomain("MX1.example.com"));
    assertTrue(c.isLocalDomain(null));
    assertFalse(c.isLocalDomain("example.org"));
    assertFalse(c.isLocalDomain("sub.example.com"));
    assertTrue(c.mayRelay(InetAddress.getByName("192.0.2.77")));
    assertTrue(c.mayRelay(InetAddress.getByName("10.0.31.1")));
    assertTrue(c.mayRelay(InetAddress.getByName("2001:db8::1")));
    assertFalse(c.mayRelay(InetAddress.getByName("10.0.32.1")));
    assertFalse(c.mayRelay(InetAddress.getByName("127.0.0.1")));
  }

  /** The documented example at the repository root must always load. */
  @Test
  void documentedExampleParses() throws Exception {
    // Surefire runs in the module directory, so the repository root is one level up.
    Path file = Path.of("..", "mailstream.yaml");
    Assumptions.assumeTrue(Files.exists(file), "no " + file.toAbsolutePath().normalize());
    ConfigBuilder b = new ConfigBuilder();
    ConfigReader.read(file, b);
    MailstreamConfig c = b.build();
    assertNotNull(c.smartHost());
    assertFalse(c.listen().isEmpty());
  }

  @Test
  void defaults() throws Exception {
    MailstreamConfig c = read("smart-host: smarthost.example.com\nhostname: mx.example.com\n");
    assertEquals(Path.of("data"), c.dataDir());
    assertEquals(List.of(Listener.mta(new HostPort("127.0.0.1", 2525, false))), c.listen());
    assertEquals(List.of(Cidr.parse("127.0.0.0/8"), Cidr.parse("::1/128")), c.relayFrom());
    assertEquals(Set.of(), c.localDomains());
    assertEquals(new HostPort("smarthost.example.com", 25, false), c.smartHost());
    assertEquals(AdminSettings.DEFAULT, c.admin());
    assertEquals("relay", c.smartHostMailer());
    // The single embedded broker has no replica to fall back on, so it fsyncs by default.
    assertEquals(new KafkaSettings(null, "mailstream", 6, (short) 1, 1, true), c.kafka());
    assertTrue(c.kafka().embedded());
    assertEquals(new Limits(25L * 1024 * 1024, 100, 25, Duration.ofSeconds(30)), c.limits());
    assertEquals(
        new DeliverySettings(
            4,
            20,
            Duration.ofSeconds(30),
            Duration.ofSeconds(30),
            List.of(
                Duration.ofMinutes(1),
                Duration.ofMinutes(5),
                Duration.ofMinutes(15),
                Duration.ofMinutes(30)),
            Duration.ofDays(5),
            Duration.ofHours(4)),
        c.delivery());
  }

  @Test
  void routerSectionSetsWorkersAndTheTransactionWindow() throws Exception {
    MailstreamConfig c = read(
        "smart-host: s.example\nhostname: mx.example\nrouter:\n  workers: 3\n  commit-interval: 250ms\n  commit-records: 500\n");
    assertEquals(new RouterSettings(3, Duration.ofMillis(250), 500), c.router());
    assertEquals(RouterSettings.DEFAULT, read("smart-host: s.example\nhostname: mx.example\n").router());
    assertEquals(2, RouterSettings.DEFAULT.workers());
  }

  @Test
  void queueWarnOfZeroTurnsWarningsOff() throws Exception {
    MailstreamConfig c = read("smart-host: s.example\nhostname: mx.example\ndelivery:\n  queue-warn: 0s\n");
    assertEquals(Duration.ZERO, c.delivery().queueWarn());
  }

  @Test
  void shortLifetimeWithoutQueueWarnGoesWithoutTheDefaultWarning() throws Exception {
    // sendmail would never reach a 4h warning in a 2h queue either; only an explicit queue-warn is an error.
    MailstreamConfig c = read("smart-host: s.example\nhostname: mx.example\ndelivery:\n  queue-lifetime: 2h\n");
    assertEquals(Duration.ZERO, c.delivery().queueWarn());
    assertEquals(Duration.ofHours(2), c.delivery().queueLifetime());
  }

  @Test
  void clusterDoesNotFsyncByDefault() throws Exception {
    MailstreamConfig c =
        read("smart-host: s.example\nhostname: mx.example\nkafka:\n  bootstrap: k1:9092\n");
    assertEquals("k1:9092", c.kafka().bootstrap());
    assertFalse(c.kafka().fsync());
  }

  @Test
  void yamlNullAndEmptyMeanUnset() throws Exception {
    MailstreamConfig c =
        read(
            "smart-host: s.example\nhostname: mx.example\nlocal-domains:\nkafka:\n"
                + "  bootstrap: ~\n");
    assertNull(c.kafka().bootstrap());
    assertEquals(Set.of(), c.localDomains());
    c = read("smart-host: s.example\nhostname: h\nkafka:\n  bootstrap: \"\"\n");
    assertNull(c.kafka().bootstrap());
  }

  @Test
  void scalarListIsOneItem() throws Exception {
    MailstreamConfig c =
        read("smart-host: s\nhostname: h\nlisten: 0.0.0.0:25\nlocal-domains: example.com\n");
    assertEquals(List.of(Listener.mta(new HostPort("0.0.0.0", 25, false))), c.listen());
    assertEquals(Set.of("example.com"), c.localDomains());
  }

  @Test
  void accessFileAndRelayHostsOnly() throws Exception {
    MailstreamConfig c =
        read("hostname: h\nrouting:\n  access: access\n  relay-domains: relay-domains\n  relay-hosts-only: true\n");
    assertEquals(tmp.resolve("access").toAbsolutePath(), c.routing().access());
    assertEquals(tmp.resolve("relay-domains").toAbsolutePath(), c.routing().relayDomains());
    assertTrue(c.routing().relayHostsOnly());
    assertNull(read("hostname: h\n").routing().access());
    assertFalse(read("hostname: h\n").routing().relayHostsOnly());
  }

  @Test
  void clientTlsAndAuthinfo() throws Exception {
    MailstreamConfig d = read("hostname: h\n");
    assertTrue(d.delivery().starttls());
    assertNull(d.delivery().tlsTrust());
    assertFalse(d.delivery().authWithoutTls());
    assertNull(d.routing().authinfo());
    MailstreamConfig c = read("hostname: h\ndelivery:\n  starttls: false\n  tls-trust: ca.pem\n"
        + "  auth-without-tls: true\nrouting:\n  authinfo: client-info\n");
    assertFalse(c.delivery().starttls());
    assertEquals(tmp.resolve("ca.pem").toAbsolutePath(), c.delivery().tlsTrust());
    assertTrue(c.delivery().authWithoutTls());
    assertEquals(tmp.resolve("client-info").toAbsolutePath(), c.routing().authinfo());
  }

  @Test
  void sizesTakeSuffixes() throws Exception {
    assertEquals(2048, maxSize("2k"));
    assertEquals(2048, maxSize("2K"));
    assertEquals(3L * 1024 * 1024, maxSize("3M"));
    assertEquals(1024L * 1024 * 1024, maxSize("1G"));
    assertEquals(26214400, maxSize("26214400"));
  }

  @Test
  void booleansInYamlSpelling() throws Exception {
    for (String t : List.of("true", "yes", "on")) {
      assertTrue(read("smart-host: s\nhostname: h\nkafka:\n  fsync: " + t + "\n").kafka().fsync());
    }
    for (String t : List.of("false", "no", "off")) {
      assertFalse(read("smart-host: s\nhostname: h\nkafka:\n  fsync: " + t + "\n").kafka().fsync());
    }
  }

  @Test
  void emptyFileIsAValidConfigThatDeliversByMx() throws Exception {
    Path file = write("# nothing here yet\n");
    ConfigBuilder b = new ConfigBuilder();
    ConfigReader.read(file, b);
    assertEquals(null, b.hostname("h.example").build().smartHost(), "no smart host: MX delivery");
    b.smartHost("s.example");
    assertEquals("s.example", b.build().smartHost().host());
  }

  @Test
  void commandLineOverridesFile() throws Exception {
    Path file = write("smart-host: file.example:25\nhostname: file.example\nlisten: 0.0.0.0:25\n");
    ConfigBuilder b = new ConfigBuilder();
    ConfigReader.read(file, b);
    b.smartHost("[cli.example]:2525").listen(List.of("127.0.0.1:2526"));
    MailstreamConfig c = b.build();
    assertEquals(new HostPort("cli.example", 2525, true), c.smartHost());
    assertEquals(List.of(Listener.mta(new HostPort("127.0.0.1", 2526, false))), c.listen());
    assertEquals("file.example", c.hostname());
  }

  /** A conflict created on the command line is not blamed on a line of the file. */
  @Test
  void crossCheckNamesTheFileLineThatStillHolds() throws Exception {
    Path file =
        write(
            "smart-host: s\nhostname: h\nkafka:\n  replication-factor: 3\n"
                + "  min-insync-replicas: 2\n");
    ConfigBuilder b = new ConfigBuilder();
    ConfigReader.read(file, b);
    b.replicationFactor(1);
    ConfigException e = assertThrows(ConfigException.class, b::build);
    assertEquals(
        file + ":5: kafka.min-insync-replicas: 2 exceeds kafka.replication-factor 1",
        e.getMessage());
    b.minInsyncReplicas(3).replicationFactor(2);
    e = assertThrows(ConfigException.class, b::build);
    assertEquals("kafka.min-insync-replicas: 3 exceeds kafka.replication-factor 2", e.getMessage());
  }


  private long maxSize(String text) throws Exception {
    return read("smart-host: s\nhostname: h\nlimits:\n  max-message-size: " + text + "\n")
        .limits()
        .maxMessageSize();
  }

  private MailstreamConfig read(String yaml) throws Exception {
    ConfigBuilder b = new ConfigBuilder();
    ConfigReader.read(write(yaml), b);
    return b.build();
  }

  private Path write(String yaml) throws Exception {
    Path file = Files.createTempFile(tmp, "mailstream", ".yaml");
    return Files.writeString(file, yaml);
  }
}
