package dev.agora.inference.batching;

import java.time.Duration;
import java.util.Objects;

/**
 * How one model is batched when it differs from the server's defaults, validated on construction:
 * Triton's {@code max_batch_size} and {@code max_queue_delay_microseconds}, set per model.
 *
 * @param maxBatchSize the most rows per execution; 0 turns dynamic batching off for this model
 * @param maxQueueDelay how long its oldest queued request may wait for company, 0 to 10 s
 */
public record ModelBatching(int maxBatchSize, Duration maxQueueDelay) {

  /** The longest queue delay accepted. */
  public static final Duration MAX_QUEUE_DELAY = Duration.ofSeconds(10);

  /** Validates both settings. */
  public ModelBatching {
    Objects.requireNonNull(maxQueueDelay, "maxQueueDelay");
    if (maxBatchSize < 0) {
      throw new IllegalArgumentException("maxBatchSize must be at least 0, got " + maxBatchSize);
    }
    if (maxQueueDelay.isNegative() || maxQueueDelay.compareTo(MAX_QUEUE_DELAY) > 0) {
      throw new IllegalArgumentException("maxQueueDelay must be between 0 and 10 s");
    }
  }

  /** The batcher's policy with {@code maxInFlight} executions at once, or null when off. */
  BatchPolicy policy(int maxInFlight) {
    return maxBatchSize == 0 ? null : BatchPolicy.of(maxBatchSize, maxQueueDelay, maxInFlight);
  }
}
