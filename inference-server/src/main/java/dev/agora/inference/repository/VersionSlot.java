package dev.agora.inference.repository;

import dev.agora.common.error.AgoraException;
import dev.agora.inference.catalog.PublishedVersion;
import dev.agora.proto.errors.v1.ErrorReason;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One version the repository has started to load: its state follows from the load's future
 * (running, done, failed), so there is no second source of truth to keep in step. {@code placed}
 * completes once the loaded (or failed) slot has been weighed in the model cache.
 */
record VersionSlot(
    PublishedVersion published,
    CompletableFuture<ServableVersion> future,
    CompletableFuture<Void> placed) {

  /** A slot whose load has not started. */
  VersionSlot(PublishedVersion published) {
    this(published, new CompletableFuture<>(), new CompletableFuture<>());
  }

  /**
   * What the slot counts against the model cache's budget, in KiB: the footprint estimate once the
   * version serves, nothing while it loads or after it failed (so loading versions are never
   * evicted, and failed ones hold no budget).
   */
  int weightKiB() {
    if (!future.isDone() || future.isCompletedExceptionally()) {
      return 0;
    }
    return (int)
        Math.min(Integer.MAX_VALUE, (ModelFootprint.estimateBytes(published) + 1023) / 1024);
  }

  VersionState state() {
    if (!future.isDone()) {
      return VersionState.LOADING;
    }
    return future.isCompletedExceptionally() ? VersionState.UNAVAILABLE : VersionState.READY;
  }

  VersionStatus status() {
    Throwable failure = failure();
    String reason = failure == null ? "" : String.valueOf(failure.getMessage());
    return new VersionStatus(published.model(), published.version(), state(), reason);
  }

  /** Whether the load failed for a reason that may pass, so a later request should try again. */
  boolean failedTransiently() {
    Throwable failure = failure();
    if (failure == null) {
      return false;
    }
    if (failure instanceof AgoraException agora) {
      return agora.reason() == ErrorReason.STORE_UNAVAILABLE
          || agora.reason() == ErrorReason.INTERNAL_ERROR;
    }
    return true;
  }

  boolean failed() {
    return failure() != null;
  }

  /** Why the load failed, or null when it has not (yet). */
  Throwable failure() {
    if (!future.isDone() || !future.isCompletedExceptionally()) {
      return null;
    }
    try {
      future.join();
      return null;
    } catch (CompletionException failed) {
      return failed.getCause() == null ? failed : failed.getCause();
    } catch (RuntimeException cancelled) {
      return cancelled;
    }
  }
}
