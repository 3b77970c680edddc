package io.mailstream.ops.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.address.MailAddress;
import io.mailstream.core.config.ConfigBuilder;
import io.mailstream.core.config.ConfigReader;
import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.core.rules.AccessDb;
import io.mailstream.core.rules.Trace;
import io.mailstream.ops.cli.AddressReport;
import io.mailstream.ops.cli.StartCommand;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's own files, as sendmail-base and sendmail-cf 8.17.1.9 install them: 18-debian-installed
 * is /etc/mail/sendmail.mc, access and local-host-names unchanged; 17-debian-starttls adds the
 * include of /etc/mail/tls/starttls.m4 that Debian's update_tlsm4 asks for, with that file under
 * root/; 16-nullclient-hub is sendmail-cf's cf/cf/clientproto.mc with a hub named.
 */
class ImportDebianTest {
  @TempDir Path tmp;

  private MailstreamConfig imported(String name) throws Exception {
    Path out = tmp.resolve(name);
    ImportCases.load(name, out);
    ConfigBuilder b = new ConfigBuilder();
    ConfigReader.read(out.resolve("mailstream.yaml"), b);
    return b.build();
  }

  @Test
  void debiansAccessFileLoadsAndItsDefaultsLimitEveryOtherClient() throws Exception {
    MailstreamConfig config = imported("18-debian-installed");
    AccessDb access = AccessDb.load(config.routing().access());
    InetAddress outside = InetAddress.getByName("192.0.2.99");
    assertEquals(10, access.clientLimit(AccessDb.Limit.RATE, outside, new Trace()).orElseThrow().limit());
    assertEquals(10, access.clientLimit(AccessDb.Limit.CONN, outside, new Trace()).orElseThrow().limit());
    assertEquals(0, access.clientLimit(AccessDb.Limit.CONN, InetAddress.getByName("127.0.0.1"), new Trace())
        .orElseThrow().limit());
  }

  @Test
  void aSubmissionListenerWithoutStarttlsIsWarnedAbout() throws Exception {
    List<String> warnings = StartCommand.authNeverOffered(imported("18-debian-installed"));
    assertEquals(List.of("listen: 127.0.0.1:587 msa requires AUTH, but AUTH is never offered there: Mailstream"
        + " offers it only inside TLS and tls.cert and tls.key are not set (sendmail: confSERVER_CERT, Debian's"
        + " starttls.m4), so every client gets 530 5.7.0 Authentication required; set them, or"
        + " auth.allow-plaintext: true"), warnings);
  }

  @Test
  void starttlsM4UnderRootIsReadSoTheSubmissionListenerHasTls() throws Exception {
    MailstreamConfig config = imported("17-debian-starttls");
    assertTrue(config.smtp().tls().enabled());
    assertEquals(Path.of("/etc/mail/tls/sendmail-server.crt"), config.smtp().tls().certificate());
    assertEquals(List.of(), StartCommand.authNeverOffered(config));
  }

  @Test
  void nullclientSendsEverythingToTheHubLocalUsersToo() throws Exception {
    var rules = ImportCases.load("16-nullclient-hub", tmp.resolve("16"));
    // sendmail -bt: core/src/test/resources/sendmail-bt/07-nullclient/transcript
    AddressReport root = ImportCases.route(rules, "root");
    assertEquals(List.of("relay", "mailhost.corp.example", "root@mailhost.corp.example"),
        List.of(root.mailerName(), String.valueOf(root.host()), String.valueOf(root.user())));
    AddressReport other = ImportCases.route(rules, "u@elsewhere.example");
    assertEquals(List.of("relay", "mailhost.corp.example", "u@elsewhere.example"),
        List.of(other.mailerName(), String.valueOf(other.host()), String.valueOf(other.user())));
    AddressReport hs = AddressReport.of(rules, new MailAddress("root", null), "relay");
    assertEquals("root@mailhost.corp.example", hs.headerSender());
    assertEquals("root@mailhost.corp.example", hs.envelopeSender());
    MailstreamConfig config = imported("16-nullclient-hub");
    assertEquals(null, config.routing().aliases());
  }
}
