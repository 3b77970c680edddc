package io.mailstream.ops.reload;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGHUP asks for a reload, as it does of sendmail and most daemons. Java has no public signal
 * API; {@code sun.misc.Signal} (module jdk.unsupported, exported and kept for exactly this use) is
 * the way, but javac flags every mention of it as internal proprietary API, a warning that no
 * {@code @SuppressWarnings} silences and that {@code -Werror} turns into a failed build. So it is
 * reached by reflection, here only. Without it (another JVM, or {@code -Xrs}) the node still
 * reloads on file changes and {@code mailstream reload}, and says that SIGHUP does nothing.
 */
public final class Sighup {
  private static final Logger log = LoggerFactory.getLogger(Sighup.class);

  private Sighup() {}

  /**
   * Runs {@code onHangup} on every SIGHUP to this process, on the JVM's signal thread.
   *
   * @return whether the handler is installed
   */
  public static boolean install(Runnable onHangup) {
    try {
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> handler = Class.forName("sun.misc.SignalHandler");
      InvocationHandler call = (Object proxy, Method m, Object[] args) -> {
        if (m.getName().equals("handle")) {
          try {
            onHangup.run();
          } catch (RuntimeException e) {
            log.error("reload on SIGHUP failed: {}", e.toString());
          }
          return null;
        }
        // Object's methods, should the JVM ever call them on the handler.
        return switch (m.getName()) {
          case "hashCode" -> System.identityHashCode(proxy);
          case "equals" -> proxy == args[0];
          default -> "SIGHUP reload handler";
        };
      };
      Object proxy = Proxy.newProxyInstance(Sighup.class.getClassLoader(), new Class<?>[] {handler}, call);
      Object hup = signal.getConstructor(String.class).newInstance("HUP");
      signal.getMethod("handle", signal, handler).invoke(null, hup, proxy);
      return true;
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      log.warn("SIGHUP cannot be handled in this JVM ({}); use 'mailstream reload' instead", e.toString());
      return false;
    }
  }
}
