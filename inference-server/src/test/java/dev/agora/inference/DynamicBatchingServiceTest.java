package dev.agora.inference;

import static dev.agora.inference.fixtures.Requests.input;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.common.util.concurrent.ListenableFuture;
import dev.agora.inference.batching.ModelBatching;
import dev.agora.inference.fixtures.InProcessInference;
import dev.agora.inference.fixtures.StandardModels;
import dev.agora.inference.fixtures.Tensors;
import dev.agora.proto.inference.GRPCInferenceServiceGrpc;
import dev.agora.proto.inference.InferBatchStatistics;
import dev.agora.proto.inference.InferParameter;
import dev.agora.proto.inference.ModelConfig;
import dev.agora.proto.inference.ModelConfigRequest;
import dev.agora.proto.inference.ModelInferRequest;
import dev.agora.proto.inference.ModelInferResponse;
import dev.agora.proto.inference.ModelStatistics;
import dev.agora.proto.inference.ModelStatisticsRequest;
import dev.agora.testing.models.TestModels;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dynamic batching and deadlines through the real server wiring. */
class DynamicBatchingServiceTest {
  @TempDir Path cacheDir;

  @Test
  void concurrentRequestsShareOneExecutionAndGetTheirOwnRows() throws Exception {
    InferenceConfig config =
        InProcessInference.config(cacheDir).withBatching(4, Duration.ofSeconds(10));
    try (InProcessInference inference =
        InProcessInference.started(config, StandardModels.catalog())) {
      assertThat(
              inference
                  .stub()
                  .modelConfig(ModelConfigRequest.newBuilder().setName("mlp").build())
                  .getConfig()
                  .getDynamicBatching()
                  .getMaxQueueDelayMicroseconds())
          .isEqualTo(10_000_000);

      // Four rows fill max_batch_size 4, so the batch leaves without waiting for the 10 s delay.
      List<float[]> rows = new ArrayList<>();
      List<ListenableFuture<ModelInferResponse>> answers = new ArrayList<>();
      var stub =
          GRPCInferenceServiceGrpc.newFutureStub(inference.channel())
              .withDeadlineAfter(30, TimeUnit.SECONDS);
      for (int i = 0; i < 4; i++) {
        float[] row = Tensors.sampleFp32(32, 100 + i);
        rows.add(row);
        answers.add(stub.modelInfer(mlpRequest(row).build()));
      }
      for (int i = 0; i < 4; i++) {
        float[] output =
            Tensors.toFp32(answers.get(i).get(30, TimeUnit.SECONDS).getRawOutputContents(0));
        float[] expected = TestModels.mlpReference(rows.get(i), 1);
        for (int j = 0; j < expected.length; j++) {
          assertThat(output[j]).isCloseTo(expected[j], org.assertj.core.data.Offset.offset(1e-5f));
        }
      }

      ModelStatistics stats = statistics(inference, "mlp");
      assertThat(stats.getInferenceCount()).isEqualTo(4);
      assertThat(stats.getExecutionCount()).isEqualTo(1);
      assertThat(stats.getInferenceStats().getSuccess().getCount()).isEqualTo(4);
      assertThat(stats.getInferenceStats().getQueue().getCount()).isEqualTo(4);
      assertThat(stats.getInferenceStats().getComputeInfer().getCount()).isEqualTo(4);
      assertThat(stats.getBatchStatsList())
          .extracting(InferBatchStatistics::getBatchSize, b -> b.getComputeInfer().getCount())
          .containsExactly(org.assertj.core.groups.Tuple.tuple(4L, 1L));
      assertThat(stats.getMemoryUsage(0).getByteSize()).isPositive();
    }
  }

  @Test
  void aModelConfiguredOtherwiseIsBatchedItsOwnWay() throws Exception {
    InferenceConfig config =
        InProcessInference.config(cacheDir)
            .withBatching(4, Duration.ZERO)
            .withModelBatching(
                Map.of(
                    StandardModels.MLP,
                    new ModelBatching(0, Duration.ZERO),
                    StandardModels.INT64,
                    new ModelBatching(16, Duration.ofMillis(3))));
    try (InProcessInference inference =
        InProcessInference.started(config, StandardModels.catalog())) {
      ModelConfig mlp = config(inference, StandardModels.MLP);
      assertThat(mlp.getMaxBatchSize()).as("batching off for mlp").isZero();
      assertThat(mlp.hasDynamicBatching()).isFalse();
      ModelConfig int64 = config(inference, StandardModels.INT64);
      assertThat(int64.getMaxBatchSize()).isEqualTo(16);
      assertThat(int64.getDynamicBatching().getMaxQueueDelayMicroseconds()).isEqualTo(3000);
      ModelConfig twoInTwoOut = config(inference, StandardModels.TWO_IN_TWO_OUT);
      assertThat(twoInTwoOut.getMaxBatchSize()).as("the server's default").isEqualTo(4);

      // mlp still answers, each request as its own execution
      assertThat(inference.stub().modelInfer(mlpRequest(Tensors.sampleFp32(32, 3)).build()))
          .satisfies(answer -> assertThat(answer.getRawOutputContentsCount()).isEqualTo(1));
      assertThat(statistics(inference, StandardModels.MLP).getBatchStatsList())
          .extracting(InferBatchStatistics::getBatchSize)
          .containsExactly(1L);
    }
  }

  private static ModelConfig config(InProcessInference inference, String model) {
    return inference
        .stub()
        .modelConfig(ModelConfigRequest.newBuilder().setName(model).build())
        .getConfig();
  }

  @Test
  void aRequestWhoseTimeoutPassesBeforeItRunsIsDroppedWithDeadlineExceeded() {
    try (InProcessInference inference =
        InProcessInference.started(cacheDir, StandardModels.catalog())) {
      ModelInferRequest oneMicrosecond =
          mlpRequest(Tensors.sampleFp32(32, 1))
              .putParameters("timeout", InferParameter.newBuilder().setInt64Param(1).build())
              .build();

      StatusRuntimeException failure =
          catchThrowableOfType(
              StatusRuntimeException.class, () -> inference.stub().modelInfer(oneMicrosecond));

      assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
      assertThat(failure.getStatus().getDescription()).contains("did not run it");
      ModelStatistics stats = statistics(inference, "mlp");
      assertThat(stats.getExecutionCount()).as("the model never ran").isZero();
      assertThat(stats.getInferenceStats().getFail().getCount()).isEqualTo(1);

      ModelInferRequest generous =
          mlpRequest(Tensors.sampleFp32(32, 2))
              .putParameters(
                  "timeout", InferParameter.newBuilder().setInt64Param(30_000_000).build())
              .putParameters(
                  "a_custom_parameter", InferParameter.newBuilder().setBoolParam(true).build())
              .build();
      assertThat(inference.stub().modelInfer(generous).getRawOutputContentsCount()).isEqualTo(1);
      assertThat(statistics(inference, "mlp").getExecutionCount()).isEqualTo(1);
    }
  }

  private static ModelInferRequest.Builder mlpRequest(float[] row) {
    return ModelInferRequest.newBuilder()
        .setModelName("mlp")
        .addInputs(input("input", "FP32", 1, 32))
        .addRawInputContents(Tensors.fp32(row));
  }

  private static ModelStatistics statistics(InProcessInference inference, String model) {
    return inference
        .stub()
        .modelStatistics(ModelStatisticsRequest.newBuilder().setName(model).build())
        .getModelStats(0);
  }
}
