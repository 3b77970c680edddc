package io.mailstream.queue.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Function;

/**
 * The fuzz target of the record codecs: every decoder a consumer runs on bytes it found in a topic
 * or in RocksDB (mail events, retry entries, body chunks, queue commands, configuration bundles).
 *
 * <p>In a normal test run, {@code @FuzzTest} replays the seed corpus in {@code
 * src/test/resources/io/mailstream/queue/codec/CodecFuzzTestInputs/anyRecord/} (the golden event
 * files and one record of each other kind); with {@code JAZZER_FUZZ=1} it fuzzes for {@code
 * maxDuration} and writes any failing input there.
 *
 * <p>What must hold whatever the bytes: a decoder either returns a value or throws {@link
 * CodecException}, the one exception its contract names, so that a consumer can dead-letter a
 * poison record instead of dying on it; never another exception, and never an allocation sized by
 * a length prefix rather than by the bytes there are (the JVM's heap is the fuzzer's limit). What
 * decodes encodes again to a record that decodes to an equal value, and whose encoding is the same
 * octets: the encoding is canonical, so a re-published record is the record that was read.
 */
class CodecFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void anyRecord(byte[] input) {
    check(input, EventCodec::decode, EventCodec::encode, e -> e);
    check(input, EventCodec::decodeRetry, EventCodec::encodeRetry, e -> e);
    // A chunk is a record around an array, equal only to itself: compare what it holds.
    check(input, BodyChunk::decode, BodyChunk::encode, c -> Arrays.asList(c.queueId(), c.seq(), ByteBuffer.wrap(c.data())));
    check(input, ControlCodec::decode, ControlCodec::encode, c -> c);
    check(input, ConfigBundle::decode, ConfigBundle::encode, b -> b);
  }

  private static <T> void check(
      byte[] input, Function<byte[], T> decode, Function<T, byte[]> encode, Function<T, Object> value) {
    T decoded;
    try {
      decoded = decode.apply(input);
    } catch (CodecException refused) {
      return;
    }
    byte[] again = encode.apply(decoded);
    T decodedAgain = decode.apply(again);
    assertEquals(value.apply(decoded), value.apply(decodedAgain));
    assertArrayEquals(again, encode.apply(decodedAgain));
  }
}
