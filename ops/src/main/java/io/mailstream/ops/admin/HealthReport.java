package io.mailstream.ops.admin;

/**
 * What {@code GET /health} answers: 200 while every stage of the node can run, 503 while one is
 * down (its ingress then answers 451 to new mail); the text has one line per stage worker.
 */
public record HealthReport(boolean ok, String text) {}
