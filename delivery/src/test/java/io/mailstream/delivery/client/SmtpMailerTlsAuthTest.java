package io.mailstream.delivery.client;

import static io.mailstream.delivery.client.ClientFixture.WAIT;
import static io.mailstream.delivery.testkit.TestMessages.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.rules.AuthInfo;
import io.mailstream.delivery.RecipientResult;
import io.mailstream.delivery.RecipientResult.Outcome;
import io.mailstream.delivery.TransactionResult;
import io.mailstream.delivery.testkit.FakeSmartHost.AuthAttempt;
import io.mailstream.delivery.testkit.ReceivedMessage;
import io.mailstream.core.testkit.TestCertificates;
import io.mailstream.delivery.testkit.Verb;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * STARTTLS (RFC 3207) and AUTH (RFC 4954) towards a smart host, over real TLS on 127.0.0.1: what
 * sendmail does with its default client TLS and FEATURE(authinfo).
 */
@Timeout(30)
class SmtpMailerTlsAuthTest {
  private static TestCertificates tls;

  @TempDir Path dir;
  private ClientFixture f;

  @BeforeAll
  static void certificates() throws Exception {
    tls = TestCertificates.create();
  }

  @AfterEach
  void stop() throws Exception {
    if (f != null) {
      f.close();
    }
  }

  private ClientFixture start(ClientSecurity security) throws Exception {
    f = ClientFixture.secured(security);
    return f;
  }

  private static ClientSecurity opportunistic() throws Exception {
    return ClientSecurity.of(true, null, AuthInfo.none(), false);
  }

