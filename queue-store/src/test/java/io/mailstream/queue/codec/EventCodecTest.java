package io.mailstream.queue.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.event.MailEvent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class EventCodecTest {

  static Stream<Arguments> events() {
    return GoldenEvents.all().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  static Stream<Arguments> version2() {
    return GoldenEvents.version2().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource({"events", "version2"})
  void roundTrips(String name, MailEvent event) {
    assertEquals(event, EventCodec.decode(EventCodec.encode(event)));
  }

  /**
   * Records written by version 1 stay in topics for days: every later Mailstream must decode the
   * golden files exactly. A version-1 RecipientRouted has no routing fingerprint and decodes with
   * null (routed under unknown rules, so its next retry is routed again).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("events")
  void decodesGoldenVersion1(String name, MailEvent event) throws IOException {
    byte[] golden = golden("/golden/v1/" + name + ".bin");
    assertEquals(1, golden[0], "golden files of directory v1 carry version byte 1");
    assertEquals(event, EventCodec.decode(golden));
  }

  /** Regenerate only for a new version, into a new directory, with -Dgolden.write=true. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("version2")
  void decodesGoldenVersion2(String name, MailEvent event) throws IOException {
    String resource = "/golden/v2/" + name + ".bin";
    if (Boolean.getBoolean("golden.write")) {
      Path out = Path.of("src/test/resources" + resource);
      Files.createDirectories(out.getParent());
      Files.write(out, EventCodec.encode(event));
    }
    byte[] golden = golden(resource);
    assertEquals(2, golden[0], "golden files of directory v2 carry version byte 2");
    assertEquals(event, EventCodec.decode(golden));
  }

  private byte[] golden(String resource) throws IOException {
    try (InputStream in = getClass().getResourceAsStream(resource)) {
      assertTrue(in != null, "missing golden file " + resource);
      return in.readAllBytes();
    }
  }

  @Test
  void writesVersion2() {
    assertEquals(2, EventCodec.encode(GoldenEvents.DELIVERED)[0]);
  }

  @Test
  void rejectsUnknownVersionClearly() {
    byte[] bytes = EventCodec.encode(GoldenEvents.DELIVERED);
    bytes[0] = 3;
    CodecException e = assertThrows(CodecException.class, () -> EventCodec.decode(bytes));
    assertEquals(
        "unknown event schema version 3 (this Mailstream reads versions 1 to 2); upgrade this node before"
            + " reading records written by a newer one",
        e.getMessage());
  }

  /** A version-1 reader knows no type 7; neither does this one inside a record marked version 1. */
  @Test
  void rerouteRequestedExistsOnlyInVersion2() {
    byte[] bytes = EventCodec.encode(GoldenEvents.REROUTE);
    bytes[0] = 1;
    assertEquals(
        "unknown event type 7 in schema version 1",
        assertThrows(CodecException.class, () -> EventCodec.decode(bytes)).getMessage());
  }

  @Test
  void rejectsUnknownTypeAndTruncation() {
    byte[] bytes = EventCodec.encode(GoldenEvents.BOUNCED);
    byte[] unknownType = bytes.clone();
    unknownType[1] = 99;
    assertEquals(
        "unknown event type 99 in schema version 2",
        assertThrows(CodecException.class, () -> EventCodec.decode(unknownType)).getMessage());
    byte[] truncated = Arrays.copyOf(bytes, bytes.length - 3);
    assertTrue(
        assertThrows(CodecException.class, () -> EventCodec.decode(truncated))
            .getMessage()
            .startsWith("record truncated"));
    byte[] trailing = Arrays.copyOf(bytes, bytes.length + 1);
    assertEquals(
        "1 unexpected trailing bytes",
        assertThrows(CodecException.class, () -> EventCodec.decode(trailing)).getMessage());
  }

  @Test
  void bodyChunkRoundTripsAndRefusesOversize() {
    byte[] data = new byte[BodyChunk.MAX_SIZE];
    Arrays.fill(data, (byte) 0xE9);
    BodyChunk decoded = BodyChunk.decode(new BodyChunk("q1", 7, data).encode());
    assertEquals("q1", decoded.queueId());
    assertEquals(7, decoded.seq());
    assertArrayEquals(data, decoded.data());
    assertThrows(IllegalArgumentException.class, () -> new BodyChunk("q1", 0, new byte[BodyChunk.MAX_SIZE + 1]));
    assertThrows(CodecException.class, () -> BodyChunk.decode(EventCodec.encode(GoldenEvents.DELIVERED)));
  }
}
