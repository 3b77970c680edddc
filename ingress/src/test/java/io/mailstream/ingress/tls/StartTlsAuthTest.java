package io.mailstream.ingress.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.config.ConfigBuilder;
import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.core.testkit.TestCertificates;
import io.mailstream.ingress.auth.PasswordHash;
import io.mailstream.ingress.auth.UsersFile;
import io.mailstream.ingress.server.IngressServer;
import io.mailstream.ingress.testing.MemoryPublisher;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * STARTTLS (RFC 3207), implicit TLS (RFC 8314) and AUTH (RFC 4954) over real sockets with real
 * TLS, against a server with an MTA, an MSA and an smtps listener.
 */
class StartTlsAuthTest {
  @TempDir static Path dir;
  static TestCertificates certs;
  static SSLSocketFactory tls;
  static MemoryPublisher publisher;
  static IngressServer server;
  static InetSocketAddress mta;
  static InetSocketAddress msa;
  static InetSocketAddress smtps;

  @BeforeAll
  static void start() throws Exception {
    certs = TestCertificates.create(dir);
    tls = certs.clientSockets();
    // The fewest iterations PasswordHash allows: real PBKDF2, without slowing the suite.
    UsersFile.empty(dir.resolve("users"))
        .with("alice", PasswordHash.of("s3cret pass".toCharArray(), 1000))
        .with("bob", PasswordHash.of("other".toCharArray(), 1000))
        .write();
    ConfigBuilder b =
        new ConfigBuilder()
            .hostname("mx.test")
            .listen(List.of("127.0.0.1:0", "127.0.0.1:0 msa", "127.0.0.1:0 smtps"))
            .relayFrom(List.of("127.0.0.1/32"))
            .localDomains(List.of("local.test"))
            .smartHost("[127.0.0.1]:9");
    b.smtp().certificate(certs.certificate()).key(certs.key()).usersFile(dir.resolve("users"));
    MailstreamConfig config = b.build();
    publisher = new MemoryPublisher(MemoryPublisher.Mode.ACCEPT);
    server = IngressServer.builder().config(config).publisher(publisher).build().start();
    mta = server.boundAddresses().get(0);
    msa = server.boundAddresses().get(1);
    smtps = server.boundAddresses().get(2);
  }

  @AfterAll
  static void stop() {
    server.close();
    publisher.close();
  }

  /** An outsider (127.0.0.2 is not in relay-from) that has done STARTTLS and EHLO. */
  private static TlsClient secured(InetSocketAddress where) throws Exception {
    TlsClient c = new TlsClient(where, "127.0.0.2");
    assertTrue(c.last().startsWith("220 mx.test"));
    c.command("EHLO client.test");
    assertEquals("220 2.0.0 Ready to start TLS", c.say("STARTTLS"));
    c.upgrade(tls, where);
    return c;
  }

  @Test
  void startTlsIsOfferedInTheClearAndAuthOnlyAfterIt() throws Exception {
    try (TlsClient c = new TlsClient(mta, "127.0.0.2")) {
      c.last();
      List<String> ehlo = c.command("EHLO client.test");
      assertTrue(ehlo.contains("250-STARTTLS"), ehlo.toString());
      assertFalse(ehlo.stream().anyMatch(l -> l.contains("AUTH")), ehlo.toString());
      assertEquals("538 5.7.11 Encryption required for requested authentication mechanism",
          c.say("AUTH PLAIN " + TlsClient.plain("", "alice", "s3cret pass")));
      assertEquals("220 2.0.0 Ready to start TLS", c.say("STARTTLS"));
      SSLSocket ssl = c.upgrade(tls, mta);
      assertTrue(ssl.getSession().getProtocol().startsWith("TLSv1."));
      List<String> again = c.command("EHLO client.test");
      assertTrue(again.stream().anyMatch(l -> l.equals("250-AUTH PLAIN LOGIN")), again.toString());
      assertFalse(again.stream().anyMatch(l -> l.contains("STARTTLS")), again.toString());
    }
  }

