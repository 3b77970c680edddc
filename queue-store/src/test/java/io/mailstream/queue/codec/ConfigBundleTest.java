package io.mailstream.queue.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The config topic's record: round trip, a stable hash, and refusals of what it cannot trust. */
class ConfigBundleTest {
  static final ConfigBundle BUNDLE =
      new ConfigBundle("hostname: gw.test\n",
          List.of(new ConfigBundle.MapText("mailertable", ".corp.example relay:[mx]\n".getBytes(StandardCharsets.UTF_8)),
              new ConfigBundle.MapText("access", "Connect:10 RELAY\n".getBytes(StandardCharsets.UTF_8))),
          "node-a", 1_700_000_000_000L);

  @Test
  void roundTripsAndSortsFiles() {
    ConfigBundle back = ConfigBundle.decode(BUNDLE.encode());
    assertEquals(BUNDLE, back);
    assertEquals(List.of("access", "mailertable"), back.files().stream().map(ConfigBundle.MapText::name).toList());
  }

  @Test
  void hashCoversContentOnly() {
    ConfigBundle elsewhere = new ConfigBundle(BUNDLE.yaml(), List.copyOf(BUNDLE.files()), "node-b", 5);
    assertEquals(BUNDLE.hash(), elsewhere.hash());
    ConfigBundle changed = new ConfigBundle("hostname: other.test\n", BUNDLE.files(), "node-a", 1);
    assertNotEquals(BUNDLE.hash(), changed.hash());
    assertEquals(12, BUNDLE.shortHash().length());
  }

  @Test
  void goldenVersionOneDecodes() {
    assertEquals(GOLDEN_HEX, HexFormat.of().formatHex(BUNDLE.encode()));
    assertEquals(BUNDLE, ConfigBundle.decode(HexFormat.of().parseHex(GOLDEN_HEX)));
  }

  @Test
  void refusesDamageAndUnknownVersions() {
    byte[] encoded = BUNDLE.encode();
    byte[] damaged = encoded.clone();
    damaged[damaged.length - 3] ^= 1;
    CodecException e = assertThrows(CodecException.class, () -> ConfigBundle.decode(damaged));
    assertTrue(e.getMessage().startsWith("configuration record damaged"), e.getMessage());
    byte[] v2 = encoded.clone();
    v2[0] = 2;
    e = assertThrows(CodecException.class, () -> ConfigBundle.decode(v2));
    assertTrue(e.getMessage().startsWith("unknown configuration format version 2"), e.getMessage());
  }

  // Version 1 as written today (docs/events.md); every later version must still read it.
  static final String GOLDEN_HEX =
      "012041326639336236393866623734303661656661656638376134633361336364626263646133636265386165306364"
          + "66656331326438366431663138666334383731076e6f64652d6180d095ffbc3113686f73746e616d653a2067772e7465"
          + "73740a020761636365737311436f6e6e6563743a31302052454c41590a0c6d61696c65727461626c65192e636f72702e"
          + "6578616d706c652072656c61793a5b6d785d0a";
}
