package dev.agora.registry.events;

import dev.agora.registry.store.KeyValue;
import dev.agora.registry.store.MetadataStore;
import dev.agora.registry.store.RangeResult;
import dev.agora.registry.store.Txn;
import dev.agora.registry.store.TxnResult;
import dev.agora.registry.store.Watch;
import dev.agora.registry.store.WatchListener;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A store that counts the watches opened on it and can end them as compaction would, in front of a
 * real one.
 */
final class CountingStore implements MetadataStore {
  private final MetadataStore store;
  private final Map<Watch, WatchListener> open = new ConcurrentHashMap<>();
  private final AtomicInteger opened = new AtomicInteger();
  private final AtomicBoolean failRanges = new AtomicBoolean();

  CountingStore(MetadataStore store) {
    this.store = store;
  }

  /** Watches opened and not yet closed. */
  int openWatches() {
    return open.size();
  }

  /** Watches ever opened. */
  int openedWatches() {
    return opened.get();
  }

  /** Ends every open watch with onCompacted, as a store that dropped the history it needed. */
  void compactAway() {
    long revision = store.currentRevision();
    // A snapshot: the feed re-opens its watch from onCompacted, and that new watch must survive.
    Map.copyOf(open)
        .forEach(
            (watch, listener) -> {
              watch.close();
              open.remove(watch);
              listener.onCompacted(revision);
            });
  }

  /** While set, range reads fail as an unreachable store's would. */
  void failRanges(boolean fail) {
    failRanges.set(fail);
  }

  @Override
  public Optional<KeyValue> get(String key) {
    return store.get(key);
  }

  @Override
  public RangeResult range(String prefix, String startAfterKey, int limit) {
    if (failRanges.get()) {
      throw new IllegalStateException("the test made the store unreachable");
    }
    return store.range(prefix, startAfterKey, limit);
  }

  @Override
  public TxnResult commit(Txn txn) {
    return store.commit(txn);
  }

  @Override
  public long currentRevision() {
    return store.currentRevision();
  }

  @Override
  public Watch watch(String prefix, long fromRevision, WatchListener listener) {
    Watch[] self = new Watch[1];
    Watch inner = store.watch(prefix, fromRevision, listener);
    Watch counted =
        () -> {
          inner.close();
          open.remove(self[0]);
        };
    self[0] = counted;
    open.put(counted, listener);
    opened.incrementAndGet();
    return counted;
  }

  @Override
  public void compact(long revision) {
    store.compact(revision);
  }

  @Override
  public void close() {
    store.close();
  }
}
