package dev.agora.registry.access;

import static dev.agora.registry.access.AccessHarness.member;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.agora.common.error.AgoraException;
import dev.agora.proto.access.v1.Role;
import dev.agora.proto.errors.v1.ErrorReason;
import dev.agora.proto.registry.v1.CreateModelRequest;
import dev.agora.proto.registry.v1.Model;
import dev.agora.proto.registry.v1.PublishVersionRequest;
import dev.agora.ratelimit.identity.Caller;
import dev.agora.ratelimit.keys.ApiKeyFormat;
import io.grpc.MethodDescriptor;
import java.nio.file.Path;
import java.time.InstantSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Methods the table does not list follow the naming conventions, so an RPC added later is never
 * left open: read verbs read, review verbs need the reviewer role, everything else the publisher
 * role on the owning team of the model the request names.
 */
class MethodRulesTest {
  @TempDir Path dataDir;

  private AccessHarness harness;
  private MethodRules rules;

  @BeforeEach
  void start() throws Exception {
    harness = new AccessHarness(dataDir);
    harness.createTeam(
        "fraud",
        member("alice", Role.ROLE_PUBLISHER),
        member("rita", Role.ROLE_REVIEWER),
        member("carol", Role.ROLE_CONSUMER));
    harness.createTeam("search", member("bob", Role.ROLE_PUBLISHER));
    harness
        .registry(harness.key("fraud", "alice"))
        .createModel(
            CreateModelRequest.newBuilder()
                .setModel(Model.newBuilder().setName("scorer").setOwnerTeam("fraud"))
                .build());
    rules =
        new MethodRules(
            new ModelOwners(harness.registry.metadataStore()),
            new TeamDirectory(harness.registry.metadataStore(), InstantSource.system()));
  }

  @AfterEach
  void stop() throws Exception {
    harness.close();
  }

  @ParameterizedTest(name = "{0} as {1}: {2}")
  @CsvSource({
    "ListAliases, carol, allowed",
    "WatchEvents, carol, allowed",
    "SetAlias, alice, allowed",
    "SetAlias, carol, denied",
    "SetAlias, bob, denied",
    "DeprecateVersion, alice, allowed",
    "DeprecateVersion, rita, denied",
    "ApproveVersion, rita, allowed",
    "ApproveVersion, alice, denied",
    "RejectVersion, carol, denied"
  })
  void unlistedMethodsFollowTheirNames(String method, String principal, String verdict) {
    MethodRule rule = rules.ruleFor(method("agora.registry.v1.FutureService", method));
    Caller caller = caller(principal);
    PublishVersionRequest request =
        PublishVersionRequest.newBuilder().setModel("scorer").setVersion("1.0.0").build();

    AgoraException refused =
        catchThrowableOfType(AgoraException.class, () -> rule.check(caller, request));

    if (verdict.equals("allowed")) {
      assertThat(refused).isNull();
    } else {
      assertThat(refused).isNotNull();
      assertThat(refused.reason()).isEqualTo(ErrorReason.PERMISSION_DENIED);
    }
  }

  @Test
  void aWriteThatNamesNoModelNeedsAGlobalAdministrator() {
    MethodRule rule = rules.ruleFor(method("agora.registry.v1.FutureService", "Compact"));
    var request = dev.agora.proto.registry.v1.ListModelsRequest.getDefaultInstance();

    AgoraException refused =
        catchThrowableOfType(AgoraException.class, () -> rule.check(caller("alice"), request));

    assertThat(refused.reason()).isEqualTo(ErrorReason.PERMISSION_DENIED);
    rule.check(caller("admin"), request);
  }

  @Test
  void movingAModelToAnotherTeamNeedsThePublisherRoleInBoth() {
    MethodRule rule = rules.ruleFor(method("agora.registry.v1.RegistryService", "UpdateModel"));
    CreateModelRequest moveToSearch =
        CreateModelRequest.newBuilder()
            .setModel(Model.newBuilder().setName("scorer").setOwnerTeam("search"))
            .build();

    AgoraException refused =
        catchThrowableOfType(AgoraException.class, () -> rule.check(caller("alice"), moveToSearch));

    assertThat(refused.reason()).isEqualTo(ErrorReason.PERMISSION_DENIED);
    assertThat(refused.getMessage()).contains("team 'search'");
    rule.check(caller("admin"), moveToSearch);
  }

  private Caller caller(String principal) {
    String key =
        principal.equals("admin")
            ? harness.adminKey
            : harness.key(principal.equals("bob") ? "search" : "fraud", principal);
    var verdict = harness.registry.keyVerifier().verify(ApiKeyFormat.parse(key).orElseThrow());
    return ((dev.agora.ratelimit.auth.KeyVerification.Accepted) verdict).caller();
  }

  private static MethodDescriptor<Object, Object> method(String service, String name) {
    MethodDescriptor.Marshaller<Object> unused =
        new MethodDescriptor.Marshaller<>() {
          @Override
          public java.io.InputStream stream(Object value) {
            throw new UnsupportedOperationException();
          }

          @Override
          public Object parse(java.io.InputStream stream) {
            throw new UnsupportedOperationException();
          }
        };
    return MethodDescriptor.newBuilder(unused, unused)
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(MethodDescriptor.generateFullMethodName(service, name))
        .build();
  }
}
