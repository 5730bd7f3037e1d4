package dev.agora.registry.catalog;

import dev.agora.common.error.AgoraException;
import dev.agora.proto.errors.v1.ErrorReason;
import dev.agora.registry.store.KeyValue;
import dev.agora.registry.store.MetadataStore;
import dev.agora.registry.store.RangeResult;
import dev.agora.registry.store.Txn;
import dev.agora.registry.store.TxnResult;
import dev.agora.registry.store.Watch;
import dev.agora.registry.store.WatchListener;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real metadata store that tests can make unavailable (every call then fails as etcd's client
 * does when the cluster is unreachable), or into which they can slip another writer just before the
 * next commit. Closing it leaves the real store open.
 */
final class ControlledStore implements MetadataStore {
  private final MetadataStore delegate;
  private final AtomicReference<Runnable> beforeNextCommit = new AtomicReference<>();
  private volatile boolean unavailable;

  ControlledStore(MetadataStore delegate) {
    this.delegate = delegate;
  }

  void unavailable(boolean value) {
    unavailable = value;
  }

  /**
   * Runs {@code writer} once at the start of the next commit, before this store checks that it is
   * available and hands the commit to the real store.
   */
  void beforeNextCommit(Runnable writer) {
    beforeNextCommit.set(writer);
  }

  private void requireAvailable() {
    if (unavailable) {
      throw AgoraException.of(ErrorReason.STORE_UNAVAILABLE, "The metadata store is unreachable.");
    }
  }

  @Override
  public Optional<KeyValue> get(String key) {
    requireAvailable();
    return delegate.get(key);
  }

  @Override
  public RangeResult range(String prefix, String startAfterKey, int limit) {
    requireAvailable();
    return delegate.range(prefix, startAfterKey, limit);
  }

  @Override
  public TxnResult commit(Txn txn) {
    Runnable writer = beforeNextCommit.getAndSet(null);
    if (writer != null) {
      writer.run();
    }
    requireAvailable();
    return delegate.commit(txn);
  }

  @Override
  public long currentRevision() {
    requireAvailable();
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
  public void close() {}
}
