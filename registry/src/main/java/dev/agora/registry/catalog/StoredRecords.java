package dev.agora.registry.catalog;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import dev.agora.proto.registry.v1.Model;
import dev.agora.proto.registry.v1.ModelVersion;
import dev.agora.registry.store.KeyValue;
import java.time.Instant;

/** Decodes stored records, stamping each with its key's mod revision. */
final class StoredRecords {

  private StoredRecords() {}

  static Model model(KeyValue kv) {
    try {
      return Model.parseFrom(kv.value()).toBuilder().setRevision(kv.modRevision()).build();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("the stored record " + kv.key() + " is unreadable", e);
    }
  }

  static ModelVersion version(KeyValue kv) {
    try {
      return ModelVersion.parseFrom(kv.value()).toBuilder().setRevision(kv.modRevision()).build();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("the stored record " + kv.key() + " is unreadable", e);
    }
  }

  static Instant instant(Timestamp timestamp) {
    return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
  }

  static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder()
        .setSeconds(instant.getEpochSecond())
        .setNanos(instant.getNano())
        .build();
  }
}