  private AuthInfo authInfo(String... lines) throws Exception {
    Path file = Files.writeString(dir.resolve("client-info"), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    return AuthInfo.load(file);
  }

  private TransactionResult send() {
    return f.send(message("s@x.test", List.of("r@y.test"), "Subject: t\r\n\r\nbody\r\n"));
  }

  private static RecipientResult only(TransactionResult r) {
    assertEquals(1, r.recipients().size(), r.toString());
    return r.recipients().get(0);
  }

  // ---- STARTTLS ------------------------------------------------------------------------------

  @Test
  void startTlsUsedWhenOfferedAndMessageArrivesEncrypted() throws Exception {
    start(opportunistic()).host.offerStartTls(tls.serverContext());

    TransactionResult r = send();

    assertEquals(Outcome.DELIVERED, only(r).outcome(), r.toString());
    ReceivedMessage m = f.host.awaitMessages(1, WAIT).get(0);
    assertNotNull(m.tls(), "message came in the clear");
    assertTrue(m.tls().equals("TLSv1.3") || m.tls().equals("TLSv1.2"), m.tls());
    assertEquals(1, f.host.count("STARTTLS"));
    // RFC 3207 4.2: EHLO again after the handshake.
    assertEquals(2, f.host.count("EHLO"));
  }

  @Test
  void plainWhenNotOffered() throws Exception {
    start(opportunistic());

    assertEquals(Outcome.DELIVERED, only(send()).outcome());

    assertNull(f.host.awaitMessages(1, WAIT).get(0).tls());
    assertEquals(0, f.host.count("STARTTLS"));
  }

  @Test
  void starttlsOffNeverTriesIt() throws Exception {
    start(ClientSecurity.of(false, null, AuthInfo.none(), false)).host.offerStartTls(tls.serverContext());

    assertEquals(Outcome.DELIVERED, only(send()).outcome());

    assertNull(f.host.awaitMessages(1, WAIT).get(0).tls());
    assertEquals(0, f.host.count("STARTTLS"));
  }

  @Test
  void handshakeFailureRetriesPlainWithoutCredentials() throws Exception {
    start(opportunistic()).host.offerStartTls(tls.serverContext()).breakTlsHandshake();

    TransactionResult r = send();

    assertEquals(Outcome.DELIVERED, only(r).outcome(), r.toString());
    assertNull(f.host.awaitMessages(1, WAIT).get(0).tls());
    assertEquals(2, f.host.connectionsAccepted());
    assertEquals(1, f.host.count("STARTTLS"));
  }

  @Test
  void refused454GoesOnInTheClearOnTheSameConnection() throws Exception {
    start(opportunistic()).host.offerStartTls(tls.serverContext()).on(Verb.STARTTLS, "454 4.7.0 TLS not available");

    assertEquals(Outcome.DELIVERED, only(send()).outcome());

    assertNull(f.host.awaitMessages(1, WAIT).get(0).tls());
    assertEquals(1, f.host.connectionsAccepted());
  }

  @Test
  void handshakeFailureDefersWhenCredentialsWouldBeSent() throws Exception {
    start(ClientSecurity.of(true, null, authInfo("AuthInfo:127.0.0.1 \"U:relay\" \"P:secret\""), false))
        .host.offerStartTls(tls.serverContext()).breakTlsHandshake().requireAuth(Map.of("relay", "secret"));

    RecipientResult r = only(send());

    assertEquals(Outcome.DEFERRED, r.outcome(), r.toString());
    assertEquals("4.7.0", r.reply().status(), r.toString());
    assertTrue(f.host.authAttempts().isEmpty());
    assertTrue(f.host.messages().isEmpty());
    assertEquals(1, f.host.connectionsAccepted());
  }

  // ---- AUTH ----------------------------------------------------------------------------------

  @Test
  void authPlainWithHostEntryAfterTls() throws Exception {
    start(ClientSecurity.of(true, null,
            authInfo("# the smart host", "AuthInfo:127.0.0.1 \"U:relay\" \"I:relay\" \"P:s3cret pass\" \"M:PLAIN LOGIN\"",
                "AuthInfo: \"U:other\" \"P:wrong\""), false))
        .host.offerStartTls(tls.serverContext()).requireAuth(Map.of("relay", "s3cret pass"));

    TransactionResult r = send();

    assertEquals(Outcome.DELIVERED, only(r).outcome(), r.toString());
    ReceivedMessage m = f.host.awaitMessages(1, WAIT).get(0);
    assertEquals("relay", m.authenticated());
    assertNotNull(m.tls());
    assertEquals(List.of(new AuthAttempt("PLAIN", "relay", m.tls(), true)), f.host.authAttempts());
  }

  @Test
  void authLoginWithDefaultEntryAndBase64Password() throws Exception {
    String b64 = java.util.Base64.getEncoder().encodeToString("pässword".getBytes(StandardCharsets.UTF_8));
    start(ClientSecurity.of(true, null,
            authInfo("AuthInfo:other.example \"U:nobody\" \"P:x\"", "AuthInfo: \"I:fallback\" \"P=" + b64 + "\""), false))
        .host.offerStartTls(tls.serverContext()).requireAuth(Map.of("fallback", "pässword"), "LOGIN");

    TransactionResult r = send();

    assertEquals(Outcome.DELIVERED, only(r).outcome(), r.toString());
    assertEquals("fallback", f.host.awaitMessages(1, WAIT).get(0).authenticated());
    assertEquals("LOGIN", f.host.authAttempts().get(0).mechanism());
  }

  @Test
  void wrongPasswordDefers() throws Exception {
    start(ClientSecurity.of(true, null, authInfo("AuthInfo:127.0.0.1 \"U:relay\" \"P:wrong\""), false))
        .host.offerStartTls(tls.serverContext()).requireAuth(Map.of("relay", "secret"));

    RecipientResult r = only(send());

    assertEquals(Outcome.DEFERRED, r.outcome(), r.toString());
    assertTrue(r.reply().toString().contains("authentication failed"), r.toString());
    assertTrue(r.reply().toString().contains("535"), r.toString());
    assertFalse(r.reply().toString().contains("wrong"), "password in the reply: " + r);
    assertTrue(f.host.messages().isEmpty());
    assertEquals(0, f.host.count("MAIL"));
  }

  @Test
  void credentialsNeverSentWithoutTls() throws Exception {
    start(ClientSecurity.of(true, null, authInfo("AuthInfo: \"U:relay\" \"P:secret\""), false))
        .host.requireAuth(Map.of("relay", "secret"));

    RecipientResult r = only(send());

    assertEquals(Outcome.DEFERRED, r.outcome(), r.toString());
    assertTrue(r.reply().toString().contains("without TLS"), r.toString());
    assertEquals(0, f.host.count("AUTH"));
    assertTrue(f.host.authAttempts().isEmpty());
  }

  @Test
  void authWithoutTlsWhenAllowed() throws Exception {
    start(ClientSecurity.of(true, null, authInfo("AuthInfo: \"U:relay\" \"P:secret\""), true))
        .host.requireAuth(Map.of("relay", "secret"));

    assertEquals(Outcome.DELIVERED, only(send()).outcome());

    assertEquals(List.of(new AuthAttempt("PLAIN", "relay", null, true)), f.host.authAttempts());
  }

  @Test
  void noAuthOfferedSendsWithoutAuthenticating() throws Exception {
    start(ClientSecurity.of(true, null, authInfo("AuthInfo: \"U:relay\" \"P:secret\""), false))
        .host.offerStartTls(tls.serverContext());

    assertEquals(Outcome.DELIVERED, only(send()).outcome());
    assertNull(f.host.awaitMessages(1, WAIT).get(0).authenticated());
  }

  @Test
  void pooledConnectionKeepsItsAuthentication() throws Exception {
    start(ClientSecurity.of(true, null, authInfo("AuthInfo:127.0.0.1 \"U:relay\" \"P:secret\""), false))
        .host.offerStartTls(tls.serverContext()).requireAuth(Map.of("relay", "secret"));

    assertEquals(Outcome.DELIVERED, only(send()).outcome());
    assertEquals(Outcome.DELIVERED, only(send()).outcome());

    List<ReceivedMessage> got = f.host.awaitMessages(2, WAIT);
    assertEquals(1, f.host.connectionsAccepted());
    assertEquals(1, f.host.authAttempts().size());
    assertEquals("relay", got.get(1).authenticated());
  }

  // ---- Verification (delivery.tls-trust) -----------------------------------------------------

  @Test
  void refusalWithTlsTrustGoesOnInTheClearLikeNoStartTls() throws Exception {
    Path ca = tls.writeCa(dir.resolve("ca.pem"));
    start(ClientSecurity.of(true, ca, AuthInfo.none(), false))
        .host.offerStartTls(tls.serverContext()).on(Verb.STARTTLS, "454 4.7.0 TLS not available");

    assertEquals(Outcome.DELIVERED, only(send()).outcome());
    assertNull(f.host.awaitMessages(1, WAIT).get(0).tls());
  }

  @Test
  void repliesInjectedAfterThe220AreNeverTakenAsFromInsideTls() throws Exception {
    start(opportunistic()).host.offerStartTls(tls.serverContext())
        .on(Verb.STARTTLS, "220 2.0.0 Ready to start TLS", "250-injected", "250 AUTH PLAIN");

    TransactionResult r = send();

    // The injecting connection is dropped; the retry goes in the clear without STARTTLS.
    assertEquals(Outcome.DELIVERED, only(r).outcome(), r.toString());
    assertEquals(2, f.host.connectionsAccepted());
    assertEquals(1, f.host.count("STARTTLS"));
    assertNull(f.host.awaitMessages(1, WAIT).get(0).tls());
  }

  @Test
  void trustedCaDelivers() throws Exception {
    Path ca = tls.writeCa(dir.resolve("ca.pem"));
    start(ClientSecurity.of(true, ca, AuthInfo.none(), false)).host.offerStartTls(tls.serverContext());

    TransactionResult r = send();

    assertEquals(Outcome.DELIVERED, only(r).outcome(), r.toString());
    assertNotNull(f.host.awaitMessages(1, WAIT).get(0).tls());
  }

  @Test
  void wrongCaDefersAndNeverGoesPlain() throws Exception {
    Path other = TestCertificates.create().writeCa(dir.resolve("other-ca.pem"));
    start(ClientSecurity.of(true, other, AuthInfo.none(), false)).host.offerStartTls(tls.serverContext());

    RecipientResult r = only(send());

    assertEquals(Outcome.DEFERRED, r.outcome(), r.toString());
    assertEquals("4.7.0", r.reply().status(), r.toString());
    assertTrue(f.host.messages().isEmpty());
    assertEquals(0, f.host.count("MAIL"));
    assertEquals(1, f.host.connectionsAccepted());
  }
}
