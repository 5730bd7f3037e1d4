package dev.agora.registry.events;

import dev.agora.proto.registry.v1.Event;
import dev.agora.registry.store.KeyValue;
import dev.agora.registry.store.MetadataStore;
import dev.agora.registry.store.RangeResult;
import dev.agora.registry.store.Watch;
import dev.agora.registry.store.WatchEvent;
import dev.agora.registry.store.WatchListener;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One store watch over the registry's key space, from a snapshot on. It remembers the last value of
 * every key a family owns, which gives each change its previous value (the store's watch carries
 * only the new one), derives typed events and appends them to the {@link EventLog}.
 *
 * <p>Start: read the current revision R, load every family's keys with range reads (which may see
 * revisions up to S above R), then watch from R + 1. Changes up to S only bring the remembered
 * values to the state at S; events are derived for revisions after S.
 */
final class StoreFollower implements WatchListener, AutoCloseable {
  private static final int SCAN_PAGE = 500;

  private final EventDerivation derivation;
  private final EventLog log;
  private final long epoch;
  private final long snapshotRevision;
  private final Map<String, byte[]> lastKnown;
  private final Runnable onAppended;
  private final Consumer<String> onLost;
  private volatile boolean stopped;
  private volatile Watch watch;

  private StoreFollower(
      EventDerivation derivation,
      EventLog log,
      long epoch,
      Snapshot snapshot,
      Runnable onAppended,
      Consumer<String> onLost) {
    this.derivation = derivation;
    this.log = log;
    this.epoch = epoch;
    this.snapshotRevision = snapshot.revision();
    this.lastKnown = snapshot.values();
    this.onAppended = onAppended;
    this.onLost = onLost;
  }

  /**
   * Loads the snapshot, resets the log to it and starts watching.
   *
   * @param onAppended called on the store's thread after events were appended
   * @param onLost called once when the watch ends (compaction, failure), with a sentence why
   */
  static StoreFollower start(
      MetadataStore store,
      EventDerivation derivation,
      EventLog log,
      Runnable onAppended,
      Consumer<String> onLost) {
    long before = store.currentRevision();
    Snapshot snapshot = Snapshot.load(store, derivation);
    long epoch = log.reset(snapshot.revision());
    StoreFollower follower =
        new StoreFollower(derivation, log, epoch, snapshot, onAppended, onLost);
    try {
      follower.watch = store.watch(EventDerivation.WATCH_PREFIX, before + 1, follower);
    } catch (RuntimeException e) {
      log.suspend();
      throw e;
    }
    return follower;
  }

  /** The revision the follower's snapshot was taken at. */
  long snapshotRevision() {
    return snapshotRevision;
  }

  @Override
  public void onEvent(WatchEvent change) {
    if (stopped) {
      return;
    }
    long revision = change.modRevision();
    String key = change.key();
    if (!derivation.owns(key)) {
      if (revision > snapshotRevision) {
        log.append(epoch, revision, List.of());
      }
      return;
    }
    byte[] current = change.type() == WatchEvent.Type.PUT ? change.value() : null;
    byte[] previous = current == null ? lastKnown.remove(key) : lastKnown.put(key, current);
    if (revision <= snapshotRevision) {
      return;
    }
    List<Event> derived = derivation.derive(new StoredChange(key, revision, previous, current));
    if (log.append(epoch, revision, derived) && !derived.isEmpty()) {
      onAppended.run();
    }
  }

  @Override
  public void onCompacted(long compactRevision) {
    lost("the store compacted its history to revision " + compactRevision);
  }

  @Override
  public void onError(Throwable failure) {
    lost("the store watch failed: " + failure);
  }

  private void lost(String why) {
    if (!stopped) {
      stopped = true;
      onLost.accept(why);
    }
  }

  @Override
  public void close() {
    stopped = true;
    Watch running = watch;
    if (running != null) {
      running.close();
    }
  }

  /** The remembered values of every owned key and the highest revision the reads observed. */
  private record Snapshot(Map<String, byte[]> values, long revision) {

    static Snapshot load(MetadataStore store, EventDerivation derivation) {
      Map<String, byte[]> values = new HashMap<>();
      long revision = 0;
      for (String prefix : derivation.scanPrefixes()) {
        String after = null;
        RangeResult page;
        do {
          page = store.range(prefix, after, SCAN_PAGE);
          revision = Math.max(revision, page.revision());
          for (KeyValue kv : page.kvs()) {
            if (derivation.owns(kv.key())) {
              values.put(kv.key(), kv.value());
            }
          }
          after = page.kvs().isEmpty() ? after : page.lastKey();
        } while (page.more());
      }
      return new Snapshot(values, revision);
    }
  }
}
