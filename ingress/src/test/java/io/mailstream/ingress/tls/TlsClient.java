package io.mailstream.ingress.tls;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/** A line-by-line SMTP client on a real socket that can switch to TLS mid-conversation. */
final class TlsClient implements AutoCloseable {
  private Socket socket;
  private BufferedReader in;
  private OutputStream out;

  TlsClient(InetSocketAddress server, String from) throws IOException {
    socket = new Socket();
    socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
    socket.connect(server, 5000);
    socket.setSoTimeout(10_000);
    streams();
  }

  /** Connects with TLS from the first octet (an smtps listener). */
  static TlsClient implicit(InetSocketAddress server, SSLSocketFactory tls) throws IOException {
    TlsClient c = new TlsClient(server, "127.0.0.1");
    c.upgrade(tls, server);
    return c;
  }

  private void streams() throws IOException {
    in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    out = socket.getOutputStream();
  }

  /** Starts TLS on the open connection, as a client does after 220 to STARTTLS. */
  SSLSocket upgrade(SSLSocketFactory tls, InetSocketAddress server) throws IOException {
    SSLSocket ssl = (SSLSocket) tls.createSocket(socket, server.getHostString(), server.getPort(), true);
    ssl.setUseClientMode(true);
    ssl.startHandshake();
    socket = ssl;
    streams();
    return ssl;
  }

  void send(String raw) throws IOException {
    out.write(raw.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** Sends one line and returns the whole reply, one element per line. */
  List<String> command(String line) throws IOException {
    send(line + "\r\n");
    return reply();
  }

  /** Sends one line and returns the last line of the reply. */
  String say(String line) throws IOException {
    List<String> r = command(line);
    return r.get(r.size() - 1);
  }

  List<String> reply() throws IOException {
    List<String> lines = new ArrayList<>();
    while (true) {
      String line = in.readLine();
      if (line == null) {
        lines.add("EOF");
        return lines;
      }
      lines.add(line);
      if (line.length() < 4 || line.charAt(3) != '-') {
        return lines;
      }
    }
  }

  String last() throws IOException {
    List<String> r = reply();
    return r.get(r.size() - 1);
  }

  static String plain(String authzid, String user, String password) {
    String message = authzid + "\0" + user + "\0" + password;
    return Base64.getEncoder().encodeToString(message.getBytes(StandardCharsets.UTF_8));
  }

  static String b64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
