package dev.agora.registry.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.Timestamp;
import dev.agora.proto.registry.v1.CreateModelRequest;
import dev.agora.proto.registry.v1.GetModelRequest;
import dev.agora.proto.registry.v1.ListVersionsRequest;
import dev.agora.proto.registry.v1.ListVersionsResponse;
import dev.agora.proto.registry.v1.Model;
import dev.agora.proto.registry.v1.ModelVersion;
import dev.agora.proto.registry.v1.Stage;
import dev.agora.proto.registry.v1.TensorSpec;
import dev.agora.registry.RegistryConfig;
import dev.agora.testing.models.TestModels;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole life of a model over gRPC, against the real composition root. */
class RegistryServiceTest {
  private static final Instant START = Instant.parse("2026-03-01T09:00:00Z");

  @TempDir Path dataDir;
  private RegistryHarness registry;

  @BeforeEach
  void start() throws Exception {
    registry =
        RegistryHarness.start(
            RegistryConfig.defaults(dataDir).withMaxChunkBytes(4096), new MutableClock(START));
  }

  @AfterEach
  void stop() throws Exception {
    registry.close();
  }

  private static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder()
        .setSeconds(instant.getEpochSecond())
        .setNanos(instant.getNano())
        .build();
  }

  @Test
  void createUploadGetListPublishDownload() {
    Model created = registry.createModel("fraud-score");
    assertThat(created.getCreateTime()).isEqualTo(timestamp(START));
    assertThat(created.getRevision()).isPositive();

    byte[] mlp = TestModels.mlp();
    Instant uploadedAt = registry.clock.advance(Duration.ofMinutes(5));
    ModelVersion draft = registry.upload("fraud-score", "1.0.0", mlp);

    assertThat(draft.getStage()).isEqualTo(Stage.STAGE_DRAFT);
    assertThat(draft.getRevision()).isGreaterThan(created.getRevision());
    assertThat(draft.getCreateTime()).isEqualTo(timestamp(uploadedAt));
    assertThat(draft.getArtifact().getSha256()).isEqualTo(Artifacts.sha256(mlp));
    assertThat(draft.getArtifact().getSizeBytes()).isEqualTo(mlp.length);
    assertThat(draft.getArtifact().getFormat()).isEqualTo("onnx");
    assertThat(draft.getArtifact().getOpset()).isEqualTo(17);
    assertThat(draft.getSignature().getInputsList())
        .containsExactly(tensor("input", "FP32", -1, 32));
    assertThat(draft.getSignature().getOutputsList())
        .containsExactly(tensor("output", "FP32", -1, 2));
    assertThat(registry.getVersion("fraud-score", "1.0.0")).isEqualTo(draft);

    ListVersionsResponse listed =
        registry
            .blocking()
            .listVersions(ListVersionsRequest.newBuilder().setModel("fraud-score").build());
    assertThat(listed.getVersionsList()).containsExactly(draft);

    Instant publishedAt = registry.clock.advance(Duration.ofMinutes(5));
    ModelVersion published = registry.publish("fraud-score", "1.0.0");
    assertThat(published.getStage()).isEqualTo(Stage.STAGE_PUBLISHED);
    assertThat(published.getPublishTime()).isEqualTo(timestamp(publishedAt));
    assertThat(published.getRevision()).isGreaterThan(draft.getRevision());
    assertThat(registry.getVersion("fraud-score", "1.0.0")).isEqualTo(published);

    Model model =
        registry.blocking().getModel(GetModelRequest.newBuilder().setName("fraud-score").build());
    assertThat(model.getLatestPublishedVersion()).isEqualTo("1.0.0");
    assertThat(model.getRevision()).isEqualTo(published.getRevision());
    assertThat(model.getUpdateTime()).isEqualTo(timestamp(publishedAt));

    byte[] downloaded = registry.download("fraud-score", "1.0.0");
    assertThat(downloaded).isEqualTo(mlp);
    assertThat(Artifacts.sha256(downloaded)).isEqualTo(published.getArtifact().getSha256());
  }

  @Test
  void createModelStoresTheDescriptionAndIgnoresOutputOnlyFields() {
    Model requested =
        Model.newBuilder()
            .setName("churn")
            .setOwnerTeam(RegistryHarness.TEAM)
            .setDisplayName("Churn")
            .addTags("retention")
            .setLatestPublishedVersion("9.9.9")
            .setRevision(12345)
            .build();
    Model created =
        registry
            .blocking()
            .createModel(CreateModelRequest.newBuilder().setModel(requested).build());
    assertThat(created.getDisplayName()).isEqualTo("Churn");
    assertThat(created.getTagsList()).containsExactly("retention");
    assertThat(created.getLatestPublishedVersion()).isEmpty();
    assertThat(created.getRevision()).isNotEqualTo(12345);
    assertThat(registry.blocking().getModel(GetModelRequest.newBuilder().setName("churn").build()))
        .isEqualTo(created);
  }

  @Test
  void reuploadingTheSameBytesIsIdempotentAndDifferentBytesAreRefused() {
    registry.createModel("ranker");
    byte[] original = TestModels.mlp();
    ModelVersion first = registry.upload("ranker", "1.0.0", original);
    ModelVersion again = registry.upload("ranker", "1.0.0", original);
    assertThat(again).isEqualTo(first);

    byte[] other = Artifacts.mlpVariant("other");
    StatusRuntimeException refused =
        catchThrowableOfType(
            StatusRuntimeException.class, () -> registry.upload("ranker", "1.0.0", other));
    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
    assertThat(StatusDetails.reason(refused)).isEqualTo("VERSION_ALREADY_EXISTS");
    assertThat(registry.getVersion("ranker", "1.0.0")).isEqualTo(first);
    assertThat(registry.download("ranker", "1.0.0")).isEqualTo(original);
    assertThat(registry.blobExists(other)).isFalse();
    assertThat(registry.stagedUploads()).isZero();
  }

  @Test
  void versionsListNewestSemanticVersionFirstInPages() {
    registry.createModel("ordering");
    byte[] mlp = TestModels.mlp();
    for (String version : List.of("1.0.0", "1.10.0", "1.2.0", "2.0.0-rc.1", "2.0.0", "0.9.1")) {
      registry.upload("ordering", version, mlp);
    }

    List<String> seen = new java.util.ArrayList<>();
    String token = "";
    do {
      ListVersionsResponse page =
          registry
              .blocking()
              .listVersions(
                  ListVersionsRequest.newBuilder()
                      .setModel("ordering")
                      .setPageSize(4)
                      .setPageToken(token)
                      .build());
      assertThat(page.getVersionsCount()).isLessThanOrEqualTo(4);
      page.getVersionsList().forEach(v -> seen.add(v.getVersion()));
      token = page.getNextPageToken();
    } while (!token.isEmpty());

    assertThat(seen).containsExactly("2.0.0", "2.0.0-rc.1", "1.10.0", "1.2.0", "1.0.0", "0.9.1");
    assertThat(registry.storedBlobs()).containsExactly(Artifacts.sha256(mlp));
  }

  @Test
  void publishingKeepsTheHighestPublishedVersionAndIsIdempotent() {
    registry.createModel("semver");
    byte[] mlp = TestModels.mlp();
    IntStream.of(1, 2, 3).forEach(minor -> registry.upload("semver", "1." + minor + ".0", mlp));

    registry.publish("semver", "1.2.0");
    ModelVersion older = registry.publish("semver", "1.1.0");
    assertThat(latest("semver")).isEqualTo("1.2.0");

    ModelVersion again = registry.publish("semver", "1.1.0");
    assertThat(again).isEqualTo(older);

    registry.publish("semver", "1.3.0");
    assertThat(latest("semver")).isEqualTo("1.3.0");
    assertThat(registry.getVersion("semver", "1.1.0").getStage()).isEqualTo(Stage.STAGE_PUBLISHED);
  }

  @Test
  void unknownNamesAreNotFound() {
    registry.createModel("known");
    registry.upload("known", "1.0.0", TestModels.mlp());

    assertFailure(
        () -> registry.blocking().getModel(GetModelRequest.newBuilder().setName("unknown").build()),
        Status.Code.NOT_FOUND,
        "MODEL_NOT_FOUND");
    assertFailure(
        () -> registry.getVersion("known", "2.0.0"), Status.Code.NOT_FOUND, "VERSION_NOT_FOUND");
    assertFailure(
        () -> registry.getVersion("unknown", "1.0.0"), Status.Code.NOT_FOUND, "MODEL_NOT_FOUND");
    assertFailure(
        () -> registry.publish("known", "2.0.0"), Status.Code.NOT_FOUND, "VERSION_NOT_FOUND");
    assertFailure(
        () -> registry.download("known", "2.0.0"), Status.Code.NOT_FOUND, "VERSION_NOT_FOUND");
    assertFailure(
        () -> registry.download("unknown", "1.0.0"), Status.Code.NOT_FOUND, "MODEL_NOT_FOUND");
    assertFailure(
        () ->
            registry
                .blocking()
                .listVersions(ListVersionsRequest.newBuilder().setModel("unknown").build()),
        Status.Code.NOT_FOUND,
        "MODEL_NOT_FOUND");

    assertThat(registry.download("known", "1.0.0")).isEqualTo(TestModels.mlp());
  }

  @Test
  void malformedNamesInReadsAreInvalidArguments() {
    StatusRuntimeException badName =
        assertFailure(
            () ->
                registry
                    .blocking()
                    .getModel(GetModelRequest.newBuilder().setName("Bad_Name").build()),
            Status.Code.INVALID_ARGUMENT,
            "INVALID_FIELD");
    assertThat(StatusDetails.violatedFields(badName)).containsExactly("name");
    StatusRuntimeException badVersion =
        assertFailure(
            () -> registry.getVersion("known", "1.0"),
            Status.Code.INVALID_ARGUMENT,
            "INVALID_FIELD");
    assertThat(StatusDetails.violatedFields(badVersion)).containsExactly("version");

    assertThat(registry.createModel("known").getName()).isEqualTo("known");
  }

  static StatusRuntimeException assertFailure(
      org.assertj.core.api.ThrowableAssert.ThrowingCallable call, Status.Code code, String reason) {
    StatusRuntimeException failure = catchThrowableOfType(StatusRuntimeException.class, call);
    assertThat(failure).as("expected %s %s", code, reason).isNotNull();
    assertThat(failure.getStatus().getCode()).isEqualTo(code);
    assertThat(StatusDetails.reason(failure)).isEqualTo(reason);
    return failure;
  }

  private String latest(String model) {
    return registry
        .blocking()
        .getModel(GetModelRequest.newBuilder().setName(model).build())
        .getLatestPublishedVersion();
  }

  private static TensorSpec tensor(String name, String datatype, long... shape) {
    TensorSpec.Builder spec = TensorSpec.newBuilder().setName(name).setDatatype(datatype);
    for (long dimension : shape) {
      spec.addShape(dimension);
    }
    return spec.build();
  }
}
