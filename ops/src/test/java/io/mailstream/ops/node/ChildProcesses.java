package io.mailstream.ops.node;

/**
 * A test's child JVMs (brokers, nodes) outlive it unless someone kills them: the JVM does not,
 * even when the build stops the test's own JVM. Those registered here are killed when it exits.
 */
final class ChildProcesses {
  private ChildProcesses() {}

  static void killOnExit(Process child) {
    Runtime.getRuntime().addShutdownHook(new Thread(child::destroyForcibly, "kill-child-" + child.pid()));
  }
}
