package io.mailstream.ops.cli;

import java.net.http.HttpResponse;
import picocli.CommandLine.Command;

/**
 * {@code mailstream reload}: asks the running node to read its configuration and maps again. The
 * node validates everything first; a bad file is reported here as one line and the running
 * version stays.
 */
@Command(name = "reload", mixinStandardHelpOptions = true, description = "Reload the running node's configuration and maps.",
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:reloaded", "1:the node refused the new configuration (or the token)", "2:no running node found"})
public final class ReloadCommand extends QueueVerb {
  @Override
  int run(NodeClient client) throws Exception {
    HttpResponse<String> r = client.post("/reload");
    if (r.statusCode() == 200) {
      spec.commandLine().getOut().print(r.body());
      spec.commandLine().getOut().flush();
      return 0;
    }
    spec.commandLine().getErr().print("mailstream: reload refused: " + r.body());
    spec.commandLine().getErr().flush();
    return 1;
  }
}
