package io.mailstream.delivery.worker;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
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
 */
final class AcknowledgedSends {
  private final AtomicReference<Exception> failed = new AtomicReference<>();
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
      Callback ours = (metadata, exception) -> {
        if (exception != null) {
          failed.compareAndSet(null, exception);
        }
        if (theirs != null) {
          theirs.onCompletion(metadata, exception);
        }
      };
      @SuppressWarnings("unchecked")
      ProducerRecord<String, byte[]> record = (ProducerRecord<String, byte[]>) args[0];
      return delegate.send(record, ours);
    }
    try {
      return method.invoke(delegate, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
