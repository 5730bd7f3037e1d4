package dev.agora.registry.access;

import dev.agora.registry.store.KeyValue;
import dev.agora.registry.store.MetadataStore;
import dev.agora.registry.store.RangeResult;
import dev.agora.registry.store.Txn;
import dev.agora.registry.store.TxnResult;
import dev.agora.registry.store.Watch;
import dev.agora.registry.store.WatchListener;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** A metadata store that counts reads and writes on the way to a real one. */
final class CountingStore implements MetadataStore {
  final AtomicInteger reads = new AtomicInteger();
  final AtomicInteger commits = new AtomicInteger();
  private final MetadataStore delegate;

  CountingStore(MetadataStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public Optional<KeyValue> get(String key) {
    reads.incrementAndGet();
    return delegate.get(key);
  }

  @Override
  public RangeResult range(String prefix, String startAfterKey, int limit) {
    reads.incrementAndGet();
    return delegate.range(prefix, startAfterKey, limit);
  }

  @Override
  public TxnResult commit(Txn txn) {
    commits.incrementAndGet();
    return delegate.commit(txn);
  }

  @Override
  public long currentRevision() {
    return delegate.currentRevision();
  }

  @Override
  public Watch watch(String prefix, long fromRevision, WatchListener listener) {
    return delegate.watch(prefix, fromRevision, listener);
  }

  @Override
  public void compact(long revision) {
    delegate.compact(revision);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
