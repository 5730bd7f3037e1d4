package dev.agora.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.agora.inference.fixtures.FakeModelCatalog;
import dev.agora.inference.fixtures.InProcessInference;
import dev.agora.inference.fixtures.StandardModels;
import dev.agora.inference.fixtures.StatusDetails;
import dev.agora.inference.fixtures.TestSignatures;
import dev.agora.proto.inference.CudaSharedMemoryStatusRequest;
import dev.agora.proto.inference.DataType;
import dev.agora.proto.inference.LogSettingsRequest;
import dev.agora.proto.inference.ModelConfig;
import dev.agora.proto.inference.ModelConfigRequest;
import dev.agora.proto.inference.ModelMetadataRequest;
import dev.agora.proto.inference.ModelMetadataResponse;
import dev.agora.proto.inference.ModelReadyRequest;
import dev.agora.proto.inference.ServerLiveRequest;
import dev.agora.proto.inference.ServerMetadataRequest;
import dev.agora.proto.inference.ServerMetadataResponse;
import dev.agora.proto.inference.ServerReadyRequest;
import dev.agora.proto.inference.SystemSharedMemoryRegisterRequest;
import dev.agora.proto.inference.SystemSharedMemoryStatusRequest;
import dev.agora.proto.inference.TraceSettingRequest;
import dev.agora.testing.models.TestModels;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Health, server and model metadata, model configuration, and the RPCs Agora refuses. */
class ServerDescriptionTest {
  @TempDir static Path cacheDir;
  static InProcessInference inference;

  @BeforeAll
  static void startServer() {
    FakeModelCatalog catalog =
        StandardModels.catalog()
            .publish(StandardModels.MLP, "1.1.0", TestModels.mlp(), TestSignatures.MLP)
            .draft(StandardModels.MLP, "2.0.0", TestModels.mlp(), TestSignatures.MLP);
    inference = InProcessInference.started(cacheDir, catalog);
  }

  @AfterAll
  static void stopServer() {
    inference.close();
  }

  @Test
  void serverIsLiveAndReadyAfterStart() {
    assertThat(inference.stub().serverLive(ServerLiveRequest.getDefaultInstance()).getLive())
        .isTrue();
    assertThat(inference.stub().serverReady(ServerReadyRequest.getDefaultInstance()).getReady())
        .isTrue();
    assertThat(inference.server().isReady()).isTrue();
  }

  @Test
  void serverIsNotReadyBeforeStart(@TempDir Path otherCache) {
    try (InProcessInference idle =
        InProcessInference.notStarted(otherCache, StandardModels.catalog())) {
      assertThat(idle.stub().serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
      assertThat(idle.stub().serverReady(ServerReadyRequest.getDefaultInstance()).getReady())
          .isFalse();
      idle.server().start();
      assertThat(idle.stub().serverReady(ServerReadyRequest.getDefaultInstance()).getReady())
          .isTrue();
    }
  }

  @Test
  void serverMetadataListsOnlyImplementedExtensions() {
    ServerMetadataResponse metadata =
        inference.stub().serverMetadata(ServerMetadataRequest.getDefaultInstance());

    assertThat(metadata.getName()).isEqualTo("agora");
    assertThat(metadata.getVersion()).isEqualTo("9.9.9-test");
    assertThat(metadata.getExtensionsList())
        .containsExactlyInAnyOrder("model_repository", "model_configuration")
        .doesNotContain("statistics");
  }

  @Test
  void modelMetadataReportsSignatureAndPublishedVersions() {
    ModelMetadataResponse metadata =
        inference.stub().modelMetadata(ModelMetadataRequest.newBuilder().setName("mlp").build());

    assertThat(metadata.getName()).isEqualTo("mlp");
    assertThat(metadata.getPlatform()).isEqualTo("onnxruntime_onnx");
    assertThat(metadata.getVersionsList()).containsExactly("1.1.0", "1.0.0");
    assertThat(metadata.getInputsCount()).isEqualTo(1);
    assertThat(metadata.getInputs(0).getName()).isEqualTo("input");
    assertThat(metadata.getInputs(0).getDatatype()).isEqualTo("FP32");
    assertThat(metadata.getInputs(0).getShapeList()).containsExactly(-1L, 32L);
    assertThat(metadata.getOutputs(0).getName()).isEqualTo("output");
    assertThat(metadata.getOutputs(0).getShapeList()).containsExactly(-1L, 2L);
  }

  @Test
  void modelMetadataOfUnknownModelIsNotFound() {
    StatusRuntimeException failure =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                inference
                    .stub()
                    .modelMetadata(ModelMetadataRequest.newBuilder().setName("nope").build()));
    assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(StatusDetails.reason(failure)).isEqualTo("MODEL_NOT_FOUND");
  }

