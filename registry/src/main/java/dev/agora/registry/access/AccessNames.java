package dev.agora.registry.access;

import dev.agora.common.error.AgoraException;
import dev.agora.proto.access.v1.PrincipalKind;
import dev.agora.proto.access.v1.Role;
import dev.agora.proto.access.v1.TeamMember;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules for team names, principal names and team members, checked wherever a request names
 * them.
 */
final class AccessNames {
  private static final Pattern TEAM = Pattern.compile("[a-z][a-z0-9-]{0,62}");
  private static final Pattern PRINCIPAL = Pattern.compile("[a-z0-9][a-z0-9._@+-]{0,127}");

  private AccessNames() {}

  static boolean isTeamName(String name) {
    return name != null && TEAM.matcher(name).matches();
  }

  static String requireTeamName(String field, String name) {
    if (name == null || name.isEmpty()) {
      throw AgoraException.invalidField(field, "is required");
    }
    if (!isTeamName(name)) {
      throw AgoraException.invalidField(
          field,
          "must be 1 to 63 lower-case letters, digits or '-', starting with a letter; got '"
              + name
              + "'");
    }
    return name;
  }

  static String requirePrincipal(String field, String name) {
    if (name == null || name.isEmpty()) {
      throw AgoraException.invalidField(field, "is required");
    }
    if (!PRINCIPAL.matcher(name).matches()) {
      throw AgoraException.invalidField(
          field,
          "must be 1 to 128 lower-case letters, digits or '.', '_', '@', '+', '-', starting with a"
              + " letter or digit; got '"
              + name
              + "'");
    }
    return name;
  }

  /**
   * The member with its principal checked, its kind defaulted to user and its roles deduplicated.
   */
  static TeamMember requireMember(String field, TeamMember member) {
    requirePrincipal(field + ".principal", member.getPrincipal());
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (int i = 0; i < member.getRolesCount(); i++) {
      Role role = member.getRoles(i);
      if (role == Role.ROLE_UNSPECIFIED || role == Role.UNRECOGNIZED) {
        throw AgoraException.invalidField(
            field + ".roles[" + i + "]", "must be consumer, publisher, reviewer or admin");
      }
      roles.add(role);
    }
    if (roles.isEmpty()) {
      throw AgoraException.invalidField(field + ".roles", "needs at least one role");
    }
    PrincipalKind kind =
        member.getKind() == PrincipalKind.PRINCIPAL_KIND_SERVICE_ACCOUNT
            ? PrincipalKind.PRINCIPAL_KIND_SERVICE_ACCOUNT
            : PrincipalKind.PRINCIPAL_KIND_USER;
    return TeamMember.newBuilder()
        .setPrincipal(member.getPrincipal())
        .setKind(kind)
        .addAllRoles(roles)
        .build();
  }
}
