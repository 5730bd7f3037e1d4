package dev.agora.registry.service;

import static dev.agora.registry.service.RegistryServiceTest.assertFailure;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.PreconditionFailure;
import dev.agora.proto.registry.v1.DeleteVersionRequest;
import dev.agora.proto.registry.v1.DeleteVersionResponse;
import dev.agora.proto.registry.v1.ModelVersion;
import dev.agora.proto.registry.v1.Stage;
import dev.agora.registry.RegistryConfig;
import dev.agora.testing.models.TestModels;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Published versions cannot be overwritten or deleted; drafts can be deleted. */
class ImmutabilityTest {
  @TempDir Path dataDir;
  private RegistryHarness registry;

  @BeforeEach
  void start() throws Exception {
    registry =
        RegistryHarness.start(
            RegistryConfig.defaults(dataDir),
            new MutableClock(Instant.parse("2026-08-01T00:00:00Z")));
    registry.createModel("frozen");
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  private DeleteVersionResponse delete(String version, long expectedRevision) {
    return registry
        .blocking()
        .deleteVersion(
            DeleteVersionRequest.newBuilder()
                .setModel("frozen")
                .setVersion(version)
                .setExpectedRevision(expectedRevision)
                .build());
  }

  @Test
  void aPublishedVersionCannotBeDeletedOrOverwritten() {
    byte[] mlp = TestModels.mlp();
    registry.upload("frozen", "1.0.0", mlp);
    ModelVersion published = registry.publish("frozen", "1.0.0");

    StatusRuntimeException refused =
        assertFailure(
            () -> delete("1.0.0", 0), Status.Code.FAILED_PRECONDITION, "LIFECYCLE_VIOLATION");
    PreconditionFailure failure = StatusDetails.preconditionFailure(refused).orElseThrow();
    assertThat(failure.getViolations(0).getType()).isEqualTo("LIFECYCLE");
    assertThat(refused.getStatus().getDescription()).contains("immutable");

    assertThat(registry.upload("frozen", "1.0.0", mlp)).isEqualTo(published);
    assertFailure(
        () -> registry.upload("frozen", "1.0.0", Artifacts.mlpVariant("other")),
        Status.Code.ALREADY_EXISTS,
        "VERSION_ALREADY_EXISTS");
    assertThat(registry.getVersion("frozen", "1.0.0")).isEqualTo(published);
    assertThat(registry.download("frozen", "1.0.0")).isEqualTo(mlp);

    registry.upload("frozen", "1.0.1", Artifacts.mlpVariant("draft"));
    assertThat(delete("1.0.1", 0).getRevision()).isGreaterThan(published.getRevision());
  }

  @Test
  void deletingADraftRemovesItAndItsUnsharedArtifact() {
    byte[] artifact = Artifacts.mlpVariant("short-lived");
    ModelVersion draft = registry.upload("frozen", "1.0.0", artifact);
    assertThat(registry.blobExists(artifact)).isTrue();

    DeleteVersionResponse deleted = delete("1.0.0", draft.getRevision());

    assertThat(deleted.getRevision()).isGreaterThan(draft.getRevision());
    assertFailure(
        () -> registry.getVersion("frozen", "1.0.0"), Status.Code.NOT_FOUND, "VERSION_NOT_FOUND");
    assertThat(registry.blobExists(artifact)).isFalse();
    assertFailure(() -> delete("1.0.0", 0), Status.Code.NOT_FOUND, "VERSION_NOT_FOUND");

    byte[] replacement = Artifacts.mlpVariant("replacement");
    ModelVersion again = registry.upload("frozen", "1.0.0", replacement);
    assertThat(again.getArtifact().getSha256()).isEqualTo(Artifacts.sha256(replacement));
    assertThat(registry.publish("frozen", "1.0.0").getStage()).isEqualTo(Stage.STAGE_PUBLISHED);
  }

  @Test
  void anArtifactAnotherVersionUsesIsKept() {
    byte[] shared = TestModels.mlp();
    registry.upload("frozen", "1.0.0", shared);
    registry.publish("frozen", "1.0.0");
    registry.upload("frozen", "1.1.0", shared);

    delete("1.1.0", 0);

    assertThat(registry.blobExists(shared)).isTrue();
    assertThat(registry.download("frozen", "1.0.0")).isEqualTo(shared);
  }

  @Test
  void aStaleExpectedRevisionRefusesTheDeletion() {
    ModelVersion draft = registry.upload("frozen", "1.0.0", TestModels.mlp());
    assertFailure(() -> delete("1.0.0", draft.getRevision() + 1), Status.Code.ABORTED, "CONFLICT");
    assertThat(registry.getVersion("frozen", "1.0.0")).isEqualTo(draft);
    assertFailure(() -> delete("1.0.0", -1), Status.Code.INVALID_ARGUMENT, "INVALID_FIELD");

    delete("1.0.0", draft.getRevision());
  }
}
