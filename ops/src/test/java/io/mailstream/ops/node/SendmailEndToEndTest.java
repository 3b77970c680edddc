package io.mailstream.ops.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.delivery.testkit.FakeSmartHost;
import io.mailstream.delivery.testkit.ReceivedMessage;
import io.mailstream.ops.cli.ChildStart;
import io.mailstream.ops.cli.ConfigOptions;
import io.mailstream.ops.cli.MailstreamCommand;
import io.mailstream.ops.node.SendmailCommand.Result;
import io.mailstream.queue.testkit.TestKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * The {@code ./sendmail} command as programs run it, a subprocess against a running node whose
 * smart host is a fake one: LF input, the header fields it adds (masqueraded by the router like
 * any other), {@code -t} with Bcc, {@code -i}, {@code -f}, bare addresses, {@code -bs}, exit
 * statuses, as root and as nobody. Loopback may not relay ({@code relay-from} is elsewhere), so
 * every message here proves the local socket is not governed by relay rules.
 */
class SendmailEndToEndTest {
  @TempDir static Path dir;
  static FakeSmartHost smartHost;
  static MailstreamNode node;
  static Path data;
  static Map<String, String> env;
  static final ListAppender<ILoggingEvent> mailLog = new ListAppender<>();

  @BeforeAll
  static void start() throws Exception {
    // nobody must reach the socket: every directory above it searchable.
    Files.setAttribute(dir, "unix:mode", 0755);
    mailLog.start();
    ((Logger) LoggerFactory.getLogger("maillog")).addAppender(mailLog);
    smartHost = FakeSmartHost.start();
    data = dir.resolve("data");
    Files.writeString(dir.resolve("virtusertable"), "ghost@relay.test\terror:nouser 550 5.1.1 No such user here\n");
    Path yaml = dir.resolve("mailstream.yaml");
    Files.writeString(yaml, "kafka:\n  topic-prefix: sendmail-" + UUID.randomUUID() + "\n  partitions: 2\n"
        + "limits:\n  max-message-size: 100K\n"
        + "routing:\n  virtusertable: virtusertable\n"
        + "masquerade:\n  as: corp.example\n");
    ConfigOptions options = CommandLine.populateCommand(new ConfigOptions(),
        "--config", yaml.toString(), "--hostname", "relay.test", "--data-dir", data.toString(),
        "--listen", "127.0.0.1:0", "--relay-from", "192.0.2.0/24",
        "--smart-host", "127.0.0.1:" + smartHost.port(), "--kafka", TestKafka.bootstrap());
    MailstreamConfig config = options.load();
    node = MailstreamNode.start(config, EnumSet.allOf(Stage.class));
    env = Map.of("MAILSTREAM_DATA_DIR", data.toString());
  }

  @AfterAll
  static void stop() throws Exception {
    ((Logger) LoggerFactory.getLogger("maillog")).detachAppender(mailLog);
    if (node != null) {
      node.close();
    }
    if (smartHost != null) {
      smartHost.close();
    }
  }

  static ReceivedMessage arrived(String subject) throws Exception {
    AtomicReference<ReceivedMessage> found = new AtomicReference<>();
    Await.until(() -> {
      smartHost.messages().stream().filter(m -> m.text().contains("Subject: " + subject)).findFirst().ifPresent(found::set);
      return found.get() != null;
    }, Duration.ofSeconds(90), "the message '" + subject + "' at the smart host");
    return found.get();
  }

  @Test
  void lfInputArrivesWithCrlfAndTheFieldsSendmailAdds() throws Exception {
    String subject = "lf " + UUID.randomUUID();
    Result r = SendmailCommand.run(List.of(), env, "Subject: " + subject + "\nTo: bob@elsewhere.test\n\nline one\nline two\n",
        "bob@elsewhere.test");
    assertEquals(0, r.status(), r.toString());
    ReceivedMessage m = arrived(subject);
    String text = m.text();
    assertEquals(List.of("bob@elsewhere.test"), m.recipients());
    assertTrue(text.contains("\r\n\r\nline one\r\nline two\r\n"), text);
    assertFalse(text.replace("\r\n", "").contains("\n"), "a bare LF: " + text);
    assertTrue(text.contains("Received: (from root@localhost)\r\n\tby relay.test (Mailstream)"), text);
    assertTrue(text.matches("(?s).*\r\nDate: \\w{3}, \\d{1,2} \\w{3} \\d{4} \\d\\d:\\d\\d:\\d\\d [+-]\\d{4}\r\n.*"), text);
    assertTrue(text.matches("(?s).*\r\nMessage-ID: <\\d{14}\\.\\w+@relay\\.test>\r\n.*"), text);
    // From is the submitting user at $j, masqueraded by the router (MASQUERADE_AS), as sendmail's.
    assertTrue(text.contains("\r\nFrom: root <root@corp.example>\r\n"), text);
    // The envelope keeps $j: sendmail masquerades it only with FEATURE(masquerade_envelope).
    assertEquals("root@relay.test", m.sender());
  }

