package dev.agora.registry.events;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.agora.proto.registry.v1.Event;
import dev.agora.proto.registry.v1.EventType;
import dev.agora.proto.registry.v1.Model;
import dev.agora.registry.catalog.CatalogKeys;
import java.util.Arrays;
import java.util.List;

/** Model records ({@code /agora/v1/models/{model}}): created, updated, deleted. */
final class ModelRecords implements KeyFamily {

  @Override
  public String prefix() {
    return CatalogKeys.MODELS;
  }

  @Override
  public boolean owns(String key) {
    return CatalogKeys.isModelKey(key) && key.length() > CatalogKeys.MODELS.length();
  }

  @Override
  public List<Event> derive(StoredChange change) throws InvalidProtocolBufferException {
    if (change.deleted()) {
      if (change.previous() == null) {
        return List.of();
      }
      return List.of(event(EventType.EVENT_TYPE_MODEL_DELETED, change, change.previous()));
    }
    if (change.created()) {
      return List.of(event(EventType.EVENT_TYPE_MODEL_CREATED, change, change.current()));
    }
    if (Arrays.equals(change.previous(), change.current())) {
      return List.of();
    }
    return List.of(event(EventType.EVENT_TYPE_MODEL_UPDATED, change, change.current()));
  }

  private static Event event(EventType type, StoredChange change, byte[] value)
      throws InvalidProtocolBufferException {
    Model record = Model.parseFrom(value).toBuilder().setRevision(change.revision()).build();
    return Event.newBuilder()
        .setType(type)
        .setRevision(change.revision())
        .setModel(CatalogKeys.modelName(change.key()))
        .setModelRecord(record)
        .build();
  }
}