  @Test
  void batchingModelConfigDropsTheBatchDimension() {
    ModelConfig config =
        inference
            .stub()
            .modelConfig(ModelConfigRequest.newBuilder().setName("mlp").setVersion("1.0.0").build())
            .getConfig();

    assertThat(config.getName()).isEqualTo("mlp");
    assertThat(config.getPlatform()).isEqualTo("onnxruntime_onnx");
    assertThat(config.getBackend()).isEqualTo("onnxruntime");
    assertThat(config.getMaxBatchSize()).isEqualTo(64);
    assertThat(config.getInput(0).getName()).isEqualTo("input");
    assertThat(config.getInput(0).getDataType()).isEqualTo(DataType.TYPE_FP32);
    assertThat(config.getInput(0).getDimsList()).containsExactly(32L);
    assertThat(config.getOutput(0).getName()).isEqualTo("output");
    assertThat(config.getOutput(0).getDimsList()).containsExactly(2L);
    assertThat(config.hasDynamicBatching()).as("served by the dynamic batcher").isTrue();
    assertThat(config.getDynamicBatching().getMaxQueueDelayMicroseconds()).isZero();
  }

  @Test
  void staticBatchModelConfigHasNoBatching() {
    ModelConfig config =
        inference
            .stub()
            .modelConfig(ModelConfigRequest.newBuilder().setName("static-batch").build())
            .getConfig();

    assertThat(config.getMaxBatchSize()).isZero();
    assertThat(config.hasDynamicBatching()).isFalse();
    assertThat(config.getInput(0).getDimsList()).containsExactly(1L, 16L);
    assertThat(config.getOutput(0).getDimsList()).containsExactly(1L, 16L);
  }

  @Test
  void int64ModelConfigUsesTritonDataType() {
    ModelConfig config =
        inference
            .stub()
            .modelConfig(ModelConfigRequest.newBuilder().setName("int64-double").build())
            .getConfig();
    assertThat(config.getInput(0).getDataType()).isEqualTo(DataType.TYPE_INT64);
    assertThat(config.getOutput(0).getDataType()).isEqualTo(DataType.TYPE_INT64);
  }

  @Test
  void modelReadyLoadsPublishedVersionsAndSaysFalseForUnknownOnes() {
    assertThat(ready("mlp", "")).isTrue();
    assertThat(ready("mlp", "1.1.0")).isTrue();
    assertThat(ready("mlp", "1.0.0")).isTrue();
    assertThat(ready("mlp", "2.0.0")).as("a draft is not servable").isFalse();
    assertThat(ready("mlp", "3.0.0")).isFalse();
    assertThat(ready("no-such-model", "")).isFalse();
  }

  @Test
  void sharedMemoryTraceAndLogRpcsAreUnimplementedWithASentence() {
    assertUnimplemented(
        s -> s.systemSharedMemoryStatus(SystemSharedMemoryStatusRequest.getDefaultInstance()),
        "system shared memory");
    assertUnimplemented(
        s ->
            s.systemSharedMemoryRegister(
                SystemSharedMemoryRegisterRequest.newBuilder().setName("r").build()),
        "raw_input_contents");
    assertUnimplemented(
        s -> s.cudaSharedMemoryStatus(CudaSharedMemoryStatusRequest.getDefaultInstance()),
        "CUDA shared memory");
    assertUnimplemented(s -> s.traceSetting(TraceSettingRequest.getDefaultInstance()), "trace");
    assertUnimplemented(s -> s.logSettings(LogSettingsRequest.getDefaultInstance()), "log");
    assertThat(ready("mlp", "")).isTrue();
  }

  private static boolean ready(String model, String version) {
    return inference
        .stub()
        .modelReady(ModelReadyRequest.newBuilder().setName(model).setVersion(version).build())
        .getReady();
  }

  private static void assertUnimplemented(
      Consumer<dev.agora.proto.inference.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub>
          call,
      String fragment) {
    StatusRuntimeException failure =
        catchThrowableOfType(StatusRuntimeException.class, () -> call.accept(inference.stub()));
    assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
    assertThat(StatusDetails.reason(failure)).isEqualTo("NOT_IMPLEMENTED");
    assertThat(failure.getStatus().getDescription())
        .startsWith("Agora does not")
        .contains(fragment);
  }
}