  @Test
  void dashTTakesToCcAndBccRemovesBccAndIgnoresTheCommandLine() throws Exception {
    String subject = "t " + UUID.randomUUID();
    Result r = SendmailCommand.run(List.of(), env,
        "From: Alice <alice@corp.example>\nTo: a@elsewhere.test\nCc: \"Smith, B\" <b@elsewhere.test>\n"
            + "Bcc: hidden@elsewhere.test\nSubject: " + subject + "\n\nbody\n",
        "-t", "-oi", "commandline@elsewhere.test");
    assertEquals(0, r.status(), r.toString());
    ReceivedMessage m = arrived(subject);
    assertEquals(Set.of("a@elsewhere.test", "b@elsewhere.test", "hidden@elsewhere.test"), Set.copyOf(m.recipients()));
    assertFalse(m.text().toLowerCase().contains("\r\nbcc:"), m.text());
    assertFalse(m.text().contains("hidden@"), m.text());
    assertTrue(m.text().contains("\r\nFrom: Alice <alice@corp.example>\r\n"), "a From given is kept: " + m.text());
  }

  @Test
  void aLoneDotEndsInputUnlessDashI() throws Exception {
    String kept = "dot kept " + UUID.randomUUID();
    Result r = SendmailCommand.run(List.of(), env, "Subject: " + kept + "\n\nbefore\n.\nafter\n", "-i", "d@elsewhere.test");
    assertEquals(0, r.status(), r.toString());
    assertTrue(arrived(kept).text().contains("\r\nbefore\r\n.\r\nafter\r\n"), arrived(kept).text());

    String ended = "dot ends " + UUID.randomUUID();
    r = SendmailCommand.run(List.of(), env, "Subject: " + ended + "\n\nbefore\n.\nafter\n", "d@elsewhere.test");
    assertEquals(0, r.status(), r.toString());
    String text = arrived(ended).text();
    assertTrue(text.endsWith("\r\nbefore\r\n"), text);
  }

  @Test
  void dashFSetsTheSenderAndBareAddressesAreQualifiedWithTheHostname() throws Exception {
    String subject = "f " + UUID.randomUUID();
    Result r = SendmailCommand.run(List.of(), env, "Subject: " + subject + "\n\nfor a local user\n",
        "-f", "bounces", "-F", "Bounce Handler", "someone");
    assertEquals(0, r.status(), r.toString());
    // someone@relay.test: $j is local, so it lands in the Maildir.
    Path inbox = data.resolve("mail").resolve("someone").resolve("new");
    AtomicReference<String> found = new AtomicReference<>();
    Await.until(() -> {
      if (Files.isDirectory(inbox)) {
        try (var files = Files.list(inbox)) {
          for (Path p : files.toList()) {
            String t = Files.readString(p);
            if (t.contains(subject)) {
              found.set(t);
            }
          }
        }
      }
      return found.get() != null;
    }, Duration.ofSeconds(90), "the message in " + inbox);
    assertTrue(found.get().contains("From: Bounce Handler <bounces@"), found.get());
    assertTrue(found.get().contains("Return-Path: <bounces@"), found.get());
  }

  @Test
  void cronsOwnCommandLineDeliversToRootHere() throws Exception {
    // Debian's cron: sendmail -FCronDaemon -i -B8BITMIME -oem root
    String subject = "Cron <root@relay> run-parts " + UUID.randomUUID();
    Result r = SendmailCommand.run(List.of(), env, "Subject: " + subject + "\nTo: root\n\nlogrotate: done\n",
        "-FCronDaemon", "-i", "-B8BITMIME", "-oem", "root");
    assertEquals(0, r.status(), r.toString());
    Path inbox = data.resolve("mail").resolve("root").resolve("new");
    Await.until(() -> {
      if (!Files.isDirectory(inbox)) {
        return false;
      }
      try (var files = Files.list(inbox)) {
        for (Path p : files.toList()) {
          String t = Files.readString(p);
          if (t.contains(subject)) {
            return t.contains("From: CronDaemon <root@");
          }
        }
      }
      return false;
    }, Duration.ofSeconds(90), "cron's message in " + inbox + " from CronDaemon");
  }

