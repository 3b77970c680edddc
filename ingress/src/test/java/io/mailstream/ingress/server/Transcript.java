package io.mailstream.ingress.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.core.event.EnvelopeRecipient;
import io.mailstream.core.rules.AccessDb;
import io.mailstream.core.rules.MapFileException;
import io.mailstream.core.rules.RuleSet;
import io.mailstream.ingress.testing.MemoryPublisher;
import io.mailstream.ingress.testing.TestConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * An SMTP conversation in chasquid's {@code .cmy} style, played against any {@link Wire}.
 *
 * <pre>
 * &#64;client 127.0.0.2          connect from this address (default 127.0.0.1)
 * &#64;max-size 2048             limits: max-size, max-recipients, max-hops, deadline-ms
 * &#64;publisher fail            the publisher accepts (default), fails or never answers
 * &#64;idle-ms 300               the idle time-out
 * &#64;tables policy             sendmail's files from src/test/resources/tables/policy
 * &#64;relay-hosts-only          FEATURE(relay_hosts_only) (with &#64;tables)
 * &#64;virtuser-domains a.test   VIRTUSER_DOMAIN (with &#64;tables)
 * &#64;smtp greet-pause 300ms     an smtp.* setting, as in the config file (repeatable)
 * c -> TEXT                  send TEXT and CRLF
 * c => TEXT                  send TEXT only (escapes \r \n \t \\ \xHH; {N*text} repeats)
 * c <- TEXT                  the next reply line is TEXT
 * c <~ REGEX                 the next reply line contains a match of REGEX
 * c <... REGEX               skip reply lines up to one matching REGEX
 * c <- EOF                   the server closed the connection
 * m accepted                 a message was committed; the following m lines are about it
 * m body TEXT                its body is exactly TEXT (escapes as for =>)
 * m rcpts a@b c@d            its recipients
 * m msgid TEXT               its Message-ID
 * m received REGEX           its Received header matches REGEX
 * m dsn RET ENVID BODY UTF8  its MAIL parameters (null for none; UTF8 true or false)
 * m notify N|O N|O           each recipient's NOTIFY and ORCPT (null for none)
 * m none                     nothing more was committed
 * </pre>
 */
final class Transcript {
  private static final Duration WAIT = Duration.ofSeconds(5);

  final String name;
  final InetAddress client;
  final MailstreamConfig config;
  final MemoryPublisher.Mode mode;
  final Duration idle;
  /** The tables, or null without {@code @tables}. */
  final RuleSet rules;
  final AccessDb access;
  private final List<String> steps;

