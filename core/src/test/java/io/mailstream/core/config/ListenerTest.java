package io.mailstream.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code ADDR:PORT [mta|msa|smtps] [proxy]}, as sendmail's DAEMON_OPTIONS lines become listeners. */
class ListenerTest {
  static Stream<Arguments> listeners() {
    return Stream.of(
        Arguments.of("0.0.0.0", new Listener(new HostPort("0.0.0.0", 25, false), Listener.Role.MTA, false, false)),
        Arguments.of("0.0.0.0 msa", new Listener(new HostPort("0.0.0.0", 587, false), Listener.Role.MSA, false, false)),
        Arguments.of("0.0.0.0 smtps", new Listener(new HostPort("0.0.0.0", 465, false), Listener.Role.MSA, true, false)),
        Arguments.of("0.0.0.0:2500 proxy", new Listener(new HostPort("0.0.0.0", 2500, false), Listener.Role.MTA, false, true)),
        Arguments.of("[::]:587  MSA   Proxy", new Listener(new HostPort("::", 587, true), Listener.Role.MSA, false, true)),
        Arguments.of("10.0.0.1:465 smtps proxy", new Listener(new HostPort("10.0.0.1", 465, false), Listener.Role.MSA, true, true)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("listeners")
  void parses(String text, Listener expected) {
    assertEquals(expected, Listener.parse(text));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"0.0.0.0:25 mta haproxy", "0.0.0.0:25 proxy proxy", "0.0.0.0:25 proxy mta", "0.0.0.0:25 lmtp"})
  void refusesWhatIsNotARoleOrProxy(String text) {
    assertThrows(IllegalArgumentException.class, () -> Listener.parse(text));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"0.0.0.0:25 mta proxy", "127.0.0.1:465 smtps"})
  void printsAsWritten(String text) {
    assertEquals(text, Listener.parse(text).toString());
  }
}
