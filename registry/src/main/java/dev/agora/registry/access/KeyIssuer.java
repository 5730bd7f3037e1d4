package dev.agora.registry.access;

import com.google.protobuf.ByteString;
import dev.agora.common.error.AgoraException;
import dev.agora.proto.access.v1.ApiKey;
import dev.agora.proto.access.v1.CreateApiKeyRequest;
import dev.agora.proto.access.v1.CreateApiKeyResponse;
import dev.agora.proto.access.v1.StoredApiKey;
import dev.agora.proto.access.v1.Team;
import dev.agora.proto.access.v1.TeamMember;
import dev.agora.proto.errors.v1.ErrorReason;
import dev.agora.ratelimit.identity.Caller;
import dev.agora.ratelimit.identity.CallerProtos;
import dev.agora.ratelimit.identity.Role;
import dev.agora.ratelimit.identity.Scope;
import dev.agora.ratelimit.keys.ApiKeyGenerator;
import dev.agora.ratelimit.keys.ApiKeyToken;
import java.time.Instant;
import java.time.InstantSource;
import java.util.EnumSet;
import java.util.Set;

/**
 * Creates API keys: checks that the caller administers the key's team, that the principal is a
 * member, and that the scopes fit the member's roles; draws the key; stores only its hash.
 */
final class KeyIssuer {
  static final int MAX_DESCRIPTION_CHARS = 256;

  private final KeyDirectory keys;
  private final TeamDirectory teams;
  private final ApiKeyGenerator generator;
  private final InstantSource clock;

  KeyIssuer(
      KeyDirectory keys, TeamDirectory teams, ApiKeyGenerator generator, InstantSource clock) {
    this.keys = keys;
    this.teams = teams;
    this.generator = generator;
    this.clock = clock;
  }

  CreateApiKeyResponse create(Caller caller, CreateApiKeyRequest request) {
    String teamName =
        request.getTeam().isEmpty()
            ? caller.team()
            : AccessNames.requireTeamName("team", request.getTeam());
    String principal =
        request.getPrincipal().isEmpty()
            ? caller.principal()
            : AccessNames.requirePrincipal("principal", request.getPrincipal());
    AccessRules.requireTeamAdmin(caller, teamName, "Creating API keys for team '" + teamName + "'");
    Team team = teams.get(teamName);
    TeamMember member =
        TeamDirectory.member(team, principal)
            .orElseThrow(
                () ->
                    AgoraException.invalidField(
                        "principal",
                        "'" + principal + "' is not a member of team '" + teamName + "'"));
    Set<Scope> scopes = scopes(request, allowedScopes(member), principal);
    Instant now = clock.instant();
    checkExpiry(request, now);
    if (request.getDescription().length() > MAX_DESCRIPTION_CHARS) {
      throw AgoraException.invalidField(
          "description", "must be at most " + MAX_DESCRIPTION_CHARS + " characters");
    }
    ApiKeyToken token = generator.next();
    ApiKey.Builder key =
        ApiKey.newBuilder()
            .setId(token.id())
            .setTeam(teamName)
            .setPrincipal(principal)
            .setDescription(request.getDescription())
            .setCreateTime(CallerProtos.timestamp(now))
            .setCreatedBy(caller.principal());
    scopes.stream().sorted().map(Scope::wireName).forEach(key::addScopes);
    if (request.hasExpireTime()) {
      key.setExpireTime(request.getExpireTime());
    }
    ApiKey created =
        keys.create(
            StoredApiKey.newBuilder()
                .setKey(key)
                .setKeySha256(ByteString.copyFrom(token.sha256()))
                .build());
    return CreateApiKeyResponse.newBuilder().setKey(created).setToken(token.value()).build();
  }

  private static Set<Scope> allowedScopes(TeamMember member) {
    Set<Scope> allowed = EnumSet.noneOf(Scope.class);
    member.getRolesList().stream()
        .map(CallerProtos::fromProto)
        .flatMap(java.util.Optional::stream)
        .map(Role::allowedScopes)
        .forEach(allowed::addAll);
    return allowed;
  }

  private static Set<Scope> scopes(CreateApiKeyRequest request, Set<Scope> allowed, String who) {
    if (request.getScopesCount() == 0) {
      return allowed;
    }
    Set<Scope> scopes = EnumSet.noneOf(Scope.class);
    for (int i = 0; i < request.getScopesCount(); i++) {
      String name = request.getScopes(i);
      Scope scope =
          Scope.fromWireName(name)
              .orElseThrow(
                  () ->
                      AgoraException.invalidField(
                          "scopes", "'" + name + "' is not a scope; use " + scopeNames()));
      if (!allowed.contains(scope)) {
        throw AgoraException.builder(
                ErrorReason.PERMISSION_DENIED,
                "The roles of "
                    + who
                    + " do not allow the '"
                    + name
                    + "' scope; they allow "
                    + String.join(", ", allowed.stream().sorted().map(Scope::wireName).toList())
                    + ".")
            .metadata("scope", name)
            .build();
      }
      scopes.add(scope);
    }
    return scopes;
  }

  private static void checkExpiry(CreateApiKeyRequest request, Instant now) {
    if (request.hasExpireTime() && !now.isBefore(CallerProtos.instant(request.getExpireTime()))) {
      throw AgoraException.invalidField("expire_time", "must be in the future");
    }
  }

  private static String scopeNames() {
    return String.join(", ", EnumSet.allOf(Scope.class).stream().map(Scope::wireName).toList());
  }
}
