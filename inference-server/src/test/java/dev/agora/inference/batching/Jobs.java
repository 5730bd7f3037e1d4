package dev.agora.inference.batching;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agora.common.error.AgoraException;
import dev.agora.inference.tensor.Datatype;
import dev.agora.inference.tensor.InputTensor;
import dev.agora.proto.errors.v1.ErrorReason;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;

/**
 * Jobs for {@link RecordingModel} (FP32 {@code x}, distinct values in every job) and assertions on
 * how they ended.
 */
final class Jobs {
  private float nextValue = 1;

  InferenceJob job(int rows, int columns) {
    return job(rows, columns, InferenceJob.NO_DEADLINE, () -> false);
  }

  InferenceJob job(int rows, int columns, long deadline, BooleanSupplier cancelled) {
    ByteBuffer data = ByteBuffer.allocate(rows * columns * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < rows * columns; i++) {
      data.putFloat(nextValue++);
    }
    data.flip();
    InputTensor x = new InputTensor("x", Datatype.FP32, new long[] {rows, columns}, data);
    return new InferenceJob(List.of(x), List.of("y"), rows, true, deadline, cancelled);
  }

  static InferenceJob poisoned() {
    ByteBuffer data = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    data.putFloat(RecordingModel.POISON).putFloat(0).putFloat(0).putFloat(0).flip();
    InputTensor x = new InputTensor("x", Datatype.FP32, new long[] {1, 4}, data);
    return new InferenceJob(
        List.of(x), List.of("y"), 1, true, InferenceJob.NO_DEADLINE, () -> false);
  }

  /** The job's output is twice its own input, row for row: it got its own slice back. */
  static void assertDoubled(InferenceJob job) {
    ByteBuffer in = job.inputs().get(0).data().duplicate().order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer out =
        job.result().join().outputs().get(0).data().duplicate().order(ByteOrder.LITTLE_ENDIAN);
    assertThat(out.remaining()).isEqualTo(in.remaining());
    for (int i = 0; i < in.remaining() / 4; i++) {
      assertThat(out.getFloat(out.position() + i * 4))
          .isEqualTo(in.getFloat(in.position() + i * 4) * 2);
    }
    assertThat(job.result().join().outputs().get(0).shape())
        .containsExactly(job.inputs().get(0).shape());
  }

  static void assertStatus(InferenceJob job, Status.Code code) {
    assertThat(job.result()).isCompletedExceptionally();
    assertThat(failure(job))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(code));
  }

  static void assertReason(InferenceJob job, ErrorReason reason) {
    assertThat(job.result()).isCompletedExceptionally();
    assertThat(failure(job))
        .isInstanceOfSatisfying(
            AgoraException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }

  private static Throwable failure(InferenceJob job) {
    try {
      job.result().join();
      throw new AssertionError("the job succeeded");
    } catch (CompletionException failed) {
      return failed.getCause();
    }
  }
}
