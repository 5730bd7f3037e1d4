package dev.agora.inference.statistics;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters for one loaded model version, with Triton's {@code ModelStatistics} semantics.
 *
 * <ul>
 *   <li>Per request ({@link #recordSuccess}, {@link #recordFailure}): success and fail counts and
 *       durations (arrival to answer), and queue, compute-input, compute-infer and compute-output
 *       durations. A request that shared an execution with others is charged that execution's whole
 *       compute time, as in Triton, so per-request compute sums can exceed wall time.
 *   <li>Per execution ({@link #recordExecution}): the execution count and {@code batch_stats} by
 *       batch size (rows in the execution), each with its compute durations.
 *   <li>{@code inference_count} is the number of inferences (rows of batching models, 1 per request
 *       otherwise); {@code execution_count} is the number of model runs. With dynamic batching the
 *       first exceeds the second.
 * </ul>
 *
 * Safe for concurrent updates.
 */
public final class VersionStatistics {

  /** A count of events and their total duration in nanoseconds. */
  public record Duration(long count, long nanos) {}

  /** The phases of one request or execution, in nanoseconds. */
  public record Timing(long inputNanos, long inferNanos, long outputNanos, long totalNanos) {}

  /** The executions of one batch size. */
  public record BatchSize(
      long batchSize, Duration computeInput, Duration computeInfer, Duration computeOutput) {}

  /** A consistent-enough copy of the counters at one moment. */
  public record Snapshot(
      long inferenceCount,
      long executionCount,
      long lastInferenceEpochMillis,
      Duration success,
      Duration fail,
      Duration queue,
      Duration computeInput,
      Duration computeInfer,
      Duration computeOutput,
      List<BatchSize> batchSizes) {}

  private final LongAdder inferences = new LongAdder();
  private final LongAdder executions = new LongAdder();
  private final AtomicLong lastInferenceEpochMillis = new AtomicLong();
  private final Counter success = new Counter();
  private final Counter fail = new Counter();
  private final Counter queue = new Counter();
  private final Counter computeInput = new Counter();
  private final Counter computeInfer = new Counter();
  private final Counter computeOutput = new Counter();
  private final ConcurrentMap<Long, BatchCounters> batches = new ConcurrentHashMap<>();

  /**
   * One request succeeded.
   *
   * @param inferences how many inferences the request carried (its rows when the model batches)
   * @param queueNanos how long it waited, in all, before its execution started
   * @param timing its compute phases and its total time
   */
  public void recordSuccess(long inferences, long epochMillis, long queueNanos, Timing timing) {
    this.inferences.add(inferences);
    lastInferenceEpochMillis.accumulateAndGet(epochMillis, Math::max);
    queue.add(queueNanos);
    computeInput.add(timing.inputNanos());
    computeInfer.add(timing.inferNanos());
    computeOutput.add(timing.outputNanos());
    success.add(timing.totalNanos());
  }

  /** One request failed after it reached this version, having waited {@code queueNanos}. */
  public void recordFailure(long queueNanos, long totalNanos) {
    queue.add(queueNanos);
    fail.add(totalNanos);
  }

  /** One model execution ran {@code batchSize} rows (1 for a model that does not batch). */
  public void recordExecution(long batchSize, Timing timing) {
    executions.increment();
    BatchCounters counters = batches.computeIfAbsent(batchSize, size -> new BatchCounters());
    counters.input.add(timing.inputNanos());
    counters.infer.add(timing.inferNanos());
    counters.output.add(timing.outputNanos());
  }

  /** The counters now. */
  public Snapshot snapshot() {
    List<BatchSize> sizes =
        batches.entrySet().stream()
            .sorted(Map.Entry.comparingByKey())
            .map(
                e ->
                    new BatchSize(
                        e.getKey(),
                        e.getValue().input.read(),
                        e.getValue().infer.read(),
                        e.getValue().output.read()))
            .toList();
    return new Snapshot(
        inferences.sum(),
        executions.sum(),
        lastInferenceEpochMillis.get(),
        success.read(),
        fail.read(),
        queue.read(),
        computeInput.read(),
        computeInfer.read(),
        computeOutput.read(),
        sizes);
  }

  private static final class BatchCounters {
    final Counter input = new Counter();
    final Counter infer = new Counter();
    final Counter output = new Counter();
  }

  private static final class Counter {
    private final LongAdder count = new LongAdder();
    private final LongAdder nanos = new LongAdder();

    void add(long elapsedNanos) {
      count.increment();
      nanos.add(Math.max(0, elapsedNanos));
    }

    Duration read() {
      return new Duration(count.sum(), nanos.sum());
    }
  }
}
