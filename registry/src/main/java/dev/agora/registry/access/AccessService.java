package dev.agora.registry.access;

import dev.agora.common.error.AgoraException;
import dev.agora.common.error.ErrorStatus;
import dev.agora.proto.access.v1.AccessServiceGrpc;
import dev.agora.proto.access.v1.ApiKey;
import dev.agora.proto.access.v1.CreateApiKeyRequest;
import dev.agora.proto.access.v1.CreateApiKeyResponse;
import dev.agora.proto.access.v1.CreateTeamRequest;
import dev.agora.proto.access.v1.GetTeamRequest;
import dev.agora.proto.access.v1.ListApiKeysRequest;
import dev.agora.proto.access.v1.ListApiKeysResponse;
import dev.agora.proto.access.v1.ListTeamsRequest;
import dev.agora.proto.access.v1.ListTeamsResponse;
import dev.agora.proto.access.v1.RemoveTeamMemberRequest;
import dev.agora.proto.access.v1.RevokeApiKeyRequest;
import dev.agora.proto.access.v1.SetTeamMemberRequest;
import dev.agora.proto.access.v1.Team;
import dev.agora.proto.access.v1.VerifyApiKeyRequest;
import dev.agora.proto.access.v1.VerifyApiKeyResponse;
import dev.agora.proto.access.v1.WhoAmIRequest;
import dev.agora.ratelimit.identity.Caller;
import dev.agora.ratelimit.identity.CallerContext;
import dev.agora.ratelimit.identity.CallerProtos;
import dev.agora.ratelimit.identity.Role;
import dev.agora.ratelimit.identity.Scope;
import dev.agora.ratelimit.keys.ApiKeyFormat;
import io.grpc.stub.StreamObserver;
import java.time.InstantSource;
import java.util.function.Function;

/**
 * {@code agora.access.v1.AccessService}: teams, members, API keys, key verification for other
 * servers, and "who am I". Each method checks what the caller may do itself (the registry-wide
 * policy only demands an authenticated caller here), because the answer depends on the team named
 * in the request or the key it touches.
 */
public final class AccessService extends AccessServiceGrpc.AccessServiceImplBase {
  private final TeamDirectory teams;
  private final KeyDirectory keys;
  private final KeyIssuer issuer;
  private final StoreKeyVerifier verifier;
  private final InstantSource clock;

  AccessService(
      TeamDirectory teams,
      KeyDirectory keys,
      KeyIssuer issuer,
      StoreKeyVerifier verifier,
      InstantSource clock) {
    this.teams = teams;
    this.keys = keys;
    this.issuer = issuer;
    this.verifier = verifier;
    this.clock = clock;
  }

  @Override
  public void createTeam(CreateTeamRequest request, StreamObserver<Team> responses) {
    respond(
        responses,
        caller -> {
          AccessRules.requireGlobalAdmin(caller, "Creating teams");
          if (!request.hasTeam()) {
            throw AgoraException.invalidField("team", "is required");
          }
          return teams.create(request.getTeam());
        });
  }

  @Override
  public void getTeam(GetTeamRequest request, StreamObserver<Team> responses) {
    respond(
        responses,
        caller -> {
          String name = AccessNames.requireTeamName("name", request.getName());
          AccessRules.requireRole(
              caller,
              Scope.REGISTRY_READ,
              name,
              Role.CONSUMER,
              "Reading the members of team '" + name + "'");
          return teams.get(name);
        });
  }

  @Override
  public void listTeams(ListTeamsRequest request, StreamObserver<ListTeamsResponse> responses) {
    respond(
        responses,
        caller -> {
          AccessRules.requireScope(caller, Scope.REGISTRY_READ);
          return teams.list(request.getPageSize(), request.getPageToken());
        });
  }

  @Override
  public void setTeamMember(SetTeamMemberRequest request, StreamObserver<Team> responses) {
    respond(
        responses,
        caller -> {
          String team = AccessNames.requireTeamName("team", request.getTeam());
          AccessRules.requireTeamAdmin(caller, team, "Managing the members of team '" + team + "'");
          if (!request.hasMember()) {
            throw AgoraException.invalidField("member", "is required");
          }
          return teams.setMember(team, request.getMember());
        });
  }

  @Override
  public void removeTeamMember(RemoveTeamMemberRequest request, StreamObserver<Team> responses) {
    respond(
        responses,
        caller -> {
          String team = AccessNames.requireTeamName("team", request.getTeam());
          AccessRules.requireTeamAdmin(caller, team, "Managing the members of team '" + team + "'");
          return teams.removeMember(team, request.getPrincipal());
        });
  }

  @Override
  public void createApiKey(
      CreateApiKeyRequest request, StreamObserver<CreateApiKeyResponse> responses) {
    respond(responses, caller -> issuer.create(caller, request));
  }

  @Override
  public void listApiKeys(
      ListApiKeysRequest request, StreamObserver<ListApiKeysResponse> responses) {
    respond(
        responses,
        caller -> {
          String team =
              request.getTeam().isEmpty()
                  ? caller.team()
                  : AccessNames.requireTeamName("team", request.getTeam());
          String principal = request.getPrincipal();
          boolean administers = caller.hasScope(Scope.ADMIN) && caller.holdsRole(team, Role.ADMIN);
          if (!administers) {
            if (!team.equals(caller.team())
                || !(principal.isEmpty() || principal.equals(caller.principal()))) {
              throw AccessRules.missingRole(
                  caller, team, Role.ADMIN, "Listing other principals' API keys");
            }
            principal = caller.principal();
          }
          String only = principal;
          return keys.list(
              key ->
                  key.getTeam().equals(team)
                      && (only.isEmpty() || key.getPrincipal().equals(only))
                      && (request.getIncludeRevoked() || !key.hasRevokeTime()),
              request.getPageSize(),
              request.getPageToken());
        });
  }

  @Override
  public void revokeApiKey(RevokeApiKeyRequest request, StreamObserver<ApiKey> responses) {
    respond(
        responses,
        caller -> {
          if (!ApiKeyFormat.isKeyId(request.getId())) {
            throw AgoraException.invalidField(
                "id", "must be the " + ApiKeyFormat.ID_CHARS + "-character id of a key");
          }
          ApiKey key = keys.get(request.getId()).getKey();
          boolean own =
              key.getPrincipal().equals(caller.principal()) && key.getTeam().equals(caller.team());
          if (!own) {
            AccessRules.requireTeamAdmin(
                caller, key.getTeam(), "Revoking another principal's API key");
          }
          return keys.revoke(key.getId(), clock.instant());
        });
  }

  @Override
  public void verifyApiKey(
      VerifyApiKeyRequest request, StreamObserver<VerifyApiKeyResponse> responses) {
    respond(
        responses,
        caller -> {
          AccessRules.requireScope(caller, Scope.KEYS_VERIFY);
          return ApiKeyFormat.parse(request.getToken())
              .map(token -> VerificationMessages.toProto(verifier.verify(token)))
              .orElseGet(VerificationMessages::malformed);
        });
  }

  @Override
  public void whoAmI(
      WhoAmIRequest request, StreamObserver<dev.agora.proto.access.v1.Caller> responses) {
    respond(responses, CallerProtos::toProto);
  }

  private static <T> void respond(StreamObserver<T> responses, Function<Caller, T> action) {
    T result;
    try {
      result = action.apply(CallerContext.require());
    } catch (RuntimeException e) {
      responses.onError(ErrorStatus.toStatusException(e));
      return;
    }
    responses.onNext(result);
    responses.onCompleted();
  }
}
