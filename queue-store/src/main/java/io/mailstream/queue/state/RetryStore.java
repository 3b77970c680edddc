package io.mailstream.queue.state;

import io.mailstream.queue.codec.EventCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The delivery stage's retry state in RocksDB: deferred deliveries by key, and an index by next
 * attempt time so that the scheduler finds what is due without scanning everything. Entries are
 * grouped by the routed-topic partition they came from, because that partition's owner is the
 * only worker that may retry them.
 *
 * <p>This is a view, not the record: every change also goes to the compacted changelog topic
 * ({@link RetryChangelog}), from which a partition's entries are rebuilt when it moves to another
 * worker or the disk is lost. Writes are therefore not synced.
 */
public final class RetryStore implements AutoCloseable {
  static {
    RocksDB.loadLibrary();
  }

  private final DBOptions options;
  private final ColumnFamilyOptions cfOptions;
  private final RocksDB db;
  private final ColumnFamilyHandle entries;
  private final ColumnFamilyHandle due;
  private final List<ColumnFamilyHandle> handles = new ArrayList<>();
  private final WriteOptions writeOptions = new WriteOptions();
  // Which worker holds each partition's entries: the node's delivery workers share this store, and
  // one that notices late that it lost a partition must not clear what the next holder has
  // restored since. Guarded by itself; taken and given up only on rebalances.
  private final Map<Integer, Object> holders = new HashMap<>();

  private RetryStore(Path dir) throws RocksDBException {
    options = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
    cfOptions = new ColumnFamilyOptions();
    List<ColumnFamilyDescriptor> families =
        List.of(
            new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions),
            new ColumnFamilyDescriptor("entries".getBytes(StandardCharsets.UTF_8), cfOptions),
            new ColumnFamilyDescriptor("due".getBytes(StandardCharsets.UTF_8), cfOptions));
    db = RocksDB.open(options, dir.toString(), families, handles);
    entries = handles.get(1);
    due = handles.get(2);
  }

  /** Opens (creating if needed) the store in {@code dir}. */
  public static RetryStore open(Path dir) {
    try {
      Files.createDirectories(dir);
      return new RetryStore(dir);
    } catch (Exception e) {
      throw new IllegalStateException("cannot open retry state in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Adds or replaces the entry for its key in {@code partition}. */
  public void put(int partition, RetryEntry entry) {
    byte[] key = entryKey(partition, entry.key());
    try (WriteBatch batch = new WriteBatch()) {
      get(partition, entry.key()).ifPresent(old -> deleteDue(batch, partition, old));
      batch.put(entries, key, EventCodec.encodeRetry(entry));
      batch.put(due, dueKey(partition, entry.nextAttemptAtMillis(), entry.key()), new byte[0]);
      db.write(writeOptions, batch);
    } catch (RocksDBException e) {
      throw new IllegalStateException("retry state write failed: " + e.getMessage(), e);
    }
  }

  /** Removes the entry for {@code key}, if any. */
  public void remove(int partition, String key) {
    try (WriteBatch batch = new WriteBatch()) {
      Optional<RetryEntry> old = get(partition, key);
      if (old.isEmpty()) {
        return;
      }
      deleteDue(batch, partition, old.get());
      batch.delete(entries, entryKey(partition, key));
      db.write(writeOptions, batch);
    } catch (RocksDBException e) {
      throw new IllegalStateException("retry state delete failed: " + e.getMessage(), e);
    }
  }

  public Optional<RetryEntry> get(int partition, String key) {
    try {
      byte[] v = db.get(entries, entryKey(partition, key));
      return v == null ? Optional.empty() : Optional.of(EventCodec.decodeRetry(v));
    } catch (RocksDBException e) {
      throw new IllegalStateException("retry state read failed: " + e.getMessage(), e);
    }
  }

  /** Entries of {@code partition} whose next attempt is at or before {@code nowMillis}, earliest first. */
  public List<RetryEntry> due(int partition, long nowMillis, int max) {
    List<RetryEntry> out = new ArrayList<>();
    byte[] prefix = ByteBuffer.allocate(4).putInt(partition).array();
    try (RocksIterator it = db.newIterator(due)) {
      for (it.seek(prefix); it.isValid() && out.size() < max; it.next()) {
        ByteBuffer k = ByteBuffer.wrap(it.key());
        if (k.getInt() != partition || k.getLong() > nowMillis) {
          break;
        }
        String key = new String(Arrays.copyOfRange(it.key(), 12, it.key().length), StandardCharsets.UTF_8);
        get(partition, key).ifPresent(out::add);
      }
    }
    return out;
  }

  /** Every entry of {@code partition}, in key order. */
  public List<RetryEntry> all(int partition) {
    List<RetryEntry> out = new ArrayList<>();
    byte[] prefix = ByteBuffer.allocate(4).putInt(partition).array();
    try (RocksIterator it = db.newIterator(entries)) {
      for (it.seek(prefix); it.isValid() && ByteBuffer.wrap(it.key()).getInt() == partition; it.next()) {
        out.add(EventCodec.decodeRetry(it.value()));
      }
    }
    return out;
  }

  /** Forgets a partition, before rebuilding it from the changelog or after losing it. */
  /** {@code holder} takes {@code partition}; its entries are restored for it next. */
  public void hold(int partition, Object holder) {
    synchronized (holders) {
      holders.put(partition, holder);
    }
  }

  /**
   * {@code holder} gives {@code partition} up: its entries are cleared, unless another holder has
   * taken the partition since (its entries are that holder's now).
   *
   * @return whether the entries were cleared
   */
  public boolean release(int partition, Object holder) {
    synchronized (holders) {
      if (!holders.remove(partition, holder)) {
        return false;
      }
      clear(partition);
      return true;
    }
  }

  public void clear(int partition) {
    byte[] from = ByteBuffer.allocate(4).putInt(partition).array();
    byte[] to = ByteBuffer.allocate(4).putInt(partition + 1).array();
    try {
      db.deleteRange(entries, from, to);
      db.deleteRange(due, from, to);
    } catch (RocksDBException e) {
      throw new IllegalStateException("retry state clear failed: " + e.getMessage(), e);
    }
  }

  private void deleteDue(WriteBatch batch, int partition, RetryEntry old) {
    try {
      batch.delete(due, dueKey(partition, old.nextAttemptAtMillis(), old.key()));
    } catch (RocksDBException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] entryKey(int partition, String key) {
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(4 + k.length).putInt(partition).put(k).array();
  }

  private static byte[] dueKey(int partition, long at, String key) {
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(12 + k.length).putInt(partition).putLong(at).put(k).array();
  }

  /**
   * A RocksDB figure of the retry entries ({@code rocksdb.estimate-num-keys}, {@code
   * rocksdb.total-sst-files-size}, ...), for metrics. Not after {@link #close}: the caller makes
   * sure of that (RocksDB would read freed memory).
   */
  public long property(String name) {
    try {
      return db.getLongProperty(entries, name);
    } catch (RocksDBException e) {
      throw new IllegalStateException(name + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    handles.forEach(ColumnFamilyHandle::close);
    db.close();
    writeOptions.close();
    cfOptions.close();
    options.close();
  }
}
