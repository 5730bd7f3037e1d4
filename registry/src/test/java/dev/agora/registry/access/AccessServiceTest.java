package dev.agora.registry.access;

import static dev.agora.registry.access.AccessHarness.member;
import static dev.agora.registry.access.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agora.proto.access.v1.ApiKey;
import dev.agora.proto.access.v1.CreateApiKeyRequest;
import dev.agora.proto.access.v1.CreateApiKeyResponse;
import dev.agora.proto.access.v1.CreateTeamRequest;
import dev.agora.proto.access.v1.GetTeamRequest;
import dev.agora.proto.access.v1.ListApiKeysRequest;
import dev.agora.proto.access.v1.ListTeamsRequest;
import dev.agora.proto.access.v1.RemoveTeamMemberRequest;
import dev.agora.proto.access.v1.RevokeApiKeyRequest;
import dev.agora.proto.access.v1.Role;
import dev.agora.proto.access.v1.Team;
import dev.agora.proto.access.v1.VerifyApiKeyRequest;
import dev.agora.proto.access.v1.VerifyApiKeyResponse.Outcome;
import dev.agora.proto.access.v1.WhoAmIRequest;
import dev.agora.ratelimit.identity.Caller;
import dev.agora.ratelimit.keys.ApiKeyFormat;
import dev.agora.ratelimit.keys.ApiKeyGenerator;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Teams, members and keys through {@code AccessService}, as each kind of caller. */
class AccessServiceTest {
  @TempDir Path dataDir;

  private AccessHarness harness;
  private String dave;
  private String carol;
  private String alice;

  @BeforeEach
  void start() throws Exception {
    harness = new AccessHarness(dataDir);
    harness.createTeam(
        "fraud",
        member("dave", Role.ROLE_ADMIN),
        member("alice", Role.ROLE_PUBLISHER),
        member("carol", Role.ROLE_CONSUMER));
    dave = harness.key("fraud", "dave");
    alice = harness.key("fraud", "alice");
    carol = harness.key("fraud", "carol");
  }

  @AfterEach
  void stop() throws Exception {
    harness.close();
  }

  @Test
  void whoAmIDescribesTheCallingKey() {
    var caller = harness.access(carol).whoAmI(WhoAmIRequest.getDefaultInstance());

    assertThat(caller.getPrincipal()).isEqualTo("carol");
    assertThat(caller.getTeam()).isEqualTo("fraud");
    assertThat(caller.getRolesList()).containsExactly(Role.ROLE_CONSUMER);
    assertThat(caller.getScopesList())
        .containsExactlyInAnyOrder("registry:read", "inference", "keys:verify");
    assertThat(caller.getGlobalAdmin()).isFalse();
    assertThat(harness.access(harness.adminKey).whoAmI(WhoAmIRequest.getDefaultInstance()))
        .satisfies(admin -> assertThat(admin.getGlobalAdmin()).isTrue());
  }

  @Test
  void onlyGlobalAdministratorsCreateTeams() {
    CreateTeamRequest request =
        CreateTeamRequest.newBuilder().setTeam(Team.newBuilder().setName("search")).build();

    assertRefused(
        () -> harness.access(dave).createTeam(request),
        Status.Code.PERMISSION_DENIED,
        "PERMISSION_DENIED");
    assertThat(harness.access(harness.adminKey).createTeam(request).getName()).isEqualTo("search");
    assertRefused(
        () -> harness.access(harness.adminKey).createTeam(request),
        Status.Code.ALREADY_EXISTS,
        "TEAM_ALREADY_EXISTS");
    assertThat(
            harness
                .access(carol)
                .listTeams(ListTeamsRequest.getDefaultInstance())
                .getTeamsList()
                .stream()
                .map(Team::getName))
        .containsExactly(Caller.ADMINS_TEAM, "fraud", "search");
  }

  @Test
  void teamAdministratorsManageMembersAndOthersCannot() {
    assertRefused(
        () -> harness.setMemberAs(alice, "fraud", member("erin", Role.ROLE_CONSUMER)),
        Status.Code.PERMISSION_DENIED,
        "PERMISSION_DENIED");

    Team team = harness.setMemberAs(dave, "fraud", member("erin", Role.ROLE_CONSUMER));

    assertThat(team.getMembersList()).extracting("principal").contains("erin");
    assertThat(harness.access(carol).getTeam(GetTeamRequest.newBuilder().setName("fraud").build()))
        .satisfies(t -> assertThat(t.getMembersCount()).isEqualTo(4));
  }

