package io.mailstream.ingress.session;

import io.mailstream.core.smtp.Reply;
import java.util.function.Function;

/**
 * The outcome of checking a command: either the parsed argument to proceed with, or the reply that
 * refuses the command. It keeps the check/proceed split readable when checking includes parsing.
 */
final class Checked<T> {
  private final T value;
  private final Reply refusal;

  private Checked(T value, Reply refusal) {
    this.value = value;
    this.refusal = refusal;
  }

  static <T> Checked<T> ok(T value) {
    return new Checked<>(value, null);
  }

  static <T> Checked<T> refuse(Reply refusal) {
    return new Checked<>(null, refusal);
  }

  /** The refusal, or what {@code proceed} replies to the accepted value. */
  Reply then(Function<T, Reply> proceed) {
    return refusal != null ? refusal : proceed.apply(value);
  }

  boolean refused() {
    return refusal != null;
  }

  Reply refusal() {
    return refusal;
  }

  T value() {
    return value;
  }
}
