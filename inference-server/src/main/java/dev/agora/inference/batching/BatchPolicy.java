package dev.agora.inference.batching;

import java.time.Duration;

/**
 * When a {@link DynamicBatcher} dispatches, validated on construction.
 *
 * @param maxBatchSize the most rows one execution takes from the queue (a single larger request
 *     still runs, alone)
 * @param maxQueueDelayNanos how long the oldest queued request may wait for company while an
 *     execution slot is free; 0 dispatches whatever is queued as soon as a slot is free, so
 *     requests are coalesced only while executions are busy
 * @param maxInFlight how many executions of one model version may run at once
 */
public record BatchPolicy(int maxBatchSize, long maxQueueDelayNanos, int maxInFlight) {

  /** Validates every setting. */
  public BatchPolicy {
    if (maxBatchSize < 1) {
      throw new IllegalArgumentException("maxBatchSize must be at least 1");
    }
    if (maxQueueDelayNanos < 0) {
      throw new IllegalArgumentException("maxQueueDelay must not be negative");
    }
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be at least 1");
    }
  }

  /** A policy with the delay given as a {@link Duration}. */
  public static BatchPolicy of(int maxBatchSize, Duration maxQueueDelay, int maxInFlight) {
    return new BatchPolicy(maxBatchSize, maxQueueDelay.toNanos(), maxInFlight);
  }

  /** The delay in whole microseconds, as Triton's {@code max_queue_delay_microseconds}. */
  public long maxQueueDelayMicros() {
    return maxQueueDelayNanos / 1000;
  }
}
