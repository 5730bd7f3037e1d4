package dev.agora.inference.batching;

import static dev.agora.inference.batching.Jobs.assertDoubled;
import static dev.agora.inference.batching.Jobs.assertReason;
import static dev.agora.inference.batching.Jobs.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agora.inference.statistics.VersionStatistics;
import dev.agora.inference.tensor.TensorBufferPool;
import dev.agora.proto.errors.v1.ErrorReason;
import io.grpc.Status;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The dynamic batcher's rules, driven by a manual clock and executor over a fake model. */
class DynamicBatcherTest {
  static final long MICROS = TimeUnit.MICROSECONDS.toNanos(1);

  final ManualClock clock = new ManualClock();
  final ManualExecutor executor = new ManualExecutor();
  final RecordingModel model = new RecordingModel();
  final VersionStatistics statistics = new VersionStatistics();
  final Jobs jobs = new Jobs();

  DynamicBatcher batcher(int maxBatchSize, long delayNanos, int maxInFlight) {
    BatchExecution execution =
        new BatchExecution(model, new TensorBufferPool(1 << 16, 1 << 20), clock, statistics);
    return new DynamicBatcher(
        new BatchPolicy(maxBatchSize, delayNanos, maxInFlight),
        execution,
        ExecutionSlots.poolOnly(executor),
        clock,
        clock);
  }

  @Test
  void coalescesUpToMaxBatchSizeWithoutWaitingForTheDelay() {
    DynamicBatcher batcher = batcher(4, 1000 * MICROS, 1);
    List<InferenceJob> jobs = List.of(job(1), job(1), job(1));
    jobs.forEach(batcher::enqueue);
    assertThat(executor.queued()).as("3 rows < 4 and no delay passed").isZero();

    InferenceJob fourth = job(1);
    batcher.enqueue(fourth);
    executor.runAll();

    assertThat(model.runRows).containsExactly(4L);
    for (InferenceJob job : List.of(jobs.get(0), jobs.get(1), jobs.get(2), fourth)) {
      assertDoubled(job);
      assertThat(job.result().join().batchSize()).isEqualTo(4);
    }
    assertThat(batcher.queuedRows()).isZero();
  }

  @Test
  void dispatchesWhatWaitedWhenTheOldestRequestsDelayPasses() {
    DynamicBatcher batcher = batcher(8, 500 * MICROS, 1);
    InferenceJob first = job(2);
    batcher.enqueue(first);
    clock.advance(100 * MICROS);
    InferenceJob second = job(1);
    batcher.enqueue(second);

    clock.advance(399 * MICROS);
    assertThat(executor.queued()).isZero();
    clock.advance(1 * MICROS);
    executor.runAll();

    assertThat(model.runRows).containsExactly(3L);
    assertDoubled(first);
    assertDoubled(second);
    assertThat(first.result().join().queueNanos()).isEqualTo(500 * MICROS);
    assertThat(second.result().join().queueNanos()).isEqualTo(400 * MICROS);
  }

  @Test
  void withoutDelayRunsAtOnceAndCoalescesWhatArrivesWhileBusy() {
    DynamicBatcher batcher = batcher(8, 0, 1);
    InferenceJob alone = job(1);
    batcher.enqueue(alone);
    assertThat(executor.queued()).as("dispatched at once").isEqualTo(1);

    List<InferenceJob> waiting = List.of(job(1), job(2), job(1));
    waiting.forEach(batcher::enqueue);
    assertThat(executor.queued()).as("the only slot is busy").isEqualTo(1);
    executor.runAll();

    assertThat(model.runRows).containsExactly(1L, 4L);
    assertDoubled(alone);
    waiting.forEach(Jobs::assertDoubled);
  }

  @Test
  void aRequestThreadRunsTheExecutionItFormedWhenASlotIsFree() {
    BatchExecution execution =
        new BatchExecution(model, new TensorBufferPool(1 << 16, 1 << 20), clock, statistics);
    DynamicBatcher batcher =
        new DynamicBatcher(
            new BatchPolicy(8, 0, 1),
            execution,
            ExecutionSlots.sharedWithCallers(executor, 1),
            clock,
            clock);
    InferenceJob alone = job(1);
    batcher.enqueue(alone);
    assertThat(executor.queued()).as("ran on the caller").isZero();
    assertDoubled(alone);

    DynamicBatcher delayed =
        new DynamicBatcher(
            new BatchPolicy(8, 100 * MICROS, 1),
            execution,
            ExecutionSlots.sharedWithCallers(executor, 1),
            clock,
            clock);
    InferenceJob waiting = job(1);
    delayed.enqueue(waiting);
    clock.advance(100 * MICROS);
    assertThat(executor.queued()).as("the timer hands the execution to the pool").isEqualTo(1);
    executor.runAll();
    assertDoubled(waiting);
  }

