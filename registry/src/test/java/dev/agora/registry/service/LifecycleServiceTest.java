package dev.agora.registry.service;

import static dev.agora.registry.service.RegistryServiceTest.assertFailure;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.PreconditionFailure;
import dev.agora.proto.registry.v1.ModelVersion;
import dev.agora.proto.registry.v1.Stage;
import dev.agora.registry.RegistryConfig;
import dev.agora.registry.catalog.CatalogKeys;
import dev.agora.registry.store.Txn;
import dev.agora.testing.models.TestModels;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** PublishVersion from stages other than DRAFT and PUBLISHED. */
class LifecycleServiceTest {
  @TempDir Path dataDir;
  private RegistryHarness registry;

  @BeforeEach
  void start() throws Exception {
    registry =
        RegistryHarness.start(
            RegistryConfig.defaults(dataDir),
            new MutableClock(Instant.parse("2026-01-01T00:00:00Z")));
  }

  @AfterEach
  void stop() throws Exception {
    registry.close();
  }

  @ParameterizedTest
  @EnumSource(
      value = Stage.class,
      names = {"STAGE_IN_REVIEW", "STAGE_DEPRECATED", "STAGE_RETIRED", "STAGE_REJECTED"})
  void publishingFromAnotherStageIsALifecycleViolation(Stage stage) {
    registry.createModel("gated");
    ModelVersion draft = registry.upload("gated", "1.0.0", TestModels.mlp());
    String key = CatalogKeys.version("gated", "1.0.0");
    registry
        .registry
        .metadataStore()
        .commit(
            Txn.builder()
                .put(key, draft.toBuilder().setStage(stage).clearRevision().build().toByteArray())
                .build());

    StatusRuntimeException refused =
        assertFailure(
            () -> registry.publish("gated", "1.0.0"),
            Status.Code.FAILED_PRECONDITION,
            "LIFECYCLE_VIOLATION");
    PreconditionFailure failure = StatusDetails.preconditionFailure(refused).orElseThrow();
    assertThat(failure.getViolationsList())
        .singleElement()
        .satisfies(
            violation -> {
              assertThat(violation.getType()).isEqualTo("LIFECYCLE");
              assertThat(violation.getSubject()).isEqualTo("models/gated/versions/1.0.0");
              assertThat(violation.getDescription()).contains(stage.name());
            });
    assertThat(registry.getVersion("gated", "1.0.0").getStage()).isEqualTo(stage);

    registry.upload("gated", "1.1.0", TestModels.mlp());
    assertThat(registry.publish("gated", "1.1.0").getStage()).isEqualTo(Stage.STAGE_PUBLISHED);
  }
}
