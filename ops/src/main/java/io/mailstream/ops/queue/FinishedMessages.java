package io.mailstream.ops.queue;

import io.mailstream.queue.codec.CodecException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The messages of the queue view that have left the queue (delivered, bounced, deleted), on disk
 * in RocksDB rather than on the heap: a relay passing hundreds of messages a second keeps days of
 * them for {@code show}, {@code mailq --all} and replay, and on the heap they would fill it within
 * minutes. Only mail still queued stays in memory ({@link QueueIndex}).
 *
 * <p>Like the rest of the view it is derived from the topics: it starts empty at every start and
 * is filled again as the follower reads them, so writes are neither synced nor logged, and a
 * crash loses nothing that is not read again. Messages are also kept by arrival, so that those
 * the topics no longer hold are forgotten without a scan.
 */
final class FinishedMessages implements AutoCloseable {
  static {
    RocksDB.loadLibrary();
  }

  private static final Logger log = LoggerFactory.getLogger(FinishedMessages.class);
  // The view is read by people, not by the message path: a small memtable keeps the node's
  // footprint down, a Bloom filter keeps the look-up of a new message's id (a miss) cheap.
  private static final long WRITE_BUFFER_BYTES = 8L * 1024 * 1024;

  private final DBOptions options;
  private final ColumnFamilyOptions cfOptions;
  private final RocksDB db;
  private final List<ColumnFamilyHandle> handles = new ArrayList<>();
  private final ColumnFamilyHandle messages;
  private final ColumnFamilyHandle arrivals;
  private final WriteOptions writeOptions = new WriteOptions().setDisableWAL(true);
  // RocksJava does not guard a closed handle: a query racing the node's stop must fail, not crash the JVM.
  private boolean closed;

  private FinishedMessages(Path dir) throws RocksDBException {
    options = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
    cfOptions = new ColumnFamilyOptions().setWriteBufferSize(WRITE_BUFFER_BYTES)
        .setTableFormatConfig(new BlockBasedTableConfig().setFilterPolicy(new BloomFilter(10)));
    db = RocksDB.open(options, dir.toString(), List.of(
        new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions),
        new ColumnFamilyDescriptor("messages".getBytes(StandardCharsets.UTF_8), cfOptions),
        new ColumnFamilyDescriptor("arrivals".getBytes(StandardCharsets.UTF_8), cfOptions)), handles);
    messages = handles.get(1);
    arrivals = handles.get(2);
  }

  /**
   * Opens an empty store in {@code dir}, removing what a previous run left there: the follower
   * reads the topics from their start again.
   */
  static FinishedMessages openEmpty(Path dir) {
    try {
      if (Files.exists(dir)) {
        try (Options o = new Options()) {
          RocksDB.destroyDB(dir.toString(), o);
        }
      }
      Files.createDirectories(dir);
      return new FinishedMessages(dir);
    } catch (Exception e) {
      throw new IllegalStateException("cannot open the queue view's store in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Keeps {@code m}, replacing what was kept under its queue id. */
  void put(QueuedMessage m) {
    open();
    byte[] id = id(m.queueId);
    try (WriteBatch batch = new WriteBatch()) {
      batch.put(messages, id, QueuedMessageCodec.encode(m));
      batch.put(arrivals, arrivalKey(arrival(m), id), new byte[0]);
      db.write(writeOptions, batch);
    } catch (RocksDBException e) {
      throw new IllegalStateException("queue view store write failed: " + e.getMessage(), e);
    }
  }

  /** The message kept under {@code queueId}, if any (a copy: changing it changes nothing kept). */
  Optional<QueuedMessage> get(String queueId) {
    open();
    try {
      byte[] v = db.get(messages, id(queueId));
      return v == null ? Optional.empty() : Optional.ofNullable(decode(queueId, v));
    } catch (RocksDBException e) {
      throw new IllegalStateException("queue view store read failed: " + e.getMessage(), e);
    }
  }

  /** Removes {@code m} (it is back in the queue, or in memory again to take an event). */
  void remove(QueuedMessage m) {
    open();
    byte[] id = id(m.queueId);
    try (WriteBatch batch = new WriteBatch()) {
      batch.delete(messages, id);
      batch.delete(arrivals, arrivalKey(arrival(m), id));
      db.write(writeOptions, batch);
    } catch (RocksDBException e) {
      throw new IllegalStateException("queue view store write failed: " + e.getMessage(), e);
    }
  }

  /** Hands every kept message to {@code each}, in arrival order. */
  void forEach(Consumer<QueuedMessage> each) {
    open();
    try (RocksIterator it = db.newIterator(arrivals)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        byte[] id = Arrays.copyOfRange(it.key(), Long.BYTES, it.key().length);
        get(new String(id, StandardCharsets.UTF_8)).ifPresent(each);
      }
    }
  }

  /** Forgets the messages that arrived before {@code beforeMillis}; returns how many. */
  int forget(long beforeMillis) {
    open();
    int n = 0;
    try (RocksIterator it = db.newIterator(arrivals); WriteBatch batch = new WriteBatch()) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        byte[] key = it.key();
        if (ByteBuffer.wrap(key).getLong() >= beforeMillis) {
          break;
        }
        batch.delete(arrivals, key);
        batch.delete(messages, Arrays.copyOfRange(key, Long.BYTES, key.length));
        n++;
      }
      db.write(writeOptions, batch);
    } catch (RocksDBException e) {
      throw new IllegalStateException("queue view store write failed: " + e.getMessage(), e);
    }
    return n;
  }

  private static QueuedMessage decode(String queueId, byte[] v) {
    try {
      return QueuedMessageCodec.decode(v);
    } catch (CodecException e) {
      // Written by this very process moments ago: unreadable means a bug, not bad input; the
      // listing goes on without it rather than failing every query.
      log.warn("queue view: the kept record of {} cannot be read: {}", queueId, e.getMessage());
      return null;
    }
  }

  // Messages whose accepted event is not read yet sort first: they are never kept here anyway.
  private static long arrival(QueuedMessage m) {
    return m.accepted == null ? 0 : Math.max(0, m.accepted.acceptedAtMillis());
  }

  private static byte[] id(String queueId) {
    return queueId.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] arrivalKey(long arrival, byte[] id) {
    return ByteBuffer.allocate(Long.BYTES + id.length).putLong(arrival).put(id).array();
  }

  private void open() {
    if (closed) {
      throw new IllegalStateException("the queue view is closed: the node is stopping");
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (ColumnFamilyHandle h : handles) {
      h.close();
    }
    db.close();
    options.close();
    cfOptions.close();
    writeOptions.close();
  }
}