  private Transcript(String name, List<String> lines) throws IOException {
    this.name = name;
    InetAddress clientAddress = InetAddress.getByName("127.0.0.1");
    Long maxSize = null;
    Integer maxRcpts = null;
    Integer maxHops = null;
    Duration deadline = null;
    MemoryPublisher.Mode publisher = MemoryPublisher.Mode.ACCEPT;
    Duration idleTimeout = Duration.ofMinutes(5);
    String tables = null;
    boolean hostsOnly = false;
    List<String> virtuserDomains = List.of();
    List<String> smtp = new ArrayList<>();
    List<String> body = new ArrayList<>();
    for (String line : lines) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      if (!line.startsWith("@")) {
        body.add(line);
        continue;
      }
      String[] kv = line.substring(1).split(" ", 2);
      switch (kv[0]) {
        case "client" -> clientAddress = InetAddress.getByName(kv[1]);
        case "max-size" -> maxSize = Long.parseLong(kv[1]);
        case "max-recipients" -> maxRcpts = Integer.parseInt(kv[1]);
        case "max-hops" -> maxHops = Integer.parseInt(kv[1]);
        case "deadline-ms" -> deadline = Duration.ofMillis(Long.parseLong(kv[1]));
        case "publisher" -> publisher = MemoryPublisher.Mode.valueOf(kv[1].toUpperCase());
        case "idle-ms" -> idleTimeout = Duration.ofMillis(Long.parseLong(kv[1]));
        case "tables" -> tables = kv[1];
        case "relay-hosts-only" -> hostsOnly = true;
        case "virtuser-domains" -> virtuserDomains = List.of(kv[1].split(" "));
        case "smtp" -> smtp.add(kv[1]);
        default -> throw new IllegalArgumentException(name + ": unknown option " + line);
      }
    }
    this.client = clientAddress;
    MailstreamConfig base = tables == null
        ? TestConfig.standard()
        : TestConfig.withTables(Path.of("src/test/resources/tables", tables), hostsOnly, virtuserDomains);
    this.config = TestConfig.withSmtp(TestConfig.with(base, maxSize, maxRcpts, maxHops, deadline), smtp);
    try {
      this.rules = tables == null ? null : RuleSet.load(config);
      this.access = config.routing().access() == null ? null : AccessDb.load(config.routing().access());
    } catch (MapFileException e) {
      throw new IOException(name + ": " + e.getMessage(), e);
    }
    this.mode = publisher;
    this.idle = idleTimeout;
    this.steps = body;
  }

  static Transcript load(Path file) throws IOException {
    return new Transcript(
        file.getFileName().toString(), Files.readAllLines(file, StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return name;
  }

  void play(Wire wire, MemoryPublisher publisher) throws Exception {
    MemoryPublisher.Stored message = null;
    int n = 0;
    for (String step : steps) {
      n++;
      String where = name + " step " + n + " (" + step + ")";
      String arg = step.length() > 5 ? step.substring(5) : "";
      if (step.equals("c ->") || step.startsWith("c -> ")) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(expand(arg));
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        wire.send(out.toByteArray());
      } else if (step.startsWith("c => ")) {
        wire.send(expand(arg));
      } else if (step.equals("c <- EOF")) {
        assertNull(wire.readLine(WAIT), where);
      } else if (step.startsWith("c <- ")) {
        assertEquals(arg, wire.readLine(WAIT), where);
      } else if (step.startsWith("c <~ ")) {
        String line = wire.readLine(WAIT);
        assertNotNull(line, where + ": connection closed");
        assertTrue(Pattern.compile(arg).matcher(line).find(), where + ": got '" + line + "'");
      } else if (step.startsWith("c <... ")) {
        Pattern p = Pattern.compile(step.substring(7));
        String line;
        do {
          line = wire.readLine(WAIT);
          assertNotNull(line, where + ": connection closed");
        } while (!p.matcher(line).find());
      } else if (step.equals("m accepted")) {
        message = publisher.next(WAIT);
        assertNotNull(message, where + ": nothing committed");
      } else if (step.startsWith("m body ")) {
        assertArrayEquals(expand(step.substring(7)), message.body(), where + ": body was\n" + show(message.body()));
      } else if (step.startsWith("m rcpts ")) {
        String rcpts =
            message.event().recipients().stream()
                .map(EnvelopeRecipient::address)
                .map(Object::toString)
                .collect(Collectors.joining(" "));
        assertEquals(step.substring(8), rcpts, where);
      } else if (step.startsWith("m msgid ")) {
        String expected = step.substring(8);
        assertEquals(expected.equals("null") ? null : expected, message.event().messageId(), where);
      } else if (step.startsWith("m received ")) {
        String header = message.event().receivedHeader();
        assertTrue(Pattern.compile(step.substring(11)).matcher(header).find(), where + ": got " + header);
      } else if (step.startsWith("m dsn ")) {
        var d = message.event().dsn();
        assertEquals(step.substring(6), d.ret() + " " + d.envid() + " " + d.bodyType() + " " + d.smtputf8(), where);
      } else if (step.startsWith("m notify ")) {
        String dsn =
            message.event().recipients().stream()
                .map(r -> r.notifyOn() + "|" + r.orcpt())
                .collect(Collectors.joining(" "));
        assertEquals(step.substring(9), dsn, where);
      } else if (step.equals("m none")) {
        assertNull(publisher.poll(), where);
      } else {
        throw new IllegalArgumentException(where + ": cannot read this step");
      }
    }
  }

  private static String show(byte[] body) {
    return new String(body, StandardCharsets.ISO_8859_1).replace("\r", "\\r").replace("\n", "\\n\n");
  }

  private static int matchingBrace(String text, int open) {
    int depth = 0;
    for (int i = open; i < text.length(); i++) {
      if (text.charAt(i) == '{') {
        depth++;
      } else if (text.charAt(i) == '}' && --depth == 0) {
        return i;
      }
    }
    return -1;
  }

  /** Escapes \r \n \t \\ \xHH and repeats {N*text}; other characters as UTF-8. */
  static byte[] expand(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      int star = text.indexOf('*', i);
      if (c == '{' && star > i + 1 && text.substring(i + 1, star).chars().allMatch(Character::isDigit)) {
        int close = matchingBrace(text, i);
        if (close > star) {
          byte[] piece = expand(text.substring(star + 1, close));
          for (int k = Integer.parseInt(text.substring(i + 1, star)); k > 0; k--) {
            out.writeBytes(piece);
          }
          i = close + 1;
          continue;
        }
      }
      if (c == '\\' && i + 1 < text.length()) {
        char e = text.charAt(i + 1);
        switch (e) {
          case 'r' -> out.write('\r');
          case 'n' -> out.write('\n');
          case 't' -> out.write('\t');
          case '\\' -> out.write('\\');
          case 'x' -> {
            out.write(Integer.parseInt(text.substring(i + 2, i + 4), 16));
            i += 2;
          }
          default -> throw new IllegalArgumentException("unknown escape \\" + e);
        }
        i += 2;
        continue;
      }
      int cp = text.codePointAt(i);
      out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
      i += Character.charCount(cp);
    }
    return out.toByteArray();
  }
}
