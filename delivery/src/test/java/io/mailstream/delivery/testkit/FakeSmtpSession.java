package io.mailstream.delivery.testkit;

import io.mailstream.delivery.testkit.Script.Action;
import io.mailstream.delivery.testkit.Script.Drop;
import io.mailstream.delivery.testkit.Script.Respond;
import io.mailstream.delivery.testkit.Script.Silence;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * The server side of one connection to the {@link FakeSmartHost}: a plain blocking loop that reads
 * a command, looks up the script, answers. Deliberately lenient; it checks only what a test needs.
 */
final class FakeSmtpSession implements Runnable {
  private static final byte[] END_OF_DATA = ".\r\n".getBytes(StandardCharsets.US_ASCII);

  private final Socket socket;
  private final int number;
  private final Script script;
  private final FakeSmartHost host;
  private InputStream in;
  private OutputStream out;

  private String tls;
  private String authenticated;
  private String mailCommand;
  private String sender;
  private final List<String> recipients = new ArrayList<>();

  FakeSmtpSession(Socket socket, int number, Script script, FakeSmartHost host) {
    this.socket = socket;
    this.number = number;
    this.script = script;
    this.host = host;
  }

  @Override
  public void run() {
    try (socket) {
      in = new BufferedInputStream(socket.getInputStream());
      out = socket.getOutputStream();
      if (!act(Verb.GREETING, script.rule(Verb.GREETING), "220 fake.test ESMTP FakeSmartHost")) {
        return;
      }
      byte[] line;
      while ((line = readLine()) != null) {
        String command = new String(line, StandardCharsets.UTF_8).stripTrailing();
        host.recordCommand(command);
        if (in.available() > 0) {
          host.recordReadAhead(command);
        }
        if (!handle(command)) {
          return;
        }
      }
    } catch (IOException e) {
      // The client went away or the host is closing; either way the session is over.
    } finally {
      host.sessionEnded();
    }
  }

  /** Answers one command; false when the session is over. */
  private boolean handle(String command) throws IOException {
    String verb = command.split(" ", 2)[0].toUpperCase(Locale.ROOT);
    String arg = command.length() > verb.length() ? command.substring(verb.length() + 1) : "";
    switch (verb) {
      case "EHLO":
        return act(Verb.EHLO, script.rule(Verb.EHLO), ehloReply(arg));
      case "HELO":
        return act(Verb.HELO, script.rule(Verb.HELO), "250 fake.test");
      case "STARTTLS":
        return startTls();
      case "AUTH":
        return auth(arg);
      case "MAIL":
        if (!script.users().isEmpty() && authenticated == null) {
          return reply(List.of("530 5.7.0 Authentication required"));
        }
        mailCommand = command;
        recipients.clear();
        sender = pathOf(arg);
        return act(Verb.MAIL, script.rule(Verb.MAIL), "250 2.1.0 Ok");
      case "RCPT":
        return rcpt(pathOf(arg));
      case "DATA":
        return data();
      case "RSET":
        mailCommand = null;
        recipients.clear();
        return act(Verb.RSET, script.rule(Verb.RSET), "250 2.0.0 Ok");
      case "NOOP":
        return act(Verb.NOOP, script.rule(Verb.NOOP), "250 2.0.0 Ok");
      case "QUIT":
        return act(Verb.QUIT, script.rule(Verb.QUIT), "221 2.0.0 Bye");
      default:
        return reply(List.of("502 5.5.2 Error: command not recognized"));
    }
  }

  /** RFC 3207: 220, then the server side of the handshake on the same socket. */
  private boolean startTls() throws IOException {
    SSLContext context = script.tls();
    if (context == null || tls != null) {
      return reply(List.of("502 5.5.1 STARTTLS not available"));
    }
    Action a = script.rule(Verb.STARTTLS);
    if (!act(Verb.STARTTLS, a, "220 2.0.0 Ready to start TLS")) {
      return false;
    }
    // The first line decides, so that a script can inject more lines after the 220.
    if (a instanceof Respond r && !r.lines().get(0).startsWith("220")) {
      return true;
    }
    if (script.breakHandshake()) {
      socket.close();
      return false;
    }
    SSLSocket ssl =
        (SSLSocket) context.getSocketFactory().createSocket(socket, FakeSmartHost.HOST, socket.getPort(), true);
    ssl.setUseClientMode(false);
    ssl.startHandshake();
    in = new BufferedInputStream(ssl.getInputStream());
    out = ssl.getOutputStream();
    tls = ssl.getSession().getProtocol();
    // RFC 3207 4.2: the server forgets what it knew from before TLS.
    authenticated = null;
    mailCommand = null;
    recipients.clear();
    return true;
  }

  /** RFC 4954 with PLAIN (RFC 4616) and LOGIN; anything else is refused. */
  private boolean auth(String arg) throws IOException {
    String[] parts = arg.strip().split(" ", 2);
    String mechanism = parts[0].toUpperCase(Locale.ROOT);
    if (script.users().isEmpty() || !script.authMechanisms().contains(mechanism)) {
      return reply(List.of("504 5.5.4 Unrecognized authentication type"));
    }
    String user;
    String password;
    if (mechanism.equals("PLAIN")) {
      String response = parts.length > 1 ? parts[1] : continuation("");
      if (response == null) {
        return false;
      }
      String[] fields = decode(response).split("\0", -1);
      if (fields.length != 3) {
        return reply(List.of("501 5.5.2 Bad PLAIN response"));
      }
      user = fields[1];
      password = fields[2];
    } else {
      String u = continuation("VXNlcm5hbWU6");
      String p = u == null ? null : continuation("UGFzc3dvcmQ6");
      if (p == null) {
        return false;
      }
      user = decode(u);
      password = decode(p);
    }
    boolean ok = password.equals(script.users().get(user));
    host.recordAuth(new FakeSmartHost.AuthAttempt(mechanism, user, tls, ok));
    if (!ok) {
      return reply(List.of("535 5.7.8 Authentication credentials invalid"));
    }
    Action a = script.rule(Verb.AUTH);
    if (a == null || (a instanceof Respond r && r.code() == 235)) {
      authenticated = user;
    }
    return act(Verb.AUTH, a, "235 2.7.0 Authentication successful");
  }

