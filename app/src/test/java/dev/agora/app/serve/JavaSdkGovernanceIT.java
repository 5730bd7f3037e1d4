package dev.agora.app.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.agora.proto.access.v1.CreateApiKeyRequest;
import dev.agora.proto.access.v1.Role;
import dev.agora.proto.access.v1.Team;
import dev.agora.proto.access.v1.TeamMember;
import dev.agora.proto.errors.v1.ErrorReason;
import dev.agora.proto.registry.v1.Alias;
import dev.agora.proto.registry.v1.AliasHistoryEntry;
import dev.agora.proto.registry.v1.CurationKind;
import dev.agora.proto.registry.v1.EvaluationResult;
import dev.agora.proto.registry.v1.Model;
import dev.agora.proto.registry.v1.ModelCard;
import dev.agora.proto.registry.v1.ModelVersion;
import dev.agora.proto.registry.v1.QueryUsageRequest;
import dev.agora.proto.registry.v1.Stage;
import dev.agora.proto.registry.v1.UsageRecord;
import dev.agora.sdk.AgoraClient;
import dev.agora.sdk.AgoraClientException;
import dev.agora.sdk.GovernanceClient;
import dev.agora.testing.models.TestModels;
import io.grpc.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java SDK's governance calls against {@code agora serve} over real sockets: review with a
 * reviewer who is not the publisher, aliases with compare-and-set, deprecation and retirement
 * reaching serving, usage and curation.
 */
class JavaSdkGovernanceIT {

  @TempDir Path dataDir;

  private AgoraServer server;
  private AgoraClient admin;
  private AgoraClient pat;
  private AgoraClient rita;
  private Path mlp;

  @BeforeEach
  void start() throws Exception {
    server = ServeFixture.startReportingUsageQuickly(dataDir);
    admin = connect(server.bootstrap().adminKey().orElseThrow().value());
    admin.createTeam(
        Team.newBuilder()
            .setName("fraud")
            .addMembers(member("pat", Role.ROLE_PUBLISHER, Role.ROLE_CONSUMER))
            .addMembers(member("rita", Role.ROLE_REVIEWER))
            .build());
    pat = connect(keyOf("pat"));
    rita = connect(keyOf("rita"));
    mlp = Files.write(dataDir.resolve("mlp.onnx"), TestModels.mlp());
    pat.ensureModel("scorer", "fraud scores", "fraud");
  }

  @AfterEach
  void stop() throws Exception {
    for (AgoraClient client : new AgoraClient[] {pat, rita, admin}) {
      if (client != null) {
        client.close();
      }
    }
    server.close();
  }

  @Test
  void aVersionIsRejectedReopenedAndApprovedOnlyByAReviewerWhoDidNotPublishIt() throws Exception {
    GovernanceClient publisher = pat.governance();
    pat.upload("scorer", "1.0.0", mlp);
    publisher.updateVersionMetadata(complete("scorer", "1.0.0"), "card", "evaluations");

    assertThat(publisher.submitForReview("scorer", "1.0.0").getStage())
        .isEqualTo(Stage.STAGE_IN_REVIEW);
    ModelVersion rejected = rita.governance().reject("scorer", "1.0.0", "name the holdout period");
    assertThat(rejected.getStage()).isEqualTo(Stage.STAGE_REJECTED);
    assertThat(publisher.reopen("scorer", "1.0.0").getStage()).isEqualTo(Stage.STAGE_DRAFT);
    publisher.submitForReview("scorer", "1.0.0");

    AgoraClientException selfApproval =
        catchThrowableOfType(
            AgoraClientException.class, () -> publisher.approve("scorer", "1.0.0", "mine"));
    assertThat(selfApproval.code()).isEqualTo(Status.Code.PERMISSION_DENIED);

    ModelVersion approved = rita.governance().approve("scorer", "1.0.0", "looks good");
    assertThat(approved.getStage()).isEqualTo(Stage.STAGE_PUBLISHED);
    assertThat(approved.getReviewer()).isEqualTo("rita");
    assertThat(infer("")).isEqualTo("1.0.0");
  }

  @Test
  void aliasesMoveWithCompareAndSetAndKeepTheirHistory() throws Exception {
    GovernanceClient publisher = pat.governance();
    publishBoth();

    Alias first = publisher.setAlias("scorer", "stable", "1.0.0");
    Instant beforeTheMove = Instant.now();
    // the move must carry a later time than beforeTheMove even if the registry keeps milliseconds
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> Instant.now().truncatedTo(ChronoUnit.MILLIS).isAfter(beforeTheMove));
    Alias moved = publisher.setAlias("scorer", "stable", "1.1.0", first.getRevision());
    AgoraClientException stale =
        catchThrowableOfType(
            AgoraClientException.class,
            () -> publisher.setAlias("scorer", "stable", "1.0.0", first.getRevision()));