  @Test
  void anAuthenticatedOutsiderMayRelayAndTheMessageSaysHow() throws Exception {
    try (TlsClient c = secured(mta)) {
      c.command("EHLO client.test");
      assertEquals("550 5.7.1 Relaying denied", relayAttempt(c));
      assertEquals("250 2.0.0 Ok", c.say("RSET"));
      assertEquals("235 2.7.0 Authentication successful",
          c.say("AUTH PLAIN " + TlsClient.plain("", "alice", "s3cret pass")));
      assertEquals("503 5.5.1 Already Authenticated", c.say("AUTH PLAIN " + TlsClient.plain("", "alice", "s3cret pass")));
      assertEquals("250 2.1.5 Ok", relayAttempt(c));
      assertEquals("354 End data with <CR><LF>.<CR><LF>", c.say("DATA"));
      assertTrue(c.say("Subject: hi\r\n\r\nover TLS\r\n.").startsWith("250 2.0.0 "));
      MemoryPublisher.Stored m = publisher.next(Duration.ofSeconds(5));
      assertNotNull(m);
      assertEquals("ESMTPSA", m.event().client().protocol());
      assertEquals("alice", m.event().client().authUser());
      String received = m.event().receivedHeader();
      assertTrue(received.contains("(authenticated bits=0)"), received);
      assertTrue(received.contains("with ESMTPSA id"), received);
      assertTrue(received.matches("(?s).*\\(version=TLSv1\\.[23] cipher=\\S+ bits=\\d+ verify=NO\\).*"), received);
      assertEquals("Subject: hi\r\n\r\nover TLS\r\n", new String(m.body(), StandardCharsets.UTF_8));
    }
  }

  private static String relayAttempt(TlsClient c) throws Exception {
    assertEquals("250 2.1.0 Ok", c.say("MAIL FROM:<alice@client.test>"));
    return c.say("RCPT TO:<someone@elsewhere.test>");
  }

  @Test
  void wrongPasswordsAndUnknownUsersAreRefusedAlikeAndTheSessionGoesOn() throws Exception {
    try (TlsClient c = secured(mta)) {
      c.command("EHLO client.test");
      assertEquals("535 5.7.8 Authentication credentials invalid",
          c.say("AUTH PLAIN " + TlsClient.plain("", "alice", "wrong")));
      assertEquals("535 5.7.8 Authentication credentials invalid",
          c.say("AUTH PLAIN " + TlsClient.plain("", "mallory", "s3cret pass")));
      assertEquals("235 2.7.0 Authentication successful",
          c.say("AUTH PLAIN " + TlsClient.plain("alice", "alice", "s3cret pass")));
    }
  }

  @Test
  void theThirdWrongPasswordEndsTheSessionAndEachComesLate() throws Exception {
    try (TlsClient c = secured(mta)) {
      c.command("EHLO client.test");
      long started = System.nanoTime();
      assertEquals("535 5.7.8 Authentication credentials invalid",
          c.say("AUTH PLAIN " + TlsClient.plain("", "alice", "guess1")));
      assertTrue(System.nanoTime() - started >= 900_000_000L, "a wrong password is answered a second late");
      // One user may not act for another: the authorisation identity must be empty or the same.
      assertEquals("535 5.7.8 Authentication credentials invalid",
          c.say("AUTH PLAIN " + TlsClient.plain("bob", "alice", "s3cret pass")));
      assertEquals("421 4.7.0 mx.test Too many authentication failures; closing connection",
          c.say("AUTH PLAIN " + TlsClient.plain("", "alice", "guess3")));
      assertEquals("EOF", c.last());
    }
  }

  @Test
  void anAuthBeforeStartTlsDoesNotCarryOverIntoTls() throws Exception {
    // With plaintext AUTH allowed, a man in the middle could authenticate as himself before the
    // client's STARTTLS (RFC 3207 4.2: everything said in the clear is forgotten).
    ConfigBuilder b =
        new ConfigBuilder().hostname("mx.test").listen(List.of("127.0.0.1:0")).relayFrom(List.of("127.0.0.1/32"))
            .localDomains(List.of("local.test")).smartHost("[127.0.0.1]:9");
    b.smtp().certificate(certs.certificate()).key(certs.key()).usersFile(dir.resolve("users")).allowPlaintextAuth(true);
    try (MemoryPublisher p = new MemoryPublisher(MemoryPublisher.Mode.ACCEPT);
        IngressServer plain = IngressServer.builder().config(b.build()).publisher(p).build().start();
        TlsClient c = new TlsClient(plain.boundAddresses().get(0), "127.0.0.2")) {
      InetSocketAddress at = plain.boundAddresses().get(0);
      c.last();
      assertTrue(c.command("EHLO client.test").contains("250-AUTH PLAIN LOGIN"));
      assertEquals("235 2.7.0 Authentication successful", c.say("AUTH PLAIN " + TlsClient.plain("", "bob", "other")));
      assertEquals("220 2.0.0 Ready to start TLS", c.say("STARTTLS"));
      c.upgrade(tls, at);
      assertTrue(c.command("EHLO client.test").contains("250-AUTH PLAIN LOGIN"), "AUTH is offered again");
      assertEquals("250 2.1.0 Ok", c.say("MAIL FROM:<a@client.test>"));
      assertEquals("550 5.7.1 Relaying denied", c.say("RCPT TO:<x@elsewhere.test>"));
    }
  }

