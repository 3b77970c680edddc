package io.mailstream.sendmail;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressListTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "root | root@relay.test",
      "bob@example.com | bob@example.com",
      "Bob <bob@example.com> | bob@example.com",
      "\"Smith, Bob\" <bob@example.com> (work), carol | bob@example.com;carol@relay.test",
      "bob@example.com (Bob Smith) | bob@example.com",
      "team: a@x.test, b; | a@x.test;b@relay.test",
      "undisclosed-recipients:; | ''",
      "<@relay.example:joe@example.com> | joe@example.com",
      "\"joe@home\"@example.com | \"joe@home\"@example.com",
      "\"odd user\" | \"odd user\"@relay.test",
  })
  void addressesAreReadAndBareOnesQualifiedWithTheHostname(String text, String expected) {
    List<String> want = expected.isEmpty() ? List.of() : List.of(expected.split(";"));
    assertEquals(want, AddressList.parse(text, "relay.test"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {"bounces | bounces@relay.test", "<> | ''", "<a@b.test> | a@b.test"})
  void aSenderIsQualifiedAndTheNullSenderStaysEmpty(String sender, String expected) {
    assertEquals(expected, AddressList.qualify(sender, "relay.test"));
  }
}