  @Test
  void aRequestSentFromThePreviousAnswerRunsOnItsCallerNotBehindTheFinishedExecution() {
    DynamicBatcher batcher =
        new DynamicBatcher(
            new BatchPolicy(8, 0, 1),
            new BatchExecution(model, new TensorBufferPool(1 << 16, 1 << 20), clock, statistics),
            ExecutionSlots.sharedWithCallers(executor, 1),
            clock,
            clock);
    InferenceJob first = job(1);
    InferenceJob next = job(1);
    first.result().thenRun(() -> batcher.enqueue(next));

    batcher.enqueue(first);

    assertThat(executor.queued()).as("both ran on the caller, one after the other").isZero();
    assertDoubled(first);
    assertDoubled(next);
    assertThat(model.runRows).containsExactly(1L, 1L);
  }

  @Test
  void anExecutionNeverExceedsMaxBatchSizeButALargerRequestRunsAlone() {
    DynamicBatcher batcher = batcher(4, 0, 1);
    InferenceJob busy = job(1);
    batcher.enqueue(busy);
    List<InferenceJob> waiting = List.of(job(3), job(2), job(2), job(6), job(1));
    waiting.forEach(batcher::enqueue);
    executor.runAll();

    assertThat(model.runRows).containsExactly(1L, 3L, 4L, 6L, 1L);
    waiting.forEach(Jobs::assertDoubled);
  }

  @Test
  void requestsOfDifferentShapesDoNotShareAnExecution() {
    DynamicBatcher batcher = batcher(8, 100 * MICROS, 1);
    InferenceJob narrow = job(1, 2);
    InferenceJob wide = job(1, 3);
    InferenceJob narrowAgain = job(1, 2);
    batcher.enqueue(narrow);
    batcher.enqueue(wide);
    batcher.enqueue(narrowAgain);
    clock.advance(100 * MICROS);
    executor.runAll();

    assertThat(model.runRows)
        .as("consecutive compatible requests only")
        .containsExactly(1L, 1L, 1L);
    assertDoubled(narrow);
    assertDoubled(wide);
    assertDoubled(narrowAgain);
  }

  @Test
  void requestsWhoseDeadlinePassedWhileQueuedAreDroppedWithoutRunning() {
    DynamicBatcher batcher = batcher(8, 1000 * MICROS, 1);
    InferenceJob late = job(1, 4, clock.read() + 300 * MICROS, () -> false);
    InferenceJob patient = job(1);
    batcher.enqueue(late);
    batcher.enqueue(patient);
    clock.advance(1000 * MICROS);
    executor.runAll();

    assertStatus(late, Status.Code.DEADLINE_EXCEEDED);
    assertDoubled(patient);
    assertThat(model.runRows).containsExactly(1L);
  }

  @Test
  void aDeadlineThatPassesAfterDispatchStillStopsTheRun() {
    DynamicBatcher batcher = batcher(8, 0, 1);
    InferenceJob late = job(1, 4, clock.read() + 10 * MICROS, () -> false);
    batcher.enqueue(late);
    assertThat(executor.queued()).isEqualTo(1);
    clock.advance(10 * MICROS);
    executor.runAll();

    assertStatus(late, Status.Code.DEADLINE_EXCEEDED);
    assertThat(model.runRows).isEmpty();
    InferenceJob next = job(1);
    batcher.enqueue(next);
    executor.runAll();
    assertDoubled(next);
  }

  @Test
  void cancelledRequestsAreDropped() {
    DynamicBatcher batcher = batcher(8, 100 * MICROS, 1);
    AtomicBoolean gone = new AtomicBoolean();
    InferenceJob cancelled = job(1, 4, InferenceJob.NO_DEADLINE, gone::get);
    InferenceJob kept = job(1);
    batcher.enqueue(cancelled);
    batcher.enqueue(kept);
    gone.set(true);
    clock.advance(100 * MICROS);
    executor.runAll();

    assertStatus(cancelled, Status.Code.CANCELLED);
    assertDoubled(kept);
    assertThat(model.runRows).containsExactly(1L);
  }

