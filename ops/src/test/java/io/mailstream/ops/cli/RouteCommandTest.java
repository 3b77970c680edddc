package io.mailstream.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** {@code mailstream route}: sendmail's address test mode against the gateway example config. */
class RouteCommandTest {
  static final String CONFIG = "src/test/resources/route/gateway/mailstream.yaml";

  record Run(int status, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = MailstreamCommand.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int status = cli.execute(args);
    return new Run(status, out.toString(), err.toString());
  }

  static JsonNode json(String address) throws Exception {
    Run r = run("route", "--config", CONFIG, "--json", address);
    assertEquals(0, r.status(), r.err());
    return new ObjectMapper().readTree(r.out());
  }

  @ParameterizedTest(name = "{0} -> {1} {2} {3}")
  @CsvSource(
      nullValues = "-",
      value = {
        // virtusertable: an exact entry to a local user
        "info@example.com, local, -, jane",
        // virtusertable: to a remote address, which then goes to the recipient domain's MX hosts
        "sales@example.com, esmtp, corp.example, bob@corp.example",
        // mailertable: exact host, in brackets (no MX)
        "someone@darknet.lan, esmtp, [10.0.0.5], someone@darknet.lan",
        // mailertable: a .domain key matches subdomains...
        "bob@x.corp.example, relay, mail.corp.example, bob@x.corp.example",
        // ...but not the domain itself, which goes to its MX hosts (no smart host here)
        "bob@corp.example, esmtp, corp.example, bob@corp.example",
        // upper case makes no difference; the trailing dot goes, as in sendmail's ruleset 3
        "Bob@X.CORP.EXAMPLE., relay, mail.corp.example, Bob@X.CORP.EXAMPLE",
        // address literals skip the mailertable
        "a@[192.0.2.7], esmtp, [192.0.2.7], a@[192.0.2.7]",
        // domaintable renames the domain before everything else
        "info@old.example, local, -, jane",
      })
  void parseGivesSendmailsDeliveryTriple(String address, String mailer, String host, String user) throws Exception {
    JsonNode j = json(address);
    assertEquals(mailer, j.get("mailer").asText());
    assertEquals(host, j.get("host").isNull() ? null : j.get("host").asText());
    assertEquals(user, j.get("user").asText());
  }

  @Test
  void errorsCarrySendmailsStatusAndText() throws Exception {
    JsonNode nouser = json("nobody@example.com");
    assertEquals("error", nouser.get("mailer").asText());
    assertEquals("5.0.0", nouser.get("status").asText());
    assertEquals("550 No such user here", nouser.get("text").asText());
    JsonNode blocked = json("a@blocked.example");
    assertEquals("5.7.1", blocked.get("status").asText());
  }

  @Test
  void aliasesFanOutToEveryMember() throws Exception {
    JsonNode staff = json("staff@example.com");
    List<String> deliveries = new ArrayList<>();
    staff.get("deliveries").forEach(d -> deliveries.add(d.asText()));
    assertEquals(List.of("local jane", "esmtp:corp.example:25 bob@corp.example"), deliveries);
  }

  @Test
  void fourPositionsFollowMasqueradingRules() throws Exception {
    JsonNode j = json("alice@dept.example.com");
    // MASQUERADE_DOMAIN with masquerade_entire_domain and masquerade_envelope:
    assertEquals("alice@example.com", j.get("envelopeSender").asText());
    assertEquals("alice@example.com", j.get("headerSender").asText());
    // envelope recipients are never masqueraded; header recipients only with allmasquerade
    assertEquals("alice@dept.example.com", j.get("envelopeRecipient").asText());
    assertEquals("alice@dept.example.com", j.get("headerRecipient").asText());
    // EXPOSED_USER root keeps its host
    assertEquals("root@dept.example.com", json("root@dept.example.com").get("headerSender").asText());
  }

  @Test
  void explainListsTableEntriesWithFileAndLine() {
    Run r = run("route", "--config", CONFIG, "--explain", "bob@x.corp.example");
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().contains("mailertable:4 .corp.example -> relay:mail.corp.example"), r.out());
    assertTrue(r.out().contains("deliver: mailer relay, host mail.corp.example:587"), r.out());
  }

  /**
   * A mailertable host list: /parse shows it as sendmail's $h, each host with its own brackets,
   * and delivery tries them in that order.
   */
  @Test
  void hostListsKeepEveryHostInOrder(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("mailertable"), "backup.example esmtp:[mx1.backup.example]:mx2.backup.example\n");
    Files.writeString(dir.resolve("mailstream.yaml"), "routing:\n  mailertable: mailertable\n");
    Run r = run("route", "--config", dir.resolve("mailstream.yaml").toString(), "--json", "u@backup.example");
    assertEquals(0, r.status(), r.err());
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertEquals("esmtp", j.get("mailer").asText());
    assertEquals("[mx1.backup.example]:mx2.backup.example", j.get("host").asText());

    Run explained = run("route", "--config", dir.resolve("mailstream.yaml").toString(), "--explain", "u@backup.example");
    assertTrue(explained.out().contains("hosts tried in order: [mx1.backup.example], mx2.backup.example"), explained.out());
  }

  @Test
  void badMapFileIsOneLineWithFileAndLine(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("mailertable"), "good.example relay:mx.good.example\nbad.example nomailer:x\n");
    Files.writeString(dir.resolve("mailstream.yaml"), "routing:\n  mailertable: mailertable\n");
    Run r = run("route", "--config", dir.resolve("mailstream.yaml").toString(), "a@bad.example");
    assertEquals(2, r.status());
    assertTrue(r.err().startsWith("mailstream: " + dir.resolve("mailertable") + ":2: "), r.err());
    assertEquals(1, r.err().strip().lines().count());
  }

  @org.junit.jupiter.api.Test
  void mapLooksUpOneKeyAsItsFileHasItLikeSendmailsSlashMap() {
    Run found = run("route", "--config", CONFIG, "--map", "mailertable", ".CORP.example");
    assertEquals(0, found.status(), found.err());
    assertEquals("map_lookup: mailertable (.CORP.example) returns relay:mail.corp.example (0)  mailertable:4\n",
        found.out().replace("\r\n", "\n"));
    // The key only: the subdomain walk is the router's, not the map's.
    Run missing = run("route", "--config", CONFIG, "--map", "mailertable", "x.corp.example");
    assertEquals(0, missing.status(), missing.err());
    assertEquals("map_lookup: mailertable (x.corp.example) no match (0)\n", missing.out().replace("\r\n", "\n"));
    Run unknown = run("route", "--config", CONFIG, "--map", "nosuchmap", "x");
    assertEquals(1, unknown.status());
    assertTrue(unknown.out().startsWith("map_lookup: nosuchmap: no such map in this configuration"), unknown.out());
    Run nothing = run("route", "--config", CONFIG);
    assertEquals(2, nothing.status());
    assertTrue(nothing.err().contains("route needs an ADDRESS or --map NAME KEY"), nothing.err());
  }
}
