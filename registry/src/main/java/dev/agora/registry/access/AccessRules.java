package dev.agora.registry.access;

import dev.agora.common.error.AgoraException;
import dev.agora.proto.errors.v1.ErrorReason;
import dev.agora.ratelimit.auth.RequiredScopeInterceptor;
import dev.agora.ratelimit.identity.Caller;
import dev.agora.ratelimit.identity.Role;
import dev.agora.ratelimit.identity.Scope;

/** The checks every access decision is made of, each refusing with a sentence that says why. */
final class AccessRules {

  private AccessRules() {}

  /** The key must carry {@code scope}. */
  static void requireScope(Caller caller, Scope scope) {
    if (!caller.hasScope(scope)) {
      throw RequiredScopeInterceptor.missingScope(caller, scope);
    }
  }

  /**
   * The key's principal must hold {@code role} in {@code team} (checked first: the role is the
   * reason worth naming) and the key must carry {@code scope}.
   */
  static void requireRole(Caller caller, Scope scope, String team, Role role, String action) {
    if (!caller.holdsRole(team, role)) {
      throw missingRole(caller, team, role, action);
    }
    requireScope(caller, scope);
  }

  /** Team administration: the {@code admin} scope and the admin role in {@code team}. */
  static void requireTeamAdmin(Caller caller, String team, String action) {
    requireRole(caller, Scope.ADMIN, team, Role.ADMIN, action);
  }

  /** Global administration: the {@code admin} scope and the admin role in the admins team. */
  static void requireGlobalAdmin(Caller caller, String action) {
    requireRole(caller, Scope.ADMIN, Caller.ADMINS_TEAM, Role.ADMIN, action);
  }

  /** The refusal of a caller who lacks {@code role} in {@code team}. */
  static AgoraException missingRole(Caller caller, String team, Role role, String action) {
    return AgoraException.builder(
            ErrorReason.PERMISSION_DENIED,
            action
                + " needs the "
                + role.label()
                + " role in team '"
                + team
                + "'; the key acts for "
                + caller.describe()
                + ".")
        .metadata("required_role", role.label())
        .metadata("team", team)
        .build();
  }
}
