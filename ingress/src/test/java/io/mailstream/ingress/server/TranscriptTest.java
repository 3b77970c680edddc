package io.mailstream.ingress.server;

import io.mailstream.core.envelope.QueueId;
import io.mailstream.ingress.session.Policy;
import io.mailstream.ingress.testing.MemoryPublisher;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Plays every transcript in {@code src/test/resources/transcripts} through the Netty pipeline in
 * an {@code EmbeddedChannel} (input whole, byte by byte, and in random pieces) and over a real
 * socket to a running {@link IngressServer}.
 */
class TranscriptTest {

  enum Via {
    EMBEDDED_WHOLE,
    EMBEDDED_BYTES,
    EMBEDDED_RANDOM,
    SOCKET
  }

  static Stream<Arguments> transcripts() throws Exception {
    List<Arguments> all = new ArrayList<>();
    try (Stream<Path> files = Files.list(Path.of("src/test/resources/transcripts"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".cmy")).sorted().toList()) {
        Transcript t = Transcript.load(file);
        for (Via via : Via.values()) {
          all.add(Arguments.of(t, via));
        }
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} via {1}")
  @MethodSource("transcripts")
  void play(Transcript t, Via via) throws Exception {
    try (MemoryPublisher publisher = new MemoryPublisher(t.mode)) {
      ServerContext context =
          new ServerContext(
              t.config, publisher, Clock.systemUTC(), QueueId::next, t.idle, SessionSetup.fixed(t.config, Policy.of(t.config, t.rules, t.access)));
      switch (via) {
        case EMBEDDED_WHOLE -> embedded(t, context, publisher, EmbeddedWire.Split.WHOLE);
        case EMBEDDED_BYTES -> embedded(t, context, publisher, EmbeddedWire.Split.BYTES);
        case EMBEDDED_RANDOM -> embedded(t, context, publisher, EmbeddedWire.Split.RANDOM);
        case SOCKET -> socket(t, publisher);
      }
    }
  }

  private static void embedded(
      Transcript t, ServerContext context, MemoryPublisher publisher, EmbeddedWire.Split split)
      throws Exception {
    try (EmbeddedWire wire = new EmbeddedWire(context, new InetSocketAddress(t.client, 40000), split)) {
      t.play(wire, publisher);
    }
  }

  private static void socket(Transcript t, MemoryPublisher publisher) throws Exception {
    try (IngressServer server =
        IngressServer.builder()
            .config(t.config)
            .publisher(publisher)
            .rules(t.rules)
            .access(t.access)
            .idleTimeout(t.idle)
            // As in the embedded channel: the transcripts are about the session, not client names.
            .clientNames(ClientNames.none())
            .build()
            .start()) {
      try (SocketWire wire = new SocketWire(server.boundAddresses().get(0), t.client)) {
        t.play(wire, publisher);
      }
    }
  }
}
