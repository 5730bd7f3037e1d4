package dev.agora.registry.service;

import static dev.agora.registry.service.RegistryServiceTest.assertFailure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agora.proto.registry.v1.CurationKind;
import dev.agora.proto.registry.v1.ListCurationCandidatesRequest;
import dev.agora.proto.registry.v1.Model;
import dev.agora.proto.registry.v1.Stage;
import dev.agora.registry.RegistryConfig;
import dev.agora.registry.catalog.GovernanceConfig;
import dev.agora.testing.models.TestModels;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DeprecateVersion's notice period and successor, and ListCurationCandidates. */
class DeprecationAndCurationTest {
  @TempDir Path dataDir;
  private RegistryHarness registry;
  private Governance governance;

  @BeforeEach
  void start() throws Exception {
    registry =
        RegistryHarness.start(
            RegistryConfig.defaults(dataDir)
                .withGovernance(new GovernanceConfig(Duration.ofDays(14))),
            new MutableClock(Instant.parse("2026-01-01T00:00:00Z")));
    governance = new Governance(registry);
    registry.createModel("scorer");
    for (String version : new String[] {"1.0.0", "1.1.0"}) {
      registry.upload("scorer", version, TestModels.mlp());
      registry.publish("scorer", version);
    }
    registry.upload("scorer", "1.2.0", TestModels.mlp());
  }

  @AfterEach
  void stop() throws Exception {
    registry.close();
  }

  @Test
  void theSunsetMustBeAtLeastTheNoticePeriodAway() {
    Instant now = registry.clock.instant();
    StatusRuntimeException missing =
        assertFailure(
            () -> governance.deprecate("scorer", "1.0.0", null, ""),
            Status.Code.INVALID_ARGUMENT,
            "INVALID_FIELD");
    assertThat(StatusDetails.violatedFields(missing)).containsExactly("sunset_time");
    StatusRuntimeException tooSoon =
        assertFailure(
            () -> governance.deprecate("scorer", "1.0.0", now.plus(Duration.ofDays(13)), ""),
            Status.Code.FAILED_PRECONDITION,
            "LIFECYCLE_VIOLATION");
    assertThat(StatusDetails.preconditionFailure(tooSoon).orElseThrow().getViolationsList())
        .singleElement()
        .satisfies(v -> assertThat(v.getType()).isEqualTo("DEPRECATION_NOTICE_PERIOD"));
    assertThat(registry.getVersion("scorer", "1.0.0").getStage()).isEqualTo(Stage.STAGE_PUBLISHED);

    assertThat(
            governance.deprecate("scorer", "1.0.0", now.plus(Duration.ofDays(14)), "").getStage())
        .isEqualTo(Stage.STAGE_DEPRECATED);
  }

  @Test
  void aSuccessorMustBeAnotherPublishedVersion() {
    Instant sunset = registry.clock.instant().plus(Duration.ofDays(60));
    assertFailure(
        () -> governance.deprecate("scorer", "1.0.0", sunset, "9.9.9"),
        Status.Code.NOT_FOUND,
        "VERSION_NOT_FOUND");
    for (String successor : new String[] {"1.2.0", "1.0.0"}) {
      StatusRuntimeException refused =
          assertFailure(
              () -> governance.deprecate("scorer", "1.0.0", sunset, successor),
              Status.Code.FAILED_PRECONDITION,
              "LIFECYCLE_VIOLATION");
      assertThat(StatusDetails.preconditionFailure(refused).orElseThrow().getViolationsList())
          .singleElement()
          .satisfies(v -> assertThat(v.getType()).isEqualTo("DEPRECATION_SUCCESSOR"));
    }
    assertFailure(
        () -> governance.deprecate("scorer", "1.0.0", sunset, "not-a-version"),
        Status.Code.INVALID_ARGUMENT,
        "INVALID_FIELD");

    assertThat(governance.deprecate("scorer", "1.0.0", sunset, "1.1.0").getSuccessorVersion())
        .isEqualTo("1.1.0");
  }

  @Test
  void retiringTheLatestVersionFallsBackToTheNextServableOne() {
    governance.retire("scorer", "1.1.0");
    assertThat(latest()).isEqualTo("1.0.0");
    governance.retire("scorer", "1.0.0");
    assertThat(latest()).isEmpty();
    assertThat(registry.getVersion("scorer", "1.1.0").getStage()).isEqualTo(Stage.STAGE_RETIRED);
  }

  @Test
  void modelsNotUpdatedForDaysAreCurationCandidates() {
    registry.clock.advance(Duration.ofDays(200));
    registry.createModel("fresh");
    registry.clock.advance(Duration.ofDays(2));

    assertThat(candidates(CurationKind.CURATION_KIND_NOT_UPDATED_SINCE, 180))
        .extracting(Model::getName)
        .containsExactly("scorer");
    assertThat(candidates(CurationKind.CURATION_KIND_NOT_UPDATED_SINCE, 300)).isEmpty();

    governance.deprecate("scorer", "1.0.0", registry.clock.instant().plus(Duration.ofDays(30)), "");
    assertThat(candidates(CurationKind.CURATION_KIND_NOT_UPDATED_SINCE, 180))
        .as("a lifecycle change updates the model")
        .isEmpty();

    assertFailure(
        () -> candidates(CurationKind.CURATION_KIND_UNSPECIFIED, 30),
        Status.Code.INVALID_ARGUMENT,
        "INVALID_FIELD");
    assertFailure(
        () -> candidates(CurationKind.CURATION_KIND_NOT_UPDATED_SINCE, 0),
        Status.Code.INVALID_ARGUMENT,
        "INVALID_FIELD");
    assertThat(candidates(CurationKind.CURATION_KIND_NOT_UPDATED_SINCE, 1))
        .extracting(Model::getName)
        .containsExactly("fresh");
  }

  private java.util.List<Model> candidates(CurationKind kind, int days) {
    return registry
        .blocking()
        .listCurationCandidates(
            ListCurationCandidatesRequest.newBuilder().setKind(kind).setDays(days).build())
        .getModelsList();
  }

  private String latest() {
    return registry
        .blocking()
        .getModel(
            dev.agora.proto.registry.v1.GetModelRequest.newBuilder().setName("scorer").build())
        .getLatestPublishedVersion();
  }
}
