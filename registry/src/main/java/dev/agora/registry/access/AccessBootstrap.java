package dev.agora.registry.access;

import com.google.protobuf.ByteString;
import dev.agora.proto.access.v1.ApiKey;
import dev.agora.proto.access.v1.PrincipalKind;
import dev.agora.proto.access.v1.StoredApiKey;
import dev.agora.proto.access.v1.Team;
import dev.agora.proto.access.v1.TeamMember;
import dev.agora.ratelimit.identity.Caller;
import dev.agora.ratelimit.identity.CallerProtos;
import dev.agora.ratelimit.identity.Scope;
import dev.agora.ratelimit.keys.ApiKeyGenerator;
import dev.agora.ratelimit.keys.ApiKeyToken;
import dev.agora.registry.store.MetadataStore;
import dev.agora.registry.store.Txn;
import dev.agora.registry.store.TxnResult;
import java.time.InstantSource;
import java.util.EnumSet;
import java.util.Optional;

/**
 * The first start: when the administrators' team does not exist, creates it with one administrator,
 * {@value #ADMIN_PRINCIPAL}, and a key for it with every scope, in one transaction that requires
 * the team to be absent, so of several registries starting together on one store exactly one
 * bootstraps.
 */
final class AccessBootstrap {
  /** The principal of the bootstrap administrator. */
  static final String ADMIN_PRINCIPAL = "admin";

  private AccessBootstrap() {}

  static BootstrapOutcome run(
      MetadataStore store,
      Optional<ApiKeyToken> configured,
      ApiKeyGenerator generator,
      InstantSource clock) {
    String teamKey = AccessKeys.team(Caller.ADMINS_TEAM);
    if (store.get(teamKey).isPresent()) {
      return new BootstrapOutcome(BootstrapOutcome.Kind.ALREADY_BOOTSTRAPPED, Optional.empty());
    }
    ApiKeyToken token = configured.orElseGet(generator::next);
    var now = CallerProtos.timestamp(clock.instant());
    Team team =
        Team.newBuilder()
            .setName(Caller.ADMINS_TEAM)
            .setDisplayName("Agora administrators")
            .setDescription("Members with the admin role here administer every team.")
            .addMembers(
                TeamMember.newBuilder()
                    .setPrincipal(ADMIN_PRINCIPAL)
                    .setKind(PrincipalKind.PRINCIPAL_KIND_USER)
                    .addRoles(dev.agora.proto.access.v1.Role.ROLE_ADMIN))
            .setCreateTime(now)
            .setUpdateTime(now)
            .build();
    ApiKey.Builder key =
        ApiKey.newBuilder()
            .setId(token.id())
            .setTeam(Caller.ADMINS_TEAM)
            .setPrincipal(ADMIN_PRINCIPAL)
            .setDescription("bootstrap administrator key")
            .setCreateTime(now)
            .setCreatedBy("agora");
    EnumSet.allOf(Scope.class).forEach(scope -> key.addScopes(scope.wireName()));
    StoredApiKey stored =
        StoredApiKey.newBuilder()
            .setKey(key)
            .setKeySha256(ByteString.copyFrom(token.sha256()))
            .build();
    String apiKeyKey = AccessKeys.apiKey(token.id());
    TxnResult result =
        store.commit(
            Txn.builder()
                .ifAbsent(teamKey)
                .ifAbsent(apiKeyKey)
                .put(teamKey, team.toByteArray())
                .put(apiKeyKey, stored.toByteArray())
                .build());
    if (!result.succeeded()) {
      return new BootstrapOutcome(BootstrapOutcome.Kind.ALREADY_BOOTSTRAPPED, Optional.empty());
    }
    return new BootstrapOutcome(
        configured.isPresent()
            ? BootstrapOutcome.Kind.CONFIGURED_KEY
            : BootstrapOutcome.Kind.GENERATED_KEY,
        Optional.of(token));
  }
}