  @Test
  void anUnprivilegedUserSubmitsAndTheNodeRecordsWhoByPeerCredentials() throws Exception {
    assumeTrue(SendmailCommand.root(), "only root can run the command as nobody");
    String subject = "nobody " + UUID.randomUUID();
    Result r = SendmailCommand.run(SendmailCommand.NOBODY, env, "Subject: " + subject + "\n\nfrom nobody\n",
        "friend@elsewhere.test");
    assertEquals(0, r.status(), r.toString());
    ReceivedMessage m = arrived(subject);
    assertTrue(m.text().contains("Received: (from nobody@localhost)"), m.text());
    assertTrue(m.text().contains("\r\nFrom: nobody <nobody@corp.example>\r\n"), m.text());
    Await.until(() -> mailLog.list.stream().anyMatch(e -> e.getFormattedMessage().contains("relay=nobody@localhost")),
        Duration.ofSeconds(30), "relay=nobody@localhost in the mail log");
    assertFalse(m.text().contains("X-Authentication-Warning"), m.text());

    // An untrusted user who sets another sender is named for it, as by sendmail.
    String spoofed = "nobody -f " + UUID.randomUUID();
    r = SendmailCommand.run(SendmailCommand.NOBODY, env, "Subject: " + spoofed + "\n\nx\n", "-f", "boss@corp.example",
        "friend@elsewhere.test");
    assertEquals(0, r.status(), r.toString());
    ReceivedMessage s = arrived(spoofed);
    assertEquals("boss@corp.example", s.sender());
    assertTrue(s.text().contains("\r\nX-Authentication-Warning: relay.test: nobody set sender to boss@corp.example using -f\r\n"),
        s.text());
  }

  @Test
  void dashBsSpeaksSmtpOnStandardInputAndOutput() throws Exception {
    String subject = "bs " + UUID.randomUUID();
    // LF line ends, as a script writes them; sendmail -bs takes them.
    Result r = SendmailCommand.run(List.of(), env,
        "EHLO script.test\nMAIL FROM:<root@relay.test>\nRCPT TO:<bs@elsewhere.test>\nDATA\n"
            + "Subject: " + subject + "\n\nover -bs\n.\nQUIT\n",
        "-bs");
    assertEquals(0, r.status(), r.toString());
    assertTrue(r.out().startsWith("220 relay.test"), r.out());
    assertTrue(r.out().matches("(?s).*\r\n250 2\\.0\\.0 \\S+ Message accepted for delivery\r\n221 .*"), r.out());
    assertTrue(arrived(subject).text().contains("Received: (from root@localhost)"));
  }

  @Test
  void dashBsMailGetsTheDateMessageIdAndFromItLacksAndKeepsThoseItHas() throws Exception {
    String bare = "bs bare " + UUID.randomUUID();
    String bounce = "bs bounce " + UUID.randomUUID();
    String own = "bs own " + UUID.randomUUID();
    String ownId = "<" + UUID.randomUUID() + "@elsewhere.test>";
    // A program speaking SMTP writes only what it thinks of; sendmail -bs fills in the rest.
    Result r = SendmailCommand.run(List.of(), env,
        "EHLO script.test\n"
            + "MAIL FROM:<alerts@elsewhere.test>\nRCPT TO:<bs@elsewhere.test>\nDATA\n"
            + "Subject: " + bare + "\n\nno Date, no From, no Message-ID\n.\n"
            + "MAIL FROM:<>\nRCPT TO:<bs@elsewhere.test>\nDATA\n"
            + "Subject: " + bounce + "\n\nfrom the null sender\n.\n"
            + "MAIL FROM:<alerts@elsewhere.test>\nRCPT TO:<bs@elsewhere.test>\nDATA\n"
            + "date: Thu, 1 Jan 2026 00:00:00 +0000\nFROM:\n\tScript <script@elsewhere.test>\n"
            + "Message-Id: " + ownId + "\nSubject: " + own + "\n\nDate: in the body is no field\n.\n"
            + "QUIT\n",
        "-bs");
    assertEquals(0, r.status(), r.toString());

    String user = System.getProperty("user.name");
    String text = arrived(bare).text();
    assertEquals(1, fields(text, "Date"), text);
    assertEquals(1, fields(text, "Message-ID"), text);
    assertEquals(1, fields(text, "From"), text);
    assertTrue(text.matches("(?s)(.*\r\n)?Received: \\(from " + user + "@localhost\\)\r\n.*?\r\n"
        + "Date: \\w{3}, \\d{1,2} \\w{3} \\d{4} \\d\\d:\\d\\d:\\d\\d [+-]\\d{4}\r\n"
        + "From: alerts@elsewhere\\.test\r\n"
        + "Message-ID: <\\d{14}\\.\\w+@relay\\.test>\r\n"
        + "(X-Authentication-Warning: [^\r]*\r\n)?" // an untrusted user set the sender
        + "Subject: " + bare + "\r\n\r\n.*"), text);

    // No envelope sender: the submitting user at $j, masqueraded by the router like any From.
    text = arrived(bounce).text();
    assertEquals(1, fields(text, "From"), text);
    assertTrue(text.contains("\r\nFrom: " + user + "@corp.example\r\n"), text);

    // Present in any case, folded or not: left exactly as written, and nothing added.
    text = arrived(own).text();
    assertTrue(text.contains("\r\ndate: Thu, 1 Jan 2026 00:00:00 +0000\r\nFROM:\r\n\tScript <script@elsewhere.test>\r\n"
        + "Message-Id: " + ownId + "\r\n"), text);
    assertEquals(1, fields(text, "Date"), text);
    assertEquals(1, fields(text, "Message-ID"), text);
    assertEquals(1, fields(text, "From"), text);
  }

