package io.mailstream.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.smtp.Reply;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The sink's dialogue without sockets: a command in, the first reply line out. */
class SinkSessionTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      EHLO c.test                        | 250-sink.test
      EHLO c.test;MAIL FROM:<a@x.test>   | 250 2.1.0 Ok
      EHLO c.test;MAIL From:<a@x.test> SIZE=10 BODY=8BITMIME | 250 2.1.0 Ok
      EHLO c.test;RCPT TO:<b@y.test>     | 503 5.5.1 Bad sequence of commands
      EHLO c.test;MAIL FROM:<>;DATA      | 503 5.5.1 Bad sequence of commands
      EHLO c.test;MAIL FROM:<>;RCPT TO:<b@y.test>;DATA | 354 End data with <CR><LF>.<CR><LF>
      HELO c.test;MAIL FROM:<a@x.test>   | 250 Ok
      MAIL FROM:<a@x.test>               | 503 Bad sequence of commands
      EHLO c.test;MAIL <a@x.test>        | 501 5.5.4 Syntax: MAIL FROM:<address>
      EHLO c.test;BDAT 10 LAST           | 502 5.5.1 Command not implemented
      EHLO c.test;RSET;NOOP              | 250 2.0.0 Ok
      EHLO c.test;QUIT                   | 221 2.0.0 Bye
      """)
  void replies(String commands, String expected) {
    SinkSession session = new SinkSession(new SinkCounters(0), "sink.test");
    Reply last = null;
    for (String c : commands.split(";")) {
      last = session.on(c);
    }
    assertEquals(expected, last.toWire().split("\r\n")[0]);
  }

  @Test
  void ehloAdvertisesTheExtensionsRelaysUse() {
    String wire = new SinkSession(new SinkCounters(0), "sink.test").on("EHLO c.test").toWire();
    for (String keyword : List.of("PIPELINING", "SIZE", "8BITMIME")) {
      assertTrue(wire.contains("250-" + keyword) || wire.contains("250 " + keyword), keyword);
    }
  }

  @Test
  void countsMessagesAndRejectsEveryKth() {
    SinkCounters counters = new SinkCounters(3);
    SinkSession session = new SinkSession(counters, "sink.test");
    session.on("EHLO c.test");
    List<String> ends = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      session.on("MAIL FROM:<a@x.test>");
      session.on("RCPT TO:<b@y.test>");
      session.on("RCPT TO:<c@y.test>");
      session.on("DATA");
      ends.add(session.endOfData(100).toString().substring(0, 3));
    }
    assertEquals(List.of("250", "250", "550", "250", "250", "550"), ends);
    SinkCounters.Snapshot s = counters.snapshot();
    assertEquals(4, s.messages());
    assertEquals(2, s.rejected());
    assertEquals(8, s.recipients());
    assertEquals(400, s.octets());
  }
}
