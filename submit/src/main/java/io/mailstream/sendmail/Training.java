package io.mailstream.sendmail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * The training run for the command's class-data sharing archive (the {@code sendmail} script
 * makes it once after a build with {@code -XX:ArchiveClassesAtExit}): it goes through what one
 * submission does, reading options and a message, completing the header, writing the envelope and
 * trying the socket and the spool of a node that is not there, so that the archive holds the
 * classes a real run loads. It sends nothing and leaves nothing behind.
 */
final class Training {
  private Training() {}

  public static void main(String[] args) throws Exception {
    Invocation inv = Invocation.parse("sendmail", new String[] {"-t", "-oi", "-f", "root", "-F", "Root", "-N", "never"});
    byte[] text = "From root Sat Dec  5 02:20:00 2026\nTo: Bob <bob>, team: a@x.test, b@y.test;\nBcc: c\n\nhi\n.\n"
        .getBytes(StandardCharsets.US_ASCII);
    LocalMessage m = LocalMessage.of(MessageInput.read(new ByteArrayInputStream(text), inv.dotIsData));
    List<String> rcpts = m.headerRecipients("relay.test");
    m.removeBcc();
    m.complete(AddressList.qualify(inv.sender, "relay.test"), LocalUser.current().fullName(), "relay.test",
        ZonedDateTime.now());
    Envelope e = new Envelope("root@relay.test", rcpts, inv.notify, inv.ret, inv.envelopeId, inv.body);
    PrintStream sink = new PrintStream(new java.io.ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    sink.println(e.mail() + e.rcpt(rcpts.get(0)) + m.bytes().length);
    new Reply(250, List.of("250 2.0.0 Q Message accepted for delivery")).exitStatus();
    Path dir = Files.createTempDirectory("sendmail-training");
    try {
      Files.writeString(dir.resolve("submit.info"),
          "hostname=relay.test\nsocket=" + dir.resolve("none.sock") + "\noffline=tempfail\nspool=" + dir + "\n");
      Invocation d = Invocation.parse("sendmail", new String[] {"--data-dir", dir.toString(), "bob"});
      Node node = Node.find(d, System.getenv());
      Report report = new Report("sendmail", sink, false);
      Submitter s = new Submitter(node, new Spool(node.spool(), Spool.currentUid()), report, sink);
      s.submit(e, m.bytes(), "root", false);
    } catch (CommandFailure | IOException x) {
      sink.println(x.getMessage());
    } finally {
      Files.deleteIfExists(dir.resolve("submit.info"));
      Files.deleteIfExists(dir);
    }
  }
}
