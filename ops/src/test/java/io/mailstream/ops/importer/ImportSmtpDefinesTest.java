package io.mailstream.ops.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * confSMTP_LOGIN_MSG as smtp.banner. sendmail (srvrsmtp.c) puts "ESMTP" after the first word of the
 * greeting itself; Mailstream's banner carries it, and knows no macro but $j.
 */
class ImportSmtpDefinesTest {
  @ParameterizedTest(name = "''{0}''")
  @CsvSource(
      nullValues = "-",
      delimiter = '|',
      value = {
        // sendmail's default: "220 mx.example ESMTP Sendmail 8.17.1/8.17.1; Thu, 1 Jan ..."
        "$j Sendmail $v/$Z; $b | $j ESMTP Sendmail | $v,$Z,$b | -",
        "$j | $j ESMTP | - | -",
        "$j ESMTP ready | $j ESMTP ready | - | -",
        "$j mail relay of $j | $j ESMTP mail relay of $j | - | -",
        "$j ${daemon_name} ready | $j ESMTP ready | ${daemon_name} | -",
        "$j v$v | $j ESMTP v | $v | -",
        "$w.$m ESMTP | - | - | Mailstream's banner must start with $j (the hostname), this one is '$w.$m ESMTP'",
      })
  void banner(String mc, String banner, String dropped, String problem) {
    SmtpDefines.Banner b = SmtpDefines.Banner.translate(mc);
    assertEquals(Arrays.asList(banner, dropped, problem),
        Arrays.asList(b.value(), b.dropped().isEmpty() ? null : String.join(",", b.dropped()), b.problem()));
  }
}
