package dev.agora.registry.service;

import dev.agora.registry.catalog.RevisionBarrier;
import io.grpc.Context;
import io.grpc.Deadline;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Applies a read request's {@code min_revision}: waits on the {@link RevisionBarrier} for at most
 * its configured maximum, and never past the call's deadline less a margin, so that a read still
 * behind is answered with {@code STORE_UNAVAILABLE} and a retry delay before the client gives up.
 */
final class ReadConsistency {
  /** The part of the caller's remaining deadline kept for answering. */
  static final Duration DEADLINE_MARGIN = Duration.ofMillis(100);

  private final RevisionBarrier barrier;

  ReadConsistency(RevisionBarrier barrier) {
    this.barrier = barrier;
  }

  /** Returns once the store has reached {@code minRevision}; see {@link RevisionBarrier#await}. */
  void await(long minRevision) {
    Duration budget = barrier.maxWait();
    Deadline deadline = Context.current().getDeadline();
    if (deadline != null) {
      Duration left =
          Duration.ofNanos(deadline.timeRemaining(TimeUnit.NANOSECONDS)).minus(DEADLINE_MARGIN);
      budget = left.compareTo(budget) < 0 ? left : budget;
    }
    barrier.await(minRevision, budget.isNegative() ? Duration.ZERO : budget);
  }
}