  @Test
  void authLoginAndAPlainExchangeWithoutInitialResponse() throws Exception {
    try (TlsClient c = secured(mta)) {
      c.command("EHLO client.test");
      assertEquals("334 VXNlcm5hbWU6", c.say("AUTH LOGIN"));
      assertEquals("334 UGFzc3dvcmQ6", c.say(TlsClient.b64("bob")));
      assertEquals("235 2.7.0 Authentication successful", c.say(TlsClient.b64("other")));
    }
    try (TlsClient c = secured(mta)) {
      c.command("EHLO client.test");
      assertEquals("334 ", c.say("AUTH PLAIN"));
      assertEquals("235 2.7.0 Authentication successful", c.say(TlsClient.plain("", "bob", "other")));
    }
  }

  @Test
  void abortedAndUndecodableExchanges() throws Exception {
    try (TlsClient c = secured(mta)) {
      c.command("EHLO client.test");
      assertEquals("334 ", c.say("AUTH PLAIN"));
      assertEquals("501 5.0.0 Authentication aborted", c.say("*"));
      assertEquals("334 VXNlcm5hbWU6", c.say("AUTH LOGIN"));
      assertEquals("501 5.5.2 Cannot decode response", c.say("not base64!"));
      assertEquals("504 5.5.4 Unrecognized authentication type", c.say("AUTH CRAM-MD5"));
      assertEquals("501 5.5.4 Syntax: AUTH mechanism [initial-response]", c.say("AUTH"));
      assertEquals("501 5.5.2 Cannot decode response", c.say("AUTH PLAIN " + TlsClient.b64("no separators")));
      assertEquals("250 2.1.0 Ok", c.say("MAIL FROM:<a@client.test>"));
      assertEquals("503 5.5.1 AUTH not permitted during a mail transaction",
          c.say("AUTH PLAIN " + TlsClient.plain("", "bob", "other")));
    }
  }

  @Test
  void authLinesMayBe12288OctetsAndLongerOnesEndTheExchange() throws Exception {
    try (TlsClient c = secured(mta)) {
      c.command("EHLO client.test");
      // RFC 4954 4: 12288 octets with the CRLF; a long authorisation identity fills it here.
      String longest = TlsClient.plain("x".repeat(9000), "alice", "s3cret pass");
      assertTrue(longest.length() <= 12286 - "AUTH PLAIN ".length(), "fits");
      assertEquals("334 ", c.say("AUTH PLAIN"));
      // The exchange reads a long answer (refused only because one user may not act for another).
      assertEquals("535 5.7.8 Authentication credentials invalid", c.say(longest));
      assertEquals("334 ", c.say("AUTH PLAIN"));
      assertEquals("500 5.5.6 Authentication Exchange line is too long", c.say("A".repeat(13000)));
      // Outside an exchange, the command limit holds again.
      assertTrue(c.say("NOOP " + "x".repeat(3000)).startsWith("500 5.5.2"));
      assertEquals("235 2.7.0 Authentication successful",
          c.say("AUTH PLAIN " + TlsClient.plain("", "alice", "s3cret pass")));
    }
  }