  @Test
  void keysAreCreatedByTeamAdministratorsWithinTheMembersRoles() {
    CreateApiKeyResponse created =
        harness
            .access(dave)
            .createApiKey(
                CreateApiKeyRequest.newBuilder()
                    .setTeam("fraud")
                    .setPrincipal("carol")
                    .addScopes("inference")
                    .setDescription("batch scoring")
                    .build());

    assertThat(ApiKeyFormat.parse(created.getToken())).isPresent();
    assertThat(created.getKey().getId())
        .isEqualTo(ApiKeyFormat.parse(created.getToken()).get().id());
    assertThat(created.getKey().getScopesList()).containsExactly("inference");
    assertThat(created.getKey().getCreatedBy()).isEqualTo("dave");
    assertRefused(
        () -> harness.access(carol).createApiKey(keyFor("fraud", "carol")),
        Status.Code.PERMISSION_DENIED,
        "PERMISSION_DENIED");
    var tooMuch =
        assertRefused(
            () ->
                harness
                    .access(dave)
                    .createApiKey(
                        keyFor("fraud", "carol").toBuilder().addScopes("registry:write").build()),
            Status.Code.PERMISSION_DENIED,
            "PERMISSION_DENIED");
    assertThat(tooMuch.getStatus().getDescription()).contains("registry:write");
    var stranger =
        assertRefused(
            () -> harness.access(dave).createApiKey(keyFor("fraud", "mallory")),
            Status.Code.INVALID_ARGUMENT,
            "INVALID_FIELD");
    assertThat(Refusals.violatedFields(stranger)).containsExactly("principal");
    assertRefused(
        () ->
            harness
                .access(dave)
                .createApiKey(keyFor("fraud", "carol").toBuilder().addScopes("root").build()),
        Status.Code.INVALID_ARGUMENT,
        "INVALID_FIELD");
    assertThat(harness.access(dave).createApiKey(keyFor("fraud", "carol")).getToken()).isNotEmpty();
  }

  @Test
  void theKeyIsShownOnlyWhenItIsCreated() {
    CreateApiKeyResponse created = harness.access(dave).createApiKey(keyFor("fraud", "carol"));
    String secret = created.getToken().substring(created.getToken().lastIndexOf('_') + 1);

    var listed =
        harness.access(dave).listApiKeys(ListApiKeysRequest.newBuilder().setTeam("fraud").build());

    assertThat(listed.getKeysList()).extracting(ApiKey::getId).contains(created.getKey().getId());
    String wire = new String(listed.toByteArray(), StandardCharsets.ISO_8859_1);
    assertThat(wire).doesNotContain(secret).doesNotContain(created.getToken());
  }

  @Test
  void membersSeeTheirOwnKeysAndAdministratorsTheTeams() {
    var own = harness.access(carol).listApiKeys(ListApiKeysRequest.getDefaultInstance());
    var all = harness.access(dave).listApiKeys(ListApiKeysRequest.getDefaultInstance());

    assertThat(own.getKeysList()).extracting(ApiKey::getPrincipal).containsOnly("carol");
    assertThat(all.getKeysList())
        .extracting(ApiKey::getPrincipal)
        .containsExactlyInAnyOrder("dave", "alice", "carol");
    assertRefused(
        () ->
            harness
                .access(carol)
                .listApiKeys(ListApiKeysRequest.newBuilder().setPrincipal("alice").build()),
        Status.Code.PERMISSION_DENIED,
        "PERMISSION_DENIED");
    assertThat(
            harness
                .access(carol)
                .listApiKeys(ListApiKeysRequest.getDefaultInstance())
                .getKeysCount())
        .isEqualTo(1);
  }

  @Test
  void aRevokedKeyStopsWorkingAtOnceAndRevokingAgainChangesNothing() {
    String spare = harness.key("fraud", "carol");
    String spareId = ApiKeyFormat.parse(spare).orElseThrow().id();

    ApiKey revoked =
        harness.access(carol).revokeApiKey(RevokeApiKeyRequest.newBuilder().setId(spareId).build());

    assertThat(revoked.hasRevokeTime()).isTrue();
    var refused =
        assertRefused(
            () -> harness.access(spare).whoAmI(WhoAmIRequest.getDefaultInstance()),
            Status.Code.UNAUTHENTICATED,
            "UNAUTHENTICATED");
    assertThat(refused.getStatus().getDescription()).contains("revoked");
    assertThat(
            harness
                .access(dave)
                .revokeApiKey(RevokeApiKeyRequest.newBuilder().setId(spareId).build())
                .getRevokeTime())
        .isEqualTo(revoked.getRevokeTime());
    assertThat(harness.access(carol).whoAmI(WhoAmIRequest.getDefaultInstance()).getPrincipal())
        .isEqualTo("carol");
  }

  @Test
  void onlyTheOwnerOrAnAdministratorRevokesAKey() {
    String aliceId = ApiKeyFormat.parse(alice).orElseThrow().id();

    assertRefused(
        () ->
            harness
                .access(carol)
                .revokeApiKey(RevokeApiKeyRequest.newBuilder().setId(aliceId).build()),
        Status.Code.PERMISSION_DENIED,
        "PERMISSION_DENIED");
    assertThat(harness.access(alice).whoAmI(WhoAmIRequest.getDefaultInstance()).getPrincipal())
        .isEqualTo("alice");
    assertRefused(
        () ->
            harness
                .access(dave)
                .revokeApiKey(
                    RevokeApiKeyRequest.newBuilder()
                        .setId(ApiKeyGenerator.secure().next().id())
                        .build()),
        Status.Code.NOT_FOUND,
        "API_KEY_NOT_FOUND");

    harness.access(dave).revokeApiKey(RevokeApiKeyRequest.newBuilder().setId(aliceId).build());

    assertRefused(
        () -> harness.access(alice).whoAmI(WhoAmIRequest.getDefaultInstance()),
        Status.Code.UNAUTHENTICATED,
        "UNAUTHENTICATED");
  }

