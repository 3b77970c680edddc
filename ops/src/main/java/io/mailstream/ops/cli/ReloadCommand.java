package io.mailstream.ops.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code mailstream reload}: asks the running node to read its configuration and maps again. The
 * node validates everything first; a bad file is reported here as one line and the running
 * version stays.
 */
@Command(name = "reload", mixinStandardHelpOptions = true, description = "Reload the running node's configuration and maps.")
public final class ReloadCommand implements Callable<Integer> {
  @Option(names = "--data-dir", paramLabel = "DIR", description = "the node's data directory (default ./data)")
  Path dataDir = Path.of("data");

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    String address;
    try {
      address = Files.readString(dataDir.resolve("admin.address"), StandardCharsets.US_ASCII).strip();
    } catch (NoSuchFileException e) {
      spec.commandLine().getErr().println("mailstream: no running node found (" + dataDir.resolve("admin.address") + " is missing)");
      return 2;
    }
    HttpResponse<String> r =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
            .send(HttpRequest.newBuilder(URI.create("http://" + address + "/reload"))
                    .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
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
