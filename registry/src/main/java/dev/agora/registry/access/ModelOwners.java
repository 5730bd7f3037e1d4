package dev.agora.registry.access;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.agora.common.error.AgoraException;
import dev.agora.proto.errors.v1.ErrorReason;
import dev.agora.proto.registry.v1.Model;
import dev.agora.registry.catalog.CatalogKeys;
import dev.agora.registry.store.KeyValue;
import dev.agora.registry.store.MetadataStore;

/**
 * The owning team of a model, read from its record on every mutating call: ownership can move
 * (UpdateModel), and a stale answer would let the previous team write.
 */
final class ModelOwners {
  private final MetadataStore store;

  ModelOwners(MetadataStore store) {
    this.store = store;
  }

  /**
   * The model's owner team; empty for a model registered before teams existed.
   *
   * @throws AgoraException {@code MODEL_NOT_FOUND} when there is no such model
   */
  String ownerTeam(String model) {
    KeyValue kv =
        store
            .get(CatalogKeys.model(model))
            .orElseThrow(
                () ->
                    AgoraException.builder(
                            ErrorReason.MODEL_NOT_FOUND, "No model is named '" + model + "'.")
                        .metadata("model", model)
                        .build());
    try {
      return Model.parseFrom(kv.value()).getOwnerTeam();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("the stored record " + kv.key() + " is unreadable", e);
    }
  }
}
