package io.mailstream.ops.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mailstream.core.config.ConfigBuilder;
import io.mailstream.core.config.MailstreamConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Listeners and the data directory are each process's own (README, "One data directory per
 * process"): a version another node published differs there as a matter of course and asks for no
 * restart, while the same change in this node's own files does.
 */
class NodeSettingsTest {
  private static MailstreamConfig node(String dataDir, String listen) throws Exception {
    return new ConfigBuilder().hostname("relay.test").dataDir(dataDir).listen(List.of(listen))
        .kafkaBootstrap("127.0.0.1:9092").build();
  }

  @Test
  void anotherNodesDataDirAndListenersAreNotThisNodesToChange() throws Exception {
    MailstreamConfig start = node("/srv/ms-a", "127.0.0.1:2525");
    NodeSettings settings = new NodeSettings(start, start);
    MailstreamConfig fromB = node("/srv/ms-b", "127.0.0.2:2525");

    assertEquals(List.of(), settings.restartNeeded(fromB, false), "B's own settings, published with its version");
    MailstreamConfig applied = settings.apply(fromB);
    assertEquals(Path.of("/srv/ms-a"), applied.dataDir());
    assertEquals(start.listen(), applied.listen());
  }

  @Test
  void theSameChangeInThisNodesOwnFilesWaitsForARestart() throws Exception {
    NodeSettings settings = new NodeSettings(node("/srv/ms-a", "127.0.0.1:2525"), node("/srv/ms-a", "127.0.0.1:2525"));
    assertEquals(List.of("listen changed; restart to apply", "data-dir changed; restart to apply"),
        settings.restartNeeded(node("/srv/ms-c", "127.0.0.1:2526"), true));
  }
}
