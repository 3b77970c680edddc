package io.mailstream.ops.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailstream.core.config.ConfigBuilder;
import io.mailstream.core.config.MailstreamConfig;
import io.mailstream.core.config.SubmitSettings;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sendmail command's socket and offline mode are bound at start: a reload only says so. */
class NodeSettingsSubmitTest {
  private static MailstreamConfig config(String offline) throws Exception {
    return new ConfigBuilder().hostname("relay.test").dataDir("/srv/ms").listen(List.of("127.0.0.1:0"))
        .submitOffline(offline).build();
  }

  @Test
  void aChangedSubmitSectionWaitsForARestartAndTheRunningOneStays() throws Exception {
    MailstreamConfig start = config("spool");
    NodeSettings node = new NodeSettings(start, start);
    MailstreamConfig next = config("tempfail");
    assertTrue(node.restartNeeded(next, true).contains("submit changed; restart to apply"), node.restartNeeded(next, true).toString());
    MailstreamConfig applied = node.apply(next);
    assertEquals(SubmitSettings.Offline.SPOOL, applied.submit().offline());
    assertEquals(Path.of("/srv/ms/submit.sock"), applied.submitSocket());
    assertEquals(List.of(), node.restartNeeded(config("spool"), true));
  }
}
