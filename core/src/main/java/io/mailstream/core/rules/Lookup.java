package io.mailstream.core.rules;

import java.util.Optional;

/**
 * The tri-state answer of a look-up that may fail: a match, no match, or a temporary failure (an
 * unreadable map, a DNS time-out) that must never be taken for "no match", because that could
 * route mail somewhere it must not go.
 */
public sealed interface Lookup<T> {

  record Found<T>(T value) implements Lookup<T> {}

  record NotFound<T>() implements Lookup<T> {}

  record TempFail<T>(String reason) implements Lookup<T> {}

  static <T> Lookup<T> found(T value) {
    return new Found<>(value);
  }

  static <T> Lookup<T> notFound() {
    return new NotFound<>();
  }

  static <T> Lookup<T> tempFail(String reason) {
    return new TempFail<>(reason);
  }

  default Optional<T> found() {
    return this instanceof Found<T> f ? Optional.of(f.value()) : Optional.empty();
  }
}
