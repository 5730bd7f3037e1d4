package dev.agora.registry.access;

import dev.agora.common.error.AgoraException;
import dev.agora.proto.access.v1.ApiKey;
import dev.agora.proto.access.v1.ListApiKeysResponse;
import dev.agora.proto.access.v1.StoredApiKey;
import dev.agora.proto.errors.v1.ErrorReason;
import dev.agora.ratelimit.identity.CallerProtos;
import dev.agora.ratelimit.keys.ApiKeyFormat;
import dev.agora.registry.catalog.PageTokens;
import dev.agora.registry.store.KeyValue;
import dev.agora.registry.store.MetadataStore;
import dev.agora.registry.store.RangeResult;
import dev.agora.registry.store.Txn;
import dev.agora.registry.store.TxnResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * API key records in the metadata store: a {@code StoredApiKey} per key id, holding the record and
 * the SHA-256 of the key. Changes are compare-and-set on the record.
 */
final class KeyDirectory {
  static final int DEFAULT_PAGE_SIZE = 100;
  static final int MAX_PAGE_SIZE = 1000;
  private static final int MAX_ATTEMPTS = 8;

  private final MetadataStore store;

  KeyDirectory(MetadataStore store) {
    this.store = store;
  }

  /** The stored key with this id, or empty. */
  Optional<StoredApiKey> find(String id) {
    return store.get(AccessKeys.apiKey(id)).map(AccessRecords::apiKey);
  }

  /** The stored key with this id; {@code API_KEY_NOT_FOUND} when there is none. */
  StoredApiKey get(String id) {
    return find(id)
        .orElseThrow(
            () ->
                AgoraException.builder(
                        ErrorReason.API_KEY_NOT_FOUND, "No API key has the id '" + id + "'.")
                    .metadata("key_id", id)
                    .build());
  }

  /** Stores a new key; returns its record with the revision it got. */
  ApiKey create(StoredApiKey stored) {
    String key = AccessKeys.apiKey(stored.getKey().getId());
    TxnResult result =
        store.commit(Txn.builder().ifAbsent(key).put(key, stored.toByteArray()).build());
    if (!result.succeeded()) {
      throw AgoraException.of(ErrorReason.CONFLICT, "A key id collided; create the key again.");
    }
    return stored.getKey().toBuilder().setRevision(result.revision()).build();
  }

  /** Marks the key revoked at {@code now}; a revoked key stays as it was. */
  ApiKey revoke(String id, Instant now) {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      StoredApiKey current = get(id);
      if (current.getKey().hasRevokeTime()) {
        return current.getKey();
      }
      StoredApiKey revoked =
          current.toBuilder()
              .setKey(
                  current.getKey().toBuilder()
                      .setRevokeTime(CallerProtos.timestamp(now))
                      .clearRevision())
              .build();
      Optional<ApiKey> written = replace(current, revoked);
      if (written.isPresent()) {
        return written.get();
      }
    }
    throw AgoraException.of(ErrorReason.CONFLICT, "Key '" + id + "' changed concurrently; retry.");
  }

  /** Moves the key's last-used time forward to {@code at}; never backwards, never on a gone key. */
  void recordLastUsed(String id, Instant at) {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Optional<StoredApiKey> current = find(id);
      if (current.isEmpty()) {
        return;
      }
      ApiKey key = current.get().getKey();
      if (key.hasLastUsedTime() && !CallerProtos.instant(key.getLastUsedTime()).isBefore(at)) {
        return;
      }
      StoredApiKey used =
          current.get().toBuilder()
              .setKey(key.toBuilder().setLastUsedTime(CallerProtos.timestamp(at)).clearRevision())
              .build();
      if (replace(current.get(), used).isPresent()) {
        return;
      }
    }
  }

  /** Keys matching {@code filter}, in id order, paged. */
  ListApiKeysResponse list(Predicate<ApiKey> filter, int pageSize, String pageToken) {
    int size = PageTokens.pageSize(pageSize, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    String after = PageTokens.decode(pageToken, ApiKeyFormat::isKeyId);
    String cursor = after == null ? null : AccessKeys.apiKey(after);
    List<ApiKey> keys = new ArrayList<>(size + 1);
    boolean more = true;
    while (more && keys.size() <= size) {
      RangeResult page = store.range(AccessKeys.KEYS, cursor, MAX_PAGE_SIZE);
      for (KeyValue kv : page.kvs()) {
        ApiKey key = AccessRecords.apiKey(kv).getKey();
        if (filter.test(key) && keys.size() <= size) {
          keys.add(key);
        }
      }
      more = page.more();
      cursor = page.kvs().isEmpty() ? cursor : page.lastKey();
    }
    ListApiKeysResponse.Builder response = ListApiKeysResponse.newBuilder();
    if (keys.size() > size) {
      keys = keys.subList(0, size);
      response.setNextPageToken(PageTokens.encode(keys.get(size - 1).getId()));
    }
    return response.addAllKeys(keys).build();
  }

  private Optional<ApiKey> replace(StoredApiKey current, StoredApiKey next) {
    String key = AccessKeys.apiKey(current.getKey().getId());
    TxnResult result =
        store.commit(
            Txn.builder()
                .ifModRevision(key, current.getKey().getRevision())
                .put(key, next.toByteArray())
                .build());
    return result.succeeded()
        ? Optional.of(next.getKey().toBuilder().setRevision(result.revision()).build())
        : Optional.empty();
  }
}
