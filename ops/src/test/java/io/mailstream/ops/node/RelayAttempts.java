package io.mailstream.ops.node;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Tries to relay through a listener the ways open-relay testers do, and runs nmap's {@code
 * smtp-open-relay} script against it. Each attempt is one session: EHLO, MAIL, RCPT, and the RCPT
 * reply is the verdict.
 */
final class RelayAttempts {
  /**
   * Recipients that leave this host, each paired with a sender: plain, source-routed, with
   * sendmail's {@code %} and {@code !} operators and quoted local parts hanging off names and
   * literals the relay calls its own, from senders that claim to be local.
   */
  static final List<String[]> OUTSIDE =
      List.of(
          new String[] {"a@outside.test", "victim@elsewhere.test"},
          new String[] {"a@local.test", "victim@elsewhere.test"},
          new String[] {"a@localhost", "victim@elsewhere.test"},
          new String[] {"", "victim@elsewhere.test"},
          new String[] {"a@local.test", "victim%elsewhere.test@local.test"},
          new String[] {"a@local.test", "victim%elsewhere.test@localhost"},
          new String[] {"a@local.test", "victim%elsewhere.test@[127.0.0.1]"},
          new String[] {"a@local.test", "\"victim@elsewhere.test\"@localhost"},
          new String[] {"a@local.test", "\"victim@elsewhere.test\""},
          new String[] {"a@local.test", "elsewhere.test!victim@localhost"},
          new String[] {"a@local.test", "elsewhere.test!victim"},
          new String[] {"a@local.test", "@localhost:victim@elsewhere.test"},
          new String[] {"a@local.test", "victim@elsewhere.test@localhost"},
          new String[] {"a@[127.0.0.1]", "victim@elsewhere.test"},
          new String[] {"a@local.test", "victim@[192.0.2.1]"});

  private RelayAttempts() {}

  /** The reply to RCPT TO:&lt;to&gt; after EHLO and MAIL FROM:&lt;from&gt;. */
  static String rcptReply(InetSocketAddress server, String from, String to) throws Exception {
    try (Socket s = new Socket(server.getAddress(), server.getPort())) {
      s.setSoTimeout(30_000);
      BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
      OutputStream out = s.getOutputStream();
      List<String> replies = new ArrayList<>();
      replies.add(reply(in));
      for (String line : List.of("EHLO localhost", "MAIL FROM:<" + from + ">", "RCPT TO:<" + to + ">", "QUIT")) {
        out.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        replies.add(reply(in));
      }
      if (!replies.get(2).startsWith("250")) {
        throw new AssertionError("MAIL FROM:<" + from + "> refused: " + replies);
      }
      return replies.get(3);
    }
  }

  /** nmap's verdict line, after asserting nmap saw an SMTP server at all. */
  static String nmapVerdict(int port) throws Exception {
    Process p =
        new ProcessBuilder(
                "nmap", "-sV", "-Pn", "-p", Integer.toString(port), "--script", "smtp-open-relay",
                "--script-args", "smtp-open-relay.ip=127.0.0.1", "127.0.0.1")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new AssertionError("nmap failed:\n" + out);
    }
    if (!out.contains("smtp-open-relay")) {
      throw new AssertionError("nmap did not run its smtp-open-relay script:\n" + out);
    }
    return out;
  }

  /** Whether nmap is here; CI (MAILSTREAM_CI set) must have it, so there its absence fails. */
  static boolean nmapInstalled() {
    boolean here = new java.io.File("/usr/bin/nmap").canExecute();
    if (!here && System.getenv("MAILSTREAM_CI") != null) {
      throw new AssertionError("nmap is missing: .ci/run installs Debian's nmap");
    }
    return here;
  }

  private static String reply(BufferedReader in) throws Exception {
    String line = in.readLine();
    while (line != null && line.length() > 3 && line.charAt(3) == '-') {
      line = in.readLine();
    }
    return line == null ? "(connection closed)" : line;
  }
}