    assertThat(moved.getVersion()).isEqualTo("1.1.0");
    assertThat(stale.reason()).isEqualTo(ErrorReason.CONFLICT);
    assertThat(publisher.getAlias("scorer", "stable").getVersion()).isEqualTo("1.1.0");
    assertThat(publisher.listAliases("scorer"))
        .extracting(Alias::getAlias, Alias::getComputed)
        .contains(
            org.assertj.core.groups.Tuple.tuple("stable", false),
            org.assertj.core.groups.Tuple.tuple("latest", true));
    assertThat(publisher.aliasHistory("scorer", "stable"))
        .extracting(AliasHistoryEntry::getFromVersion, AliasHistoryEntry::getToVersion)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("1.0.0", "1.1.0"),
            org.assertj.core.groups.Tuple.tuple("", "1.0.0"));
    assertThat(publisher.aliasHistoryAt("scorer", "stable", beforeTheMove))
        .extracting(AliasHistoryEntry::getToVersion)
        .containsExactly("1.0.0");
    assertThat(infer("stable")).isEqualTo("1.1.0");

    publisher.deleteAlias("scorer", "stable");
    assertThat(publisher.listAliases("scorer")).extracting(Alias::getAlias).containsOnly("latest");
  }

  @Test
  void deprecationAndRetirementReachServingAndCallsAreMeteredForTheTeam() throws Exception {
    GovernanceClient publisher = pat.governance();
    publishBoth();
    assertThat(infer("1.0.0")).isEqualTo("1.0.0");

    ModelVersion deprecated =
        publisher.deprecate("scorer", "1.0.0", Instant.now().plus(40, ChronoUnit.DAYS), "1.1.0");
    assertThat(deprecated.getStage()).isEqualTo(Stage.STAGE_DEPRECATED);
    assertThat(publisher.retire("scorer", "1.0.0").getStage()).isEqualTo(Stage.STAGE_RETIRED);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        catchThrowableOfType(AgoraClientException.class, () -> infer("1.0.0"))
                            .reason())
                    .isEqualTo(ErrorReason.LIFECYCLE_VIOLATION));
    assertThat(infer("1.1.0")).isEqualTo("1.1.0");

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        publisher.usage(QueryUsageRequest.newBuilder().setModel("scorer").build()))
                    .filteredOn(r -> r.getVersion().equals("1.1.0"))
                    .singleElement()
                    .extracting(UsageRecord::getConsumerTeam, UsageRecord::getRequests)
                    .containsExactly("fraud", 1L));
    assertThat(publisher.curationCandidates(CurationKind.CURATION_KIND_NO_CONSUMERS_SINCE, 1))
        .extracting(Model::getName)
        .doesNotContain("scorer");
    assertThat(publisher.curationCandidates(CurationKind.CURATION_KIND_NOT_UPDATED_SINCE, 365))
        .isEmpty();
  }

  private void publishBoth() throws Exception {
    for (String version : new String[] {"1.0.0", "1.1.0"}) {
      pat.upload("scorer", version, mlp);
      pat.publish("scorer", version);
    }
  }

  /** Calls {@code scorer} as pat, asking for {@code version}; answers the version that served. */
  private String infer(String version) {
    return pat.infer(
            ServeFixture.mlpRequest(1, "FP32").toBuilder()
                .setModelName("scorer")
                .setModelVersion(version)
                .build())
        .getModelVersion();
  }

  private static ModelVersion complete(String model, String version) {
    return ModelVersion.newBuilder()
        .setModel(model)
        .setVersion(version)
        .setCard(
            ModelCard.newBuilder()
                .setPurpose("Scores card transactions for fraud.")
                .setIntendedUse("Real-time authorization.")
                .setOutOfScopeUses("Credit decisions.")
                .setTrainingData("Transactions 2024-2025.")
                .setLimitations("New merchants are scored conservatively.")
                .setMetrics("AUC on a time-split holdout."))
        .addEvaluations(
            EvaluationResult.newBuilder()
                .setMetric("auc")
                .setValue(0.91)
                .setDataset("holdout")
                .setEvaluator("eval-pipeline")
                .setThreshold(0.85)
                .setHigherIsBetter(true))
        .build();
  }

  private static TeamMember member(String principal, Role... roles) {
    TeamMember.Builder member = TeamMember.newBuilder().setPrincipal(principal);
    for (Role role : roles) {
      member.addRoles(role);
    }
    return member.build();
  }

  private String keyOf(String principal) {
    return admin
        .createApiKey(
            CreateApiKeyRequest.newBuilder().setTeam("fraud").setPrincipal(principal).build())
        .getToken();
  }

  private AgoraClient connect(String key) {
    return AgoraClient.connect("127.0.0.1:" + server.grpcPort(), key);
  }
}
