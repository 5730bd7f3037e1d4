package dev.agora.registry.store;

import java.util.Optional;

/**
 * A revisioned key-value store with the etcd data model.
 *
 * <p>Revisions: the store has one revision counter. Every transaction that changes at least one key
 * advances it by one and stamps the changed keys with the new value; reads report the revision they
 * observed. Revisions only grow, also across restarts.
 *
 * <p>Failures: when the backend cannot read or write, methods throw {@code AgoraException} with
 * reason {@code STORE_UNAVAILABLE}; calls on a closed store throw {@link IllegalStateException}.
 * Implementations are thread-safe.
 */
public interface MetadataStore extends AutoCloseable {

  /** The key's current value, or empty when the key does not exist. */
  Optional<KeyValue> get(String key);

  /**
   * Keys that start with {@code prefix}, in byte order of their UTF-8 encoding.
   *
   * @param prefix the prefix every returned key starts with; the empty string matches every key
   * @param startAfterKey when not null, only keys strictly greater than it are returned (pass the
   *     last key of the previous page)
   * @param limit the most keys to return, at least 1
   */
  RangeResult range(String prefix, String startAfterKey, int limit);

  /** Applies the transaction atomically and durably before returning. */
  TxnResult commit(Txn txn);

  /** The revision of the last change; 0 for a store that never changed. */
  long currentRevision();

  /**
   * Delivers every change to keys starting with {@code prefix} whose revision is at least {@code
   * fromRevision}, first those already in the history, then new ones as they are committed.
   *
   * @param fromRevision the first revision to deliver; 0 or less means "changes after now"
   * @param listener receives the events; see {@link WatchListener} for threading
   * @return the watch, to close when no longer needed
   */
  Watch watch(String prefix, long fromRevision, WatchListener listener);

  /**
   * Discards the change history before {@code revision}. Watches that still needed it, and later
   * watches that ask for it, are told through {@link WatchListener#onCompacted(long)}.
   *
   * @param revision at most {@link #currentRevision()}; compacting to an older point than before is
   *     a no-op
   */
  void compact(long revision);

  /** Closes the store and ends all watches. */
  @Override
  void close();
}
