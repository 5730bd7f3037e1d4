package dev.agora.ratelimit.identity;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The authenticated caller of one call: the key it presented and what that key stands for.
 *
 * @param keyId the id of the key; empty for a {@linkplain #trusted trusted in-process caller}
 * @param principal the user or service account the key acts for
 * @param kind whether the principal is a user or a service account
 * @param team the team the key acts in
 * @param roles the principal's roles in {@code team} when the key was verified
 * @param scopes what the key may do
 * @param expireTime when the key stops working, if ever
 */
public record Caller(
    String keyId,
    String principal,
    PrincipalKind kind,
    String team,
    Set<Role> roles,
    Set<Scope> scopes,
    Optional<Instant> expireTime) {

  /** The reserved team whose administrators are global administrators. */
  public static final String ADMINS_TEAM = "admins";

  /** Checks the fields and copies the sets. */
  public Caller {
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(team, "team");
    roles = Set.copyOf(roles);
    scopes = Set.copyOf(scopes);
    Objects.requireNonNull(expireTime, "expireTime");
  }

  /**
   * A caller that did not present a key because it runs in this process, e.g. the inference server
   * reading the registry in all-in-one mode. It holds no roles, only {@code scopes}.
   */
  public static Caller trusted(String principal, Set<Scope> scopes) {
    return new Caller(
        "", principal, PrincipalKind.SERVICE_ACCOUNT, "", Set.of(), scopes, Optional.empty());
  }

  /** Whether the caller is an administrator of the reserved {@value #ADMINS_TEAM} team. */
  public boolean isGlobalAdmin() {
    return ADMINS_TEAM.equals(team) && roles.contains(Role.ADMIN);
  }

  /** Whether the caller holds {@code role} (or one that grants it) in {@code team}. */
  public boolean holdsRole(String team, Role role) {
    if (isGlobalAdmin()) {
      return true;
    }
    return this.team.equals(team) && roles.stream().anyMatch(held -> held.grants(role));
  }

  /** Whether the caller's key carries {@code scope}. */
  public boolean hasScope(Scope scope) {
    return scopes.contains(scope);
  }

  /** Whether the key has expired at {@code now}. */
  public boolean isExpiredAt(Instant now) {
    return expireTime.map(expiry -> !now.isBefore(expiry)).orElse(false);
  }

  /** A sentence fragment naming the caller, e.g. {@code alice in team 'fraud' (roles: ...)}. */
  public String describe() {
    return principal
        + (team.isEmpty() ? "" : " in team '" + team + "'")
        + " (roles: "
        + labels(roles.stream().map(Role::label).collect(Collectors.toSet()))
        + "; scopes: "
        + labels(scopes.stream().map(Scope::wireName).collect(Collectors.toSet()))
        + ")";
  }

  private static String labels(Set<String> names) {
    return names.isEmpty() ? "none" : String.join(", ", names.stream().sorted().toList());
  }
}
