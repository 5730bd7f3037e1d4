package dev.agora.registry.access;

import static dev.agora.registry.access.AccessHarness.member;
import static dev.agora.registry.access.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agora.proto.access.v1.Role;
import dev.agora.proto.registry.v1.CreateModelRequest;
import dev.agora.proto.registry.v1.DownloadArtifactRequest;
import dev.agora.proto.registry.v1.GetModelRequest;
import dev.agora.proto.registry.v1.ListVersionsRequest;
import dev.agora.proto.registry.v1.Model;
import dev.agora.proto.registry.v1.PublishVersionRequest;
import dev.agora.proto.registry.v1.Stage;
import dev.agora.testing.models.TestModels;
import io.grpc.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who may change and read what in the registry: the access policy over real services. */
class AccessPolicyTest {
  @TempDir Path dataDir;

  private AccessHarness harness;
  private String alice;
  private String carol;
  private String bob;

  @BeforeEach
  void start() throws Exception {
    harness = new AccessHarness(dataDir);
    harness.createTeam(
        "fraud", member("alice", Role.ROLE_PUBLISHER), member("carol", Role.ROLE_CONSUMER));
    harness.createTeam("search", member("bob", Role.ROLE_PUBLISHER));
    alice = harness.key("fraud", "alice");
    carol = harness.key("fraud", "carol");
    bob = harness.key("search", "bob");
    harness.registry(alice).createModel(create("scorer", "fraud"));
  }

  @AfterEach
  void stop() throws Exception {
    harness.close();
  }

  @Test
  void aConsumerCannotRegisterAModelForItsTeam() {
    var refused =
        assertRefused(
            () -> harness.registry(carol).createModel(create("carols", "fraud")),
            Status.Code.PERMISSION_DENIED,
            "PERMISSION_DENIED");

    assertThat(refused.getStatus().getDescription())
        .contains("publisher role in team 'fraud'")
        .contains("carol");
    assertThat(Refusals.metadata(refused))
        .containsEntry("required_role", "publisher")
        .containsEntry("team", "fraud");
    assertThat(harness.registry(alice).createModel(create("alices", "fraud")).getOwnerTeam())
        .isEqualTo("fraud");
  }

  @Test
  void aPublisherCannotRegisterAModelForAnotherTeam() {
    assertRefused(
        () -> harness.registry(bob).createModel(create("bobs", "fraud")),
        Status.Code.PERMISSION_DENIED,
        "PERMISSION_DENIED");

    assertThat(harness.registry(bob).createModel(create("bobs", "search")).getName())
        .isEqualTo("bobs");
  }

  @Test
  void aModelNeedsAnExistingOwnerTeam() {
    var missing =
        assertRefused(
            () -> harness.registry(alice).createModel(create("orphan", "")),
            Status.Code.INVALID_ARGUMENT,
            "INVALID_FIELD");
    assertThat(Refusals.violatedFields(missing)).containsExactly("model.owner_team");
    assertRefused(
        () -> harness.registry(harness.adminKey).createModel(create("orphan", "nobody")),
        Status.Code.NOT_FOUND,
        "TEAM_NOT_FOUND");
    var noModel =
        assertRefused(
            () -> harness.registry(alice).createModel(CreateModelRequest.getDefaultInstance()),
            Status.Code.INVALID_ARGUMENT,
            "INVALID_FIELD");
    assertThat(Refusals.violatedFields(noModel)).containsExactly("model");

    assertThat(harness.registry(alice).createModel(create("orphan", "fraud")).getName())
        .isEqualTo("orphan");
  }

  @Test
  void onlyPublishersOfTheOwningTeamUploadAndPublish() throws Exception {
    byte[] mlp = TestModels.mlp();

    assertRefused(
        () -> RegistryCalls.upload(harness.registryAsync(carol), "scorer", "1.0.0", mlp),
        Status.Code.PERMISSION_DENIED,
        "PERMISSION_DENIED");
    assertRefused(
        () -> RegistryCalls.upload(harness.registryAsync(bob), "scorer", "1.0.0", mlp),
        Status.Code.PERMISSION_DENIED,
        "PERMISSION_DENIED");
    assertThat(stagedUploads()).isZero();

    assertThat(
            RegistryCalls.upload(harness.registryAsync(alice), "scorer", "1.0.0", mlp).getStage())
        .isEqualTo(Stage.STAGE_DRAFT);
    var refused =
        assertRefused(
            () -> harness.registry(carol).publishVersion(publish("scorer", "1.0.0")),
            Status.Code.PERMISSION_DENIED,
            "PERMISSION_DENIED");
    assertThat(refused.getStatus().getDescription()).contains("model 'scorer'");
    assertThat(harness.registry(alice).publishVersion(publish("scorer", "1.0.0")).getStage())
        .isEqualTo(Stage.STAGE_PUBLISHED);
  }

