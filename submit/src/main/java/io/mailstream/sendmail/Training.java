package io.mailstream.sendmail;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The training run for the command's class-data sharing archive (the {@code sendmail} script
 * makes it once after a build with {@code -XX:ArchiveClassesAtExit}): one whole submission, from
 * the options to the {@code 250}, to a stand-in node on a socket of its own in a temporary
 * directory, and a second one to no node at all, so that the archive holds the classes a real run
 * loads. Nothing leaves the process and nothing is left behind.
 */
final class Training {
  private Training() {}

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("sendmail-training");
    Path socket = dir.resolve("submit.sock");
    PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(socket));
      Thread node = new Thread(() -> standIn(server), "stand-in node");
      node.setDaemon(true);
      node.start();
      for (String offline : List.of("spool", "tempfail")) {
        Files.writeString(dir.resolve("submit.info"), "hostname=relay.test\nsocket="
            + (offline.equals("spool") ? socket : dir.resolve("none.sock")) + "\noffline=tempfail\nspool=" + dir + "\n");
        submit(dir, sink);
      }
    } finally {
      Files.deleteIfExists(socket);
      Files.deleteIfExists(dir.resolve("submit.info"));
      Files.deleteIfExists(dir);
    }
  }

  private static void submit(Path dir, PrintStream sink) throws IOException {
    try {
      Invocation inv = Invocation.parse("sendmail", new String[] {"--data-dir", dir.toString(), "-t", "-oi", "-F", "R"});
      Node node = Node.find(inv, System.getenv());
      byte[] text = "From root Sat Dec  5 02:20:00 2026\nTo: Bob <bob>, team: a@x.test, b@y.test;\nBcc: c\n\nhi\n.\n"
          .getBytes(StandardCharsets.US_ASCII);
      LocalMessage m = LocalMessage.of(MessageInput.read(new ByteArrayInputStream(text), inv.dotIsData));
      List<String> rcpts = m.headerRecipients(node.hostname());
      m.removeBcc();
      LocalUser user = LocalUser.current();
      m.complete(AddressList.qualify(user.name(), node.hostname()), inv.fullName, node.hostname(), SystemFacts.now());
      Envelope e = new Envelope(user.name() + "@relay.test", rcpts, inv.notify, inv.ret, inv.envelopeId, inv.body);
      Submitter s = new Submitter(node, new Spool(node.spool(), Spool.currentUid()), new Report("sendmail", sink, false), sink);
      s.submit(e, m.bytes(), user.name(), false);
    } catch (CommandFailure x) {
      sink.println(x.getMessage());
    }
  }

  // Answers like a node: 220, EHLO, 250 to every command, 354 to DATA, 250 after the dot.
  private static void standIn(ServerSocketChannel server) {
    while (true) {
      try (SocketChannel c = server.accept()) {
        BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(c), StandardCharsets.US_ASCII));
        OutputStream out = Channels.newOutputStream(c);
        out.write("220 relay.test ESMTP\r\n".getBytes(StandardCharsets.US_ASCII));
        boolean data = false;
        String line;
        while ((line = in.readLine()) != null) {
          String reply = data ? (line.equals(".") ? "250 2.0.0 Q1 Message accepted for delivery" : null)
              : line.startsWith("DATA") ? "354 go on" : line.startsWith("QUIT") ? "221 bye"
              : line.startsWith("EHLO") ? "250-relay.test\r\n250 PIPELINING" : "250 2.0.0 Ok";
          data = data ? !line.equals(".") : line.startsWith("DATA");
          if (reply != null) {
            out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
          }
        }
      } catch (IOException e) {
        return;
      }
    }
  }
}
