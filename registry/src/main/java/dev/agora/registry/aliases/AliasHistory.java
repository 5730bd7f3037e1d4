package dev.agora.registry.aliases;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import dev.agora.common.error.AgoraException;
import dev.agora.proto.registry.v1.AliasHistoryEntry;
import dev.agora.proto.registry.v1.GetAliasHistoryResponse;
import dev.agora.registry.audit.AuditTrail;
import dev.agora.registry.catalog.CatalogNames;
import dev.agora.registry.catalog.ModelCatalog;
import dev.agora.registry.catalog.PageTokens;
import dev.agora.registry.store.KeyValue;
import dev.agora.registry.store.MetadataStore;
import dev.agora.registry.store.RangeResult;
import dev.agora.registry.store.Txn;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * The append-only history of each alias: entries are added in the transaction of the move they
 * record (and only where no entry with that sequence exists), and read newest first.
 */
public final class AliasHistory {
  private static final int SCAN_BATCH = 256;
  private static final Pattern SEQUENCE = Pattern.compile("[1-9]\\d{0,18}");

  private final MetadataStore store;
  private final ModelCatalog models;
  private final AuditTrail audit;

  /** The history stored in {@code store}, naming movers as {@code audit} does. */
  public AliasHistory(MetadataStore store, ModelCatalog models, AuditTrail audit) {
    this.store = store;
    this.models = models;
    this.audit = audit;
  }

  /**
   * The alias's moves, newest first.
   *
   * @throws AgoraException {@code INVALID_FIELD} or {@code MODEL_NOT_FOUND}
   */
  public GetAliasHistoryResponse list(String model, String alias, int pageSize, String pageToken) {
    requireNames(model, alias);
    int size =
        PageTokens.pageSize(pageSize, ModelCatalog.DEFAULT_PAGE_SIZE, ModelCatalog.MAX_PAGE_SIZE);
    String after = PageTokens.decode(pageToken, text -> SEQUENCE.matcher(text).matches());
    models.get(model);
    String cursor =
        after == null ? null : AliasKeys.historyEntry(model, alias, Long.parseLong(after));
    RangeResult page = store.range(AliasKeys.historyOf(model, alias), cursor, size);
    GetAliasHistoryResponse.Builder response = GetAliasHistoryResponse.newBuilder();
    page.kvs().forEach(kv -> response.addEntries(decode(kv)));
    if (page.more()) {
      long last = AliasKeys.sequenceOf(page.lastKey());
      response.setNextPageToken(PageTokens.encode(Long.toString(last)));
    }
    return response.build();
  }

  /**
   * The entry in force at {@code time}: the last move at or before it. None when the alias did not
   * exist yet; a removal entry (empty {@code to_version}) when it had been deleted.
   *
   * @throws AgoraException {@code INVALID_FIELD} or {@code MODEL_NOT_FOUND}
   */
  public GetAliasHistoryResponse at(String model, String alias, Instant time) {
    requireNames(model, alias);
    models.get(model);
    String prefix = AliasKeys.historyOf(model, alias);
    String cursor = null;
    RangeResult page;
    do {
      page = store.range(prefix, cursor, SCAN_BATCH);
      for (KeyValue kv : page.kvs()) {
        AliasHistoryEntry entry = decode(kv);
        if (!instant(entry.getTime()).isAfter(time)) {
          return GetAliasHistoryResponse.newBuilder().addEntries(entry).build();
        }
      }
      cursor = page.kvs().isEmpty() ? cursor : page.lastKey();
    } while (page.more());
    return GetAliasHistoryResponse.getDefaultInstance();
  }

  /** The entry recording a move made now by the current caller, numbered after the last one. */
  AliasHistoryEntry nextEntry(String model, String alias, String from, String to, Instant time) {
    RangeResult newest = store.range(AliasKeys.historyOf(model, alias), null, 1);
    long sequence = newest.kvs().isEmpty() ? 1 : AliasKeys.sequenceOf(newest.lastKey()) + 1;
    return AliasHistoryEntry.newBuilder()
        .setModel(model)
        .setAlias(alias)
        .setFromVersion(from)
        .setToVersion(to)
        .setTime(ModelAliases.timestamp(time))
        .setActor(audit.caller())
        .setSequence(sequence)
        .build();
  }

  /** Adds {@code entry} to {@code txn}, which then fails if another move took its sequence. */
  void append(Txn.Builder txn, AliasHistoryEntry entry) {
    String key = AliasKeys.historyEntry(entry.getModel(), entry.getAlias(), entry.getSequence());
    txn.ifAbsent(key).put(key, entry.toByteArray());
  }

  private static void requireNames(String model, String alias) {
    CatalogNames.requireModelName("model", model);
    AliasNames.require("alias", alias);
    if (alias.equals(AliasNames.LATEST)) {
      throw AgoraException.invalidField(
          "alias", "'latest' is computed from the published versions and has no recorded history");
    }
  }

  private static Instant instant(Timestamp timestamp) {
    return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
  }

  private static AliasHistoryEntry decode(KeyValue kv) {
    try {
      return AliasHistoryEntry.parseFrom(kv.value()).toBuilder()
          .setRevision(kv.modRevision())
          .build();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(
          "the stored alias history entry " + kv.key() + " is unreadable", e);
    }
  }
}
