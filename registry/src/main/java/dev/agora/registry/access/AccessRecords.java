package dev.agora.registry.access;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.agora.proto.access.v1.StoredApiKey;
import dev.agora.proto.access.v1.Team;
import dev.agora.registry.store.KeyValue;

/** Decodes stored access records, stamping each with its key's mod revision. */
final class AccessRecords {

  private AccessRecords() {}

  static Team team(KeyValue kv) {
    try {
      return Team.parseFrom(kv.value()).toBuilder().setRevision(kv.modRevision()).build();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("the stored record " + kv.key() + " is unreadable", e);
    }
  }

  static StoredApiKey apiKey(KeyValue kv) {
    try {
      StoredApiKey stored = StoredApiKey.parseFrom(kv.value());
      return stored.toBuilder()
          .setKey(stored.getKey().toBuilder().setRevision(kv.modRevision()))
          .build();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("the stored record " + kv.key() + " is unreadable", e);
    }
  }
}
