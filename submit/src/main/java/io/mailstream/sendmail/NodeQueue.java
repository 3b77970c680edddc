package io.mailstream.sendmail;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The node's queue, reached as {@code mailstream mailq} and {@code mailstream flush} reach it: over
 * the admin endpoint whose address the running node writes to {@code <data-dir>/admin.address},
 * orders with the bearer token from its admin token file. One HTTP/1.1 request per connection on a
 * plain socket: {@code java.net.http} would cost this command more start-up than the exchange
 * itself, and the node renders the listing as text ({@code GET /queue?format=mailq}), so the only
 * JSON read here is an order's count and queue ids and an error's text.
 */
final class NodeQueue {
  private static final int CONNECT_MILLIS = 5_000;
  // An order is answered once the node has applied it, which it waits up to 30 s for.
  private static final int READ_MILLIS = 120_000;
  private static final Pattern ERROR = Pattern.compile("\"error\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final Pattern COUNT = Pattern.compile("\"count\"\\s*:\\s*(\\d+)");
  private static final Pattern IDS = Pattern.compile("\"queueIds\"\\s*:\\s*\\[([^\\]]*)\\]");

  /** The node's answer: its HTTP status and body. */
  record Answer(int status, String body) {
    /** The text of a JSON {@code {"error": "..."}} answer, or the body as it came. */
    String error() {
      Matcher m = ERROR.matcher(body);
      return m.find() ? m.group(1).replace("\\\"", "\"").replace("\\\\", "\\") : body.strip();
    }

    /** An order's {@code count}: how many messages it applies to. */
    int count() {
      Matcher m = COUNT.matcher(body);
      return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    /** An order's {@code queueIds}, separated by spaces. */
    String queueIds() {
      Matcher m = IDS.matcher(body);
      return m.find() ? m.group(1).replace("\"", "").replace(",", " ").strip() : "";
    }
  }

  /** The node's admin endpoint cannot be reached: the node is not running, or does not answer. */
  static final class Unreachable extends Exception {
    Unreachable(String message) {
      super(message);
    }
  }

  private final Node node;

  NodeQueue(Node node) {
    this.node = node;
  }

  /** A GET of {@code target} ({@code /queue?format=mailq}). */
  Answer get(String target) throws Unreachable {
    return exchange("GET", target, null);
  }

  /** A POST of {@code target} with {@code token} as the bearer. */
  Answer post(String target, String token) throws Unreachable {
    return exchange("POST", target, token);
  }

  /**
   * The admin token, which only the node's user and root can read (mode 0600).
   *
   * @throws AccessDeniedException when this user may not read it
   * @throws NoSuchFileException when there is none (no node has started with this data directory)
   */
  String token() throws IOException {
    return Files.readString(node.adminToken(), StandardCharsets.US_ASCII).strip().lines().findFirst().orElse("");
  }

  private Answer exchange(String method, String target, String token) throws Unreachable {
    String address = address();
    int colon = address.lastIndexOf(':');
    if (colon <= 0) {
      throw new Unreachable(node.dataDir().resolve("admin.address") + " holds no HOST:PORT: '" + address + "'");
    }
    String host = address.substring(0, colon);
    int port;
    try {
      port = Integer.parseInt(address.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new Unreachable(node.dataDir().resolve("admin.address") + " holds no HOST:PORT: '" + address + "'");
    }
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), CONNECT_MILLIS);
      s.setSoTimeout(READ_MILLIS);
      String request = method + " " + target + " HTTP/1.1\r\n"
          + "Host: " + (host.contains(":") ? "[" + host + "]" : host) + address.substring(colon) + "\r\n"
          + "Connection: close\r\n"
          + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
          + ("POST".equals(method) ? "Content-Length: 0\r\n" : "")
          + "\r\n";
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.UTF_8));
      out.flush();
      return read(new BufferedInputStream(s.getInputStream()));
    } catch (NumberFormatException e) {
      throw new Unreachable("the node at " + address + " sent a malformed HTTP answer (" + e.getMessage() + ")");
    } catch (IOException e) {
      throw new Unreachable("no node answers at " + address + " (" + e.getMessage() + ")");
    }
  }

  private String address() throws Unreachable {
    Path file = node.dataDir().resolve("admin.address");
    try {
      return Files.readString(file, StandardCharsets.US_ASCII).strip();
    } catch (NoSuchFileException e) {
      throw new Unreachable("the node is not running (" + file + " is missing)");
    } catch (IOException e) {
      throw new Unreachable("cannot read " + file + ": " + e.getMessage());
    }
  }

  /** Reads a response: the status line, the header fields, a body of Content-Length octets or chunks. */
  private static Answer read(InputStream in) throws IOException {
    String status = line(in);
    String[] parts = status.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
      throw new IOException("not an HTTP answer: '" + status + "'");
    }
    int length = -1;
    boolean chunked = false;
    for (String field = line(in); !field.isEmpty(); field = line(in)) {
      String lower = field.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Integer.parseInt(field.substring("content-length:".length()).strip());
      } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
        chunked = true;
      }
    }
    byte[] body;
    if (chunked) {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      for (int size = chunkSize(line(in)); size > 0; size = chunkSize(line(in))) {
        all.write(in.readNBytes(size));
        line(in);
      }
      body = all.toByteArray();
    } else {
      body = length >= 0 ? in.readNBytes(length) : in.readAllBytes();
    }
    return new Answer(Integer.parseInt(parts[1]), new String(body, StandardCharsets.UTF_8));
  }

  private static int chunkSize(String line) {
    int semicolon = line.indexOf(';');
    return Integer.parseInt((semicolon < 0 ? line : line.substring(0, semicolon)).strip(), 16);
  }

  /** One line without its CRLF; the end of the stream ends it too. */
  private static String line(InputStream in) throws IOException {
    StringBuilder b = new StringBuilder();
    for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
      if (c != '\r') {
        b.append((char) c);
      }
    }
    return b.toString();
  }
}
