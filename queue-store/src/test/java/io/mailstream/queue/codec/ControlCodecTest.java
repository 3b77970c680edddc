package io.mailstream.queue.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.event.QueueCommand;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** The control topic's record: every verb round trips, version 1 stays readable, the rest is refused. */
class ControlCodecTest {
  static final QueueCommand HOLD =
      new QueueCommand(QueueCommand.Verb.HOLD, List.of("4fGhq2", "4fGhq3"), "relay.test (root)", 1_700_000_000_000L);

  @ParameterizedTest
  @EnumSource(QueueCommand.Verb.class)
  void everyVerbRoundTrips(QueueCommand.Verb verb) {
    QueueCommand c = new QueueCommand(verb, List.of("a", "b", "c"), "node", 42);
    assertEquals(c, ControlCodec.decode(ControlCodec.encode(c)));
  }

  @Test
  void goldenVersionOneDecodes() {
    assertEquals(GOLDEN_HEX, HexFormat.of().formatHex(ControlCodec.encode(HOLD)));
    assertEquals(HOLD, ControlCodec.decode(HexFormat.of().parseHex(GOLDEN_HEX)));
  }

  @Test
  void refusesOtherVersionsTypesVerbsAndDamage() {
    byte[] encoded = ControlCodec.encode(HOLD);
    byte[] v2 = encoded.clone();
    v2[0] = 2;
    CodecException e = assertThrows(CodecException.class, () -> ControlCodec.decode(v2));
    assertTrue(e.getMessage().startsWith("unknown queue command format version 2"), e.getMessage());
    byte[] mail = encoded.clone();
    mail[1] = 1;
    assertThrows(CodecException.class, () -> ControlCodec.decode(mail));
    byte[] verb = encoded.clone();
    verb[2] = 9;
    e = assertThrows(CodecException.class, () -> ControlCodec.decode(verb));
    assertEquals("unknown queue command verb 9", e.getMessage());
    byte[] cut = java.util.Arrays.copyOf(encoded, encoded.length - 2);
    assertThrows(CodecException.class, () -> ControlCodec.decode(cut));
  }

  // Version 1 as written today (docs/events.md, "Queue control"); every later version must read it.
  static final String GOLDEN_HEX =
      "0130010207346647687132073466476871331272656c61792e746573742028726f6f742980d095ffbc31";
}
