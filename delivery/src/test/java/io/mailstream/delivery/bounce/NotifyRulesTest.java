package io.mailstream.delivery.bounce;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mailstream.core.address.MailAddress;
import io.mailstream.core.event.EnvelopeRecipient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 3461's NOTIFY and the null sender decide whether a failure is reported or a delay warned of. */
class NotifyRulesTest {
  @ParameterizedTest(name = "sender {0}, NOTIFY={1} -> {2}")
  @CsvSource(nullValues = "-", value = {
      "alice@dmz.example, -,               true",
      "alice@dmz.example, FAILURE,         true",
      "alice@dmz.example, 'SUCCESS,FAILURE', true",
      "alice@dmz.example, 'delay,failure', true",
      "alice@dmz.example, NEVER,           false",
      "alice@dmz.example, SUCCESS,         false",
      "alice@dmz.example, 'SUCCESS,DELAY', false",
      "<>,                -,               false",
      "<>,                FAILURE,         false",
  })
  void decides(String sender, String notify, boolean reported) throws Exception {
    MailAddress from = sender.equals("<>") ? MailAddress.NULL_SENDER : MailAddress.parse(sender);
    EnvelopeRecipient rcpt = new EnvelopeRecipient(new MailAddress("bob", "corp.example"), notify, null);
    assertEquals(reported, NotifyRules.reportFailure(from, rcpt));
  }

  @ParameterizedTest(name = "delay: sender {0}, NOTIFY={1} -> {2}")
  @CsvSource(nullValues = "-", value = {
      // No NOTIFY: sendmail's default warns.
      "alice@dmz.example, -,               true",
      "alice@dmz.example, '',              true",
      "alice@dmz.example, DELAY,           true",
      "alice@dmz.example, 'delay,failure', true",
      "alice@dmz.example, 'SUCCESS, DELAY', true",
      "alice@dmz.example, NEVER,           false",
      "alice@dmz.example, FAILURE,         false",
      "alice@dmz.example, 'SUCCESS,FAILURE', false",
      "<>,                -,               false",
      "<>,                DELAY,           false",
  })
  void decidesDelay(String sender, String notify, boolean warned) throws Exception {
    MailAddress from = sender.equals("<>") ? MailAddress.NULL_SENDER : MailAddress.parse(sender);
    EnvelopeRecipient rcpt = new EnvelopeRecipient(new MailAddress("bob", "corp.example"), notify, null);
    assertEquals(warned, NotifyRules.reportDelay(from, rcpt));
  }
}
