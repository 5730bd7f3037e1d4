package dev.agora.registry.events;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.agora.proto.access.v1.StoredApiKey;
import dev.agora.proto.registry.v1.Event;
import dev.agora.proto.registry.v1.EventType;
import dev.agora.registry.access.AccessKeys;
import java.util.List;

/**
 * API key records ({@code /agora/v1/keys/{id}}, a {@code StoredApiKey}): one event when a key stops
 * being usable, that is when its record gains a revoke time or is removed while still valid.
 * Nothing else about keys is published: the records name principals and scopes, which only the
 * access service may show, and carry the key's hash.
 */
final class ApiKeyRevocations implements KeyFamily {
  private static final String KEYS = AccessKeys.KEYS;

  @Override
  public String prefix() {
    return KEYS;
  }

  @Override
  public boolean owns(String key) {
    return key.startsWith(KEYS)
        && key.length() > KEYS.length()
        && key.indexOf('/', KEYS.length()) < 0;
  }

  @Override
  public List<Event> derive(StoredChange change) throws InvalidProtocolBufferException {
    if (change.previous() == null || revoked(change.previous())) {
      return List.of();
    }
    if (!change.deleted() && !revoked(change.current())) {
      return List.of();
    }
    return List.of(
        Event.newBuilder()
            .setType(EventType.EVENT_TYPE_KEY_REVOKED)
            .setRevision(change.revision())
            .setKeyId(change.key().substring(KEYS.length()))
            .build());
  }

  private static boolean revoked(byte[] value) throws InvalidProtocolBufferException {
    return StoredApiKey.parseFrom(value).getKey().hasRevokeTime();
  }
}
