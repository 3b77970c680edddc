package io.mailstream.ops.node;

import io.mailstream.queue.testkit.TestKafka;

/** The end-to-end relay on the real in-process KRaft broker. */
class EmbeddedKafkaRelayTest extends RelayEndToEndTest {
  @Override
  String bootstrap() {
    return TestKafka.bootstrap();
  }
}
