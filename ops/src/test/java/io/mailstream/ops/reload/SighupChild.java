package io.mailstream.ops.reload;

/**
 * The child JVM of {@link SighupTest}: installs the SIGHUP handler, says so, and prints a line for
 * every hangup until it has seen two.
 */
public final class SighupChild {
  private SighupChild() {}

  public static void main(String[] args) throws InterruptedException {
    java.util.concurrent.CountDownLatch two = new java.util.concurrent.CountDownLatch(2);
    boolean installed = Sighup.install(() -> {
      System.out.println("reload requested");
      System.out.flush();
      two.countDown();
    });
    System.out.println(installed ? "ready" : "not installed");
    System.out.flush();
    if (installed && !two.await(60, java.util.concurrent.TimeUnit.SECONDS)) {
      System.exit(3);
    }
  }
}
