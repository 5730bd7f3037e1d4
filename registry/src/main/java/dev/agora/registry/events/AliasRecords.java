package dev.agora.registry.events;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.agora.proto.registry.v1.Alias;
import dev.agora.proto.registry.v1.Event;
import dev.agora.proto.registry.v1.EventType;
import dev.agora.registry.catalog.CatalogKeys;
import java.util.List;

/**
 * Alias records ({@code /agora/v1/models/{model}/aliases/{alias}}, an {@code Alias}): moved or
 * deleted. Keys nested deeper under an alias (its history) belong to no family and are ignored.
 */
final class AliasRecords implements KeyFamily {
  private static final String ALIASES = "/aliases/";

  @Override
  public String prefix() {
    return CatalogKeys.MODELS;
  }

  @Override
  public boolean owns(String key) {
    return aliasSegment(key) > 0;
  }

  /** Where the alias name starts in an alias key, or -1 when the key is not one. */
  private static int aliasSegment(String key) {
    if (!key.startsWith(CatalogKeys.MODELS)) {
      return -1;
    }
    int modelEnd = key.indexOf('/', CatalogKeys.MODELS.length());
    if (modelEnd <= CatalogKeys.MODELS.length() || !key.startsWith(ALIASES, modelEnd)) {
      return -1;
    }
    int aliasStart = modelEnd + ALIASES.length();
    boolean nested = key.indexOf('/', aliasStart) >= 0;
    return nested || aliasStart == key.length() ? -1 : aliasStart;
  }

  @Override
  public List<Event> derive(StoredChange change) throws InvalidProtocolBufferException {
    String previousVersion =
        change.previous() == null ? "" : Alias.parseFrom(change.previous()).getVersion();
    if (change.deleted()) {
      if (change.previous() == null) {
        return List.of();
      }
      return List.of(
          event(EventType.EVENT_TYPE_ALIAS_DELETED, change, change.previous())
              .setPreviousVersion(previousVersion)
              .build());
    }
    Event.Builder moved = event(EventType.EVENT_TYPE_ALIAS_MOVED, change, change.current());
    if (change.previous() != null && previousVersion.equals(moved.getVersion())) {
      return List.of();
    }
    return List.of(moved.setPreviousVersion(previousVersion).build());
  }

  private static Event.Builder event(EventType type, StoredChange change, byte[] value)
      throws InvalidProtocolBufferException {
    Alias record = Alias.parseFrom(value).toBuilder().setRevision(change.revision()).build();
    String key = change.key();
    int aliasStart = aliasSegment(key);
    Event.Builder event =
        Event.newBuilder()
            .setType(type)
            .setRevision(change.revision())
            .setModel(key.substring(CatalogKeys.MODELS.length(), aliasStart - ALIASES.length()))
            .setAlias(key.substring(aliasStart))
            .setAliasRecord(record);
    if (type == EventType.EVENT_TYPE_ALIAS_MOVED) {
      event.setVersion(record.getVersion());
    }
    return event;
  }
}
