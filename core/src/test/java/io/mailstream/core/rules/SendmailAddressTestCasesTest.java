package io.mailstream.core.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.address.MailAddress;
import io.mailstream.core.config.ConfigBuilder;
import io.mailstream.core.config.ConfigReader;
import io.mailstream.core.event.Destination;
import io.mailstream.core.rules.rewrite.Mailer;
import io.mailstream.core.rules.rewrite.Position;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The cases under {@code src/test/resources/sendmail-bt/NN-name/}: each {@code expected} line is
 * real sendmail 8.17's answer in address-test mode ({@code ask-sendmail.sh} wrote it and the raw
 * {@code transcript} beside it), and Mailstream must give the same answer for the same
 * configuration ({@code mailstream.yaml}, the maps beside it).
 *
 * <ul>
 *   <li>{@code /parse ADDRESS}: ruleset 0's triple for an envelope recipient, compared with what
 *       {@link RuleSet#resolve} delivers to, as {@code mailer M, host H, user U};
 *   <li>{@code /local USER}: what delivery does with a user ruleset 0 gave the local mailer
 *       (ruleset 5: MAIL_HUB), compared with {@link RuleSet#resolve} too;
 *   <li>{@code /try FLAGS MAILER ADDRESS}: the address as the mailer sends it, compared with
 *       {@link io.mailstream.core.rules.rewrite.Masquerader#rewrite}.
 * </ul>
 */
class SendmailAddressTestCasesTest {

  static Path root() throws URISyntaxException {
    return Path.of(SendmailAddressTestCasesTest.class.getResource("/sendmail-bt").toURI());
  }

  static Stream<Arguments> cases() throws Exception {
    List<Arguments> out = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(root())) {
      for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
        ConfigBuilder b = new ConfigBuilder();
        ConfigReader.read(dir.resolve("mailstream.yaml"), b);
        RuleSet rules = RuleSet.load(b.build());
        for (String line : Files.readAllLines(dir.resolve("expected"), StandardCharsets.UTF_8)) {
          int arrow = line.indexOf(" => ");
          out.add(Arguments.of(dir.getFileName() + ": " + line.substring(0, arrow), rules,
              line.substring(0, arrow), line.substring(arrow + 4)));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void answersAsSendmailDoes(String name, RuleSet rules, String query, String expected) {
    Trace trace = new Trace();
    String actual = query.startsWith("/try ") ? tryMailer(rules, query, trace)
        : parse(rules, query.substring(query.indexOf(' ') + 1), trace);
    assertEquals(expected, actual, () -> "trace:\n" + trace);
  }

  @org.junit.jupiter.api.Test
  void everyCaseHasItsTranscript() throws Exception {
    try (Stream<Path> dirs = Files.list(root())) {
      for (Path dir : dirs.filter(Files::isDirectory).toList()) {
        String transcript = Files.readString(dir.resolve("transcript"));
        assertTrue(transcript.startsWith("# Version 8.17"), dir + ": transcript from sendmail 8.17");
        // Ruleset 5's triple is printed in sendmail's token form: "$# relay $@ hub . example $: u < @ hub . example >".
        String tokens = transcript.replaceAll("[ <>]", "");
        for (String line : Files.readAllLines(dir.resolve("expected"))) {
          String answer = line.substring(line.indexOf(" => ") + 4);
          java.util.regex.Matcher m = java.util.regex.Pattern.compile("mailer (\\S+), host (\\S+), user (\\S+)").matcher(answer);
          boolean found = line.startsWith("/local ") && m.matches()
              ? tokens.contains("$#" + m.group(1) + "$@" + m.group(2) + "$:" + m.group(3))
              : transcript.contains(answer.replaceFirst("^mailer ", ""));
          assertTrue(!answer.isEmpty() && found, dir + ": '" + answer + "' is in the transcript");
        }
      }
    }
  }

  private static String parse(RuleSet rules, String text, Trace trace) {
    MailAddress query = address(text);
    List<Resolved> resolved = rules.resolve(query, trace);
    assertEquals(1, resolved.size(), "one triple");
    if (resolved.get(0) instanceof Resolved.Fail f) {
      return f.reply().toString();
    }
    Resolved.Deliver d = (Resolved.Deliver) resolved.get(0);
    Destination dest = d.destination();
    if (dest.isLocal()) {
      return "mailer local, user " + d.user();
    }
    return "mailer " + dest.mailer() + ", host " + host(dest, query) + ", user " + d.user();
  }

  // sendmail's ruleset 0 hands the recipient's own domain, when it sends there by MX, to the mailer
  // as an absolute name (host.example.); Mailstream's destination holds it without the root's dot.
  private static String host(Destination d, MailAddress query) {
    if (!d.mxLookup()) {
      return "[" + d.host() + "]";
    }
    String domain = query.domain() == null ? null : query.domainKey().replaceFirst("\\.$", "");
    return d.host().equals(domain) ? d.host() + "." : d.host();
  }

  private static String tryMailer(RuleSet rules, String query, Trace trace) {
    String[] w = query.split(" ");
    Position position = Stream.of(Position.values()).filter(p -> p.flags().equals(w[1])).findFirst().orElseThrow();
    Mailer mailer = w[2].equals("local") ? Mailer.LOCAL : Mailer.SMTP;
    return rules.masquerader().rewrite(address(w[3]), position, mailer, trace).toString();
  }

  /** local@domain split at the last @, or an unqualified name, exactly as written. */
  private static MailAddress address(String text) {
    int at = text.lastIndexOf('@');
    return at < 0 ? new MailAddress(text, null) : new MailAddress(text.substring(0, at), text.substring(at + 1));
  }
}
