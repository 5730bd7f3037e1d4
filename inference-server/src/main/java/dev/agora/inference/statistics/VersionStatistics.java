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
 *   <li>Distributions ({@link #histograms()}), for Prometheus: the total duration of successful
 *       requests, the queue time of every request, the compute time (input, infer and output) of
 *       successful requests, and the rows per execution, each in fixed buckets (durations from 50
 *       µs to 30 s, batch sizes in powers of two up to 1024).
 * </ul>
 *
 * Safe for concurrent updates; recording allocates nothing.
 */
public final class VersionStatistics {

  /** A count of events and their total duration in nanoseconds. */
  public record Duration(long count, long nanos) {}

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

  /**
   * Upper bounds of the duration buckets, in nanoseconds: 50 µs to 30 s, roughly 1-2.5-5 per
   * decade.
   */
  private static final long[] DURATION_BOUNDS_NANOS = {
    50_000L,
    100_000L,
    250_000L,
    500_000L,
    1_000_000L,
    2_500_000L,
    5_000_000L,
    10_000_000L,
    25_000_000L,
    50_000_000L,
    100_000_000L,
    250_000_000L,
    500_000_000L,
    1_000_000_000L,
    2_500_000_000L,
    5_000_000_000L,
    10_000_000_000L,
    30_000_000_000L
  };

  /** Upper bounds of the batch size buckets, in rows: powers of two up to 1024. */
  private static final long[] BATCH_SIZE_BOUNDS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024};

  /** The distributions of one version at one moment. */
  public record Histograms(
      Histogram.Snapshot requestNanos,
      Histogram.Snapshot queueNanos,
      Histogram.Snapshot computeNanos,
      Histogram.Snapshot batchSize) {}

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
  private final Histogram requestHistogram = new Histogram(DURATION_BOUNDS_NANOS);
  private final Histogram queueHistogram = new Histogram(DURATION_BOUNDS_NANOS);
  private final Histogram computeHistogram = new Histogram(DURATION_BOUNDS_NANOS);
  private final Histogram batchSizeHistogram = new Histogram(BATCH_SIZE_BOUNDS);

  /**
   * One request succeeded. (Primitives, not a record: this runs once per request and allocates
   * nothing.)
   *
   * @param inferences how many inferences the request carried (its rows when the model batches)
   * @param queueNanos how long it waited, in all, before its execution started
   * @param inputNanos preparing its inputs
   * @param inferNanos running the model
   * @param outputNanos preparing its outputs
   * @param totalNanos from arrival to answer
   */
  public void recordSuccess(
      long inferences,
      long epochMillis,
      long queueNanos,
      long inputNanos,
      long inferNanos,
      long outputNanos,
      long totalNanos) {
    this.inferences.add(inferences);
    lastInferenceEpochMillis.accumulateAndGet(epochMillis, Math::max);
    queue.add(queueNanos);
    computeInput.add(inputNanos);
    computeInfer.add(inferNanos);
    computeOutput.add(outputNanos);
    success.add(totalNanos);
    queueHistogram.observe(queueNanos);
    computeHistogram.observe(inputNanos + inferNanos + outputNanos);
    requestHistogram.observe(totalNanos);
  }

  /** One request failed after it reached this version, having waited {@code queueNanos}. */
  public void recordFailure(long queueNanos, long totalNanos) {
    queue.add(queueNanos);
    fail.add(totalNanos);
    queueHistogram.observe(queueNanos);
  }

  /**
   * One model execution ran {@code batchSize} rows (1 for a model that does not batch), spending
   * these nanoseconds assembling its inputs, running and splitting its outputs. (Primitives, not a
   * record: this runs once per execution and allocates nothing.)
   */
  public void recordExecution(long batchSize, long inputNanos, long inferNanos, long outputNanos) {
    executions.increment();
    batchSizeHistogram.observe(batchSize);
    BatchCounters counters = batches.computeIfAbsent(batchSize, size -> new BatchCounters());
    counters.input.add(inputNanos);
    counters.infer.add(inferNanos);
    counters.output.add(outputNanos);
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

  /** The distributions now. */
  public Histograms histograms() {
    return new Histograms(
        requestHistogram.snapshot(),
        queueHistogram.snapshot(),
        computeHistogram.snapshot(),
        batchSizeHistogram.snapshot());
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
