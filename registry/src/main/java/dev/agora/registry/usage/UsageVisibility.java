package dev.agora.registry.usage;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.agora.common.error.AgoraException;
import dev.agora.proto.errors.v1.ErrorReason;
import dev.agora.proto.registry.v1.Model;
import dev.agora.proto.registry.v1.UsageRecord;
import dev.agora.ratelimit.identity.Caller;
import dev.agora.ratelimit.identity.Role;
import dev.agora.registry.catalog.CatalogKeys;
import dev.agora.registry.store.KeyValue;
import dev.agora.registry.store.MetadataStore;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Which usage records a caller may read: global administrators every record; a member of a team the
 * records of its team's calls and every record of the models its team owns (read from the model
 * records, once per model per query). Asking for another consumer team's records is refused unless
 * the query names a model the caller's team owns.
 */
final class UsageVisibility {
  private final MetadataStore store;

  UsageVisibility(MetadataStore store) {
    this.store = store;
  }

  /**
   * The records {@code caller} may see among those a query with these filters reads.
   *
   * @param team the query's consumer team filter, or null
   * @param model the query's model filter, or null
   * @throws AgoraException {@code PERMISSION_DENIED} when the query asks for another team's calls
   *     the caller may not see
   */
  Predicate<UsageRecord> forCaller(Caller caller, String team, String model) {
    if (caller.isGlobalAdmin()) {
      return record -> true;
    }
    String own = caller.team();
    boolean member = !own.isEmpty() && caller.holdsRole(own, Role.CONSUMER);
    Map<String, String> owners = new HashMap<>();
    if (member && model != null && own.equals(owner(owners, model))) {
      return record -> true;
    }
    if (team != null && !team.equals(own)) {
      throw AgoraException.builder(
              ErrorReason.PERMISSION_DENIED,
              "Reading the usage of team '"
                  + team
                  + "' needs the consumer role in that team, or a query for one model your team"
                  + " owns; the key acts for "
                  + caller.describe()
                  + ".")
          .metadata("required_role", Role.CONSUMER.label())
          .metadata("team", team)
          .build();
    }
    if (!member) {
      return record -> false;
    }
    return record ->
        own.equals(record.getConsumerTeam()) || own.equals(owner(owners, record.getModel()));
  }

  /** The owner team of a model, empty when there is no such model (any longer). */
  private String owner(Map<String, String> owners, String model) {
    return owners.computeIfAbsent(
        model, name -> store.get(CatalogKeys.model(name)).map(UsageVisibility::ownerOf).orElse(""));
  }

  private static String ownerOf(KeyValue kv) {
    try {
      return Model.parseFrom(kv.value()).getOwnerTeam();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("the stored record " + kv.key() + " is unreadable", e);
    }
  }
}
