package dev.agora.registry.access;

import static dev.agora.registry.access.AccessHarness.member;
import static dev.agora.registry.access.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.FieldMask;
import dev.agora.proto.access.v1.Role;
import dev.agora.proto.registry.v1.ApproveVersionRequest;
import dev.agora.proto.registry.v1.CreateModelRequest;
import dev.agora.proto.registry.v1.CurationKind;
import dev.agora.proto.registry.v1.EvaluationResult;
import dev.agora.proto.registry.v1.ListCurationCandidatesRequest;
import dev.agora.proto.registry.v1.Model;
import dev.agora.proto.registry.v1.ModelCard;
import dev.agora.proto.registry.v1.ModelVersion;
import dev.agora.proto.registry.v1.RejectVersionRequest;
import dev.agora.proto.registry.v1.Stage;
import dev.agora.proto.registry.v1.SubmitForReviewRequest;
import dev.agora.proto.registry.v1.UpdateVersionMetadataRequest;
import dev.agora.testing.models.TestModels;
import io.grpc.Status;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who may submit, approve and reject: publishers submit, only reviewers decide. */
class GovernanceAccessTest {
  @TempDir Path dataDir;

  private AccessHarness harness;
  private String alice;
  private String carol;
  private String rita;

  @BeforeEach
  void start() throws Exception {
    harness = new AccessHarness(dataDir);
    harness.createTeam(
        "fraud",
        member("alice", Role.ROLE_PUBLISHER),
        member("carol", Role.ROLE_CONSUMER),
        member("rita", Role.ROLE_REVIEWER));
    alice = harness.key("fraud", "alice");
    carol = harness.key("fraud", "carol");
    rita = harness.key("fraud", "rita");
    harness
        .registry(alice)
        .createModel(
            CreateModelRequest.newBuilder()
                .setModel(Model.newBuilder().setName("scorer").setOwnerTeam("fraud"))
                .build());
  }

  @AfterEach
  void stop() throws Exception {
    harness.close();
  }

  @Test
  void onlyAReviewerOfTheOwningTeamApprovesOrRejects() throws Exception {
    RegistryCalls.upload(harness.registryAsync(alice), "scorer", "1.0.0", TestModels.mlp());
    harness.registry(alice).updateVersionMetadata(completeMetadata());
    assertRefused(
        () -> harness.registry(carol).submitForReview(submit()),
        Status.Code.PERMISSION_DENIED,
        "PERMISSION_DENIED");
    assertThat(harness.registry(alice).submitForReview(submit()).getStage())
        .isEqualTo(Stage.STAGE_IN_REVIEW);

    for (String key : new String[] {carol, alice}) {
      var refused =
          assertRefused(
              () -> harness.registry(key).approveVersion(approve()),
              Status.Code.PERMISSION_DENIED,
              "PERMISSION_DENIED");
      assertThat(Refusals.metadata(refused)).containsEntry("required_role", "reviewer");
      assertRefused(
          () ->
              harness
                  .registry(key)
                  .rejectVersion(
                      RejectVersionRequest.newBuilder()
                          .setModel("scorer")
                          .setVersion("1.0.0")
                          .setReason("no")
                          .build()),
          Status.Code.PERMISSION_DENIED,
          "PERMISSION_DENIED");
    }
    assertThat(
            harness
                .registry(carol)
                .listCurationCandidates(
                    ListCurationCandidatesRequest.newBuilder()
                        .setKind(CurationKind.CURATION_KIND_NOT_UPDATED_SINCE)
                        .setDays(1)
                        .build())
                .getModelsList())
        .as("curation queries only read")
        .isEmpty();

    ModelVersion approved = harness.registry(rita).approveVersion(approve());
    assertThat(approved.getStage()).isEqualTo(Stage.STAGE_PUBLISHED);
    assertThat(approved.getReviewer()).isEqualTo("rita");
    assertThat(approved.getPublishersList()).containsExactly("alice");
  }

  private static SubmitForReviewRequest submit() {
    return SubmitForReviewRequest.newBuilder().setModel("scorer").setVersion("1.0.0").build();
  }

  private static ApproveVersionRequest approve() {
    return ApproveVersionRequest.newBuilder().setModel("scorer").setVersion("1.0.0").build();
  }

  private static UpdateVersionMetadataRequest completeMetadata() {
    return UpdateVersionMetadataRequest.newBuilder()
        .setVersion(
            ModelVersion.newBuilder()
                .setModel("scorer")
                .setVersion("1.0.0")
                .setCard(
                    ModelCard.newBuilder()
                        .setPurpose("p")
                        .setIntendedUse("i")
                        .setOutOfScopeUses("o")
                        .setTrainingData("t")
                        .setLimitations("l")
                        .setMetrics("m"))
                .addEvaluations(
                    EvaluationResult.newBuilder()
                        .setMetric("auc")
                        .setValue(0.9)
                        .setDataset("holdout")
                        .setEvaluator("ci")))
        .setUpdateMask(FieldMask.newBuilder().addPaths("card").addPaths("evaluations"))
        .build();
  }
}
