package io.mailstream.ops.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;

/** Talks to a running node's admin endpoint; requests that change something carry its token. */
final class NodeClient {
  private final String address;
  private final Path tokenFile;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  NodeClient(String address, Path tokenFile) {
    this.address = address;
    this.tokenFile = tokenFile;
  }

  /** A GET of {@code pathAndQuery} ({@code /queue?domain=x}). */
  HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException, NodeOptions.NodeNotFound {
    return send(HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(60)).GET());
  }

  /** A POST with the admin token as a bearer header. */
  HttpResponse<String> post(String pathAndQuery) throws IOException, InterruptedException, NodeOptions.NodeNotFound {
    String token;
    try {
      token = Files.readString(tokenFile).strip();
    } catch (NoSuchFileException e) {
      throw new NodeOptions.NodeNotFound("no admin token (" + tokenFile + " is missing)");
    }
    return send(HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(120))
        .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()));
  }

  private HttpResponse<String> send(HttpRequest.Builder request)
      throws IOException, InterruptedException, NodeOptions.NodeNotFound {
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      throw new NodeOptions.NodeNotFound("no node answers at " + address + " (" + e + ")");
    }
  }

  private URI uri(String pathAndQuery) {
    return URI.create("http://" + address + pathAndQuery);
  }
}