  // How many fields of this name the header section has, in any case.
  private static long fields(String text, String name) {
    String head = text.substring(0, text.indexOf("\r\n\r\n") + 2);
    return head.lines().filter(l -> l.regionMatches(true, 0, name + ":", 0, name.length() + 1)).count();
  }

  @Test
  void exitStatusesAreSendmails() throws Exception {
    assertEquals(64, SendmailCommand.run(List.of(), env, "x\n", "-Q", "a@elsewhere.test").status(), "unknown option");
    Result none = SendmailCommand.run(List.of(), env, "Subject: x\n\nx\n");
    assertEquals(64, none.status(), none.toString());
    assertTrue(none.err().contains("Recipient names must be specified"), none.err());
    assertEquals(64, SendmailCommand.run(List.of(), env, "Subject: x\n\nx\n", "-t").status(), "-t without recipients");
    Result unknown = SendmailCommand.run(List.of(), env, "Subject: ghost\n\nx\n", "ghost");
    assertEquals(67, unknown.status(), unknown.toString());
    assertTrue(unknown.err().contains("ghost@relay.test... 550 5.1.1"), unknown.err());
    Result quiet = SendmailCommand.run(List.of(), env, "Subject: ghost\n\nx\n", "-oeq", "ghost");
    assertEquals(67, quiet.status(), quiet.toString());
    assertEquals("", quiet.err(), "-oeq prints nothing");
    // -oem: the refusal is mailed back to the sender instead, and the command succeeds.
    String bounced = "oem " + UUID.randomUUID();
    Result mailed = SendmailCommand.run(List.of(), env, "Subject: " + bounced + "\n\nx\n", "-oem", "ghost");
    assertEquals(0, mailed.status(), mailed.toString());
    Path inbox = data.resolve("mail").resolve("root").resolve("new");
    Await.until(() -> {
      if (!Files.isDirectory(inbox)) {
        return false;
      }
      try (var files = Files.list(inbox)) {
        for (Path p : files.toList()) {
          String t = Files.readString(p);
          if (t.contains("Subject: " + bounced) && t.contains("Subject: Returned mail: see transcript for details")) {
            return t.contains("ghost@relay.test... 550 5.1.1");
          }
        }
      }
      return false;
    }, Duration.ofSeconds(90), "the -oem notice in " + inbox);
    Result big = SendmailCommand.run(List.of(), env, "Subject: big\n\n" + "x".repeat(99).concat("\n").repeat(1500),
        "big@elsewhere.test");
    assertEquals(65, big.status(), big.toString());
    assertTrue(big.err().contains("552 5.3.4"), big.err());
  }

