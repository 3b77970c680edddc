package io.mailstream.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code host:port} as config and command line write it, with sendmail's brackets. */
class HostPortTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock = """
        # text                 | host             | port  | bracketed | printed
        mx.example.com:587     | mx.example.com   | 587   | false     | mx.example.com:587
        mx.example.com         | mx.example.com   | 25    | false     | mx.example.com:25
        ' mx.example.com:2525 ' | mx.example.com   | 2525  | false     | mx.example.com:2525
        [mx.example.com]:587   | mx.example.com   | 587   | true      | [mx.example.com]:587
        [mx.example.com]       | mx.example.com   | 25    | true      | [mx.example.com]:25
        192.0.2.1:25           | 192.0.2.1        | 25    | false     | 192.0.2.1:25
        [192.0.2.1]            | 192.0.2.1        | 25    | true      | [192.0.2.1]:25
        [::1]:2525             | ::1              | 2525  | true      | [::1]:2525
        [::]:25                | ::               | 25    | true      | [::]:25
        [2001:db8::25]         | 2001:db8::25     | 25    | true      | [2001:db8::25]:25
        [::ffff:192.0.2.1]:465 | ::ffff:192.0.2.1 | 465   | true      | [::ffff:192.0.2.1]:465
        0.0.0.0:0              | 0.0.0.0          | 0     | false     | 0.0.0.0:0
        localhost:65535        | localhost        | 65535 | false     | localhost:65535
        """)
  void parses(String text, String host, int port, boolean bracketed, String printed) {
    HostPort hp = HostPort.parse(text, 25);
    assertEquals(new HostPort(host, port, bracketed), hp);
    assertEquals(printed, hp.toString());
  }

  @ParameterizedTest(name = "\"{0}\"")
  @CsvSource(
      delimiter = '|',
      textBlock = """
        # text              | exact message
        ''                  | expected HOST:PORT, got an empty value
        '   '               | expected HOST:PORT, got an empty value
        ::1                 | IPv6 addresses need brackets: '[::1]:PORT'
        2001:db8::1:25      | IPv6 addresses need brackets: '[2001:db8::1:25]:PORT'
        mx:25:26            | IPv6 addresses need brackets: '[mx:25:26]:PORT'
        [::1                | missing ']' in '[::1'
        [::1]25             | expected ':PORT' after ']' in '[::1]25'
        [::1]]:25           | expected ':PORT' after ']' in '[::1]]:25'
        []:25               | missing host in '[]:25'
        :25                 | missing host in ':25'
        mx.example.com:     | port is not a number in 'mx.example.com:'
        mx.example.com:smtp | port is not a number in 'mx.example.com:smtp'
        mx.example.com:2 5  | port is not a number in 'mx.example.com:2 5'
        [::1]:              | port is not a number in '[::1]:'
        mx:99999999999      | port is not a number in 'mx:99999999999'
        mx:65536            | port out of range in 'mx:65536'
        mx:99999            | port out of range in 'mx:99999'
        mx:-1               | port out of range in 'mx:-1'
        [::1]:70000         | port out of range in '[::1]:70000'
        """)
  void rejects(String text, String message) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> HostPort.parse(text, 25));
    assertEquals(message, e.getMessage());
  }
}
