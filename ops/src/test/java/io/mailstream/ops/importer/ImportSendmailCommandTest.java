package io.mailstream.ops.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.ops.cli.MailstreamCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mailstream import-sendmail DIR --out OUTDIR}, end to end through picocli. */
class ImportSendmailCommandTest {
  record Run(int status, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cli = MailstreamCommand.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int status = cli.execute(args);
    return new Run(status, out.toString(), err.toString());
  }

  static String caseDir(String name) {
    return ImportCases.DIR.resolve(name).toString();
  }

  @Test
  void printsTheReportWritesConfigAndMapsAndTheResultRoutes(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("out");
    Run r = run("import-sendmail", caseDir("02-submission-relay"), "--out", out.toString(),
        "--root", caseDir("02-submission-relay") + "/root");
    assertEquals(0, r.status(), r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals(ImportCases.lines(ImportCases.DIR.resolve("02-submission-relay/expected-report.txt")),
        lines.subList(0, lines.size() - 1));
    assertEquals("wrote " + out.resolve("mailstream.yaml") + " and mailertable, client-info", lines.get(lines.size() - 1));
    assertEquals(Files.readString(ImportCases.DIR.resolve("02-submission-relay/mailertable")),
        Files.readString(out.resolve("mailertable")));
    // The brief's proof: `mailstream route --config OUTDIR/mailstream.yaml` answers from it.
    Run route = run("route", "--config", out.resolve("mailstream.yaml").toString(), "--explain", "foo@somedom.com");
    assertEquals(0, route.status(), route.err());
    assertTrue(route.out().contains("mailer relay, host [relayhost.somedom.com], user foo@somedom.com"), route.out());
    assertTrue(route.out().contains("host [relayhost.somedom.com]:587"), route.out());
  }

  /**
   * sendmail-cf's cf/cf/clientproto.mc has no DAEMON_OPTIONS: sendmail listened on port 25 of every
   * address. That, not only a comment in the yaml, is on the console, before the per-line report.
   */
  @Test
  void sendmailDefaultsThatDifferComeFirstOnTheConsole(@TempDir Path tmp) {
    Run r = run("import-sendmail", caseDir("16-nullclient-hub"), "--out", tmp.resolve("out").toString());
    assertEquals(0, r.status(), r.err());
    List<String> lines = r.out().lines().toList();
    assertTrue(lines.get(0).startsWith("sendmail.mc: DAEMON_OPTIONS: default differs: sendmail.mc has none, so sendmail"
        + " listened on port 25 of every address; Mailstream listens on 127.0.0.1:2525"), lines.get(0));
    assertTrue(lines.get(1).startsWith("sendmail.mc: FEATURE(no_default_msa): default differs: "), lines.get(1));
    assertTrue(lines.stream().anyMatch(l -> l.contains("all mail goes to mailhost.corp.example")), r.out());
  }

  @Test
  void authInfoCopyIsReadableByTheOwnerOnly(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("out");
    Run r = run("import-sendmail", caseDir("02-submission-relay"), "--out", out.toString(),
        "--root", caseDir("02-submission-relay") + "/root");
    assertEquals(0, r.status(), r.err());
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("client-info"))));
    }
  }

  @Test
  void missingSendmailMcIsOneLineAndExitTwo(@TempDir Path tmp) {
    Run r = run("import-sendmail", tmp.toString(), "--out", tmp.resolve("out").toString());
    assertEquals(2, r.status());
    assertEquals("mailstream: " + tmp.resolve("sendmail.mc") + ": not found\n", r.err());
    assertTrue(Files.notExists(tmp.resolve("out")));
  }

  @Test
  void unterminatedQuoteIsOneLineWithFileAndLine(@TempDir Path tmp) {
    Run r = run("import-sendmail", caseDir("07-bad-unterminated-quote"), "--out", tmp.resolve("out").toString());
    assertEquals(2, r.status());
    assertEquals("mailstream: " + caseDir("07-bad-unterminated-quote")
        + "/sendmail.mc:4: unterminated quote: the ` opened here has no closing '\n", r.err());
  }

  @Test
  void existingFilesAreReplacedOnlyWithForce(@TempDir Path tmp) throws Exception {
    Path out = Files.createDirectories(tmp.resolve("out"));
    Files.writeString(out.resolve("mailstream.yaml"), "hostname: keep.example\n");
    String[] args = {"import-sendmail", caseDir("01-dmz-smart-host"), "--out", out.toString(), "--root", tmp.toString()};
    Run refused = run(args);
    assertEquals(2, refused.status());
    assertEquals("mailstream: " + out.resolve("mailstream.yaml") + ": already exists; use --force to replace it\n",
        refused.err());
    assertEquals("hostname: keep.example\n", Files.readString(out.resolve("mailstream.yaml")));
    Run forced = run("import-sendmail", caseDir("01-dmz-smart-host"), "--out", out.toString(), "--root",
        tmp.toString(), "--force");
    assertEquals(0, forced.status(), forced.err());
    assertTrue(Files.readString(out.resolve("mailstream.yaml")).contains("smart-host: mailhost.emea.company.com"));
  }

  @Test
  void configThatDoesNotLoadYetExitsOne(@TempDir Path tmp) {
    Run r = run("import-sendmail", caseDir("10-maps-not-found"), "--out", tmp.resolve("out").toString(),
        "--root", tmp.toString());
    assertEquals(1, r.status());
    assertEquals("mailstream: " + tmp.resolve("out/mailstream.yaml")
        + " does not load yet: /srv/old-relay/mailertable: cannot read: /srv/old-relay/mailertable\n", r.err());
    assertTrue(Files.exists(tmp.resolve("out/mailstream.yaml")));
  }

  @Test
  void msaListenerGetsAnEmptyPrivateUsersFileThatForceKeeps(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("out");
    String[] args = {"import-sendmail", caseDir("14-submission-without-tls"), "--out", out.toString(), "--root",
        tmp.toString()};
    Run r = run(args);
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().contains("wrote " + out.resolve("mailstream.yaml") + " and access, users"), r.out());
    assertEquals(SmtpDefines.USERS_FILE, Files.readString(out.resolve("users")));
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("users"))));
    }
    // Users added since the first import survive a second one: the file is never replaced.
    Files.writeString(out.resolve("users"), "# alice was added here\n");
    Run again = run(args[0], args[1], args[2], args[3], args[4], args[5], "--force");
    assertEquals(0, again.status(), again.err());
    assertEquals("# alice was added here\n", Files.readString(out.resolve("users")));
    ImportCases.loadConfig(out.resolve("mailstream.yaml"));
  }

  @Test
  void isListedInTheHelp() {
    assertTrue(run("--help").out().contains("import-sendmail"));
  }
}
