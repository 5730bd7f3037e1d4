package dev.agora.registry.access;

import dev.agora.common.error.AgoraException;
import dev.agora.proto.access.v1.ListTeamsResponse;
import dev.agora.proto.access.v1.Role;
import dev.agora.proto.access.v1.Team;
import dev.agora.proto.access.v1.TeamMember;
import dev.agora.proto.errors.v1.ErrorReason;
import dev.agora.ratelimit.identity.Caller;
import dev.agora.ratelimit.identity.CallerProtos;
import dev.agora.registry.catalog.PageTokens;
import dev.agora.registry.store.KeyValue;
import dev.agora.registry.store.MetadataStore;
import dev.agora.registry.store.RangeResult;
import dev.agora.registry.store.Txn;
import dev.agora.registry.store.TxnResult;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Teams and their members in the metadata store. Changes are compare-and-set on the team record.
 */
public final class TeamDirectory {
  static final int DEFAULT_PAGE_SIZE = 100;
  static final int MAX_PAGE_SIZE = 1000;
  private static final int MAX_ATTEMPTS = 8;

  private final MetadataStore store;
  private final InstantSource clock;

  /** A directory over {@code store}, stamping records with {@code clock}. */
  public TeamDirectory(MetadataStore store, InstantSource clock) {
    this.store = store;
    this.clock = clock;
  }

  /**
   * Creates a team. Output-only fields of {@code requested} are ignored.
   *
   * @throws AgoraException {@code INVALID_FIELD} for a bad name or member, {@code
   *     TEAM_ALREADY_EXISTS} when the name is taken
   */
  public Team create(Team requested) {
    String name = AccessNames.requireTeamName("team.name", requested.getName());
    var now = CallerProtos.timestamp(clock.instant());
    Team.Builder record =
        requested.toBuilder().clearMembers().setCreateTime(now).setUpdateTime(now).clearRevision();
    for (int i = 0; i < requested.getMembersCount(); i++) {
      record.addMembers(
          AccessNames.requireMember("team.members[" + i + "]", requested.getMembers(i)));
    }
    String key = AccessKeys.team(name);
    Team team = record.build();
    TxnResult result =
        store.commit(Txn.builder().ifAbsent(key).put(key, team.toByteArray()).build());
    if (!result.succeeded()) {
      throw AgoraException.builder(
              ErrorReason.TEAM_ALREADY_EXISTS, "A team named '" + name + "' already exists.")
          .metadata("team", name)
          .build();
    }
    return team.toBuilder().setRevision(result.revision()).build();
  }

  /** The team, or empty when there is none. */
  public Optional<Team> find(String name) {
    return store.get(AccessKeys.team(name)).map(AccessRecords::team);
  }

  /**
   * The team.
   *
   * @throws AgoraException {@code TEAM_NOT_FOUND} when there is none
   */
  public Team get(String name) {
    return find(name).orElseThrow(() -> notFound(name));
  }

  /** Teams in name order, without their members. */
  public ListTeamsResponse list(int pageSize, String pageToken) {
    int size = PageTokens.pageSize(pageSize, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    String after = PageTokens.decode(pageToken, AccessNames::isTeamName);
    RangeResult page =
        store.range(AccessKeys.TEAMS, after == null ? null : AccessKeys.team(after), size);
    List<Team> teams = new ArrayList<>();
    for (KeyValue kv : page.kvs()) {
      teams.add(AccessRecords.team(kv).toBuilder().clearMembers().build());
    }
    ListTeamsResponse.Builder response = ListTeamsResponse.newBuilder().addAllTeams(teams);
    if (page.more() && !teams.isEmpty()) {
      response.setNextPageToken(PageTokens.encode(teams.get(teams.size() - 1).getName()));
    }
    return response.build();
  }

  /** Adds {@code member} to the team, or replaces the roles of the member it names. */
  public Team setMember(String teamName, TeamMember member) {
    TeamMember checked = AccessNames.requireMember("member", member);
    return update(
        teamName,
        team -> {
          Team.Builder changed = without(team, checked.getPrincipal()).toBuilder();
          return requireAnAdmin(changed.addMembers(checked).build());
        });
  }

  /** Removes the member; removing a principal that is not a member changes nothing. */
  public Team removeMember(String teamName, String principal) {
    AccessNames.requirePrincipal("principal", principal);
    return update(teamName, team -> requireAnAdmin(without(team, principal)));
  }

  /** The member of {@code team} that {@code principal} names, if any. */
  public static Optional<TeamMember> member(Team team, String principal) {
    return team.getMembersList().stream()
        .filter(member -> member.getPrincipal().equals(principal))
        .findFirst();
  }

  private Team update(String teamName, UnaryOperator<Team> change) {
    String name = AccessNames.requireTeamName("team", teamName);
    String key = AccessKeys.team(name);
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Team current = get(name);
      Team changed = change.apply(current);
      if (changed.getMembersList().equals(current.getMembersList())) {
        return current;
      }
      Team record =
          changed.toBuilder()
              .setUpdateTime(CallerProtos.timestamp(clock.instant()))
              .clearRevision()
              .build();
      TxnResult result =
          store.commit(
              Txn.builder()
                  .ifModRevision(key, current.getRevision())
                  .put(key, record.toByteArray())
                  .build());
      if (result.succeeded()) {
        return record.toBuilder().setRevision(result.revision()).build();
      }
    }
    throw AgoraException.of(
        ErrorReason.CONFLICT, "Team '" + name + "' changed concurrently too often; retry.");
  }

  private static Team without(Team team, String principal) {
    Team.Builder rest = team.toBuilder().clearMembers();
    team.getMembersList().stream()
        .filter(member -> !member.getPrincipal().equals(principal))
        .forEach(rest::addMembers);
    return rest.build();
  }

  /** The administrators' team must keep an administrator, or nobody could manage access. */
  private static Team requireAnAdmin(Team team) {
    if (Caller.ADMINS_TEAM.equals(team.getName())
        && team.getMembersList().stream()
            .noneMatch(m -> m.getRolesList().contains(Role.ROLE_ADMIN))) {
      throw AgoraException.invalidField(
          "member",
          "the '"
              + Caller.ADMINS_TEAM
              + "' team must keep at least one member with the admin role");
    }
    return team;
  }

  static AgoraException notFound(String name) {
    return AgoraException.builder(ErrorReason.TEAM_NOT_FOUND, "No team is named '" + name + "'.")
        .metadata("team", name)
        .build();
  }
}
