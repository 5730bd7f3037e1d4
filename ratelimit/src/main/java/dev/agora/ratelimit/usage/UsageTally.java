package dev.agora.ratelimit.usage;

import java.time.Instant;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of one {@link UsageKey}. Calls only add (successes and failures are counted apart,
 * so every snapshot has at least as many calls as failures); the flusher remembers how much of each
 * counter the sink has accepted and reports the difference.
 */
final class UsageTally {
  private final LongAdder succeeded = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAccumulator lastCallMillis = new LongAccumulator(Math::max, Long.MIN_VALUE);
  // Read and written by the flusher only, under the meter's flush lock.
  private long reportedSucceeded;
  private long reportedFailed;

  void add(boolean failure, long nowMillis) {
    (failure ? failed : succeeded).increment();
    lastCallMillis.accumulate(nowMillis);
  }

  /** What was counted since the last {@link #accept}, or null when nothing was. */
  Pending pending() {
    long succeededNow = succeeded.sum() - reportedSucceeded;
    long failedNow = failed.sum() - reportedFailed;
    if (succeededNow == 0 && failedNow == 0) {
      return null;
    }
    return new Pending(succeededNow, failedNow, Instant.ofEpochMilli(lastCallMillis.get()));
  }

  /** Marks {@code pending} as recorded by the sink. */
  void accept(Pending pending) {
    reportedSucceeded += pending.succeeded();
    reportedFailed += pending.failed();
  }

  /** Counts taken at one flush, not yet accepted by the sink. */
  record Pending(long succeeded, long failed, Instant lastCallTime) {
    long requests() {
      return succeeded + failed;
    }
  }
}
