package io.mailstream.ops.reload;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The current version of something built from configuration files (the rules), swapped as a
 * whole. Readers take one version with {@link #get()} and keep using it for the unit of work in
 * hand, so a message is handled under the version that started it, never a mix.
 */
public final class Reloadable<T> implements Supplier<T> {
  private final AtomicReference<Version<T>> current;

  public Reloadable(T initial) {
    current = new AtomicReference<>(new Version<>(1, initial));
  }

  /** The value with its version number, which starts at 1 and grows with every swap. */
  public record Version<T>(long number, T value) {}

  @Override
  public T get() {
    return current.get().value();
  }

  public Version<T> version() {
    return current.get();
  }

  /** Installs {@code next} as the new version; returns its number. */
  public long swap(T next) {
    return current.updateAndGet(v -> new Version<>(v.number() + 1, next)).number();
  }
}
