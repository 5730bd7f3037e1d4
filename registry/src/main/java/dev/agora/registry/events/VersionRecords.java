package dev.agora.registry.events;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.agora.proto.registry.v1.Event;
import dev.agora.proto.registry.v1.EventType;
import dev.agora.proto.registry.v1.ModelVersion;
import dev.agora.registry.catalog.CatalogKeys;
import java.util.Arrays;
import java.util.List;

/**
 * Version records ({@code /agora/v1/models/{model}/versions/{version}}): uploaded, moved between
 * lifecycle stages, updated within a stage, deleted. The stage before a change comes from the
 * previous record, which is why the feed keeps the last value of every key it follows.
 */
final class VersionRecords implements KeyFamily {
  private static final String VERSIONS = "/versions/";

  @Override
  public String prefix() {
    return CatalogKeys.MODELS;
  }

  @Override
  public boolean owns(String key) {
    return versionSegment(key) > 0;
  }

  /** Where the version name starts in a version key, or -1 when the key is not one. */
  private static int versionSegment(String key) {
    if (!key.startsWith(CatalogKeys.MODELS)) {
      return -1;
    }
    int modelEnd = key.indexOf('/', CatalogKeys.MODELS.length());
    if (modelEnd <= CatalogKeys.MODELS.length() || !key.startsWith(VERSIONS, modelEnd)) {
      return -1;
    }
    int versionStart = modelEnd + VERSIONS.length();
    boolean nested = key.indexOf('/', versionStart) >= 0;
    return nested || versionStart == key.length() ? -1 : versionStart;
  }

  @Override
  public List<Event> derive(StoredChange change) throws InvalidProtocolBufferException {
    if (change.deleted()) {
      if (change.previous() == null) {
        return List.of();
      }
      ModelVersion last = record(change, change.previous());
      return List.of(
          event(EventType.EVENT_TYPE_VERSION_DELETED, change, last)
              .setFromStage(last.getStage())
              .build());
    }
    ModelVersion current = record(change, change.current());
    if (change.created()) {
      return List.of(
          event(EventType.EVENT_TYPE_VERSION_UPLOADED, change, current)
              .setToStage(current.getStage())
              .build());
    }
    if (Arrays.equals(change.previous(), change.current())) {
      return List.of();
    }
    ModelVersion previous = ModelVersion.parseFrom(change.previous());
    EventType type =
        previous.getStage() == current.getStage()
            ? EventType.EVENT_TYPE_VERSION_UPDATED
            : EventType.EVENT_TYPE_VERSION_STAGE_CHANGED;
    Event.Builder event = event(type, change, current).setToStage(current.getStage());
    if (type == EventType.EVENT_TYPE_VERSION_STAGE_CHANGED) {
      event.setFromStage(previous.getStage());
    }
    return List.of(event.build());
  }

  private static ModelVersion record(StoredChange change, byte[] value)
      throws InvalidProtocolBufferException {
    return ModelVersion.parseFrom(value).toBuilder().setRevision(change.revision()).build();
  }

  private static Event.Builder event(EventType type, StoredChange change, ModelVersion record) {
    String key = change.key();
    int versionStart = versionSegment(key);
    String model = key.substring(CatalogKeys.MODELS.length(), versionStart - VERSIONS.length());
    return Event.newBuilder()
        .setType(type)
        .setRevision(change.revision())
        .setModel(model)
        .setVersion(key.substring(versionStart))
        .setVersionRecord(record);
  }
}
