package io.mailstream.queue.topic;

import java.util.Objects;

/**
 * What a Kafka client of a node does, as the brokers (request logs, quotas) and the node's metrics
 * ({@code client_id}) name it: its role, and for a worker of a stage its worker id (node id and
 * index). {@link KafkaClients} makes the client id from it, with the node's host name in front.
 *
 * @param role what the client is for: {@code ingress}, {@code router}, {@code delivery-outcomes}
 * @param worker the worker's id, or null for a client the node has once: then the node id
 */
public record ClientName(String role, String worker) {
  public ClientName {
    Objects.requireNonNull(role, "role");
  }

  /** A client the node has once (or once per command run). */
  public static ClientName of(String role) {
    return new ClientName(role, null);
  }

  /** A client of one worker of a stage. */
  public static ClientName worker(String role, String workerId) {
    return new ClientName(role, Objects.requireNonNull(workerId, "workerId"));
  }
}
