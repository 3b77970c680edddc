package io.mailstream.delivery.local;

import static io.mailstream.delivery.testkit.TestMessages.TRACE;
import static io.mailstream.delivery.testkit.TestMessages.address;
import static io.mailstream.delivery.testkit.TestMessages.awkward;
import static io.mailstream.delivery.testkit.TestMessages.bytes;
import static io.mailstream.delivery.testkit.TestMessages.concat;
import static io.mailstream.delivery.testkit.TestMessages.message;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.address.MailAddress;
import io.mailstream.core.event.Destination;
import io.mailstream.core.event.EnvelopeRecipient;
import io.mailstream.delivery.BodySource;
import io.mailstream.delivery.ChunkSink;
import io.mailstream.delivery.OutboundMessage;
import io.mailstream.delivery.RecipientResult;
import io.mailstream.delivery.RecipientResult.Outcome;
import io.mailstream.delivery.TransactionResult;
import io.mailstream.delivery.testkit.TestMessages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MaildirMailerTest {
  @TempDir Path dataDir;

  private MaildirMailer mailer;

  @BeforeEach
  void setUp() {
    mailer = new MaildirMailer(dataDir, "mx.test");
  }

  private TransactionResult deliver(OutboundMessage m) {
    return mailer.deliver(Destination.local(), m);
  }

  @Test
  void writesTheMessageIntoNewWithUnixLineEnds() throws IOException {
    byte[] body = bytes("Subject: caf\u00e9\r\n\r\n.dot\r\nline\rbare CR\r\n\u00ff\r\n");

    TransactionResult r =
        deliver(message("s@x.test", List.of("Alice@local.test"), awkward(body), true));

    assertEquals("local", r.relay());
    RecipientResult a = r.recipients().get(0);
    assertEquals(Outcome.DELIVERED, a.outcome());
    assertEquals("250 2.0.0 Delivered to mailbox", a.reply().toString());
    List<Path> files = files(dataDir.resolve("mail/alice/new"));
    assertEquals(1, files.size());
    byte[] expected =
        concat(
            bytes("Return-Path: <s@x.test>\n"),
            bytes(TRACE.replace("\r\n", "\n")),
            bytes("Subject: caf\u00e9\n\n.dot\nline\rbare CR\n\u00ff\n"));
    assertArrayEquals(expected, Files.readAllBytes(files.get(0)));
    assertEquals(List.of(), files(dataDir.resolve("mail/alice/tmp")));
    assertTrue(Files.isDirectory(dataDir.resolve("mail/alice/cur")));
  }

  @Test
  void fileNamesFollowTheMaildirSpecAndAreUnique() throws IOException {
    for (int i = 0; i < 50; i++) {
      deliver(message("s@x.test", List.of("bob@local.test"), "n " + i + "\r\n"));
    }

    List<Path> files = files(dataDir.resolve("mail/bob/new"));
    assertEquals(50, files.size());
    Set<String> names = new HashSet<>();
    for (Path p : files) {
      String name = p.getFileName().toString();
      assertTrue(name.matches("\\d+\\.M\\d+P\\d+Q\\d+R[0-9a-f]+\\.mx\\.test"), name);
      names.add(name);
    }
    assertEquals(50, names.size());
  }

  @Test
  void writesOneCopyPerUser() throws IOException {
    TransactionResult r =
        deliver(message("s@x.test", List.of("bob@a.test", "BOB@b.test", "carol@a.test"), "x\r\n"));

    assertTrue(r.all(Outcome.DELIVERED), r::toString);
    assertEquals(1, files(dataDir.resolve("mail/bob/new")).size());
    assertEquals(1, files(dataDir.resolve("mail/carol/new")).size());
  }

  @ParameterizedTest
  @ValueSource(strings = {"a/b", "../etc", ".hidden", ".", ""})
  void refusesMailboxNamesThatLeaveTheMailDirectory(String local) throws IOException {
    OutboundMessage m =
        new OutboundMessage(
            "Q1",
            address("s@x.test"),
            List.of(
                new EnvelopeRecipient(new MailAddress(local, "l.test"), null, null),
                EnvelopeRecipient.of(address("ok@l.test"))),
            TRACE,
            BodySource.of(bytes("x\r\n")),
            null);

    TransactionResult r = deliver(m);

    RecipientResult bad = r.recipients().get(0);
    assertEquals(Outcome.BOUNCED, bad.outcome());
    assertEquals(
        "550 5.1.3 Bad mailbox name \"" + local + "\" for local delivery", bad.reply().toString());
    assertEquals(Outcome.DELIVERED, r.recipients().get(1).outcome());
    try (Stream<Path> s = Files.list(dataDir.resolve("mail"))) {
      assertEquals(List.of(dataDir.resolve("mail/ok")), s.toList());
    }
  }

  @Test
  void anUnreadableBodyDefersAndLeavesNoFile() throws IOException {
    BodySource failing =
        new BodySource() {
          @Override
          public long size() {
            return -1;
          }

          @Override
          public void writeTo(ChunkSink sink) throws IOException {
            sink.accept(bytes("half a message"));
            throw new IOException("bodies topic unavailable");
          }
        };
    OutboundMessage m =
        new OutboundMessage(
            "Q7", address("s@x.test"), TestMessages.recipients("dan@l.test"), TRACE, failing, null);

    RecipientResult r = deliver(m).recipients().get(0);

    assertEquals(Outcome.DEFERRED, r.outcome());
    assertEquals(
        "451 4.3.0 Cannot read the queued message Q7: "
            + "java.io.IOException: bodies topic unavailable",
        r.reply().toString());
    assertEquals(List.of(), files(dataDir.resolve("mail/dan/new")));
    assertEquals(List.of(), files(dataDir.resolve("mail/dan/tmp")));
  }

  @Test
  void aMailboxThatCannotBeCreatedDefersOnlyItsUser() throws IOException {
    Files.createDirectories(dataDir.resolve("mail"));
    Files.writeString(dataDir.resolve("mail/erin"), "not a directory");

    TransactionResult r =
        deliver(message("s@x.test", List.of("erin@l.test", "fay@l.test"), "x\r\n"));

    RecipientResult erin = r.of(address("erin@l.test"));
    assertEquals(Outcome.DEFERRED, erin.outcome());
    assertEquals(451, erin.reply().code());
    assertEquals("4.3.0", erin.reply().status());
    assertTrue(
        erin.reply().text().startsWith("Cannot write to the mailbox of erin: "),
        erin.reply().text());
    assertEquals(Outcome.DELIVERED, r.of(address("fay@l.test")).outcome());
    assertFalse(Files.isDirectory(dataDir.resolve("mail/erin")));
  }

  private static List<Path> files(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }
}