  @Test
  void sNailWithMtaSetToTheCommandDeliversEndToEnd() throws Exception {
    Path snail = Path.of("/usr/bin/s-nail");
    if (!Files.isExecutable(snail)) {
      assertFalse("1".equals(System.getenv("MAILSTREAM_CI")), "s-nail is not installed (apt-get install s-nail)");
      assumeTrue(false, "s-nail is not installed");
    }
    String subject = "s-nail " + UUID.randomUUID();
    Result r = SendmailCommand.runProgram(List.of(), Map.of("MAILSTREAM_DATA_DIR", data.toString(), "HOME", dir.toString(),
            "MAILRC", "/dev/null"), "written with s-nail\n", snail.toString(),
        "-n", "-S", "mta=" + SendmailCommand.SCRIPT, "-S", "sendwait", "-s", subject, "reader@elsewhere.test");
    assertEquals(0, r.status(), r.toString());
    ReceivedMessage m = arrived(subject);
    assertEquals(List.of("reader@elsewhere.test"), m.recipients());
    assertTrue(m.text().contains("\r\n\r\nwritten with s-nail\r\n"), m.text());
    assertTrue(m.text().contains("Received: (from root@localhost)"), m.text());
  }

  @Test
  void theNodeLetsEveryLocalUserReachTheSocketAndKeepsTheSpoolUnlistable() throws Exception {
    assertEquals(0666, (Integer) Files.getAttribute(data.resolve("submit.sock"), "unix:mode") & 07777);
    assertEquals(01733, (Integer) Files.getAttribute(data.resolve("spool"), "unix:mode") & 07777);
    String info = Files.readString(data.resolve("submit.info"));
    assertTrue(info.contains("\nhostname=relay.test\n") && info.contains("\noffline=spool\n"), info);
  }

  @Test
  void whileTheNodeIsDownMailWaitsInTheUsersSpoolAndTheNextInvocationSendsIt() throws Exception {
    for (List<String> user : users()) {
      Path offline = offlineDataDir("down-" + UUID.randomUUID(), "spool");
      Map<String, String> env = Map.of("MAILSTREAM_DATA_DIR", offline.toString());
      String waited = "waited " + UUID.randomUUID();
      Result r = SendmailCommand.run(user, env, "Subject: " + waited + "\n\nwaited\n", "later@elsewhere.test");
      assertEquals(0, r.status(), r.toString());
      int uid = user.isEmpty() ? 0 : 65534;
      Path own = offline.resolve("spool").resolve(Integer.toString(uid));
      assertEquals(0700, (Integer) Files.getAttribute(own, "unix:mode") & 07777);
      assertEquals(uid, (Integer) Files.getAttribute(own, "unix:uid"));
      List<Path> files;
      try (var in = Files.list(own)) {
        files = in.toList();
      }
      assertEquals(1, files.size(), files.toString());
      assertEquals(0600, (Integer) Files.getAttribute(files.get(0), "unix:mode") & 07777, "never world-readable");

      Result q = SendmailCommand.run(user, env, "", "-bp");
      assertEquals(69, q.status(), q.toString());
      assertTrue(q.out().contains("(1 request)") && q.out().contains("later@elsewhere.test"), q.out());
      assertTrue(q.err().contains("the node's queue cannot be listed: the node is not running"), q.err());

      // The node answers again: the next message takes the spooled one with it, first.
      pointAt(offline, node.config().submitSocket(), "spool");
      String next = "next " + UUID.randomUUID();
      r = SendmailCommand.run(user, env, "Subject: " + next + "\n\nnext\n", "now@elsewhere.test");
      assertEquals(0, r.status(), r.toString());
      assertTrue(arrived(waited).text().contains(user.isEmpty() ? "(from root@localhost)" : "(from nobody@localhost)"));
      arrived(next);
      try (var in = Files.list(own)) {
        assertEquals(List.of(), in.toList(), "the spool is empty once sent");
      }
    }
  }

  @Test
  void dashQSendsTheSpoolThenRunsTheNodesQueue() throws Exception {
    Path offline = offlineDataDir("q-" + UUID.randomUUID(), "spool");
    Map<String, String> env = Map.of("MAILSTREAM_DATA_DIR", offline.toString());
    String subject = "queue run " + UUID.randomUUID();
    assertEquals(0, SendmailCommand.run(List.of(), env, "Subject: " + subject + "\n\nq\n", "q@elsewhere.test").status());
    Result down = SendmailCommand.run(List.of(), env, "", "-q");
    assertEquals(75, down.status(), down.toString());
    // The node answers again, at its socket and admin endpoint, with its token.
    pointAt(offline, node.config().submitSocket(), "spool");
    Files.writeString(offline.resolve("submit.info"), "admin-token=" + data.resolve("admin.token") + "\n",
        java.nio.file.StandardOpenOption.APPEND);
    Files.copy(data.resolve("admin.address"), offline.resolve("admin.address"));
    Result r = SendmailCommand.run(List.of(), env, "", "-v", "-q");
    assertEquals(0, r.status(), r.toString());
    assertTrue(r.out().contains("deferred messages to be attempted now") || r.out().contains("deferred message to be attempted now"),
        r.out());
    assertTrue(r.out().contains("(1 spooled message sent)"), r.out());
    arrived(subject);
  }

