package io.mailstream.core.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Destinations with one host and with sendmail's host lists ({@code esmtp:[a]:b}). */
class DestinationTest {

  static Destination.Hop hop(String text) {
    boolean bracketed = text.startsWith("[");
    return new Destination.Hop(bracketed ? text.substring(1, text.length() - 1) : text, !bracketed);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // hosts as in the mailertable | host field | mxLookup | hops as host/mx, in order
        "mx.example                     | mx.example                   | true  | mx.example/true",
        "[gw.example]                   | gw.example                   | false | gw.example/false",
        "[192.0.2.1]                    | 192.0.2.1                    | false | 192.0.2.1/false",
        "[IPv6:2001:db8::1]             | 2001:db8::1                  | false | 2001:db8::1/false",
        "[a.example]:[b.example]        | [a.example]:[b.example]      | true  | a.example/false b.example/false",
        "a.example:[b.example]:c.example | a.example:[b.example]:c.example | true | a.example/true b.example/false c.example/true",
        "[IPv6:2001:db8::1]:[192.0.2.1] | [IPv6:2001:db8::1]:[192.0.2.1] | true | 2001:db8::1/false 192.0.2.1/false",
      })
  void hostsAreTriedInTheOrderTheEntryGives(String entry, String host, boolean mx, String hops) {
    List<Destination.Hop> list = new java.util.ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i <= entry.length(); i++) {
      char c = i == entry.length() ? ':' : entry.charAt(i);
      depth += c == '[' ? 1 : c == ']' ? -1 : 0;
      if (c == ':' && depth == 0) {
        list.add(hop(entry.substring(start, i)));
        start = i + 1;
      }
    }
    Destination d = Destination.ofHosts("esmtp", list, 25);

    assertEquals(host, d.host());
    assertEquals(mx, d.mxLookup());
    assertEquals(hops, String.join(" ", d.hops().stream().map(h -> h.host() + "/" + h.mxLookup()).toList()));
    d.hops().forEach(h -> assertEquals(25, h.port()));
    d.hops().forEach(h -> assertEquals("esmtp", h.mailer()));
  }

  @Test
  void aBareIpv6AddressIsOneHostNotAList() {
    Destination d = new Destination("relay", "2001:db8::25", 25, true);
    assertFalse(d.hasBackups());
    assertEquals(List.of(d), d.hops());
  }

  @Test
  void eachHopHasItsOwnPoolKey() {
    Destination d = Destination.ofHosts("relay", List.of(hop("[A.example]"), hop("b.example")), 587);
    assertTrue(d.hasBackups());
    assertEquals("relay:[a.example]:b.example:587", d.key());
    assertEquals(List.of("relay:[a.example]:587", "relay:b.example:587"), d.hops().stream().map(Destination::key).toList());
  }

  @Test
  void badHostsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Destination.Hop("", true));
    assertThrows(IllegalArgumentException.class, () -> new Destination.Hop("2001:db8::1", true));
    assertThrows(IllegalArgumentException.class, () -> Destination.ofHosts("esmtp", List.of(), 25));
  }
}
