package io.mailstream.ops.node;

/** The stages a node can run; each scales by running more nodes with it (consumer groups). */
public enum Stage {
  ingress,
  router,
  delivery
}
