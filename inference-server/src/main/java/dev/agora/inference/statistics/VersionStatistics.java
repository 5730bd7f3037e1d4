package dev.agora.inference.statistics;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters for one loaded model version, in the shape of Triton's {@code ModelStatistics}: how many
 * inferences (batch elements) and executions ran, when the last one finished, and how long requests
 * waited and spent decoding, executing and encoding. Safe for concurrent updates.
 */
public final class VersionStatistics {

  /** A count of events and their total duration in nanoseconds. */
  public record Duration(long count, long nanos) {}

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
      Duration computeOutput) {}

  private final LongAdder inferences = new LongAdder();
  private final LongAdder executions = new LongAdder();
  private final AtomicLong lastInferenceEpochMillis = new AtomicLong();
  private final Counter success = new Counter();
  private final Counter fail = new Counter();
  private final Counter queue = new Counter();
  private final Counter computeInput = new Counter();
  private final Counter computeInfer = new Counter();
  private final Counter computeOutput = new Counter();

  /** One request waited {@code nanos} between arriving and starting. */
  public void recordQueue(long nanos) {
    queue.add(nanos);
  }

  /**
   * One request succeeded.
   *
   * @param batchSize how many inferences the execution covered
   * @param timing how long each phase took
   */
  public void recordSuccess(long batchSize, long epochMillis, Timing timing) {
    inferences.add(batchSize);
    executions.increment();
    lastInferenceEpochMillis.accumulateAndGet(epochMillis, Math::max);
    computeInput.add(timing.inputNanos());
    computeInfer.add(timing.inferNanos());
    computeOutput.add(timing.outputNanos());
    success.add(timing.totalNanos());
  }

  /** One request failed after it reached this version, {@code nanos} after it started. */
  public void recordFailure(long nanos) {
    fail.add(nanos);
  }

  /** The phases of one successful request, in nanoseconds. */
  public record Timing(long inputNanos, long inferNanos, long outputNanos, long totalNanos) {}

  /** The counters now. */
  public Snapshot snapshot() {
    return new Snapshot(
        inferences.sum(),
        executions.sum(),
        lastInferenceEpochMillis.get(),
        success.read(),
        fail.read(),
        queue.read(),
        computeInput.read(),
        computeInfer.read(),
        computeOutput.read());
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
