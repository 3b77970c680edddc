package io.mailstream.core.rules;

import io.mailstream.core.address.AddressException;
import io.mailstream.core.address.MailAddress;
import java.util.List;

/** Builds tables from text in the test source, as if read from a file called {@code name}. */
final class TestTables {
  private TestTables() {}

  static List<MapEntry> entries(String name, String text) throws MapFileException {
    return MapFile.parse(name, text.lines().toList(), false);
  }

  static List<MapEntry> aliasEntries(String name, String text) throws MapFileException {
    return MapFile.parse(name, text.lines().toList(), true);
  }

  static MailAddress address(String text) {
    try {
      return MailAddress.parse(text);
    } catch (AddressException e) {
      throw new IllegalArgumentException(text, e);
    }
  }
}
