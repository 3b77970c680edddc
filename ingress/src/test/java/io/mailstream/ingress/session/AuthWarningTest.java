package io.mailstream.ingress.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mailstream.core.address.MailAddress;
import io.mailstream.core.config.ConfigBuilder;
import io.mailstream.core.config.SmtpSettings;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** sendmail's "set sender ... using -f" warning for local users of the sendmail command. */
class AuthWarningTest {
  private static final SmtpSettings SMTP = smtp();

  @ParameterizedTest(name = "{0} sends as {1}")
  @CsvSource(delimiter = '|', value = {
      "nobody | boss@corp.example | X-Authentication-Warning: relay.test: nobody set sender to boss@corp.example using -f",
      "nobody | <> | X-Authentication-Warning: relay.test: nobody set sender to <> using -f",
      "nobody | nobody@relay.test | ''",
      "nobody | nobody@RELAY.test | ''",
      "nobody | nobody@other.test | X-Authentication-Warning: relay.test: nobody set sender to nobody@other.test using -f",
      // Trusted users (class t) set any sender quietly.
      "root | boss@corp.example | ''",
      "smmsp | <> | ''",
  })
  void anUntrustedLocalUserWhoSetsAnotherSenderIsNamed(String user, String sender, String expected) throws Exception {
    MailAddress from = sender.equals("<>") ? MailAddress.NULL_SENDER : MailAddress.parse(sender);
    String field = AuthWarning.field(SMTP, "relay.test", Peer.localUser(user), "localhost", from);
    assertEquals(expected.isEmpty() ? "" : expected + "\r\n", field);
  }

  private static SmtpSettings smtp() {
    try {
      return new ConfigBuilder().hostname("relay.test").listen(List.of("127.0.0.1:0")).build().smtp();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
