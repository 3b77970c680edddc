package io.mailstream.core.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Networks in CIDR notation, as relay-from lists them. */
class CidrTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    // text, network address, prefix length, printed
    "192.0.2.0/24,     192.0.2.0,     24,  192.0.2.0/24",
    "192.0.2.1,        192.0.2.1,     32,  192.0.2.1",
    "192.0.2.1/32,     192.0.2.1,     32,  192.0.2.1/32",
    "0.0.0.0/0,        0.0.0.0,       0,   0.0.0.0/0",
    "10.0.0.0/8,       10.0.0.0,      8,   10.0.0.0/8",
    "172.16.0.0/12,    172.16.0.0,    12,  172.16.0.0/12",
    "10.0.16.0/20,     10.0.16.0,     20,  10.0.16.0/20",
    "255.255.255.255/31, 255.255.255.255, 31, 255.255.255.255/31",
    "'  127.0.0.0/8 ', 127.0.0.0,     8,   127.0.0.0/8",
    "::1/128,          ::1,           128, ::1/128",
    "::1,              ::1,           128, ::1",
    "::/0,             ::,            0,   ::/0",
    "2001:db8::/32,    2001:db8::,    32,  2001:db8::/32",
    "fe80::/10,        fe80::,        10,  fe80::/10",
    "2001:DB8:0:0:0:0:0:0/48, 2001:db8::, 48, 2001:DB8:0:0:0:0:0:0/48",
  })
  void parses(String text, String network, int prefix, String printed) throws Exception {
    Cidr c = Cidr.parse(text);
    assertArrayEquals(InetAddress.getByName(network).getAddress(), c.network());
    assertEquals(prefix, c.prefixLength());
    assertEquals(printed, c.toString());
  }

  @ParameterizedTest(name = "{0} contains {1}: {2}")
  @CsvSource({
    "10.0.16.0/20,     10.0.16.0,        true",
    "10.0.16.0/20,     10.0.31.255,      true",
    "10.0.16.0/20,     10.0.32.0,        false",
    "10.0.16.0/20,     10.0.15.255,      false",
    "192.0.2.0/24,     192.0.2.255,      true",
    "192.0.2.0/24,     192.0.3.0,        false",
    "192.0.2.7/24,     192.0.2.200,      true",
    "192.0.2.1,        192.0.2.1,        true",
    "192.0.2.1/32,     192.0.2.2,        false",
    "0.0.0.0/0,        203.0.113.9,      true",
    "0.0.0.0/0,        255.255.255.255,  true",
    "0.0.0.0/0,        ::1,              false",
    "128.0.0.0/1,      200.1.1.1,        true",
    "128.0.0.0/1,      127.255.255.255,  false",
    "0.0.0.0/1,        127.255.255.255,  true",
    "0.0.0.0/1,        128.0.0.0,        false",
    "10.0.0.0/7,       11.255.255.255,   true",
    "10.0.0.0/7,       12.0.0.0,         false",
    "255.255.255.254/31, 255.255.255.255, true",
    "255.255.255.254/31, 255.255.255.253, false",
    "::/0,             ::1,              true",
    "::/0,             2001:db8::1,      true",
    "::/0,             127.0.0.1,        false",
    "::1/128,          ::1,              true",
    "::1/128,          ::2,              false",
    "2001:db8::/32,    2001:db8:ffff::1, true",
    "2001:db8::/32,    2001:db9::1,      false",
    "fe80::/10,        febf::1,          true",
    "fe80::/10,        fec0::1,          false",
    "2001:db8::/127,   2001:db8::1,      true",
    "2001:db8::/127,   2001:db8::2,      false",
  })
  void contains(String cidr, String address, boolean expected) throws Exception {
    assertEquals(expected, Cidr.parse(cidr).contains(InetAddress.getByName(address)));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @CsvSource(
      delimiter = '|',
      textBlock = """
        # text             | exact message
        192.0.2.0/33       | prefix length out of range in '192.0.2.0/33'
        ::/129             | prefix length out of range in '::/129'
        10.0.0.0/-1        | prefix length out of range in '10.0.0.0/-1'
        10.0.0.0/          | bad prefix length in '10.0.0.0/'
        10.0.0.0/8/8       | bad prefix length in '10.0.0.0/8/8'
        10.0.0.0/x         | bad prefix length in '10.0.0.0/x'
        10.0.0.0/255.0.0.0 | bad prefix length in '10.0.0.0/255.0.0.0'
        ''                 | not an IP address: ''
        /8                 | not an IP address: ''
        10/8               | not an IP address: '10'
        10.1/16            | not an IP address: '10.1'
        192.0.2/24         | not an IP address: '192.0.2'
        256.0.0.0/8        | not an IP address: '256.0.0.0'
        010.0.0.0/8        | not an IP address: '010.0.0.0'
        10.0.0.0.0/8       | not an IP address: '10.0.0.0.0'
        mail.example.com   | not an IP address: 'mail.example.com'
        localhost/8        | not an IP address: 'localhost'
        cafe               | not an IP address: 'cafe'
        fe80::1%eth0       | not an IP address: 'fe80::1%eth0'
        :::1               | not an IP address: ':::1'
        1:2:3:4:5:6:7:8:9  | not an IP address: '1:2:3:4:5:6:7:8:9'
        [::1]/128          | not an IP address: '[::1]'
        """)
  void rejects(String text, String message) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse(text));
    assertEquals(message, e.getMessage());
  }

  /** A name must never reach DNS: a resolver could turn a typo into an open relay. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"cafe", "dead.beef", "10.0.0.300", "abc:", "ffff"})
  void neverLooksUpNames(String text) {
    assertTimeoutPreemptively(
        Duration.ofMillis(200),
        () -> assertThrows(IllegalArgumentException.class, () -> Cidr.parse(text)));
  }

  @Test
  void equalityIsByText() throws UnknownHostException {
    assertEquals(Cidr.parse("10.0.0.0/8"), Cidr.parse(" 10.0.0.0/8 "));
    assertEquals(Cidr.parse("10.0.0.0/8").hashCode(), Cidr.parse("10.0.0.0/8").hashCode());
    assertNotEquals(Cidr.parse("10.0.0.0/8"), Cidr.parse("10.0.0.0/16"));
  }
}
