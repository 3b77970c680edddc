package io.mailstream.ops.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The m4 that sendmail.mc files use, as {@link McReader} reads it. Each expectation was checked
 * with GNU m4 1.4 (and, for {@code #}, with sendmail's cf.m4, whose cfhead.m4 runs {@code changecom()}).
 */
class ImportMcReaderTest {
  static final String CF = "include(`/usr/share/sendmail/cf/m4/cf.m4')dnl\n";

  static List<String> read(String text) throws ImportException {
    McReader r = new McReader(Path.of("sendmail.mc"), text, Map.of("MY_HUB", "[hub.example]")::get);
    List<String> out = new ArrayList<>();
    for (McEvent e = r.next(); e != null; e = r.next()) {
      if (e instanceof McEvent.Call c) {
        out.add(c.line() + " " + c.name() + (c.args().isEmpty() ? "" : "[" + String.join("|", c.args()) + "]")
            + (c.afterHash() ? " after #" : ""));
      } else {
        out.add(e.line() + " text: " + ((McEvent.Text) e).text());
      }
    }
    return out;
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("dnl deletes to the end of the line, newline included",
            "FEATURE(`a')dnl FEATURE(`x')\nFEATURE(`b')", List.of("1 FEATURE[a]", "2 FEATURE[b]")),
        Arguments.of("dnl inside a word is no dnl",
            "xdnl FEATURE(`a')", List.of("1 text: xdnl", "1 FEATURE[a]")),
        Arguments.of("nested quotes lose one level",
            "define(`X', `a `b' c')", List.of("1 define[X|a `b' c]")),
        Arguments.of("quoted pieces join", "define(`X', `a'`b'c)", List.of("1 define[X|abc]")),
        Arguments.of("leading unquoted blanks are skipped, trailing ones kept",
            "define( `X' ,\n\t `v' )", List.of("1 define[X |v ]")),
        Arguments.of("commas inside quotes and parentheses do not split",
            "FEATURE(`a,b', (c, d))", List.of("1 FEATURE[a,b|(c, d)]")),
        Arguments.of("dnl inside arguments, then the blanks after it are kept",
            "define(`X',dnl comment\n  `v')", List.of("1 define[X|  v]")),
        Arguments.of("a call spanning lines is reported on its first",
            "FEATURE(`a',\n`b')\nKfoo", List.of("1 FEATURE[a|b]", "3 text: Kfoo")),
        Arguments.of("names the .mc defined expand inside arguments",
            "define(`SMART_HOST', MY_HUB)", List.of("1 define[SMART_HOST|[hub.example]]")),
        Arguments.of("but not when quoted", "define(`SMART_HOST', `MY_HUB')", List.of("1 define[SMART_HOST|MY_HUB]")),
        Arguments.of("before cf.m4, # is an m4 comment, quotes and calls in it included",
            "# don`t FEATURE(`a')\n" + CF + "FEATURE(`b')",
            List.of("2 include[/usr/share/sendmail/cf/m4/cf.m4]", "3 FEATURE[b]")),
        Arguments.of("after cf.m4, # comments nothing out",
            CF + "# FEATURE(`a')\n", List.of("1 include[/usr/share/sendmail/cf/m4/cf.m4]", "2 FEATURE[a] after #")),
        Arguments.of("without an include (m4 cf.m4 sendmail.mc), # never was a comment",
            "# DAEMON_OPTIONS(`Port=smtp')", List.of("1 DAEMON_OPTIONS[Port=smtp] after #")),
        Arguments.of("text in divert(-1) is discarded, in divert(0) it reaches sendmail.cf",
            "divert(-1)\nhello\ndivert(0)dnl\nworld\n",
            List.of("1 divert[-1]", "3 divert[0]", "4 text: world")),
        Arguments.of("sendmail.cf comment lines are no text to report", "divert(0)\n# just a comment\n",
            List.of("1 divert[0]")),
        Arguments.of("quoted text at the top level loses its quotes", "`Cwfoo.example'", List.of("1 text: Cwfoo.example")),
        Arguments.of("cfhead.m4's section macros need no parentheses",
            "LOCAL_CONFIG\nKmymap hash /etc/mail/mymap", List.of("1 LOCAL_CONFIG", "2 text: Kmymap hash /etc/mail/mymap")),
        Arguments.of("an unknown word without parentheses is text", "FEATURE", List.of("1 text: FEATURE")),
        Arguments.of("a listener's options are one argument, commas and all",
            "DAEMON_OPTIONS(`Port=587, Name=MSA, M=Ea')dnl",
            List.of("1 DAEMON_OPTIONS[Port=587, Name=MSA, M=Ea]")),
        Arguments.of("sendmail's $ macros and ; are text to m4",
            "define(`confSMTP_LOGIN_MSG', `$j Sendmail $v/$Z; $b')dnl",
            List.of("1 define[confSMTP_LOGIN_MSG|$j Sendmail $v/$Z; $b]")),
        Arguments.of("a bare number argument, as FEATURE(greet_pause) takes it",
            "FEATURE(`greet_pause',5000)dnl", List.of("1 FEATURE[greet_pause|5000]")),
        Arguments.of("CRLF line ends", "FEATURE(`a')dnl\r\nFEATURE(`b')\r\n", List.of("1 FEATURE[a]", "2 FEATURE[b]")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void readsLikeM4(String what, String text, List<String> expected) throws Exception {
    assertEquals(expected, read(text));
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        Arguments.of("define(`X', `open\n\nFEATURE(`a')\n", "sendmail.mc:1: unterminated quote: the ` opened here has no closing '"),
        Arguments.of("FEATURE(`a',\n`b\n", "sendmail.mc:2: unterminated quote: the ` opened here has no closing '"),
        Arguments.of("dnl\nFEATURE(`a'\nMAILER(`smtp')\n", "sendmail.mc:2: FEATURE( has no closing parenthesis"),
        Arguments.of("changequote([,])\n", "sendmail.mc:1: changequote is not supported"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("errors")
  void badInputIsOneLineWithFileAndLine(String text, String message) {
    ImportException e = assertThrows(ImportException.class, () -> read(text));
    assertEquals(message, e.getMessage());
  }
}
