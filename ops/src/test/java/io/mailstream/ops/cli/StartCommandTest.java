package io.mailstream.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A start with an unusable certificate or users file stops at once with one line, before Kafka. */
class StartCommandTest {
  @TempDir Path dir;

  private String startFails(String... args) {
    PrintStream before = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      assertEquals(2, MailstreamCommand.commandLine().execute(args));
    } finally {
      System.setErr(before);
    }
    return err.toString(StandardCharsets.UTF_8).strip();
  }

  @Test
  void aMissingCertificateIsNamed() {
    Path cert = dir.resolve("cert.pem");
    String err = startFails("start", "--data-dir", dir.resolve("data").toString(),
        "--tls-cert", cert.toString(), "--tls-key", dir.resolve("key.pem").toString());
    assertEquals("mailstream: tls.cert: cannot read " + cert, err);
    assertTrue(Files.notExists(dir.resolve("data").resolve("kafka")), "nothing was started");
  }

  @Test
  void aCertificateThatIsNotPemIsRefusedWithTheReason() throws Exception {
    Path cert = Files.writeString(dir.resolve("cert.pem"), "not a certificate\n");
    Path key = Files.writeString(dir.resolve("key.pem"), "not a key\n");
    String err = startFails("start", "--data-dir", dir.resolve("data").toString(),
        "--tls-cert", cert.toString(), "--tls-key", key.toString());
    assertTrue(err.startsWith("mailstream: tls.cert/tls.key: cannot use " + cert + " with " + key), err);
  }

  @Test
  void aKeyWithoutCertificateIsAConfigError() {
    String err = startFails("start", "--tls-key", dir.resolve("key.pem").toString());
    assertEquals("mailstream: tls.key is set but tls.cert is not", err);
  }

  @Test
  void aSubmissionPortWithoutUsersIsAConfigError() {
    String err = startFails("start", "--submission", "127.0.0.1:0");
    assertEquals("mailstream: listen: 127.0.0.1:0 msa requires AUTH, so auth.users must be set", err);
  }

  @Test
  void aBrokenUsersFileIsNamedWithItsLine() throws Exception {
    Path users = Files.writeString(dir.resolve("users"), "# users\nalice\n");
    String err = startFails("start", "--data-dir", dir.resolve("data").toString(), "--users", users.toString());
    assertEquals("mailstream: " + users.toAbsolutePath() + ":2: expected NAME:HASH (see mailstream passwd)", err);
  }
}
