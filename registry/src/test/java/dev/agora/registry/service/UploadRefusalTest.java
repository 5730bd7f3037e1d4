package dev.agora.registry.service;

import static dev.agora.registry.service.RegistryHarness.uploadMessages;
import static dev.agora.registry.service.RegistryServiceTest.assertFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agora.proto.registry.v1.ListVersionsRequest;
import dev.agora.proto.registry.v1.ModelVersion;
import dev.agora.proto.registry.v1.Stage;
import dev.agora.proto.registry.v1.UploadVersionRequest;
import dev.agora.registry.RegistryConfig;
import dev.agora.testing.models.TestModels;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every way an upload is refused: the status code and reason, no version and no blob left behind,
 * and a good upload of the same version succeeding right after.
 */
class UploadRefusalTest {
  private static final String MODEL = UploadRefusals.MODEL;
  private static final String VERSION = UploadRefusals.VERSION;

  @TempDir Path dataDir;
  private RegistryHarness registry;

  @BeforeEach
  void start() throws Exception {
    registry =
        RegistryHarness.start(
            new RegistryConfig(dataDir, UploadRefusals.MAX_ARTIFACT, UploadRefusals.MAX_CHUNK),
            new MutableClock(Instant.parse("2026-01-01T00:00:00Z")));
    registry.createModel(MODEL);
  }

  @AfterEach
  void stop() throws Exception {
    registry.close();
  }

  private static List<UploadVersionRequest> upload(byte[] bytes) {
    return uploadMessages(MODEL, VERSION, bytes, UploadRefusals.MAX_CHUNK);
  }

  static Stream<UploadRefusals.Refusal> refusals() {
    return UploadRefusals.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void isRefusedAndLeavesNothingBehind(UploadRefusals.Refusal refusal) {
    StatusRuntimeException failure =
        assertFailure(() -> registry.send(refusal.messages()), refusal.code(), refusal.reason());
    if (refusal.field() != null) {
      assertThat(StatusDetails.violatedFields(failure)).containsExactly(refusal.field());
    }
    assertThat(failure.getStatus().getDescription()).isNotBlank();

    assertNothingRecorded();
    if (refusal.attempted() != null) {
      assertThat(registry.blobExists(refusal.attempted())).isFalse();
    }
    assertGoodUploadStillWorks();
  }

  @Test
  void aClientThatCancelsMidUploadLeavesNothingBehind() {
    byte[] bytes = Artifacts.mlpVariant("cancelled");
    CompletableFuture<ModelVersion> answer = new CompletableFuture<>();
    StreamObserver<UploadVersionRequest> requests =
        registry.async().uploadVersion(completing(answer));
    List<UploadVersionRequest> messages = upload(bytes);
    requests.onNext(messages.get(0));
    requests.onNext(messages.get(1));
    await().atMost(10, TimeUnit.SECONDS).until(() -> registry.stagedUploads() == 1);

    requests.onError(new IllegalStateException("the client gave up"));

    await().atMost(10, TimeUnit.SECONDS).until(() -> registry.stagedUploads() == 0);
    await().atMost(10, TimeUnit.SECONDS).until(answer::isDone);
    assertThat(answer).isCompletedExceptionally();
    assertNothingRecorded();
    assertThat(registry.blobExists(bytes)).isFalse();
    assertGoodUploadStillWorks();
  }

  private void assertNothingRecorded() {
    assertFailure(
        () -> registry.getVersion(MODEL, VERSION), Status.Code.NOT_FOUND, "VERSION_NOT_FOUND");
    assertThat(
            registry
                .blocking()
                .listVersions(ListVersionsRequest.newBuilder().setModel(MODEL).build())
                .getVersionsCount())
        .isZero();
    assertThat(registry.storedBlobs()).isEmpty();
    assertThat(registry.stagedUploads()).isZero();
  }

  private void assertGoodUploadStillWorks() {
    byte[] mlp = TestModels.mlp();
    assertThat(registry.upload(MODEL, VERSION, mlp).getStage()).isEqualTo(Stage.STAGE_DRAFT);
    assertThat(registry.publish(MODEL, VERSION).getStage()).isEqualTo(Stage.STAGE_PUBLISHED);
    assertThat(registry.download(MODEL, VERSION)).isEqualTo(mlp);
    assertThat(registry.storedBlobs()).containsExactly(Artifacts.sha256(mlp));
  }

  private static StreamObserver<ModelVersion> completing(CompletableFuture<ModelVersion> answer) {
    return new StreamObserver<>() {
      @Override
      public void onNext(ModelVersion version) {
        answer.complete(version);
      }

      @Override
      public void onError(Throwable failure) {
        answer.completeExceptionally(failure);
      }

      @Override
      public void onCompleted() {}
    };
  }
}