  /** Sends a 334 challenge and reads the client's line; null when the client went away. */
  private String continuation(String challenge) throws IOException {
    reply(List.of("334 " + challenge));
    byte[] line = readLine();
    if (line == null) {
      return null;
    }
    String text = new String(line, StandardCharsets.US_ASCII).strip();
    host.recordCommand(text);
    return text;
  }

  private static String decode(String base64) {
    try {
      return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return "";
    }
  }

  private boolean rcpt(String address) throws IOException {
    Action a = script.rcptRule(address);
    boolean accepted = a == null || (a instanceof Respond r && r.code() / 100 == 2);
    if (accepted) {
      recipients.add(address);
    }
    return act(Verb.RCPT, a, "250 2.1.5 Ok");
  }

  private boolean data() throws IOException {
    Action a = script.rule(Verb.DATA);
    if (a == null && recipients.isEmpty()) {
      return reply(List.of("554 5.5.1 Error: no valid recipients"));
    }
    if (!act(Verb.DATA, a, "354 End data with <CR><LF>.<CR><LF>")) {
      return false;
    }
    if (a instanceof Respond r && r.code() != 354) {
      return true;
    }
    byte[] content = readContent();
    if (content == null) {
      return false;
    }
    Action end = script.rule(Verb.DATA_END);
    if (end == null || (end instanceof Respond r && r.code() / 100 == 2)) {
      host.recordMessage(
          new ReceivedMessage(number, mailCommand, sender, recipients, content, tls, authenticated));
    }
    recipients.clear();
    return act(Verb.DATA_END, end, "250 2.0.0 Ok: queued");
  }

  /**
   * Reads DATA content up to the final dot, removing the stuffed dots (RFC 5321 4.5.2). Returns
   * null when the script drops the connection mid-DATA or the client goes away.
   */
  private byte[] readContent() throws IOException {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    long drop = script.dropMidData();
    long stall = script.stallMidData();
    long received = 0;
    byte[] line;
    while ((line = readLine()) != null) {
      received += line.length;
      if (drop >= 0 && received >= drop) {
        socket.close();
        return null;
      }
      if (stall >= 0 && received >= stall) {
        // Stop reading so that the client's writes back up; only closing the host ends this.
        host.awaitClose();
        return null;
      }
      if (Arrays.equals(line, END_OF_DATA)) {
        return content.toByteArray();
      }
      int skip = line.length > 0 && line[0] == '.' ? 1 : 0;
      content.write(line, skip, line.length - skip);
    }
    return null;
  }

  private String ehloReply(String arg) {
    List<String> extensions = new ArrayList<>(script.extensions());
    if (script.tls() != null && tls == null) {
      extensions.add("STARTTLS");
    }
    if (!script.users().isEmpty()) {
      extensions.add("AUTH " + String.join(" ", script.authMechanisms()));
    }
    StringBuilder lines = new StringBuilder();
    lines.append(extensions.isEmpty() ? "250 " : "250-").append("fake.test Hello ").append(arg);
    for (int i = 0; i < extensions.size(); i++) {
      lines.append('\n').append(i == extensions.size() - 1 ? "250 " : "250-");
      lines.append(extensions.get(i));
    }
    return lines.toString();
  }

  /**
   * Carries out the script's action, or the default reply (lines separated by '\n'). Returns false
   * when the session is over: after a drop, a silence, QUIT, or a 421.
   */
  private boolean act(Verb verb, Action action, String defaultReply) throws IOException {
    Action a = action != null ? action : new Respond(List.of(defaultReply.split("\n")));
    if (a instanceof Drop) {
      return false;
    }
    if (a instanceof Silence) {
      // Keep the connection open and read until the client closes it or the host stops.
      while (in.read() >= 0) {
        // discard
      }
      return false;
    }
    Respond r = (Respond) a;
    boolean goOn = reply(r.lines());
    // RFC 5321 3.8: a server that says 421 closes the connection; so does QUIT's reply.
    return goOn && r.code() != 421 && verb != Verb.QUIT;
  }

  private boolean reply(List<String> lines) throws IOException {
    StringBuilder wire = new StringBuilder();
    for (String l : lines) {
      wire.append(l).append("\r\n");
    }
    out.write(wire.toString().getBytes(StandardCharsets.UTF_8));
    out.flush();
    return true;
  }

  /** One line including its CRLF (or bare LF), or null at end of stream. */
  private byte[] readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(128);
    int b;
    while ((b = in.read()) >= 0) {
      line.write(b);
      if (b == '\n') {
        return line.toByteArray();
      }
    }
    return line.size() == 0 ? null : line.toByteArray();
  }

  private static String pathOf(String arg) {
    int open = arg.indexOf('<');
    int close = arg.indexOf('>', open + 1);
    return open < 0 || close < 0 ? arg : arg.substring(open + 1, close);
  }
}