  @Test
  void anyKeyWithTheReadScopeReadsTheCatalog() throws Exception {
    RegistryCalls.upload(harness.registryAsync(alice), "scorer", "1.0.0", TestModels.mlp());

    for (String reader : new String[] {carol, bob}) {
      assertThat(harness.registry(reader).getModel(get("scorer")).getOwnerTeam())
          .isEqualTo("fraud");
      assertThat(
              harness
                  .registry(reader)
                  .listVersions(ListVersionsRequest.newBuilder().setModel("scorer").build())
                  .getVersionsCount())
          .isEqualTo(1);
      assertThat(
              harness
                  .registry(reader)
                  .downloadArtifact(
                      DownloadArtifactRequest.newBuilder()
                          .setModel("scorer")
                          .setVersion("1.0.0")
                          .build())
                  .hasNext())
          .isTrue();
    }
  }

  @Test
  void scopesNarrowWhatAKeyMayDoWhateverItsRoles() {
    String inferenceOnly = harness.key("fraud", "alice", "inference");
    String readOnly = harness.key("fraud", "alice", "registry:read");

    var unread =
        assertRefused(
            () -> harness.registry(inferenceOnly).getModel(get("scorer")),
            Status.Code.PERMISSION_DENIED,
            "PERMISSION_DENIED");
    assertThat(unread.getStatus().getDescription()).contains("'registry:read' scope");
    var unwritten =
        assertRefused(
            () -> harness.registry(readOnly).createModel(create("read-only", "fraud")),
            Status.Code.PERMISSION_DENIED,
            "PERMISSION_DENIED");
    assertThat(unwritten.getStatus().getDescription()).contains("'registry:write' scope");

    assertThat(harness.registry(readOnly).getModel(get("scorer")).getName()).isEqualTo("scorer");
    assertThat(harness.registry(alice).createModel(create("read-write", "fraud")).getName())
        .isEqualTo("read-write");
  }

  @Test
  void aModelMissingFromTheStoreIsNotFoundBeforeAnythingRuns() {
    assertRefused(
        () -> harness.registry(alice).publishVersion(publish("ghost", "1.0.0")),
        Status.Code.NOT_FOUND,
        "MODEL_NOT_FOUND");
    var malformed =
        assertRefused(
            () -> harness.registry(alice).publishVersion(publish("Not A Name", "1.0.0")),
            Status.Code.INVALID_ARGUMENT,
            "INVALID_FIELD");
    assertThat(Refusals.violatedFields(malformed)).containsExactly("model");

    assertThat(harness.registry(alice).getModel(get("scorer")).getName()).isEqualTo("scorer");
  }

  @Test
  void theGlobalAdministratorMayActOnEveryTeamsModels() throws Exception {
    String admin = harness.adminKey;

    RegistryCalls.upload(harness.registryAsync(admin), "scorer", "1.0.0", TestModels.mlp());

    assertThat(harness.registry(admin).publishVersion(publish("scorer", "1.0.0")).getStage())
        .isEqualTo(Stage.STAGE_PUBLISHED);
  }

  private long stagedUploads() throws Exception {
    Path staging = harness.registryDataDir().resolve("blobs").resolve("tmp");
    if (!Files.isDirectory(staging)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(staging)) {
      return files.count();
    }
  }

  private static CreateModelRequest create(String name, String team) {
    return CreateModelRequest.newBuilder()
        .setModel(Model.newBuilder().setName(name).setOwnerTeam(team))
        .build();
  }

  private static PublishVersionRequest publish(String model, String version) {
    return PublishVersionRequest.newBuilder().setModel(model).setVersion(version).build();
  }

  private static GetModelRequest get(String name) {
    return GetModelRequest.newBuilder().setName(name).build();
  }
}
