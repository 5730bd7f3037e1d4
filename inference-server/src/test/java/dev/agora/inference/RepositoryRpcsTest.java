package dev.agora.inference;

import static dev.agora.inference.fixtures.Requests.input;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.agora.inference.fixtures.FakeModelCatalog;
import dev.agora.inference.fixtures.InProcessInference;
import dev.agora.inference.fixtures.StatusDetails;
import dev.agora.inference.fixtures.Tensors;
import dev.agora.inference.fixtures.TestSignatures;
import dev.agora.proto.inference.ModelInferRequest;
import dev.agora.proto.inference.ModelRepositoryParameter;
import dev.agora.proto.inference.ModelStatistics;
import dev.agora.proto.inference.ModelStatisticsRequest;
import dev.agora.proto.inference.RepositoryIndexRequest;
import dev.agora.proto.inference.RepositoryIndexResponse;
import dev.agora.proto.inference.RepositoryIndexResponse.ModelIndex;
import dev.agora.proto.inference.RepositoryModelLoadRequest;
import dev.agora.proto.inference.RepositoryModelUnloadRequest;
import dev.agora.testing.models.TestModels;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model-repository extension and statistics, on a server that starts with nothing loaded. */
class RepositoryRpcsTest {
  @TempDir Path cacheDir;
  FakeModelCatalog catalog;
  InProcessInference inference;

  @BeforeEach
  void startServer() {
    catalog =
        new FakeModelCatalog()
            .publish("mlp", "1.0.0", TestModels.mlp(), TestSignatures.MLP)
            .publishWithWrongDigest("broken", "1.0.0", TestModels.mlp(), TestSignatures.MLP)
            .register("empty");
    inference = InProcessInference.notStarted(cacheDir, catalog);
  }

  @AfterEach
  void stopServer() {
    inference.close();
  }

  @Test
  void indexListsCatalogModelsBeforeAnythingLoads() {
    assertThat(index(false))
        .extracting(ModelIndex::getName, ModelIndex::getVersion, ModelIndex::getState)
        .containsExactly(
            tuple("broken", "1.0.0", ""),
            tuple("empty", "", "UNAVAILABLE"),
            tuple("mlp", "1.0.0", ""));
    assertThat(index(true)).isEmpty();
  }

  @Test
  void loadMakesModelReadyAndUnloadForgetsIt() {
    inference.stub().repositoryModelLoad(load("mlp"));

    assertThat(index(true))
        .extracting(ModelIndex::getName, ModelIndex::getVersion, ModelIndex::getState)
        .containsExactly(tuple("mlp", "1.0.0", "READY"));

    inference
        .stub()
        .repositoryModelUnload(
            RepositoryModelUnloadRequest.newBuilder().setModelName("mlp").build());

    assertThat(index(true)).isEmpty();
    assertThat(index(false)).extracting(ModelIndex::getState).doesNotContain("READY");
    assertThat(infer().getModelVersion()).as("a request loads it again").isEqualTo("1.0.0");
    assertThat(index(true)).extracting(ModelIndex::getName).containsExactly("mlp");
  }

  @Test
  void loadingAnUnknownModelIsNotFound() {
    StatusRuntimeException failure =
        catchThrowableOfType(
            StatusRuntimeException.class, () -> inference.stub().repositoryModelLoad(load("nope")));
    assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(StatusDetails.reason(failure)).isEqualTo("MODEL_NOT_FOUND");
    assertThat(infer().getRawOutputContentsCount()).isEqualTo(1);
  }

  @Test
  void loadingWithConfigOverrideIsRefused() {
    RepositoryModelLoadRequest request =
        load("mlp").toBuilder()
            .putParameters(
                "config", ModelRepositoryParameter.newBuilder().setStringParam("{}").build())
            .build();
    StatusRuntimeException failure =
        catchThrowableOfType(
            StatusRuntimeException.class, () -> inference.stub().repositoryModelLoad(request));
    assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
    assertThat(infer().getRawOutputContentsCount()).isEqualTo(1);
  }

  @Test
  void corruptedArtifactIsReportedUnavailableWithItsReason() {
    StatusRuntimeException failure =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () -> inference.stub().repositoryModelLoad(load("broken")));

    assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.DATA_LOSS);
    assertThat(StatusDetails.reason(failure)).isEqualTo("ARTIFACT_CORRUPTED");
    assertThat(index(false))
        .filteredOn(m -> m.getName().equals("broken"))
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.getState()).isEqualTo("UNAVAILABLE");
              assertThat(m.getReason()).contains("cannot be trusted");
            });
    assertThat(infer().getRawOutputContentsCount()).isEqualTo(1);
  }

  @Test
  void startPreloadsLatestPublishedVersionsAndKeepsGoingPastFailures() {
    inference.server().start();

    assertThat(inference.server().isReady()).isTrue();
    assertThat(index(false))
        .extracting(ModelIndex::getName, ModelIndex::getState)
        .containsExactly(
            tuple("broken", "UNAVAILABLE"), tuple("empty", "UNAVAILABLE"), tuple("mlp", "READY"));
    assertThat(catalog.fetchCount("mlp", "1.0.0")).isEqualTo(1);
  }

  @Test
  void statisticsCountServedInferences() {
    for (int i = 0; i < 3; i++) {
      infer();
    }
    catchThrowableOfType(
        StatusRuntimeException.class,
        () ->
            inference
                .stub()
                .modelInfer(
                    ModelInferRequest.newBuilder()
                        .setModelName("mlp")
                        .addInputs(input("input", "FP32", 2, 32))
                        .addRawInputContents(Tensors.fp32(new float[32]))
                        .build()));

    ModelStatistics stats =
        inference
            .stub()
            .modelStatistics(ModelStatisticsRequest.newBuilder().setName("mlp").build())
            .getModelStats(0);

    assertThat(stats.getName()).isEqualTo("mlp");
    assertThat(stats.getVersion()).isEqualTo("1.0.0");
    assertThat(stats.getInferenceCount()).isEqualTo(3);
    assertThat(stats.getExecutionCount()).isEqualTo(3);
    assertThat(stats.getLastInference()).isPositive();
    assertThat(stats.getInferenceStats().getSuccess().getCount()).isEqualTo(3);
    assertThat(stats.getInferenceStats().getFail().getCount()).isEqualTo(1);
    assertThat(stats.getInferenceStats().getQueue().getCount()).isEqualTo(4);
    assertThat(stats.getInferenceStats().getComputeInfer().getCount()).isEqualTo(3);
    assertThat(stats.getInferenceStats().getComputeInfer().getNs()).isPositive();
  }

  @Test
  void explicitLoadsMakeRoomWithinTheMemoryBudgetAndTheIndexSaysWhy() {
    inference.close();
    catalog.publish("int64", "1.0.0", TestModels.int64Model(), TestSignatures.INT64);
    InferenceConfig tiny = InProcessInference.config(cacheDir).withModelCacheBytes(3L << 19);
    inference = InProcessInference.notStarted(tiny, catalog);

    inference.stub().repositoryModelLoad(load("mlp"));
    inference.stub().repositoryModelLoad(load("int64"));
    await().atMost(java.time.Duration.ofSeconds(10)).until(() -> index(true).size() == 1);

    assertThat(index(true)).extracting(ModelIndex::getName).containsExactly("int64");
    ModelIndex evicted =
        index(false).stream().filter(m -> m.getName().equals("mlp")).findFirst().orElseThrow();
    assertThat(evicted.getState()).isEqualTo("UNAVAILABLE");
    assertThat(evicted.getVersion()).isEqualTo("1.0.0");
    assertThat(evicted.getReason())
        .contains("unloaded from the model cache to make room for model 'int64' version '1.0.0'");

    inference.stub().repositoryModelLoad(load(evicted.getName()));
    assertThat(index(false))
        .filteredOn(m -> m.getName().equals(evicted.getName()))
        .extracting(ModelIndex::getState)
        .containsExactly("READY");
  }

  private RepositoryModelLoadRequest load(String model) {
    return RepositoryModelLoadRequest.newBuilder().setModelName(model).build();
  }

  private java.util.List<ModelIndex> index(boolean readyOnly) {
    RepositoryIndexResponse response =
        inference
            .stub()
            .repositoryIndex(RepositoryIndexRequest.newBuilder().setReady(readyOnly).build());
    return response.getModelsList();
  }

  private dev.agora.proto.inference.ModelInferResponse infer() {
    return inference
        .stub()
        .modelInfer(
            ModelInferRequest.newBuilder()
                .setModelName("mlp")
                .addInputs(input("input", "FP32", 1, 32))
                .addRawInputContents(Tensors.fp32(new float[32]))
                .build());
  }
}
