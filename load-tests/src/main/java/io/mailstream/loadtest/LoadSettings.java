package io.mailstream.loadtest;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

/** What one generator run sends; built by {@link LoadGenerator} from its options, or by tests. */
record LoadSettings(
    InetSocketAddress target,
    int messages,
    int connections,
    int size,
    int recipients,
    String from,
    String toDomain,
    boolean reuse,
    Duration timeout,
    String helo) {

  LoadSettings {
    if (messages < 1 || connections < 1 || recipients < 1 || size < 0) {
      throw new IllegalArgumentException("messages, connections and recipients must be positive");
    }
  }

  /** Defaults matching {@code bench-relay.sh}: 1 recipient, a new connection per message. */
  static LoadSettings of(InetSocketAddress target, int messages, int connections, int size) {
    return new LoadSettings(
        target, messages, connections, size, 1, "a@x.test", "y.test", false,
        Duration.ofSeconds(60), "loadgen.mailstream.test");
  }

  LoadSettings withReuse(boolean reuse) {
    return new LoadSettings(
        target, messages, connections, size, recipients, from, toDomain, reuse, timeout, helo);
  }

  LoadSettings withRecipients(int recipients) {
    return new LoadSettings(
        target, messages, connections, size, recipients, from, toDomain, reuse, timeout, helo);
  }

  /** The recipients of every message: r1@domain ... rR@domain. */
  List<String> recipientAddresses() {
    return IntStream.rangeClosed(1, recipients).mapToObj(i -> "r" + i + "@" + toDomain).toList();
  }

  String describe() {
    return String.format(
        "%s:%d, %d messages of %d octets, %d recipient(s), %d connections, %s",
        target.getHostString(), target.getPort(), messages, size, recipients, connections,
        reuse ? "connections reused" : "a new connection per message");
  }
}
