package io.mailstream.core.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mailstream.core.rules.ErrorReply.Syntax;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The error mailer's reply for each spelling of an {@code error:} value. Every expected reply is
 * what sendmail 8.17.1 answered to RCPT for that table entry ({@code sendmail -bs}).
 */
class ErrorReplyTest {

  static Stream<Arguments> mailertable() {
    return Stream.of(
        // cf/README: "error:D.S.N:code message will give an error message with the indicated SMTP
        // reply code and message, where D.S.N is an RFC 1893 compliant error code."
        Arguments.of("5.7.1:550 go away", "550 5.7.1 go away"),
        Arguments.of("4.2.2:450 mailbox full", "450 4.2.2 mailbox full"),
        // cf/README: "error:code message"
        Arguments.of("550 plain", "550 5.0.0 plain"),
        Arguments.of("550 5.1.2 host gone", "550 5.1.2 host gone"),
        Arguments.of("451 4.4.1 try later", "451 4.4.1 try later"),
        // The status in the text wins over the one before it.
        Arguments.of("5.1.1:550 5.2.2 both given", "550 5.2.2 both given"),
        // A keyword before a colon sets sendmail's exit status only.
        Arguments.of("nouser:550 no such", "550 5.0.0 no such"),
        Arguments.of("nohost:some text", "553 5.3.0 some text"),
        // Without a reply code in the text: 553 5.3.0, whatever came before.
        Arguments.of("nouser No such user", "553 5.3.0 nouser No such user"),
        Arguments.of("5.7.1:go away", "553 5.3.0 go away"),
        Arguments.of("5.1.1:550", "553 5.3.0 550"));
  }

  @ParameterizedTest(name = "error:{0} -> {1}")
  @MethodSource("mailertable")
  void mailertableSpelling(String rest, String reply) {
    assertEquals(reply, ErrorReply.parse(rest, Syntax.MAILERTABLE).toReply().toString());
  }

  static Stream<Arguments> virtusertable() {
    return Stream.of(
        // cf/README virtusertable: "joe@bar.com error:nouser 550 No such user here ... mail to
        // joe@bar.com will be rejected with the specified error message"
        Arguments.of("nouser 550 No such user here", "550 5.0.0 No such user here"),
        // "jax@bar.com error:5.7.0:550 Address invalid ... will also have a RFC 1893 compliant
        // error code 5.7.0."
        Arguments.of("5.7.0:550 Address invalid", "550 5.7.0 Address invalid"),
        Arguments.of("4.2.2:450 mailbox full", "450 4.2.2 mailbox full"),
        // The seeds' "@my-domain error:nouser User unknown".
        Arguments.of("nouser User unknown", "553 5.3.0 User unknown"),
        // The first word is always taken as the keyword, so a bare code is lost.
        Arguments.of("550 text only", "553 5.3.0 text only"),
        Arguments.of("5.1.1:no code", "553 5.3.0 no code"),
        Arguments.of("nouser:550 5.1.1 colon form", "553 5.3.0 :550 5.1.1 colon form"));
  }

  @ParameterizedTest(name = "error:{0} -> {1}")
  @MethodSource("virtusertable")
  void virtusertableSpelling(String rest, String reply) {
    assertEquals(reply, ErrorReply.parse(rest, Syntax.VIRTUSERTABLE).toReply().toString());
  }

  static Stream<Arguments> refused() {
    return Stream.of(
        Arguments.of("250 ok", "reply code must be 4xx or 5xx, got 250"),
        Arguments.of("5.7.1:450 try later", "enhanced status 5.7.1 disagrees with reply code 450"),
        Arguments.of("550 4.7.1 wrong class", "enhanced status 4.7.1 disagrees with reply code 550"),
        Arguments.of("7.1.1:550 x", "bad enhanced status code '7.1.1'"));
  }

  @ParameterizedTest(name = "error:{0}")
  @MethodSource("refused")
  void refusesRepliesThatCannotBeSent(String rest, String reason) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ErrorReply.parse(rest, Syntax.MAILERTABLE));
    assertEquals(reason, e.getMessage());
  }

  @Test
  void temporaryWhenTheCodeIs4xx() {
    assertEquals(true, ErrorReply.parse("451 4.4.1 later", Syntax.MAILERTABLE).isTemporary());
    assertEquals(false, ErrorReply.parse("550 no", Syntax.MAILERTABLE).isTemporary());
  }
}
