package io.mailstream.sendmail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InvocationTest {
  private static Invocation parse(String... args) throws CommandFailure {
    return Invocation.parse("sendmail", args);
  }

  @Test
  void whatProgramsPassIsRead() throws Exception {
    Invocation i = parse("-t", "-oi", "-fbounces@x.test", "-F", "Cron Daemon", "-N", "failure,delay", "-R", "hdrs",
        "-V", "id+1", "-B8BITMIME", "-oem", "-v", "a@x.test", "b");
    assertTrue(i.recipientsFromHeaders && i.dotIsData && i.verbose);
    assertEquals("bounces@x.test", i.sender);
    assertEquals("Cron Daemon", i.fullName);
    assertEquals("FAILURE,DELAY", i.notify);
    assertEquals("HDRS", i.ret);
    assertEquals("id+1", i.envelopeId);
    assertEquals("8BITMIME", i.body);
    assertEquals(Invocation.ErrorMode.MAIL, i.errors);
    assertEquals(List.of("a@x.test", "b"), i.recipients);
  }

  @Test
  void theNameChoosesTheMode() throws Exception {
    assertEquals(Invocation.Mode.LIST_QUEUE, Invocation.parse("mailq", new String[0]).mode);
    assertEquals(Invocation.Mode.ALIASES, Invocation.parse("newaliases", new String[0]).mode);
    assertEquals(Invocation.Mode.DELIVER, parse("x").mode);
    assertEquals(Invocation.Mode.SMTP, parse("-bs").mode);
    assertEquals(Invocation.Mode.LIST_QUEUE, parse("-bp").mode);
  }

  @Test
  void queueRunsTakeTheirSelection() throws Exception {
    Invocation r = parse("-qR", "example.com");
    assertEquals(Invocation.Mode.RUN_QUEUE, r.mode);
    assertEquals("example.com", r.queueRecipient);
    assertEquals("Q1", parse("-qIQ1").queueId);
    assertNull(parse("-q").queueId);
  }

  @ParameterizedTest
  @ValueSource(strings = {"-odb", "-odi", "-om", "-m", "-n", "-U", "-oQ/var/spool", "-ODeliveryMode=b", "-L", "-h"})
  void whatSendmailIgnoresIsIgnoredQuietly(String option) throws Exception {
    String[] args = option.equals("-L") || option.equals("-h") ? new String[] {option, "5", "a"} : new String[] {option, "a"};
    assertEquals(List.of("a"), parse(args).recipients);
  }

  @ParameterizedTest
  @ValueSource(strings = {"-Q", "-bd", "-bz", "-qf", "-oez", "-Nsometimes", "-Rall", "-X", "--bogus"})
  void whatWouldMatterAndIsNotOfferedIsAUsageError(String option) {
    CommandFailure e = assertThrows(CommandFailure.class, () -> parse(option, "a"));
    assertEquals(Sysexits.EX_USAGE, e.status());
  }

  @Test
  void aMissingValueIsAUsageError() {
    CommandFailure e = assertThrows(CommandFailure.class, () -> parse("-f"));
    assertEquals("option -f requires a value", e.getMessage());
  }
}