  @Test
  void aMemberWhoLeavesTheTeamLosesItsKeys() {
    harness
        .access(dave)
        .removeTeamMember(
            RemoveTeamMemberRequest.newBuilder().setTeam("fraud").setPrincipal("carol").build());

    var refused =
        assertRefused(
            () -> harness.access(carol).whoAmI(WhoAmIRequest.getDefaultInstance()),
            Status.Code.UNAUTHENTICATED,
            "UNAUTHENTICATED");
    assertThat(refused.getStatus().getDescription()).contains("no longer a member");
    assertThat(harness.access(alice).whoAmI(WhoAmIRequest.getDefaultInstance()).getPrincipal())
        .isEqualTo("alice");
  }

  @Test
  void theAdministratorsTeamKeepsAnAdministrator() {
    var refused =
        assertRefused(
            () ->
                harness
                    .access(harness.adminKey)
                    .removeTeamMember(
                        RemoveTeamMemberRequest.newBuilder()
                            .setTeam(Caller.ADMINS_TEAM)
                            .setPrincipal(AccessBootstrap.ADMIN_PRINCIPAL)
                            .build()),
            Status.Code.INVALID_ARGUMENT,
            "INVALID_FIELD");
    assertThat(refused.getStatus().getDescription()).contains("at least one member with the admin");

    assertThat(
            harness
                .access(harness.adminKey)
                .whoAmI(WhoAmIRequest.getDefaultInstance())
                .getGlobalAdmin())
        .isTrue();
  }

  @Test
  void anExpiredKeyIsRefusedSayingSo() {
    String shortLived =
        harness
            .access(dave)
            .createApiKey(
                keyFor("fraud", "carol").toBuilder()
                    .setExpireTime(
                        com.google.protobuf.Timestamp.newBuilder()
                            .setSeconds(
                                harness.clock.instant().plus(Duration.ofHours(1)).getEpochSecond()))
                    .build())
            .getToken();
    assertThat(
            harness.access(shortLived).whoAmI(WhoAmIRequest.getDefaultInstance()).hasExpireTime())
        .isTrue();

    harness.clock.advance(Duration.ofHours(2));

    var refused =
        assertRefused(
            () -> harness.access(shortLived).whoAmI(WhoAmIRequest.getDefaultInstance()),
            Status.Code.UNAUTHENTICATED,
            "UNAUTHENTICATED");
    assertThat(refused.getStatus().getDescription()).contains("expired");
    assertThat(harness.access(carol).whoAmI(WhoAmIRequest.getDefaultInstance()).getPrincipal())
        .isEqualTo("carol");
    assertRefused(
        () ->
            harness
                .access(dave)
                .createApiKey(
                    keyFor("fraud", "carol").toBuilder()
                        .setExpireTime(
                            com.google.protobuf.Timestamp.newBuilder()
                                .setSeconds(harness.clock.instant().getEpochSecond() - 1))
                        .build()),
        Status.Code.INVALID_ARGUMENT,
        "INVALID_FIELD");
  }

  @Test
  void verifyApiKeyNeedsTheVerifyScopeAndTellsWhoHoldsAKey() {
    String verifier = harness.key("fraud", "carol", "keys:verify");
    String inferenceOnly = harness.key("fraud", "carol", "inference");

    var valid =
        harness
            .access(verifier)
            .verifyApiKey(VerifyApiKeyRequest.newBuilder().setToken(alice).build());
    var garbage =
        harness
            .access(verifier)
            .verifyApiKey(VerifyApiKeyRequest.newBuilder().setToken("agora_nope").build());

    assertThat(valid.getOutcome()).isEqualTo(Outcome.OUTCOME_VALID);
    assertThat(valid.getCaller().getPrincipal()).isEqualTo("alice");
    assertThat(valid.getCaller().getRolesList()).containsExactly(Role.ROLE_PUBLISHER);
    assertThat(garbage.getOutcome()).isEqualTo(Outcome.OUTCOME_UNKNOWN);
    assertRefused(
        () ->
            harness
                .access(inferenceOnly)
                .verifyApiKey(VerifyApiKeyRequest.newBuilder().setToken(alice).build()),
        Status.Code.PERMISSION_DENIED,
        "PERMISSION_DENIED");
    harness
        .access(dave)
        .revokeApiKey(
            RevokeApiKeyRequest.newBuilder().setId(ApiKeyFormat.parse(alice).get().id()).build());
    assertThat(
            harness
                .access(verifier)
                .verifyApiKey(VerifyApiKeyRequest.newBuilder().setToken(alice).build())
                .getOutcome())
        .isEqualTo(Outcome.OUTCOME_REVOKED);
  }

  private static CreateApiKeyRequest keyFor(String team, String principal) {
    return CreateApiKeyRequest.newBuilder().setTeam(team).setPrincipal(principal).build();
  }
}