  @Test
  void aFailedExecutionFailsExactlyItsRequests() {
    DynamicBatcher batcher = batcher(8, 0, 1);
    InferenceJob before = job(1);
    batcher.enqueue(before);
    InferenceJob poisoned = poisonedJob();
    InferenceJob sameBatch = job(1);
    batcher.enqueue(poisoned);
    batcher.enqueue(sameBatch);
    executor.runOne();
    InferenceJob after = job(1);
    batcher.enqueue(after);
    executor.runAll();

    assertDoubled(before);
    assertReason(poisoned, ErrorReason.INFERENCE_FAILED);
    assertReason(sameBatch, ErrorReason.INFERENCE_FAILED);
    assertDoubled(after);
    assertThat(model.runRows).containsExactly(1L, 2L, 1L);
  }

  @Test
  void outputsThatDoNotFollowTheBatchAreComputedPerRequest() {
    model.dropARow = true;
    DynamicBatcher batcher = batcher(8, 100 * MICROS, 1);
    InferenceJob first = job(1);
    InferenceJob second = job(1);
    batcher.enqueue(first);
    batcher.enqueue(second);
    clock.advance(100 * MICROS);
    executor.runAll();

    assertThat(model.runRows).containsExactly(2L, 1L, 1L);
    assertDoubled(first);
    assertDoubled(second);
  }

  @Test
  void severalExecutionsRunAtOnceUpToMaxInFlight() {
    DynamicBatcher batcher = batcher(2, 0, 2);
    List<InferenceJob> jobs = List.of(job(1), job(1), job(1), job(1), job(1), job(1));
    jobs.forEach(batcher::enqueue);
    assertThat(executor.queued()).as("two slots").isEqualTo(2);
    executor.runAll();

    assertThat(model.runRows).containsExactly(1L, 1L, 2L, 2L);
    jobs.forEach(Jobs::assertDoubled);
  }

  @Test
  void afterDrainNothingWaits() {
    DynamicBatcher batcher = batcher(8, TimeUnit.SECONDS.toNanos(1), 1);
    InferenceJob queued = job(1);
    batcher.enqueue(queued);
    assertThat(executor.queued()).isZero();
    batcher.drain();
    assertThat(executor.queued()).isEqualTo(1);

    InferenceJob late = job(1);
    batcher.enqueue(late);
    assertThat(executor.queued()).as("dispatched without waiting for a slot").isEqualTo(2);
    executor.runAll();
    assertDoubled(queued);
    assertDoubled(late);
  }

  @Test
  void aFullExecutionPoolRefusesTheBatchAndTheBatcherRecovers() {
    DynamicBatcher batcher = batcher(8, 0, 1);
    executor.refuse(true);
    InferenceJob refused = job(1);
    batcher.enqueue(refused);
    assertReason(refused, ErrorReason.LIMIT_EXCEEDED);

    executor.refuse(false);
    InferenceJob next = job(1);
    batcher.enqueue(next);
    executor.runAll();
    assertDoubled(next);
  }

  @Test
  void statisticsCountInferencesExecutionsAndBatchSizes() {
    DynamicBatcher batcher = batcher(8, 100 * MICROS, 1);
    batcher.enqueue(job(1));
    batcher.enqueue(job(2));
    clock.advance(100 * MICROS);
    executor.runAll();
    batcher.enqueue(job(1));
    clock.advance(100 * MICROS);
    executor.runAll();

    VersionStatistics.Snapshot snapshot = statistics.snapshot();
    assertThat(snapshot.executionCount()).isEqualTo(2);
    assertThat(snapshot.batchSizes())
        .extracting(VersionStatistics.BatchSize::batchSize, b -> b.computeInfer().count())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1L, 1L),
            org.assertj.core.groups.Tuple.tuple(3L, 1L));
  }

  private InferenceJob job(int rows) {
    return jobs.job(rows, 4);
  }

  private InferenceJob job(int rows, int columns) {
    return jobs.job(rows, columns);
  }

  private InferenceJob job(
      int rows, int columns, long deadline, java.util.function.BooleanSupplier cancelled) {
    return jobs.job(rows, columns, deadline, cancelled);
  }

  private static InferenceJob poisonedJob() {
    return Jobs.poisoned();
  }
}
