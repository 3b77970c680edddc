package io.mailstream.queue.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mailstream.core.event.QueueCommand;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Damaged records that {@link CodecFuzzTest} found decoders failing on with an exception other than
 * {@link CodecException}, which consumers do not catch: each would have stopped a worker (or the
 * queue listing) on a single poison record instead of dead-lettering or skipping it. Their fuzzer
 * inputs are in the seed corpus under the same names.
 */
class DamagedRecordsTest {

  /** queue-command-null-queue-id: a queue id encoded as null made QueueCommand throw NPE. */
  @Test
  void queueCommandWithANullQueueIdIsDamaged() {
    byte[] record = new BinaryWriter().writeByte(1).writeByte(48).writeByte(1)
        .list(Arrays.asList("4fGhq2", null), BinaryWriter::string)
        .string("relay.test (root)").varint(1_700_000_000_000L).toByteArray();
    CodecException e = assertThrows(CodecException.class, () -> ControlCodec.decode(record));
    assertEquals("record damaged: NullPointerException", e.getMessage());
  }

  /**
   * body-chunk-null-queue-id (found by CI's fuzzing): a chunk whose queue id is encoded as null
   * decoded, and encoding it again threw NullPointerException.
   */
  @Test
  void bodyChunkWithANullQueueIdIsDamaged() {
    byte[] record = new BinaryWriter().writeByte(1).writeByte(BodyChunk.TYPE).string(null).varint(0)
        .bytes(new byte[] {'x'}).toByteArray();
    CodecException e = assertThrows(CodecException.class, () -> BodyChunk.decode(record));
    assertEquals("record damaged: queueId", e.getMessage());
  }

  /** An address with an empty domain, which MailAddress refuses with IllegalArgumentException. */
  @Test
  void eventWithAnEmptyDomainIsDamaged() {
    byte[] record = new BinaryWriter().writeByte(2).writeByte(4)
        .string("4fGhq2").string("carol").string("").string("mx.corp.example")
        .varint(250).string("2.0.0").list(List.of("Ok"), BinaryWriter::string)
        .varint(1).varint(2).toByteArray();
    CodecException e = assertThrows(CodecException.class, () -> EventCodec.decode(record));
    assertEquals("record damaged: empty domain", e.getMessage());
  }

  /**
   * Seen while writing the target, not by it (it cannot forge SHA-256, but anyone who writes the
   * config topic can compute one): a bundle's map name is written as a file name under the node's
   * configuration directory, so a name like {@code ../../x} wrote outside it. Only routing keys are
   * read now; this record's hash is right, so only the name refuses it.
   */
  @Test
  void configBundleWithAPathForAMapNameIsDamaged() throws Exception {
    for (String name : new String[] {"../../x", "maps/x", "", ".", "Mailertable"}) {
      byte[] content = new BinaryWriter().string("hostname: gw.test\n")
          .list(List.of(name), (out, n) -> out.string(n).bytes("x RELAY\n".getBytes(StandardCharsets.UTF_8)))
          .toByteArray();
      String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
      byte[] header = new BinaryWriter().writeByte(1).writeByte(32).string(hash).string("gw.test").varint(1).toByteArray();
      byte[] record = Arrays.copyOf(header, header.length + content.length);
      System.arraycopy(content, 0, record, header.length, content.length);
      CodecException e = assertThrows(CodecException.class, () -> ConfigBundle.decode(record), name);
      assertEquals("record damaged: map name is not a routing key: " + name, e.getMessage());
    }
  }

  /**
   * config-bundle-length-near-int-max: the bounds check added the length prefix to the position and
   * overflowed, so a string "of" 2^31-2 octets reached String's constructor and threw
   * StringIndexOutOfBoundsException.
   */
  @Test
  void lengthPrefixNearIntMaxIsTruncation() {
    byte[] record = new BinaryWriter().writeByte(1).writeByte(32).string("ab").varint(Integer.MAX_VALUE)
        .toByteArray();
    CodecException e = assertThrows(CodecException.class, () -> ConfigBundle.decode(record));
    assertEquals("record truncated at offset 10", e.getMessage());
  }

  /**
   * config-bundle-varint-beyond-63-bits: a tenth varint octet with bits set decoded to a negative
   * long, which became a list of -1 items (ArrayList threw IllegalArgumentException) or a field no
   * encoder can write again.
   */
  @Test
  void varintBeyond63BitsIsRefused() {
    byte[] minusOne = {-1, -1, -1, -1, -1, -1, -1, -1, -1, 1};
    CodecException e = assertThrows(CodecException.class, () -> new BinaryReader(minusOne, 0).varint());
    assertEquals("varint beyond 63 bits at offset 9", e.getMessage());
    byte[] max = {-1, -1, -1, -1, -1, -1, -1, -1, 127};
    assertEquals(Long.MAX_VALUE, new BinaryReader(max, 0).varint());
    byte[] overlongZero = {-128, -128, -128, -128, -128, -128, -128, -128, -128, 0};
    assertEquals(0, new BinaryReader(overlongZero, 0).varint());
    byte[] bundle = new byte[2 + 10];
    bundle[0] = 1;
    bundle[1] = 32;
    System.arraycopy(minusOne, 0, bundle, 2, 10);
    assertThrows(CodecException.class, () -> ConfigBundle.decode(bundle));
  }
}
