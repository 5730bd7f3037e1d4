package dev.agora.registry.catalog;

import dev.agora.common.error.AgoraException;
import dev.agora.proto.errors.v1.ErrorReason;
import dev.agora.registry.store.MetadataStore;
import dev.agora.registry.store.Watch;
import dev.agora.registry.store.WatchEvent;
import dev.agora.registry.store.WatchListener;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Read-your-writes across replicas: a read that names a {@code min_revision} waits until this
 * replica's store has reached it. Waiting follows the store's watch from that revision, so no
 * polling loop runs; a read still behind after the bounded wait is refused with {@code
 * STORE_UNAVAILABLE} and a retry delay.
 */
public final class RevisionBarrier {
  /** The retry delay suggested to a read that timed out waiting. */
  static final Duration RETRY_DELAY = Duration.ofMillis(500);

  private final MetadataStore store;
  private final Duration maxWait;

  /**
   * A barrier over {@code store}.
   *
   * @param maxWait the longest a read waits for its revision
   */
  public RevisionBarrier(MetadataStore store, Duration maxWait) {
    if (maxWait.isNegative()) {
      throw new IllegalArgumentException("maxWait cannot be negative, got " + maxWait);
    }
    this.store = store;
    this.maxWait = maxWait;
  }

  /** The longest a read waits. */
  public Duration maxWait() {
    return maxWait;
  }

  /**
   * Returns once the store has reached {@code minRevision} (at once for 0).
   *
   * @param budget how long this caller may wait; the configured maximum caps it
   * @throws AgoraException {@code INVALID_FIELD} for a negative revision, {@code STORE_UNAVAILABLE}
   *     with a retry delay when the store is still behind after the wait
   */
  public void await(long minRevision, Duration budget) {
    if (minRevision < 0) {
      throw AgoraException.invalidField("min_revision", "cannot be negative");
    }
    if (minRevision == 0 || store.currentRevision() >= minRevision) {
      return;
    }
    Duration wait = budget.compareTo(maxWait) < 0 ? budget : maxWait;
    CompletableFuture<Void> reached = new CompletableFuture<>();
    try (Watch watch = store.watch("", minRevision, new Completion(reached, minRevision))) {
      if (store.currentRevision() < minRevision && !wait.isNegative() && !wait.isZero()) {
        reached.get(wait.toNanos(), TimeUnit.NANOSECONDS);
      }
    } catch (TimeoutException | ExecutionException e) {
      // Decided below from the store's revision.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    long current = store.currentRevision();
    if (current < minRevision) {
      throw behind(minRevision, current);
    }
  }

  private static AgoraException behind(long minRevision, long current) {
    return AgoraException.builder(
            ErrorReason.STORE_UNAVAILABLE,
            "This registry replica has reached store revision "
                + current
                + ", not yet the requested min_revision "
                + minRevision
                + "; retry shortly.")
        .metadata("min_revision", Long.toString(minRevision))
        .metadata("current_revision", Long.toString(current))
        .retryDelay(RETRY_DELAY)
        .build();
  }

  /** Completes when any change at or past the revision arrives, or the watch ends. */
  private record Completion(CompletableFuture<Void> reached, long minRevision)
      implements WatchListener {
    @Override
    public void onEvent(WatchEvent event) {
      if (event.modRevision() >= minRevision) {
        reached.complete(null);
      }
    }

    @Override
    public void onCompacted(long compactRevision) {
      reached.complete(null);
    }

    @Override
    public void onError(Throwable failure) {
      reached.complete(null);
    }
  }
}
