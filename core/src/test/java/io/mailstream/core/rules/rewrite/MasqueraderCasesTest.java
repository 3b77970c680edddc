package io.mailstream.core.rules.rewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.mailstream.core.address.MailAddress;
import io.mailstream.core.rules.MapFileException;
import io.mailstream.core.rules.Trace;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The golden cases of {@code rewrite/masquerade.cases}: one per cf/README sentence about
 * masquerading and the genericstable, each expected value being sendmail 8.17's own answer
 * ({@code check-with-sendmail.sh} re-checks them against sendmail -bt).
 */
class MasqueraderCasesTest {
  // m4 macros as they appear in the cases: NAME(`arg') or NAME(`arg', `arg').
  private static final Pattern MACRO = Pattern.compile("([A-Z_]+)\\(`([^']*)'(?:\\s*,\\s*`([^']*)')?\\)\\s*(?:dnl)?");
  private static final Pattern CASE = Pattern.compile("(ES|HS|ER|HR) (\\S+) (\\S+) -> (\\S+)");

  static Stream<Arguments> cases() throws IOException, URISyntaxException, MapFileException {
    Path dir = Path.of(MasqueraderCasesTest.class.getResource("/rewrite/masquerade.cases").toURI()).getParent();
    List<Arguments> out = new ArrayList<>();
    Map<String, List<String>> configs = new LinkedHashMap<>();
    String config = null;
    String doc = "";
    Masquerader masquerader = null;
    for (String line : Files.readAllLines(dir.resolve("masquerade.cases"), StandardCharsets.UTF_8)) {
      if (line.startsWith("config ")) {
        config = line.substring(7);
        configs.put(config, new ArrayList<>());
        masquerader = null;
      } else if (line.startsWith("* ")) {
        doc = line.substring(2);
      } else if (MACRO.matcher(line).matches()) {
        configs.get(config).add(line);
      } else if (CASE.matcher(line).matches()) {
        if (masquerader == null) {
          masquerader = build(configs.get(config), dir);
        }
        Matcher m = CASE.matcher(line);
        m.matches();
        out.add(Arguments.of(config + ": " + line + "   # " + doc, masquerader, position(m.group(1)),
            m.group(2).equals("local") ? Mailer.LOCAL : Mailer.SMTP, m.group(3), m.group(4)));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void rewritesAsSendmailDoes(String name, Masquerader masquerader, Position position, Mailer mailer, String input,
      String expected) {
    Trace trace = new Trace();
    MailAddress in = address(input);
    MailAddress out = masquerader.rewrite(in, position, mailer, trace);
    assertEquals(expected, out.toString(), () -> "trace:\n" + trace);
    if (expected.equals(input)) {
      assertSame(in, out, "an address that does not change is returned as is");
    }
  }

  /** The .mc lines of one configuration, on top of the host all cases share. */
  static Masquerader build(List<String> mc, Path dir) throws MapFileException {
    MasqueradeSettings.Builder s = MasqueradeSettings.builder("mail.corp.example")
        .localHostNames(List.of("other.example", "[192.0.2.1]"));
    String genericsFile = null;
    DomainClass g = DomainClass.empty("G");
    boolean genericsEntire = false;
    for (String line : mc) {
      Matcher m = MACRO.matcher(line);
      m.matches();
      String arg = m.group(2);
      switch (m.group(1)) {
        case "MASQUERADE_AS" -> s.masqueradeAs(arg);
        case "MASQUERADE_DOMAIN" -> s.masqueradeDomain(arg);
        case "MASQUERADE_DOMAIN_FILE" -> s.masqueradeDomains(DomainClass.read("M", dir.resolve(arg)));
        case "MASQUERADE_EXCEPTION" -> s.masqueradeException(arg);
        case "MASQUERADE_EXCEPTION_FILE" -> s.masqueradeExceptions(DomainClass.read("N", dir.resolve(arg)));
        case "EXPOSED_USER" -> s.exposedUser(arg);
        case "GENERICS_DOMAIN" -> g = g.plus(DomainClass.of("G", List.of(arg)));
        case "GENERICS_DOMAIN_FILE" -> g = g.plus(DomainClass.read("G", dir.resolve(arg)));
        case "FEATURE" -> {
          switch (arg) {
            case "genericstable" -> genericsFile = m.group(3).replaceFirst("^hash\\s+", "");
            case "generics_entire_domain" -> genericsEntire = true;
            case "always_add_domain" -> {
              if (m.group(3) != null) {
                s.alwaysAddDomain(m.group(3));
              } else {
                s.feature(MasqueradeSettings.Feature.ALWAYS_ADD_DOMAIN);
              }
            }
            default -> s.feature(MasqueradeSettings.Feature.bySendmailName(arg));
          }
        }
        default -> throw new IllegalArgumentException("macro not supported by the test: " + line);
      }
    }
    GenericsTable generics = genericsFile == null ? GenericsTable.none()
        : GenericsTable.load(dir.resolve(genericsFile), g, genericsEntire);
    return new Masquerader(s.build(), generics);
  }

  private static Position position(String flags) {
    for (Position p : Position.values()) {
      if (p.flags().equals(flags)) {
        return p;
      }
    }
    throw new IllegalArgumentException(flags);
  }

  /** local@domain split at the last @, or an unqualified name, exactly as written. */
  static MailAddress address(String text) {
    int at = text.lastIndexOf('@');
    return at < 0 ? new MailAddress(text, null) : new MailAddress(text.substring(0, at), text.substring(at + 1));
  }
}
