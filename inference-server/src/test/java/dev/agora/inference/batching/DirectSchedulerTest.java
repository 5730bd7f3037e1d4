package dev.agora.inference.batching;

import static dev.agora.inference.batching.Jobs.assertDoubled;
import static dev.agora.inference.batching.Jobs.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agora.inference.statistics.VersionStatistics;
import dev.agora.inference.tensor.Datatype;
import dev.agora.inference.tensor.InputTensor;
import dev.agora.inference.tensor.TensorBufferPool;
import io.grpc.Status;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The direct scheduler runs every request on its own. */
class DirectSchedulerTest {
  final ManualClock clock = new ManualClock();
  final ManualExecutor executor = new ManualExecutor();
  final RecordingModel model = new RecordingModel();
  final VersionStatistics statistics = new VersionStatistics();
  final SchedulerFactory factory =
      new SchedulerFactory(
          BatchPolicies.everyModel(Optional.of(new BatchPolicy(8, 0, 1))),
          ExecutionSlots.poolOnly(executor),
          clock,
          clock,
          new TensorBufferPool(1 << 16, 1 << 20));

  @Test
  void modelsThatCannotBatchGetTheDirectScheduler() {
    assertThat(factory.create("model", model, false, statistics))
        .isInstanceOf(DirectScheduler.class);
    assertThat(factory.create("model", model, true, statistics)).isInstanceOf(DynamicBatcher.class);
    SchedulerFactory off =
        new SchedulerFactory(
            BatchPolicies.everyModel(Optional.empty()),
            ExecutionSlots.poolOnly(executor),
            clock,
            clock,
            new TensorBufferPool(64, 0));
    assertThat(off.create("model", model, true, statistics).batching()).isFalse();
  }

  @Test
  void everyRequestRunsAloneInArrivalOrder() {
    Scheduler scheduler = factory.create("model", model, false, statistics);
    InferenceJob first = job(2, InferenceJob.NO_DEADLINE);
    InferenceJob second = job(1, InferenceJob.NO_DEADLINE);
    scheduler.enqueue(first);
    scheduler.enqueue(second);
    assertThat(model.runRows).as("this factory's slots never run on the caller").isEmpty();
    executor.runAll();

    assertThat(model.runRows).containsExactly(2L, 1L);
    assertDoubled(first);
    assertDoubled(second);
    assertThat(statistics.snapshot().executionCount()).isEqualTo(2);
  }

  @Test
  void expiredRequestsAreDropped() {
    Scheduler scheduler = factory.create("model", model, false, statistics);
    InferenceJob late = job(1, clock.read() + 5);
    scheduler.enqueue(late);
    clock.advance(5);
    executor.runAll();
    assertStatus(late, Status.Code.DEADLINE_EXCEEDED);
    assertThat(model.runRows).isEmpty();
  }

  private static InferenceJob job(int rows, long deadline) {
    ByteBuffer data = ByteBuffer.allocate(rows * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < rows * 2; i++) {
      data.putFloat(i + 0.5f);
    }
    data.flip();
    InputTensor x = new InputTensor("x", Datatype.FP32, new long[] {rows, 2}, data);
    return new InferenceJob(List.of(x), List.of("y"), rows, false, deadline, () -> false);
  }
}
