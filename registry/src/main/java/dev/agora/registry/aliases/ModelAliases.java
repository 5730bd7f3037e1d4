package dev.agora.registry.aliases;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import dev.agora.common.error.AgoraException;
import dev.agora.proto.errors.v1.ErrorReason;
import dev.agora.proto.registry.v1.Alias;
import dev.agora.proto.registry.v1.AliasHistoryEntry;
import dev.agora.proto.registry.v1.AuditAction;
import dev.agora.proto.registry.v1.ListAliasesResponse;
import dev.agora.proto.registry.v1.Model;
import dev.agora.proto.registry.v1.ModelVersion;
import dev.agora.proto.registry.v1.Stage;
import dev.agora.registry.audit.AuditTrail;
import dev.agora.registry.catalog.CatalogNames;
import dev.agora.registry.catalog.CatalogRefusals;
import dev.agora.registry.catalog.ModelCatalog;
import dev.agora.registry.catalog.PageTokens;
import dev.agora.registry.catalog.VersionRepository;
import dev.agora.registry.store.KeyValue;
import dev.agora.registry.store.MetadataStore;
import dev.agora.registry.store.RangeResult;
import dev.agora.registry.store.Txn;
import dev.agora.registry.store.TxnResult;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;

/** Sets, reads, lists and deletes a model's aliases; every move is recorded in its history. */
public final class ModelAliases {
  private static final int MAX_ATTEMPTS = 16;

  private final MetadataStore store;
  private final ModelCatalog models;
  private final VersionRepository versions;
  private final AliasHistory history;
  private final InstantSource clock;
  private final AuditTrail audit;

  /** Aliases stored in {@code store}, stamped with {@code clock} and audited. */
  public ModelAliases(
      MetadataStore store,
      ModelCatalog models,
      VersionRepository versions,
      AliasHistory history,
      InstantSource clock,
      AuditTrail audit) {
    this.store = store;
    this.models = models;
    this.versions = versions;
    this.history = history;
    this.clock = clock;
    this.audit = audit;
  }

