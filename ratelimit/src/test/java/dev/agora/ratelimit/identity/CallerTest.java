package dev.agora.ratelimit.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CallerTest {

  @ParameterizedTest(name = "{0} grants {1}: {2}")
  @CsvSource({
    "ADMIN, PUBLISHER, true",
    "ADMIN, REVIEWER, true",
    "ADMIN, ADMIN, true",
    "PUBLISHER, PUBLISHER, true",
    "PUBLISHER, CONSUMER, true",
    "PUBLISHER, REVIEWER, false",
    "PUBLISHER, ADMIN, false",
    "REVIEWER, REVIEWER, true",
    "REVIEWER, PUBLISHER, false",
    "CONSUMER, CONSUMER, true",
    "CONSUMER, PUBLISHER, false"
  })
  void roleGrants(Role held, Role required, boolean granted) {
    assertThat(held.grants(required)).isEqualTo(granted);
  }

  @Test
  void aRoleHoldsOnlyInTheKeysTeam() {
    Caller publisher = caller("fraud", Set.of(Role.PUBLISHER));

    assertThat(publisher.holdsRole("fraud", Role.PUBLISHER)).isTrue();
    assertThat(publisher.holdsRole("search", Role.PUBLISHER)).isFalse();
    assertThat(publisher.holdsRole("fraud", Role.REVIEWER)).isFalse();
    assertThat(publisher.isGlobalAdmin()).isFalse();
  }

  @Test
  void adminsOfTheAdminsTeamHoldEveryRoleEverywhere() {
    Caller admin = caller(Caller.ADMINS_TEAM, Set.of(Role.ADMIN));
    Caller teamAdmin = caller("fraud", Set.of(Role.ADMIN));
    Caller adminsConsumer = caller(Caller.ADMINS_TEAM, Set.of(Role.CONSUMER));

    assertThat(admin.isGlobalAdmin()).isTrue();
    assertThat(admin.holdsRole("anything", Role.REVIEWER)).isTrue();
    assertThat(teamAdmin.isGlobalAdmin()).isFalse();
    assertThat(teamAdmin.holdsRole("search", Role.CONSUMER)).isFalse();
    assertThat(adminsConsumer.isGlobalAdmin()).isFalse();
  }

  @Test
  void expiryIsInclusive() {
    Instant expiry = Instant.parse("2026-05-01T00:00:00Z");
    Caller caller =
        new Caller(
            "id", "alice", PrincipalKind.USER, "fraud", Set.of(), Set.of(), Optional.of(expiry));

    assertThat(caller.isExpiredAt(expiry.minusMillis(1))).isFalse();
    assertThat(caller.isExpiredAt(expiry)).isTrue();
    assertThat(caller("fraud", Set.of()).isExpiredAt(Instant.MAX)).isFalse();
  }

  @Test
  void consumersMayNotHoldWriteOrAdminScopes() {
    assertThat(Role.CONSUMER.allowedScopes())
        .doesNotContain(Scope.REGISTRY_WRITE, Scope.ADMIN)
        .contains(Scope.REGISTRY_READ, Scope.INFERENCE);
    assertThat(Role.PUBLISHER.allowedScopes())
        .contains(Scope.REGISTRY_WRITE)
        .doesNotContain(Scope.ADMIN);
    assertThat(Role.ADMIN.allowedScopes()).isEqualTo(EnumSet.allOf(Scope.class));
  }

  @Test
  void wireNamesRoundTrip() {
    for (Scope scope : Scope.values()) {
      assertThat(Scope.fromWireName(scope.wireName())).contains(scope);
    }
    for (Role role : Role.values()) {
      assertThat(Role.fromLabel(role.label())).contains(role);
      assertThat(CallerProtos.fromProto(CallerProtos.toProto(role))).contains(role);
    }
    Caller caller = caller("fraud", Set.of(Role.PUBLISHER, Role.REVIEWER));
    assertThat(CallerProtos.fromProto(CallerProtos.toProto(caller))).isEqualTo(caller);
  }

  private static Caller caller(String team, Set<Role> roles) {
    return new Caller(
        "key",
        "alice",
        PrincipalKind.USER,
        team,
        roles,
        EnumSet.of(Scope.REGISTRY_READ, Scope.REGISTRY_WRITE),
        Optional.empty());
  }
}
