package dev.agora.registry.events;

import dev.agora.common.error.AgoraException;
import dev.agora.proto.registry.v1.Event;
import dev.agora.registry.store.MetadataStore;
import io.grpc.stub.ServerCallStreamObserver;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's change feed: one store watch per registry process, turned into typed events kept
 * in a bounded in-memory log that every client watch reads from its own cursor. Clients resume from
 * any revision the log still holds; older revisions, a client that falls more than {@code
 * retainedEvents} behind, and a feed that lost its place in the store (compaction, store failure)
 * end the watch with RESYNC_REQUIRED and the revision to re-list at.
 *
 * <p>Threads: the store's watch thread derives and appends, then only signals; delivery to client
 * streams and the progress ticks run on a small pool owned here. Close it before the store.
 */
public final class ChangeFeed implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ChangeFeed.class);
  private static final Duration FIRST_RETRY = Duration.ofMillis(100);
  private static final Duration LAST_RETRY = Duration.ofSeconds(30);

  private final MetadataStore store;
  private final EventsConfig config;
  private final EventDerivation derivation;
  private final EventLog events;
  private final ScheduledThreadPoolExecutor executor;
  private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();
  private final Object lifecycle = new Object();
  private StoreFollower follower;
  private boolean closed;
  private int failedRestarts;

  ChangeFeed(MetadataStore store, EventsConfig config, EventDerivation derivation) {
    this.store = store;
    this.config = config;
    this.derivation = derivation;
    this.events = new EventLog(config.retainedEvents());
    this.executor = new ScheduledThreadPoolExecutor(config.deliveryThreads(), deliveryThreads());
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    executor.setRemoveOnCancelPolicy(true);
  }

  /**
   * Loads the registry's records from {@code store} and follows its changes from now on.
   *
   * @throws AgoraException {@code STORE_UNAVAILABLE} when the store cannot be read
   */
  public static ChangeFeed start(MetadataStore store, EventsConfig config) {
    ChangeFeed feed = new ChangeFeed(store, config, EventDerivation.registryFamilies());
    try {
      feed.begin();
    } catch (RuntimeException e) {
      feed.close();
      throw e;
    }
    return feed;
  }

  void begin() {
    synchronized (lifecycle) {
      follower = StoreFollower.start(store, derivation, events, this::appended, this::lost);
    }
    long interval = config.progressInterval().toMillis();
    if (interval > 0) {
      executor.scheduleAtFixedRate(this::tick, interval, interval, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Starts a client watch on {@code stream}: from {@code fromRevision} (0 for "after now"),
   * delivering what {@code filter} lets through. When the API key {@code callerKeyId} (empty for
   * none) is revoked, the watch ends with UNAUTHENTICATED.
   *
   * @throws AgoraException {@code RESYNC_REQUIRED} when the feed no longer holds that revision,
   *     {@code STORE_UNAVAILABLE} while the feed is reconnecting or closed
   */
  void subscribe(
      long fromRevision,
      EventFilter filter,
      String callerKeyId,
      ServerCallStreamObserver<Event> stream) {
    long start = fromRevision == 0 ? store.currentRevision() + 1 : fromRevision;
    EventLog.Position position = events.position(start);
    switch (position.outcome()) {
      case EVENTS -> {}
      case FELL_BEHIND ->
          throw WatchRefusals.compacted(
              fromRevision, position.seenRevision(), position.floorRevision());
      case CLOSED -> throw WatchRefusals.closed(position.seenRevision());
      default -> throw WatchRefusals.unavailable();
    }
    Subscription subscription =
        new Subscription(
            start,
            filter,
            callerKeyId,
            stream,
            events,
            position,
            config.retainedEvents(),
            executor,
            subscriptions::remove);
    subscriptions.add(subscription);
    subscription.signal();
  }

  /** How many client watches are open. */
  public int activeWatches() {
    return subscriptions.size();
  }

  /** The last store revision the feed has processed. */
  public long revision() {
    return events.seenRevision();
  }

  private void appended() {
    subscriptions.forEach(Subscription::signal);
  }

  private void tick() {
    events.markQuiet();
    subscriptions.forEach(Subscription::progressDue);
  }

  private void lost(String why) {
    try {
      executor.execute(() -> restart(why));
    } catch (RejectedExecutionException e) {
      log.debug("the change feed is closing; not restarting it after: {}", why);
    }
  }

  /** Takes a new snapshot and watches again; every open watch is told to re-list. */
  private void restart(String why) {
    synchronized (lifecycle) {
      if (closed) {
        return;
      }
      follower.close();
      events.suspend();
      try {
        follower = StoreFollower.start(store, derivation, events, this::appended, this::lost);
        failedRestarts = 0;
        log.warn(
            "the change feed restarted at revision {} after {}; open watches must re-list",
            follower.snapshotRevision(),
            why);
      } catch (RuntimeException e) {
        failedRestarts++;
        long delay =
            Math.min(LAST_RETRY.toMillis(), FIRST_RETRY.toMillis() << Math.min(failedRestarts, 16));
        log.warn("the change feed cannot restart after {}; retrying in {} ms", why, delay, e);
        executor.schedule(() -> restart(why), delay, TimeUnit.MILLISECONDS);
      }
    }
    appended();
  }

  /** Stops following the store and ends every open watch; the store stays open. */
  @Override
  public void close() {
    synchronized (lifecycle) {
      if (closed) {
        return;
      }
      closed = true;
      if (follower != null) {
        follower.close();
      }
    }
    events.close();
    appended();
    executor.shutdown();
    try {
      if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private static ThreadFactory deliveryThreads() {
    AtomicInteger counter = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, "agora-events-" + counter.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
