package dev.agora.registry.access;

import dev.agora.proto.access.v1.ApiKey;
import dev.agora.proto.access.v1.StoredApiKey;
import dev.agora.proto.access.v1.TeamMember;
import dev.agora.ratelimit.auth.ApiKeyVerifier;
import dev.agora.ratelimit.auth.KeyVerification;
import dev.agora.ratelimit.identity.Caller;
import dev.agora.ratelimit.identity.CallerProtos;
import dev.agora.ratelimit.identity.Role;
import dev.agora.ratelimit.keys.ApiKeyToken;
import java.time.Instant;
import java.time.InstantSource;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies keys on the metadata store: the key's record must exist, its stored SHA-256 must match
 * (compared in constant time), it must be neither revoked nor expired, and its principal must still
 * be a member of its team, whose roles it then carries. Reads the store on every call, so a change
 * is seen by the next call on every registry sharing the store. Uses are recorded for the
 * asynchronous last-used times.
 */
public final class StoreKeyVerifier implements ApiKeyVerifier {
  private final KeyDirectory keys;
  private final TeamDirectory teams;
  private final KeyUsageRecorder usage;
  private final InstantSource clock;

  StoreKeyVerifier(
      KeyDirectory keys, TeamDirectory teams, KeyUsageRecorder usage, InstantSource clock) {
    this.keys = keys;
    this.teams = teams;
    this.usage = usage;
    this.clock = clock;
  }

  @Override
  public KeyVerification verify(ApiKeyToken token) {
    Optional<StoredApiKey> stored = keys.find(token.id());
    if (stored.isEmpty() || !token.matches(stored.get().getKeySha256().toByteArray())) {
      return KeyVerification.unknown();
    }
    ApiKey key = stored.get().getKey();
    if (key.hasRevokeTime()) {
      return new KeyVerification.Rejected(
          KeyVerification.Outcome.REVOKED,
          "The API key "
              + token.redacted()
              + " was revoked at "
              + CallerProtos.instant(key.getRevokeTime())
              + "; ask an administrator of team '"
              + key.getTeam()
              + "' for a new one.");
    }
    Instant now = clock.instant();
    if (key.hasExpireTime() && !now.isBefore(CallerProtos.instant(key.getExpireTime()))) {
      return new KeyVerification.Rejected(
          KeyVerification.Outcome.EXPIRED,
          "The API key "
              + token.redacted()
              + " expired at "
              + CallerProtos.instant(key.getExpireTime())
              + "; ask an administrator of team '"
              + key.getTeam()
              + "' for a new one.");
    }
    Optional<TeamMember> member =
        teams.find(key.getTeam()).flatMap(team -> TeamDirectory.member(team, key.getPrincipal()));
    if (member.isEmpty()) {
      return new KeyVerification.Rejected(
          KeyVerification.Outcome.REVOKED,
          "The API key "
              + token.redacted()
              + " acts for "
              + key.getPrincipal()
              + ", who is no longer a member of team '"
              + key.getTeam()
              + "'.");
    }
    usage.record(key.getId(), now);
    return new KeyVerification.Accepted(caller(key, member.get()));
  }

  private static Caller caller(ApiKey key, TeamMember member) {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    member.getRolesList().forEach(role -> CallerProtos.fromProto(role).ifPresent(roles::add));
    return new Caller(
        key.getId(),
        key.getPrincipal(),
        CallerProtos.fromProto(member.getKind()),
        key.getTeam(),
        roles,
        CallerProtos.scopes(key.getScopesList()),
        key.hasExpireTime()
            ? Optional.of(CallerProtos.instant(key.getExpireTime()))
            : Optional.empty());
  }
}
