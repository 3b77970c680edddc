package io.mailstream.ops.node;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Sends one message over a real socket and returns the reply to the final dot. */
final class Smtp {
  private Smtp() {}

  static String send(InetSocketAddress server, String from, String to, String subject) throws Exception {
    return send(server, from, List.of(to), subject);
  }

  /** One message to several recipients, each of which must be taken. */
  static String send(InetSocketAddress server, String from, List<String> to, String subject) throws Exception {
    try (Socket s = new Socket(server.getAddress(), server.getPort())) {
      s.setSoTimeout(60_000);
      BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
      OutputStream out = s.getOutputStream();
      expect(in, "220");
      List<String> commands = new ArrayList<>();
      commands.add("EHLO client.test");
      commands.add("MAIL FROM:<" + from + ">");
      to.forEach(rcpt -> commands.add("RCPT TO:<" + rcpt + ">"));
      commands.add("DATA");
      for (String line : commands) {
        out.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        expect(in, line.equals("DATA") ? "354" : "250");
      }
      out.write(("Subject: " + subject + "\r\n\r\nbody of " + subject + "\r\n.\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      String reply = last(in);
      out.write("QUIT\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return reply;
    }
  }

  /** Greets and sends MAIL FROM; returns the reply to MAIL. */
  static String mailFrom(InetSocketAddress server, String from) throws Exception {
    try (Socket s = new Socket(server.getAddress(), server.getPort())) {
      s.setSoTimeout(60_000);
      BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
      OutputStream out = s.getOutputStream();
      expect(in, "220");
      out.write("EHLO client.test\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      expect(in, "250");
      out.write(("MAIL FROM:<" + from + ">\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      String reply = last(in);
      out.write("QUIT\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return reply;
    }
  }

  private static void expect(BufferedReader in, String code) throws Exception {
    String reply = last(in);
    if (!reply.startsWith(code)) {
      throw new AssertionError("expected " + code + " but got " + reply);
    }
  }

  private static String last(BufferedReader in) throws Exception {
    String line = in.readLine();
    while (line != null && line.length() > 3 && line.charAt(3) == '-') {
      line = in.readLine();
    }
    return line == null ? "" : line;
  }
}
