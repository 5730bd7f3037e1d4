package dev.agora.ratelimit.identity;

import com.google.protobuf.Timestamp;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Converts identities between their Java form and the {@code agora.access.v1} messages. The one
 * place where {@link Role}, {@link Scope} and {@link PrincipalKind} meet their wire names.
 */
public final class CallerProtos {

  private CallerProtos() {}

  /** The message for {@code caller}. */
  public static dev.agora.proto.access.v1.Caller toProto(Caller caller) {
    dev.agora.proto.access.v1.Caller.Builder message =
        dev.agora.proto.access.v1.Caller.newBuilder()
            .setKeyId(caller.keyId())
            .setPrincipal(caller.principal())
            .setPrincipalKind(toProto(caller.kind()))
            .setTeam(caller.team())
            .setGlobalAdmin(caller.isGlobalAdmin());
    caller.roles().stream().sorted().map(CallerProtos::toProto).forEach(message::addRoles);
    caller.scopes().stream().sorted().map(Scope::wireName).forEach(message::addScopes);
    caller.expireTime().ifPresent(expiry -> message.setExpireTime(timestamp(expiry)));
    return message.build();
  }

  /** The caller a message describes; unknown roles and scopes are dropped. */
  public static Caller fromProto(dev.agora.proto.access.v1.Caller message) {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    message.getRolesList().forEach(role -> fromProto(role).ifPresent(roles::add));
    return new Caller(
        message.getKeyId(),
        message.getPrincipal(),
        fromProto(message.getPrincipalKind()),
        message.getTeam(),
        roles,
        scopes(message.getScopesList()),
        message.hasExpireTime() ? Optional.of(instant(message.getExpireTime())) : Optional.empty());
  }

  /** The known scopes among {@code names}. */
  public static Set<Scope> scopes(Iterable<String> names) {
    Set<Scope> scopes = EnumSet.noneOf(Scope.class);
    names.forEach(name -> Scope.fromWireName(name).ifPresent(scopes::add));
    return scopes;
  }

  /** The wire role. */
  public static dev.agora.proto.access.v1.Role toProto(Role role) {
    return switch (role) {
      case CONSUMER -> dev.agora.proto.access.v1.Role.ROLE_CONSUMER;
      case PUBLISHER -> dev.agora.proto.access.v1.Role.ROLE_PUBLISHER;
      case REVIEWER -> dev.agora.proto.access.v1.Role.ROLE_REVIEWER;
      case ADMIN -> dev.agora.proto.access.v1.Role.ROLE_ADMIN;
    };
  }

  /** The role, or empty for {@code ROLE_UNSPECIFIED} and unknown values. */
  public static Optional<Role> fromProto(dev.agora.proto.access.v1.Role role) {
    return switch (role) {
      case ROLE_CONSUMER -> Optional.of(Role.CONSUMER);
      case ROLE_PUBLISHER -> Optional.of(Role.PUBLISHER);
      case ROLE_REVIEWER -> Optional.of(Role.REVIEWER);
      case ROLE_ADMIN -> Optional.of(Role.ADMIN);
      case ROLE_UNSPECIFIED, UNRECOGNIZED -> Optional.empty();
    };
  }

  /** The wire principal kind. */
  public static dev.agora.proto.access.v1.PrincipalKind toProto(PrincipalKind kind) {
    return switch (kind) {
      case USER -> dev.agora.proto.access.v1.PrincipalKind.PRINCIPAL_KIND_USER;
      case SERVICE_ACCOUNT ->
          dev.agora.proto.access.v1.PrincipalKind.PRINCIPAL_KIND_SERVICE_ACCOUNT;
    };
  }

  /** The principal kind; unspecified reads as a user. */
  public static PrincipalKind fromProto(dev.agora.proto.access.v1.PrincipalKind kind) {
    return kind == dev.agora.proto.access.v1.PrincipalKind.PRINCIPAL_KIND_SERVICE_ACCOUNT
        ? PrincipalKind.SERVICE_ACCOUNT
        : PrincipalKind.USER;
  }

  /** A protobuf timestamp. */
  public static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder()
        .setSeconds(instant.getEpochSecond())
        .setNanos(instant.getNano())
        .build();
  }

  /** The instant of a protobuf timestamp. */
  public static Instant instant(Timestamp timestamp) {
    return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
  }
}