  @Test
  void withSubmitOfflineTempfailTheCommandExits75AndKeepsNothing() throws Exception {
    Path offline = offlineDataDir("tempfail-" + UUID.randomUUID(), "tempfail");
    Result r = SendmailCommand.run(List.of(), Map.of("MAILSTREAM_DATA_DIR", offline.toString()), "Subject: t\n\nt\n",
        "t@elsewhere.test");
    assertEquals(75, r.status(), r.toString());
    assertTrue(r.err().contains("submit.offline: tempfail"), r.err());
    try (var in = Files.list(offline.resolve("spool"))) {
      assertEquals(List.of(), in.toList());
    }
  }

  @Test
  void verifyAddressTestAndNewaliasesAnswerWithTheNodesRules() throws Exception {
    // The verbs run the mailstream command; here it is this module's classes, as ./mailstream runs the jar.
    Path home = Files.createDirectories(dir.resolve("home-" + UUID.randomUUID()));
    Path launcher = home.resolve("mailstream");
    Files.writeString(launcher, "#!/bin/sh\nexec " + Path.of(System.getProperty("java.home"), "bin", "java")
        + " -Xmx256m -cp '" + ChildStart.mainClasspath() + "' " + MailstreamCommand.class.getName() + " \"$@\"\n");
    Files.setAttribute(launcher, "unix:mode", 0755);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classes = SendmailCommand.REPO.resolve("submit/target/classes").toString();
    List<String> client = List.of(java, "-Dmailstream.home=" + home, "-cp", classes, "io.mailstream.sendmail.Main");
    Map<String, String> withConfig = Map.of("MAILSTREAM_DATA_DIR", data.toString(),
        "MAILSTREAM_CONFIG", dir.resolve("mailstream.yaml").toString());

    Result bv = SendmailCommand.exec(with(client, "-bv", "root", "ghost"), withConfig, "");
    assertEquals(67, bv.status(), bv.toString());
    assertTrue(bv.out().contains("root@relay.test... deliverable: mailer local, user root\n"), bv.out());
    assertTrue(bv.out().contains("ghost@relay.test... undeliverable: "), bv.out());

    Result bt = SendmailCommand.exec(with(client, "-bt"), withConfig, "/parse root\n/map virtuser x\n/frobnicate x\n");
    assertEquals(64, bt.status(), bt.toString());
    assertTrue(bt.out().contains("> /parse root\nroot\n  mailer local, user root\n"), bt.out());
    assertTrue(bt.out().contains("> /map virtuser x\nmap_lookup: virtuser"), bt.out());
    assertTrue(bt.err().contains("'/frobnicate x' is not supported"), bt.err());

    Result bi = SendmailCommand.exec(with(client, "-bi"), withConfig, "");
    assertEquals(0, bi.status(), bi.toString());
    assertTrue(bi.out().startsWith("aliases checked and loaded: configuration version "), bi.out());
  }

  private static List<String> with(List<String> command, String... args) {
    List<String> all = new java.util.ArrayList<>(command);
    all.addAll(List.of(args));
    return all;
  }

  /** Root, and nobody when this test runs as root. */
  private static List<List<String>> users() throws Exception {
    return SendmailCommand.root() ? List.of(List.of(), SendmailCommand.NOBODY) : List.of(List.of());
  }

  /**
   * A data directory as a node leaves it when it stops: its submit.info (the running node's, with
   * a socket nothing listens on) and its spool.
   */
  private static Path offlineDataDir(String name, String offline) throws Exception {
    Path d = Files.createDirectories(dir.resolve(name));
    Path spool = Files.createDirectories(d.resolve("spool"));
    Files.setAttribute(spool, "unix:mode", 01733);
    pointAt(d, d.resolve("submit.sock"), offline);
    return d;
  }

  private static void pointAt(Path d, Path socket, String offline) throws Exception {
    Files.writeString(d.resolve("submit.info"), "hostname=relay.test\nsocket=" + socket + "\noffline=" + offline
        + "\nspool=" + d.resolve("spool") + "\n");
  }
}
