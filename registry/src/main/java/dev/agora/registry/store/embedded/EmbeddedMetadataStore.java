package dev.agora.registry.store.embedded;

import dev.agora.common.error.AgoraException;
import dev.agora.proto.errors.v1.ErrorReason;
import dev.agora.registry.store.KeyValue;
import dev.agora.registry.store.MetadataStore;
import dev.agora.registry.store.RangeResult;
import dev.agora.registry.store.Txn;
import dev.agora.registry.store.TxnResult;
import dev.agora.registry.store.Watch;
import dev.agora.registry.store.WatchEvent;
import dev.agora.registry.store.WatchListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * A {@link MetadataStore} in one MVStore file, {@value #FILE_NAME}, inside a directory. Writes are
 * serialized by a lock and committed and synced to disk before they return; reads share the lock so
 * they observe whole transactions and a matching revision. Only one process may open the file.
 */
public final class EmbeddedMetadataStore implements MetadataStore {
  /** The name of the store file inside the directory given to {@link #open(Path)}. */
  public static final String FILE_NAME = "metadata.mv";

  private static final String REVISION = "revision";
  private static final String COMPACTED = "compacted";

  private final MVStore file;
  private final MVMap<String, byte[]> entries;
  private final MVMap<String, Long> counters;
  private final ChangeHistory history;
  private final WatchHub watches;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed;

  private EmbeddedMetadataStore(MVStore file) {
    this.file = file;
    this.entries = file.openMap("entries");
    this.counters = file.openMap("counters");
    this.history =
        new ChangeHistory(
            file.openMap("history"),
            counters.getOrDefault(REVISION, 0L),
            counters.getOrDefault(COMPACTED, 0L));
    this.watches = new WatchHub(history);
  }

  /**
   * Opens the store in {@code directory}, creating the directory and the file when missing.
   *
   * @throws IllegalStateException when the file cannot be opened, for example because another
   *     process holds it
   */
  public static EmbeddedMetadataStore open(Path directory) {
    Path path = directory.resolve(FILE_NAME);
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the metadata directory " + directory, e);
    }
    try {
      return new EmbeddedMetadataStore(
          new MVStore.Builder().fileName(path.toString()).autoCommitDisabled().open());
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "cannot open the metadata store " + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<KeyValue> get(String key) {
    Objects.requireNonNull(key, "key");
    lock.readLock().lock();
    try {
      checkOpen();
      byte[] stored = entries.get(StoredKeys.encode(key));
      return Optional.ofNullable(stored).map(bytes -> StoredEntry.decode(key, bytes));
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public RangeResult range(String prefix, String startAfterKey, int limit) {
    Objects.requireNonNull(prefix, "prefix");
    if (limit < 1) {
      throw new IllegalArgumentException("a range limit must be at least 1, got " + limit);
    }
    String storedPrefix = StoredKeys.encode(prefix);
    String from = storedPrefix;
    if (startAfterKey != null) {
      String after = StoredKeys.encode(startAfterKey);
      if (after.compareTo(storedPrefix) >= 0) {
        from = after + '\0';
      }
    }
    lock.readLock().lock();
    try {
      checkOpen();
      return scan(storedPrefix, from, limit);
    } finally {
      lock.readLock().unlock();
    }
  }

  private RangeResult scan(String storedPrefix, String from, int limit) {
    List<KeyValue> found = new ArrayList<>();
    Cursor<String, byte[]> cursor = entries.cursor(from);
    while (cursor.hasNext()) {
      String stored = cursor.next();
      if (!stored.startsWith(storedPrefix)) {
        break;
      }
      if (found.size() == limit) {
        return new RangeResult(found, true, history.committedRevision());
      }
      found.add(StoredEntry.decode(StoredKeys.decode(stored), cursor.getValue()));
    }
    return new RangeResult(found, false, history.committedRevision());
  }

  @Override
  public TxnResult commit(Txn txn) {
    Objects.requireNonNull(txn, "txn");
    long revision;
    lock.writeLock().lock();
    try {
      checkOpen();
      long current = history.committedRevision();
      if (!comparesHold(txn.compares())) {
        return new TxnResult(false, current);
      }
      revision = current + 1;
      if (!applyDurably(txn.operations(), revision)) {
        return new TxnResult(true, current);
      }
      history.committed(revision);
    } finally {
      lock.writeLock().unlock();
    }
    watches.changed();
    return new TxnResult(true, revision);
  }

  private boolean comparesHold(List<Txn.Compare> compares) {
    for (Txn.Compare compare : compares) {
      byte[] stored = entries.get(StoredKeys.encode(compare.key()));
      long modRevision = stored == null ? 0 : StoredEntry.modRevision(stored);
      if (modRevision != compare.expectedModRevision()) {
        return false;
      }
    }
    return true;
  }

  /** Applies the writes under {@code revision}; false when none changed anything. */
  private boolean applyDurably(List<Txn.Op> operations, long revision) {
    try {
      List<WatchEvent> events = new ArrayList<>(operations.size());
      for (Txn.Op op : operations) {
        apply(op, revision, events);
      }
      if (events.isEmpty()) {
        return false;
      }
      history.append(revision, HistoryRecord.encode(events));
      counters.put(REVISION, revision);
      persist();
      return true;
    } catch (RuntimeException e) {
      rollback(e);
      throw unavailable("write", e);
    }
  }

  private void apply(Txn.Op op, long revision, List<WatchEvent> events) {
    String stored = StoredKeys.encode(op.key());
    if (op instanceof Txn.Put put) {
      byte[] value = put.value();
      entries.put(stored, StoredEntry.written(entries.get(stored), value, revision));
      events.add(new WatchEvent(WatchEvent.Type.PUT, op.key(), value, revision));
    } else if (entries.remove(stored) != null) {
      events.add(new WatchEvent(WatchEvent.Type.DELETE, op.key(), new byte[0], revision));
    }
  }

  @Override
  public long currentRevision() {
    lock.readLock().lock();
    try {
      checkOpen();
      return history.committedRevision();
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public Watch watch(String prefix, long fromRevision, WatchListener listener) {
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(listener, "listener");
    lock.readLock().lock();
    try {
      checkOpen();
      long from = fromRevision <= 0 ? history.committedRevision() + 1 : fromRevision;
      return watches.open(prefix, from, listener);
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public void compact(long revision) {
    lock.writeLock().lock();
    try {
      checkOpen();
      if (revision > history.committedRevision()) {
        throw new IllegalArgumentException(
            "cannot compact to " + revision + ", past the current revision");
      }
      long previous = history.compactedRevision();
      if (revision <= previous) {
        return;
      }
      history.compacted(revision);
      try {
        history.removeBefore(revision);
        counters.put(COMPACTED, revision);
        persist();
      } catch (RuntimeException e) {
        rollback(e);
        history.compacted(previous);
        throw unavailable("compaction", e);
      }
    } finally {
      lock.writeLock().unlock();
    }
    watches.changed();
  }

  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
    } finally {
      lock.writeLock().unlock();
    }
    watches.close();
    lock.writeLock().lock();
    try {
      file.close();
    } finally {
      lock.writeLock().unlock();
    }
  }

  private void persist() {
    file.commit();
    file.sync();
  }

  /** Reverts the maps to the last commit, keeping the original failure if that fails too. */
  private void rollback(RuntimeException failure) {
    try {
      file.rollback();
    } catch (RuntimeException again) {
      failure.addSuppressed(again);
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the metadata store is closed");
    }
  }

  private static AgoraException unavailable(String what, RuntimeException cause) {
    return AgoraException.builder(
            ErrorReason.STORE_UNAVAILABLE,
            "The metadata store could not complete a " + what + "; try again.")
        .cause(cause)
        .build();
  }
}