  @Test
  void commandsPipelinedAfterStartTlsAreThrownAwayNotRunInsideTls() throws Exception {
    try (TlsClient c = new TlsClient(mta, "127.0.0.2")) {
      c.last();
      c.command("EHLO client.test");
      // CVE-2011-0411: a man in the middle appends a command to the client's STARTTLS.
      c.send("STARTTLS\r\nMAIL FROM:<injected@evil.test>\r\n");
      assertEquals("220 2.0.0 Ready to start TLS", c.last());
      c.upgrade(tls, mta);
      List<String> ehlo = c.command("EHLO client.test");
      assertEquals("250-mx.test Hello client.test", ehlo.get(0));
      // Had the injected MAIL run, this would be "503 5.5.1 Error: nested MAIL command".
      assertEquals("250 2.1.0 Ok", c.say("MAIL FROM:<real@client.test>"));
    }
  }

  @Test
  void startTlsRefusals() throws Exception {
    try (TlsClient c = new TlsClient(mta, "127.0.0.2")) {
      c.last();
      c.command("EHLO client.test");
      assertEquals("501 5.5.4 Syntax error (no parameters allowed)", c.say("STARTTLS now"));
      assertEquals("250 2.1.0 Ok", c.say("MAIL FROM:<a@client.test>"));
      assertEquals("503 5.5.1 Error: nested MAIL command", c.say("STARTTLS"));
      assertEquals("250 2.0.0 Ok", c.say("RSET"));
      assertEquals("220 2.0.0 Ready to start TLS", c.say("STARTTLS"));
      c.upgrade(tls, mta);
      assertEquals("503 5.5.1 TLS already active", c.say("STARTTLS"));
    }
  }

  @Test
  void theClientMustGreetAgainAfterTls() throws Exception {
    try (TlsClient c = secured(mta)) {
      assertTrue(c.say("MAIL FROM:<a@client.test>").startsWith("503 5.5.1 "));
    }
  }

  @Test
  void aClientThatDoesNotSpeakTlsAfterStartTlsIsDisconnected() throws Exception {
    try (TlsClient c = new TlsClient(mta, "127.0.0.2")) {
      c.last();
      c.command("EHLO client.test");
      assertEquals("220 2.0.0 Ready to start TLS", c.say("STARTTLS"));
      c.send("QUIT\r\n");
      assertEquals("EOF", c.last());
    }
  }

  @Test
  void theSubmissionPortWantsAuthBeforeMail() throws Exception {
    try (TlsClient c = secured(msa)) {
      c.command("EHLO client.test");
      assertEquals("530 5.7.0 Authentication required", c.say("MAIL FROM:<alice@client.test>"));
      assertEquals("235 2.7.0 Authentication successful",
          c.say("AUTH PLAIN " + TlsClient.plain("", "alice", "s3cret pass")));
      // RFC 4954 5: relays pass on who submitted the message; checked, then not trusted.
      assertTrue(c.say("MAIL FROM:<alice@client.test> AUTH=a=b").startsWith("501 5.5.4 "));
      assertEquals("250 2.1.0 Ok", c.say("MAIL FROM:<alice@client.test> AUTH=alice+40client.test"));
      assertEquals("250 2.1.5 Ok", c.say("RCPT TO:<friend@elsewhere.test>"));
    }
  }

  @Test
  void implicitTlsGreetsInsideTlsAndOffersAuthAtOnce() throws Exception {
    try (TlsClient c = TlsClient.implicit(smtps, tls)) {
      assertTrue(c.last().startsWith("220 mx.test"));
      List<String> ehlo = c.command("EHLO client.test");
      assertTrue(ehlo.contains("250-AUTH PLAIN LOGIN"), ehlo.toString());
      assertFalse(ehlo.stream().anyMatch(l -> l.contains("STARTTLS")), ehlo.toString());
      assertEquals("530 5.7.0 Authentication required", c.say("MAIL FROM:<alice@client.test>"));
      assertEquals("235 2.7.0 Authentication successful",
          c.say("AUTH PLAIN " + TlsClient.plain("", "alice", "s3cret pass")));
    }
  }

  @Test
  void plainTextOnTheSmtpsPortNeverGetsABanner() throws Exception {
    try (TlsClient c = new TlsClient(smtps, "127.0.0.1")) {
      c.send("EHLO client.test\r\n");
      // The server answers with a TLS alert and closes; nothing it sends is SMTP.
      String line;
      do {
        line = c.last();
        assertFalse(line.contains("220") || line.contains("250"), line);
      } while (!line.equals("EOF"));
    }
    assertNull(publisher.poll());
  }
}
