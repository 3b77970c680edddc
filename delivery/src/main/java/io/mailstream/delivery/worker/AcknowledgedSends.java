package io.mailstream.delivery.worker;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;

/**
 * Remembers whether every record a worker sent was stored. {@code flush()} waits for sends but
 * never says that one failed, so without this a worker could commit its input offsets past an
 * outcome, a retry-state change or a DSN that Kafka never took, and the mail would be neither
 * retried nor bounced. Every send through {@link #producer} reports here; {@link #check} throws
 * the first failure since the last check.
 *
 * <p>Sends are numbered, so that a worker can commit an input offset as soon as everything it sent
 * before finishing that record is acknowledged ({@link #lastSent}, {@link #storedUpTo}), without
 * stopping to flush: the time between a delivery and its commit, which a crash turns into
 * duplicates, is then one acknowledgement and one commit. Numbers are taken on the sending
 * thread, and a worker sends from its own thread only, which is where it reads them.
 */
final class AcknowledgedSends {
  private final AtomicReference<Exception> failed = new AtomicReference<>();
  private final AtomicLong sent = new AtomicLong();
  // Numbers of the sends not yet answered. A failed one leaves it too: check() reports it.
  private final ConcurrentSkipListSet<Long> unanswered = new ConcurrentSkipListSet<>();
  private final Producer<String, byte[]> producer;

  @SuppressWarnings("unchecked")
  AcknowledgedSends(Producer<String, byte[]> delegate) {
    // A dynamic proxy rather than a hand-written delegate: the Producer interface grows with
    // Kafka releases, and only send() needs anything of ours.
    InvocationHandler handler = (proxy, method, args) -> invoke(delegate, method, args);
    this.producer =
        (Producer<String, byte[]>)
            Proxy.newProxyInstance(Producer.class.getClassLoader(), new Class<?>[] {Producer.class}, handler);
  }

  /** The producer to send through. */
  Producer<String, byte[]> producer() {
    return producer;
  }

  /** The number of the last record sent so far (0 before the first). */
  long lastSent() {
    return sent.get();
  }

  /**
   * Every record numbered up to this one has been answered: stored, or failed and reported by the
   * next {@link #check}. Read it before that check.
   */
  long storedUpTo() {
    // Read before the set: a send numbered after this read cannot lower the answer below it.
    long last = sent.get();
    Long first = unanswered.ceiling(Long.MIN_VALUE);
    return first == null ? last : Math.min(last, first - 1);
  }

  /**
   * Throws the first send failure since the last call, after {@code flush()} has waited for them.
   *
   * @throws KafkaException when a record was not stored
   */
  void check() {
    Exception e = failed.getAndSet(null);
    if (e != null) {
      throw new KafkaException("a record was not stored: " + e, e);
    }
  }

  private Object invoke(Producer<String, byte[]> delegate, Method method, Object[] args) throws Throwable {
    if (method.getName().equals("send") && args != null && args.length >= 1 && args[0] instanceof ProducerRecord) {
      Callback theirs = args.length == 2 ? (Callback) args[1] : null;
      long number = sent.incrementAndGet();
      unanswered.add(number);
      Callback ours = (metadata, exception) -> {
        if (exception != null) {
          failed.compareAndSet(null, exception);
        }
        unanswered.remove(number);
        if (theirs != null) {
          theirs.onCompletion(metadata, exception);
        }
      };
      @SuppressWarnings("unchecked")
      ProducerRecord<String, byte[]> record = (ProducerRecord<String, byte[]>) args[0];
      try {
        return delegate.send(record, ours);
      } catch (RuntimeException e) {
        // Thrown, not called back (a closed producer, an interrupt): answered all the same.
        failed.compareAndSet(null, e);
        unanswered.remove(number);
        throw e;
      }
    }
    try {
      return method.invoke(delegate, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
