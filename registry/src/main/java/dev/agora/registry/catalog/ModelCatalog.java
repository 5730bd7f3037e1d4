package dev.agora.registry.catalog;

import com.google.protobuf.FieldMask;
import dev.agora.common.error.AgoraException;
import dev.agora.proto.errors.v1.ErrorReason;
import dev.agora.proto.registry.v1.AuditAction;
import dev.agora.proto.registry.v1.ListModelsResponse;
import dev.agora.proto.registry.v1.Model;
import dev.agora.registry.audit.AuditTrail;
import dev.agora.registry.store.KeyValue;
import dev.agora.registry.store.MetadataStore;
import dev.agora.registry.store.RangeResult;
import dev.agora.registry.store.Txn;
import dev.agora.registry.store.TxnResult;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Creates, reads, updates and lists model records; every change is audited. */
public final class ModelCatalog {
  /** The page size when a request asks for none. */
  public static final int DEFAULT_PAGE_SIZE = 100;

  /** The largest page size; larger requests are served this many. */
  public static final int MAX_PAGE_SIZE = 1000;

  /** The fields UpdateModel may replace. */
  static final Set<String> MUTABLE =
      Set.of(
          "display_name",
          "summary",
          "description",
          "owner_team",
          "business_unit",
          "domain",
          "task",
          "tags",
          "risk_level",
          "license",
          "contacts");

  private static final Map<String, String> NOT_UPDATABLE =
      Map.of(
          "name", "is immutable; register a new model instead",
          "create_time", "is output only",
          "update_time", "is output only",
          "latest_published_version", "is output only",
          "revision", "is output only");

  private final MetadataStore store;
  private final InstantSource clock;
  private final AuditTrail audit;

  /** A catalog over {@code store}, stamping records with {@code clock} and auditing changes. */
  public ModelCatalog(MetadataStore store, InstantSource clock, AuditTrail audit) {
    this.store = store;
    this.clock = clock;
    this.audit = audit;
  }

  /**
   * Registers a model. Output-only fields of {@code requested} are ignored.
   *
   * @throws AgoraException {@code INVALID_FIELD} for a bad name or descriptive field (see {@link
   *     ModelRules}), {@code MODEL_ALREADY_EXISTS} when the name is taken
   */
  public Model create(Model requested) {
    String name = CatalogNames.requireModelName("model.name", requested.getName());
    ModelRules.check(requested, "model.");
    Instant now = clock.instant();
    Model record =
        requested.toBuilder()
            .setCreateTime(StoredRecords.timestamp(now))
            .setUpdateTime(StoredRecords.timestamp(now))
            .clearLatestPublishedVersion()
            .clearRevision()
            .build();
    String key = CatalogKeys.model(name);
    Txn.Builder txn = Txn.builder().ifAbsent(key).put(key, record.toByteArray());
    audit.append(
        txn,
        audit
            .event(AuditAction.AUDIT_ACTION_MODEL_CREATED, name, now)
            .setTeam(record.getOwnerTeam())
            .setSummary("created model `" + name + "`"));
    TxnResult result = store.commit(txn.build());
    if (!result.succeeded()) {
      throw AgoraException.builder(
              ErrorReason.MODEL_ALREADY_EXISTS, "A model named '" + name + "' already exists.")
          .metadata("model", name)
          .build();
    }
    return record.toBuilder().setRevision(result.revision()).build();
  }

  /**
   * Replaces the fields an update mask names (see {@code UpdateModelRequest}) and checks the
   * result. An update that changes nothing writes nothing and returns the model as it is.
   *
   * @param expectedRevision 0, or the revision the model must still have
   * @throws AgoraException {@code INVALID_FIELD}, {@code MODEL_NOT_FOUND} or {@code CONFLICT}
   */
  public Model update(Model requested, FieldMask mask, long expectedRevision) {
    String name = CatalogNames.requireModelName("model.name", requested.getName());
    List<String> paths = FieldMasks.paths(mask, requested, MUTABLE, NOT_UPDATABLE);
    for (int attempt = 0; attempt < VersionRepository.MAX_ATTEMPTS; attempt++) {
      Model current = get(name);
      CatalogRefusals.requireRevision(expectedRevision, current.getRevision(), "models/" + name);
      Model updated = FieldMasks.apply(current, requested, paths);
      ModelRules.check(updated, "model.");
      List<String> changed = FieldMasks.changed(current, updated, paths);
      if (changed.isEmpty()) {
        return current;
      }
      Optional<Model> written = tryUpdate(current, updated, changed);
      if (written.isPresent()) {
        return written.get();
      }
    }
    throw CatalogRefusals.conflict("models/" + name);
  }

  private Optional<Model> tryUpdate(Model current, Model updated, List<String> changed) {
    Instant now = clock.instant();
    Model record =
        updated.toBuilder().setUpdateTime(StoredRecords.timestamp(now)).clearRevision().build();
    String key = CatalogKeys.model(record.getName());
    Txn.Builder txn =
        Txn.builder().ifModRevision(key, current.getRevision()).put(key, record.toByteArray());
    boolean movedTeam = !current.getOwnerTeam().equals(record.getOwnerTeam());
    audit.append(
        txn,
        audit
            .event(AuditAction.AUDIT_ACTION_MODEL_UPDATED, record.getName(), now)
            .setTeam(record.getOwnerTeam())
            .setPreviousTeam(movedTeam ? current.getOwnerTeam() : "")
            .setRevisionBefore(current.getRevision())
            .setSummary("updated " + String.join(", ", changed)));
    TxnResult result = store.commit(txn.build());
    return result.succeeded()
        ? Optional.of(record.toBuilder().setRevision(result.revision()).build())
        : Optional.empty();
  }

  /** The model, or empty when it does not exist. */
  public Optional<Model> find(String name) {
    return store.get(CatalogKeys.model(name)).map(StoredRecords::model);
  }

  /**
   * The model.
   *
   * @throws AgoraException {@code MODEL_NOT_FOUND} when it does not exist
   */
  public Model get(String name) {
    return find(name).orElseThrow(() -> notFound(name));
  }

  /**
   * Models in name order.
   *
   * @param pageSize 0 for {@value #DEFAULT_PAGE_SIZE}; at most {@value #MAX_PAGE_SIZE} are returned
   * @param pageToken empty for the first page, otherwise a previous response's next_page_token
   */
  public ListModelsResponse list(int pageSize, String pageToken) {
    int size = PageTokens.pageSize(pageSize, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    String after = PageTokens.decode(pageToken, CatalogNames::isModelName);
    String cursor = after == null ? null : CatalogKeys.model(after);
    List<Model> models = new ArrayList<>(size + 1);
    boolean more = true;
    while (more && models.size() <= size) {
      RangeResult page = store.range(CatalogKeys.MODELS, cursor, size + 1);
      for (KeyValue kv : page.kvs()) {
        if (CatalogKeys.isModelKey(kv.key()) && models.size() <= size) {
          models.add(StoredRecords.model(kv));
        }
      }
      more = page.more();
      cursor = page.kvs().isEmpty() ? cursor : page.lastKey();
    }
    ListModelsResponse.Builder response = ListModelsResponse.newBuilder();
    if (models.size() > size) {
      models = models.subList(0, size);
      response.setNextPageToken(PageTokens.encode(models.get(size - 1).getName()));
    }
    return response.addAllModels(models).build();
  }

  static AgoraException notFound(String name) {
    return AgoraException.builder(ErrorReason.MODEL_NOT_FOUND, "No model is named '" + name + "'.")
        .metadata("model", name)
        .build();
  }
}