  /**
   * Points {@code alias} at {@code version}, which must be PUBLISHED or DEPRECATED. Pointing it
   * where it already points returns it unchanged and records nothing.
   *
   * @param expectedRevision 0, or the revision the alias must still have (0 also when absent)
   * @throws AgoraException {@code INVALID_FIELD}, {@code MODEL_NOT_FOUND}, {@code
   *     VERSION_NOT_FOUND}, {@code LIFECYCLE_VIOLATION} for another stage, or {@code CONFLICT}
   */
  public Alias set(String model, String alias, String version, long expectedRevision) {
    CatalogNames.requireModelName("model", model);
    AliasNames.requireStored("alias", alias);
    CatalogNames.requireVersion("version", version);
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Model owner = models.get(model);
      requireServable(versions.get(model, version));
      Optional<Alias> current = find(model, alias);
      long currentRevision = current.map(Alias::getRevision).orElse(0L);
      CatalogRefusals.requireRevision(expectedRevision, currentRevision, subject(model, alias));
      if (current.isPresent() && current.get().getVersion().equals(version)) {
        return current.get();
      }
      Optional<Alias> moved = tryMove(owner, alias, current, version);
      if (moved.isPresent()) {
        return moved.get();
      }
    }
    throw CatalogRefusals.conflict(subject(model, alias));
  }

  /**
   * Removes {@code alias} and records the removal.
   *
   * @return the history entry of the removal, with the revision of the deletion
   * @throws AgoraException {@code INVALID_FIELD}, {@code MODEL_NOT_FOUND}, {@code ALIAS_NOT_FOUND}
   *     or {@code CONFLICT}
   */
  public AliasHistoryEntry delete(String model, String alias, long expectedRevision) {
    CatalogNames.requireModelName("model", model);
    AliasNames.requireStored("alias", alias);
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Model owner = models.get(model);
      Alias current = find(model, alias).orElseThrow(() -> notFound(model, alias));
      CatalogRefusals.requireRevision(
          expectedRevision, current.getRevision(), subject(model, alias));
      Instant now = clock.instant();
      AliasHistoryEntry entry = history.nextEntry(model, alias, current.getVersion(), "", now);
      String key = AliasKeys.alias(model, alias);
      Txn.Builder txn = Txn.builder().ifModRevision(key, current.getRevision()).delete(key);
      history.append(txn, entry);
      audit.append(
          txn,
          audit
              .event(AuditAction.AUDIT_ACTION_ALIAS_DELETED, model, now)
              .setAlias(alias)
              .setVersion(current.getVersion())
              .setTeam(owner.getOwnerTeam())
              .setRevisionBefore(current.getRevision())
              .setSummary("alias `" + alias + "` " + current.getVersion() + " → removed"));
      TxnResult result = store.commit(txn.build());
      if (result.succeeded()) {
        return entry.toBuilder().setRevision(result.revision()).build();
      }
    }
    throw CatalogRefusals.conflict(subject(model, alias));
  }

  /**
   * The alias, or for {@code latest} the highest published version.
   *
   * @throws AgoraException {@code INVALID_FIELD}, {@code MODEL_NOT_FOUND} or {@code
   *     ALIAS_NOT_FOUND}
   */
  public Alias get(String model, String alias) {
    CatalogNames.requireModelName("model", model);
    AliasNames.require("alias", alias);
    Model owner = models.get(model);
    if (alias.equals(AliasNames.LATEST)) {
      return latest(owner).orElseThrow(() -> notFound(model, alias));
    }
    return find(model, alias).orElseThrow(() -> notFound(model, alias));
  }

  /**
   * The model's aliases in name order; the first page starts with {@code latest} when a version is
   * published.
   *
   * @throws AgoraException {@code INVALID_FIELD} or {@code MODEL_NOT_FOUND}
   */
  public ListAliasesResponse list(String model, int pageSize, String pageToken) {
    CatalogNames.requireModelName("model", model);
    int size =
        PageTokens.pageSize(pageSize, ModelCatalog.DEFAULT_PAGE_SIZE, ModelCatalog.MAX_PAGE_SIZE);
    String after = PageTokens.decode(pageToken, name -> !name.isEmpty() && !name.contains("/"));
    Model owner = models.get(model);
    ListAliasesResponse.Builder response = ListAliasesResponse.newBuilder();
    if (after == null) {
      latest(owner).ifPresent(response::addAliases);
    }
    String prefix = AliasKeys.aliasesOf(model);
    RangeResult page = store.range(prefix, after == null ? null : prefix + after, size);
    page.kvs().forEach(kv -> response.addAliases(decode(kv)));
    if (page.more()) {
      response.setNextPageToken(PageTokens.encode(page.lastKey().substring(prefix.length())));
    }
    return response.build();
  }

  private Optional<Alias> tryMove(
      Model owner, String alias, Optional<Alias> current, String version) {
    String model = owner.getName();
    Instant now = clock.instant();
    String from = current.map(Alias::getVersion).orElse("");
    AliasHistoryEntry entry = history.nextEntry(model, alias, from, version, now);
    Alias record =
        Alias.newBuilder()
            .setModel(model)
            .setAlias(alias)
            .setVersion(version)
            .setUpdateTime(timestamp(now))
            .setUpdatedBy(entry.getActor())
            .build();
    String key = AliasKeys.alias(model, alias);
    long before = current.map(Alias::getRevision).orElse(0L);
    Txn.Builder txn = Txn.builder().ifModRevision(key, before).put(key, record.toByteArray());
    history.append(txn, entry);
    audit.append(
        txn,
        audit
            .event(AuditAction.AUDIT_ACTION_ALIAS_SET, model, now)
            .setAlias(alias)
            .setVersion(version)
            .setTeam(owner.getOwnerTeam())
            .setRevisionBefore(before)
            .setSummary(
                "alias `" + alias + "` " + (from.isEmpty() ? "created" : from) + " → " + version));
    TxnResult result = store.commit(txn.build());
    return result.succeeded()
        ? Optional.of(record.toBuilder().setRevision(result.revision()).build())
        : Optional.empty();
  }

  private Optional<Alias> find(String model, String alias) {
    return store.get(AliasKeys.alias(model, alias)).map(ModelAliases::decode);
  }

  private static Optional<Alias> latest(Model owner) {
    if (owner.getLatestPublishedVersion().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        Alias.newBuilder()
            .setModel(owner.getName())
            .setAlias(AliasNames.LATEST)
            .setVersion(owner.getLatestPublishedVersion())
            .setComputed(true)
            .setRevision(owner.getRevision())
            .build());
  }

  private static void requireServable(ModelVersion target) {
    Stage stage = target.getStage();
    if (stage == Stage.STAGE_PUBLISHED || stage == Stage.STAGE_DEPRECATED) {
      return;
    }
    String subject = "models/" + target.getModel() + "/versions/" + target.getVersion();
    throw AgoraException.builder(
            ErrorReason.LIFECYCLE_VIOLATION,
            "An alias can point only to a PUBLISHED or DEPRECATED version; "
                + subject
                + " is "
                + stage.name()
                + ".")
        .preconditionViolation(
            "ALIAS_TARGET_PUBLISHED",
            subject,
            "The version is " + stage.name() + "; an alias target must be published.")
        .build();
  }

  private static AgoraException notFound(String model, String alias) {
    return AgoraException.builder(
            ErrorReason.ALIAS_NOT_FOUND, "Model '" + model + "' has no alias '" + alias + "'.")
        .metadata("model", model)
        .metadata("alias", alias)
        .build();
  }

  private static String subject(String model, String alias) {
    return "models/" + model + "/aliases/" + alias;
  }

  private static Alias decode(KeyValue kv) {
    try {
      return Alias.parseFrom(kv.value()).toBuilder().setRevision(kv.modRevision()).build();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("the stored alias " + kv.key() + " is unreadable", e);
    }
  }

  static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder()
        .setSeconds(instant.getEpochSecond())
        .setNanos(instant.getNano())
        .build();
  }
}
